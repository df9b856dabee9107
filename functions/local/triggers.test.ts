/**
 * The dispatcher hands real firebase-functions triggers the CloudEvents Eventarc would: Firestore
 * events decode (through the functions' own code) to the right before/after snapshots.
 */
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { Document as V1Document } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { TriggerDispatcher, matchesDocumentPattern } from './triggers';

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
});
