import { FieldValue } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { logs } from '../logs';
import { statsDocs, statsHistoryDocs } from '../data/households';
import { db } from '../services/db';

/** The calendar day in China (UTC+8, no daylight saving), as YYYYMMDD. */
function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Keeps each region's figures of the day for trend lines and the periodic 通报. Second delivery:
 * the document id is region + day, so a rerun overwrites the same snapshot.
 */
async function snapshotAll(at = new Date()): Promise<number> {
  const day = chinaDay(at);
  const stats = await statsDocs().get();
  let batch = db().batch();
  let pending = 0;
  for (const doc of stats.docs) {
    const { updatedAt: _updatedAt, ...figures } = doc.data();
    batch.set(statsHistoryDocs().doc(`${doc.id}_${day}`), {
      ...figures,
      day,
      takenAt: FieldValue.serverTimestamp(),
    });
    if (++pending === 400) {
      await batch.commit();
      batch = db().batch();
      pending = 0;
    }
  }
  if (pending > 0) await batch.commit();
  return stats.size;
}

export const snapshotRates = onSchedule(
  {
    schedule: 'every day 23:50',
    timeZone: 'Asia/Shanghai',
    timeoutSeconds: 1800,
  },
  async () => {
    logs.snapshotTaken(await snapshotAll());
  },
);
