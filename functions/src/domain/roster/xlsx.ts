/**
 * The XLSX reader: the first worksheet whose first rows carry the roster's header.
 *
 * Bounded by what the file holds, never by the coordinates it names: the zip is unpacked within a
 * budget first (unpacked.ts), exceljs stops parsing a sheet past the row and column caps (counted
 * elements), and a sheet whose last row or cell lies past them (one cell at A1048576 is 6 KB) is
 * refused before anything walks its rows. exceljs is not given merged ranges, data validations
 * or conditional formats: it expands each range cell by cell, so "A1:XFD1048576" in a few bytes
 * would cost billions of cells. Merged ranges are read here instead (merges.ts), at most
 * `maxMergedRanges` of them, while the zip is unpacked, and filled down the rows the grid holds.
 */
import ExcelJS from 'exceljs';
import type { Cell } from './cell';
import { rosterFromGrid } from './grid';
import { mergedRangesOf, sheetPaths, type MergedRange } from './merges';
import {
  readingLimits,
  refusedFile,
  type FileProblem,
  type RosterOptions,
  type RosterResult,
} from './result';
import { unpackedSize } from './unpacked';

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

// What exceljs throws when a sheet has more <row> or <c> elements than its maxRows / maxCols.
const tooManyRows = /^Max row count \(\d+\) exceeded$/;
const tooManyColumns = /^Max column count \(\d+\) exceeded$/;

/** A sheet's cells row by row, or why the sheet is past the caps. */
function gridOf(
  sheet: ExcelJS.Worksheet,
  limits: ReturnType<typeof readingLimits>,
): { grid: Cell[][] } | { problem: FileProblem } {
  // rowCount is the number of the last row (exceljs keeps rows in an array by number), read
  // without walking the rows; a row's cellCount likewise. Neither calls columnCount, which walks
  // every row of the sheet.
  if (sheet.rowCount > limits.lastRow)
    return { problem: { code: 'table_too_long', limit: limits.lastRow } };
  const grid: Cell[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.findRow(r);
    if (!row) {
      grid.push([]);
      continue;
    }
    if (row.cellCount > limits.lastColumn)
      return { problem: { code: 'table_too_wide', limit: limits.lastColumn } };
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellFromExcel(row.findCell(c)?.value));
    grid.push(cells);
  }
  return { grid };
}

/** A roster from XLSX bytes: the first worksheet whose first rows carry the roster's header. */
export async function parseRosterXlsx(
  data: Uint8Array,
  options: RosterOptions,
): Promise<RosterResult> {
  const limits = readingLimits(options);
  if (data.byteLength > limits.maxBytes) return refusedFile('unknown', { code: 'file_too_large' });
  // Each sheet's merged ranges, taken from its XML as it is unpacked, within one cap for the file.
  const mergesByPath = new Map<string, MergedRange[]>();
  let mergeRoom = limits.maxMergedRanges;
  let tooManyMerges = false;
  let workbookXml = '';
  let relsXml = '';
  const unpacked = unpackedSize(data, limits.maxUnpackedBytes, (path, xml) => {
    if (path === 'xl/workbook.xml') workbookXml = xml.toString('utf8');
    else if (path === 'xl/_rels/workbook.xml.rels') relsXml = xml.toString('utf8');
    else if (/^xl\/worksheets\/sheet\d+\.xml$/.test(path) && !tooManyMerges) {
      const read = mergedRangesOf(xml, mergeRoom);
      if (read === 'too_many') tooManyMerges = true;
      else {
        mergeRoom -= read.elements;
        mergesByPath.set(path, read.ranges);
      }
    }
  });
  if (unpacked === 'too_large') return refusedFile('xlsx', { code: 'file_too_large' });
  if (unpacked === 'unreadable') return refusedFile('xlsx', { code: 'file_unreadable' });
  if (tooManyMerges)
    return refusedFile('xlsx', { code: 'too_many_merges', limit: limits.maxMergedRanges });
  const pathOf = sheetPaths(workbookXml, relsXml);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its input as an ArrayBuffer-like Buffer; a copy of exactly the file's bytes.
    const bytes = new Uint8Array(data.byteLength);
    bytes.set(data);
    await workbook.xlsx.load(bytes.buffer, {
      maxRows: limits.lastRow,
      maxCols: limits.lastColumn,
      ignoreNodes: ['mergeCells', 'dataValidations', 'conditionalFormatting'],
    } as ExcelJS.XlsxReadOptions);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (tooManyRows.test(message))
      return refusedFile('xlsx', { code: 'table_too_long', limit: limits.lastRow });
    if (tooManyColumns.test(message))
      return refusedFile('xlsx', { code: 'table_too_wide', limit: limits.lastColumn });
    return refusedFile('xlsx', { code: 'file_unreadable' });
  }
  let first: RosterResult | undefined;
  for (const sheet of workbook.worksheets) {
    const read = gridOf(sheet, limits);
    if ('problem' in read) return refusedFile('xlsx', read.problem);
    const merges = mergesByPath.get(pathOf.get(sheet.id) ?? '') ?? [];
    const result = rosterFromGrid(read.grid, options, 'xlsx', merges);
    first ??= result;
    if (result.ok || !result.fileProblems.some((p) => p.code === 'header_not_found')) return result;
  }
  return first ?? refusedFile('xlsx', { code: 'header_not_found' });
}
