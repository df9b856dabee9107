import { z } from 'zod';
import { effectiveStatus, pledgeClockOf } from '../domain/goods';
import { untypedCallable } from '../lib/callable';
import { collections, db } from '../services/db';
import { giftColumnsOf } from '../services/donations';

export const listMyDonationsInput = z.strictObject({});

/** A donor's own donations, newest first, with what became of each. */
export const listMyDonations = untypedCallable({
  name: 'listMyDonations',
  input: listMyDonationsInput,
  roles: ['donor'],
  handler: async (_input, caller) => {
    const page = await db()
      .collection(collections.donations)
      .where('donorUid', '==', caller.uid)
      .get();
    const nowMs = Date.now();
    const donations = page.docs
      .map((doc) => ({
        id: doc.id,
        needId: String(doc.get('needId')),
        ...giftColumnsOf(doc),
        // A goods pledge past its time reads as lapsed at once (domain/goods.ts effectiveStatus).
        status: effectiveStatus(pledgeClockOf(doc), nowMs),
        expiresAt: doc.get('expiresAt')?.toMillis?.() ?? null,
        delivery: (doc.get('delivery.method') as 'express' | 'in_person' | undefined) ?? null,
        handover:
          doc.get('kind') === 'goods'
            ? {
                recipientConfirmed: doc.get('handover.recipientConfirmed') === true,
                donorConfirmed: doc.get('handover.donorConfirmed') === true,
              }
            : null,
        madeAt: doc.get('madeAt')?.toMillis?.() ?? 0,
        maskedName: String(doc.get('maskedName') ?? ''),
        villageName: String(doc.get('villageName') ?? ''),
        certificateSerial: (doc.get('certificateSerial') as string | undefined) ?? null,
      }))
      .sort((a, b) => b.madeAt - a.madeAt);
    return { donations };
  },
});
