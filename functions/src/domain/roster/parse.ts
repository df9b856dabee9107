/**
 * A village's 建档立卡 roster, as the national system exports it (CSV or XLSX), read row by row
 * into canonical household records with a report of why any row was refused: the entry point
 * importRoster calls. The readers (csv.ts, xlsx.ts) turn bytes into a grid of cells within the
 * caps of result.ts; grid.ts reads the grid (columns.ts finds the header, fields.ts each cell).
 */
import { parseRosterCsv } from './csv';
import type { RosterOptions, RosterResult } from './result';
import { parseRosterXlsx } from './xlsx';

/** A roster from an uploaded file of either kind. */
export function parseRoster(
  file: { kind: 'csv' | 'xlsx'; data: Uint8Array },
  options: RosterOptions,
): Promise<RosterResult> {
  return file.kind === 'csv'
    ? Promise.resolve(parseRosterCsv(file.data, options))
    : parseRosterXlsx(file.data, options);
}
