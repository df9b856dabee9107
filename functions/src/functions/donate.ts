import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { movedTo } from '../domain/donation';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { donationDocs } from '../data/money';
import { runOnce } from '../services/requests';
import { needOpenForGift } from '../services/donations';

/**
 * 帮助TA with money: the donor gives an amount in fen to a published money need. A retry with the
 * same request id returns the same donation, never a second one. A need already covered, or an
 * amount beyond what it still lacks, is refused with `failed-precondition`. The gift is made
 * `pending`: onDonationWritten decides it (pledged and held until paid, or declined) against the need as it is when it settles — donors
 * racing for the last of a need, or a withdrawal racing the gift, are settled there (declined
 * `need_covered` or `need_closed`), conditionally on the need being unchanged since its read.
 * The donor says how they will pay (`method`): Alipay (startPayment), or a bank transfer to the
 * household (getTransferAccount; the village administrator records its arrival).
 */
export const donate = callable({
  name: 'donate',
  roles: ['donor'],
  handler: async ({ requestId, needId, amountFen, method }, caller) => {
    const { result } = await runOnce('donate', caller.uid, requestId, async (batch) => {
      const { need, giver } = await needOpenForGift(needId, 'money', caller.uid);
      // What is raised and what other donors' pledges hold are both out of reach.
      const remainingFen = need.amountFen - (need.raisedFen ?? 0) - (need.heldFen ?? 0);
      if (remainingFen <= 0)
        throw new HttpsError('failed-precondition', '该需求已筹满', { remainingFen: 0 });
      if (amountFen > remainingFen) {
        throw new HttpsError('failed-precondition', '捐助金额超过该需求尚缺的金额', {
          remainingFen,
        });
      }
      const ref = donationDocs().doc();
      batch.create(ref, {
        needId,
        donorUid: caller.uid,
        kind: 'money',
        amountFen,
        method,
        status: movedTo('money', null, 'pending', 'donor'),
        ...giver,
        villageCode: need.villageCode,
        townshipCode: need.townshipCode,
        madeAt: FieldValue.serverTimestamp(),
      });
      logs.donationMade(ref.id, needId, caller.uid, amountFen);
      return { donationId: ref.id, needId, amountFen, status: 'pending' as const };
    });
    return result;
  },
});
