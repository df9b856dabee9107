import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { noticeDocs } from '../../data/identification';
import { callable } from '../../lib/callable';
import {
  appendStep,
  logMove,
  applicationsOf,
  authorOf,
  openObjectionsOf,
  roundForMove,
  windowOver,
} from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/**
 * Sends a list up: the village its list to the township after the first notice (or after revising
 * a returned list), the township a list to the county after the second notice. A notice's list
 * goes up only once its window has ended and every objection to it is answered.
 */
export const submitList = callable({
  name: 'submitList',
  roles: ['village_admin', 'township_admin'],
  handler: async ({ requestId, roundId }, caller) => {
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('submitList', caller.uid, requestId, async (batch) => {
          const { snapshot, round, move } = await roundForMove(
            'submitList',
            caller,
            roundId,
            'submit',
          );
          if (move.from === 'first_notice' || move.from === 'second_notice') {
            const notice = round.noticeId
              ? (await noticeDocs().doc(round.noticeId).get()).data()
              : undefined;
            if (!notice || !windowOver(notice)) {
              const until = notice?.closesAt?.toDate().toISOString() ?? '';
              throw new HttpsError(
                'failed-precondition',
                '公示期未满 7 天，不能提前结束公示，请等公示期满后再上报',
                { reason: 'window_open', closesAt: until },
              );
            }
            const open = await openObjectionsOf(round.noticeId as string);
            if (open > 0) {
              throw new HttpsError(
                'failed-precondition',
                `还有 ${open} 条异议没有答复，请先答复再上报`,
                { reason: 'objections_open', open },
              );
            }
          }
          const listed = (await applicationsOf(roundId)).filter(
            (doc) => doc.data().status === 'listed',
          ).length;
          if (listed === 0) {
            throw new HttpsError('failed-precondition', '名单上没有农户，无法上报', {
              reason: 'list_empty',
            });
          }
          batch.update(
            snapshot.ref,
            { stage: move.to, updatedAt: FieldValue.serverTimestamp() },
            unchanged(snapshot),
          );
          appendStep(batch, {
            roundId,
            villageCode: round.villageCode,
            applicationId: null,
            kind: 'submitted',
            author,
            decision: move.to,
            detail: { listed },
          });
          return { roundId, stage: move.to };
        }),
      { message: '本村的识别名单刚有变化，请刷新后重试' },
    );
    logMove('submitList', replayed, caller.uid, roundId);
    return result;
  },
});
