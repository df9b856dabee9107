import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { getAllOf } from '../../data/converter';
import { applicationDocs, roundDocs } from '../../data/identification';
import { evidencePhotoDocs } from '../../data/needs';
import { callable, deny } from '../../lib/callable';
import { appendStep, logMove, authorOf } from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/**
 * 入户调查: the village's working group (its administrator or a helper of the village) records what
 * it found against the application, aspect by aspect (seed 002's 五比五看), with evidence photos
 * through the evidence pipeline. Allowed while the round collects; a later survey of the same
 * application supersedes the earlier, which stays in the record as its step.
 */
export const recordSurvey = callable({
  name: 'recordSurvey',
  roles: ['village_admin', 'helper'],
  handler: async (
    { requestId, applicationId, visitedOn, findings, eligible, photoIds },
    caller,
  ) => {
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    let movedRound = '';
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('recordSurvey', caller.uid, requestId, async (batch) => {
          const snapshot = await applicationDocs().doc(applicationId).get();
          const application = snapshot.data();
          if (!application || application.villageCode !== caller.region) {
            deny('recordSurvey', caller.uid);
          }
          movedRound = application.roundId;
          const roundSnapshot = await roundDocs().doc(application.roundId).get();
          const stage = roundSnapshot.data()?.stage;
          if (
            stage !== 'collecting' ||
            (application.status !== 'filed' && application.status !== 'surveyed')
          ) {
            throw new HttpsError('failed-precondition', '该申请已进入评议，不能再登记入户调查', {
              reason: 'stage',
            });
          }
          const photos = await getAllOf(photoIds.map((id) => evidencePhotoDocs().doc(id)));
          const problems: Array<{ path: string; code: string }> = [];
          photos.forEach((photo, index) => {
            const data = photo.data();
            const foreign = caller.role === 'helper' && data?.uploaderUid !== caller.uid;
            const taken =
              data?.needId !== undefined ||
              (photo.get('applicationId') ?? applicationId) !== applicationId;
            if (!data || data.villageCode !== caller.region || foreign || taken) {
              problems.push({ path: `photoIds.${index}`, code: 'evidence_unknown' });
            } else if (data.status === 'quarantined') {
              problems.push({ path: `photoIds.${index}`, code: 'evidence_quarantined' });
            }
          });
          if (problems.length > 0) {
            throw new HttpsError('invalid-argument', '照片无法使用，请重新拍摄上传', {
              issues: problems,
            });
          }
          for (const photo of photos) {
            batch.update(photo.ref, { applicationId }, unchanged(photo));
          }
          batch.update(
            snapshot.ref,
            {
              status: 'surveyed',
              survey: { visitedOn, eligible, findings, photoIds, by: caller.uid },
              updatedAt: FieldValue.serverTimestamp(),
            },
            unchanged(snapshot),
          );
          // The round must still be collecting when the survey is written.
          batch.update(
            roundSnapshot.ref,
            { updatedAt: FieldValue.serverTimestamp() },
            unchanged(roundSnapshot),
          );
          appendStep(batch, {
            roundId: application.roundId,
            villageCode: application.villageCode,
            applicationId,
            kind: 'surveyed',
            author,
            decision: eligible ? 'eligible' : 'not_eligible',
            detail: { visitedOn, findings, photoIds },
          });
          return { applicationId, status: 'surveyed' as const };
        }),
      { message: '该申请刚被他人更新，请刷新后重试' },
    );
    logMove('recordSurvey', replayed, caller.uid, movedRound);
    return result;
  },
});
