/**
 * Direct transfer to the household's account (the seventh element): a donor who pledges by
 * transfer, and only that donor, sees the payee and account, every look audited; Alipay is not
 * offered for it; the village's own administrator records the arrival from the passbook with a
 * processed photo of the village and the household's confirmation, and only then is the gift
 * received, counted and certified; the same record twice is one receipt; an amount that differs
 * is recorded as an exception as entered and the pledge waits on; anyone else is refused; a
 * refund of a transfer is recorded (no Alipay refund) and revokes the certificate.
 */
import { randomInt, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { regionFieldsOf } from '../../functions/src/domain/regions';
import { collections } from '../../functions/src/services/db';
import {
  copyMoneyNeed,
  adminDb,
  call,
  donationStatus,
  functionLogs,
  idle,
  newRequestId,
  signIn,
  signInAsDonor,
} from '../support/platform';

/** 营盘村 (v02): no other test gives money here; the needs below are this file's own. */
const village = '520526105202';

let admin: string;
let otherAdmin: string;
let helper: string;
let photoId: string;
let otherVillagePhotoId: string;

async function uploadPhoto(token: string): Promise<string> {
  const id = randomUUID();
  const jpeg = await sharp({
    create: { width: 640, height: 480, channels: 3, background: '#c8d8e8' },
  })
    .jpeg()
    .toBuffer();
  const { error } = await call(
    'uploadEvidencePhoto',
    {
      photoId: id,
      draftId: randomUUID(),
      contentType: 'image/jpeg',
      dataBase64: jpeg.toString('base64'),
    },
    token,
  );
  if (error) throw new Error(`upload refused: ${error.message}`);
  await idle();
  return id;
}

/** A published money need of the village with the household's account, nobody's yet. */
async function freshNeed(
  amountFen: number,
): Promise<{ id: string; headName: string; account: string }> {
  const { id, headName, bankAccount } = await copyMoneyNeed(village, amountFen, 'xfer');
  return { id, headName, account: bankAccount };
}

const newDonor = () =>
  signInAsDonor(`+861375${String(randomInt(10_000_000)).padStart(7, '0')}`, {
    name: `转账测试${randomInt(1000)}`,
  });

async function pledge(donor: string, needId: string, amountFen: number, method?: string) {
  const made = await call<{ donationId: string }>(
    'donate',
    { requestId: newRequestId(), needId, amountFen, ...(method ? { method } : {}) },
    donor,
  );
  expect(made.error).toBeUndefined();
  const donationId = made.result?.donationId as string;
  expect(await donationStatus(donationId)).toBe('pledged');
  return donationId;
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function arrival(donationId: string, amountFen: number, photo = photoId) {
  return {
    requestId: newRequestId(),
    donationId,
    arrivedOn: today(),
    amountFen,
    referenceLast4: '0417',
    evidencePhotoId: photo,
    householdConfirmed: true,
  };
}

async function donation(donationId: string) {
  await idle();
  return (await adminDb().collection(collections.donations).doc(donationId).get()).data() ?? {};
}

async function needFigures(needId: string) {
  const need = await adminDb().collection(collections.needs).doc(needId).get();
  return {
    raisedFen: Number(need.get('raisedFen') ?? 0),
    heldFen: Number(need.get('heldFen') ?? 0),
  };
}

async function receiptsFor(donationId: string) {
  return (
    await adminDb()
      .collection(collections.paymentReceipts)
      .where('outTradeNo', '==', donationId)
      .get()
  ).docs.map((doc) => ({ id: doc.id, ...doc.data() }));
}

async function exceptionsFor(donationId: string) {
  return (
    await adminDb()
      .collection(collections.paymentExceptions)
      .where('outTradeNo', '==', donationId)
      .get()
  ).docs.map((doc) => ({ id: doc.id, ...doc.data() }));
}

async function auditOf(donationId: string) {
  return (
    await adminDb()
      .collection(collections.auditLog)
      .where('resource', '==', `${collections.donations}/${donationId}`)
      .get()
  ).docs.map((doc) => doc.data());
}

/** The certificate is issued by a trigger after the move: wait for it, a few seconds at most. */
async function certificateOf(donationId: string): Promise<string | undefined> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const serial = (await donation(donationId)).certificateSerial as string | undefined;
    if (serial) return serial;
    await new Promise((done) => setTimeout(done, 250));
  }
  return undefined;
}

beforeAll(async () => {
  [admin, otherAdmin, helper] = await Promise.all([
    signIn('v02a@demo.fupin.cn'),
    signIn('v03a@demo.fupin.cn'),
    signIn('helper3@demo.fupin.cn'),
  ]);
  [photoId, otherVillagePhotoId] = await Promise.all([uploadPhoto(admin), uploadPhoto(otherAdmin)]);
  const photo = await adminDb().collection(collections.evidencePhotos).doc(photoId).get();
  expect(photo.get('status')).toBe('processed');
});

describe('a pledge by direct transfer', () => {
  let need: Awaited<ReturnType<typeof freshNeed>>;
  let donor: string;
  let donationId: string;

  beforeAll(async () => {
    need = await freshNeed(10_000);
    donor = await newDonor();
    donationId = await pledge(donor, need.id, 3000, 'transfer');
  });

  it('shows the account to its own donor only, every look audited, and opens no Alipay order', async () => {
    expect((await donation(donationId)).method).toBe('transfer');
    const shown = await call('getTransferAccount', { donationId }, donor);
    expect(shown.error).toBeUndefined();
    expect(shown.result).toEqual({
      donationId,
      payeeName: need.headName,
      bankAccount: need.account,
      amountFen: 3000,
      payBy: expect.any(Number),
    });
    expect(shown.result?.payBy as number).toBeGreaterThan(Date.now());

    const stranger = await newDonor();
    const refused = await call('getTransferAccount', { donationId }, stranger);
    expect(refused.error?.status).toBe('PERMISSION_DENIED');
    expect(JSON.stringify(refused)).not.toContain(need.account);
    const missing = await call('getTransferAccount', { donationId: 'no-such-donation' }, stranger);
    expect(missing.error?.status).toBe('PERMISSION_DENIED');

    const audit = await auditOf(donationId);
    expect(audit.map((entry) => [entry.action, entry.outcome]).sort()).toEqual([
      ['transfer_account', 'denied'],
      ['transfer_account', 'granted'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(need.account);

    const alipay = await call('startPayment', { donationId }, donor);
    expect(alipay.error).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(alipay.error?.message).toContain('银行转账');

    const mine = await call<{ donations: Array<{ id: string; method: string | null }> }>(
      'listMyDonations',
      {},
      donor,
    );
    expect(mine.result?.donations.find((gift) => gift.id === donationId)?.method).toBe('transfer');
  });

  it('is received only when its own village administrator records the arrival with a processed photo, once', async () => {
    // Nobody else records it, and no photo but a processed one of the village proves it.
    for (const token of [helper, otherAdmin, donor]) {
      const refused = await call('recordTransferArrival', arrival(donationId, 3000), token);
      expect(refused.error?.status).toBe('PERMISSION_DENIED');
    }
    const foreignPhoto = await call(
      'recordTransferArrival',
      arrival(donationId, 3000, otherVillagePhotoId),
      admin,
    );
    expect(foreignPhoto.error?.status).toBe('INVALID_ARGUMENT');
    expect(JSON.stringify(foreignPhoto.error?.details)).toContain('evidence_unknown');
    const unprocessed = randomUUID();
    await adminDb()
      .collection(collections.evidencePhotos)
      .doc(unprocessed)
      .set({ villageCode: village, uploaderUid: 'demo-v02a', status: 'uploaded' });
    const early = await call(
      'recordTransferArrival',
      arrival(donationId, 3000, unprocessed),
      admin,
    );
    expect(early.error?.status).toBe('INVALID_ARGUMENT');
    expect(early.error?.message).toContain('处理中');
    expect(await donationStatus(donationId)).toBe('pledged');
    expect(await needFigures(need.id)).toEqual({ raisedFen: 0, heldFen: 3000 });
    expect((await donation(donationId)).certificateSerial).toBeUndefined();

    const record = arrival(donationId, 3000);
    const recorded = await call('recordTransferArrival', record, admin);
    expect(recorded).toEqual({ result: { donationId, outcome: 'received' } });
    expect(await donationStatus(donationId)).toBe('received');
    expect(await needFigures(need.id)).toEqual({ raisedFen: 3000, heldFen: 0 });
    expect(await certificateOf(donationId)).toMatch(/^FP-/);
    const receipts = await receiptsFor(donationId);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      provider: 'transfer',
      via: 'record',
      amountFen: 3000,
      donationId,
      transfer: {
        arrivedOn: record.arrivedOn,
        referenceLast4: '0417',
        evidencePhotoId: photoId,
        householdConfirmed: true,
      },
    });

    // Sent again (a lost answer), or recorded again by a second click: still one receipt.
    expect((await call('recordTransferArrival', record, admin)).result).toEqual({
      donationId,
      outcome: 'repeated',
    });
    expect((await call('recordTransferArrival', arrival(donationId, 3000), admin)).result).toEqual({
      donationId,
      outcome: 'repeated',
    });
    expect(await receiptsFor(donationId)).toHaveLength(1);
    expect(await exceptionsFor(donationId)).toEqual([]);
    expect(await needFigures(need.id)).toEqual({ raisedFen: 3000, heldFen: 0 });
    // The account is no longer shown once the money is there.
    const after = await call('getTransferAccount', { donationId }, donor);
    expect(after.error?.status).toBe('FAILED_PRECONDITION');
  });

  it('records another amount as an exception as entered, the pledge still waiting and uncertified', async () => {
    const second = await newDonor();
    const pledged = await pledge(second, need.id, 2000, 'transfer');
    const recorded = await call('recordTransferArrival', arrival(pledged, 1999), admin);
    expect(recorded).toEqual({
      result: { donationId: pledged, outcome: 'exception', kind: 'amount_mismatch' },
    });
    expect(await donationStatus(pledged)).toBe('pledged');
    expect(await needFigures(need.id)).toEqual({ raisedFen: 3000, heldFen: 2000 });
    expect(await receiptsFor(pledged)).toEqual([]);
    const exceptions = await exceptionsFor(pledged);
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({
      provider: 'transfer',
      kind: 'amount_mismatch',
      amountFen: 1999,
      donationAmountFen: 2000,
      donationStatus: 'pledged',
      donationId: pledged,
      ...regionFieldsOf(village),
      transfer: { referenceLast4: '0417', evidencePhotoId: photoId },
    });
    const alerts = (await functionLogs()).filter(
      (entry) =>
        entry.event === 'payment_exception' &&
        entry.outTradeNo === pledged &&
        entry.severity === 'ERROR',
    );
    expect(alerts).toHaveLength(1);
    await idle();
    expect((await donation(pledged)).certificateSerial).toBeUndefined();
  });

  it('takes no record for a gift paid through Alipay, and shows no account for it', async () => {
    const donor2 = await newDonor();
    const online = await pledge(donor2, need.id, 1000);
    expect((await donation(online)).method).toBe('alipay');
    const recorded = await call('recordTransferArrival', arrival(online, 1000), admin);
    expect(recorded.error?.status).toBe('FAILED_PRECONDITION');
    expect(recorded.error?.message).toContain('支付宝');
    const account = await call('getTransferAccount', { donationId: online }, donor2);
    expect(account.error?.status).toBe('FAILED_PRECONDITION');
    expect(await donationStatus(online)).toBe('pledged');
  });

  it('takes five records of one arrival sent at once as one receipt and no exception', async () => {
    const own = await freshNeed(5000);
    const giver = await newDonor();
    const pledged = await pledge(giver, own.id, 2500, 'transfer');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call('recordTransferArrival', arrival(pledged, 2500), admin)),
    );
    expect(answers.map((answer) => answer.result?.outcome).sort()).toEqual([
      'received',
      'repeated',
      'repeated',
      'repeated',
      'repeated',
    ]);
    expect(await receiptsFor(pledged)).toHaveLength(1);
    expect(await exceptionsFor(pledged)).toEqual([]);
    expect(await needFigures(own.id)).toEqual({ raisedFen: 2500, heldFen: 0 });
  });

  it('refunds a received transfer by record only (no Alipay), raised down and the certificate revoked', async () => {
    const serial = await certificateOf(donationId);
    const ops = await signIn('ops@demo.fupin.cn');
    const refunded = await call(
      'refundDonation',
      { requestId: newRequestId(), donationId, reason: 'donation_refunded' },
      ops,
    );
    expect(refunded).toEqual({ result: { donationId, status: 'refunded' } });
    const after = await donation(donationId);
    expect(after.status).toBe('refunded');
    expect(after.providerRefund).toBeUndefined();
    expect((await needFigures(need.id)).raisedFen).toBe(0);
    expect((await call<{ status: string }>('verifyCertificate', { serial })).result?.status).toBe(
      'revoked',
    );
  });
});
