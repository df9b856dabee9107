import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { reviewDateBeforeSubmission, type NeedReview } from '../domain/need/submission';
import type { Caller } from '../domain/roles';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * Records the in-person review (date of the home visit, reviewer, opinion) and publishes or
 * rejects the need. Only the village's information administrator may, and only after the review
 * has been started: nothing is published unvisited. Every move of a need here is conditional on
 * the need being as read (`lastUpdateTime`): a withdrawal and a publication racing cannot both
 * be acknowledged; the loser reads again and is refused by the lifecycle table.
 */
export const reviewNeed = callable({
  name: 'reviewNeed',
  roles: ['village_admin'],
  handler: async (input, caller) => {
    const { result } = await retryOnConflict(() => review(input, caller));
    return result;
  },
});

function review(input: NeedReview, caller: Caller) {
  return runOnce('reviewNeed', caller.uid, input.requestId, async (batch) => {
    const { ref, snapshot, need, status } = await needForAction('reviewNeed', caller, input.needId);
    const to = input.opinion === 'publish' ? ('published' as const) : ('rejected' as const);
    assertTransition(status, to, caller);
    const submittedAt = need.submittedAt;
    if (submittedAt && reviewDateBeforeSubmission(input.reviewDate, submittedAt.toDate())) {
      throw new HttpsError('invalid-argument', '入户审核日期不能早于提交日期', {
        issues: [{ path: 'reviewDate', code: 'review_before_submission' }],
      });
    }
    batch.update(
      ref,
      {
        status: to,
        review: {
          date: input.reviewDate,
          reviewerName: input.reviewerName,
          opinion: input.opinion,
          ...(input.opinion === 'reject' ? { reasonCodes: input.reasonCodes } : {}),
          ...(input.note ? { note: input.note } : {}),
        },
        reviewedBy: caller.uid,
        reviewedAt: FieldValue.serverTimestamp(),
        // The publication time donors see and "longest waiting first" counts from; no later
        // write (a gift, a re-validation) moves it.
        ...(to === 'published' ? { publishedAt: FieldValue.serverTimestamp() } : {}),
        updatedAt: FieldValue.serverTimestamp(),
      },
      unchanged(snapshot),
    );
    logs.needMoved('reviewNeed', input.needId, caller.region, status, to, caller.uid);
    return { needId: input.needId, status: to };
  });
}
