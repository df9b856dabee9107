import { z } from 'zod';

/** Full-width digits to ASCII; spaces (ASCII, ideographic, no-break) and hyphens removed. */
export function canonicalBankNumber(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[ \t\u3000\u00A0\-\uFF0D]/g, '');
}

/** The Luhn (mod 10) check that bank card numbers (UnionPay included) carry. */
export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A bank account as stored: the digits, and whether they pass Luhn. */
export interface BankAccount {
  number: string;
  /**
   * False for numbers that fail Luhn: kept, because passbook (存折) account numbers of rural
   * credit cooperatives need not carry a Luhn digit; the form shows a warning asking the
   * collector to check the number against the passbook.
   */
  luhnOk: boolean;
}

export type BankProblem = 'bank_format' | 'bank_length';

/** A canonical bank account, or the reason it cannot be one. */
export function checkBankNumber(raw: string): BankAccount | BankProblem {
  const number = canonicalBankNumber(raw);
  if (!/^\d+$/.test(number)) return 'bank_format';
  if (number.length < 12 || number.length > 19) return 'bank_length';
  return { number, luhnOk: luhnOk(number) };
}

/**
 * A bank card or passbook number (12–19 digits, spaces allowed) → `{ number, luhnOk }`.
 * Non-digits (`bank_format`) and wrong lengths (`bank_length`) are refused; a Luhn failure is not.
 */
export const bankAccountSchema = z.string().transform((raw, ctx): BankAccount => {
  const checked = checkBankNumber(raw);
  if (typeof checked !== 'string') return checked;
  ctx.addIssue({ code: 'custom', message: checked, params: { code: checked } });
  return z.NEVER;
});

/** Staff see at most the last four digits. */
export function bankLast4(number: string): string {
  return number.slice(-4);
}
