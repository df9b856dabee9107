import type { WriteBatch } from 'firebase-admin/firestore';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { z } from 'zod';
import { timestampField, typedCollection } from '../data/converter';
import { collections, db, isAlreadyExists } from './db';

/**
 * How long a stored result (`requests`) and an event marker (`eventMarkers`) are kept before
 * Firestore's TTL policy on `expireAt` deletes them (firestore.indexes.json). Eventarc redelivers a
 * `retry: true` event for up to 7 days; the web client resends a pending submission until the
 * server answers, in practice within the session or when the phone is next online: 30 days covers
 * both with room. A retry later than that is taken as a new submission.
 */
export const idempotencyRetentionDays = 30;

/** When a record written now may be deleted; TTL deletes typically within a day after it. */
export function expireAtFromNow(): Timestamp {
  return Timestamp.fromMillis(Date.now() + idempotencyRetentionDays * 24 * 60 * 60 * 1000);
}

/** A stored result; records written before the TTL have no `expireAt`. */
const storedRequestSchema = z.looseObject({
  fn: z.string(),
  uid: z.string(),
  result: z.record(z.string(), z.unknown()),
  at: timestampField,
  expireAt: timestampField.optional(),
});
const storedRequests = typedCollection(collections.requests, storedRequestSchema);

/**
 * Idempotent callables. A client sends a request id with each submission and reuses it on retry
 * (a `deadline-exceeded` may arrive after the work was done). The stored result is created in
 * the same batch as the effect, so a request either has both or neither; a retry gets the stored
 * result back, and a concurrent duplicate loses the `create()` race and reads the winner's result.
 */
export async function runOnce<R extends Record<string, unknown>>(
  fn: string,
  uid: string,
  requestId: string,
  work: (batch: WriteBatch) => Promise<R>,
): Promise<{ result: R; replayed: boolean }> {
  const ref = storedRequests().doc(`${uid}_${fn}_${requestId}`);
  // The stored result was returned by this same function for this same request id: it has the
  // answer's type by construction (the schema checks the record around it).
  const stored = (await ref.get()).data();
  if (stored) return { result: stored.result as R, replayed: true };
  const batch = db().batch();
  const result = await work(batch);
  batch.create(ref, {
    fn,
    uid,
    result,
    at: FieldValue.serverTimestamp(),
    expireAt: expireAtFromNow(),
  });
  try {
    await batch.commit();
    return { result, replayed: false };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    // Either a concurrent duplicate stored its result first, or another create() in the effect
    // found its document: only the first is a replay.
    const winner = (await ref.get()).data();
    if (!winner) throw error;
    return { result: winner.result as R, replayed: true };
  }
}
