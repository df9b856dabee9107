import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { canDonationMove, movedTo } from '../domain/donation';
import { effectiveStatus, pledgeClockOf } from '../domain/goods';
import { callable } from '../lib/callable';
import { ownGoodsDonation } from '../services/goods';
import { retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * The donor's own confirmation of a face-to-face hand-over (我的捐助 → 我已当面交付): the donor's
 * side, which no cadre can tick for them. Delivered once the household's side is recorded too
 * (recordHandover), whichever comes first. Idempotent: a second tap answers the same.
 */
export const confirmHandover = callable({
  name: 'confirmHandover',
  roles: ['donor'],
  handler: async ({ requestId, donationId }, caller) =>
    retryOnConflict(async () => {
      const { result } = await runOnce('confirmHandover', caller.uid, requestId, async (batch) => {
        const { snapshot, donation } = await ownGoodsDonation(caller.uid, donationId);
        if (donation.delivery?.method !== 'in_person') {
          throw new HttpsError(
            'failed-precondition',
            '快递寄出的物品由村里登记收货，无需您确认交接',
          );
        }
        const status = effectiveStatus(pledgeClockOf(donation), Date.now());
        const recipientConfirmed = donation.handover?.recipientConfirmed === true;
        if (status === 'delivered' || donation.handover?.donorConfirmed === true) {
          return {
            donationId,
            status,
            awaiting: status === 'delivered' ? null : ('recipient' as const),
          };
        }
        if (status === 'pending') {
          throw new HttpsError('failed-precondition', '这笔认捐还在确认中，请稍后再试', {
            status,
          });
        }
        if (!canDonationMove('goods', status, 'delivered', 'donor')) {
          throw new HttpsError(
            'failed-precondition',
            status === 'expired'
              ? '这笔认捐已过期，不能再确认交接；如仍想帮助，请重新认捐'
              : '这笔捐助已结束，不能确认交接',
            { status },
          );
        }
        batch.update(
          snapshot.ref,
          {
            'handover.donorConfirmed': true,
            'handover.donorConfirmedAt': FieldValue.serverTimestamp(),
            ...(recipientConfirmed
              ? {
                  status: movedTo('goods', status, 'delivered', 'donor'),
                  deliveredAt: FieldValue.serverTimestamp(),
                }
              : {}),
          },
          unchanged(snapshot),
        );
        return {
          donationId,
          status: recipientConfirmed ? ('delivered' as const) : status,
          awaiting: recipientConfirmed ? null : ('recipient' as const),
        };
      });
      return result;
    }),
});
