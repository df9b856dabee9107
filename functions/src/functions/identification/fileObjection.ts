import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { applicationDocs, noticeDocs, objectionDocs, roundDocs } from '../../data/identification';
import { regionFieldsOf } from '../../domain/regions';
import { signedInRoles } from '../../domain/roles';
import { callable } from '../../lib/callable';
import { appendStep, logMove, windowOver } from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/** Enough for a villager with several concerns; a flood from one phone stops here. */
const maxObjectionsPerPhone = 10;

/**
 * 异议: anyone who has verified a phone number by SMS (no account, no profile) objects to a
 * household on a notice while its window is open. The phone is kept for the answer and never
 * shown to the village. The round waits for every objection to be answered before its next step.
 */
export const fileObjection = callable({
  name: 'fileObjection',
  roles: signedInRoles,
  handler: async ({ requestId, noticeId, applicationId, text }, caller, request) => {
    const phone = request.auth?.token.phone_number;
    if (typeof phone !== 'string' || phone === '') {
      throw new HttpsError('failed-precondition', '请先用手机号验证后再提出异议', {
        reason: 'phone_required',
      });
    }
    let movedRound = '';
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('fileObjection', caller.uid, requestId, async (batch) => {
          const notice = (await noticeDocs().doc(noticeId).get()).data();
          const roundSnapshot = notice ? await roundDocs().doc(notice.roundId).get() : undefined;
          const round = roundSnapshot?.data();
          if (!notice || !round || notice.stage === 'announcement' || round.noticeId !== noticeId) {
            throw new HttpsError('not-found', '没有找到这份公示，请核对链接');
          }
          const waiting = notice.stage === 'first' ? 'first_notice' : 'second_notice';
          if (windowOver(notice) || round.stage !== waiting) {
            throw new HttpsError(
              'failed-precondition',
              '公示期已结束，不能再在线提出异议；如有问题请拨打公示上的电话',
              {
                reason: 'window_closed',
              },
            );
          }
          if (!notice.entries.some((entry) => entry.applicationId === applicationId)) {
            throw new HttpsError('invalid-argument', '请从公示名单中选择您要反映的农户', {
              issues: [{ path: 'applicationId', code: 'not_on_notice' }],
            });
          }
          const mine = await objectionDocs()
            .where('noticeId', '==', noticeId)
            .where('objectorUid', '==', caller.uid)
            .get();
          if (mine.size >= maxObjectionsPerPhone) {
            throw new HttpsError(
              'resource-exhausted',
              '同一手机号对这份公示提出的异议已达上限，请拨打公示上的电话反映',
            );
          }
          movedRound = notice.roundId;
          const application = await applicationDocs().doc(applicationId).get();
          const ref = objectionDocs().doc();
          batch.create(ref, {
            ...regionFieldsOf(notice.villageCode),
            roundId: notice.roundId,
            noticeId,
            stage: notice.stage,
            applicationId,
            text,
            phone,
            objectorUid: caller.uid,
            status: 'open',
            reasons: null,
            answeredBy: null,
            filedAt: FieldValue.serverTimestamp(),
            answeredAt: null,
          });
          // Filed only while the round is still in this notice (not concluded meanwhile).
          batch.update(
            (roundSnapshot as FirebaseFirestore.DocumentSnapshot).ref,
            { updatedAt: FieldValue.serverTimestamp() },
            unchanged(roundSnapshot as FirebaseFirestore.DocumentSnapshot),
          );
          appendStep(batch, {
            roundId: notice.roundId,
            villageCode: notice.villageCode,
            applicationId: application.exists ? applicationId : null,
            kind: 'objection_filed',
            author: { byUid: caller.uid, byName: '群众（手机号已验证）', byRole: 'public' },
            detail: { objectionId: ref.id, noticeId },
          });
          return { objectionId: ref.id, receipt: ref.id.slice(0, 10).toUpperCase() };
        }),
      { message: '公示刚有变化，请刷新后重试' },
    );
    logMove('fileObjection', replayed, caller.uid, movedRound);
    return result;
  },
});
