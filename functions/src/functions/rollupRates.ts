import { Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { logs } from '../logs';
import { rollupStateDocs } from '../data/households';
import { rollUpFrom, villagesChangedSince } from '../services/rollup';

/** The one document of the rollup's state. */
const cursorId = 'cursor';
/** Village writes still in flight when a run starts are caught by the next run's overlap. */
const overlapMs = 10_000;

/**
 * Township, county, city, province and national figures, from the villages whose figures moved
 * since the last run. Villages are exact at every write; regions above them are at most a minute
 * behind, and each region document takes one write a minute whatever the burst below it.
 * Second delivery: a recomputation from the children, so running twice changes nothing.
 */
export const rollupRates = onSchedule(
  { schedule: 'every 1 minutes', timeoutSeconds: 300, retryCount: 0 },
  async () => {
    const startedAt = Date.now();
    const cursor = rollupStateDocs().doc(cursorId);
    const since = (await cursor.get()).data()?.lastRunAt ?? Timestamp.fromMillis(0);
    const villages = await villagesChangedSince(since);
    const writes = villages.length > 0 ? await rollUpFrom(villages) : 0;
    await cursor.set({ lastRunAt: Timestamp.fromMillis(startedAt - overlapMs) });
    logs.rollupRan(villages.length, writes, Date.now() - startedAt);
  },
);
