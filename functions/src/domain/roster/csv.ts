/**
 * The CSV reader. Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
 * text"), and GB18030 (which includes GBK and GB2312, what Excel on Chinese Windows writes for
 * "CSV"), used when the bytes are not valid UTF-8. Delimiters: comma or tab.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { rosterFromGrid } from './grid';
import { readingLimits, refusedFile, type RosterOptions, type RosterResult } from './result';

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

/** A roster from CSV bytes (comma- or tab-separated). */
export function parseRosterCsv(data: Uint8Array, options: RosterOptions): RosterResult {
  const limits = readingLimits(options);
  if (data.byteLength > limits.maxBytes) return refusedFile('unknown', { code: 'file_too_large' });
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
      // One line past the last row read is enough to know the table goes on.
      to_line: limits.lastRow + 1,
    }) as string[][];
  } catch {
    // The parser's message quotes the offending line: personal data stays out of the report.
    return refusedFile(encoding, { code: 'file_unreadable' });
  }
  if (grid.length > limits.lastRow)
    return refusedFile(encoding, { code: 'table_too_long', limit: limits.lastRow });
  // Excel pads every line of its CSV to the sheet's used range, as wide as the workbook was.
  if (grid.some((row) => row.length > limits.lastColumn))
    return refusedFile(encoding, { code: 'table_too_wide', limit: limits.lastColumn });
  return rosterFromGrid(grid, options, encoding);
}
