/**
 * Money crosses to a payment provider as a decimal string of yuan ("30.00") and is an integer
 * number of fen everywhere else. These two conversions are the only place the two meet; they work
 * on digits, never on floating point, so no amount is ever rounded on its way in or out.
 */

/** The largest single payment Alipay accepts (total_amount ≤ 100000000 yuan), in fen. */
export const maxProviderAmountFen = 100_000_000_00;

/** "30.00" for 3000 fen. Throws on anything but a whole, non-negative, safe number of fen. */
export function yuanOfFen(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('amount is not a whole fen');
  const cents = fen % 100;
  return `${(fen - cents) / 100}.${String(cents).padStart(2, '0')}`;
}

const yuanPattern = /^(0|[1-9]\d{0,13})(?:\.(\d{1,2}))?$/;

/**
 * 3000 for "30.00", "30.0" or "30"; undefined for anything that is not a plain non-negative decimal
 * with at most two places (signs, exponents, spaces, a third decimal place, leading zeros): a
 * provider's amount that is not exactly a number of fen is refused, never rounded.
 */
export function fenOfYuan(yuan: string): number | undefined {
  const match = yuanPattern.exec(yuan);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  const fen = whole * 100 + cents;
  return Number.isSafeInteger(fen) ? fen : undefined;
}
