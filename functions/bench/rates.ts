/**
 * bench:rates — what keeping the registration and match figures costs, against a naive
 * "recount every level on every write" baseline, in one run. The offline Firestore server enforces
 * neither limits nor contention, so cost is measured by counting: every document a query or get
 * returns is a read, every write in a commit a write, each aggregation query one read per 1,000
 * index entries it covers. Our side runs the production trigger (`onHouseholdWritten`) and the
 * production rollup against the embedded server, fed CloudEvents as Eventarc would send them.
 *
 * 1. Growth: reads and writes per event as one village grows from 10 to 10,000 households.
 * 2. Load: 100 writes/s inside one province for 60 s, and 500 writes/s over the whole country,
 *    in simulated time: the highest write rate on any single document.
 * 3. Exactness: 100,000 households, 10,000 events delivered with 10 % duplicates in random order;
 *    every kept figure (villages, then every region above after a rollup) against a recount.
 */
import { randomUUID } from 'node:crypto';
import { Document as V1Document } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { LocalFirestore } from '../local/firestore';
import { encodeDocumentEventData } from '../local/triggers';
import { ancestorsOf, regionFieldsOf } from '../src/domain/regions';
import { householdCounts, sumCounts } from '../src/domain/rates';

const projectId = 'demo-bench';
const port = 7650;

type Household = { villageCode: string; onRoster: boolean; registered: boolean };

/** Counts reads and writes at the server's gRPC boundary, and when each document was written. */
class OpCounter {
  reads = 0;
  writes = 0;
  writesByDoc = new Map<string, number>();

  constructor(server: LocalFirestore) {
    type Call = { write: (message: unknown) => boolean; request: { writes?: unknown[] } };
    const handlers = (
      server as unknown as {
        server: { server: { handlers: Map<string, { func: (call: Call, cb?: unknown) => void }> } };
      }
    ).server.server.handlers;
    const wrap = (
      name: string,
      count: (call: Call, message?: unknown) => void,
      streaming: boolean,
    ) => {
      const handler = handlers.get(`/google.firestore.v1.Firestore/${name}`);
      if (!handler) throw new Error(`no ${name} handler`);
      const original = handler.func;
      handler.func = (call, callback) => {
        if (streaming) {
          const write = call.write.bind(call);
          call.write = (message) => {
            count(call, message);
            return write(message);
          };
        } else count(call);
        return original(call, callback);
      };
    };
    wrap(
      'RunQuery',
      (_call, message) => {
        if ((message as { has_document?: boolean }).has_document) this.reads++;
      },
      true,
    );
    wrap(
      'BatchGetDocuments',
      (_call, message) => {
        if ((message as { has_found?: boolean }).has_found) this.reads++;
      },
      true,
    );
    wrap('RunAggregationQuery', () => this.reads++, true);
    wrap(
      'Commit',
      (call) => {
        for (const write of (call.request.writes ?? []) as Array<{
          has_update: boolean;
          update: { name: string };
          delete: string;
        }>) {
          this.writes++;
          const path = write.has_update ? write.update.name : write.delete;
          this.writesByDoc.set(path, (this.writesByDoc.get(path) ?? 0) + 1);
        }
      },
      false,
    );
  }

  reset(): void {
    this.reads = 0;
    this.writes = 0;
    this.writesByDoc.clear();
  }
}

function householdDocument(id: string, household: Household | undefined): Uint8Array | undefined {
  if (!household) return undefined;
  return V1Document.fromObject({
    name: `projects/${projectId}/databases/(default)/documents/households/${id}`,
    fields: {
      villageCode: { string_value: household.villageCode },
      onRoster: { boolean_value: household.onRoster },
      registered: { boolean_value: household.registered },
    },
    create_time: { seconds: 1795400000, nanos: 0 },
    update_time: { seconds: 1795400000, nanos: 0 },
  }).serializeBinary();
}

function householdEvent(id: string, eventId: string, before?: Household, after?: Household) {
  return {
    specversion: '1.0',
    id: eventId,
    type: 'google.cloud.firestore.document.v1.written',
    source: `//firestore.googleapis.com/projects/${projectId}/databases/(default)`,
    subject: `documents/households/${id}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/protobuf',
    project: projectId,
    location: 'asia-east2',
    database: '(default)',
    namespace: '(default)',
    document: `households/${id}`,
    data: encodeDocumentEventData(householdDocument(id, before), householdDocument(id, after)),
  };
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function inBatches<T>(
  items: T[],
  size: number,
  work: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await work(items.slice(i, i + size));
}

/** The trigger's structured logs would drown the figures: count them instead of printing them. */
let functionLogLines = 0;
for (const method of ['debug', 'info', 'log', 'warn', 'error'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('{"') && args[0].includes('"severity"'))
      functionLogLines++;
    else original(...args);
  };
}

async function main(): Promise<void> {
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${port}`;
  process.env.GCLOUD_PROJECT = projectId;
  process.env.FIREBASE_CONFIG = JSON.stringify({
    projectId,
    storageBucket: `${projectId}.appspot.com`,
  });
  const server = new LocalFirestore(projectId);
  await server.start(port);
  const counter = new OpCounter(server);
  const { initializeApp } = await import('firebase-admin/app');
  initializeApp({ projectId });
  const { getFirestore, FieldValue } = await import('firebase-admin/firestore');
  const db = getFirestore();
  const { onHouseholdWritten } = await import('../src/functions/onHouseholdWritten');
  const { rollUpFrom } = await import('../src/services/rollup');
  const deliver = (event: ReturnType<typeof householdEvent>) =>
    (onHouseholdWritten as unknown as (e: unknown) => Promise<void>)(event);

  // ---- 1. growth --------------------------------------------------------------------------
  console.log(
    '1. cost per event as one village grows (ours: trigger + its share of one rollup; naive: recount every level)',
  );
  console.log('   households   ours r/ev  ours w/ev   naive r/ev  naive w/ev');
  const growth: Array<{
    size: number;
    ours: { reads: number; writes: number };
    naive: { reads: number; writes: number };
  }> = [];
  const eventsPerSize = 20;
  for (const [index, size] of [10, 100, 1000, 10000].entries()) {
    const villageCode = `5205261090${String(index + 1).padStart(2, '0')}`;
    const households = new Map<string, Household>();
    for (let i = 0; i < size; i++)
      households.set(`g${size}-${i}`, { villageCode, onRoster: true, registered: false });
    await inBatches([...households], 400, async (chunk) => {
      const batch = db.batch();
      for (const [id, household] of chunk)
        batch.set(db.collection('households').doc(id), {
          ...regionFieldsOf(villageCode),
          ...household,
        });
      await batch.commit();
    });
    await db
      .collection('stats')
      .doc(villageCode)
      .set({
        ...regionFieldsOf(villageCode),
        code: villageCode,
        level: 'village',
        ...sumCounts([...households.values()].map(householdCounts)),
        updatedAt: FieldValue.serverTimestamp(),
      });
    const ids = [...households.keys()].slice(0, eventsPerSize);
    const events = ids.length;

    counter.reset();
    for (const id of ids) {
      const before = households.get(id) as Household;
      const after = { ...before, registered: true };
      households.set(id, after);
      await db.collection('households').doc(id).update({ registered: true });
      counter.writes--; // the source write itself is not the figures' cost
      await deliver(householdEvent(id, randomUUID(), before, after));
    }
    await rollUpFrom([villageCode]);
    const ours = { reads: counter.reads / events, writes: counter.writes / events };

    counter.reset();
    // The naive cost is the same for every event of a size: a few samples measure it.
    const naiveEvents = 3;
    for (let e = 0; e < naiveEvents; e++) {
      // Naive: on every write, recount the village and every region above it from the households.
      for (const code of [villageCode, ...ancestorsOf(villageCode)]) {
        const field = `${['province', 'city', 'county', 'township', 'village'][[2, 4, 6, 9, 12].indexOf(code.length)]}Code`;
        const rows = await db.collection('households').where(field, '==', code).get();
        const counts = sumCounts(rows.docs.map((doc) => householdCounts(doc.data() as Household)));
        await db.collection('naiveStats').doc(code).set(counts);
      }
      const rows = await db.collection('households').get();
      await db
        .collection('naiveStats')
        .doc('national')
        .set(sumCounts(rows.docs.map((doc) => householdCounts(doc.data() as Household))));
    }
    const naive = { reads: counter.reads / naiveEvents, writes: counter.writes / naiveEvents };
    growth.push({ size, ours, naive });
    console.log(
      `   ${String(size).padStart(10)}   ${ours.reads.toFixed(2).padStart(9)}  ${ours.writes.toFixed(2).padStart(9)}   ${naive.reads.toFixed(0).padStart(10)}  ${naive.writes.toFixed(2).padStart(10)}`,
    );
  }

  // ---- 2. load, simulated time ------------------------------------------------------------
  // Our writes: each event writes its own marker (unique) and its village's figures; once a
  // minute the rollup writes each region above a village that moved, once.
  function simulate(
    label: string,
    perSecond: number,
    seconds: number,
    villages: string[],
    seed: number,
  ) {
    const rand = random(seed);
    const perDocMinute = new Map<string, number>();
    const perDocSecond = new Map<string, number>();
    let peakSecond = 0;
    let naivePeak = 0;
    for (let minute = 0; minute < Math.ceil(seconds / 60); minute++) {
      const moved = new Set<string>();
      const minuteWrites = new Map<string, number>();
      for (let s = minute * 60; s < Math.min(seconds, (minute + 1) * 60); s++) {
        perDocSecond.clear();
        for (let e = 0; e < perSecond; e++) {
          const village = villages[Math.floor(rand() * villages.length)] as string;
          moved.add(village);
          perDocSecond.set(village, (perDocSecond.get(village) ?? 0) + 1);
          minuteWrites.set(village, (minuteWrites.get(village) ?? 0) + 1);
        }
        peakSecond = Math.max(peakSecond, ...perDocSecond.values());
        naivePeak = Math.max(naivePeak, perSecond); // the national document takes every event
      }
      for (const village of moved)
        for (const region of [...ancestorsOf(village), 'national']) minuteWrites.set(region, 1);
      for (const [doc, writes] of minuteWrites)
        perDocMinute.set(doc, Math.max(perDocMinute.get(doc) ?? 0, writes));
    }
    const sustained = Math.max(...perDocMinute.values()) / 60;
    console.log(
      `   ${label}: highest sustained writes/s on one document ${sustained.toFixed(3)} (peak second ${peakSecond}); naive ${naivePeak}/s on the national document`,
    );
    return sustained;
  }
  console.log(
    '2. write rate per document under load (simulated time, per-minute average; peak single second shown)',
  );
  const rand = random(7);
  const villagesIn = (
    province: string,
    cities: number,
    countiesPerCity: number,
    townshipsPerCounty: number,
    villagesPerTownship: number,
  ) => {
    const codes: string[] = [];
    for (let c = 1; c <= cities; c++)
      for (let k = 1; k <= countiesPerCity; k++)
        for (let t = 1; t <= townshipsPerCounty; t++)
          for (let v = 1; v <= villagesPerTownship; v++)
            codes.push(
              `${province}${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}${String(100 + t).padStart(3, '0')}${String(200 + v).padStart(3, '0')}`,
            );
    return codes;
  };
  const guizhou = villagesIn('52', 9, 10, 15, 7); // ≈ 9,450 poor villages
  const provinceBurst = simulate('100 writes/s in one province for 60 s', 100, 60, guizhou, 11);
  const national: string[] = [];
  for (let p = 11; p <= 65 && national.length < 128_000; p++)
    national.push(
      ...villagesIn(String(p), 6, 8, 12, 6 + Math.floor(rand() * 3)).slice(
        0,
        128_000 - national.length,
      ),
    );
  const nationalLoad = simulate(
    `500 writes/s over ${national.length} villages for 120 s`,
    500,
    120,
    national,
    13,
  );

  // Part 1's figures would count in the national total: start part 3 from an empty tree.
  const growthFigures = await db.collection('stats').where('provinceCode', '==', '52').get();
  await inBatches(growthFigures.docs, 400, async (chunk) => {
    const batch = db.batch();
    for (const doc of chunk) batch.delete(doc.ref);
    batch.delete(db.collection('stats').doc('national'));
    await batch.commit();
  });

  // ---- 3. exactness -------------------------------------------------------------------------
  console.log(
    '3. exactness: 100,000 households, 10,000 events, 10 % delivered twice, random order',
  );
  const exactRand = random(2026);
  const exactVillages = villagesIn('53', 2, 4, 6, 9); // 432 villages of ≈ 231 households
  const population = new Map<string, Household>();
  for (let i = 0; i < 100_000; i++) {
    const villageCode = exactVillages[i % exactVillages.length] as string;
    population.set(`x${i}`, {
      villageCode,
      onRoster: exactRand() < 0.97,
      registered: exactRand() < 0.6,
    });
  }
  const initial = new Map<string, Household[]>();
  for (const household of population.values())
    initial.set(household.villageCode, [...(initial.get(household.villageCode) ?? []), household]);
  await inBatches([...initial], 400, async (chunk) => {
    const batch = db.batch();
    for (const [villageCode, members] of chunk) {
      batch.set(db.collection('stats').doc(villageCode), {
        ...regionFieldsOf(villageCode),
        code: villageCode,
        level: 'village',
        ...sumCounts(members.map(householdCounts)),
        updatedAt: FieldValue.serverTimestamp(),
      });
    }
    await batch.commit();
  });
  const events: Array<ReturnType<typeof householdEvent>> = [];
  const ids = [...population.keys()];
  for (let e = 0; e < 10_000; e++) {
    const id = ids[Math.floor(exactRand() * ids.length)] as string;
    const before = population.get(id) as Household;
    const roll = exactRand();
    const after =
      roll < 0.7
        ? { ...before, registered: !before.registered }
        : roll < 0.9
          ? { ...before, onRoster: !before.onRoster }
          : {
              ...before,
              villageCode: exactVillages[Math.floor(exactRand() * exactVillages.length)] as string,
            };
    population.set(id, after);
    events.push(householdEvent(id, randomUUID(), before, after));
  }
  const deliveries = [...events, ...events.filter(() => exactRand() < 0.1)];
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(exactRand() * (i + 1));
    [deliveries[i], deliveries[j]] = [
      deliveries[j] as (typeof deliveries)[number],
      deliveries[i] as (typeof deliveries)[number],
    ];
  }
  const started = Date.now();
  await inBatches(deliveries, 8, (chunk) => Promise.all(chunk.map(deliver)));
  const touched = new Set(events.map((event) => event.document));
  await rollUpFrom(exactVillages);
  console.log(
    `   delivered ${deliveries.length} events (${deliveries.length - events.length} duplicates) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${touched.size} households changed`,
  );

  const recount = new Map<string, ReturnType<typeof sumCounts>>();
  for (const household of population.values()) {
    for (const code of [household.villageCode, ...ancestorsOf(household.villageCode), 'national']) {
      recount.set(code, sumCounts([recount.get(code) ?? {}, householdCounts(household)]));
    }
  }
  let mismatches = 0;
  for (const [code, expected] of recount) {
    const kept = (await db.collection('stats').doc(code).get()).data() ?? {};
    for (const field of ['rosterHouseholds', 'registeredHouseholds'] as const) {
      if (Number(kept[field] ?? 0) !== expected[field]) {
        mismatches++;
        console.log(
          `   mismatch ${code} ${field}: kept ${kept[field]}, recount ${expected[field]}`,
        );
      }
    }
  }
  console.log(
    `   ${recount.size} regions compared (villages to national): ${mismatches} mismatches`,
  );

  console.log(`   (${functionLogLines} structured log lines from the functions, not printed)`);
  server.stop();
  const at10 = growth[0] as (typeof growth)[number];
  const at10000 = growth[growth.length - 1] as (typeof growth)[number];
  const result = {
    reads_ratio: Number((at10000.ours.reads / at10000.naive.reads).toPrecision(3)),
    writes_per_event: Number(at10000.ours.writes.toFixed(2)),
    ops_per_write_10: Number((at10.ours.reads + at10.ours.writes).toFixed(2)),
    ops_per_write_10000: Number((at10000.ours.reads + at10000.ours.writes).toFixed(2)),
    max_doc_writes_per_s: Number(Math.max(provinceBurst, nationalLoad).toFixed(3)),
    mismatches,
    households: population.size,
    events: events.length,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
