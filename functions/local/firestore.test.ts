/**
 * The embedded Firestore glue, against firebase-admin over gRPC: batches are all-or-nothing,
 * each commit reports one before/after per changed document, and data survives a restart.
 */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { FieldValue, getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { Document as V1Document } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { LocalFirestore, type DocumentChange } from './firestore';

const port = 7400 + Math.floor(Math.random() * 80);
const snapshot = join(mkdtempSync(join(tmpdir(), 'fupin-fs-')), 'firestore.json');
const journal = snapshot.replace(/\.json$/, '.journal');

/** What a `kill -9` leaves: the gRPC server gone, no snapshot taken, then a new start. */
async function crashAndRestart(): Promise<void> {
  (server as unknown as { server: { stop(): void } }).server.stop();
  server = new LocalFirestore('demo-glue', snapshot);
  await server.start(port);
}

let server: LocalFirestore;
let app: App;
let db: Firestore;
const changes: DocumentChange[][] = [];

beforeAll(async () => {
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${port}`;
  server = new LocalFirestore('demo-glue', snapshot);
  await server.start(port);
  server.onChanges((batch) => changes.push(batch));
  app = initializeApp({ projectId: 'demo-glue' }, 'glue');
  db = getFirestore(app);
});

afterAll(async () => {
  await deleteApp(app);
  await server.stop();
});

/** The string and integer fields of a serialized document, as plain values. */
const fieldsOf = (bytes: Uint8Array | undefined) =>
  bytes
    ? Object.fromEntries(
        Array.from(V1Document.deserializeBinary(bytes).fields).map(([key, value]) => [
          key,
          value.has_string_value ? value.string_value : Number(value.integer_value),
        ]),
      )
    : undefined;

describe('LocalFirestore', () => {
  it('rolls a whole batch back when a later create() finds its document', async () => {
    await db.doc('counters/a').set({ n: 1 });
    await db.doc('markers/m').set({});
    changes.length = 0;
    const batch = db.batch();
    batch.update(db.doc('counters/a'), { n: FieldValue.increment(1) });
    batch.create(db.doc('markers/m'), { again: true });
    await expect(batch.commit()).rejects.toMatchObject({ code: 6 });
    expect((await db.doc('counters/a').get()).get('n')).toBe(1);
    expect(changes).toEqual([]);
  });

  it('refuses an update of a missing document without applying the rest of the batch', async () => {
    const batch = db.batch();
    batch.set(db.doc('counters/b'), { n: 5 });
    batch.update(db.doc('counters/missing'), { n: 1 });
    await expect(batch.commit()).rejects.toMatchObject({ code: 5 });
    expect((await db.doc('counters/b').get()).exists).toBe(false);
  });

  it('reports one change per document per commit, with the state before and after', async () => {
    await db.doc('people/p').set({ name: '张三', n: 1 });
    changes.length = 0;
    const batch = db.batch();
    batch.set(db.doc('people/p'), { n: FieldValue.increment(2) }, { merge: true });
    batch.set(db.doc('people/q'), { name: '李四' });
    await batch.commit();
    expect(changes).toHaveLength(1);
    const [first, second] = changes[0] as DocumentChange[];
    expect(first?.path).toBe('people/p');
    expect(fieldsOf(first?.before)).toEqual({ name: '张三', n: 1 });
    expect(fieldsOf(first?.after)).toEqual({ name: '张三', n: 3 });
    expect(second).toMatchObject({ path: 'people/q', before: undefined });
    await db.doc('people/q').delete();
    expect(changes[1]?.[0]).toMatchObject({ path: 'people/q', after: undefined });
  });

  it('reports nothing for a write that changes no field', async () => {
    await db.doc('people/r').set({ name: '王五' });
    changes.length = 0;
    await db.doc('people/r').set({ name: '王五' });
    expect(changes).toEqual([]);
  });

  it('pages through a query with cursors, ordered by a field and then by document name', async () => {
    const batch = db.batch();
    for (let i = 0; i < 7; i++)
      batch.set(db.doc(`paged/p${(i * 3) % 7}`), { group: 'g', rank: i % 3 });
    await batch.commit();
    const base = db
      .collection('paged')
      .where('group', '==', 'g')
      .orderBy('rank')
      .orderBy('__name__')
      .limit(3);
    const seen: string[] = [];
    let page = await base.get();
    while (!page.empty) {
      seen.push(...page.docs.map((doc) => `${doc.get('rank')}:${doc.id}`));
      page = await base
        .startAfter(page.docs[page.docs.length - 1] as FirebaseFirestore.QueryDocumentSnapshot)
        .get();
    }
    expect(seen).toEqual(['0:p0', '0:p2', '0:p4', '1:p3', '1:p5', '2:p1', '2:p6']);
    const byName = await db
      .collection('paged')
      .orderBy('__name__')
      .startAt(db.doc('paged/p3'))
      .endBefore(db.doc('paged/p5'))
      .get();
    expect(byName.docs.map((doc) => doc.id)).toEqual(['p3', 'p4']);
  });

  it('keeps every match of an equality ordered by name, and leaves out those without an order field', async () => {
    // Auth-style ids: upper case sorts before lower case, as Firestore orders names by bytes.
    await db.doc('donorsByName/ZXy5').set({ township: 't1', rank: 2 });
    await db.doc('donorsByName/bWcv').set({ township: 't1' });
    await db.doc('donorsByName/Aaaa').set({ township: 't2', rank: 1 });
    const byName = await db
      .collection('donorsByName')
      .where('township', '==', 't1')
      .orderBy('__name__')
      .get();
    expect(byName.docs.map((doc) => doc.id)).toEqual(['ZXy5', 'bWcv']);
    const byRank = await db.collection('donorsByName').orderBy('rank').get();
    expect(byRank.docs.map((doc) => doc.id)).toEqual(['Aaaa', 'ZXy5']);
  });

  it('limits an unordered query in name order, projects select(), and orders by nested fields', async () => {
    const batch = db.batch();
    for (const id of ['n3', 'n1', 'n2'])
      batch.set(db.doc(`nested/${id}`), { group: 'g', stats: { score: id === 'n1' ? 9 : 1 } });
    await batch.commit();
    const limited = await db.collection('nested').where('group', '==', 'g').limit(2).get();
    expect(limited.docs.map((doc) => doc.id)).toEqual(['n1', 'n2']);
    const keys = await db.collection('nested').select().get();
    expect(keys.docs.map((doc) => [doc.id, doc.data()])).toEqual([
      ['n1', {}],
      ['n2', {}],
      ['n3', {}],
    ]);
    const picked = await db.collection('nested').select('stats.score').limit(1).get();
    expect(picked.docs[0]?.data()).toEqual({ stats: { score: 9 } });
    const byScore = await db.collection('nested').orderBy('stats.score', 'desc').get();
    expect(byScore.docs.map((doc) => doc.id)).toEqual(['n1', 'n3', 'n2']);
  });

  it('keeps documents named like Object.prototype members apart from the prototype', async () => {
    for (const id of ['constructor', 'toString', '__proto__x', 'hasOwnProperty'])
      await db.doc(`odd/${id}`).set({ id });
    expect((await db.doc('odd/constructor').get()).data()).toEqual({ id: 'constructor' });
    expect((await db.doc('odd/valueOf').get()).exists).toBe(false);
    const all = await db.collection('odd').orderBy('id').get();
    expect(all.docs.map((doc) => doc.id)).toEqual([
      '__proto__x',
      'constructor',
      'hasOwnProperty',
      'toString',
    ]);
  });

  it('refuses an update or delete whose lastUpdateTime is stale, with FAILED_PRECONDITION', async () => {
    const ref = db.doc('claims/c');
    await ref.set({ owner: 'a', n: 1 });
    const read = await ref.get();
    await ref.update({ n: 2 }, { lastUpdateTime: read.updateTime as Timestamp });
    // The write above changed the document: what was read is now stale.
    await expect(
      ref.update({ owner: 'b' }, { lastUpdateTime: read.updateTime as Timestamp }),
    ).rejects.toMatchObject({ code: 9 });
    await expect(
      ref.delete({ lastUpdateTime: read.updateTime as Timestamp }),
    ).rejects.toMatchObject({ code: 9 });
    const fresh = await ref.get();
    expect(fresh.data()).toEqual({ owner: 'a', n: 2 });
    await ref.delete({ lastUpdateTime: fresh.updateTime as Timestamp });
    expect((await ref.get()).exists).toBe(false);
    await expect(
      ref.update({ n: 3 }, { lastUpdateTime: fresh.updateTime as Timestamp }),
    ).rejects.toMatchObject({ code: 9 });
  });

  it('gives back-to-back writes distinct update times, so a read between them goes stale', async () => {
    const ref = db.doc('claims/fast');
    const times = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const result = await ref.set({ i });
      times.add(result.writeTime.toDate().toISOString() + result.writeTime.nanoseconds);
    }
    expect(times.size).toBe(20);
    const read = await ref.get();
    // The time a query reports is the one a precondition is compared with.
    const [queried] = (await db.collection('claims').where('i', '==', 19).get()).docs;
    expect(queried?.updateTime.isEqual(read.updateTime as Timestamp)).toBe(true);
    await ref.set({ i: 20 });
    await expect(
      ref.update({ i: 21 }, { lastUpdateTime: queried?.updateTime as Timestamp }),
    ).rejects.toMatchObject({ code: 9 });
  });

  it('isolates transactions: concurrent read-modify-write loses no update', async () => {
    const counter = db.doc('tx/counter');
    await counter.set({ n: 0 });
    await Promise.all(
      Array.from({ length: 5 }, () =>
        db.runTransaction(async (transaction) => {
          const n = Number((await transaction.get(counter)).get('n'));
          // Let the others read the same value before this one writes.
          await new Promise((resolve) => setTimeout(resolve, 20));
          transaction.update(counter, { n: n + 1 });
        }),
      ),
    );
    expect((await counter.get()).get('n')).toBe(5);
    // A write outside the transaction between its read and its commit makes it run again.
    let runs = 0;
    await db.runTransaction(async (transaction) => {
      runs++;
      const [doc] = (await transaction.get(db.collection('tx').where('n', '>=', 0))).docs;
      if (runs === 1) await counter.update({ n: 100 });
      transaction.update(counter, { n: Number(doc?.get('n')) + 1 });
    });
    expect(runs).toBe(2);
    expect((await counter.get()).get('n')).toBe(101);
    // So does a document that comes to match a query it ran (a phantom).
    runs = 0;
    await db.runTransaction(async (transaction) => {
      runs++;
      const open = await transaction.get(db.collection('claimsOpen').where('open', '==', true));
      if (runs === 1) await db.doc('claimsOpen/late').set({ open: true });
      transaction.set(db.doc('tx/openCount'), { n: open.size });
    });
    expect(runs).toBe(2);
    expect((await db.doc('tx/openCount').get()).get('n')).toBe(1);
  });

  it('writes nothing of a batch with one stale lastUpdateTime', async () => {
    const a = db.doc('claims/a');
    const b = db.doc('claims/b');
    await a.set({ n: 1 });
    await b.set({ n: 1 });
    const [readA, readB] = await Promise.all([a.get(), b.get()]);
    await b.update({ n: 2 });
    changes.length = 0;
    const batch = db.batch();
    batch.update(a, { n: 10 }, { lastUpdateTime: readA.updateTime as Timestamp });
    batch.set(db.doc('claims/new'), { n: 1 });
    batch.update(b, { n: 10 }, { lastUpdateTime: readB.updateTime as Timestamp });
    await expect(batch.commit()).rejects.toMatchObject({ code: 9 });
    expect((await a.get()).get('n')).toBe(1);
    expect((await b.get()).get('n')).toBe(2);
    expect((await db.doc('claims/new').get()).exists).toBe(false);
    expect(changes).toEqual([]);
  });

  it('replaces a document on set without merge, and deletes fields given FieldValue.delete()', async () => {
    const ref = db.doc('semantics/s');
    await ref.set({ a: 0, b: 1, m: { p: 1, q: 2 } });
    await ref.set({ a: 1 });
    expect((await ref.get()).data()).toEqual({ a: 1 });
    await ref.set({ a: 0, b: 1, m: { p: 1, q: 2 } });
    await ref.update({ b: FieldValue.delete(), 'm.p': FieldValue.delete() });
    expect((await ref.get()).data()).toEqual({ a: 0, m: { q: 2 } });
    await ref.set({ m: { r: 3 }, c: FieldValue.delete() }, { merge: true });
    expect((await ref.get()).data()).toEqual({ a: 0, m: { q: 2, r: 3 } });
  });

  it('applies every transform of a write, nested ones too', async () => {
    const ref = db.doc('semantics/t');
    await ref.set({ n: 1, tags: ['a'] });
    await ref.update({
      at: FieldValue.serverTimestamp(),
      'review.at': FieldValue.serverTimestamp(),
      n: FieldValue.increment(2),
      'stats.count': FieldValue.increment(1),
      tags: FieldValue.arrayUnion('b', 'a'),
      more: FieldValue.arrayUnion('x'),
    });
    const snap = await ref.get();
    expect(snap.get('n')).toBe(3);
    expect(snap.get('stats')).toEqual({ count: 1 });
    expect(snap.get('tags')).toEqual(['a', 'b']);
    expect(snap.get('more')).toEqual(['x']);
    expect((snap.get('at') as Timestamp).isEqual(snap.updateTime as Timestamp)).toBe(true);
    expect((snap.get('review.at') as Timestamp).isEqual(snap.updateTime as Timestamp)).toBe(true);
    await ref.update({ tags: FieldValue.arrayRemove('a'), n: FieldValue.increment(0.5) });
    expect((await ref.get()).get('tags')).toEqual(['b']);
    expect((await ref.get()).get('n')).toBe(3.5);
  });

  it('loses no acknowledged write and no pending event when killed, even mid-line', async () => {
    const ref = db.doc('durable/d');
    await ref.set({ n: 1 });
    await ref.update({ n: FieldValue.increment(1) });
    await db.doc('durable/gone').set({ n: 1 });
    await db.doc('durable/gone').delete();
    const eventIds = changes.flat().map((change) => change.id);
    await crashAndRestart();
    expect((await ref.get()).data()).toEqual({ n: 2 });
    expect((await db.doc('durable/gone').get()).exists).toBe(false);
    // Nobody delivered them: they are all still owed to the triggers, with the same ids.
    const pending = new Set(server.outbox.pending().map((event) => event.id));
    for (const id of eventIds) expect(pending.has(id as string)).toBe(true);
    for (const id of pending) server.outbox.settled(id);
    // A kill in the middle of an append leaves a torn line, which is dropped.
    await ref.set({ n: 3 });
    appendFileSync(
      journal,
      '{"c":[["projects/demo-glue/databases/(default)/documents/durable/d","AAA',
    );
    await crashAndRestart();
    expect((await ref.get()).data()).toEqual({ n: 3 });
    expect(server.outbox.pending().map((event) => event.firestore?.path)).toEqual(['durable/d']);
    await ref.set({ n: 4 });
    await crashAndRestart();
    expect((await ref.get()).data()).toEqual({ n: 4 });
    // The start took a snapshot of the journal it replayed.
    expect(readFileSync(journal, 'utf8').split('\n').filter(Boolean)).toHaveLength(0);
  });

  it('saves documents of every type and loads them again after a restart', async () => {
    const at = Timestamp.fromDate(new Date('2026-11-23T08:00:00Z'));
    await db.doc('villages/v/households/h').set({
      name: '欧阳·娜',
      at,
      nested: { list: [1, 'two', null, true] },
      ratio: 0.5,
      bytes: Buffer.from([1, 2, 3]),
    });
    await server.stop();
    const reloaded = new LocalFirestore('demo-glue', snapshot);
    await reloaded.start(port);
    server = reloaded;
    const data = (await db.doc('villages/v/households/h').get()).data();
    expect(data).toEqual({
      name: '欧阳·娜',
      at,
      nested: { list: [1, 'two', null, true] },
      ratio: 0.5,
      bytes: Buffer.from([1, 2, 3]),
    });
    expect((await db.doc('counters/a').get()).get('n')).toBe(1);
  });

  it('keeps update times across a restart, so preconditions read before it still hold', async () => {
    const ref = db.doc('claims/kept');
    await ref.set({ n: 0 });
    await ref.set({ n: 1 });
    const read = await ref.get();
    await server.stop();
    const reloaded = new LocalFirestore('demo-glue', snapshot);
    await reloaded.start(port);
    server = reloaded;
    const again = await ref.get();
    expect(again.updateTime?.isEqual(read.updateTime as Timestamp)).toBe(true);
    expect(again.createTime?.isEqual(read.createTime as Timestamp)).toBe(true);
    await ref.update({ n: 2 }, { lastUpdateTime: read.updateTime as Timestamp });
    expect((await ref.get()).get('n')).toBe(2);
  });
});
