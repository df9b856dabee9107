/**
 * A village's 建档立卡 roster, as the national system exports it (CSV or XLSX), read row by row
 * into canonical household records with a report of why any row was refused.
 *
 * All or nothing: the result carries the canonical rows only when the whole file is good
 * (`ok: true`); otherwise it carries the report alone, so a caller cannot import half a file by
 * mistake. The caller commits the rows in one atomic batch (or not at all), and compares them
 * with the households already stored (update or create is its decision).
 *
 * Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), and
 * GB18030 (which includes GBK and GB2312, what Excel on Chinese Windows writes for "CSV"), used
 * when the bytes are not valid UTF-8. Delimiters: comma or tab.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  cardColourOf,
  standardCauseOf,
  type CardColour,
  type HouseholdStatus,
  type PovertyCause,
} from '../household';
import { canonicalIdNumber, idNumberProblem } from '../idNumber';
import { chinaNow } from '../validation/idNumber';
import { budgets, checkFreeText, checkPersonName, textIssueCode } from '../validation/text';

/** The roster's columns, by the names used in reports; each with the headers it goes by. */
export const rosterColumns = {
  headName: {
    label: '户主姓名',
    required: true,
    aliases: ['户主姓名', '户主', '户主名称', '姓名'],
  },
  idNumber: {
    label: '身份证号码',
    required: true,
    aliases: [
      '身份证号码',
      '身份证号',
      '户主身份证号码',
      '户主身份证号',
      '证件号码',
      '公民身份号码',
    ],
  },
  address: { label: '家庭住址', required: true, aliases: ['家庭住址', '家庭地址', '住址', '地址'] },
  members: {
    label: '家庭人口',
    required: true,
    aliases: ['家庭人口', '家庭人口数', '家庭人数', '人口数', '家庭人口(人)'],
  },
  causes: { label: '致贫原因', required: true, aliases: ['致贫原因', '主要致贫原因'] },
  income: {
    label: '年人均纯收入(元)',
    required: true,
    aliases: [
      '年人均纯收入(元)',
      '年人均纯收入',
      '人均纯收入(元)',
      '人均纯收入',
      '家庭年人均纯收入(元)',
    ],
  },
  status: {
    label: '贫困户状态',
    required: true,
    aliases: ['贫困户状态', '脱贫状态', '贫困状态', '户状态'],
  },
  outYear: { label: '脱贫年度', required: false, aliases: ['脱贫年度', '脱贫年份', '脱贫年'] },
  helperName: {
    label: '帮扶责任人',
    required: false,
    aliases: ['帮扶责任人', '帮扶人', '帮扶责任人姓名'],
  },
} as const;
export type RosterColumn = keyof typeof rosterColumns;

/** A cell as read: text (CSV, text cells), a number (numeric XLSX cells), or nothing. */
export type Cell = string | number | null;

export interface RosterProblem {
  column: RosterColumn;
  code: string;
  /** For `id_duplicate`: the other rows with the same ID number. */
  withRows?: number[];
}

export interface RowReport {
  /** The row number as a spreadsheet shows it (1-based, title and header rows counted). */
  row: number;
  status: 'accepted' | 'refused';
  problems: RosterProblem[];
}

/** A household as the roster gives it, canonical. The ID belongs in the private document. */
export interface RosterHousehold {
  row: number;
  headName: string;
  idNumber: string;
  idLast4: string;
  address: string;
  members: number;
  causes: PovertyCause[];
  annualIncomeFen: number;
  status: HouseholdStatus;
  outYear: number | null;
  cardColour: CardColour;
  helperName: string | null;
}

export type FileProblemCode =
  | 'file_too_large'
  | 'file_unreadable'
  | 'header_not_found'
  | 'column_missing'
  | 'column_duplicate'
  | 'no_rows'
  | 'too_many_rows';

export interface FileProblem {
  code: FileProblemCode;
  column?: RosterColumn;
}

interface RosterSummary {
  report: RowReport[];
  accepted: number;
  refused: number;
  /** Headers present in the file that no column uses (shown, not an error). */
  ignoredColumns: string[];
  /** The encoding a CSV was read in; 'xlsx' for workbooks. */
  encoding: string;
}

export type RosterResult =
  | (RosterSummary & { ok: true; rows: RosterHousehold[] })
  | (RosterSummary & { ok: false; fileProblems: FileProblem[] });

export interface RosterOptions {
  /** The latest exit year: households out in that year get the red card (seed 004). */
  latestYear: number;
  /** Fixes "today" for birth dates (tests). */
  now?: Date;
  /** At most this many data rows (default 5000: the largest villages have a few thousand households). */
  maxRows?: number;
  /** At most this many bytes of file (default 5 MiB). */
  maxBytes?: number;
}

const defaultMaxRows = 5000;
const defaultMaxBytes = 5 * 1024 * 1024;
/** 建档立卡 began in 2014: no household left poverty on the roster before it. */
export const firstOutYear = 2014;
const headerSearchRows = 10;

const normalizeHeader = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\s*＊\uFEFF]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');

const aliasIndex = new Map<string, RosterColumn>(
  (Object.keys(rosterColumns) as RosterColumn[]).flatMap((column) =>
    rosterColumns[column].aliases.map((alias) => [normalizeHeader(alias), column] as const),
  ),
);

const textOf = (cell: Cell | undefined): string =>
  cell === null || cell === undefined ? '' : String(cell).trim();

interface HeaderMap {
  headerRow: number;
  columns: Partial<Record<RosterColumn, number>>;
  ignored: string[];
  problems: FileProblem[];
}

function findHeader(grid: Cell[][]): HeaderMap | undefined {
  for (let r = 0; r < Math.min(grid.length, headerSearchRows); r++) {
    const cells = grid[r] ?? [];
    const columns: Partial<Record<RosterColumn, number>> = {};
    const ignored: string[] = [];
    const problems: FileProblem[] = [];
    cells.forEach((cell, index) => {
      const text = textOf(cell);
      if (!text) return;
      const column = aliasIndex.get(normalizeHeader(text));
      if (!column) {
        ignored.push(text);
      } else if (columns[column] !== undefined) {
        if (!problems.some((p) => p.column === column))
          problems.push({ code: 'column_duplicate', column });
      } else {
        columns[column] = index;
      }
    });
    if (columns.headName === undefined || columns.idNumber === undefined) continue;
    for (const column of Object.keys(rosterColumns) as RosterColumn[]) {
      if (rosterColumns[column].required && columns[column] === undefined)
        problems.push({ code: 'column_missing', column });
    }
    return { headerRow: r, columns, ignored, problems };
  }
  return undefined;
}

// Totals and signature lines under the table ("合计", "填表人：…") are not households.
const footerRow = /^(合计|总计|小计|填表|制表|审核|备注|说明|负责人)/;

type Parsed<T> = { value: T } | { code: string };

function parseIdCell(cell: Cell, now: Date): Parsed<string> {
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

function parseMembers(cell: Cell): Parsed<number> {
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

function parseIncome(cell: Cell): Parsed<number> {
  if (textOf(cell) === '') return { code: 'income_missing' };
  const fen = yuanToFen(cell);
  return fen === undefined || fen > maxIncomeFen ? { code: 'income_invalid' } : { value: fen };
}

function parseCauses(cell: Cell): Parsed<PovertyCause[]> {
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
function parseStatus(
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

/**
 * The roster from a grid of cells (rows of a sheet): finds the header row among the first ten
 * (exports often carry a title above it), reads every data row, refuses duplicate ID numbers
 * (every row that shares one: which is right is for people to decide), and returns either every
 * row canonical or none. Pure; the CSV and XLSX readers feed it.
 */
export function rosterFromGrid(
  grid: Cell[][],
  options: RosterOptions,
  encoding = 'grid',
): RosterResult {
  const header = findHeader(grid);
  const base = { report: [] as RowReport[], accepted: 0, refused: 0, encoding };
  if (!header) {
    return { ...base, ok: false, ignoredColumns: [], fileProblems: [{ code: 'header_not_found' }] };
  }
  const ignoredColumns = header.ignored;
  if (header.problems.length > 0) {
    return { ...base, ok: false, ignoredColumns, fileProblems: header.problems };
  }
  const col = header.columns;
  const cellOf = (row: Cell[], column: RosterColumn): Cell => {
    const index = col[column];
    return index === undefined ? null : (row[index] ?? null);
  };
  const now = options.now ?? new Date();
  const report: RowReport[] = [];
  const households: RosterHousehold[] = [];
  const idByRow = new Map<number, string>();
  const dataRows = grid.slice(header.headerRow + 1);
  const nonEmpty = dataRows.filter((row) => row.some((cell) => textOf(cell) !== ''));
  if (nonEmpty.length > (options.maxRows ?? defaultMaxRows)) {
    return { ...base, ok: false, ignoredColumns, fileProblems: [{ code: 'too_many_rows' }] };
  }

  dataRows.forEach((cells, offset) => {
    const rowNumber = header.headerRow + offset + 2;
    const texts = cells.map(textOf).filter(Boolean);
    if (texts.length === 0) return;
    if (footerRow.test(texts[0] as string) && textOf(cellOf(cells, 'idNumber')) === '') return;
    const problems: RosterProblem[] = [];
    const take = <T>(column: RosterColumn, parsed: Parsed<T>): T | undefined => {
      if ('code' in parsed) {
        problems.push({ column, code: parsed.code });
        return undefined;
      }
      return parsed.value;
    };
    const text = (
      checked: ReturnType<typeof checkPersonName>,
      budget: typeof budgets.name | typeof budgets.address,
    ): Parsed<string> =>
      checked.ok ? { value: checked.value } : { code: textIssueCode(budget, checked.problem) };

    const headName = take(
      'headName',
      text(checkPersonName(textOf(cellOf(cells, 'headName'))), budgets.name),
    );
    const idNumber = take('idNumber', parseIdCell(cellOf(cells, 'idNumber'), now));
    if (idNumber !== undefined) idByRow.set(rowNumber, idNumber);
    const address = take(
      'address',
      text(checkFreeText(textOf(cellOf(cells, 'address')), budgets.address), budgets.address),
    );
    const members = take('members', parseMembers(cellOf(cells, 'members')));
    const causes = take('causes', parseCauses(cellOf(cells, 'causes')));
    const income = take('income', parseIncome(cellOf(cells, 'income')));
    const statusParsed = parseStatus(
      cellOf(cells, 'status'),
      cellOf(cells, 'outYear'),
      options.latestYear,
    );
    if ('code' in statusParsed)
      problems.push({ column: statusParsed.column, code: statusParsed.code });
    const helperText = textOf(cellOf(cells, 'helperName'));
    const helperName = helperText
      ? take('helperName', text(checkPersonName(helperText), budgets.name))
      : null;

    report.push({ row: rowNumber, status: problems.length ? 'refused' : 'accepted', problems });
    if (
      problems.length === 0 &&
      headName !== undefined &&
      idNumber !== undefined &&
      address !== undefined &&
      members !== undefined &&
      causes !== undefined &&
      income !== undefined &&
      helperName !== undefined &&
      'value' in statusParsed
    ) {
      const { status, outYear } = statusParsed.value;
      households.push({
        row: rowNumber,
        headName,
        idNumber,
        idLast4: idNumber.slice(-4),
        address,
        members,
        causes,
        annualIncomeFen: income,
        status,
        outYear,
        cardColour: cardColourOf(status, outYear, options.latestYear),
        helperName,
      });
    }
  });

  // Every row sharing a valid ID number with another is refused, whatever else is wrong with it.
  const rowsById = new Map<string, number[]>();
  for (const [row, id] of idByRow) rowsById.set(id, [...(rowsById.get(id) ?? []), row]);
  for (const rows of rowsById.values()) {
    if (rows.length < 2) continue;
    for (const row of rows) {
      const entry = report.find((r) => r.row === row) as RowReport;
      entry.status = 'refused';
      entry.problems.push({
        column: 'idNumber',
        code: 'id_duplicate',
        withRows: rows.filter((other) => other !== row),
      });
    }
  }

  const accepted = report.filter((r) => r.status === 'accepted').length;
  const summary = { report, accepted, refused: report.length - accepted, ignoredColumns, encoding };
  if (report.length === 0) return { ...summary, ok: false, fileProblems: [{ code: 'no_rows' }] };
  if (summary.refused > 0) return { ...summary, ok: false, fileProblems: [] };
  return { ...summary, ok: true, rows: households };
}

/** Text of a CSV file in the encodings rosters arrive in, and the name of the one used. */
export function decodeRosterText(data: Uint8Array): { text: string; encoding: string } {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(data.subarray(3)), encoding: 'utf-8-bom' };
  if (data[0] === 0xff && data[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(data.subarray(2)), encoding: 'utf-16le' };
  if (data[0] === 0xfe && data[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(data.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(data), encoding: 'gb18030' };
  }
}

function tooLarge(data: Uint8Array, options: RosterOptions): RosterResult | undefined {
  if (data.byteLength <= (options.maxBytes ?? defaultMaxBytes)) return undefined;
  return {
    ok: false,
    report: [],
    accepted: 0,
    refused: 0,
    ignoredColumns: [],
    encoding: 'unknown',
    fileProblems: [{ code: 'file_too_large' }],
  };
}

/** A roster from CSV bytes (comma- or tab-separated). */
export function parseRosterCsv(data: Uint8Array, options: RosterOptions): RosterResult {
  const large = tooLarge(data, options);
  if (large) return large;
  const { text, encoding } = decodeRosterText(data);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter =
    (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let grid: string[][];
  try {
    grid = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch {
    // The parser's message quotes the offending line: personal data stays out of the report.
    return {
      ok: false,
      report: [],
      accepted: 0,
      refused: 0,
      ignoredColumns: [],
      encoding,
      fileProblems: [{ code: 'file_unreadable' }],
    };
  }
  return rosterFromGrid(grid, options, encoding);
}

type ExcelValue = ExcelJS.CellValue;

/** A workbook cell's value as text or number: rich text joined, formulas by their result. */
export function cellFromExcel(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellFromExcel((value as { result?: ExcelValue }).result ?? null);
  if ('hyperlink' in value) return cellFromExcel((value as { text: ExcelValue }).text);
  if ('error' in value) return String(value.error);
  return null;
}

/** A roster from XLSX bytes: the first worksheet whose first rows carry the roster's header. */
export async function parseRosterXlsx(
  data: Uint8Array,
  options: RosterOptions,
): Promise<RosterResult> {
  const large = tooLarge(data, options);
  if (large) return large;
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its input as an ArrayBuffer-like Buffer; a copy of exactly the file's bytes.
    const bytes = new Uint8Array(data.byteLength);
    bytes.set(data);
    await workbook.xlsx.load(bytes.buffer);
  } catch {
    return {
      ok: false,
      report: [],
      accepted: 0,
      refused: 0,
      ignoredColumns: [],
      encoding: 'xlsx',
      fileProblems: [{ code: 'file_unreadable' }],
    };
  }
  let first: RosterResult | undefined;
  for (const sheet of workbook.worksheets) {
    const grid: Cell[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: Cell[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellFromExcel(row.getCell(c).value));
      grid.push(cells);
    }
    const result = rosterFromGrid(grid, options, 'xlsx');
    first ??= result;
    if (result.ok || !result.fileProblems.some((p) => p.code === 'header_not_found')) return result;
  }
  return (
    first ?? {
      ok: false,
      report: [],
      accepted: 0,
      refused: 0,
      ignoredColumns: [],
      encoding: 'xlsx',
      fileProblems: [{ code: 'header_not_found' }],
    }
  );
}

/** A roster from an uploaded file of either kind. */
export function parseRoster(
  file: { kind: 'csv' | 'xlsx'; data: Uint8Array },
  options: RosterOptions,
): Promise<RosterResult> {
  return file.kind === 'csv'
    ? Promise.resolve(parseRosterCsv(file.data, options))
    : parseRosterXlsx(file.data, options);
}
