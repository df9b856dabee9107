/**
 * The certificate record (社会扶贫荣誉证书): what is signed, stored and printed, its serial number,
 * and the Chinese wording of its amounts and dates.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { docIdSchema } from '../validation/common';
import { chinaDateOf } from '../validation/idNumber';
import { amountFenSchema, formatYuan } from '../validation/money';
import { budgets, checkFreeText, type TextBudget } from '../validation/text';
import { crockfordAlphabet as crockford, normalizeSerial, serialPattern } from './serial';

/**
 * Serial number format: `FP-<year of issue>-XXXX-XXXX-XXXX`, twelve Crockford base-32 symbols
 * (60 bits) derived from the donation id with a keyed hash (see {@link serialFor}), e.g.
 * `FP-2026-7K3M-9QXA-D2VE`. Not a running number: the verification page is public and shows the
 * donor's name, so serials must not be enumerable; and derived from the donation, so a trigger
 * delivered twice issues the same serial.
 */
export const serialSchema = z.string().regex(serialPattern);

/**
 * A serial as a person may type it from paper (O for 0, I or L for 1, full-width characters,
 * lower case, spaces or no dashes), read as the serial meant; refused with `serial_invalid` when
 * it cannot be one. See {@link normalizeSerial}.
 */
export const typedSerialSchema = z
  .string()
  .max(80)
  .transform((typed, context) => {
    const serial = normalizeSerial(typed);
    if (serial === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'serial_invalid',
        params: { code: 'serial_invalid' },
      });
      return z.NEVER;
    }
    return serial;
  });

/**
 * The serial of a donation's certificate: HMAC-SHA256(key, donation id), 60 bits. Collisions are
 * negligible (about 4·10⁻⁵ over ten million certificates); the caller still stores the serial
 * with create() so that one would fail loudly rather than overwrite.
 */
export function serialFor(donationId: string, issuedAt: string, key: string | Uint8Array): string {
  const digest = createHmac('sha256', key)
    .update(`fupin-certificate-serial/v1\n${docIdSchema.parse(donationId)}`)
    .digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte);
  let symbols = '';
  for (let i = 0; i < 12; i++) symbols += crockford[Number((bits >> BigInt(63 - 5 * i - 4)) & 31n)];
  const year = isoDateSchema.parse(issuedAt).slice(0, 4);
  return `FP-${year}-${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDateSchema = z.string().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 2017;
}, 'date_invalid');

/** The issue date printed on a certificate is the calendar date in China. */
export { chinaDateOf };

/**
 * Text as the validators of the rest of the platform leave it (NFC, no invisible or control
 * characters, spaces folded, trimmed). Checked, not transformed: a stored record that differs
 * from its canonical form has been edited by something other than the platform.
 */
function canonicalText(budget: TextBudget) {
  return z.string().refine((raw) => {
    const checked = checkFreeText(raw, budget);
    return checked.ok && checked.value === raw.normalize('NFC');
  }, `${budget.prefix}_invalid`);
}

const villageBudget: TextBudget = { prefix: 'village', maxChars: 50, maxBytes: 150 };

/**
 * The household as the caller masked it (张*华): ideographs, 〇, the middle dot and at least one
 * asterisk. A name without an asterisk is refused, so an unmasked name cannot be printed.
 */
export const maskedNameSchema = z
  .string()
  .regex(/^[\p{Unified_Ideograph}\u3007\u00B7*]{2,30}$/u, 'masked_name_chars')
  .refine((value) => value.includes('*'), 'masked_name_unmasked');

export const certificateGiftSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('money'), amountFen: amountFenSchema }),
  z.strictObject({
    kind: z.literal('goods'),
    items: z
      .array(
        z.strictObject({
          name: canonicalText(budgets.itemName),
          quantity: z.number().int().min(1).max(10_000),
          unit: canonicalText(budgets.unit),
        }),
      )
      .min(1)
      .max(20),
  }),
]);

/** A certificate record: everything the certificate states, and all that the signature covers. */
export const certificateRecordSchema = z.strictObject({
  serial: serialSchema,
  donorName: canonicalText(budgets.donorName),
  donorUnit: canonicalText(budgets.donorUnit).optional(),
  householdMasked: maskedNameSchema,
  villageName: canonicalText(villageBudget),
  gift: certificateGiftSchema,
  issuedAt: isoDateSchema,
  donationId: docIdSchema,
  needId: docIdSchema,
});
export type CertificateRecord = z.output<typeof certificateRecordSchema>;
export type CertificateGift = CertificateRecord['gift'];

/** `2026-11-23` → `2026年11月23日`. */
export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDateSchema.parse(isoDate).split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

const numerals = '零壹贰叁肆伍陆柒捌玖';
const smallUnits = ['', '拾', '佰', '仟'];
const groupUnits = ['', '万', '亿', '万'];

/**
 * Fen as the capital-numeral amount used on receipts and cheques (大写金额), following the
 * People's Bank of China rules: 壹拾 (never a bare 拾) for ten, one 零 for any run of zeros
 * inside the number, 整 after 元 or 角 and none after 分. 123450 → 壹仟贰佰叁拾肆元伍角整.
 */
export function yuanInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen >= 1e14) throw new RangeError('fen');
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let words = '';
  if (yuan > 0) {
    const digits = String(yuan);
    let zero = false;
    let groupHasDigit = false;
    for (let i = 0; i < digits.length; i++) {
      const digit = Number(digits[i]);
      const position = digits.length - 1 - i;
      if (digit === 0) {
        zero = true;
      } else {
        if (zero && words) words += '零';
        zero = false;
        groupHasDigit = true;
        words += numerals[digit] + (smallUnits[position % 4] as string);
      }
      if (position % 4 === 0) {
        if (groupHasDigit) words += groupUnits[position / 4] as string;
        groupHasDigit = false;
      }
    }
    words += '元';
  }
  if (jiao === 0 && cents === 0) return `${words || '零元'}整`;
  if (jiao > 0) words += `${numerals[jiao]}角`;
  else if (yuan > 0) words += '零';
  return cents > 0 ? `${words}${numerals[cents]}分` : `${words}整`;
}

/** What was given, as the certificate words it: an amount in yuan, or goods × quantity. */
export function giftText(gift: CertificateGift): string {
  if (gift.kind === 'money') {
    return `人民币${formatYuan(gift.amountFen)}元（大写：${yuanInCapitals(gift.amountFen)}）`;
  }
  return gift.items.map((item) => `${item.name}×${item.quantity}${item.unit}`).join('、');
}

/**
 * The record as the exact bytes that are signed: keys sorted at every level, strings in NFC,
 * absent optional fields omitted, no whitespace, behind a version tag.
 */
export function canonicalRecord(record: CertificateRecord): string {
  return `fupin-certificate/v1\n${canonicalJson(record)}`;
}

function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new TypeError('certificate records hold strings, integers and booleans only');
}
