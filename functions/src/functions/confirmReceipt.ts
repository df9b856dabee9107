import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { moneyCovered } from '../domain/funding';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { assertGoodsArrived } from '../services/goods';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';
import { fundingOfNeed } from '../services/settlement';

/**
 * Records the household's confirmation of receipt: a matched need becomes fulfilled (and counts
 * in the fulfilled rate). Only the village's administrator or the household's helper records it.
 */
export const confirmReceipt = callable({
  name: 'confirmReceipt',
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, needId, receivedOn }, caller) => {
    const { result } = await retryOnConflict(() =>
      runOnce('confirmReceipt', caller.uid, requestId, async (batch) => {
        const { ref, snapshot, need, status } = await needForAction(
          'confirmReceipt',
          caller,
          needId,
        );
        assertTransition(status, 'fulfilled', caller);
        // Goods: fulfilled only when every item asked for has arrived (recorded pledge by pledge).
        await assertGoodsArrived(snapshot);
        // Money: the household confirms the whole amount, accepted in full.
        if (need.kind === 'money' && !moneyCovered(fundingOfNeed(snapshot))) {
          throw new HttpsError('failed-precondition', '善款尚未筹满，不能登记为已收到', {
            reason: 'not_covered',
          });
        }
        batch.update(
          ref,
          {
            status: 'fulfilled',
            receipt: { receivedOn, recordedBy: caller.uid },
            fulfilledAt: FieldValue.serverTimestamp(),
            updatedAt: FieldValue.serverTimestamp(),
          },
          unchanged(snapshot),
        );
        logs.needMoved('confirmReceipt', needId, caller.region, status, 'fulfilled', caller.uid);
        return { needId, status: 'fulfilled' as const };
      }),
    );
    return result;
  },
});
