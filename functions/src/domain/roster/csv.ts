/**
 * The CSV reader. Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
 * text"), and GB18030 (which includes GBK and GB2312, what Excel on Chinese Windows writes for
 * "CSV"), used when the bytes are not valid UTF-8. Delimiters: comma or tab.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { rosterFromGrid } from './grid';
import {
  readingLimits,
  refusedFile,
  type FileProblem,
  type RosterOptions,
  type RosterResult,
} from './result';

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

/**
 * Whether a CSV text stays within `lastRow` lines and `lastColumn` cells a line, found in one pass
 * that stops at the first line or cell past them: csv-parse would first build every record (a
 * 5 MiB line of commas is five million cells and seconds of work). Quotes are followed as
 * csv-parse follows them, so for any text it accepts the counts are the same as its records'.
 */
function pastCaps(
  text: string,
  delimiter: string,
  limits: { lastRow: number; lastColumn: number },
): FileProblem | undefined {
  let lines = 0;
  let cells = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === delimiter) {
      if (++cells > limits.lastColumn) return { code: 'table_too_wide', limit: limits.lastColumn };
    } else if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) {
      cells = 1;
      // A line ending that ends the text opens no further line.
      if (++lines >= limits.lastRow && i + 1 < text.length)
        return { code: 'table_too_long', limit: limits.lastRow };
    }
  }
  return undefined;
}

/** A roster from CSV bytes (comma- or tab-separated). */
export function parseRosterCsv(data: Uint8Array, options: RosterOptions): RosterResult {
  const limits = readingLimits(options);
  if (data.byteLength > limits.maxBytes) return refusedFile('unknown', { code: 'file_too_large' });
  const { text, encoding } = decodeRosterText(data);
  // Counted in a loop: matching every comma of a 5 MiB line would allocate millions of strings.
  let tabs = 0;
  let commas = 0;
  for (let i = 0; i < text.length && text[i] !== '\n' && text[i] !== '\r'; i++) {
    if (text[i] === '\t') tabs++;
    else if (text[i] === ',') commas++;
  }
  const delimiter = tabs > commas ? '\t' : ',';
  // Excel pads every line of its CSV to the sheet's used range: empty cells and lines count.
  const past = pastCaps(text, delimiter, limits);
  if (past) return refusedFile(encoding, past);
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
    return refusedFile(encoding, { code: 'file_unreadable' });
  }
  return rosterFromGrid(grid, options, encoding);
}
