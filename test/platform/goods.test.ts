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

  it('takes part of an item once per request, ships it with an SF number, and matches the need', async () => {
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
    expect((await adminDb().collection('needs').doc(need.id).get()).get('status')).toBe('matched');
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
      { ...handover, requestId: newRequestId(), donorConfirmed: true },
      await signIn('v04a@demo.fupin.cn'),
    );
    expect(otherVillage.error?.status).toBe('PERMISSION_DENIED');
    const admin = await signIn('v08a@demo.fupin.cn');
    const oneSided = await call(
      'recordHandover',
      { ...handover, requestId: newRequestId(), donorConfirmed: false },
      admin,
    );
    expect(oneSided.error?.details?.issues).toEqual([
      { path: 'donorConfirmed', code: 'donor_confirmation_required' },
    ]);
    const recorded = await call(
      'recordHandover',
      { ...handover, requestId: newRequestId(), donorConfirmed: true },
      admin,
    );
    expect(recorded.result).toEqual({ donationId, status: 'delivered' });
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
