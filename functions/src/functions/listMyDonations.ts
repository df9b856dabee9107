import type { MyDonation } from '../contract/money';
import { donationDocs, millisOrNull } from '../data/money';
import { giftColumns, giftOf } from '../domain/donation';
import { effectiveStatus, pledgeClockOf } from '../domain/goods';
import { callable } from '../lib/callable';

/** A donor's own donations, newest first, with what became of each. */
export const listMyDonations = callable({
  name: 'listMyDonations',
  roles: ['donor'],
  handler: async (_input, caller) => {
    const page = await donationDocs().where('donorUid', '==', caller.uid).get();
    const nowMs = Date.now();
    const donations: MyDonation[] = page.docs
      .map((doc) => {
        const donation = doc.data();
        return {
          id: doc.id,
          needId: donation.needId,
          ...giftColumns(giftOf(donation)),
          // A goods pledge past its time reads as lapsed at once (domain/goods.ts effectiveStatus).
          status: effectiveStatus(pledgeClockOf(donation), nowMs),
          expiresAt: millisOrNull(donation.expiresAt),
          payBy:
            donation.kind === 'money' && donation.status === 'pledged'
              ? millisOrNull(donation.payBy)
              : null,
          method: donation.kind === 'money' ? (donation.method ?? 'alipay') : null,
          delivery: donation.delivery?.method ?? null,
          handover:
            donation.kind === 'goods'
              ? {
                  recipientConfirmed: donation.handover?.recipientConfirmed === true,
                  donorConfirmed: donation.handover?.donorConfirmed === true,
                }
              : null,
          madeAt: donation.madeAt?.toMillis() ?? 0,
          maskedName: donation.maskedName ?? '',
          villageName: donation.villageName ?? '',
          certificateSerial: donation.certificateSerial ?? null,
        };
      })
      .sort((a, b) => b.madeAt - a.madeAt);
    return { donations };
  },
});
