/**
 * One cell of a roster row read into its canonical value, or the code of why it cannot be: the
 * ways exports write an ID number, a count of people, yuan, causes and a poverty status.
 */
import { standardCauseOf, type HouseholdStatus, type PovertyCause } from '../household';
import { canonicalIdNumber, idNumberProblem } from '../idNumber';
import { chinaNow } from '../validation/idNumber';
import { textOf, type Cell } from './cell';
import type { RosterColumn } from './columns';

/** 建档立卡 began in 2014: no household left poverty on the roster before it. */
export const firstOutYear = 2014;

export type Parsed<T> = { value: T } | { code: string };

export function parseIdCell(cell: Cell, now: Date): Parsed<string> {
  // A numeric cell cannot hold 18 digits exactly: Excel has already rounded the number.
  if (typeof cell === 'number') return { code: 'id_numeric_cell' };
  let text = textOf(cell);
  if (!text) return { code: 'id_missing' };
  // What spreadsheets add to keep an ID as text: a leading apostrophe or tab, or ="…".
  text = text.replace(/^\t+/, '').replace(/^'/, '');
  const formula = /^="(.*)"$/.exec(text);
  if (formula) text = formula[1] as string;
  const id = canonicalIdNumber(text);
  const problem = idNumberProblem(id, chinaNow(now));
  return problem ? { code: problem } : { value: id };
}

export function parseMembers(cell: Cell): Parsed<number> {
  const text = textOf(cell)
    .normalize('NFKC')
    .replace(/[人口]$/, '');
  if (!text) return { code: 'members_missing' };
  if (!/^\d{1,2}$/.test(text)) return { code: 'members_invalid' };
  const members = Number(text);
  return members >= 1 && members <= 30 ? { value: members } : { code: 'members_invalid' };
}

/** Yuan as written ("3,456.78", "3456.7元", 3456.78) to integer fen, without float drift. */
export function yuanToFen(cell: Cell): number | undefined {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 0) return undefined;
    const fen = Math.round(cell * 100);
    return Math.abs(fen - cell * 100) < 1e-6 ? fen : undefined;
  }
  const text = textOf(cell).normalize('NFKC').replace(/[,\s]/g, '').replace(/元$/, '');
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

// A sanity bound: a roster household with a million yuan a head is a typing error.
const maxIncomeFen = 100_000_000;

export function parseIncome(cell: Cell): Parsed<number> {
  if (textOf(cell) === '') return { code: 'income_missing' };
  const fen = yuanToFen(cell);
  return fen === undefined || fen > maxIncomeFen ? { code: 'income_invalid' } : { value: fen };
}

export function parseCauses(cell: Cell): Parsed<PovertyCause[]> {
  const words = textOf(cell)
    .normalize('NFKC')
    .split(/[、,;/|\s]+/)
    .filter(Boolean);
  if (words.length === 0) return { code: 'cause_missing' };
  const causes: PovertyCause[] = [];
  for (const word of words) {
    const cause = standardCauseOf(word);
    if (!cause) return { code: 'cause_unknown' };
    if (!causes.includes(cause)) causes.push(cause);
  }
  return { value: causes };
}

const statusWords: Record<string, HouseholdStatus> = {
  未脱贫: 'not_out',
  已脱贫: 'out',
  脱贫: 'out',
  返贫: 'returned',
  稳定脱贫: 'stably_out',
};

/** "2019年脱贫", "已脱贫(2019年)", "已脱贫" + a 脱贫年度 column, "未脱贫", "返贫", "稳定脱贫". */
export function parseStatus(
  statusCell: Cell,
  yearCell: Cell,
  latestYear: number,
):
  | { value: { status: HouseholdStatus; outYear: number | null } }
  | { column: RosterColumn; code: string } {
  const text = textOf(statusCell).normalize('NFKC').replace(/\s/g, '');
  if (!text) return { column: 'status', code: 'status_missing' };
  const yearFirst = /^(\d{4})年?(已?脱贫|稳定脱贫)$/.exec(text);
  const yearAfter = /^(已?脱贫|稳定脱贫)\(?(\d{4})年?度?\)?$/.exec(text);
  const word = yearFirst?.[2] ?? yearAfter?.[1] ?? text;
  const status = statusWords[word];
  if (!status) return { column: 'status', code: 'status_unknown' };
  const inStatus = yearFirst?.[1] ?? yearAfter?.[2];
  const columnText = textOf(yearCell)
    .normalize('NFKC')
    .replace(/年度?$/, '');
  if (columnText && !/^\d{4}$/.test(columnText))
    return { column: 'outYear', code: 'out_year_invalid' };
  if (inStatus && columnText && inStatus !== columnText)
    return { column: 'outYear', code: 'out_year_conflict' };
  const yearText = inStatus ?? columnText;
  if (!yearText) {
    return status === 'out'
      ? { column: 'outYear', code: 'out_year_missing' }
      : { value: { status, outYear: null } };
  }
  if (status === 'not_out') return { column: 'outYear', code: 'out_year_unexpected' };
  const outYear = Number(yearText);
  if (outYear < firstOutYear || outYear > latestYear)
    return { column: 'outYear', code: 'out_year_invalid' };
  return { value: { status, outYear } };
}
