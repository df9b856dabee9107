import { z } from 'zod';
import { couriers, effectiveStatus } from '../domain/goods';
import { docIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { giftColumnsOf, pledgeClockOfSnapshot } from '../services/donations';
import { collections, db } from '../services/db';
import { needForAction } from '../services/needs';
import { objectStore } from '../services/objectStore';

export const listNeedDonationsInput = z.strictObject({ needId: docIdSchema });

/** A goods photo link lasts this long: enough to look at while the cadre records the hand-over. */
const photoLinkTtlMs = 10 * 60_000;

/**
 * What donors gave to one of the village's needs, for the cadres who receive it: who (name and
 * unit, as printed on certificates — never a phone: a face-to-face donor's phone is asked for one
 * by one through getGoodsContact, which logs it), what, how it travels, and where it stands, so
 * they can record the hand-over (recordHandover) and the household's receipt (confirmReceipt).
 */
export const listNeedDonations = untypedCallable({
  name: 'listNeedDonations',
  input: listNeedDonationsInput,
  roles: ['village_admin', 'helper'],
  handler: async ({ needId }, caller) => {
    await needForAction('listNeedDonations', caller, needId);
    const page = await db().collection(collections.donations).where('needId', '==', needId).get();
    const courierLabel = new Map(couriers.map((courier) => [courier.id, courier.label]));
    const nowMs = Date.now();
    const donations = await Promise.all(
      page.docs.map(async (doc) => {
        const delivery = doc.get('delivery') as
          | { method: 'express' | 'in_person'; courier?: string; trackingNumber?: string }
          | undefined;
        const photo = doc.get('photo') as { thumbPath: string } | undefined;
        return {
          id: doc.id,
          ...giftColumnsOf(doc),
          // A pledge past its time is shown lapsed at once, as every other read shows it.
          status: effectiveStatus(pledgeClockOfSnapshot(doc), nowMs),
          handover: {
            recipientConfirmed: doc.get('handover.recipientConfirmed') === true,
            donorConfirmed: doc.get('handover.donorConfirmed') === true,
          },
          donorName: String(doc.get('donorName') ?? ''),
          donorUnit: String(doc.get('donorUnit') ?? ''),
          delivery: delivery
            ? {
                method: delivery.method,
                courier: delivery.courier
                  ? (courierLabel.get(delivery.courier as never) ?? '')
                  : null,
                trackingNumber: delivery.trackingNumber ?? null,
              }
            : null,
          madeAt: doc.get('madeAt')?.toMillis?.() ?? 0,
          expiresAt: doc.get('expiresAt')?.toMillis?.() ?? null,
          photoUrl: photo
            ? await objectStore().signedReadUrl(photo.thumbPath, photoLinkTtlMs)
            : null,
        };
      }),
    );
    return { donations: donations.sort((a, b) => a.madeAt - b.madeAt) };
  },
});
