import { Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { logs } from '../logs';
import { functionsRegion } from '../params';
import { db } from '../services/db';
import { rollUpFrom, villagesChangedSince } from '../services/rollup';

export const rollupCursor = 'rollupState/cursor';
/** Village writes still in flight when a run starts are caught by the next run's overlap. */
const overlapMs = 10_000;

/**
 * Township, county, city, province and national figures, from the villages whose figures moved
 * since the last run. Villages are exact at every write; regions above them are at most a minute
 * behind, and each region document takes one write a minute whatever the burst below it.
 * Second delivery: a recomputation from the children, so running twice changes nothing.
 */
export const rollupRates = onSchedule(
  { schedule: 'every 1 minutes', region: functionsRegion, timeoutSeconds: 300, retryCount: 0 },
  async () => {
    const startedAt = Date.now();
    const cursor = db().doc(rollupCursor);
    const last = (await cursor.get()).get('lastRunAt') as Timestamp | undefined;
    const since = last ?? Timestamp.fromMillis(0);
    const villages = await villagesChangedSince(since);
    const writes = villages.length > 0 ? await rollUpFrom(villages) : 0;
    await cursor.set({ lastRunAt: Timestamp.fromMillis(startedAt - overlapMs) });
    logs.rollupRan(villages.length, writes, Date.now() - startedAt);
  },
);
