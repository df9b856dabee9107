import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { z } from 'zod';
import { couriers, goodsPledgeInput, pledgeHoldMs, shipmentInput } from '../domain/goods';
import { acceptedContentTypes, maxUploadBytes } from '../domain/photos/plan';
import { processPhoto } from '../domain/photos/process';
import { reasonLabels } from '../domain/photos/sniff';
import { objectStore } from '../services/objectStore';
import type { GoodsItem } from '../domain/need';
import { docIdSchema, pastDateSchema, requestIdSchema } from '../domain/validation/common';
import { callable, publicCallable } from '../lib/callable';
import { logs } from '../logs';
import { functionsRegion } from '../params';
import { collections, db } from '../services/db';
import { needForAction } from '../services/needs';
import { runOnce } from '../services/requests';
import { settleNeed } from '../services/settlement';
import { needOpenForGift } from './donate';

/** The couriers a donor picks from (their tracking numbers are checked against each format). */
export const listCouriers = publicCallable({
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
export const pledgeGoods = callable({
  name: 'pledgeGoods',
  input: goodsPledgeInput,
  roles: ['donor'],
  handler: async ({ requestId, needId, items, delivery }, caller) => {
    const { result } = await runOnce('pledgeGoods', caller.uid, requestId, async (batch) => {
      const { need, giver } = await needOpenForGift(needId, 'goods', caller.uid);
      const asked = need.get('items') as GoodsItem[];
      const progress = (need.get('itemProgress') ?? []) as Array<{ pledged?: number }>;
      const lines = items.map(({ itemIndex, quantity }, index) => {
        const item = asked[itemIndex];
        if (!item) {
          throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', {
            issues: [{ path: `items.${index}.itemIndex`, code: 'item_unknown' }],
          });
        }
        const remaining = item.quantity - Number(progress[itemIndex]?.pledged ?? 0);
        if (quantity > remaining) {
          throw new HttpsError(
            'failed-precondition',
            `${item.name}只还缺 ${remaining}${item.unit}`,
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
    return result;
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
export const recordShipment = callable({
  name: 'recordShipment',
  input: shipmentInput,
  roles: ['donor'],
  handler: async ({ requestId, donationId, courier, trackingNumber }, caller) => {
    const { result } = await runOnce('recordShipment', caller.uid, requestId, async (batch) => {
      const donation = await ownGoodsDonation(caller.uid, donationId);
      const ref = donation.ref;
      // A late scheduler must not let a lapsed pledge take back quantities given to others.
      const lapsed = (donation.get('expiresAt') as Timestamp).toMillis() <= Date.now();
      if (!['pending', 'held'].includes(donation.get('status')) || lapsed) {
        throw new HttpsError('failed-precondition', '该捐助已过期或已处理，不能再填写快递单号', {
          status: lapsed ? 'expired' : donation.get('status'),
        });
      }
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

export const recordHandoverInput = z
  .strictObject({
    requestId: requestIdSchema,
    donationId: docIdSchema,
    receivedOn: pastDateSchema,
    /** The household confirmed it received the goods. */
    recipientConfirmed: z.literal(true),
    /** Face to face: the donor confirmed the hand-over too. */
    donorConfirmed: z.boolean(),
  })
  .strict();

/**
 * The village administrator (or the household's helper) records that goods arrived: by express,
 * on the household's confirmation; face to face, on both the household's and the donor's. The
 * donation is delivered, counts as delivered on the need, and earns its honour certificate.
 */
export const recordHandover = callable({
  name: 'recordHandover',
  input: recordHandoverInput,
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, donationId, receivedOn, donorConfirmed }, caller) => {
    const { result } = await runOnce('recordHandover', caller.uid, requestId, async (batch) => {
      const ref = db().collection(collections.donations).doc(donationId);
      const donation = await ref.get();
      if (!donation.exists || donation.get('kind') !== 'goods') {
        throw new HttpsError('not-found', '没有这笔物资捐助');
      }
      await needForAction('recordHandover', caller, String(donation.get('needId')));
      const inPerson = (donation.get('delivery') as { method: string }).method === 'in_person';
      if (inPerson && !donorConfirmed) {
        throw new HttpsError('invalid-argument', '当面交接需要捐赠人和受助户双方确认', {
          issues: [{ path: 'donorConfirmed', code: 'donor_confirmation_required' }],
        });
      }
      if (!['pending', 'held', 'shipped'].includes(donation.get('status'))) {
        throw new HttpsError('failed-precondition', '这笔捐助不能登记为已送达', {
          status: donation.get('status'),
        });
      }
      batch.update(ref, {
        status: 'delivered',
        handover: { receivedOn, recordedBy: caller.uid, recipientConfirmed: true, donorConfirmed },
        deliveredAt: FieldValue.serverTimestamp(),
      });
      return { donationId, status: 'delivered' as const };
    });
    return result;
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
export const attachGoodsPhoto = callable({
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
