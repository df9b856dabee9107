/**
 * Honour certificates as donors and the public meet them: a received donation gets exactly one
 * certificate (PDF + PNG in Storage, a signed record), the donor downloads it, anyone verifies
 * its serial without signing in, and a tampered or refunded one says so.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  adminDb,
  call,
  deliveredEvents,
  functionLogs,
  idle,
  newRequestId,
  payPledge,
  publishedNeedIn,
  redeliver,
  signIn,
  signInAsDonor,
  signInByPhone,
} from '../support/platform';
import { maskName } from '../../functions/src/domain/need/names';

interface MyDonation {
  id: string;
  status: string;
  certificateSerial: string | null;
}

/** Every stored object named after a serial, wherever the folder store keeps the bucket. */
function storedFilesOf(serial: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      // The folder store keeps each object's metadata beside it in a .json file.
      else if (entry.name.startsWith(serial) && !entry.name.endsWith('.json'))
        found.push(entry.name);
    }
  };
  walk(join(process.env.FUPIN_TEST_DATA_DIR as string, 'storage'));
  return found.sort();
}

async function myCertificate(token: string, donationId: string): Promise<string> {
  const { result } = await call<{ donations: MyDonation[] }>('listMyDonations', {}, token);
  const mine = result?.donations.find((donation) => donation.id === donationId);
  if (!mine?.certificateSerial) throw new Error(`no certificate for ${donationId}`);
  return mine.certificateSerial;
}

describe('honour certificates', () => {
  let donor: string;
  let donationId: string;
  let serial: string;
  let needId: string;

  beforeAll(async () => {
    donor = await signInAsDonor('+8613700000801', {
      kind: 'enterprise',
      name: '威宁县赟犇农业发展有限公司',
    });
    needId = (await publishedNeedIn('520526105201', 'money')).id;
    const given = await call<{ donationId: string }>(
      'donate',
      { requestId: newRequestId(), needId, amountFen: 12_345 },
      donor,
    );
    donationId = given.result?.donationId as string;
    await idle();
    expect(await payPledge(donor, donationId)).toBe('received');
    serial = await myCertificate(donor, donationId);
  });

  it('issues one certificate the donor downloads as a real PDF naming donor and serial', async () => {
    expect(serial).toMatch(/^FP-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const files = await call<{ pdfUrl: string; pngUrl: string }>(
      'getCertificateFiles',
      { serial },
      donor,
    );
    const pdf = Buffer.from(await (await fetch(files.result?.pdfUrl as string)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    expect(text.replace(/\s+/g, '')).toContain('威宁县赟犇农业发展有限公司');
    expect(text).toContain(`证书编号：${serial}`);
    expect(text.replace(/\s+/g, '')).toContain('壹佰贰拾叁元肆角伍分');
    const png = Buffer.from(await (await fetch(files.result?.pngUrl as string)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('lets anyone verify the serial without signing in, and tells them only what the paper says', async () => {
    const { result } = await call<{
      status: string;
      record: Record<string, unknown>;
      previewUrl: string;
    }>('verifyCertificate', { serial: serial.toLowerCase() });
    expect(result?.status).toBe('genuine');
    expect(Object.keys(result?.record ?? {}).sort()).toEqual([
      'donorName',
      'gift',
      'householdMasked',
      'issuedAt',
      'serial',
      'villageName',
    ]);
    expect(result?.record.donorName).toBe('威宁县赟犇农业发展有限公司');
    expect(result?.record.gift).toEqual({ kind: 'money', amountFen: 12_345 });
    expect(result?.record.householdMasked).toContain('*');
    // No need or donation id: the demo's need ids carry the village's division code.
    const answer = JSON.stringify(result);
    expect(answer).not.toContain(needId);
    expect(answer).not.toContain(donationId);
    expect(answer).not.toContain('520526');
    const unknown = await call('verifyCertificate', { serial: 'FP-2026-0000-0000-0000' });
    expect(unknown.error?.status).toBe('NOT_FOUND');
    const malformed = await call('verifyCertificate', { serial: 'FP-2026-1' });
    expect(malformed.error?.status).toBe('INVALID_ARGUMENT');
  });

  it('keeps one certificate, one serial and one pair of files when its trigger runs again', async () => {
    // Every event of this donation, to both of its triggers, delivered once more.
    const events = await deliveredEvents({ document: `donations/${donationId}` });
    expect(events.filter((event) => event.fn === 'issueCertificate').length).toBeGreaterThan(1);
    for (const event of events) await redeliver(event.fn, event.id);
    await idle();
    const issued = (await functionLogs()).filter(
      (line) => line.event === 'certificate_issued' && line.donationId === donationId,
    );
    expect(issued).toHaveLength(1);
    const records = await adminDb()
      .collection('certificates')
      .where('donationId', '==', donationId)
      .get();
    expect(records.docs.map((doc) => doc.id)).toEqual([serial]);
    expect(await myCertificate(donor, donationId)).toBe(serial);
    expect(storedFilesOf(serial)).toEqual([`${serial}.pdf`, `${serial}.png`]);
    const need = await adminDb().collection('needs').doc(needId).get();
    expect(need.get('raisedFen')).toBeGreaterThanOrEqual(12_345);
    const accepted = await adminDb()
      .collection('donations')
      .where('needId', '==', needId)
      .where('status', '==', 'received')
      .get();
    expect(need.get('raisedFen')).toBe(
      accepted.docs.reduce((sum, doc) => sum + Number(doc.get('amountFen')), 0),
    );
  });

  it('gives the files to their donor only', async () => {
    const other = await signInAsDonor('+8613700000802', { name: '王小明' });
    const { error } = await call('getCertificateFiles', { serial }, other);
    expect(error?.status).toBe('PERMISSION_DENIED');
  });

  it('says a record changed after signing is tampered, and shows nothing of it', async () => {
    const tamperDonor = await signInAsDonor('+8613700000803', { name: '李爱心' });
    const given = await call<{ donationId: string }>(
      'donate',
      { requestId: newRequestId(), needId, amountFen: 5_000 },
      tamperDonor,
    );
    await idle();
    expect(await payPledge(tamperDonor, given.result?.donationId as string)).toBe('received');
    const tampered = await myCertificate(tamperDonor, given.result?.donationId as string);
    // Someone with database access adds a zero to the amount.
    await adminDb()
      .collection('certificates')
      .doc(tampered)
      .update({ 'record.gift.amountFen': 50_000 });
    const { result } = await call<Record<string, unknown>>('verifyCertificate', {
      serial: tampered,
    });
    expect(result).toEqual({ status: 'tampered' });
  });

  it('says a refunded donation’s certificate is revoked, and takes it out of the need', async () => {
    const refundDonor = await signInAsDonor('+8613700000804', { name: '张三丰' });
    const raisedBefore = Number(
      (await adminDb().collection('needs').doc(needId).get()).get('raisedFen'),
    );
    const given = await call<{ donationId: string }>(
      'donate',
      { requestId: newRequestId(), needId, amountFen: 8_000 },
      refundDonor,
    );
    await idle();
    expect(await payPledge(refundDonor, given.result?.donationId as string)).toBe('received');
    const refundedSerial = await myCertificate(refundDonor, given.result?.donationId as string);
    const ops = await signIn('ops@demo.fupin.cn');
    const refund = {
      requestId: newRequestId(),
      donationId: given.result?.donationId,
      reason: 'donation_refunded',
    };
    expect((await call('refundDonation', refund, refundDonor)).error?.status).toBe(
      'PERMISSION_DENIED',
    );
    expect((await call('refundDonation', refund, ops)).result).toEqual({
      donationId: given.result?.donationId,
      status: 'refunded',
    });
    await idle();
    const { result } = await call<{ status: string; revocation: { reason: string } }>(
      'verifyCertificate',
      { serial: refundedSerial },
    );
    expect(result?.status).toBe('revoked');
    expect(result?.revocation.reason).toBe('donation_refunded');
    expect((await adminDb().collection('needs').doc(needId).get()).get('raisedFen')).toBe(
      raisedBefore,
    );

    expect(
      (await adminDb().collection('certificateRevocations').doc(refundedSerial).get()).exists,
    ).toBe(true);

    // An insider tries to un-revoke it: clears the certificate document's revocation…
    const verdictOf = async () =>
      (
        await call<{ status: string; revocation?: unknown }>('verifyCertificate', {
          serial: refundedSerial,
        })
      ).result;
    await adminDb()
      .collection('certificates')
      .doc(refundedSerial)
      .update({ revocation: null, revocationSignature: null });
    // …and the signed revocation record still answers, with its reason and date.
    expect(await verdictOf()).toMatchObject({ status: 'revoked', revocation: result?.revocation });
    // …then deletes the signed revocation record as well: the refunded gift still says revoked.
    await adminDb().collection('certificateRevocations').doc(refundedSerial).delete();
    expect((await verdictOf())?.status).toBe('revoked');
    // A forged revocation record (no key, no valid signature) is seen as tampering.
    await adminDb()
      .collection('certificateRevocations')
      .doc(refundedSerial)
      .set({
        revocation: { reason: 'need_found_false', revokedAt: new Date().toISOString() },
        signature: 'A'.repeat(43),
      });
    expect(await verdictOf()).toEqual({ status: 'tampered' });
  });

  it('finds a certificate from its serial as people type it from paper', async () => {
    const fullWidth = (text: string) =>
      text.replace(/[0-9A-Z-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    // O for 0 and l for 1 (even where the serial has neither, the year has a 0), no dashes,
    // spaces, full-width characters and lower case, as a phone's Chinese keyboard gives them.
    const mistyped = [
      `${fullWidth(serial.slice(0, 7).replace('0', 'O'))} `,
      serial.slice(8, 12).replace(/0/g, 'O').replace(/1/g, 'l').toLowerCase(),
      '—',
      serial.slice(13, 17).replace(/0/g, 'o').replace(/1/g, 'I'),
      ' ',
      fullWidth(serial.slice(18).replace(/0/g, 'O').replace(/1/g, 'L')).toLowerCase(),
    ].join('');
    expect(mistyped).not.toBe(serial);
    const { result, error } = await call<{ status: string; record: { serial: string } }>(
      'verifyCertificate',
      { serial: mistyped },
    );
    expect(error).toBeUndefined();
    expect(result?.status).toBe('genuine');
    expect(result?.record.serial).toBe(serial);
    // U is no Crockford symbol: refused, not guessed.
    const withU = await call('verifyCertificate', { serial: `${serial.slice(0, -1)}U` });
    expect(withU.error?.status).toBe('INVALID_ARGUMENT');
    expect(withU.error?.details).toEqual({ issues: [{ path: 'serial', code: 'serial_invalid' }] });
  });

  it('certifies gifts made the moment a need is published, naming household and village', async () => {
    const village = '520526105201';
    const helper = await signIn('helper2@demo.fupin.cn');
    const admin = await signIn('v01a@demo.fupin.cn');
    const villageName = String(
      (await adminDb().collection('regions').doc(village).get()).get('name'),
    );
    const households = await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .where('helperUid', '==', 'demo-helper2')
      .get();
    const needs = await adminDb().collection('needs').where('villageCode', '==', village).get();
    const taken = new Set(needs.docs.map((doc) => doc.get('householdId')));
    const household = households.docs.find(
      (doc) =>
        doc.get('registered') === true && doc.get('status') !== 'stably_out' && !taken.has(doc.id),
    );
    if (!household) throw new Error('no household of helper2 without a need');
    const idNumber = String(
      (await adminDb().collection('householdsPrivate').doc(household.id).get()).get('idNumber'),
    );
    const photoId = randomUUID();
    await adminDb()
      .collection('evidencePhotos')
      .doc(photoId)
      .set({ villageCode: village, status: 'processed', uploaderUid: 'demo-helper2' });
    const submitted = await call<{ needId: string }>(
      'submitNeed',
      {
        requestId: newRequestId(),
        householdId: household.id,
        category: 'education',
        kind: 'money',
        amountFen: 300_000,
        headName: household.get('headName'),
        idNumber,
        address: household.get('address'),
        reason: '孩子考上高中，学杂费和住宿费需要资助',
        evidencePhotoIds: [photoId],
        bankAccount: '6222020200112233445',
        adminName: `${villageName}信息员甲`,
      },
      helper,
    );
    const freshNeed = submitted.result?.needId as string;
    expect(freshNeed).toBeDefined();
    await call('startNeedReview', { requestId: newRequestId(), needId: freshNeed }, admin);
    const donors = await Promise.all(
      ['+8613700000871', '+8613700000872', '+8613700000873'].map((phone, index) =>
        signInAsDonor(phone, { name: ['赵爱华', '钱慧敏', '孙志强'][index] as string }),
      ),
    );
    await idle();
    const published = await call(
      'reviewNeed',
      {
        requestId: newRequestId(),
        needId: freshNeed,
        reviewDate: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        reviewerName: `${villageName}信息员甲`,
        opinion: 'publish',
      },
      admin,
    );
    expect(published.result).toEqual({ needId: freshNeed, status: 'published' });
    // At once, before the public projection is written.
    const gifts = await Promise.all(
      donors.map((token) =>
        call<{ donationId: string }>(
          'donate',
          { requestId: newRequestId(), needId: freshNeed, amountFen: 10_000 },
          token,
        ),
      ),
    );
    await idle();
    for (const [index, gift] of gifts.entries())
      expect(await payPledge(donors[index] as string, gift.result?.donationId as string)).toBe(
        'received',
      );
    const masked = maskName(String(household.get('headName')));
    for (const [index, gift] of gifts.entries()) {
      const giftId = gift.result?.donationId as string;
      expect(giftId).toBeDefined();
      const token = donors[index] as string;
      // 我的捐助 names the household too, not only the certificate.
      const mine = await call<{
        donations: Array<{ id: string; maskedName: string; villageName: string }>;
      }>('listMyDonations', {}, token);
      expect(mine.result?.donations.find((donation) => donation.id === giftId)).toMatchObject({
        maskedName: masked,
        villageName,
      });
      const certificate = await myCertificate(token, giftId);
      const verified = await call<{
        status: string;
        record: { householdMasked: string; villageName: string };
      }>('verifyCertificate', { serial: certificate });
      expect(verified.result?.status).toBe('genuine');
      expect(verified.result?.record).toMatchObject({ householdMasked: masked, villageName });
      const files = await call<{ pdfUrl: string }>(
        'getCertificateFiles',
        { serial: certificate },
        token,
      );
      const pdf = Buffer.from(await (await fetch(files.result?.pdfUrl as string)).arrayBuffer());
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
      expect(text.replace(/\s+/g, '')).toContain(`${villageName}${masked}户`);
    }
    const failed = (await functionLogs()).filter(
      (line) =>
        line.event === 'certificate_failed' &&
        gifts.some((gift) => gift.result?.donationId === line.donationId),
    );
    expect(failed).toEqual([]);
  });

  it('logs an ERROR naming why when a certificate cannot be issued, and does not retry in vain', async () => {
    // A gift recorded by another path, for a need that does not exist: nothing to print.
    const orphan = await adminDb().collection('donations').add({
      needId: 'no-such-need',
      donorUid: 'demo-donor1',
      kind: 'money',
      amountFen: 1_000,
      status: 'received',
      donorName: '李爱心',
      donorUnit: '',
      maskedName: '',
      villageName: '',
      madeAt: new Date(),
    });
    await idle();
    const failed = (await functionLogs()).filter(
      (line) => line.event === 'certificate_failed' && line.donationId === orphan.id,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      severity: 'ERROR',
      reason: 'need_missing',
      missing: 'needs/{needId}',
      retrying: false,
    });
    expect((await orphan.get()).get('certificateSerial')).toBeUndefined();
  });

  it('certifies no money that a payment receipt does not prove arrived, whatever its status says', async () => {
    // A pledge set to received by hand (a console edit), on a real need: no receipt names it.
    const unproven = await call<{ donationId: string }>(
      'donate',
      { requestId: newRequestId(), needId, amountFen: 100 },
      donor,
    );
    const id = unproven.result?.donationId as string;
    await idle();
    const ref = adminDb().collection('donations').doc(id);
    expect((await ref.get()).get('status')).toBe('pledged');
    await ref.update({ status: 'received' });
    await idle();
    // Put back as it was, so the township's money reconciles again for the other tests.
    await ref.update({ status: 'pledged' });
    await idle();
    const failed = (await functionLogs()).filter(
      (line) => line.event === 'certificate_failed' && line.donationId === id,
    );
    expect(failed.map((line) => [line.severity, line.reason, line.retrying])).toEqual([
      ['ERROR', 'payment_unproven', false],
    ]);
    expect((await ref.get()).get('certificateSerial')).toBeUndefined();
    const certificates = await adminDb()
      .collection('certificates')
      .where('donationId', '==', id)
      .get();
    expect(certificates.size).toBe(0);
  });

  it('shows the demo township’s donors the certificates of their seeded gifts', async () => {
    const seeded = await signInByPhone('+8613800000001');
    const { result } = await call<{ donations: MyDonation[] }>('listMyDonations', {}, seeded);
    const gift = result?.donations.find((donation) => donation.id === 'demo-gift-1');
    expect(gift?.status).toBe('received');
    const verified = await call<{ status: string; record: { donorName: string } }>(
      'verifyCertificate',
      { serial: gift?.certificateSerial },
    );
    expect(verified.result?.status).toBe('genuine');
    expect(verified.result?.record.donorName).toBe('李爱心');
  });
});
