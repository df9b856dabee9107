import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { z } from 'zod';
import {
  couriers,
  effectiveStatus,
  goodsPledgeInput,
  pledgeClockOf,
  goodsProgressOf,
  pledgeHoldMs,
  shipmentInput,
  villageReceivingInput,
  type GoodsPledgeLike,
  type GoodsPledgeStatus,
} from '../domain/goods';
import { acceptedContentTypes, maxUploadBytes } from '../domain/photos/plan';
import { processPhoto } from '../domain/photos/process';
import { reasonLabels } from '../domain/photos/sniff';
import { objectStore } from '../services/objectStore';
import type { GoodsItem } from '../domain/need';
import { docIdSchema, pastDateSchema, requestIdSchema } from '../domain/validation/common';
import { untypedCallable, untypedPublicCallable } from '../lib/callable';
import { appendAudit } from '../services/audit';
import { getAuth } from 'firebase-admin/auth';
import { logs } from '../logs';
import { functionsRegion } from '../params';
import { collections, db } from '../services/db';
import { needForAction, retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';
import { settleNeed } from '../services/settlement';
import { needOpenForGift } from './donate';

/** The couriers a donor picks from (their tracking numbers are checked against each format). */
export const listCouriers = untypedPublicCallable({
  name: 'listCouriers',
  input: z.strictObject({}),
  handler: async () => ({ couriers: couriers.map(({ id, label, hint }) => ({ id, label, hint })) }),
});

/**
 * 帮助TA with goods: what and how many of a goods need's items (partial quantities allowed), sent
 * by express or handed over face to face. The pledge holds its quantities for 72 hours until a
 * tracking number or the hand-over arrives; onDonationWritten settles it against the other
 * pledges (earliest first) and expireGoodsPledges releases it when the time runs out. A quantity
 * beyond what is still free is refused at once with `failed-precondition`.
 */
export const pledgeGoods = untypedCallable({
  name: 'pledgeGoods',
  input: goodsPledgeInput,
  roles: ['donor'],
  handler: async ({ requestId, needId, items, delivery }, caller) => {
    let lapsedSeen = false;
    const { result } = await runOnce('pledgeGoods', caller.uid, requestId, async (batch) => {
      const { need, giver } = await needOpenForGift(needId, 'goods', caller.uid);
      const asked = need.get('items') as GoodsItem[];
      // What is free now, from the pledges themselves: one whose time ran out frees its quantity
      // at once, not when the 15-minute job or the next settlement writes it.
      const nowMs = Date.now();
      const pledges = await goodsDonationsOf(needId);
      const progress = goodsProgressOf(asked, pledges.map(pledgeOf), nowMs);
      lapsedSeen = pledges.some(
        (doc) =>
          ['pending', 'held'].includes(doc.get('status')) &&
          effectiveStatus(pledgeClockOf(doc), nowMs) === 'expired',
      );
      const lines = items.map(({ itemIndex, quantity }, index) => {
        const item = asked[itemIndex];
        if (!item) {
          throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', {
            issues: [{ path: `items.${index}.itemIndex`, code: 'item_unknown' }],
          });
        }
        const remaining = item.quantity - Number(progress.items[itemIndex]?.pledged ?? 0);
        if (quantity > remaining) {
          throw new HttpsError(
            'failed-precondition',
            remaining > 0
              ? `${item.name}只还缺 ${remaining}${item.unit}，请减少数量后再认捐`
              : `${item.name}已有爱心人士认捐，请选择其他物品或需求`,
            {
              itemIndex,
              remaining: Math.max(0, remaining),
            },
          );
        }
        return { itemIndex, name: item.name, unit: item.unit, quantity };
      });
      const expiresAt = Timestamp.fromMillis(Date.now() + pledgeHoldMs);
      const ref = db().collection(collections.donations).doc();
      const tracked = delivery.method === 'express' && delivery.trackingNumber !== undefined;
      batch.create(ref, {
        needId,
        donorUid: caller.uid,
        kind: 'goods',
        items: lines,
        delivery,
        tracking: tracked,
        status: 'pending',
        expiresAt,
        ...giver,
        villageCode: need.get('villageCode'),
        townshipCode: need.get('townshipCode'),
        madeAt: FieldValue.serverTimestamp(),
      });
      logs.goodsPledged(ref.id, needId, caller.uid, lines.length);
      return {
        donationId: ref.id,
        needId,
        status: 'pending' as const,
        expiresAt: expiresAt.toMillis(),
      };
    });
    // The lapse is written now, so the need's public progress shows the freed quantity too.
    if (lapsedSeen) await settleNeed(needId, 'goods');
    return result;
  },
});

/** Every goods donation of a need, as settlement reads them. */
async function goodsDonationsOf(needId: string) {
  const page = await db()
    .collection(collections.donations)
    .where('needId', '==', needId)
    .where('kind', '==', 'goods')
    .get();
  return page.docs;
}

const millisOf = (value: unknown): number => (value as Timestamp | undefined)?.toMillis?.() ?? 0;

/** A stored pledge as goodsProgressOf reads it. */
function pledgeOf(doc: FirebaseFirestore.DocumentSnapshot): GoodsPledgeLike {
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

/** Published or matched: a need still taking gifts, and goods on their way to it. */
const isNeedOpen = (status: unknown) => status === 'published' || status === 'matched';

/** A need still taking gifts: goods are neither sent to nor handed over on any other. */
async function assertNeedOpen(needId: string) {
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

export const getGoodsAvailabilityInput = z.strictObject({ needId: docIdSchema });

/**
 * How much of each item of a published goods need is pledged and delivered now, from the pledges
 * themselves: a hold past its time is free at once (the projection donors read catches up when
 * the lapse is written, which this does too). Counts only, for the need page's 帮助TA form.
 */
export const getGoodsAvailability = untypedCallable({
  name: 'getGoodsAvailability',
  input: getGoodsAvailabilityInput,
  roles: ['donor'],
  handler: async ({ needId }) => {
    const need = await db().collection(collections.needs).doc(needId).get();
    if (!need.exists || need.get('kind') !== 'goods' || !isNeedOpen(need.get('status'))) {
      throw new HttpsError('not-found', '该需求未发布或已结束');
    }
    const nowMs = Date.now();
    const pledges = await goodsDonationsOf(needId);
    const progress = goodsProgressOf(
      need.get('items') as GoodsItem[],
      pledges.map(pledgeOf),
      nowMs,
    );
    const lapsed = pledges.some(
      (doc) =>
        ['pending', 'held'].includes(doc.get('status')) &&
        effectiveStatus(pledgeClockOf(doc), nowMs) === 'expired',
    );
    if (lapsed) await settleNeed(needId, 'goods');
    return {
      items: progress.items.map(({ pledged, delivered }) => ({ pledged, delivered })),
    };
  },
});

/** One of the donor's own goods donations; anyone else's, or none, is the same `not-found`. */
async function ownGoodsDonation(uid: string, donationId: string) {
  const donation = await db().collection(collections.donations).doc(donationId).get();
  if (!donation.exists || donation.get('donorUid') !== uid || donation.get('kind') !== 'goods') {
    throw new HttpsError('not-found', '没有这笔物资捐助');
  }
  return donation;
}

/** The donor adds the courier and tracking number of a pledge: it is shipped and stops expiring. */
export const recordShipment = untypedCallable({
  name: 'recordShipment',
  input: shipmentInput,
  roles: ['donor'],
  handler: async ({ requestId, donationId, courier, trackingNumber }, caller) => {
    const { result } = await runOnce('recordShipment', caller.uid, requestId, async (batch) => {
      const donation = await ownGoodsDonation(caller.uid, donationId);
      const ref = donation.ref;
      // A late scheduler must not let a lapsed pledge take back quantities given to others.
      const status = effectiveStatus(pledgeClockOf(donation), Date.now());
      if (!['pending', 'held'].includes(status)) {
        throw new HttpsError(
          'failed-precondition',
          status === 'expired'
            ? '该认捐已过期，物品已释放给其他爱心人士，请不要寄出；如仍想帮助，请重新认捐'
            : '该捐助已处理，不能再填写快递单号',
          { status },
        );
      }
      await assertNeedOpen(String(donation.get('needId')));
      batch.update(ref, {
        delivery: { method: 'express', courier, trackingNumber },
        tracking: true,
        status: 'shipped',
        shippedAt: FieldValue.serverTimestamp(),
      });
      return { donationId, status: 'shipped' as const };
    });
    return result;
  },
});

export const recordHandoverInput = z.strictObject({
  requestId: requestIdSchema,
  donationId: docIdSchema,
  receivedOn: pastDateSchema,
  /** The household confirmed it received the goods. */
  recipientConfirmed: z.literal(true),
});

/** Whether a face-to-face hand-over still waits for the donor's own confirmation. */
function awaitingDonor(donation: FirebaseFirestore.DocumentSnapshot, donorConfirmed: boolean) {
  const inPerson = donation.get('delivery.method') === 'in_person';
  return inPerson && !donorConfirmed;
}

/**
 * The village administrator (or the household's helper) records that the household received the
 * goods. By express that delivers them. Face to face it is one side: the donation is delivered
 * when the donor, in 我的捐助, has confirmed too (confirmHandover), whichever comes first; until
 * then the hand-over is recorded and the pledge stops expiring. A delivered donation counts as
 * delivered on the need and earns its honour certificate.
 */
export const recordHandover = untypedCallable({
  name: 'recordHandover',
  input: recordHandoverInput,
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, donationId, receivedOn }, caller) =>
    retryOnConflict(async () => {
      const { result } = await runOnce('recordHandover', caller.uid, requestId, async (batch) => {
        const ref = db().collection(collections.donations).doc(donationId);
        const donation = await ref.get();
        if (!donation.exists || donation.get('kind') !== 'goods') {
          throw new HttpsError('not-found', '没有这笔物资捐助');
        }
        await needForAction('recordHandover', caller, String(donation.get('needId')));
        const status = effectiveStatus(pledgeClockOf(donation), Date.now());
        if (status === 'pending') {
          throw new HttpsError('failed-precondition', '这笔认捐还在确认中，请稍后再登记', {
            status,
          });
        }
        if (!['held', 'shipped'].includes(status)) {
          throw new HttpsError(
            'failed-precondition',
            status === 'expired'
              ? '这笔认捐已过期，物品已释放给其他爱心人士，不能登记送达；请请捐赠人重新认捐'
              : '这笔捐助不能登记为已送达',
            { status },
          );
        }
        const donorConfirmed = donation.get('handover.donorConfirmed') === true;
        const waiting = awaitingDonor(donation, donorConfirmed);
        batch.update(
          ref,
          {
            'handover.receivedOn': receivedOn,
            'handover.recordedBy': caller.uid,
            'handover.recipientConfirmed': true,
            'handover.recipientConfirmedAt': FieldValue.serverTimestamp(),
            // The goods are with the household: the pledge no longer lapses.
            tracking: true,
            ...(waiting
              ? { status: 'shipped' }
              : { status: 'delivered', deliveredAt: FieldValue.serverTimestamp() }),
          },
          unchanged(donation),
        );
        return {
          donationId,
          status: waiting ? ('shipped' as const) : ('delivered' as const),
          awaiting: waiting ? ('donor' as const) : null,
        };
      });
      return result;
    }),
});

export const confirmHandoverInput = z.strictObject({
  requestId: requestIdSchema,
  donationId: docIdSchema,
});

/**
 * The donor's own confirmation of a face-to-face hand-over (我的捐助 → 我已当面交付): the donor's
 * side, which no cadre can tick for them. Delivered once the household's side is recorded too
 * (recordHandover), whichever comes first. Idempotent: a second tap answers the same.
 */
export const confirmHandover = untypedCallable({
  name: 'confirmHandover',
  input: confirmHandoverInput,
  roles: ['donor'],
  handler: async ({ requestId, donationId }, caller) =>
    retryOnConflict(async () => {
      const { result } = await runOnce('confirmHandover', caller.uid, requestId, async (batch) => {
        const donation = await ownGoodsDonation(caller.uid, donationId);
        if (donation.get('delivery.method') !== 'in_person') {
          throw new HttpsError(
            'failed-precondition',
            '快递寄出的物品由村里登记收货，无需您确认交接',
          );
        }
        const status = effectiveStatus(pledgeClockOf(donation), Date.now());
        const recipientConfirmed = donation.get('handover.recipientConfirmed') === true;
        if (status === 'delivered' || donation.get('handover.donorConfirmed') === true) {
          return {
            donationId,
            status: status as 'delivered' | 'held' | 'shipped',
            awaiting: status === 'delivered' ? null : ('recipient' as const),
          };
        }
        if (status === 'pending') {
          throw new HttpsError('failed-precondition', '这笔认捐还在确认中，请稍后再试', {
            status,
          });
        }
        if (!['held', 'shipped'].includes(status)) {
          throw new HttpsError(
            'failed-precondition',
            status === 'expired'
              ? '这笔认捐已过期，不能再确认交接；如仍想帮助，请重新认捐'
              : '这笔捐助已结束，不能确认交接',
            { status },
          );
        }
        batch.update(
          donation.ref,
          {
            'handover.donorConfirmed': true,
            'handover.donorConfirmedAt': FieldValue.serverTimestamp(),
            ...(recipientConfirmed
              ? { status: 'delivered', deliveredAt: FieldValue.serverTimestamp() }
              : {}),
          },
          unchanged(donation),
        );
        return {
          donationId,
          status: recipientConfirmed ? ('delivered' as const) : (status as 'held' | 'shipped'),
          awaiting: recipientConfirmed ? null : ('recipient' as const),
        };
      });
      return result;
    }),
});

// ---------------------------------------------------------------------------------------------
// Where goods go

/** The village office's receiving address and contact, as its administrator keeps it. */
async function receivingOf(villageCode: string) {
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

/** The village administrator sets where donors send goods and whom they meet: the village office. */
export const setVillageReceiving = untypedCallable({
  name: 'setVillageReceiving',
  input: villageReceivingInput,
  roles: ['village_admin'],
  handler: async ({ requestId, address, contactName, phone }, caller) => {
    const { result } = await runOnce(
      'setVillageReceiving',
      caller.uid,
      requestId,
      async (batch) => {
        batch.update(db().collection(collections.regions).doc(caller.region), {
          receiving: { address, contactName, phone, updatedBy: caller.uid },
          receivingUpdatedAt: FieldValue.serverTimestamp(),
        });
        return { villageCode: caller.region, saved: true };
      },
    );
    return result;
  },
});

/** What the village's administrator and helpers see of their own receiving address. */
export const getVillageReceiving = untypedCallable({
  name: 'getVillageReceiving',
  input: z.strictObject({}),
  roles: ['village_admin', 'helper'],
  handler: async (_input, caller) =>
    (await receivingOf(caller.region)).receiving ?? { address: '', contactName: '', phone: '' },
});

export const getGoodsContactInput = z.strictObject({ donationId: docIdSchema });

/** Pledges whose goods are still to travel: only these disclose a contact. */
const contactStatuses = ['pending', 'held', 'shipped'];

/**
 * Who to send to or meet, disclosed only to the two sides of one live goods pledge and logged
 * like a reveal (auditLog, granted or denied): the donor gets the village office's receiving
 * address and contact (never the household's home); for a face-to-face hand-over the village's
 * administrator or the household's helper gets the donor's name and phone.
 */
export const getGoodsContact = untypedCallable({
  name: 'getGoodsContact',
  input: getGoodsContactInput,
  roles: ['donor', 'village_admin', 'helper'],
  handler: async ({ donationId }, caller) => {
    const resource = `${collections.donations}/${donationId}`;
    const field = caller.role === 'donor' ? 'receivingContact' : 'donorContact';
    const audit = (outcome: 'granted' | 'denied') =>
      appendAudit({
        uid: caller.uid,
        role: caller.role,
        action: 'reveal',
        resource,
        field,
        reason: 'goods_pledge',
        outcome,
      });
    const refuse = async (error: HttpsError): Promise<never> => {
      await audit('denied');
      logs.revealDenied(caller.uid, resource, field);
      throw error;
    };
    const donation = await db().collection(collections.donations).doc(donationId).get();
    const isGoods = donation.exists && donation.get('kind') === 'goods';
    if (caller.role === 'donor') {
      if (!isGoods || donation.get('donorUid') !== caller.uid) {
        return refuse(new HttpsError('not-found', '没有这笔物资捐助'));
      }
    } else {
      if (!isGoods) return refuse(new HttpsError('not-found', '没有这笔物资捐助'));
      try {
        await needForAction('getGoodsContact', caller, String(donation.get('needId')));
      } catch (error) {
        return refuse(error as HttpsError);
      }
      if (donation.get('delivery.method') !== 'in_person') {
        return refuse(
          new HttpsError('failed-precondition', '快递寄出的物品无需联系捐赠人，请按快递单号查收'),
        );
      }
    }
    const status = effectiveStatus(pledgeClockOf(donation), Date.now());
    if (!contactStatuses.includes(status)) {
      return refuse(
        new HttpsError(
          'failed-precondition',
          status === 'delivered'
            ? '物品已送达，联系方式不再显示'
            : '这笔认捐已过期或已结束，联系方式不再显示',
          { status },
        ),
      );
    }
    const method = String(donation.get('delivery.method'));
    if (caller.role === 'donor') {
      const { villageName, receiving } = await receivingOf(String(donation.get('villageCode')));
      if (!receiving) {
        await audit('denied');
        logs.revealDenied(caller.uid, resource, field);
        throw new HttpsError(
          'failed-precondition',
          '村里还没有登记收件地址，请稍后再查看，或在需求页面联系平台客服',
          { reason: 'receiving_missing' },
        );
      }
      await audit('granted');
      logs.revealGranted(caller.uid, resource, field);
      return { method, villageName, receiving, donor: null };
    }
    const donorUid = String(donation.get('donorUid'));
    const profile = await db().collection(collections.donors).doc(donorUid).get();
    let phone = String(profile.get('phone') ?? '');
    if (!phone)
      phone =
        (
          await getAuth()
            .getUser(donorUid)
            .catch(() => null)
        )?.phoneNumber ?? '';
    await audit('granted');
    logs.revealGranted(caller.uid, resource, field);
    return {
      method,
      villageName: null,
      receiving: null,
      donor: { name: String(donation.get('donorName') ?? ''), phone: phone.replace(/^\+86/, '') },
    };
  },
});

const maxPhotoBase64 = Math.ceil(maxUploadBytes / 3) * 4;

export const attachGoodsPhotoInput = z.strictObject({
  requestId: requestIdSchema,
  donationId: docIdSchema,
  contentType: z.enum(acceptedContentTypes),
  dataBase64: z
    .string()
    .min(4)
    .max(maxPhotoBase64)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

/**
 * The photo of the goods a donor pledged (what the village will receive). Processed at once by
 * the evidence pipeline's own code — screened, oriented, re-encoded without metadata (no GPS) —
 * and stored at one path per donation, so a retry or a second photo replaces the first.
 */
export const attachGoodsPhoto = untypedCallable({
  name: 'attachGoodsPhoto',
  input: attachGoodsPhotoInput,
  roles: ['donor'],
  memory: '512MiB',
  handler: async ({ requestId, donationId, dataBase64 }, caller) => {
    const { result } = await runOnce('attachGoodsPhoto', caller.uid, requestId, async (batch) => {
      const donation = await ownGoodsDonation(caller.uid, donationId);
      const ref = donation.ref;
      if (!['pending', 'held', 'shipped'].includes(donation.get('status'))) {
        throw new HttpsError('failed-precondition', '该捐助已结束，不能再添加照片', {
          status: donation.get('status'),
        });
      }
      const processed = await processPhoto(Buffer.from(dataBase64, 'base64'));
      if (!processed.ok) {
        throw new HttpsError(
          'invalid-argument',
          `照片无法使用：${reasonLabels[processed.reason]}`,
          {
            issues: [{ path: 'dataBase64', code: `photo_${processed.reason}` }],
          },
        );
      }
      const base = `goods/${donationId}`;
      const paths = { displayPath: `${base}/display.jpg`, thumbPath: `${base}/thumb.jpg` };
      // Files before the record that points to them; a rerun rewrites the same two paths.
      await Promise.all([
        objectStore().write(paths.displayPath, processed.display.data, {
          contentType: processed.contentType,
        }),
        objectStore().write(paths.thumbPath, processed.thumb.data, {
          contentType: processed.contentType,
        }),
      ]);
      batch.update(ref, { photo: paths });
      return { donationId, photo: true };
    });
    return result;
  },
});

/**
 * Releases goods pledges whose 72 hours ran out with no tracking number or hand-over, so that
 * others may give what they held. Settlement would also release them on the need's next donation
 * write; this makes it happen when nobody writes.
 */
export const expireGoodsPledges = onSchedule(
  { schedule: 'every 15 minutes', region: functionsRegion, timeoutSeconds: 300, retryCount: 0 },
  async () => {
    const lapsed = await db()
      .collection(collections.donations)
      .where('kind', '==', 'goods')
      .where('status', 'in', ['pending', 'held'])
      .where('expiresAt', '<=', Timestamp.now())
      .select('needId')
      .get();
    const needIds = [...new Set(lapsed.docs.map((doc) => String(doc.get('needId'))))];
    for (const needId of needIds) await settleNeed(needId, 'goods');
  },
);
