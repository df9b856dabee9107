import { HttpsError } from 'firebase-functions/v2/https';
import type { Caller } from '../domain/roles';
import { canTransition, isNeedStatus, type NeedStatus, type PublicNeedView } from '../domain/need';
import { deny } from '../lib/callable';
import { collections, db } from './db';

export { evidencePhotosCollection } from '../domain/photos/plan';
export const publicNeedsCollection = 'publicNeeds';

export type PublicNeed = PublicNeedView & { publishedAt: number };

/** What a client receives of a `publicNeeds` document: the view and when it was published. */
export function publicNeedOf(doc: FirebaseFirestore.DocumentSnapshot): PublicNeed {
  const publishedAt = doc.get('publishedAt') as FirebaseFirestore.Timestamp | undefined;
  return { ...(doc.get('view') as PublicNeedView), publishedAt: publishedAt?.toMillis() ?? 0 };
}

/**
 * Loads a need for a staff action and checks the caller's scope: only staff of the need's own
 * village act on it, and a helper only on needs they submitted. Missing and out-of-scope needs get
 * the same answer.
 */
export async function needForAction(fn: string, caller: Caller, needId: string) {
  const ref = db().collection(collections.needs).doc(needId);
  const snapshot = await ref.get();
  const inScope =
    snapshot.exists &&
    snapshot.get('villageCode') === caller.region &&
    (caller.role === 'village_admin' ||
      (caller.role === 'helper' && snapshot.get('submittedBy') === caller.uid));
  if (!inScope) deny(fn, caller.uid);
  const status = snapshot.get('status');
  if (!isNeedStatus(status))
    throw new HttpsError('failed-precondition', '需求状态异常，请联系管理员');
  return { ref, snapshot, status };
}

/** Refuses a move the lifecycle table does not allow for this role. */
export function assertTransition(from: NeedStatus, to: NeedStatus, caller: Caller): void {
  if (!canTransition(from, to, caller.role)) {
    throw new HttpsError('failed-precondition', `当前状态不能进行此操作`, { from, to });
  }
}
