/**
 * What a gift needs before it is made, shared by donate and pledgeGoods: the need open for this
 * kind of gift, the donor's profile, and who gives to whom as the donation records it.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { donationOf, donorDocs } from '../data/money';
import { needDocs, publicNeedDocs, type NeedDocument } from '../data/needs';
import { giftColumns, giftOf, type DonationStatus, type GiftColumns } from '../domain/donation';
import { pledgeClockOf, type PledgeClock } from '../domain/goods';
import { openStatuses } from '../domain/need/status';
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
export async function needOpenForGift<K extends NeedDocument['kind']>(
  needId: string,
  kind: K,
  uid: string,
) {
  const [snapshot, donor, publicNeed] = await Promise.all([
    needDocs().doc(needId).get(),
    donorOf(uid),
    publicNeedDocs().doc(needId).get(),
  ]);
  const need = snapshot.data();
  if (!need || !(openStatuses as readonly string[]).includes(need.status)) {
    throw new HttpsError('not-found', '该需求未发布或已结束');
  }
  if (need.kind !== kind) throw new HttpsError('failed-precondition', wrongKind[kind]);
  // A gift made at once after publication may find no projection yet: name the household from the need.
  const recipient = publicNeed.data()?.view ?? (await recipientOfNeed(snapshot));
  return {
    need: need as Extract<NeedDocument, { kind: K }>,
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
  const donor = (await donorDocs().doc(uid).get()).data();
  if (!donor?.name) {
    throw new HttpsError('failed-precondition', '请先填写爱心人士资料（姓名或单位名称）', {
      reason: 'profile_missing',
    });
  }
  return { name: donor.name, unit: donor.unit ?? '' };
}

/** What a donation gave, as the lists show it (domain/donation.ts giftOf, flattened). */
export function giftColumnsOf(doc: FirebaseFirestore.DocumentSnapshot): GiftColumns {
  const donation = donationOf(doc);
  if (!donation) throw new HttpsError('not-found', '没有这笔捐助');
  return giftColumns(giftOf(donation));
}

/** What effectiveStatus needs of a donation snapshot read without its converter. */
export function pledgeClockOfSnapshot(
  doc: FirebaseFirestore.DocumentSnapshot,
): PledgeClock<DonationStatus> {
  const donation = donationOf(doc);
  if (!donation) throw new HttpsError('not-found', '没有这笔捐助');
  return pledgeClockOf(donation);
}
