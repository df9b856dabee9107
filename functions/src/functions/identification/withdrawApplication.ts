import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { applicationDocs } from '../../data/identification';
import { callable, deny } from '../../lib/callable';
import {
  appendStep,
  logMove,
  authorOf,
  releaseClaims,
  roundForMove,
} from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/**
 * The village takes an application off its list, with reasons: while it collects (the household
 * withdrew, moved away), or when the township or county returned the list naming a household.
 */
export const withdrawApplication = callable({
  name: 'withdrawApplication',
  roles: ['village_admin'],
  handler: async ({ requestId, applicationId, reasons }, caller) => {
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    let movedRound = '';
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('withdrawApplication', caller.uid, requestId, async (batch) => {
          const snapshot = await applicationDocs().doc(applicationId).get();
          const application = snapshot.data();
          if (!application || application.villageCode !== caller.region) {
            deny('withdrawApplication', caller.uid);
          }
          movedRound = application.roundId;
          const { snapshot: roundSnapshot } = await roundForMove(
            'withdrawApplication',
            caller,
            application.roundId,
            'withdraw',
          );
          if (!['filed', 'surveyed', 'listed'].includes(application.status)) {
            throw new HttpsError('failed-precondition', '该申请已不在名单上', {
              reason: 'not_open',
            });
          }
          batch.update(
            snapshot.ref,
            {
              status: 'removed',
              statusReason: `村里移出名单：${reasons}`,
              updatedAt: FieldValue.serverTimestamp(),
            },
            unchanged(snapshot),
          );
          await releaseClaims(batch, applicationId);
          batch.update(
            roundSnapshot.ref,
            { updatedAt: FieldValue.serverTimestamp() },
            unchanged(roundSnapshot),
          );
          appendStep(batch, {
            roundId: application.roundId,
            villageCode: application.villageCode,
            applicationId,
            kind: 'withdrawn',
            author,
            reasons,
          });
          return { applicationId, status: 'removed' as const };
        }),
      { message: '该申请刚被他人更新，请刷新后重试' },
    );
    logMove('withdrawApplication', replayed, caller.uid, movedRound);
    return result;
  },
});
