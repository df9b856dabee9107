/**
 * Text as people type it into forms and rosters, reduced to one canonical form before it is
 * compared, stored or shown: NFC, one middle dot, no invisible characters that could make two
 * names look alike or reorder what a reviewer reads.
 */
import { z } from 'zod';

/**
 * Characters that people (and input methods) use for the dot between the parts of a
 * transliterated name (e.g. 买买提·艾力); all become U+00B7 so that one person has one name.
 */
export const middleDotLookAlikes = [
  '\u30FB', // ・ katakana middle dot (Japanese and some Chinese IMEs)
  '\uFF65', // ･ half-width katakana middle dot
  '\u2022', // • bullet
  '\u2027', // ‧ hyphenation point (Taiwanese IMEs)
  '\u22C5', // ⋅ dot operator
  '\u2219', // ∙ bullet operator
  '\u2024', // ․ one dot leader
  '\u2E31', // ⸱ word separator middle dot
  '\u318D', // ㆍ Hangul araea
  '\u0387', // · Greek ano teleia (NFC maps it too; listed so the map does not rely on that)
  '.',
  '\uFF0E', // ． full-width full stop
  '\u3002', // 。 ideographic full stop, typed by mistake for the dot
] as const;

const lookAlikeDots = new RegExp(`[${middleDotLookAlikes.join('').replace('.', '\\.')}]`, 'gu');

const zeroWidth = /[\u200B-\u200D\u2060\uFEFF]/u;
const bidiControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// Other format characters (soft hyphen, invisible operators, tag characters…), control
// characters, unpaired surrogates (not encodable in UTF-8, so Firestore cannot store them),
// private-use and unassigned code points, line and paragraph separators (U+2028/9, which break
// lines in some viewers and not others): none can be shown or compared reliably.
const otherInvisible = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
// A name is made of Han ideographs (every block, extensions A–H included: 𠮷, 䶮, 赟), the
// ideographic zero 〇 (a real character in some names) and the middle dot. NFC has already
// turned compatibility ideographs (U+F900…) into their unified forms.
const nameChar = /^[\p{Unified_Ideograph}\u3007\u00B7]$/u;
// Spaces inside a name are padding (rosters align two-character names as "黄  聃"). Listed
// explicitly: `\s` would also swallow U+FEFF, which must be refused, not silently dropped.
const ordinarySpace = /[ \t\r\n\u3000\u00A0\u2000-\u200A\u202F\u205F]+/gu;

/**
 * Personal numbers (ID, bank and phone numbers) in free text, however they are written. An ID
 * number has 18 characters, a bank card 12–19 digits, a mobile 11; nothing a reason, a note or an
 * address legitimately says needs 11 digits in a row. Disguises seen from input methods and from
 * people working around a check: full-width digits (what Chinese IMEs type in full-width mode),
 * circled or superscript digits, other scripts' decimal digits (٣, ३), digits grouped by spaces,
 * dots, dashes, slashes or commas (138.0013.8000, 138 0013 8000), and Chinese numerals read out
 * digit by digit (幺三八〇〇一三八〇〇〇). Ordinary text keeps its short numbers: 2025年3月, 3000元,
 * 2 口人, 一二年级, and lists of dates (2023.09-2026.06, 2019，2020，2021年).
 */
export const minPersonalNumberDigits = 11;

/** Chinese numerals as a number is read out digit by digit; 幺 is how 1 is said in phone numbers. */
const chineseDigitValues: Record<string, string> = {
  〇: '0',
  '\u25CB': '0', // ○ white circle, written for 〇
  零: '0',
  一: '1',
  壹: '1',
  幺: '1',
  二: '2',
  贰: '2',
  貳: '2',
  三: '3',
  叁: '3',
  參: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  陸: '6',
  七: '7',
  柒: '7',
  八: '8',
  捌: '8',
  九: '9',
  玖: '9',
};

const decimalDigit = /^\p{Nd}$/u;

/**
 * The value of a Unicode decimal digit. Unicode encodes every decimal digit set as a contiguous
 * run of ten, 0 to 9, so the value is the distance from the start of its run, modulo 10 (for
 * the few sets that sit back to back, such as the mathematical digits).
 */
function decimalValue(code: number): string {
  let start = code;
  while (decimalDigit.test(String.fromCodePoint(start - 1))) start--;
  return String((code - start) % 10);
}

/**
 * What may stand between the digits of one number: spaces and line breaks, dashes of every kind,
 * dots (the middle dots too), commas, slashes, underscores, brackets and plus signs; at most three
 * in a row. NFKC has already turned their full-width forms and the ideographic space into these.
 */
const numberSeparator = String.raw`[\s\p{Pd}~.,/\\_()+·・･•‧∙⋅。]`;
// An ID number's check character (…002X) belongs to the run, even after a separator.
const digitRun = new RegExp(
  String.raw`\d(?:${numberSeparator}{0,3}\d)*(?:${numberSeparator}{0,3}[Xx](?![A-Za-z]))?`,
  'gu',
);

/**
 * True for a run that is only dates: years 1900–2099, each optionally followed by a month and a
 * day (2023.09-2026.06, 2019,2020,2021, 2025-03-12). IDs never start with 19 or 20 (no province
 * has those codes), bank cards neither; only a 19x mobile number grouped exactly like dates gets
 * through, which no one types by accident.
 */
function onlyDates(run: string): boolean {
  const groups = run.split(/\D+/u).filter(Boolean);
  let at = 0;
  while (at < groups.length) {
    if (!/^(?:19|20)\d\d$/u.test(groups[at] as string)) return false;
    at++;
    const month = groups[at];
    if (month !== undefined && month.length <= 2 && Number(month) >= 1 && Number(month) <= 12) {
      at++;
      const day = groups[at];
      if (day !== undefined && day.length <= 2 && Number(day) >= 1 && Number(day) <= 31) at++;
    }
  }
  return true;
}

/**
 * Where personal numbers sit in `value`, as [start, end) UTF-16 offsets into `value` itself:
 * each character is NFKC-normalised and mapped to an ASCII digit where it is one (any decimal
 * digit, a Chinese numeral), and the runs found in that probe are mapped back.
 */
export function personalNumberSpans(value: string): Array<[number, number]> {
  let probe = '';
  const origin: number[] = [];
  let offset = 0;
  for (const char of value) {
    for (const folded of char.normalize('NFKC')) {
      const code = folded.codePointAt(0) as number;
      const digit =
        chineseDigitValues[folded] ?? (decimalDigit.test(folded) ? decimalValue(code) : folded);
      for (let i = 0; i < digit.length; i++) origin.push(offset);
      probe += digit;
    }
    offset += char.length;
  }
  origin.push(value.length);
  const spans: Array<[number, number]> = [];
  for (const match of probe.matchAll(digitRun)) {
    const run = match[0];
    if (run.replace(/\D/gu, '').length < minPersonalNumberDigits || onlyDates(run)) continue;
    const start = origin[match.index] as number;
    const lastChar = origin[match.index + run.length - 1] as number;
    spans.push([start, lastChar + ((value.codePointAt(lastChar) as number) > 0xffff ? 2 : 1)]);
  }
  return spans;
}

/** Does this text carry an ID, bank or phone number, in whatever digits and grouping? */
export function hasPersonalNumber(value: string): boolean {
  return personalNumberSpans(value).length > 0;
}

/**
 * The text with every personal number replaced by asterisks, one per character: for text stored
 * before the check refused it (an import, an old document), on its way to a public view.
 */
export function maskPersonalNumbers(value: string): string {
  let masked = '';
  let at = 0;
  for (const [start, end] of personalNumberSpans(value)) {
    masked += value.slice(at, start) + '*'.repeat(charCount(value.slice(start, end)));
    at = end;
  }
  return masked + value.slice(at);
}

/**
 * Does free text name this person? Spaces and dots are ignored on both sides (张 国华, 买买提·艾力
 * written 买买提艾力), so padding does not hide a name. Names of one character are not looked for.
 */
export function mentionsName(text: string, name: string): boolean {
  const bare = (value: string) =>
    value
      .normalize('NFC')
      .replace(lookAlikeDots, '')
      .replace(/[\s\u00B7]/gu, '');
  const target = bare(name);
  return charCount(target) >= 2 && bare(text).includes(target);
}

/**
 * UTF-8 length, the unit Firestore counts document and index-entry sizes in. Counted by hand
 * rather than with Buffer so that the web client, which shares these schemas, gets the same.
 */
export function utf8Bytes(value: string): number {
  let bytes = 0;
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Number of Unicode code points (𠮷 is one character, two UTF-16 units). */
export function charCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export type TextProblem =
  | 'empty'
  | 'too_short'
  | 'too_long'
  | 'bytes'
  | 'bidi'
  | 'zero_width'
  | 'control'
  | 'chars'
  | 'dot'
  | 'number';

/** What a kind of text may hold; `prefix` names its issue codes (`name_bidi`, `reason_bytes`…). */
export interface TextBudget {
  prefix: string;
  maxChars: number;
  maxBytes: number;
  minChars?: number;
  /** Line breaks kept (as \n) rather than folded into spaces. */
  multiline?: boolean;
}

/**
 * Budgets, in characters and in UTF-8 bytes. The byte budgets keep each value inside one
 * Firestore index entry (1500 bytes) and a need document far below 1 MiB; they bind before the
 * character budget only for 4-byte characters (extension B ideographs, emoji).
 */
export const budgets = {
  // 30 characters covers long transliterated names (阿卜杜热合曼·买买提艾力 is 12).
  name: { prefix: 'name', maxChars: 30, maxBytes: 90 },
  address: { prefix: 'address', maxChars: 100, maxBytes: 300 },
  reason: {
    prefix: 'reason',
    maxChars: 500,
    maxBytes: 1500,
    minChars: 5,
    multiline: true,
  },
  // Why a cadre reveals a full ID or bank number; kept verbatim in the audit log.
  revealReason: { prefix: 'reason', maxChars: 200, maxBytes: 600, minChars: 4 },
  note: { prefix: 'note', maxChars: 200, maxBytes: 600, multiline: true },
  itemName: { prefix: 'item_name', maxChars: 30, maxBytes: 90 },
  unit: { prefix: 'unit', maxChars: 8, maxBytes: 24 },
  // A donor's name is printed on an honour certificate: a person's or an enterprise's full name.
  donorName: { prefix: 'donor', maxChars: 50, maxBytes: 150 },
  donorUnit: { prefix: 'donor_unit', maxChars: 60, maxBytes: 180 },
} satisfies Record<string, TextBudget>;

function invisibleProblem(value: string): TextProblem | undefined {
  if (bidiControls.test(value)) return 'bidi';
  if (zeroWidth.test(value)) return 'zero_width';
  if (otherInvisible.test(value)) return 'control';
  return undefined;
}

function lengthProblem(value: string, budget: TextBudget): TextProblem | undefined {
  const chars = charCount(value);
  if (chars === 0) return 'empty';
  if (chars < (budget.minChars ?? 1)) return 'too_short';
  if (chars > budget.maxChars) return 'too_long';
  if (utf8Bytes(value) > budget.maxBytes) return 'bytes';
  return undefined;
}

export type Checked = { ok: true; value: string } | { ok: false; problem: TextProblem };

/**
 * A person's name in canonical form (NFC, U+00B7 dots, no spaces) or why it cannot be one.
 * Look-alike dots are mapped before the character check, so "买买提・艾力" is accepted as
 * "买买提·艾力" while an invisible or foreign character is refused rather than dropped.
 */
export function checkPersonName(raw: string, budget: TextBudget = budgets.name): Checked {
  const value = raw.normalize('NFC').replace(lookAlikeDots, '\u00B7').replace(ordinarySpace, '');
  const invisible = invisibleProblem(value);
  if (invisible) return { ok: false, problem: invisible };
  const length = lengthProblem(value, budget);
  if (length) return { ok: false, problem: length };
  for (const char of value) if (!nameChar.test(char)) return { ok: false, problem: 'chars' };
  if (value.startsWith('\u00B7') || value.endsWith('\u00B7') || value.includes('\u00B7\u00B7')) {
    return { ok: false, problem: 'dot' };
  }
  return { ok: true, value };
}

/**
 * Free text (address, reason, notes, item names, a donor's name and unit) in canonical form: NFC,
 * CRLF → LF, runs of spaces (ideographic and no-break ones too) folded to one, trimmed; or why it
 * cannot be stored. Every free text refuses personal numbers ({@link hasPersonalNumber}): this is
 * the one check, and every free-text schema goes through it.
 */
export function checkFreeText(raw: string, budget: TextBudget): Checked {
  let value = raw.normalize('NFC').replace(/\r\n?/g, '\n');
  if (!budget.multiline) value = value.replace(/\n/g, ' ');
  // Invisible characters are judged before whitespace folding would hide a U+FEFF or U+2028.
  // Tabs and newlines are ordinary spacing here, not the control characters to refuse.
  const invisible = invisibleProblem(value.replace(/[\n\t]/g, ''));
  if (invisible) return { ok: false, problem: invisible };
  value = value
    .split('\n')
    .map((line) => line.replace(ordinarySpace, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const length = lengthProblem(value, budget);
  if (length) return { ok: false, problem: length };
  if (hasPersonalNumber(value)) return { ok: false, problem: 'number' };
  return { ok: true, value };
}

/** The issue code a text problem is reported with, e.g. `name_bidi`. */
export function textIssueCode(budget: TextBudget, problem: TextProblem): string {
  return `${budget.prefix}_${problem}`;
}

function textSchema(check: (raw: string) => Checked, budget: TextBudget) {
  return z.string().transform((raw, ctx) => {
    const checked = check(raw);
    if (checked.ok) return checked.value;
    ctx.addIssue({
      code: 'custom',
      message: textIssueCode(budget, checked.problem),
      params: { code: textIssueCode(budget, checked.problem) },
    });
    return z.NEVER;
  });
}

/** A person's name (household head, administrator, reviewer), transformed to canonical form. */
export const personNameSchema = textSchema((raw) => checkPersonName(raw), budgets.name);
/** A home address, single line. */
export const addressSchema = textSchema(
  (raw) => checkFreeText(raw, budgets.address),
  budgets.address,
);
/** The reason for a need (需求理由), published to donors: several lines allowed. */
export const reasonSchema = textSchema((raw) => checkFreeText(raw, budgets.reason), budgets.reason);
/** Why a full ID or bank number is revealed (查看原因), stored in the audit log. */
export const revealReasonSchema = textSchema(
  (raw) => checkFreeText(raw, budgets.revealReason),
  budgets.revealReason,
);
/** A reviewer's short note. */
export const noteSchema = textSchema((raw) => checkFreeText(raw, budgets.note), budgets.note);
/** The name of a requested good (棉被, 大米). */
export const itemNameSchema = textSchema(
  (raw) => checkFreeText(raw, budgets.itemName),
  budgets.itemName,
);
/** A unit of measure (床, 斤, 袋). */
export const unitSchema = textSchema((raw) => checkFreeText(raw, budgets.unit), budgets.unit);

/** A donor's name as printed on certificates (a person, or an enterprise's full name). */
export const donorNameSchema = textSchema(
  (raw) => checkFreeText(raw, budgets.donorName),
  budgets.donorName,
);
/** A donor's work unit (单位), as on the 爱心人士注册统计表. */
export const donorUnitSchema = textSchema(
  (raw) => checkFreeText(raw, budgets.donorUnit),
  budgets.donorUnit,
);
