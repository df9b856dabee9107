/**
 * The personal-number check every free-text field goes through: ID, bank and phone numbers are
 * refused however they are typed, and the short numbers of ordinary text are kept.
 */
import fc from 'fast-check';
import { checkCharOf } from '../idNumber';
import { luhnOk } from './bank';
import {
  budgets,
  charCount,
  checkFreeText,
  hasPersonalNumber,
  maskPersonalNumbers,
  mentionsName,
  noteSchema,
  reasonSchema,
  revealReasonSchema,
} from './text';

const zeroOf = (start: number) => (digit: number) => String.fromCodePoint(start + digit);

/** Ways to write one decimal digit, each a function of its value. */
const digitScripts: Record<string, (digit: number) => string> = {
  ascii: zeroOf(0x30),
  fullWidth: zeroOf(0xff10), // what Chinese IMEs type in full-width mode
  arabicIndic: zeroOf(0x0660),
  persian: zeroOf(0x06f0),
  devanagari: zeroOf(0x0966),
  bengali: zeroOf(0x09e6),
  thai: zeroOf(0x0e50),
  tibetan: zeroOf(0x0f20),
  mathBold: zeroOf(0x1d7ce), // outside the BMP: two UTF-16 units
  mathMonospace: zeroOf(0x1d7f6),
  circled: (digit) => (digit === 0 ? '\u24EA' : String.fromCodePoint(0x245f + digit)),
  superscript: (digit) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[digit] as string,
  chinese: (digit) => '〇一二三四五六七八九'[digit] as string,
  chineseZero: (digit) => '零一二三四五六七八九'[digit] as string,
  financial: (digit) => '零壹贰叁肆伍陆柒捌玖'[digit] as string,
  // 幺 is how 1 is said when reading out a phone number.
  spokenPhone: (digit) => (digit === 1 ? '幺' : ('〇一二三四五六七八九'[digit] as string)),
};

const separators = [
  ' ',
  '\u3000', // ideographic space
  '\u00A0',
  '-',
  '－',
  '—',
  '–',
  '‐',
  '.',
  '．',
  '。',
  '·',
  '・',
  '/',
  '／',
  '_',
  ',',
  '，',
  '(',
  ')',
  '+',
  '\t',
  '\n',
];

const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length });

/** A resident ID number with a real birth date and the right check character. */
const idNumber = fc
  .tuple(
    fc.constantFrom(11, 12, 13, 21, 22, 23, 31, 32, 33, 37, 41, 44, 45, 50, 51, 52, 53, 62, 65),
    digitString(4),
    fc.date({
      min: new Date('1930-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    digitString(3),
  )
  .map(([province, county, birth, sequence]) => {
    const first17 = `${province}${county.join('')}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${sequence.join('')}`;
    return first17 + checkCharOf(first17);
  });

/** A mainland mobile number: 1, then 3–9, then nine digits. */
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digitString(9))
  .map(([second, rest]) => `1${second}${rest.join('')}`);

/** A bank card number (UnionPay 62…, 16–19 digits) with its Luhn digit. */
const bankCard = fc
  .integer({ min: 16, max: 19 })
  .chain((length) => digitString(length - 3))
  .map((digits) => {
    const body = `62${digits.join('')}`;
    const check = [...'0123456789'].find((digit) => luhnOk(body + digit)) as string;
    return body + check;
  });

/** Ordinary Chinese text around a number (no digits of its own). */
const context = fc.constantFrom(
  '',
  '户主',
  '需要帮助，联系',
  '户主身份证号',
  '银行卡号：',
  '电话 ',
  '请打',
  '孩子在县一中读书，',
);

/**
 * A number written as someone might: one script for all digits or a different one per digit,
 * with zero to three separators between some digits.
 */
function disguised(number: fc.Arbitrary<string>) {
  const scripts = Object.keys(digitScripts);
  return number.chain((plain) =>
    fc
      .tuple(
        fc.constantFrom(...scripts),
        fc.boolean(),
        fc.array(fc.constantFrom(...scripts), { minLength: plain.length, maxLength: plain.length }),
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: fc.constant('') },
            {
              weight: 2,
              arbitrary: fc
                .array(fc.constantFrom(...separators), { minLength: 1, maxLength: 3 })
                .map((s) => s.join('')),
            },
          ),
          { minLength: plain.length, maxLength: plain.length },
        ),
        fc.constantFrom('X', 'x', 'Ｘ', 'ｘ'),
        context,
        context,
      )
      .map(([oneScript, mixed, perDigit, gaps, x, before, after]) => {
        let text = '';
        [...plain].forEach((char, index) => {
          if (index > 0) text += gaps[index];
          if (char === 'X') text += x;
          else {
            const script = mixed ? (perDigit[index] as string) : oneScript;
            text += (digitScripts[script] as (digit: number) => string)(Number(char));
          }
        });
        return { before, body: text, after, text: `${before}${text}${after}` };
      }),
  );
}

describe('personal numbers are refused however they are written', () => {
  test.each([
    ['１３８００１３８０００', 'full-width phone'],
    ['138.0013.8000', 'dotted phone'],
    ['138 - 0013 - 8000', 'spaced dashes'],
    ['138－0013－8000', 'full-width dashes'],
    ['138\u30000013\u30008000', 'ideographic spaces'],
    ['+86 138 0013 8000', 'with the country code'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'full-width ID'],
    ['11010519491231002x', 'ID with a lower-case x'],
    ['６２２２　０２１２　３４５６　７８９０　１２３', 'full-width bank card in groups'],
    ['٠١٣٨٠٠١٣٨٠٠٠', 'Arabic-Indic digits'],
    ['①③⑧⓪⓪①③⑧⓪⓪⓪', 'circled digits'],
    ['𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎', 'mathematical digits'],
    ['一三八〇〇一三八〇〇〇', 'Chinese numerals'],
    ['幺三八零零幺三八零零零', 'spoken phone'],
    ['壹叁捌零零壹叁捌零零零', 'financial numerals'],
    ['一三八 ○○一三 八○○○', 'Chinese numerals with ○ and spaces'],
    ['138〇〇13八000', 'mixed scripts'],
    ['138/0013/8000', 'slashes'],
    ['138·0013·8000', 'middle dots'],
    ['138_0013_8000', 'underscores'],
    ['(0857)12345678', 'landline with area code'],
  ])('%j (%s)', (number) => {
    for (const text of [number, `户主电话${number}请联系`]) {
      expect(checkFreeText(text, budgets.reason)).toEqual({ ok: false, problem: 'number' });
    }
  });

  it('refuses generated ID, mobile and bank numbers in any disguise, and masks them whole', () => {
    fc.assert(
      fc.property(
        disguised(fc.oneof(idNumber, mobile, bankCard)),
        ({ before, body, after, text }) => {
          expect(hasPersonalNumber(text)).toBe(true);
          expect(checkFreeText(`${text}需要帮助`, budgets.reason)).toEqual({
            ok: false,
            problem: 'number',
          });
          // Masked whole, check character included, and nothing around it.
          expect(maskPersonalNumbers(text)).toBe(`${before}${'*'.repeat(charCount(body))}${after}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses them in every free-text schema', () => {
    fc.assert(
      fc.property(disguised(fc.oneof(idNumber, mobile)), ({ text }) => {
        for (const schema of [reasonSchema, noteSchema, revealReasonSchema]) {
          const result = schema.safeParse(`${text}需要核实`);
          expect(result.success).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ordinary text keeps its numbers', () => {
  test.each([
    '2025年3月需要医疗费3000元',
    '家有2 口人，3个孩子',
    '两个孩子在读一二年级',
    '二〇二五年春季学期',
    '孩子2023.09-2026.06在县一中就读',
    '2019，2020，2021年连续受灾',
    '2025-03-12 入户核实',
    '住院费用12,000元，已报销8,500元',
    '住在3组12号',
    '编号1234567890',
    '一二三四五六七八九十',
    '身份证尾号002X',
    '手机尾号8000',
    '三五户一组，七八个人',
    '需要棉被2床、冬衣4件、大米100斤',
    '家有耕地五亩，需要马铃薯良种500公斤',
    '电话 138****8000',
  ])('%j passes', (text) => {
    expect(checkFreeText(text, budgets.reason)).toMatchObject({ ok: true });
    expect(maskPersonalNumbers(text)).toBe(text);
  });

  const scripts = Object.keys(digitScripts);
  const shortNumber = fc
    .tuple(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(...scripts))
    .map(([value, script]) =>
      [...String(value)]
        .map((char) => (digitScripts[script] as (digit: number) => string)(Number(char)))
        .join(''),
    );
  const year = fc.integer({ min: 1950, max: 2030 });
  const month = fc.integer({ min: 1, max: 12 });
  const fragment = fc.oneof(
    shortNumber.map((n) => `需要医疗费${n}元`),
    shortNumber.map((n) => `家有${n}口人`),
    fc.tuple(year, month).map(([y, m]) => `${y}年${m}月`),
    fc
      .tuple(year, month, fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}入户`),
    fc
      .tuple(year, month, year, month)
      .map(
        ([y1, m1, y2, m2]) =>
          `${y1}.${String(m1).padStart(2, '0')}-${y2}.${String(m2).padStart(2, '0')}就读`,
      ),
    fc.array(year, { minLength: 2, maxLength: 4 }).map((years) => `${years.join('，')}年受灾`),
    fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 99 }))
      .map(([g, n]) => `住在${g}组${n}号`),
    fc.constantFrom('一二年级', '三五成群', '七八个人', '十一月', '高寒山区', '户主患慢性病'),
  );

  it('passes generated ordinary text: amounts, dates, house numbers, Chinese numerals', () => {
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 8 }), (fragments) => {
        const text = `${fragments.join('，')}，需要帮助。`;
        expect(checkFreeText(text, budgets.reason)).toMatchObject({ ok: true });
        expect(maskPersonalNumbers(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the household's name in free text", () => {
  test.each([
    ['户主张国华患慢性病', '张国华', true],
    ['户主张 国华患慢性病', '张国华', true], // padding does not hide it
    ['买买提艾力家缺少冬衣', '买买提·艾力', true],
    ['买买提・艾力家缺少冬衣', '买买提·艾力', true],
    ['户主患慢性病，张姓', '张国华', false],
    ['国华路口', '张国华', false],
    ['张家缺少冬衣', '张', false], // one character is not looked for
  ])('%j names %j: %s', (text, name, named) => {
    expect(mentionsName(text, name)).toBe(named);
  });
});
