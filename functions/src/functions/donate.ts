import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { docIdSchema, requestIdSchema } from '../domain/validation/common';
import { amountFenSchema } from '../domain/validation/money';
import { untypedCallable } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { runOnce } from '../services/requests';
import { effectiveStatus, pledgeClockOf } from '../domain/goods';
import { publicNeedsCollection, recipientOfNeed } from '../services/needs';
import { openStatuses, type PublicNeedView } from '../domain/need';

export const donationsCollection = collections.donations;

export const donateInput = z.strictObject({
  requestId: requestIdSchema,
  needId: docIdSchema,
  amountFen: amountFenSchema,
});

/**
 * 帮助TA with money: the donor gives an amount in fen to a published money need. A retry with the
 * same request id returns the same donation, never a second one. A need already covered, or an
 * amount beyond what it still lacks, is refused with `failed-precondition`. The gift is made
 * `pending`: onDonationWritten decides it against the need as it is when it settles — donors
 * racing for the last of a need, or a withdrawal racing the gift, are settled there (declined
 * `need_covered` or `need_closed`), conditionally on the need being unchanged since its read.
 */
export const donate = untypedCallable({
  name: 'donate',
  input: donateInput,
  roles: ['donor'],
  handler: async ({ requestId, needId, amountFen }, caller) => {
    const { result } = await runOnce('donate', caller.uid, requestId, async (batch) => {
      const { need, giver } = await needOpenForGift(needId, 'money', caller.uid);
      const remainingFen = Number(need.get('amountFen')) - Number(need.get('raisedFen') ?? 0);
      if (remainingFen <= 0)
        throw new HttpsError('failed-precondition', '该需求已筹满', { remainingFen: 0 });
      if (amountFen > remainingFen) {
        throw new HttpsError('failed-precondition', '捐助金额超过该需求尚缺的金额', {
          remainingFen,
        });
      }
      const ref = db().collection(donationsCollection).doc();
      batch.create(ref, {
        needId,
        donorUid: caller.uid,
        kind: 'money',
        amountFen,
        status: 'pending',
        ...giver,
        villageCode: need.get('villageCode'),
        townshipCode: need.get('townshipCode'),
        madeAt: FieldValue.serverTimestamp(),
      });
      logs.donationMade(ref.id, needId, caller.uid, amountFen);
      return { donationId: ref.id, needId, amountFen, status: 'pending' };
    });
    return result;
  },
});

const wrongKind = {
  money: '该需求需要物品，不接受资金',
  goods: '该需求需要资金，请选择捐款',
} as const;

/**
 * A need a donor may give to now — published or matched, asking for this kind of gift — and who
 * gives to whom as the donation records it, taken when the gift is made (a later change of
 * profile does not rewrite what was given). A need not (or no longer) public is `not-found`.
 */
export async function needOpenForGift(needId: string, kind: 'money' | 'goods', uid: string) {
  const [need, donor, publicNeed] = await Promise.all([
    db().collection(collections.needs).doc(needId).get(),
    donorOf(uid),
    db().collection(publicNeedsCollection).doc(needId).get(),
  ]);
  if (!need.exists || !(openStatuses as readonly string[]).includes(need.get('status'))) {
    throw new HttpsError('not-found', '该需求未发布或已结束');
  }
  if (need.get('kind') !== kind) throw new HttpsError('failed-precondition', wrongKind[kind]);
  const view = publicNeed.get('view') as PublicNeedView | undefined;
  // A gift made at once after publication may find no projection yet: name the household from the need.
  const recipient = view ?? (await recipientOfNeed(need));
  return {
    need,
    giver: {
      donorName: donor.name,
      donorUnit: donor.unit,
      maskedName: recipient?.maskedName ?? '',
      villageName: recipient?.villageName ?? '',
    },
  };
}

/**
 * The donor's profile, required before giving: the honour certificate names the donor, and the
 * registration table lists them. Refused with `failed-precondition`, reason `profile_missing`.
 */
async function donorOf(uid: string): Promise<{ name: string; unit: string }> {
  const donor = await db().collection(collections.donors).doc(uid).get();
  if (!donor.exists || !donor.get('name')) {
    throw new HttpsError('failed-precondition', '请先填写爱心人士资料（姓名或单位名称）', {
      reason: 'profile_missing',
    });
  }
  return { name: String(donor.get('name')), unit: String(donor.get('unit') ?? '') };
}

/** What a donation gave, as the lists show it: an amount in fen, or goods × quantity. */
export function giftOf(doc: FirebaseFirestore.DocumentSnapshot) {
  if (doc.get('kind') !== 'goods') {
    return { kind: 'money' as const, amountFen: Number(doc.get('amountFen')), items: null };
  }
  const items = doc.get('items') as Array<{ name: string; quantity: number; unit: string }>;
  return {
    kind: 'goods' as const,
    amountFen: null,
    items: items.map(({ name, quantity, unit }) => ({ name, quantity, unit })),
  };
}

export const listMyDonationsInput = z.strictObject({});

/** A donor's own donations, newest first, with what became of each. */
export const listMyDonations = untypedCallable({
  name: 'listMyDonations',
  input: listMyDonationsInput,
  roles: ['donor'],
  handler: async (_input, caller) => {
    const page = await db()
      .collection(donationsCollection)
      .where('donorUid', '==', caller.uid)
      .get();
    const nowMs = Date.now();
    const donations = page.docs
      .map((doc) => ({
        id: doc.id,
        needId: String(doc.get('needId')),
        ...giftOf(doc),
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
