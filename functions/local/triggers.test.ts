/**
 * The dispatcher hands real firebase-functions triggers the CloudEvents Eventarc would: Firestore
 * events decode (through the functions' own code) to the right before/after snapshots.
 */
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { Document as V1Document } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { TriggerDispatcher, matchesDocumentPattern, recentDeliveries } from './triggers';
import type { EventOutbox, PendingEvent } from './journal';

/** An outbox as the journal keeps it, in memory: what is pending, and what it was told. */
function memoryOutbox(pending: PendingEvent[]) {
  const told: string[] = [];
  const outbox: EventOutbox = {
    add: (event) => told.push(`add ${event.id}`),
    delivered: (id, fn) => told.push(`delivered ${id} ${fn}`),
    settled: (id) => told.push(`settled ${id}`),
    pending: () => pending,
  };
  return { outbox, told };
}

let app: App;
beforeAll(() => {
  process.env.FIREBASE_CONFIG = JSON.stringify({
    projectId: 'demo-glue',
    storageBucket: 'demo-glue.appspot.com',
  });
  app = initializeApp({ projectId: 'demo-glue' });
});
afterAll(() => deleteApp(app));

const documentBytes = (path: string, fields: Record<string, unknown>) =>
  V1Document.fromObject({
    name: `projects/demo-glue/databases/(default)/documents/${path}`,
    fields: fields as never,
    create_time: { seconds: 1795420000, nanos: 0 },
    update_time: { seconds: 1795420000, nanos: 0 },
  }).serializeBinary();

describe('document patterns', () => {
  test.each([
    ['households/{id}', 'households/abc', true],
    ['households/{id}', 'households/abc/notes/n', false],
    ['households/{id}', 'needs/abc', false],
    ['villages/{v}/households/{h}', 'villages/1/households/2', true],
    ['logs/{rest=**}', 'logs/a/b/c', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(matchesDocumentPattern(pattern, path)).toBe(expected);
  });
});

describe('TriggerDispatcher', () => {
  it('delivers before and after snapshots and the same event id to every function', async () => {
    const seen: Array<{ id: string; before: unknown; after: unknown; params: unknown }> = [];
    const watcher = onDocumentWritten('households/{householdId}', (event) => {
      seen.push({
        id: event.id,
        before: event.data?.before.data(),
        after: event.data?.after.data(),
        params: event.params,
      });
    });
    const secondWatcher = onDocumentWritten('households/{householdId}', (event) => {
      seen.push({
        id: event.id,
        before: 'second',
        after: event.data?.after.get('registered'),
        params: null,
      });
    });
    const unrelated = onDocumentWritten('needs/{needId}', () => {
      throw new Error('must not fire');
    });
    const dispatcher = new TriggerDispatcher({ watcher, secondWatcher, unrelated }, 'demo-glue');
    dispatcher.firestoreChanged([
      {
        path: 'households/h1',
        before: documentBytes('households/h1', { registered: { boolean_value: false } }),
        after: documentBytes('households/h1', {
          registered: { boolean_value: true },
          name: { string_value: '张三' },
        }),
      },
    ]);
    await dispatcher.idle();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({
      before: { registered: false },
      after: { registered: true, name: '张三' },
      params: { householdId: 'h1' },
    });
    expect(seen[1]?.id).toBe(seen[0]?.id);
    expect(dispatcher.events({ fn: 'unrelated' })).toEqual([]);
  });

  it('retries a failing retry:true function with the same event id, and can deliver an event again', async () => {
    const ids: string[] = [];
    const flaky = onObjectFinalized({ retry: true }, (event) => {
      ids.push(event.id);
      if (ids.length === 1) throw new Error('transient');
    });
    const dispatcher = new TriggerDispatcher({ flaky }, 'demo-glue');
    dispatcher.objectFinalized({
      bucket: 'demo-glue.appspot.com',
      name: 'incoming/x',
      contentType: 'image/jpeg',
      size: 3,
      generation: '1',
      metadata: {},
      timeCreated: new Date().toISOString(),
    });
    await dispatcher.idle();
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    const [record] = dispatcher.events({ fn: 'flaky' });
    expect(record).toMatchObject({ attempts: 2, outcome: 'ok' });
    await dispatcher.redeliver('flaky', ids[0] as string);
    expect(ids).toEqual([ids[0], ids[0], ids[0]]);
  });

  it('delivers on start the events a previous run left pending, to the functions not yet done', async () => {
    const seen: string[] = [];
    const first = onDocumentWritten('donations/{id}', (event) => {
      seen.push(`first ${event.id} ${String(event.data?.after.get('status'))}`);
    });
    const second = onDocumentWritten('donations/{id}', (event) => {
      seen.push(`second ${event.id} ${String(event.data?.after.get('status'))}`);
    });
    const after = Buffer.from(
      documentBytes('donations/d1', { status: { string_value: 'accepted' } }),
    ).toString('base64');
    const { outbox, told } = memoryOutbox([
      {
        id: 'e1',
        time: '2026-11-30T08:00:00.000Z',
        firestore: { path: 'donations/d1', after },
        done: ['first'],
      },
      { id: 'e2', time: '2026-11-30T08:00:00.000Z', firestore: { path: 'elsewhere/x' }, done: [] },
    ]);
    const dispatcher = new TriggerDispatcher({ first, second }, 'demo-glue', undefined, outbox);
    await dispatcher.idle();
    expect(seen).toEqual(['second e1 accepted']);
    expect(told.sort()).toEqual(['settled e1', 'settled e2']);
  });

  it('journals a finalized object before reporting it, and settles it after its deliveries', async () => {
    const names: string[] = [];
    const a = onObjectFinalized((event) => void names.push(`a ${event.data.name}`));
    const b = onObjectFinalized((event) => void names.push(`b ${event.data.name}`));
    const { outbox, told } = memoryOutbox([]);
    const dispatcher = new TriggerDispatcher({ a, b }, 'demo-glue', undefined, outbox);
    dispatcher.objectFinalized({
      bucket: 'demo-glue.appspot.com',
      name: 'incoming/y',
      contentType: 'image/jpeg',
      size: 3,
      generation: '1',
      metadata: {},
      timeCreated: new Date().toISOString(),
    });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^add /);
    await dispatcher.idle();
    const id = (told[0] as string).slice(4);
    expect(told.slice(1)).toEqual([`delivered ${id} a`, `settled ${id}`]);
    expect(names).toEqual(['a incoming/y', 'b incoming/y']);
  });

  it('keeps only a recent window of deliveries, however many events go through', async () => {
    let count = 0;
    const counter = onObjectFinalized(() => void count++);
    const dispatcher = new TriggerDispatcher({ counter }, 'demo-glue');
    const total = 2 * recentDeliveries + 10;
    for (let i = 0; i < total; i++)
      dispatcher.objectFinalized({
        bucket: 'demo-glue.appspot.com',
        name: `bulk/${i}`,
        contentType: 'image/jpeg',
        size: 1,
        generation: String(i),
        metadata: {},
        timeCreated: new Date().toISOString(),
      });
    await dispatcher.idle();
    expect(count).toBe(total);
    const kept = dispatcher.events();
    expect(kept.length).toBeLessThanOrEqual(2 * recentDeliveries);
    expect(kept.length).toBeGreaterThanOrEqual(recentDeliveries);
    // The newest are the ones kept.
    expect(dispatcher.events({ document: `bulk/${total - 1}` })).toHaveLength(1);
    expect(dispatcher.events({ document: 'bulk/0' })).toEqual([]);
  });
});
