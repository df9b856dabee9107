/**
 * What a gift needs before it is made, shared by donate and pledgeGoods: the need open for this
 * kind of gift, the donor's profile, and who gives to whom as the donation records it.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { giftColumns, giftOf, type DonationGiftFields, type GiftColumns } from '../domain/donation';
import type { PublicNeedView } from '../domain/need/publicView';
import { openStatuses } from '../domain/need/status';
import { collections, db } from './db';
import { recipientOfNeed } from './needs';

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
    db().collection(collections.publicNeeds).doc(needId).get(),
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

/** What a donation gave, as the lists show it (domain/donation.ts giftOf, flattened). */
export function giftColumnsOf(doc: FirebaseFirestore.DocumentSnapshot): GiftColumns {
  return giftColumns(giftOf(doc.data() as DonationGiftFields));
}
