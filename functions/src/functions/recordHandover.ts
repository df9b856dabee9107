import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { canDonationMove, movedTo } from '../domain/donation';
import { effectiveStatus, pledgeClockOf } from '../domain/goods';
import { callable } from '../lib/callable';
import { donationDocs, type StoredDonation } from '../data/money';
import { needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/** Whether a face-to-face hand-over still waits for the donor's own confirmation. */
function awaitingDonor(donation: StoredDonation) {
  return donation.delivery?.method === 'in_person' && donation.handover?.donorConfirmed !== true;
}

/**
 * The village administrator (or the household's helper) records that the household received the
 * goods. By express that delivers them. Face to face it is one side: the donation is delivered
 * when the donor, in 我的捐助, has confirmed too (confirmHandover), whichever comes first; until
 * then the hand-over is recorded and the pledge stops expiring. A delivered donation counts as
 * delivered on the need and earns its honour certificate.
 */
export const recordHandover = callable({
  name: 'recordHandover',
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, donationId, receivedOn }, caller) =>
    retryOnConflict(async () => {
      const { result } = await runOnce('recordHandover', caller.uid, requestId, async (batch) => {
        const ref = donationDocs().doc(donationId);
        const snapshot = await ref.get();
        const donation = snapshot.data();
        if (donation?.kind !== 'goods') {
          throw new HttpsError('not-found', '没有这笔物资捐助');
        }
        await needForAction('recordHandover', caller, donation.needId);
        const status = effectiveStatus(pledgeClockOf(donation), Date.now());
        if (status === 'pending') {
          throw new HttpsError('failed-precondition', '这笔认捐还在确认中，请稍后再登记', {
            status,
          });
        }
        const actor = caller.role === 'helper' ? 'helper' : 'village_admin';
        if (!canDonationMove('goods', status, 'delivered', actor)) {
          throw new HttpsError(
            'failed-precondition',
            status === 'expired'
              ? '这笔认捐已过期，物品已释放给其他爱心人士，不能登记送达；请请捐赠人重新认捐'
              : '这笔捐助不能登记为已送达',
            { status },
          );
        }
        const waiting = awaitingDonor(donation);
        const next = waiting ? 'shipped' : 'delivered';
        // Face to face, a pledge the donor already marked shipped stays so: no move to check.
        const written = next === status ? next : movedTo('goods', status, next, actor);
        batch.update(
          ref,
          {
            'handover.receivedOn': receivedOn,
            'handover.recordedBy': caller.uid,
            'handover.recipientConfirmed': true,
            'handover.recipientConfirmedAt': FieldValue.serverTimestamp(),
            // The goods are with the household: the pledge no longer lapses.
            tracking: true,
            status: written,
            ...(waiting ? {} : { deliveredAt: FieldValue.serverTimestamp() }),
          },
          unchanged(snapshot),
        );
        return {
          donationId,
          status: waiting ? ('shipped' as const) : ('delivered' as const),
          awaiting: waiting ? ('donor' as const) : null,
        };
      });
      return result;
    }),
});
