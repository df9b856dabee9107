import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { moneyCovered } from '../domain/funding';
import { docIdSchema, requestIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { logs } from '../logs';
import { assertGoodsArrived } from '../services/goods';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';
import { fundingOfNeed } from '../services/settlement';

export const confirmReceiptInput = z.strictObject({
  requestId: requestIdSchema,
  needId: docIdSchema,
  /** The day the household confirmed receipt, China time. */
  receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

/**
 * Records the household's confirmation of receipt: a matched need becomes fulfilled (and counts
 * in the fulfilled rate). Only the village's administrator or the household's helper records it.
 */
export const confirmReceipt = untypedCallable({
  name: 'confirmReceipt',
  input: confirmReceiptInput,
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, needId, receivedOn }, caller) => {
    const { result } = await retryOnConflict(() =>
      runOnce('confirmReceipt', caller.uid, requestId, async (batch) => {
        const { ref, snapshot, status } = await needForAction('confirmReceipt', caller, needId);
        assertTransition(status, 'fulfilled', caller);
        // Goods: fulfilled only when every item asked for has arrived (recorded pledge by pledge).
        await assertGoodsArrived(snapshot);
        // Money: the household confirms the whole amount, accepted in full.
        if (snapshot.get('kind') === 'money' && !moneyCovered(fundingOfNeed(snapshot))) {
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
