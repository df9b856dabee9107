import { FieldValue } from 'firebase-admin/firestore';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/** The village administrator takes a submitted need into the in-person review (入户审核). */
export const startNeedReview = callable({
  name: 'startNeedReview',
  roles: ['village_admin'],
  handler: async ({ requestId, needId }, caller) => {
    const { result } = await retryOnConflict(() =>
      runOnce('startNeedReview', caller.uid, requestId, async (batch) => {
        const { ref, snapshot, status } = await needForAction('startNeedReview', caller, needId);
        if (status === 'under_review') return { needId, status };
        assertTransition(status, 'under_review', caller);
        batch.update(
          ref,
          { status: 'under_review', updatedAt: FieldValue.serverTimestamp() },
          unchanged(snapshot),
        );
        logs.needMoved(
          'startNeedReview',
          needId,
          caller.region,
          status,
          'under_review',
          caller.uid,
        );
        return { needId, status: 'under_review' as const };
      }),
    );
    return result;
  },
});
