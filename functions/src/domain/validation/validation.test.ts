import { bankAccountSchema, bankLast4, canonicalBankNumber, checkBankNumber, luhnOk } from './bank';
import { calendarDateProblem, pastDateSchemaAt, requestIdSchema } from './common';
import { checkCharOf } from '../idNumber';
import { chinaNow, idNumberSchemaAt } from './idNumber';
import {
  amountFenSchema,
  amountFenSchemaUpTo,
  formatYuan,
  maxNeedAmountFen,
  moneyProblem,
} from './money';

const codesOf = (result: { error?: { issues: Array<{ code: string; params?: unknown }> } }) =>
  (result.error?.issues ?? []).map((issue) =>
    issue.code === 'custom' ? (issue.params as { code: string }).code : issue.code,
  );

const now = new Date('2026-11-23T03:00:00Z');
const idSchema = idNumberSchemaAt(() => now);
const withCheck = (first17: string) => first17 + checkCharOf(first17);

describe('idNumberSchema', () => {
  test.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    [' 11010519491231002X　', '11010519491231002X'],
    // Born today in Beijing while it is still yesterday in UTC (2026-11-23 11:00 CST).
    [withCheck('52052620261123001'), withCheck('52052620261123001')],
  ])('%s → %s', (raw, canonical) => {
    expect(idSchema.parse(raw)).toBe(canonical);
  });

  test.each([
    ['110105194912310021', 'id_check_char'],
    [withCheck('11010519490230002'), 'id_birth_date'], // Feb 30
    [withCheck('11010520261124001'), 'id_birth_date'], // tomorrow
    [withCheck('11010518991231001'), 'id_birth_date'],
    ['1101051949123100', 'id_format'],
    ['11010519491231002Y', 'id_format'],
    ['110105 19491231 002X', 'id_format'],
    ['11010519491231002\u200BX', 'id_format'],
    ['', 'id_format'],
  ])('%j → %s', (raw, code) => {
    expect(codesOf(idSchema.safeParse(raw))).toEqual([code]);
  });

  test.each([[110105194912310020], [null], [undefined]])('%j is not a string', (raw) => {
    expect(codesOf(idSchema.safeParse(raw))).toEqual(['invalid_type']);
  });

  it('reads the date in China time', () => {
    expect(chinaNow(new Date('2026-11-22T16:30:00Z')).toISOString().slice(0, 10)).toBe(
      '2026-11-23',
    );
  });
});

describe('bankAccountSchema', () => {
  test.each([
    ['6222021234567890128', { number: '6222021234567890128', luhnOk: true }],
    ['6222 0212 3456 7890 128', { number: '6222021234567890128', luhnOk: true }],
    ['６２２２０２１２３４５６７８９０１２８', { number: '6222021234567890128', luhnOk: true }],
    ['4111-1111-1111-1111', { number: '4111111111111111', luhnOk: true }],
    ['6222021234567890123', { number: '6222021234567890123', luhnOk: false }], // passbook-like
    ['520526000012', { number: '520526000012', luhnOk: false }], // 12 digits, the shortest
  ])('%s → %j', (raw, expected) => {
    expect(bankAccountSchema.parse(raw)).toEqual(expected);
  });

  test.each([
    ['62220212345678901X', 'bank_format'],
    ['６２２２a', 'bank_format'],
    ['', 'bank_format'],
    ['62220212345', 'bank_length'],
    ['62220212345678901234', 'bank_length'],
  ])('%j → %s', (raw, code) => {
    expect(codesOf(bankAccountSchema.safeParse(raw))).toEqual([code]);
  });

  test.each([
    ['79927398713', true],
    ['79927398710', false],
    ['0', true],
  ])('Luhn %s → %s', (digits, ok) => {
    expect(luhnOk(digits)).toBe(ok);
  });

  it('keeps the last four and strips separators', () => {
    expect(canonicalBankNumber('6222 0212-3456')).toBe('622202123456');
    expect(bankLast4('6222021234567890128')).toBe('0128');
    expect(checkBankNumber('1')).toBe('bank_length');
  });

  test.each([[6222021234567890128], [null], [{ number: '6222021234567890128' }]])(
    '%j is not a string',
    (raw) => {
      expect(codesOf(bankAccountSchema.safeParse(raw))).toEqual(['invalid_type']);
    },
  );
});

describe('amountFenSchema', () => {
  test.each([[1], [100], [500_000], [maxNeedAmountFen]])('%d fen is accepted', (fen) => {
    expect(amountFenSchema.parse(fen)).toBe(fen);
  });

  test.each([
    ['', 'invalid_type'],
    ['100', 'invalid_type'],
    [true, 'invalid_type'],
    [null, 'invalid_type'],
    [NaN, 'invalid_type'],
    [Infinity, 'invalid_type'],
    [-Infinity, 'invalid_type'],
    [[100], 'invalid_type'],
    [{ fen: 100 }, 'invalid_type'],
    [1e21, 'money_too_large'],
    [maxNeedAmountFen + 1, 'money_too_large'],
    [0, 'money_too_small'],
    [-1, 'money_too_small'],
    [0.5, 'money_not_integer'],
    [100.01, 'money_not_integer'],
  ])('%j → %s', (raw, code) => {
    expect(codesOf(amountFenSchema.safeParse(raw))).toEqual([code]);
  });

  it('takes a custom ceiling', () => {
    expect(codesOf(amountFenSchemaUpTo(100).safeParse(101))).toEqual(['money_too_large']);
    expect(moneyProblem(100, 100)).toBeUndefined();
  });

  test.each([
    [0, '0.00'],
    [5, '0.05'],
    [123456, '1,234.56'],
    [50_000_000, '500,000.00'],
    [-250, '-2.50'],
  ])('%d fen reads %s yuan', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('dates and ids', () => {
  const dateSchema = pastDateSchemaAt(() => now);
  test.each([
    ['2026-11-23', undefined], // today in Beijing
    ['2024-02-29', undefined],
    ['2017-01-01', undefined],
    ['2026-11-24', 'date_future'],
    ['2026-02-30', 'date_invalid'],
    ['2025-02-29', 'date_invalid'],
    ['2016-12-31', 'date_too_old'],
    ['2026-1-5', 'date_format'],
    ['2026/11/23', 'date_format'],
    ['', 'date_format'],
  ])('%j → %s', (value, problem) => {
    expect(calendarDateProblem(value, now)).toBe(problem);
    expect(codesOf(dateSchema.safeParse(value))).toEqual(problem ? [problem] : []);
  });

  it('accepts a UUID request id and refuses anything else', () => {
    expect(requestIdSchema.safeParse('3f1c2b9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b').success).toBe(true);
    expect(codesOf(requestIdSchema.safeParse('retry-1'))).toEqual(['invalid_format']);
  });
});
