import {
  canonicalRecord,
  certificateRecordSchema,
  chinaDateOf,
  chineseDate,
  giftText,
  serialFor,
  serialSchema,
  yuanInCapitals,
} from './record';

const key = 'test-only-certificate-signing-key-0123456789';

const sampleRecord = {
  serial: 'FP-2026-62H8-13PS-9W77',
  donorName: '王赟犇',
  donorUnit: '北京某某科技有限公司',
  householdMasked: '张*华',
  villageName: '十八洞村',
  gift: { kind: 'money' as const, amountFen: 123450 },
  issuedAt: '2026-11-23',
  donationId: 'donation-123',
  needId: 'need-9',
};

describe('yuanInCapitals (大写金额)', () => {
  test.each([
    [1, '壹分'],
    [10, '壹角整'],
    [50, '伍角整'],
    [100, '壹元整'],
    [1000, '壹拾元整'],
    [1600, '壹拾陆元整'],
    [10100, '壹佰零壹元整'],
    [101000, '壹仟零壹拾元整'],
    [123450, '壹仟贰佰叁拾肆元伍角整'],
    [32504, '叁佰贰拾伍元零肆分'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [10050000, '壹拾万零伍佰元整'],
    [10700053, '壹拾万零柒仟元伍角叁分'],
    [50_000_000, '伍拾万元整'],
    [10_001_000_000, '壹亿零壹万元整'],
  ])('%i fen → %s', (fen, words) => {
    expect(yuanInCapitals(fen)).toBe(words);
  });

  test.each([-1, 0.5, Number.NaN])('refuses %p', (fen) => {
    expect(() => yuanInCapitals(fen)).toThrow(RangeError);
  });
});

describe('dates', () => {
  test.each([
    ['2026-11-23', '2026年11月23日'],
    ['2026-01-05', '2026年1月5日'],
  ])('%s → %s', (iso, chinese) => expect(chineseDate(iso)).toBe(chinese));

  test('the issue date is the calendar date in China, not UTC', () => {
    // 23:30 UTC on 22 November is 07:30 on 23 November in Beijing.
    expect(chinaDateOf(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
  });

  test.each(['2026-02-30', '2026-13-01', '26-11-23', '2016-12-31'])('refuses %s', (date) => {
    expect(certificateRecordSchema.safeParse({ ...sampleRecord, issuedAt: date }).success).toBe(
      false,
    );
  });
});

describe('serial numbers', () => {
  test('derived from the donation: the same donation always gets the same serial', () => {
    const serial = serialFor('donation-123', '2026-11-23', key);
    expect(serial).toMatch(/^FP-2026-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(serialSchema.safeParse(serial).success).toBe(true);
    expect(serialFor('donation-123', '2026-11-23', key)).toBe(serial);
  });

  test('not enumerable: neighbouring donations get unrelated serials, without I, L, O or U', () => {
    const serials = Array.from({ length: 200 }, (_, i) =>
      serialFor(`donation-${i}`, '2026-11-23', key),
    );
    expect(new Set(serials).size).toBe(200);
    for (const serial of serials) expect(serial.slice(8)).not.toMatch(/[ILOU]/);
    expect(serialFor('donation-123', '2026-11-23', `${key}x`)).not.toBe(serials[123]);
  });

  test('the year is the year of issue', () => {
    expect(serialFor('donation-123', '2027-01-01', key)).toMatch(/^FP-2027-/);
  });
});

describe('certificate record schema', () => {
  test('accepts a money and a goods record', () => {
    expect(certificateRecordSchema.parse(sampleRecord)).toEqual(sampleRecord);
    const goods = {
      ...sampleRecord,
      gift: { kind: 'goods', items: [{ name: '棉被', quantity: 2, unit: '床' }] },
    };
    expect(certificateRecordSchema.safeParse(goods).success).toBe(true);
  });

  test.each([
    ['an unmasked household name', { householdMasked: '张三华' }],
    ['a masked name with Latin letters', { householdMasked: 'Zhang*' }],
    ['an unknown field', { donorPhone: '13800000000' }],
    ['an amount in yuan with decimals', { gift: { kind: 'money', amountFen: 12.5 } }],
    ['a zero amount', { gift: { kind: 'money', amountFen: 0 } }],
    ['a goods gift with no items', { gift: { kind: 'goods', items: [] } }],
    ['a donor name with a trailing space', { donorName: '王赟犇 ' }],
    ['a donor name with a zero-width space', { donorName: '王\u200B赟犇' }],
    ['a donor name carrying a phone number', { donorName: '王赟犇13800000000' }],
    ['a malformed serial', { serial: 'FP-2026-000123' }],
    ['a serial with the letter O', { serial: 'FP-2026-O2H8-13PS-9W77' }],
    ['a need id with a slash', { needId: 'needs/9' }],
  ])('refuses %s', (_, change) => {
    expect(certificateRecordSchema.safeParse({ ...sampleRecord, ...change }).success).toBe(false);
  });
});

describe('what the certificate says was given', () => {
  test('money in yuan from integer fen, with the amount in capitals', () => {
    expect(giftText({ kind: 'money', amountFen: 123450 })).toBe(
      '人民币1,234.50元（大写：壹仟贰佰叁拾肆元伍角整）',
    );
  });

  test('goods as item × quantity unit', () => {
    expect(
      giftText({
        kind: 'goods',
        items: [
          { name: '棉被', quantity: 2, unit: '床' },
          { name: '大米', quantity: 50, unit: '斤' },
        ],
      }),
    ).toBe('棉被×2床、大米×50斤');
  });
});

describe('canonical serialisation', () => {
  test('independent of key order, with sorted keys and no absent fields', () => {
    const reordered = Object.fromEntries(Object.entries(sampleRecord).reverse());
    const parsed = certificateRecordSchema.parse(reordered);
    expect(canonicalRecord(parsed)).toBe(
      canonicalRecord(certificateRecordSchema.parse(sampleRecord)),
    );
    const { donorUnit: _, ...withoutUnit } = sampleRecord;
    const text = canonicalRecord(certificateRecordSchema.parse(withoutUnit));
    expect(text).not.toContain('donorUnit');
    expect(text.indexOf('"donationId"')).toBeLessThan(text.indexOf('"donorName"'));
  });

  test('strings in NFC: composed and decomposed spellings serialise alike', () => {
    const composed = { ...sampleRecord, villageName: 'Café村' };
    const decomposed = { ...sampleRecord, villageName: 'Cafe\u0301村' };
    expect(canonicalRecord(certificateRecordSchema.parse(decomposed))).toBe(
      canonicalRecord(certificateRecordSchema.parse(composed)),
    );
  });
});
