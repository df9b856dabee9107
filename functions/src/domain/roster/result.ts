/**
 * What reading a roster answers, what a reader may be told, and the caps every reader applies.
 *
 * All or nothing: the result carries the canonical rows only when the whole file is good
 * (`ok: true`); otherwise it carries the report alone, so a caller cannot import half a file by
 * mistake. The caller commits the rows in one atomic batch (or not at all), and compares them
 * with the households already stored (update or create is its decision).
 */
import type { CardColour, HouseholdStatus, PovertyCause } from '../household';
import type { RosterColumn } from './columns';

export interface RosterProblem {
  column: RosterColumn;
  code: string;
  /** For `id_duplicate`: the other rows with the same ID number (the first ten). */
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
  /** The helper's mobile number (11 digits), only when the file has the column and the cell is filled. */
  helperPhone?: string;
}

export type FileProblemCode =
  | 'file_too_large'
  | 'file_unreadable'
  | 'header_not_found'
  | 'column_missing'
  | 'column_duplicate'
  | 'no_rows'
  | 'too_many_rows'
  /** The table reaches past the last row a reader looks at (blank and formatted rows count). */
  | 'table_too_long'
  /** The table reaches past the last column a reader looks at. */
  | 'table_too_wide'
  /** A workbook declares more merged ranges than a reader reads. */
  | 'too_many_merges';

export interface FileProblem {
  code: FileProblemCode;
  column?: RosterColumn;
  /** For `table_too_long` and `table_too_wide`: the last row or column read; for `too_many_merges`, the most merged ranges read. */
  limit?: number;
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
  /** At most this many columns (default 256, as many as Excel 97–2003 had). */
  maxColumns?: number;
  /** An XLSX file unpacks to at most this many bytes (default 64 MiB). */
  maxUnpackedBytes?: number;
}

export const defaultMaxRows = 5000;
const defaultMaxBytes = 5 * 1024 * 1024;
const defaultMaxColumns = 256;
// A 5,000-household sheet is a few MB of XML; exceljs holds it as a string, twice that in memory.
const defaultMaxUnpackedBytes = 64 * 1024 * 1024;

/**
 * How far a reader reads. A table may reach row 2 × `maxRows` (room for a title, blank lines and
 * footers between a full village's rows) and column `maxColumns`; a reader stops there and refuses
 * the file, so the work a file causes is bounded by these numbers, not by the coordinates it names.
 */
export function readingLimits(options: RosterOptions): {
  maxBytes: number;
  maxUnpackedBytes: number;
  lastRow: number;
  lastColumn: number;
  maxMergedRanges: number;
} {
  const lastRow = 2 * (options.maxRows ?? defaultMaxRows);
  return {
    maxBytes: options.maxBytes ?? defaultMaxBytes,
    maxUnpackedBytes: options.maxUnpackedBytes ?? defaultMaxUnpackedBytes,
    lastRow,
    lastColumn: options.maxColumns ?? defaultMaxColumns,
    // Ten per row read, across the workbook: a roster merging each household's cells over its
    // member rows merges fewer than ten columns, and non-overlapping merges need two rows each.
    maxMergedRanges: 10 * lastRow,
  };
}

/** A refusal of the whole file, before any row was read. */
export function refusedFile(encoding: string, problem: FileProblem): RosterResult {
  return {
    ok: false,
    report: [],
    accepted: 0,
    refused: 0,
    ignoredColumns: [],
    encoding,
    fileProblems: [problem],
  };
}
