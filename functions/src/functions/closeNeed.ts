import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { needStatusLabels } from '../domain/need/status';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * The village administrator closes (结束) a fulfilled need: the household confirmed receipt, and
 * the need leaves the village's working list while it keeps counting as published, matched and
 * fulfilled. The move is conditional on the need being as read, so a refund that uncovers the need
 * meanwhile (the settlement moves it back to published) makes this read again and refuse.
 */
export const closeNeed = callable({
  name: 'closeNeed',
  roles: ['village_admin'],
  handler: async ({ requestId, needId }, caller) => {
    const { result } = await retryOnConflict(() =>
      runOnce('closeNeed', caller.uid, requestId, async (batch) => {
        const { ref, snapshot, status } = await needForAction('closeNeed', caller, needId);
        if (status !== 'fulfilled') {
          // Not the generic refusal: the cadre learns what has to happen before closing.
          throw new HttpsError(
            'failed-precondition',
            `该需求当前为「${needStatusLabels[status]}」，只有受助户已确认收到（已完成）的需求才能结束；请先登记受助户确认收到，或刷新后查看`,
            { from: status, to: 'closed' },
          );
        }
        assertTransition(status, 'closed', caller);
        batch.update(
          ref,
          {
            status: 'closed',
            closedBy: caller.uid,
            closedAt: FieldValue.serverTimestamp(),
            updatedAt: FieldValue.serverTimestamp(),
          },
          unchanged(snapshot),
        );
        logs.needMoved('closeNeed', needId, caller.region, status, 'closed', caller.uid);
        return { needId, status: 'closed' as const };
      }),
    );
    return result;
  },
});
