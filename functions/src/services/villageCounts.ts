import { FieldValue, type WriteBatch } from 'firebase-admin/firestore';
import type { Counts } from '../domain/rates';
import { regionFieldsOf } from '../domain/regions';
import { collections, db } from './db';

/**
 * Adds one event's per-village count deltas to a batch. Village figures are kept as counts
 * (rates are derived when read) and carry their region code fields, so the rollup can find
 * every village of a township with one equality.
 */
export function addVillageDeltas(batch: WriteBatch, deltas: Map<string, Partial<Counts>>): void {
  for (const [villageCode, delta] of deltas) {
    const increments = Object.fromEntries(
      Object.entries(delta).map(([field, by]) => [field, FieldValue.increment(by)]),
    );
    batch.set(
      db().collection(collections.stats).doc(villageCode),
      {
        ...regionFieldsOf(villageCode),
        code: villageCode,
        level: 'village',
        ...increments,
        updatedAt: FieldValue.serverTimestamp(),
      },
      { merge: true },
    );
  }
}
