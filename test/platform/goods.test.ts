/**
 * Goods donations: a pledge holds part of a need's items, a tracking number checked for its
 * courier ships it, an expired pledge gives its quantities back, and a face-to-face hand-over
 * confirmed by both sides delivers it and earns the donor an honour certificate.
 */
import { join } from 'node:path';
import {
  adminDb,
  call,
  idle,
  newRequestId,
  pledgeGoods,
  publishedNeedIn,
  runSchedule,
  signIn,
  signInAsDonor,
} from '../support/platform';

type GoodsNeed = Awaited<ReturnType<typeof publishedNeedIn>>;

const progressOf = async (needId: string) =>
  (await adminDb().collection('needs').doc(needId).get()).get('itemProgress') as Array<{
    pledged: number;
    delivered: number;
  }>;

const statusOf = async (donationId: string) =>
  String((await adminDb().collection('donations').doc(donationId).get()).get('status'));

describe('goods donations', () => {
  let need: GoodsNeed;
  let donor: string;
  beforeAll(async () => {
    need = await publishedNeedIn('520526105204', 'goods');
    donor = await signInAsDonor('+8613700000841', { name: '钱物资' });
  });

  it('takes part of an item once per request, ships it with an SF number, and keeps the need findable', async () => {
    const item = need.items[0] as GoodsNeed['items'][number];
    const part = Math.max(1, Math.floor(item.quantity / 2));
    const pledge = {
      requestId: newRequestId(),
      needId: need.id,
      items: [{ itemIndex: 0, quantity: part }],
      delivery: { method: 'express', courier: 'sf', trackingNumber: 'sf 1234 5678 9012 3' },
    };
    const [first, again] = await Promise.all([
      call<{ donationId: string }>('pledgeGoods', pledge, donor),
      call<{ donationId: string }>('pledgeGoods', pledge, donor),
    ]);
    expect(again.result).toEqual(first.result);
    await idle();
    const donationId = first.result?.donationId as string;
    const stored = await adminDb().collection('donations').doc(donationId).get();
    expect(stored.get('status')).toBe('shipped');
    expect(stored.get('delivery')).toEqual({
      method: 'express',
      courier: 'sf',
      trackingNumber: 'SF1234567890123',
    });
    expect((await progressOf(need.id))[0]).toEqual({ pledged: part, delivered: 0 });
    // Matched (对接) only once every item is pledged: a part leaves the need findable.
    expect((await adminDb().collection('needs').doc(need.id).get()).get('status')).toBe(
      'published',
    );
    const listed = await call<{ items: Array<{ pledged: number }> }>(
      'getPublicNeed',
      { needId: need.id },
      donor,
    );
    expect(listed.result?.items[0]?.pledged).toBe(part);
  });

  it('refuses a tracking number in another courier’s format, with its field path', async () => {
    const { error } = await pledgeGoods(donor, need.id, [{ itemIndex: 0, quantity: 1 }], {
      method: 'express',
      courier: 'yto',
      trackingNumber: 'SF1234567890123',
    });
    expect(error?.status).toBe('INVALID_ARGUMENT');
    expect(error?.details?.issues).toEqual([
      { path: 'delivery.trackingNumber', code: 'tracking_format' },
    ]);
  });

  it('refuses more than is still free, saying how much is', async () => {
    const progress = await progressOf(need.id);
    const free = (need.items[0]?.quantity as number) - (progress[0]?.pledged as number);
    const { error } = await pledgeGoods(donor, need.id, [{ itemIndex: 0, quantity: free + 1 }], {
      method: 'in_person',
    });
    expect(error?.status).toBe('FAILED_PRECONDITION');
    expect(error?.details).toEqual({ itemIndex: 0, remaining: free });
  });

  it('releases a pledge whose 72 hours ran out, so another donor can give it', async () => {
    const item = need.items.at(-1) as GoodsNeed['items'][number];
    const itemIndex = need.items.length - 1;
    const before = (await progressOf(need.id))[itemIndex]?.pledged ?? 0;
    const free = item.quantity - before;
    const slow = await pledgeGoods(donor, need.id, [{ itemIndex, quantity: free }], {
      method: 'express',
      courier: 'ems',
    });
    await idle();
    const slowId = slow.result?.donationId as string;
    expect(await statusOf(slowId)).toBe('held');
    expect(slow.result?.expiresAt).toBeGreaterThan(Date.now() + 71 * 3600_000);
    expect((await progressOf(need.id))[itemIndex]?.pledged).toBe(item.quantity);

    // Three days pass with no tracking number: the pledge's hold ends now.
    await adminDb()
      .collection('donations')
      .doc(slowId)
      .update({ expiresAt: new Date(Date.now() - 1000) });
    await runSchedule('expireGoodsPledges');
    await idle();
    expect(await statusOf(slowId)).toBe('expired');
    expect((await progressOf(need.id))[itemIndex]?.pledged).toBe(before);
    const late = await call(
      'recordShipment',
      {
        requestId: newRequestId(),
        donationId: slowId,
        courier: 'sf',
        trackingNumber: 'SF123456789012',
      },
      donor,
    );
    expect(late.error?.status).toBe('FAILED_PRECONDITION');

    const other = await signInAsDonor('+8613700000842', { name: '孙及时' });
    const taken = await pledgeGoods(other, need.id, [{ itemIndex, quantity: free }], {
      method: 'express',
      courier: 'sf',
    });
    await idle();
    expect(await statusOf(taken.result?.donationId as string)).toBe('held');
    expect((await progressOf(need.id))[itemIndex]?.pledged).toBe(item.quantity);
  });
});

describe('a face-to-face hand-over', () => {
  it('keeps a photo of the goods, needs both confirmations, delivers them and issues a certificate naming them', async () => {
    const need = await publishedNeedIn('520526105208', 'goods');
    const donor = await signInAsDonor('+8613700000851', { name: '郑当面' });
    const pledged = await pledgeGoods(donor, need.id, [{ itemIndex: 0, quantity: 1 }], {
      method: 'in_person',
    });
    await idle();
    const donationId = pledged.result?.donationId as string;

    // The donor shows what is coming: a photo, re-encoded without its metadata.
    const { default: sharp } = await import('sharp');
    const jpeg = await sharp({
      create: { width: 1200, height: 900, channels: 3, background: '#8a6' },
    })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Make: 'TestPhone' } } })
      .toBuffer();
    const photo = {
      requestId: newRequestId(),
      donationId,
      contentType: 'image/jpeg',
      dataBase64: jpeg.toString('base64'),
    };
    expect((await call('attachGoodsPhoto', photo, donor)).result).toEqual({
      donationId,
      photo: true,
    });
    const stored = await adminDb().collection('donations').doc(donationId).get();
    expect(stored.get('photo')).toEqual({
      displayPath: `goods/${donationId}/display.jpg`,
      thumbPath: `goods/${donationId}/thumb.jpg`,
    });
    // What is stored and shown carries no metadata from the phone (no EXIF, so no GPS).
    const kept = await sharp(
      join(
        process.env.FUPIN_TEST_DATA_DIR as string,
        'storage/objects',
        `goods/${donationId}/display.jpg`,
      ),
    ).metadata();
    expect(kept.format).toBe('jpeg');
    expect(kept.exif).toBeUndefined();
    const notPhoto = await call(
      'attachGoodsPhoto',
      {
        ...photo,
        requestId: newRequestId(),
        dataBase64: Buffer.from('%PDF-1.7 not a photo').toString('base64'),
      },
      donor,
    );
    expect(notPhoto.error?.status).toBe('INVALID_ARGUMENT');
    expect(notPhoto.error?.details?.issues?.[0]?.path).toBe('dataBase64');
    const stranger = await signInAsDonor('+8613700000853', { name: '冯旁人' });
    const foreign = await call(
      'attachGoodsPhoto',
      { ...photo, requestId: newRequestId() },
      stranger,
    );
    expect(foreign.error?.status).toBe('NOT_FOUND');

    const handover = { donationId, receivedOn: '2026-11-20', recipientConfirmed: true };

    const otherVillage = await call(
      'recordHandover',
      { ...handover, requestId: newRequestId() },
      await signIn('v04a@demo.fupin.cn'),
    );
    expect(otherVillage.error?.status).toBe('PERMISSION_DENIED');
    // The cadre can no longer tick the donor's side for them.
    const admin = await signIn('v08a@demo.fupin.cn');
    const ticked = await call(
      'recordHandover',
      { ...handover, requestId: newRequestId(), donorConfirmed: true },
      admin,
    );
    expect(ticked.error?.details?.issues).toEqual([
      { path: 'donorConfirmed', code: 'unrecognized_keys' },
    ]);
    const recorded = await call(
      'recordHandover',
      { ...handover, requestId: newRequestId() },
      admin,
    );
    expect(recorded.result).toEqual({ donationId, status: 'shipped', awaiting: 'donor' });
    await idle();
    expect(await statusOf(donationId)).toBe('shipped');
    expect((await progressOf(need.id))[0]?.delivered).toBe(0);
    // Only the donor confirms their side, from 我的捐助; a second tap answers the same.
    const notTheirs = await call(
      'confirmHandover',
      { requestId: newRequestId(), donationId },
      stranger,
    );
    expect(notTheirs.error?.status).toBe('NOT_FOUND');
    const confirmed = await call(
      'confirmHandover',
      { requestId: newRequestId(), donationId },
      donor,
    );
    expect(confirmed.result).toEqual({ donationId, status: 'delivered', awaiting: null });
    const again = await call('confirmHandover', { requestId: newRequestId(), donationId }, donor);
    expect(again.result).toEqual({ donationId, status: 'delivered', awaiting: null });
    await idle();
    expect((await progressOf(need.id))[0]?.delivered).toBe(1);

    const mine = await call<{ donations: Array<{ id: string; certificateSerial: string | null }> }>(
      'listMyDonations',
      {},
      donor,
    );
    const serial = mine.result?.donations.find((d) => d.id === donationId)?.certificateSerial;
    const verified = await call<{ status: string; record: { gift: unknown } }>(
      'verifyCertificate',
      { serial },
    );
    expect(verified.result?.status).toBe('genuine');
    expect(verified.result?.record.gift).toEqual({
      kind: 'goods',
      items: [{ name: need.items[0]?.name, quantity: 1, unit: need.items[0]?.unit }],
    });
  });
});

/** A published goods need of 开阳村 (v09) asking for `itemName`: the two there are this file's. */
async function kaiyangNeed(itemName: string) {
  const page = await adminDb()
    .collection('needs')
    .where('villageCode', '==', '520526105209')
    .where('status', '==', 'published')
    .get();
  const need = page.docs.find(
    (doc) =>
      doc.get('kind') === 'goods' &&
      (doc.get('items') as Array<{ name: string }>).some((item) => item.name === itemName),
  );
  if (!need) throw new Error(`no published need for ${itemName} in 开阳村`);
  return { id: need.id, items: need.get('items') as Array<{ name: string; quantity: number }> };
}

const myStatus = async (donor: string, donationId: string) =>
  (
    await call<{ donations: Array<{ id: string; status: string }> }>('listMyDonations', {}, donor)
  ).result?.donations.find((d) => d.id === donationId)?.status;

describe('a pledge past its time', () => {
  it('is lapsed everywhere at once, before any job has written it', async () => {
    const need = await kaiyangNeed('马铃薯良种');
    const quantity = need.items[0]?.quantity as number;
    const slow = await signInAsDonor('+8613700000871', { name: '卫迟寄' });
    const meeting = await signInAsDonor('+8613700000872', { name: '蒋迟见' });
    const express = await pledgeGoods(slow, need.id, [{ itemIndex: 0, quantity: quantity - 100 }], {
      method: 'express',
      courier: 'ems',
    });
    const inPerson = await pledgeGoods(meeting, need.id, [{ itemIndex: 0, quantity: 100 }], {
      method: 'in_person',
    });
    await idle();
    const expressId = express.result?.donationId as string;
    const inPersonId = inPerson.result?.donationId as string;
    expect(await statusOf(expressId)).toBe('held');
    expect(await statusOf(inPersonId)).toBe('held');

    // Their 72 hours end in a moment; no scheduler runs and nothing writes them afterwards.
    const soon = new Date(Date.now() + 2500);
    for (const id of [expressId, inPersonId]) {
      await adminDb().collection('donations').doc(id).update({ expiresAt: soon });
    }
    await idle();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, soon.getTime() - Date.now() + 300)),
    );
    expect(await statusOf(expressId)).toBe('held');

    // The donor, the village and the hand-over all see the lapse.
    expect(await myStatus(slow, expressId)).toBe('expired');
    const admin = await signIn('v09a@demo.fupin.cn');
    const listed = await call<{ donations: Array<{ id: string; status: string }> }>(
      'listNeedDonations',
      { needId: need.id },
      admin,
    );
    const statuses = new Map(listed.result?.donations.map((d) => [d.id, d.status]));
    expect(statuses.get(expressId)).toBe('expired');
    expect(statuses.get(inPersonId)).toBe('expired');
    const shipped = await call(
      'recordShipment',
      {
        requestId: newRequestId(),
        donationId: expressId,
        courier: 'sf',
        trackingNumber: 'SF123456789012',
      },
      slow,
    );
    expect(shipped.error?.status).toBe('FAILED_PRECONDITION');
    expect(shipped.error?.details).toEqual({ status: 'expired' });
    const handedOver = await call(
      'recordHandover',
      {
        requestId: newRequestId(),
        donationId: inPersonId,
        receivedOn: '2026-11-20',
        recipientConfirmed: true,
      },
      admin,
    );
    expect(handedOver.error?.status).toBe('FAILED_PRECONDITION');
    const donorSide = await call(
      'confirmHandover',
      { requestId: newRequestId(), donationId: inPersonId },
      meeting,
    );
    expect(donorSide.error?.status).toBe('FAILED_PRECONDITION');

    // Another donor may give the whole quantity at once, and the need page tells them so.
    const other = await signInAsDonor('+8613700000873', { name: '沈补位' });
    const live = await call<{ items: Array<{ pledged: number }> }>(
      'getGoodsAvailability',
      { needId: need.id },
      other,
    );
    expect(live.result?.items[0]?.pledged).toBe(0);
    const taken = await pledgeGoods(other, need.id, [{ itemIndex: 0, quantity }], {
      method: 'express',
      courier: 'sf',
    });
    expect(taken.error).toBeUndefined();
    await idle();
    expect(await statusOf(taken.result?.donationId as string)).toBe('held');
    expect(await statusOf(expressId)).toBe('expired');
    expect((await progressOf(need.id))[0]?.pledged).toBe(quantity);
  });
});

describe('where the goods go, and when a need is fulfilled', () => {
  it('tells only the pledging donor the village office, the village only a face-to-face donor, and logs each', async () => {
    const need = await kaiyangNeed('棉被');
    const blankets = need.items.findIndex((item) => item.name === '棉被');
    const coats = need.items.findIndex((item) => item.name === '冬衣');
    const meeting = await signInAsDonor('+8613700000881', { name: '韩当面' });
    const courier = await signInAsDonor('+8613700000882', { name: '杨快递' });
    const stranger = await signInAsDonor('+8613700000883', { name: '朱路过' });
    const admin = await signIn('v09a@demo.fupin.cn');
    const face = await pledgeGoods(
      meeting,
      need.id,
      [{ itemIndex: blankets, quantity: need.items[blankets]?.quantity as number }],
      { method: 'in_person' },
    );
    const sent = await pledgeGoods(
      courier,
      need.id,
      [{ itemIndex: coats, quantity: need.items[coats]?.quantity as number }],
      { method: 'express', courier: 'sf' },
    );
    await idle();
    const faceId = face.result?.donationId as string;
    const sentId = sent.result?.donationId as string;

    // The donor who pledged by express learns where to send: the village office, not a home.
    type Contact = {
      receiving: { address: string; contactName: string; phone: string } | null;
      donor: { name: string; phone: string } | null;
    };
    const address = await call<Contact>('getGoodsContact', { donationId: sentId }, courier);
    expect(address.result?.receiving).toEqual({
      address: expect.stringContaining('开阳村村民委员会'),
      contactName: '开阳村信息员甲',
      phone: '0857-6209000',
    });
    const household = await adminDb().collection('needs').doc(need.id).get();
    expect(address.result?.receiving?.address).not.toContain(String(household.get('address')));
    // Nobody else: another donor, an anonymous caller.
    const other = await call('getGoodsContact', { donationId: sentId }, stranger);
    expect(other.error?.status).toBe('NOT_FOUND');
    const anonymous = await call('getGoodsContact', { donationId: sentId });
    expect(anonymous.error?.status).toBe('UNAUTHENTICATED');
    // Face to face, the village sees the donor's phone; an express donor's is not theirs to see.
    const donorContact = await call<Contact>('getGoodsContact', { donationId: faceId }, admin);
    expect(donorContact.result?.donor).toEqual({ name: '韩当面', phone: '13700000881' });
    const meetingSide = await call<Contact>('getGoodsContact', { donationId: faceId }, meeting);
    expect(meetingSide.result?.receiving?.contactName).toBe('开阳村信息员甲');
    const expressDonor = await call('getGoodsContact', { donationId: sentId }, admin);
    expect(expressDonor.error?.status).toBe('FAILED_PRECONDITION');
    const audit = await adminDb()
      .collection('auditLog')
      .where('resource', 'in', [`donations/${sentId}`, `donations/${faceId}`])
      .get();
    const entries = audit.docs.map((doc) => `${doc.get('field')}:${doc.get('outcome')}`).sort();
    expect(entries).toEqual(
      [
        'donorContact:denied',
        'donorContact:granted',
        'receivingContact:denied',
        'receivingContact:granted',
        'receivingContact:granted',
      ].sort(),
    );

    // The household received the blankets; the coats are on their way: not fulfilled.
    // This time the donor confirms first; the household's side completes it.
    const donorFirst = await call(
      'confirmHandover',
      { requestId: newRequestId(), donationId: faceId },
      meeting,
    );
    expect(donorFirst.result).toEqual({
      donationId: faceId,
      status: 'held',
      awaiting: 'recipient',
    });
    expect(await statusOf(faceId)).toBe('held');
    const blanketsIn = await call(
      'recordHandover',
      {
        requestId: newRequestId(),
        donationId: faceId,
        receivedOn: '2026-11-20',
        recipientConfirmed: true,
      },
      admin,
    );
    expect(blanketsIn.result).toEqual({ donationId: faceId, status: 'delivered', awaiting: null });
    const shipped = await call(
      'recordShipment',
      {
        requestId: newRequestId(),
        donationId: sentId,
        courier: 'sf',
        trackingNumber: 'SF1234567890128',
      },
      courier,
    );
    expect(shipped.result).toEqual({ donationId: sentId, status: 'shipped' });
    await idle();
    expect(
      await adminDb()
        .collection('needs')
        .doc(need.id)
        .get()
        .then((d) => d.get('status')),
    ).toBe('matched');
    const early = await call(
      'confirmReceipt',
      { requestId: newRequestId(), needId: need.id, receivedOn: '2026-11-20' },
      admin,
    );
    expect(early.error?.status).toBe('FAILED_PRECONDITION');
    expect(early.error?.message).toContain('冬衣');
    expect(early.error?.details).toMatchObject({
      reason: 'goods_undelivered',
      undelivered: [{ itemIndex: coats, missing: need.items[coats]?.quantity }],
    });

    const coatsIn = await call(
      'recordHandover',
      {
        requestId: newRequestId(),
        donationId: sentId,
        receivedOn: '2026-11-21',
        recipientConfirmed: true,
      },
      admin,
    );
    expect(coatsIn.result).toMatchObject({ status: 'delivered' });
    await idle();
    const done = await call(
      'confirmReceipt',
      { requestId: newRequestId(), needId: need.id, receivedOn: '2026-11-21' },
      admin,
    );
    expect(done.result).toEqual({ needId: need.id, status: 'fulfilled' });
    // Once delivered, nobody is shown a contact any more.
    const after = await call('getGoodsContact', { donationId: sentId }, courier);
    expect(after.error?.status).toBe('FAILED_PRECONDITION');
  });
});

describe('a need no longer open', () => {
  it('takes no shipment: the donor is told not to send', async () => {
    const page = await adminDb()
      .collection('needs')
      .where('villageCode', '==', '520526105210')
      .where('status', '==', 'published')
      .get();
    const doc = page.docs.find(
      (d) =>
        d.get('kind') === 'goods' &&
        (d.get('items') as Array<{ name: string }>).some((item) => item.name === '棉被'),
    );
    const needId = doc?.id as string;
    const donor = await signInAsDonor('+8613700000891', { name: '秦晚寄' });
    const pledged = await pledgeGoods(donor, needId, [{ itemIndex: 0, quantity: 1 }], {
      method: 'express',
      courier: 'sf',
    });
    await idle();
    // No callable can close a need under a live pledge any more (fulfilled needs every item
    // delivered; a need with gifts cannot be withdrawn), so an office's console edit stands in.
    await adminDb().collection('needs').doc(needId).update({ status: 'withdrawn' });
    await idle();
    const late = await call(
      'recordShipment',
      {
        requestId: newRequestId(),
        donationId: pledged.result?.donationId,
        courier: 'sf',
        trackingNumber: 'SF1234567890135',
      },
      donor,
    );
    expect(late.error?.status).toBe('FAILED_PRECONDITION');
    expect(late.error?.message).toContain('请不要再寄出');
    expect(await statusOf(pledged.result?.donationId as string)).not.toBe('shipped');
  });
});

describe('both sides of a hand-over confirming at once', () => {
  it('delivers every pledge: neither side misses the other (20 tries)', async () => {
    const page = await adminDb()
      .collection('needs')
      .where('villageCode', '==', '520526105208')
      .where('status', '==', 'published')
      .get();
    const need = page.docs.find(
      (d) =>
        d.get('kind') === 'goods' &&
        (d.get('items') as Array<{ name: string }>).some((item) => item.name === '马铃薯良种'),
    );
    const needId = need?.id as string;
    const donor = await signInAsDonor('+8613700000895', { name: '许同时' });
    const admin = await signIn('v08b@demo.fupin.cn');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const pledged = await pledgeGoods(donor, needId, [{ itemIndex: 0, quantity: 1 }], {
        method: 'in_person',
      });
      ids.push(pledged.result?.donationId as string);
    }
    await idle();
    const answers = await Promise.all(
      ids.flatMap((donationId) => [
        call(
          'recordHandover',
          {
            requestId: newRequestId(),
            donationId,
            receivedOn: '2026-11-20',
            recipientConfirmed: true,
          },
          admin,
        ),
        call('confirmHandover', { requestId: newRequestId(), donationId }, donor),
      ]),
    );
    expect(answers.filter((answer) => answer.error).map((answer) => answer.error)).toEqual([]);
    await idle();
    const statuses = await Promise.all(ids.map(statusOf));
    expect(statuses.filter((status) => status !== 'delivered').length).toBe(0);
  });
});

describe('the village office receiving goods', () => {
  it('is kept by the village administrator, with the phone checked', async () => {
    const admin = await signIn('v07a@demo.fupin.cn');
    const seeded = await call<{ address: string }>('getVillageReceiving', {}, admin);
    expect(seeded.result?.address).toContain('石门坎村村民委员会');
    const refused = await call(
      'setVillageReceiving',
      { requestId: newRequestId(), address: '石门坎村村委会', contactName: '陈主任', phone: '110' },
      admin,
    );
    expect(refused.error?.details?.issues).toEqual([{ path: 'phone', code: 'phone_format' }]);
    const saved = await call(
      'setVillageReceiving',
      {
        requestId: newRequestId(),
        address: '石门乡石门坎村村级综合服务中心',
        contactName: '陈主任',
        phone: '0857 6207 001',
      },
      admin,
    );
    expect(saved.error).toBeUndefined();
    const read = await call('getVillageReceiving', {}, await signIn('v07b@demo.fupin.cn'));
    expect(read.result).toEqual({
      address: '石门乡石门坎村村级综合服务中心',
      contactName: '陈主任',
      phone: '0857-6207001',
    });
  });
});
