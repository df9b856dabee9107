import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { applicationDocs, objectionDocs, roundDocs } from '../../data/identification';
import { objectionAnswerer } from '../../domain/identification';
import { isWithin } from '../../domain/regions';
import { callable, deny } from '../../lib/callable';
import { appendStep, logMove, authorOf, releaseClaims } from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/**
 * 异议答复: the village answers objections to its first notice, the township those to the second
 * (the list is then the township's). Upheld, the household leaves the list; dismissed, the reasons
 * are recorded. Either way the answer is final: a later objection is a new one.
 */
export const answerObjection = callable({
  name: 'answerObjection',
  roles: ['village_admin', 'township_admin'],
  handler: async ({ requestId, objectionId, decision, reasons }, caller) => {
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    let movedRound = '';
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('answerObjection', caller.uid, requestId, async (batch) => {
          const snapshot = await objectionDocs().doc(objectionId).get();
          const objection = snapshot.data();
          if (
            !objection ||
            objectionAnswerer[objection.stage] !== caller.role ||
            !isWithin(objection.villageCode, caller.region)
          ) {
            deny('answerObjection', caller.uid);
          }
          movedRound = objection.roundId;
          if (objection.status !== 'open') {
            throw new HttpsError('failed-precondition', '该异议已经答复过了', {
              reason: 'answered',
            });
          }
          const roundSnapshot = await roundDocs().doc(objection.roundId).get();
          const waiting = objection.stage === 'first' ? 'first_notice' : 'second_notice';
          if (roundSnapshot.data()?.stage !== waiting) {
            throw new HttpsError('failed-precondition', '该公示阶段已结束', { reason: 'stage' });
          }
          batch.update(
            snapshot.ref,
            {
              status: decision,
              reasons,
              answeredBy: caller.uid,
              answeredAt: FieldValue.serverTimestamp(),
            },
            unchanged(snapshot),
          );
          const application = await applicationDocs().doc(objection.applicationId).get();
          if (decision === 'upheld' && application.data()?.status === 'listed') {
            batch.update(
              application.ref,
              {
                status: 'removed',
                statusReason: `公示异议经核实成立：${reasons}`,
                updatedAt: FieldValue.serverTimestamp(),
              },
              unchanged(application),
            );
            await releaseClaims(batch, application.id);
          }
          batch.update(
            roundSnapshot.ref,
            { updatedAt: FieldValue.serverTimestamp() },
            unchanged(roundSnapshot),
          );
          appendStep(batch, {
            roundId: objection.roundId,
            villageCode: objection.villageCode,
            applicationId: objection.applicationId,
            kind: 'objection_answered',
            author,
            decision,
            reasons,
            detail: { objectionId },
          });
          return { objectionId, status: decision };
        }),
      { message: '该异议刚被他人处理，请刷新后查看' },
    );
    logMove('answerObjection', replayed, caller.uid, movedRound);
    return result;
  },
});
