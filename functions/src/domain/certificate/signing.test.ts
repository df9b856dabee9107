import { serialFor } from './record';
import {
  certificateVerdict,
  signCertificate,
  signRevocation,
  verifyCertificate,
  verifyRevocation,
} from './signing';

const key = 'test-only-certificate-signing-key-0123456789';
const record = {
  serial: serialFor('donation-123', '2026-11-23', key),
  donorName: '王赟犇',
  donorUnit: '北京某某科技有限公司',
  householdMasked: '张*华',
  villageName: '十八洞村',
  gift: { kind: 'money' as const, amountFen: 123450 },
  issuedAt: '2026-11-23',
  donationId: 'donation-123',
  needId: 'need-9',
};
const goodsRecord = {
  ...record,
  gift: {
    kind: 'goods' as const,
    items: [
      { name: '棉被', quantity: 2, unit: '床' },
      { name: '大米', quantity: 50, unit: '斤' },
    ],
  },
};

describe('signing', () => {
  test('an untouched record verifies, in any key order', () => {
    const signature = signCertificate(record, key);
    expect(verifyCertificate(record, signature, key)).toBe(true);
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(verifyCertificate(reordered, signature, key)).toBe(true);
  });

  test.each([
    ['serial', { serial: serialFor('donation-124', '2026-11-23', key) }],
    ['donor name', { donorName: '王赟' }],
    ['donor unit', { donorUnit: '上海某某科技有限公司' }],
    ['donor unit removed', { donorUnit: undefined }],
    ['household', { householdMasked: '李*华' }],
    ['village', { villageName: '十八洞' }],
    ['amount, by one fen', { gift: { kind: 'money', amountFen: 123451 } }],
    ['issue date', { issuedAt: '2026-11-24' }],
    ['donation', { donationId: 'donation-124' }],
    ['need', { needId: 'need-8' }],
    ['an added field', { note: '伪造' }],
  ])('a record with its %s changed fails', (_, change) => {
    const signature = signCertificate(record, key);
    expect(verifyCertificate({ ...record, ...change }, signature, key)).toBe(false);
  });

  test.each([
    [
      'quantity',
      (items: typeof goodsRecord.gift.items) => [{ ...items[0]!, quantity: 3 }, items[1]!],
    ],
    [
      'item name',
      (items: typeof goodsRecord.gift.items) => [{ ...items[0]!, name: '毛毯' }, items[1]!],
    ],
    ['unit', (items: typeof goodsRecord.gift.items) => [items[0]!, { ...items[1]!, unit: '公斤' }]],
    ['item order', (items: typeof goodsRecord.gift.items) => [items[1]!, items[0]!]],
  ])('a goods record with its %s changed fails', (_, change) => {
    const signature = signCertificate(goodsRecord, key);
    expect(verifyCertificate(goodsRecord, signature, key)).toBe(true);
    const tampered = {
      ...goodsRecord,
      gift: { kind: 'goods', items: change(goodsRecord.gift.items) },
    };
    expect(verifyCertificate(tampered, signature, key)).toBe(false);
  });

  test('another key, a changed signature or a malformed one fails, without throwing', () => {
    const signature = signCertificate(record, key);
    expect(verifyCertificate(record, signature, `${key}!`)).toBe(false);
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(verifyCertificate(record, flipped, key)).toBe(false);
    for (const bad of [
      undefined,
      null,
      42,
      '',
      signature.slice(1),
      `${signature}=`,
      `${signature}A`,
    ]) {
      expect(verifyCertificate(record, bad, key)).toBe(false);
    }
    expect(verifyCertificate(null, signature, key)).toBe(false);
    expect(verifyCertificate('{}', signature, key)).toBe(false);
  });

  test('refuses to sign an invalid record or with a short key', () => {
    expect(() => signCertificate({ ...record, householdMasked: '张三华' }, key)).toThrow();
    expect(() => signCertificate(record, 'short-key')).toThrow(/32 bytes/);
  });
});

describe('revocations', () => {
  const revocation = { reason: 'donation_refunded' as const, revokedAt: '2026-12-01T08:00:00Z' };

  test('a signed revocation verifies for its serial only, with its reason and date', () => {
    const signature = signRevocation(record.serial, revocation, key);
    expect(verifyRevocation(record.serial, revocation, signature, key)).toBe(true);
    const other = serialFor('donation-999', '2026-11-23', key);
    expect(verifyRevocation(other, revocation, signature, key)).toBe(false);
    expect(
      verifyRevocation(
        record.serial,
        { ...revocation, reason: 'need_found_false' },
        signature,
        key,
      ),
    ).toBe(false);
    expect(
      verifyRevocation(
        record.serial,
        { ...revocation, revokedAt: '2026-12-02T08:00:00Z' },
        signature,
        key,
      ),
    ).toBe(false);
    expect(verifyRevocation(record.serial, revocation, signature, `${key}!`)).toBe(false);
    expect(verifyRevocation(record.serial, revocation, undefined, key)).toBe(false);
  });

  test('a revocation signature is not a certificate signature, nor the other way round', () => {
    const certificateSignature = signCertificate(record, key);
    expect(verifyRevocation(record.serial, revocation, certificateSignature, key)).toBe(false);
    const revocationSignature = signRevocation(record.serial, revocation, key);
    expect(verifyCertificate(record, revocationSignature, key)).toBe(false);
  });
});

describe('what the verification endpoint reports', () => {
  const signature = signCertificate(record, key);
  const revocation = { reason: 'donation_refunded' as const, revokedAt: '2026-12-01T08:00:00Z' };
  const revocationSignature = signRevocation(record.serial, revocation, key);
  const accepted = { earnsCertificate: true, changedAt: '2026-11-23T08:00:00.000Z' };
  const refunded = {
    earnsCertificate: false,
    refundReason: 'need_found_false',
    changedAt: '2026-12-01T09:00:00.000Z',
  };
  const revokedBoth = {
    record,
    signature,
    revocation,
    revocationSignature,
    revocationRecord: { revocation, signature: revocationSignature },
  };

  test('genuine: signed, revoked nowhere, its gift still standing', () => {
    expect(
      certificateVerdict(record.serial, { record, signature, donation: accepted }, key),
    ).toEqual({ status: 'genuine', record });
  });

  test('revoked: a signed revocation in either place, with its reason and date', () => {
    const revoked = { status: 'revoked', record, revocation };
    expect(certificateVerdict(record.serial, { ...revokedBoth, donation: refunded }, key)).toEqual(
      revoked,
    );
    // An insider sets the document's revocation back to null: the record still says revoked.
    expect(
      certificateVerdict(
        record.serial,
        { ...revokedBoth, revocation: null, revocationSignature: undefined, donation: refunded },
        key,
      ),
    ).toEqual(revoked);
    // … or deletes the revocation record: the document still says revoked.
    expect(
      certificateVerdict(
        record.serial,
        { ...revokedBoth, revocationRecord: undefined, donation: refunded },
        key,
      ),
    ).toEqual(revoked);
    // Even with the donation put back as accepted, one signed revocation is enough.
    expect(
      certificateVerdict(
        record.serial,
        { ...revokedBoth, revocation: null, donation: accepted },
        key,
      ),
    ).toEqual(revoked);
  });

  test('revoked: no revocation anywhere, but the donation no longer stands', () => {
    expect(
      certificateVerdict(record.serial, { record, signature, donation: refunded }, key),
    ).toEqual({
      status: 'revoked',
      record,
      revocation: { reason: 'need_found_false', revokedAt: refunded.changedAt },
    });
    const declined = { earnsCertificate: false, changedAt: refunded.changedAt };
    expect(
      certificateVerdict(record.serial, { record, signature, donation: declined }, key),
    ).toMatchObject({ status: 'revoked', revocation: { reason: 'donation_refunded' } });
  });

  test('tampered: a revocation that is not the platform’s, or a donation that vanished', () => {
    const forged = { reason: 'need_found_false' as const, revokedAt: revocation.revokedAt };
    expect(
      certificateVerdict(
        record.serial,
        {
          ...revokedBoth,
          revocationRecord: { revocation: forged, signature: revocationSignature },
          donation: refunded,
        },
        key,
      ),
    ).toEqual({ status: 'tampered' });
    expect(
      certificateVerdict(
        record.serial,
        {
          record,
          signature,
          revocation: null,
          revocationRecord: { revocation: 'x', signature: 1 },
          donation: accepted,
        },
        key,
      ),
    ).toEqual({ status: 'tampered' });
    const unreadable = { reason: 'changed_my_mind', revokedAt: 'yesterday' };
    expect(
      certificateVerdict(
        record.serial,
        { record, signature, revocation: unreadable, donation: accepted },
        key,
      ).status,
    ).toBe('tampered');
    expect(
      certificateVerdict(record.serial, { record, signature, donation: undefined }, key),
    ).toEqual({ status: 'tampered' });
  });

  test('tampered: a changed record, even one also revoked, shows no contents', () => {
    const changed = { ...record, gift: { kind: 'money', amountFen: 1234500 } };
    expect(
      certificateVerdict(record.serial, { record: changed, signature, donation: accepted }, key),
    ).toEqual({ status: 'tampered' });
    expect(
      certificateVerdict(
        record.serial,
        { ...revokedBoth, record: changed, donation: refunded },
        key,
      ),
    ).toEqual({ status: 'tampered' });
  });

  test('tampered: a genuine record stored under another serial', () => {
    const other = serialFor('donation-999', '2026-11-23', key);
    expect(certificateVerdict(other, { record, signature, donation: accepted }, key).status).toBe(
      'tampered',
    );
  });
});
