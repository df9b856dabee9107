import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { isTakenUp } from '../domain/need/revalidation';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * Withdraws a need: before publication its submitter or the administrator, after it the
 * administrator, and only while no gift has been accepted on it (accepted gifts are final and
 * certified: ops refunds them first). Gifts still pending when it is withdrawn are declined
 * `need_closed` by the settlement.
 */
export const withdrawNeed = callable({
  name: 'withdrawNeed',
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, needId }, caller) => {
    const { result } = await retryOnConflict(() =>
      runOnce('withdrawNeed', caller.uid, requestId, async (batch) => {
        const { ref, snapshot, need, status } = await needForAction('withdrawNeed', caller, needId);
        assertTransition(status, 'withdrawn', caller);
        if (isTakenUp(need)) {
          throw new HttpsError(
            'failed-precondition',
            '该需求已有爱心人士的捐助，不能撤回；请联系运维人员先办理退款',
            { reason: 'gifts_accepted' },
          );
        }
        batch.update(
          ref,
          { status: 'withdrawn', withdrawnBy: caller.uid, updatedAt: FieldValue.serverTimestamp() },
          unchanged(snapshot),
        );
        logs.needMoved('withdrawNeed', needId, caller.region, status, 'withdrawn', caller.uid);
        return { needId, status: 'withdrawn' as const };
      }),
    );
    return result;
  },
});
