/**
 * The Firestore side of goods pledges shared by the goods callables: reading a need's pledges
 * as the settlement rules read them (domain/goods.ts), the checks a pledge's next step needs,
 * and the village office's receiving address.
 */
import type { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  effectiveStatus,
  goodsProgressOf,
  lapsingStatuses,
  pledgeClockOf,
  type GoodsPledgeLike,
  type GoodsPledgeStatus,
} from '../domain/goods';
import type { GoodsItem } from '../domain/need/submission';
import { collections, db } from './db';

/** Every goods donation of a need, as settlement reads them. */
export async function goodsDonationsOf(needId: string) {
  const page = await db()
    .collection(collections.donations)
    .where('needId', '==', needId)
    .where('kind', '==', 'goods')
    .get();
  return page.docs;
}

const millisOf = (value: unknown): number => (value as Timestamp | undefined)?.toMillis?.() ?? 0;

/** A stored pledge as goodsProgressOf reads it. */
export function pledgeOf(doc: FirebaseFirestore.DocumentSnapshot): GoodsPledgeLike {
  return {
    id: doc.id,
    madeAt: millisOf(doc.get('madeAt')),
    status: doc.get('status') as GoodsPledgeStatus,
    items: ((doc.get('items') ?? []) as Array<{ itemIndex: number; quantity: number }>).map(
      ({ itemIndex, quantity }) => ({ itemIndex, quantity }),
    ),
    expiresAt: millisOf(doc.get('expiresAt')),
    tracking: doc.get('tracking') === true,
  };
}

/**
 * Whether any of these pledges ran out of time without settlement having written it yet: the
 * caller then settles the need, so its public progress shows the freed quantity too.
 */
export function anyLapsed(pledges: readonly FirebaseFirestore.DocumentSnapshot[], nowMs: number) {
  return pledges.some(
    (doc) =>
      (lapsingStatuses as readonly string[]).includes(doc.get('status')) &&
      effectiveStatus(pledgeClockOf(doc), nowMs) === 'expired',
  );
}

/** Published or matched: a need still taking gifts, and goods on their way to it. */
export const isNeedOpen = (status: unknown) => status === 'published' || status === 'matched';

/** A need still taking gifts: goods are neither sent to nor handed over on any other. */
export async function assertNeedOpen(needId: string) {
  const need = await db().collection(collections.needs).doc(needId).get();
  if (!isNeedOpen(need.get('status'))) {
    throw new HttpsError(
      'failed-precondition',
      '该需求已完成或已结束，请不要再寄出物品；如已寄出，请联系村里',
      { needStatus: String(need.get('status') ?? '') },
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
  const progress = goodsProgressOf(
    items,
    (await goodsDonationsOf(needId)).map(pledgeOf),
    Date.now(),
  );
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
export async function assertGoodsArrived(need: FirebaseFirestore.DocumentSnapshot): Promise<void> {
  if (need.get('kind') !== 'goods') return;
  const missing = await undeliveredGoodsOf(need.id, need.get('items') as GoodsItem[]);
  if (missing.length === 0) return;
  throw new HttpsError(
    'failed-precondition',
    `还有物品未送达：${missing.map((item) => `${item.name} ${item.missing}${item.unit}`).join('、')}。请在“捐助情况”中逐笔登记送达，全部送达后再确认收到`,
    { reason: 'goods_undelivered', undelivered: missing },
  );
}

/** One of the donor's own goods donations; anyone else's, or none, is the same `not-found`. */
export async function ownGoodsDonation(uid: string, donationId: string) {
  const donation = await db().collection(collections.donations).doc(donationId).get();
  if (!donation.exists || donation.get('donorUid') !== uid || donation.get('kind') !== 'goods') {
    throw new HttpsError('not-found', '没有这笔物资捐助');
  }
  return donation;
}

/** The village office's receiving address and contact, as its administrator keeps it. */
export async function receivingOf(villageCode: string) {
  const village = await db().collection(collections.regions).doc(villageCode).get();
  const receiving = village.get('receiving') as
    { address: string; contactName: string; phone: string } | undefined;
  return {
    villageName: String(village.get('name') ?? ''),
    receiving: receiving
      ? { address: receiving.address, contactName: receiving.contactName, phone: receiving.phone }
      : null,
  };
}
