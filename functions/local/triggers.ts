/**
 * Fires the exported Firestore and Storage trigger functions the way Eventarc does in production:
 * each function is called with a CloudEvent — Firestore events carry the protobuf-encoded
 * DocumentEventData (before and after), Storage events the object's JSON — so the functions'
 * own decoding path runs, not a copy of their handlers. One event id per change, shared by every
 * function it reaches, as in production. Failed deliveries of functions declared `retry: true` are
 * retried with the same event id. Each event stays in the journal's outbox until all its
 * deliveries have finished, so events left undelivered by a kill are delivered on the next start
 * (at least once, as Eventarc promises). The most recent deliveries are kept so tests can look
 * at them and deliver one again.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentChange } from './firestore';
import type { FinalizedObject } from './folderObjectStore';
import type { EventOutbox, PendingEvent } from './journal';

type CloudEventFunction = ((event: Record<string, unknown>) => unknown) & {
  __endpoint?: {
    eventTrigger?: {
      eventType: string;
      eventFilters?: Record<string, unknown>;
      eventFilterPathPatterns?: Record<string, unknown>;
      retry?: boolean;
    };
  };
};

export interface DeliveredEvent {
  fn: string;
  event: Record<string, unknown>;
  attempts: number;
  outcome: 'ok' | 'failed';
}

interface EventTriggerFunction {
  name: string;
  run: CloudEventFunction;
  eventType: string;
  retry: boolean;
  documentPattern?: string;
  bucket?: string;
}

const firestoreEventTypes = {
  written: 'google.cloud.firestore.document.v1.written',
  created: 'google.cloud.firestore.document.v1.created',
  updated: 'google.cloud.firestore.document.v1.updated',
  deleted: 'google.cloud.firestore.document.v1.deleted',
} as const;
const storageFinalized = 'google.cloud.storage.object.v1.finalized';
const maxAttempts = 4;
/** Deliveries kept for `events()` and `redeliver()`: the recent ones, not every one since start. */
export const recentDeliveries = 5000;

interface Delivery {
  trigger: EventTriggerFunction;
  event: Record<string, unknown>;
}

/** True when `path` (e.g. households/abc) matches a trigger's document pattern (households/{id}). */
export function matchesDocumentPattern(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const have = path.split('/');
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] as string;
    if (/^\{[^}]+=\*\*\}$/.test(segment)) return true;
    if (i >= have.length) return false;
    if (!/^\{[^}]+\}$/.test(segment) && segment !== have[i]) return false;
  }
  return want.length === have.length;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

/** google.events.cloud.firestore.v1.DocumentEventData: value = 1, old_value = 2. */
export function encodeDocumentEventData(
  before: Uint8Array | undefined,
  after: Uint8Array | undefined,
): Buffer {
  const parts: Buffer[] = [];
  if (after) parts.push(Buffer.from([0x0a, ...varint(after.length)]), Buffer.from(after));
  if (before) parts.push(Buffer.from([0x12, ...varint(before.length)]), Buffer.from(before));
  return Buffer.concat(parts);
}

function stringFilter(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export class TriggerDispatcher {
  private readonly triggers: EventTriggerFunction[] = [];
  private delivered: DeliveredEvent[] = [];
  private pending = 0;
  private waiters: Array<() => void> = [];
  /** Deliveries still to finish, by event id, to tell the outbox when an event is settled. */
  private readonly unfinished = new Map<string, number>();

  constructor(
    functions: Record<string, unknown>,
    private readonly projectId: string,
    private readonly onError: (fn: string, eventId: string, error: unknown) => void = () =>
      undefined,
    private readonly outbox?: EventOutbox,
  ) {
    for (const [name, value] of Object.entries(functions)) {
      const run = value as CloudEventFunction;
      const trigger = typeof run === 'function' ? run.__endpoint?.eventTrigger : undefined;
      if (!trigger) continue;
      this.triggers.push({
        name,
        run,
        eventType: trigger.eventType,
        retry: trigger.retry === true,
        documentPattern:
          stringFilter(trigger.eventFilterPathPatterns?.document) ??
          stringFilter(trigger.eventFilters?.document),
        bucket: stringFilter(trigger.eventFilters?.bucket),
      });
    }
    // Events a previous run journaled but did not finish delivering: to the functions not done.
    for (const event of outbox?.pending() ?? []) this.resume(event);
  }

  private resume(event: PendingEvent): void {
    const deliveries = event.firestore
      ? this.firestoreDeliveries({
          id: event.id,
          time: event.time,
          path: event.firestore.path,
          before: event.firestore.before
            ? Buffer.from(event.firestore.before, 'base64')
            : undefined,
          after: event.firestore.after ? Buffer.from(event.firestore.after, 'base64') : undefined,
        })
      : event.storage
        ? this.storageDeliveries(event.id, event.storage)
        : [];
    this.dispatch(
      event.id,
      deliveries.filter((delivery) => !event.done.includes(delivery.trigger.name)),
    );
  }

  /** Names of the trigger functions found among the exports. */
  get triggerNames(): string[] {
    return this.triggers.map((trigger) => trigger.name);
  }

  firestoreChanged(changes: DocumentChange[]): void {
    for (const change of changes) {
      const id = change.id ?? randomUUID();
      this.dispatch(id, this.firestoreDeliveries({ ...change, id }));
    }
  }

  private firestoreDeliveries(change: DocumentChange & { id: string }): Delivery[] {
    const kind = !change.before ? 'created' : !change.after ? 'deleted' : 'updated';
    const deliveries: Delivery[] = [];
    for (const trigger of this.triggers) {
      const type = trigger.eventType;
      const wanted = type === firestoreEventTypes.written || type === firestoreEventTypes[kind];
      if (
        !wanted ||
        !trigger.documentPattern ||
        !matchesDocumentPattern(trigger.documentPattern, change.path)
      )
        continue;
      deliveries.push({
        trigger,
        event: {
          specversion: '1.0',
          id: change.id,
          type,
          source: `//firestore.googleapis.com/projects/${this.projectId}/databases/(default)`,
          subject: `documents/${change.path}`,
          time: change.time ?? new Date().toISOString(),
          datacontenttype: 'application/protobuf',
          project: this.projectId,
          location: 'asia-east2',
          database: '(default)',
          namespace: '(default)',
          document: change.path,
          data: encodeDocumentEventData(change.before, change.after),
        },
      });
    }
    return deliveries;
  }

  objectFinalized(object: FinalizedObject): void {
    const id = randomUUID();
    // Journaled before the store reports the write done: a kill now still owes the event.
    this.outbox?.add({ id, time: object.timeCreated, storage: object, done: [] });
    this.dispatch(id, this.storageDeliveries(id, object));
  }

  private storageDeliveries(id: string, object: FinalizedObject): Delivery[] {
    return this.triggers
      .filter(
        (trigger) =>
          trigger.eventType === storageFinalized &&
          (!trigger.bucket || trigger.bucket === object.bucket),
      )
      .map((trigger) => ({
        trigger,
        event: {
          specversion: '1.0',
          id,
          type: storageFinalized,
          source: `//storage.googleapis.com/projects/_/buckets/${object.bucket}`,
          subject: `objects/${object.name}`,
          time: object.timeCreated,
          bucket: object.bucket,
          data: {
            kind: 'storage#object',
            id: `${object.bucket}/${object.name}/${object.generation}`,
            bucket: object.bucket,
            name: object.name,
            contentType: object.contentType,
            size: String(object.size),
            generation: object.generation,
            metageneration: '1',
            timeCreated: object.timeCreated,
            updated: object.timeCreated,
            storageClass: 'STANDARD',
            metadata: object.metadata,
          },
        },
      }));
  }

  /** Schedules an event's deliveries and tells the outbox of each, and once all have finished. */
  private dispatch(id: string, deliveries: Delivery[]): void {
    if (deliveries.length === 0) {
      this.outbox?.settled(id);
      return;
    }
    this.unfinished.set(id, (this.unfinished.get(id) ?? 0) + deliveries.length);
    for (const { trigger, event } of deliveries) {
      this.schedule(trigger, event, () => {
        const left = (this.unfinished.get(id) ?? 1) - 1;
        if (left > 0) {
          this.unfinished.set(id, left);
          this.outbox?.delivered(id, trigger.name);
          return;
        }
        this.unfinished.delete(id);
        this.outbox?.settled(id);
      });
    }
  }

  private schedule(
    trigger: EventTriggerFunction,
    event: Record<string, unknown>,
    finished: () => void,
  ): void {
    this.pending++;
    setImmediate(() => {
      void this.deliver(trigger, event)
        .then(finished)
        .finally(() => this.settle());
    });
  }

  private settle(): void {
    this.pending--;
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async deliver(
    trigger: EventTriggerFunction,
    event: Record<string, unknown>,
  ): Promise<DeliveredEvent> {
    const record: DeliveredEvent = { fn: trigger.name, event, attempts: 0, outcome: 'ok' };
    for (;;) {
      record.attempts++;
      try {
        await trigger.run(event);
        break;
      } catch (error) {
        this.onError(trigger.name, String(event.id), error);
        if (!trigger.retry || record.attempts >= maxAttempts) {
          record.outcome = 'failed';
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** record.attempts));
      }
    }
    this.delivered.push(record);
    // Trimmed in halves, so keeping a window costs nothing per event.
    if (this.delivered.length >= 2 * recentDeliveries)
      this.delivered = this.delivered.slice(-recentDeliveries);
    return record;
  }

  /** Resolves once every scheduled delivery (and whatever it caused) has finished. */
  async idle(): Promise<void> {
    // Deliveries cause writes that schedule more deliveries on a later tick: wait until quiet.
    for (;;) {
      if (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (this.pending === 0) return;
    }
  }

  events(filter: { fn?: string; document?: string } = {}): DeliveredEvent[] {
    return this.delivered.filter(
      (record) =>
        (!filter.fn || record.fn === filter.fn) &&
        (!filter.document ||
          record.event.document === filter.document ||
          record.event.subject === `objects/${filter.document}`),
    );
  }

  /** Delivers a recently delivered event again, as Eventarc may (at-least-once). */
  async redeliver(fn: string, eventId: string): Promise<DeliveredEvent> {
    const original = this.delivered.find(
      (record) => record.fn === fn && record.event.id === eventId,
    );
    const trigger = this.triggers.find((candidate) => candidate.name === fn);
    if (!original || !trigger) throw new Error(`no delivered event ${eventId} for ${fn}`);
    this.pending++;
    try {
      return await this.deliver(trigger, original.event);
    } finally {
      this.settle();
    }
  }
}
