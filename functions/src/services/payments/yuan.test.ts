import fc from 'fast-check';
import { fenOfYuan, maxProviderAmountFen, yuanOfFen } from './yuan';

test.each([
  [0, '0.00'],
  [1, '0.01'],
  [10, '0.10'],
  [99, '0.99'],
  [100, '1.00'],
  [3000, '30.00'],
  [123456, '1234.56'],
  [maxProviderAmountFen, '100000000.00'],
])('%i fen is %s yuan and back', (fen, yuan) => {
  expect(yuanOfFen(fen)).toBe(yuan);
  expect(fenOfYuan(yuan)).toBe(fen);
});

test.each([
  ['30', 3000],
  ['30.5', 3050],
  ['0.1', 10],
  ['0', 0],
])('%s yuan, written shorter, is %i fen', (yuan, fen) => {
  expect(fenOfYuan(yuan)).toBe(fen);
});

test.each([
  '',
  '30.001',
  '-1.00',
  '+1.00',
  '1e3',
  ' 30.00',
  '30.00 ',
  '030.00',
  '.5',
  '30.',
  '三十',
  '0x10',
  'NaN',
  'Infinity',
  '1,000.00',
])('%p is not an amount of fen', (yuan) => {
  expect(fenOfYuan(yuan)).toBeUndefined();
});

test.each([-1, 0.5, 1.005, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
  '%p fen is refused',
  (fen) => {
    expect(() => yuanOfFen(fen)).toThrow(RangeError);
  },
);

test('every whole number of fen survives the round trip exactly', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
      expect(fenOfYuan(yuanOfFen(fen))).toBe(fen);
    }),
    { numRuns: 2000 },
  );
});

test('the yuan string always has two decimal places and reads as the same amount', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: maxProviderAmountFen }), (fen) => {
      const yuan = yuanOfFen(fen);
      expect(yuan).toMatch(/^(0|[1-9]\d*)\.\d\d$/);
      // Against an independent reading by BigInt: whole yuan × 100 + the two decimals.
      const [whole, cents] = yuan.split('.') as [string, string];
      expect(BigInt(whole) * 100n + BigInt(cents)).toBe(BigInt(fen));
    }),
    { numRuns: 2000 },
  );
});
