/**
 * Merged cells, read by the roster reader itself. exceljs expands a merged range cell by cell (a
 * merge "A1:XFD1048576" is 17 billion cells), so it is told to skip them, and the ranges are taken
 * here from the sheet's XML as four numbers each: their number is capped, and a range is only ever
 * clipped to the rows the reader holds, never walked over the coordinates it names.
 *
 * Village rosters merge cells down: one helper (帮扶责任人) or group across the rows of several
 * households, a household's cells across the rows of its members. Excel keeps a merged range's
 * value in its top-left cell only, so without this those rows would read blank.
 */
import { textOf, type Cell } from './cell';

/** A merged range, 0-based and inclusive, as the grid indexes rows and columns. */
export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

// Excel's last row and column: a coordinate past them is no coordinate.
const lastExcelRow = 1_048_576;
const lastExcelColumn = 16_384;

const columnNumber = (letters: string): number => {
  let column = 0;
  for (let i = 0; i < letters.length; i++) column = column * 26 + (letters.charCodeAt(i) & 0x1f);
  return column;
};

const rangeRef = /^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6}):\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$/;

/** A range reference ("A1:C4", "$H$3:$H$5") as a range; a single cell or anything unreadable is none. */
export function rangeOf(ref: string): MergedRange | undefined {
  const match = rangeRef.exec(ref.trim());
  if (!match) return undefined;
  const [, c1, r1, c2, r2] = match as unknown as [string, string, string, string, string];
  const a = columnNumber(c1);
  const b = columnNumber(c2);
  const top = Number(r1);
  const bottom = Number(r2);
  if (a > lastExcelColumn || b > lastExcelColumn || top > lastExcelRow || bottom > lastExcelRow)
    return undefined;
  const range = {
    top: Math.min(top, bottom) - 1,
    left: Math.min(a, b) - 1,
    bottom: Math.max(top, bottom) - 1,
    right: Math.max(a, b) - 1,
  };
  return range.top === range.bottom && range.left === range.right ? undefined : range;
}

const mergeCellRef = /<mergeCell\b[^>]*?\sref\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * The merged ranges a sheet's XML declares, or 'too_many' past `max` `<mergeCell>` elements
 * (counted whether readable or not, and counted before any is read, so a file past the cap costs
 * one search of its bytes).
 */
export function mergedRangesOf(
  xml: Uint8Array,
  max: number,
): { ranges: MergedRange[]; elements: number } | 'too_many' {
  const bytes = Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  // <mergeCells> follows <sheetData>: only the text from there on is decoded and searched.
  const start = bytes.indexOf('<mergeCell');
  if (start < 0) return { ranges: [], elements: 0 };
  const text = bytes.toString('latin1', start);
  let elements = 0;
  for (let at = text.indexOf('<mergeCell'); at >= 0; at = text.indexOf('<mergeCell', at + 10)) {
    if (/[\s/>]/.test(text.charAt(at + 10)) && ++elements > max) return 'too_many';
  }
  const ranges: MergedRange[] = [];
  for (const ref of text.matchAll(mergeCellRef)) {
    const range = rangeOf(ref[1] ?? ref[2] ?? '');
    if (range) ranges.push(range);
  }
  return { ranges, elements };
}

const attributesOf = (tag: string): Map<string, string> =>
  new Map(
    [...tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map(
      (m) => [m[1] as string, m[2] ?? m[3] ?? ''] as const,
    ),
  );

/**
 * The zip path of each sheet by its sheetId, resolved as exceljs resolves it (workbook.xml's
 * `<sheet sheetId r:id>` through workbook.xml.rels), so the ranges go to the sheet exceljs read.
 */
export function sheetPaths(workbookXml: string, relsXml: string): Map<number, string> {
  const targets = new Map<string, string>();
  for (const [tag] of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const attributes = attributesOf(tag);
    const id = attributes.get('Id');
    const target = attributes.get('Target');
    if (id !== undefined && target !== undefined) targets.set(id, target);
  }
  const paths = new Map<number, string>();
  for (const [tag] of workbookXml.matchAll(/<sheet\b[^>]*>/g)) {
    const attributes = attributesOf(tag);
    const target = targets.get(attributes.get('r:id') ?? '');
    const id = parseInt(attributes.get('sheetId') ?? '', 10);
    if (target !== undefined && Number.isInteger(id))
      paths.set(id, `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`);
  }
  return paths;
}

/**
 * The data rows with merged values filled down: a row below `headerRow` that has content of its
 * own reads, in a blank cell of a merged range's first column, the value of the range's top cell,
 * when that top cell is a data row too. Only the first column is filled, so a header merged across
 * two columns still names one; merges starting at or above the header (a title, a two-row header,
 * a whole-sheet range) fill nothing; a cell's own value is kept (Excel clears the cells it merges,
 * so any value there was written by hand). Rows whose `idColumn` cell was filled are the member
 * rows of the household above and are named in `continued`.
 *
 * Work: sorting the ranges, then at most one visit per grid row and column, however the ranges
 * overlap or however far they reach: each is clipped to the rows of the grid.
 */
export function fillMergedDown(
  grid: Cell[][],
  ranges: MergedRange[],
  headerRow: number,
  idColumn: number | undefined,
): { grid: Cell[][]; continued: Set<number> } {
  const continued = new Set<number>();
  const byColumn = new Map<number, MergedRange[]>();
  for (const range of ranges) {
    if (range.top <= headerRow || range.top >= grid.length - 1 || range.bottom === range.top)
      continue;
    const list = byColumn.get(range.left);
    if (list) list.push(range);
    else byColumn.set(range.left, [range]);
  }
  if (byColumn.size === 0) return { grid, continued };
  const hasContent = grid.map((row) => row.some((cell) => textOf(cell) !== ''));
  const filled = grid.slice();
  const copied = new Set<number>();
  for (const [column, list] of byColumn) {
    list.sort((a, b) => a.top - b.top);
    let covered = -1;
    for (const range of list) {
      const master = grid[range.top]?.[column] ?? null;
      const from = Math.max(range.top + 1, covered + 1);
      const to = Math.min(range.bottom, grid.length - 1);
      covered = Math.max(covered, to);
      if (textOf(master) === '') continue;
      for (let r = from; r <= to; r++) {
        if (!hasContent[r] || textOf(grid[r]?.[column]) !== '') continue;
        if (!copied.has(r)) {
          filled[r] = (grid[r] ?? []).slice();
          copied.add(r);
        }
        const row = filled[r] as Cell[];
        while (row.length < column) row.push(null);
        row[column] = master;
        if (column === idColumn) continued.add(r);
      }
    }
  }
  return { grid: filled, continued };
}
