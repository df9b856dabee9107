import { z } from 'zod';

/**
 * The largest amount one need may ask for: 500,000 yuan. Within 两不愁三保障 the dearest needs
 * are serious illness not covered by medical insurance and rebuilding a dangerous house; both
 * stay well below this, so a larger figure is a typing error (an extra zero, yuan typed as fen).
 * The bound also keeps any sum of donations to needs an exact integer in a double.
 */
export const maxNeedAmountFen = 50_000_000;

export type MoneyProblem = 'money_not_integer' | 'money_too_small' | 'money_too_large';

/** Why a number is not an amount in fen within [1, max], or undefined when it is. */
export function moneyProblem(fen: number, maxFen = maxNeedAmountFen): MoneyProblem | undefined {
  if (!Number.isInteger(fen)) return 'money_not_integer';
  if (fen < 1) return 'money_too_small';
  if (fen > maxFen) return 'money_too_large';
  return undefined;
}

/**
 * An amount in integer fen, with no coercion: strings ("", "100"), booleans, NaN and Infinity
 * are `invalid_type`; 0.5 `money_not_integer`; 0 and -1 `money_too_small`; 1e21 `money_too_large`.
 */
export function amountFenSchemaUpTo(maxFen: number) {
  return z.number().superRefine((fen, ctx) => {
    const problem = moneyProblem(fen, maxFen);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: problem } });
  });
}

/** The amount of one money need. */
export const amountFenSchema = amountFenSchemaUpTo(maxNeedAmountFen);

/** Fen as yuan for people: 123456 → "1,234.56". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
