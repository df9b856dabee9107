/**
 * The Firestore side of goods pledges shared by the goods callables: reading a need's pledges
 * as the settlement rules read them (domain/goods.ts), the checks a pledge's next step needs,
 * and the village office's receiving address.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { donationDocs, type StoredDonation } from '../data/money';
import { regionDocs } from '../data/households';
import { needDocs, needOf } from '../data/needs';
import {
  effectiveStatus,
  goodsProgressOf,
  lapsingStatuses,
  pledgeClockOf,
  isGoodsPledgeStatus,
  type GoodsPledgeLike,
} from '../domain/goods';
import type { GoodsItem } from '../domain/need/submission';
import type { VillageReceiving } from '../contract/money';

/** Every goods donation of a need, as settlement reads them. */
export async function goodsDonationsOf(needId: string) {
  const page = await donationDocs()
    .where('needId', '==', needId)
    .where('kind', '==', 'goods')
    .get();
  return page.docs;
}

/** A stored pledge as goodsProgressOf reads it. */
export function pledgeOf(id: string, pledge: StoredDonation): GoodsPledgeLike {
  return {
    id,
    madeAt: pledge.madeAt?.toMillis() ?? 0,
    // A money status on a goods pledge (no path writes one) holds nothing, as a refusal does.
    status: isGoodsPledgeStatus(pledge.status) ? pledge.status : 'declined',
    items: (pledge.items ?? []).map(({ itemIndex, quantity }) => ({ itemIndex, quantity })),
    expiresAt: pledge.expiresAt?.toMillis() ?? 0,
    tracking: pledge.tracking === true,
  };
}

/** Every pledge of these documents, as goodsProgressOf reads them. */
export const pledgesOf = (docs: ReadonlyArray<{ id: string; data(): StoredDonation }>) =>
  docs.map((doc) => pledgeOf(doc.id, doc.data()));

/**
 * Whether any of these pledges ran out of time without settlement having written it yet: the
 * caller then settles the need, so its public progress shows the freed quantity too.
 */
export function anyLapsed(pledges: ReadonlyArray<{ data(): StoredDonation }>, nowMs: number) {
  return pledges.some((doc) => {
    const pledge = doc.data();
    return (
      (lapsingStatuses as readonly string[]).includes(pledge.status) &&
      effectiveStatus(pledgeClockOf(pledge), nowMs) === 'expired'
    );
  });
}

/** Published or matched: a need still taking gifts, and goods on their way to it. */
export const isNeedOpen = (status: unknown) => status === 'published' || status === 'matched';

/** A need still taking gifts: goods are neither sent to nor handed over on any other. */
export async function assertNeedOpen(needId: string) {
  const need = (await needDocs().doc(needId).get()).data();
  if (!isNeedOpen(need?.status)) {
    throw new HttpsError(
      'failed-precondition',
      '该需求已完成或已结束，请不要再寄出物品；如已寄出，请联系村里',
      { needStatus: need?.status ?? '' },
    );
  }
}

/**
 * What the household has not yet received of a goods need, item by item, from the delivered
 * pledges themselves (not the settled figures, which may trail by a moment).
 */
export async function undeliveredGoodsOf(
  needId: string,
  items: readonly GoodsItem[],
): Promise<Array<{ itemIndex: number; name: string; unit: string; missing: number }>> {
  const progress = goodsProgressOf(items, pledgesOf(await goodsDonationsOf(needId)), Date.now());
  return progress.items
    .map((item, itemIndex) => ({
      itemIndex,
      name: item.name,
      unit: item.unit,
      missing: Math.max(0, item.quantity - item.delivered),
    }))
    .filter((item) => item.missing > 0);
}

/**
 * confirmReceipt on a goods need: fulfilled means everything asked for has arrived. The household
 * confirms what arrived pledge by pledge (recordHandover); the need is fulfilled only once every
 * item is delivered in full, and goods still on their way keep it open.
 */
export async function assertGoodsArrived(snapshot: FirebaseFirestore.DocumentSnapshot) {
  const need = needOf(snapshot);
  if (need?.kind !== 'goods') return;
  const missing = await undeliveredGoodsOf(snapshot.id, need.items);
  if (missing.length === 0) return;
  throw new HttpsError(
    'failed-precondition',
    `还有物品未送达：${missing.map((item) => `${item.name} ${item.missing}${item.unit}`).join('、')}。请在“捐助情况”中逐笔登记送达，全部送达后再确认收到`,
    { reason: 'goods_undelivered', undelivered: missing },
  );
}

/** One of the donor's own goods donations; anyone else's, or none, is the same `not-found`. */
export async function ownGoodsDonation(uid: string, donationId: string) {
  const snapshot = await donationDocs().doc(donationId).get();
  const donation = snapshot.data();
  if (!donation || donation.donorUid !== uid || donation.kind !== 'goods') {
    throw new HttpsError('not-found', '没有这笔物资捐助');
  }
  return { snapshot, donation };
}

/** The village office's receiving address and contact, as its administrator keeps it. */
export async function receivingOf(
  villageCode: string | undefined,
): Promise<{ villageName: string; receiving: VillageReceiving | null }> {
  const village = villageCode ? (await regionDocs().doc(villageCode).get()).data() : undefined;
  const receiving = village?.receiving;
  return {
    villageName: village?.name ?? '',
    receiving: receiving
      ? { address: receiving.address, contactName: receiving.contactName, phone: receiving.phone }
      : null,
  };
}
