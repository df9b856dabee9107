/**
 * The embedded Firestore-protocol server (@firestore-emulator/server) that firebase-admin reaches
 * through FIRESTORE_EMULATOR_HOST, with what it lacks for this platform:
 * - Firestore's write semantics: the glue applies each commit itself (applyWrite.ts), checks
 *   every precondition (`exists` and `update_time`) before anything applies, so a batch is
 *   all-or-nothing, and gives each commit its own time;
 * - change events: each commit reports one before/after pair per document it changed, with an
 *   event id, which the trigger dispatcher turns into Firestore CloudEvents;
 * - durability: each commit, with its events, is appended to a write-ahead journal before the
 *   client hears of it; a snapshot replaces the journal from time to time (journal.ts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  FirestoreServer,
  FirestoreStateCollection,
  FirestoreStateDocument,
  type FirestoreState,
} from '@firestore-emulator/server';
import { Document as V1Document } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import {
  Write as V1Write,
  WriteResult as V1WriteResult,
} from '@firestore-emulator/proto/dist/google/firestore/v1/write';
import { Timestamp as V1Timestamp } from '@firestore-emulator/proto/dist/google/protobuf/timestamp';
import { applyWrite, parseFieldPath, type Fields } from './applyWrite';
import { Journal, type EventOutbox, type JournalRecord, type PendingEvent } from './journal';
import { StructuredQuery as StructuredQueryClass } from '@firestore-emulator/proto/dist/google/firestore/v1/query';
import {
  BatchGetDocumentsResponse,
  BeginTransactionResponse,
  CommitResponse,
  RunQueryResponse,
} from '@firestore-emulator/proto/dist/google/firestore/v1/firestore';
import {
  MapValue as V1MapValue,
  Value as V1Value,
} from '@firestore-emulator/proto/dist/google/firestore/v1/document';

/**
 * The server adds a document to its collection through immer, which copies the collection's
 * whole record (and freezes it) each time: n documents cost n²/2 copies, and a commit creating a
 * document in a large collection costs the collection. The same lookup, adding in place.
 */
FirestoreStateCollection.prototype.getDocument = function getDocument(
  this: FirestoreStateCollection,
  documentName: string,
): FirestoreStateDocument {
  const self = this as unknown as {
    documents: Record<string, FirestoreStateDocument>;
    emitter: ConstructorParameters<typeof FirestoreStateDocument>[0];
  };
  // Own keys only: an id like `constructor` or `toString` would find Object.prototype's member.
  const existing = Object.hasOwn(self.documents, documentName)
    ? self.documents[documentName]
    : undefined;
  if (existing) return existing;
  if (Object.isFrozen(self.documents)) self.documents = { ...self.documents };
  const document = new FirestoreStateDocument(
    self.emitter,
    this.database,
    this,
    documentName,
    {},
    {},
  );
  // Defined, not assigned: an id `__proto__` would otherwise replace the record's prototype.
  Object.defineProperty(self.documents, documentName, {
    value: document,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return document;
};

export interface DocumentChange {
  /** The change's event id, kept across a restart so a delivery made again carries the same id. */
  id?: string;
  /** ISO time of the commit. */
  time?: string;
  /** Path relative to the database root, e.g. `households/abc`. */
  path: string;
  /** Serialized google.firestore.v1.Document, or undefined when the document did not / does not exist. */
  before: Uint8Array | undefined;
  after: Uint8Array | undefined;
}

interface GrpcError {
  code: number;
  message: string;
  details: string;
}

type UnaryHandler = (
  call: { request: { writes: V1Write[]; transaction: Uint8Array } },
  callback: (error: GrpcError | null, value?: unknown) => void,
) => void;

const grpcStatus = { notFound: 5, alreadyExists: 6, failedPrecondition: 9, aborted: 10 } as const;

function failure(code: number, message: string): GrpcError {
  return { code, message, details: message };
}

/** The server's own conversion: whole milliseconds, as it keeps them. */
function timestampOf(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}
const commitPath = '/google.firestore.v1.Firestore/Commit';
const batchGetPath = '/google.firestore.v1.Firestore/BatchGetDocuments';
const beginTransactionPath = '/google.firestore.v1.Firestore/BeginTransaction';
const rollbackPath = '/google.firestore.v1.Firestore/Rollback';
/** A transaction neither committed nor rolled back this long after it began is forgotten. */
const transactionLifetimeMs = 5 * 60_000;

interface TransactionOptions {
  has_read_only: boolean;
}
/** What a read-write transaction read: each document's update time (undefined: missing). */
interface OpenTransaction {
  startedMs: number;
  reads: Map<string, number | undefined>;
  queries: Array<{ parent: string; query: StructuredQuery; names: string[] }>;
}
const runQueryPath = '/google.firestore.v1.Firestore/RunQuery';

type StreamingCall = {
  request: {
    parent: string;
    structured_query?: StructuredQuery;
    has_structured_query?: boolean;
    consistency_selector: string;
    transaction?: Uint8Array;
    new_transaction: TransactionOptions;
  };
  write: (message: RunQueryResponse) => boolean;
  end: () => void;
};
interface StructuredQuery {
  has_select: boolean;
  select: { fields: Array<{ field_path: string }> };
  order_by: Array<{ field: { field_path: string }; direction: number }>;
  has_start_at: boolean;
  start_at: { values: V1Value[]; before: boolean };
  has_end_at: boolean;
  end_at: { values: V1Value[]; before: boolean };
  has_limit: boolean;
  limit: { value: number };
  offset: number;
  toObject(): Record<string, unknown>;
}

/** A field as the server keeps it. */
interface StateField {
  toV1ValueObject(): Parameters<typeof V1Value.fromObject>[0];
}

/** The value at a (nested) field path, if the document has it. */
function valueAt(fields: Fields, segments: string[]): V1Value | undefined {
  let value = fields.get(segments[0] as string);
  for (const segment of segments.slice(1)) {
    if (!value?.has_map_value) return undefined;
    value = value.map_value.fields.get(segment);
  }
  return value;
}

/** Only the fields a `select` names (nested paths keep their enclosing maps). */
function projected(fields: Fields, paths: string[]): Fields {
  const kept: Fields = new Map();
  for (const path of paths) {
    const segments = parseFieldPath(path);
    const value = valueAt(fields, segments);
    if (value === undefined) continue;
    let target = kept;
    for (const segment of segments.slice(0, -1)) {
      let child = target.get(segment);
      if (!child?.has_map_value) {
        child = new V1Value({ map_value: new V1MapValue({ fields: new Map() }) });
        target.set(segment, child);
      }
      target = child.map_value.fields;
    }
    target.set(segments.at(-1) as string, value);
  }
  return kept;
}

/** Firestore's order of values of one type (the types the platform stores). */
function compareValues(a: V1Value | undefined, b: V1Value | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const rank = (v: V1Value) =>
    v.has_null_value
      ? 0
      : v.has_boolean_value
        ? 1
        : v.has_integer_value || v.has_double_value
          ? 2
          : v.has_timestamp_value
            ? 3
            : v.has_string_value
              ? 4
              : v.has_reference_value
                ? 6
                : 9;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.has_boolean_value) return Number(a.boolean_value) - Number(b.boolean_value);
  if (a.has_integer_value || a.has_double_value) {
    const x = a.has_integer_value ? Number(a.integer_value) : a.double_value;
    const y = b.has_integer_value ? Number(b.integer_value) : b.double_value;
    return x - y;
  }
  if (a.has_timestamp_value) {
    return (
      Number(a.timestamp_value.seconds) - Number(b.timestamp_value.seconds) ||
      a.timestamp_value.nanos - b.timestamp_value.nanos
    );
  }
  const x = a.has_string_value ? a.string_value : a.reference_value;
  const y = b.has_string_value ? b.string_value : b.reference_value;
  return x < y ? -1 : x > y ? 1 : 0;
}

export class LocalFirestore {
  private readonly server = new FirestoreServer();
  private readonly listeners = new Set<(changes: DocumentChange[]) => void>();
  private lastCommitMs = 0;
  /** Every existing document's serialized state by full path: what a snapshot writes. */
  private readonly documents = new Map<string, Uint8Array>();
  /** Events of committed writes whose deliveries have not all finished. */
  private readonly pendingEvents = new Map<string, PendingEvent>();
  private readonly journal: Journal | undefined;
  private snapshotBytes = 0;
  private compactionScheduled = false;
  private readonly transactions = new Map<string, OpenTransaction>();
  private transactionCount = 0;
  readonly outbox: EventOutbox;

  constructor(
    readonly projectId: string,
    private readonly snapshotFile?: string,
  ) {
    if (snapshotFile) this.journal = new Journal(`${snapshotFile.replace(/\.json$/, '')}.journal`);
    this.wrapCommit();
    this.wrapRunQuery();
    this.wrapTransactions();
    this.outbox = {
      add: (event) => {
        this.pendingEvents.set(event.id, { ...event, done: [...event.done] });
        this.record({ e: [{ id: event.id, time: event.time, storage: event.storage }] });
      },
      delivered: (id, fn) => {
        const event = this.pendingEvents.get(id);
        if (!event) return;
        event.done.push(fn);
        this.record({ d: id, fn });
      },
      settled: (id) => {
        if (this.pendingEvents.delete(id)) this.record({ s: id });
      },
      pending: () =>
        [...this.pendingEvents.values()].map((event) => ({
          ...event,
          done: [...event.done],
        })),
    };
  }

  get state(): FirestoreState {
    return this.server.state;
  }

  private databaseRoot(): string {
    return `projects/${this.projectId}/databases/(default)/documents`;
  }

  async start(port: number): Promise<void> {
    if (this.snapshotFile && this.journal) {
      if (existsSync(this.snapshotFile)) this.loadSnapshot(this.snapshotFile);
      for (const record of this.journal.read()) this.replay(record);
      // A fresh snapshot drops a torn last line, which later appends would otherwise follow.
      this.compact();
    }
    await this.server.start(port);
  }

  async stop(): Promise<void> {
    await this.flush();
    this.journal?.close();
    this.server.stop();
  }

  onChanges(listener: (changes: DocumentChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Removes every document and pending event. Emits no change events. */
  clear(): void {
    this.state.clear();
    this.documents.clear();
    this.pendingEvents.clear();
    this.record({ clear: true });
    this.compact();
  }

  documentCount(): number {
    return this.documents.size;
  }

  private serialized(fullPath: string): Uint8Array | undefined {
    return this.documents.get(fullPath);
  }

  private fieldsOf(fullPath: string): Fields | undefined {
    const bytes = this.documents.get(fullPath);
    return bytes ? V1Document.deserializeBinary(bytes).fields : undefined;
  }

  /** Puts a document's next state into the server's state; returns it serialized. */
  private install(
    fullPath: string,
    fields: Fields | undefined,
    date: Date,
  ): Uint8Array | undefined {
    if (!fields) {
      if (this.documents.delete(fullPath)) this.state.getDocument(fullPath).delete();
      return undefined;
    }
    const document = this.state.getDocument(fullPath);
    // The server merges into the fields a document has: start it empty, then write them all.
    (document as unknown as { fields: object }).fields = {};
    this.state.writeV1Document(
      date,
      new V1Write({ update: new V1Document({ name: fullPath, fields }) }),
    );
    const bytes = document.toV1Document().serializeBinary();
    this.documents.set(fullPath, bytes);
    return bytes;
  }

  /**
   * Runs queries itself, around the server's filtering: the server ignores cursors, cannot order
   * by document name or nested fields, sorts the whole collection before filtering and turns
   * every match into a response before the limit applies. Here the server only filters; the
   * matches are ordered (then by name, as Firestore does), cut at the cursors, offset and
   * limited, and only the rows returned are serialized, projected to `select` when asked.
   */
  private wrapRunQuery(): void {
    const handlers = (
      this.server as unknown as {
        server: { handlers: Map<string, { func: (call: StreamingCall) => void }> };
      }
    ).server.handlers;
    const handler = handlers.get(runQueryPath);
    if (!handler) throw new Error('the Firestore server has no RunQuery handler to wrap');
    const original = handler.func;
    handler.func = (call) => {
      const request = call.request;
      const query = request.structured_query;
      if (!query || !request.has_structured_query) return original(call);
      let names: string[];
      try {
        names = this.queryNames(request.parent, query);
      } catch {
        return original(call);
      }
      const readTime = new V1Timestamp(timestampOf(new Date()));
      const transaction =
        request.consistency_selector === 'new_transaction'
          ? this.beginTransaction(request.new_transaction)
          : request.transaction;
      const open =
        request.consistency_selector === 'new_transaction' ||
        request.consistency_selector === 'transaction'
          ? this.transactions.get(transactionKey(transaction))
          : undefined;
      // At commit, the transaction is checked against the documents it was given, and the query
      // must still give the same ones (no document came to match it, or stopped matching).
      for (const name of names) open?.reads.set(name, this.updatedMs(name));
      open?.queries.push({ parent: request.parent, query, names });
      const projection = query.has_select
        ? query.select.fields.map((field) => field.field_path).filter((path) => path !== '__name__')
        : undefined;
      if (names.length === 0)
        call.write(new RunQueryResponse({ done: true, read_time: readTime, transaction }));
      names.forEach((name, index) => {
        const document = V1Document.deserializeBinary(this.documents.get(name) as Uint8Array);
        if (projection) document.fields = projected(document.fields, projection);
        call.write(
          new RunQueryResponse({
            document,
            read_time: readTime,
            skipped_results: 0,
            transaction,
            // The client stops reading at `done`: only the last row may say so.
            done: index === names.length - 1,
          }),
        );
      });
      call.end();
    };
  }

  /**
   * The names of the documents a query returns, in order: the server filters; ordering (by name
   * last, as Firestore does), cursors, offset and limit are applied here.
   */
  private queryNames(parent: string, query: StructuredQuery): string[] {
    // A binary copy: toObject/fromObject would lose which member of a oneof is set.
    const filterOnly = StructuredQueryClass.deserializeBinary(
      (query as unknown as { serializeBinary(): Uint8Array }).serializeBinary(),
    ) as unknown as Record<string, unknown>;
    filterOnly.order_by = [];
    filterOnly.start_at = undefined;
    filterOnly.end_at = undefined;
    filterOnly.limit = undefined;
    filterOnly.offset = 0;
    const matched = this.state.v1Query(
      parent,
      filterOnly as unknown as Parameters<FirestoreState['v1Query']>[1],
    );
    const orders = query.order_by.map((order) => ({
      segments: order.field.field_path === '__name__' ? [] : parseFieldPath(order.field.field_path),
      descending: order.direction === 2,
    }));
    // Firestore orders by name last, in the direction of the last order given.
    const byNameDescending = orders.at(-1)?.descending ?? false;
    const rows: Array<{ name: string; key: Array<V1Value | undefined> }> = [];
    for (const document of matched) {
      const name = document.getPath();
      // Only the fields ordered by are converted here; whole documents only for the rows sent.
      const stored = (document as unknown as { fields: Record<string, StateField | undefined> })
        .fields;
      const key = orders.map((order) => {
        if (order.segments.length === 0) return new V1Value({ reference_value: name });
        const first = order.segments[0] as string;
        const top = Object.hasOwn(stored, first) ? stored[first] : undefined;
        if (!top) return undefined;
        const value = V1Value.fromObject(top.toV1ValueObject());
        return valueAt(new Map([['', value]]), ['', ...order.segments.slice(1)]);
      });
      // As in Firestore, a document without a field the query orders by is not in the results.
      if (key.every((value) => value !== undefined)) rows.push({ name, key });
    }
    const compareKeys = (a: Array<V1Value | undefined>, b: Array<V1Value | undefined>) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const order = compareValues(a[i], b[i]);
        if (order !== 0) return orders[i]?.descending ? -order : order;
      }
      return 0;
    };
    rows.sort((x, y) => {
      const order = compareKeys(x.key, y.key);
      if (order !== 0) return order;
      const byName = x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
      return byNameDescending ? -byName : byName;
    });
    let cut = rows;
    if (query.has_start_at) {
      const { values, before } = query.start_at;
      cut = cut.filter((row) => {
        const c = compareKeys(row.key, values);
        return before ? c >= 0 : c > 0;
      });
    }
    if (query.has_end_at) {
      const { values, before } = query.end_at;
      cut = cut.filter((row) => {
        const c = compareKeys(row.key, values);
        return before ? c < 0 : c <= 0;
      });
    }
    const limit = query.has_limit ? query.limit.value : undefined;
    cut = cut.slice(query.offset, limit === undefined ? undefined : query.offset + limit);
    return cut.map((row) => row.name);
  }

  /**
   * Transactions, optimistically: the server hands every transaction the same id and isolates
   * nothing, so two read-modify-write transactions on one document would both commit and one
   * update would be lost. Here each read-write transaction gets its own id, the update time of
   * every document it reads is noted, and its commit is refused with ABORTED (firebase-admin
   * then runs the transaction again) if any of them has changed since. Firestore locks instead
   * of aborting, but what code sees is the same: a transaction commits only on what it read.
   */
  private wrapTransactions(): void {
    const handlers = (
      this.server as unknown as {
        server: { handlers: Map<string, { func: (...args: never[]) => void }> };
      }
    ).server.handlers;
    const batchGet = handlers.get(batchGetPath);
    const begin = handlers.get(beginTransactionPath);
    const rollback = handlers.get(rollbackPath);
    if (!batchGet || !begin || !rollback)
      throw new Error('the Firestore server has no transaction handlers to wrap');
    begin.func = ((
      call: { request: { options: TransactionOptions } },
      callback: (error: null, value: BeginTransactionResponse) => void,
    ) => {
      const transaction = this.beginTransaction(call.request.options);
      callback(null, new BeginTransactionResponse({ transaction }));
    }) as never;
    const originalRollback = rollback.func as (...args: unknown[]) => void;
    rollback.func = ((call: { request: { transaction: Uint8Array } }, callback: unknown) => {
      this.transactions.delete(transactionKey(call.request.transaction));
      originalRollback(call, callback);
    }) as never;
    batchGet.func = ((call: {
      request: {
        documents: string[];
        consistency_selector: string;
        transaction: Uint8Array;
        new_transaction: TransactionOptions;
      };
      write: (message: BatchGetDocumentsResponse) => boolean;
      end: () => void;
    }) => {
      const request = call.request;
      let transaction: Uint8Array | undefined;
      if (request.consistency_selector === 'new_transaction') {
        transaction = this.beginTransaction(request.new_transaction);
        call.write(new BatchGetDocumentsResponse({ transaction }));
      } else if (request.consistency_selector === 'transaction') {
        transaction = request.transaction;
      }
      const reads = transaction && this.transactions.get(transactionKey(transaction))?.reads;
      const readTime = new V1Timestamp(timestampOf(new Date()));
      for (const path of request.documents) {
        const bytes = this.documents.get(path);
        reads?.set(path, this.updatedMs(path));
        call.write(
          bytes
            ? new BatchGetDocumentsResponse({
                found: V1Document.deserializeBinary(bytes),
                read_time: readTime,
              })
            : new BatchGetDocumentsResponse({ missing: path, read_time: readTime }),
        );
      }
      call.end();
    }) as never;
  }

  /** A new transaction id; read-write ones are tracked until they commit or roll back. */
  private beginTransaction(options: TransactionOptions | undefined): Uint8Array {
    const now = Date.now();
    const id = Buffer.alloc(12);
    id.writeUInt32BE(++this.transactionCount, 0);
    id.writeDoubleBE(now, 4);
    if (!options?.has_read_only) {
      // Transactions abandoned without a rollback must not accumulate.
      for (const [key, open] of this.transactions)
        if (now - open.startedMs > transactionLifetimeMs) this.transactions.delete(key);
      this.transactions.set(transactionKey(id), { startedMs: now, reads: new Map(), queries: [] });
    }
    return new Uint8Array(id);
  }

  /** ABORTED when a document the committing transaction read has changed since. */
  private transactionConflict(transaction: Uint8Array | undefined): GrpcError | undefined {
    if (!transaction || transaction.length === 0) return undefined;
    const key = transactionKey(transaction);
    const open = this.transactions.get(key);
    this.transactions.delete(key);
    if (!open) return undefined;
    for (const [path, updatedMs] of open.reads) {
      if (this.updatedMs(path) !== updatedMs)
        return failure(
          grpcStatus.aborted,
          `transaction aborted: ${path} changed since the transaction read it`,
        );
    }
    for (const { parent, query, names } of open.queries) {
      let now: string[] = [];
      try {
        now = this.queryNames(parent, query);
      } catch {
        // The query ran before; should it fail now, the transaction cannot be shown unaffected.
      }
      if (now.length !== names.length || now.some((name, i) => name !== names[i]))
        return failure(
          grpcStatus.aborted,
          'transaction aborted: a query it ran gives other documents now',
        );
    }
    return undefined;
  }

  /**
   * Commit times strictly increase, one millisecond apart at least: the server keeps times in
   * milliseconds, and two commits in the same millisecond would give a document the update time
   * a reader saw before the other write, so a stale `lastUpdateTime` precondition would pass.
   */
  private nextCommitTime(): Date {
    this.lastCommitMs = Math.max(Date.now(), this.lastCommitMs + 1);
    return new Date(this.lastCommitMs);
  }

  /** Replaces the server's Commit: preconditions first, then every write at one commit time. */
  private wrapCommit(): void {
    const handlers = (
      this.server as unknown as { server: { handlers: Map<string, { func: UnaryHandler }> } }
    ).server.handlers;
    const handler = handlers.get(commitPath);
    if (!handler) throw new Error('the Firestore server has no Commit handler to wrap');
    handler.func = (call, callback) => {
      const writes = call.request.writes;
      const conflict = this.transactionConflict(call.request.transaction);
      if (conflict) return callback(conflict);
      const date = this.nextCommitTime();
      const refused = this.preconditionFailure(writes, date);
      if (refused) return callback(refused);
      const time = timestampOf(date);
      const working = new Map<string, Fields | undefined>();
      const results: V1WriteResult[] = [];
      try {
        for (const write of writes) {
          const path = targetOf(write);
          const current = working.has(path) ? working.get(path) : this.fieldsOf(path);
          const { next, transformResults } = applyWrite(current, write, time);
          working.set(path, next);
          results.push(
            new V1WriteResult({
              update_time: new V1Timestamp(time),
              transform_results: transformResults,
            }),
          );
        }
      } catch (error) {
        // Nothing is installed until every write of the batch has been computed.
        const code = (error as { code?: unknown }).code;
        const message = error instanceof Error ? error.message : String(error);
        return callback(failure(typeof code === 'number' ? code : 13, message));
      }
      const root = this.databaseRoot();
      const changes: DocumentChange[] = [];
      const written: Array<[string, string | null]> = [];
      for (const [path, next] of working) {
        const previous = this.documents.get(path);
        const after = this.install(path, next, date);
        written.push([path, after ? base64(after) : null]);
        if (sameFields(previous, after)) continue;
        changes.push({
          id: randomUUID(),
          time: date.toISOString(),
          path: path.slice(root.length + 1),
          before: previous,
          after,
        });
      }
      const events = changes.map((change) => ({
        id: change.id as string,
        time: change.time as string,
        firestore: {
          path: change.path,
          before: change.before && base64(change.before),
          after: change.after && base64(change.after),
        },
      }));
      for (const event of events) this.pendingEvents.set(event.id, { ...event, done: [] });
      // Journaled before the client hears of the commit: an acknowledged write survives a kill,
      // and so do the events it owes the triggers. `after` is in `c`, not repeated.
      this.record({
        c: written,
        e: events.map((event) => ({
          ...event,
          firestore: { path: event.firestore.path, before: event.firestore.before },
        })),
      });
      callback(
        null,
        new CommitResponse({ commit_time: new V1Timestamp(time), write_results: results }),
      );
      if (changes.length === 0) return;
      for (const listener of this.listeners) listener(changes);
    };
  }

  /**
   * Checks every precondition of a batch, in order, before any write applies: the embedded
   * server checks `exists` write by write (leaving earlier writes applied) and ignores
   * `update_time`, which Firestore answers with FAILED_PRECONDITION when the document changed
   * (or is gone) since the time given.
   */
  private preconditionFailure(writes: V1Write[], commitTime: Date): GrpcError | undefined {
    // Within a batch, a later write sees the state the earlier ones leave: updated at commitTime.
    const written = new Map<string, boolean>();
    for (const write of writes) {
      const path = targetOf(write);
      const wasWritten = written.has(path);
      const current = wasWritten ? (written.get(path) as boolean) : this.documents.has(path);
      if (write.has_current_document && write.current_document.has_exists) {
        if (write.current_document.exists && !current) {
          return failure(grpcStatus.notFound, `no entity to update: ${path}`);
        }
        if (!write.current_document.exists && current) {
          return failure(grpcStatus.alreadyExists, `entity already exists: ${path}`);
        }
      }
      if (write.has_current_document && write.current_document.has_update_time) {
        const wanted = write.current_document.update_time;
        const updatedMs = !current
          ? undefined
          : wasWritten
            ? commitTime.getTime()
            : this.updatedMs(path);
        if (
          updatedMs === undefined ||
          Number(wanted.seconds) !== Math.floor(updatedMs / 1000) ||
          wanted.nanos !== (updatedMs % 1000) * 1e6
        ) {
          return failure(
            grpcStatus.failedPrecondition,
            `the document was changed since the given update time: ${path}`,
          );
        }
      }
      written.set(path, !write.has_delete);
    }
    return undefined;
  }

  private updatedMs(fullPath: string): number | undefined {
    const bytes = this.documents.get(fullPath);
    return bytes ? dateOf(V1Document.deserializeBinary(bytes).update_time).getTime() : undefined;
  }

  private record(record: JournalRecord): void {
    if (!this.journal) return;
    this.journal.append(record);
    // Snapshots cost the whole database: taking one when the journal has grown as large as the
    // last snapshot keeps their cost proportional to what was written.
    if (this.compactionScheduled || this.journal.size < Math.max(4 << 20, this.snapshotBytes))
      return;
    this.compactionScheduled = true;
    setImmediate(() => this.compact());
  }

  /** Writes a snapshot of every document and pending event, and empties the journal. */
  private compact(): void {
    this.compactionScheduled = false;
    if (!this.journal || !this.snapshotFile) return;
    const snapshot = JSON.stringify({
      format: 2,
      documents: [...this.documents.values()].map(base64),
      pending: [...this.pendingEvents.values()],
    });
    this.journal.compact(this.snapshotFile, snapshot);
    this.snapshotBytes = snapshot.length;
  }

  /** Takes a snapshot now (kept for callers that wait for data to be on disk; commits already are). */
  async flush(): Promise<void> {
    this.compact();
    return Promise.resolve();
  }

  private loadSnapshot(file: string): void {
    const { documents, pending } = JSON.parse(readFileSync(file, 'utf8')) as {
      documents: string[];
      pending?: PendingEvent[];
    };
    for (const encoded of documents) this.restore(encoded);
    for (const event of pending ?? []) this.pendingEvents.set(event.id, event);
  }

  private replay(record: JournalRecord): void {
    if ('clear' in record) {
      this.state.clear();
      this.documents.clear();
      this.pendingEvents.clear();
    } else if ('c' in record) {
      for (const [path, encoded] of record.c) {
        if (encoded) this.restore(encoded);
        else this.install(path, undefined, new Date());
      }
      const written = new Map(record.c);
      const root = this.databaseRoot();
      for (const event of record.e) {
        const path = event.firestore?.path as string;
        const after = written.get(`${root}/${path}`) ?? undefined;
        this.pendingEvents.set(event.id, {
          ...event,
          firestore: { path, before: event.firestore?.before, after },
          done: [],
        });
      }
    } else if ('e' in record) {
      for (const event of record.e) this.pendingEvents.set(event.id, { ...event, done: [] });
    } else if ('d' in record) {
      this.pendingEvents.get(record.d)?.done.push(record.fn);
    } else if ('s' in record) {
      this.pendingEvents.delete(record.s);
    }
  }

  /** Puts back a saved document with its own create and update times. */
  private restore(encoded: string): void {
    const document = V1Document.deserializeBinary(Buffer.from(encoded, 'base64'));
    const updated = dateOf(document.update_time);
    this.install(document.name, document.fields, updated);
    // Preconditions compare these with what readers saw before the restart.
    this.state.getDocument(document.name).metadata = {
      hasExist: true,
      createdAt: document.has_create_time ? dateOf(document.create_time) : updated,
      updatedAt: updated,
    };
    this.documents.set(document.name, Buffer.from(encoded, 'base64'));
    this.lastCommitMs = Math.max(this.lastCommitMs, updated.getTime());
  }
}

function transactionKey(transaction: Uint8Array | undefined): string {
  return transaction ? Buffer.from(transaction).toString('hex') : '';
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function dateOf(timestamp: { seconds: number; nanos: number }): Date {
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6));
}

function targetOf(write: V1Write): string {
  if (write.has_update) return write.update.name;
  if (write.has_delete) return write.delete;
  return write.transform.document;
}

function sameFields(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  const fieldsOf = (bytes: Uint8Array) => {
    const document = V1Document.deserializeBinary(bytes);
    return new V1Document({ name: document.name, fields: document.fields }).serializeBinary();
  };
  return Buffer.from(fieldsOf(a)).equals(Buffer.from(fieldsOf(b)));
}
