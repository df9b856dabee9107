import type { NeedDonation } from '../contract/needs';
import { donationDocs, millisOrNull } from '../data/money';
import { giftColumns, giftOf } from '../domain/donation';
import { couriers, effectiveStatus, pledgeClockOf } from '../domain/goods';
import { callable } from '../lib/callable';
import { needForAction } from '../services/needs';
import { objectStore } from '../services/objectStore';

/** A goods photo link lasts this long: enough to look at while the cadre records the hand-over. */
const photoLinkTtlMs = 10 * 60_000;

/**
 * What donors gave to one of the village's needs, for the cadres who receive it: who (name and
 * unit, as printed on certificates — never a phone: a face-to-face donor's phone is asked for one
 * by one through getGoodsContact, which logs it), what, how it travels, and where it stands, so
 * they can record the hand-over (recordHandover) and the household's receipt (confirmReceipt).
 */
export const listNeedDonations = callable({
  name: 'listNeedDonations',
  roles: ['village_admin', 'helper'],
  handler: async ({ needId }, caller) => {
    await needForAction('listNeedDonations', caller, needId);
    const page = await donationDocs().where('needId', '==', needId).get();
    const courierLabel = new Map<string, string>(
      couriers.map((courier) => [courier.id, courier.label]),
    );
    const nowMs = Date.now();
    const donations = await Promise.all(
      page.docs.map(async (doc): Promise<NeedDonation> => {
        const donation = doc.data();
        const { delivery, photo, handover } = donation;
        return {
          id: doc.id,
          ...giftColumns(giftOf(donation)),
          // A pledge past its time is shown lapsed at once, as every other read shows it.
          status: effectiveStatus(pledgeClockOf(donation), nowMs),
          handover: {
            recipientConfirmed: handover?.recipientConfirmed === true,
            donorConfirmed: handover?.donorConfirmed === true,
          },
          donorName: donation.donorName ?? '',
          donorUnit: donation.donorUnit ?? '',
          delivery: delivery
            ? {
                method: delivery.method,
                courier: delivery.courier ? (courierLabel.get(delivery.courier) ?? '') : null,
                trackingNumber: delivery.trackingNumber ?? null,
              }
            : null,
          madeAt: donation.madeAt?.toMillis() ?? 0,
          expiresAt: millisOrNull(donation.expiresAt),
          payBy:
            donation.kind === 'money' && donation.status === 'pledged'
              ? millisOrNull(donation.payBy)
              : null,
          method: donation.kind === 'money' ? (donation.method ?? 'alipay') : null,
          photoUrl: photo
            ? await objectStore().signedReadUrl(photo.thumbPath, photoLinkTtlMs)
            : null,
        };
      }),
    );
    return { donations: donations.sort((a, b) => a.madeAt - b.madeAt) };
  },
});
