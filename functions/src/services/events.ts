import type { WriteBatch } from 'firebase-admin/firestore';
import { FieldValue } from 'firebase-admin/firestore';
import { collections, db, isAlreadyExists } from './db';
import { expireAtFromNow } from './requests';

/**
 * Exactly-once effects for at-least-once triggers: the effect's writes and a `create()` of a
 * marker keyed by function name + event id go in one atomic batch. A redelivered event fails the
 * marker's precondition, so the whole batch — effect included — is rolled back.
 * Returns false when the event had already been applied.
 */
export async function commitOnce(
  fn: string,
  eventId: string,
  addEffects: (batch: WriteBatch) => void,
): Promise<boolean> {
  const batch = db().batch();
  batch.create(db().collection(collections.eventMarkers).doc(`${fn}_${eventId}`), {
    fn,
    at: FieldValue.serverTimestamp(),
    expireAt: expireAtFromNow(),
  });
  addEffects(batch);
  try {
    await batch.commit();
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}
