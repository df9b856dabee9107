/**
 * Fires the exported Firestore and Storage trigger functions the way Eventarc does in production:
 * each function is called with a CloudEvent — Firestore events carry the protobuf-encoded
 * DocumentEventData (before and after), Storage events the object's JSON — so the functions'
 * own decoding path runs, not a copy of their handlers. One event id per change, shared by every
 * function it reaches, as in production. Failed deliveries of functions declared `retry: true` are
 * retried with the same event id; delivered events are kept so tests can deliver one again.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentChange } from './firestore';
import type { FinalizedObject } from './folderObjectStore';

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
  private readonly delivered: DeliveredEvent[] = [];
  private pending = 0;
  private waiters: Array<() => void> = [];

  constructor(
    functions: Record<string, unknown>,
    private readonly projectId: string,
    private readonly onError: (fn: string, eventId: string, error: unknown) => void = () =>
      undefined,
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
  }

  /** Names of the trigger functions found among the exports. */
  get triggerNames(): string[] {
    return this.triggers.map((trigger) => trigger.name);
  }

  firestoreChanged(changes: DocumentChange[]): void {
    for (const change of changes) {
      const kind = !change.before ? 'created' : !change.after ? 'deleted' : 'updated';
      const id = randomUUID();
      for (const trigger of this.triggers) {
        const type = trigger.eventType;
        const wanted = type === firestoreEventTypes.written || type === firestoreEventTypes[kind];
        if (
          !wanted ||
          !trigger.documentPattern ||
          !matchesDocumentPattern(trigger.documentPattern, change.path)
        )
          continue;
        this.schedule(trigger, {
          specversion: '1.0',
          id,
          type,
          source: `//firestore.googleapis.com/projects/${this.projectId}/databases/(default)`,
          subject: `documents/${change.path}`,
          time: new Date().toISOString(),
          datacontenttype: 'application/protobuf',
          project: this.projectId,
          location: 'asia-east2',
          database: '(default)',
          namespace: '(default)',
          document: change.path,
          data: encodeDocumentEventData(change.before, change.after),
        });
      }
    }
  }

  objectFinalized(object: FinalizedObject): void {
    const id = randomUUID();
    for (const trigger of this.triggers) {
      if (trigger.eventType !== storageFinalized) continue;
      if (trigger.bucket && trigger.bucket !== object.bucket) continue;
      this.schedule(trigger, {
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
      });
    }
  }

  private schedule(trigger: EventTriggerFunction, event: Record<string, unknown>): void {
    this.pending++;
    setImmediate(() => {
      void this.deliver(trigger, event).finally(() => this.settle());
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

  /** Delivers an already delivered event again, as Eventarc may (at-least-once). */
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
