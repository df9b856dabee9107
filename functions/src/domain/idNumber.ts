/**
 * Resident identity numbers (公民身份号码, GB 11643-1999): 6-digit region, 8-digit birth date,
 * 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

export function checkCharOf(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] as number);
  return checkChars[sum % 11] as string;
}

/** Full-width digits and letters to ASCII, lower-case x to X, surrounding spaces dropped. */
export function canonicalIdNumber(raw: string): string {
  return raw
    .trim()
    .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

export type IdNumberProblem = 'id_format' | 'id_birth_date' | 'id_check_char';

/** Why a canonical ID number is not valid, or undefined when it is. `today` fixes "past". */
export function idNumberProblem(id: string, today = new Date()): IdNumberProblem | undefined {
  if (!/^\d{17}[\dX]$/.test(id)) return 'id_format';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const realDate =
    birth.getUTCFullYear() === year &&
    birth.getUTCMonth() === month - 1 &&
    birth.getUTCDate() === day;
  if (!realDate || year < 1900 || birth.getTime() > today.getTime()) return 'id_birth_date';
  if (checkCharOf(id.slice(0, 17)) !== id[17]) return 'id_check_char';
  return undefined;
}

/** Staff see at most the last four characters; donors see none of it. */
export function idLast4(id: string): string {
  return id.slice(-4);
}
