import { FieldValue, type Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { isTakenUp } from '../domain/need/revalidation';
import {
  reviewDateBeforeSubmission,
  reviewNeedInput,
  type NeedReview,
} from '../domain/need/submission';
import { moneyCovered } from '../domain/funding';
import type { Caller } from '../domain/roles';
import { docIdSchema, requestIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { logs } from '../logs';
import { assertTransition, needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';
import { fundingOfNeed } from '../services/settlement';
import { assertGoodsArrived } from '../services/goods';

export const startNeedReviewInput = z.strictObject({
  requestId: requestIdSchema,
  needId: docIdSchema,
});

/** The village administrator takes a submitted need into the in-person review (入户审核). */
export const startNeedReview = untypedCallable({
  name: 'startNeedReview',
  input: startNeedReviewInput,
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

/**
 * Records the in-person review (date of the home visit, reviewer, opinion) and publishes or
 * rejects the need. Only the village's information administrator may, and only after the review
 * has been started: nothing is published unvisited. Every move of a need here is conditional on
 * the need being as read (`lastUpdateTime`): a withdrawal and a publication racing cannot both
 * be acknowledged; the loser reads again and is refused by the lifecycle table.
 */
export const reviewNeed = untypedCallable({
  name: 'reviewNeed',
  input: reviewNeedInput,
  roles: ['village_admin'],
  handler: async (input, caller) => {
    const { result } = await retryOnConflict(() => review(input, caller));
    return result;
  },
});

function review(input: NeedReview, caller: Caller) {
  return runOnce('reviewNeed', caller.uid, input.requestId, async (batch) => {
    const { ref, snapshot, status } = await needForAction('reviewNeed', caller, input.needId);
    const to = input.opinion === 'publish' ? 'published' : 'rejected';
    assertTransition(status, to, caller);
    const submittedAt = snapshot.get('submittedAt') as Timestamp | undefined;
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

export const withdrawNeedInput = z.strictObject({
  requestId: requestIdSchema,
  needId: docIdSchema,
});

/**
 * Withdraws a need: before publication its submitter or the administrator, after it the
 * administrator, and only while no gift has been accepted on it (accepted gifts are final and
 * certified: ops refunds them first). Gifts still pending when it is withdrawn are declined
 * `need_closed` by the settlement.
 */
export const withdrawNeed = untypedCallable({
  name: 'withdrawNeed',
  input: withdrawNeedInput,
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, needId }, caller) => {
    const { result } = await retryOnConflict(() =>
      runOnce('withdrawNeed', caller.uid, requestId, async (batch) => {
        const { ref, snapshot, status } = await needForAction('withdrawNeed', caller, needId);
        assertTransition(status, 'withdrawn', caller);
        if (isTakenUp(snapshot.data() ?? {})) {
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
