import { HttpsError } from 'firebase-functions/v2/https';
import type { PublicNeed } from '../contract/needs';
import { householdDocs, regionDocs } from '../data/households';
import { needDocs, needOf, type PublicNeedDocument } from '../data/needs';
import type { Caller } from '../domain/roles';
import { maskName } from '../domain/need/names';
import {
  canTransition,
  isNeedStatus,
  needStatusLabels,
  type NeedStatus,
} from '../domain/need/status';
import { deny } from '../lib/callable';
import { isAlreadyExists } from './db';

/** What a client receives of a `publicNeeds` document: the view and when it was published. */
export function publicNeedFrom(document: PublicNeedDocument): PublicNeed {
  return { ...document.view, publishedAt: document.publishedAt.toMillis() };
}

/**
 * Whom a gift goes to, as donors and certificates name them: the household head masked by the
 * function the public projection uses, and the village's name. Read from the need's household and
 * village, not the projection, which a gift made at once after publication may find missing.
 * Undefined when either is missing.
 */
export async function recipientOfNeed(
  need: FirebaseFirestore.DocumentSnapshot,
): Promise<{ maskedName: string; villageName: string } | undefined> {
  const stored = needOf(need);
  if (!stored) return undefined;
  const { householdId, villageCode, headName: needHeadName } = stored;
  const [household, village] = await Promise.all([
    householdDocs().doc(householdId).get(),
    regionDocs().doc(villageCode).get(),
  ]);
  const headName = household.data()?.headName ?? needHeadName;
  const villageName = village.data()?.name;
  if (!headName || !villageName) return undefined;
  return { maskedName: maskName(headName), villageName };
}

/**
 * Loads a need for a staff action and checks the caller's scope: only staff of the need's own
 * village act on it, and a helper only on needs they submitted. Missing and out-of-scope needs get
 * the same answer.
 */
export async function needForAction(fn: string, caller: Caller, needId: string) {
  const ref = needDocs().doc(needId);
  const snapshot = await ref.get();
  const need = snapshot.data();
  const inScope =
    need !== undefined &&
    need.villageCode === caller.region &&
    (caller.role === 'village_admin' ||
      (caller.role === 'helper' && need.submittedBy === caller.uid));
  if (!need || !inScope) deny(fn, caller.uid);
  const status = need.status;
  if (!isNeedStatus(status))
    throw new HttpsError('failed-precondition', '需求状态异常，请联系管理员');
  return { ref, snapshot, need, status };
}

/** Firestore's gRPC codes for a stale `lastUpdateTime` precondition (and an aborted commit). */
const conflictCodes: ReadonlySet<unknown> = new Set([9, 10]);

/** A commit refused because a document changed since it was read. */
export function isConflict(error: unknown): boolean {
  return conflictCodes.has((error as { code?: unknown } | null)?.code);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a read-check-write whose writes carry `lastUpdateTime` preconditions on what it read,
 * again from the reads when another writer got there first, a bounded number of times (with a
 * random pause, so racing writers spread out). A callable's last failure is told to the caller
 * as a `failed-precondition` to refresh and retry; a trigger gets the conflict itself back, so
 * the platform delivers the event again.
 */
export async function retryOnConflict<T>(
  work: () => Promise<T>,
  {
    attempts = 12,
    callable = true,
    message = '需求状态已变更，请刷新后重试',
  }: { attempts?: number; callable?: boolean; message?: string } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (attempt >= attempts) {
        if (!callable) throw error;
        throw new HttpsError('failed-precondition', message, {
          reason: 'changed_meanwhile',
        });
      }
      await pause(Math.random() * Math.min(200, 5 * 2 ** attempt));
    }
  }
}

/**
 * A commit whose `create()` lost to a concurrent writer, told as a conflict: read again and redo
 * (retryOnConflict), now as an update of what the other created.
 */
export async function createdOrConflict<T>(commit: Promise<T>): Promise<T> {
  try {
    return await commit;
  } catch (error) {
    if (isAlreadyExists(error)) throw Object.assign(new Error('created meanwhile'), { code: 10 });
    throw error;
  }
}

/** The precondition of a write that holds only if the document is still as it was read. */
export const unchanged = (snapshot: FirebaseFirestore.DocumentSnapshot) => ({
  lastUpdateTime: snapshot.updateTime as FirebaseFirestore.Timestamp,
});

/** Refuses a move the lifecycle table does not allow for this role. */
export function assertTransition(from: NeedStatus, to: NeedStatus, caller: Caller): void {
  if (!canTransition(from, to, caller.role)) {
    // Often the loser of a race: say what the need is now, so the caller knows to refresh.
    throw new HttpsError(
      'failed-precondition',
      `该需求当前为「${needStatusLabels[from]}」，不能进行此操作，请刷新后查看`,
      { from, to },
    );
  }
}
