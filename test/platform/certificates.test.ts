/**
 * Honour certificates as donors and the public meet them: an accepted donation gets exactly one
 * certificate (PDF + PNG in Storage, a signed record), the donor downloads it, anyone verifies
 * its serial without signing in, and a tampered or refunded one says so.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  adminDb,
  call,
  deliveredEvents,
  functionLogs,
  idle,
  newRequestId,
  publishedNeedIn,
  redeliver,
  signIn,
  signInAsDonor,
  signInByPhone,
} from '../support/platform';

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

  it('lets anyone verify the serial without signing in', async () => {
    const { result } = await call<{
      status: string;
      record: { donorName: string; gift: unknown; householdMasked: string };
    }>('verifyCertificate', { serial: serial.toLowerCase() });
    expect(result?.status).toBe('genuine');
    expect(result?.record.donorName).toBe('威宁县赟犇农业发展有限公司');
    expect(result?.record.gift).toEqual({ kind: 'money', amountFen: 12_345 });
    expect(result?.record.householdMasked).toContain('*');
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
      .where('status', '==', 'accepted')
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
  });

  it('shows the demo township’s donors the certificates of their seeded gifts', async () => {
    const seeded = await signInByPhone('+8613800000001');
    const { result } = await call<{ donations: MyDonation[] }>('listMyDonations', {}, seeded);
    const gift = result?.donations.find((donation) => donation.id === 'demo-gift-1');
    expect(gift?.status).toBe('accepted');
    const verified = await call<{ status: string; record: { donorName: string } }>(
      'verifyCertificate',
      { serial: gift?.certificateSerial },
    );
    expect(verified.result?.status).toBe('genuine');
    expect(verified.result?.record.donorName).toBe('李爱心');
  });
});
