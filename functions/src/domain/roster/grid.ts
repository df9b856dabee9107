/**
 * The roster from a grid of cells, whichever reader produced it: the header located, every data
 * row read into a household or a report of its problems, duplicate ID numbers refused.
 */
import { cardColourOf } from '../household';
import { budgets, checkFreeText, checkPersonName, textIssueCode } from '../validation/text';
import { findHeader, type RosterColumn } from './columns';
import { textOf, type Cell } from './cell';
import {
  parseCauses,
  parseIdCell,
  parseIncome,
  parseMembers,
  parseStatus,
  type Parsed,
} from './fields';
import { mobileDigitsOf } from './helpers';
import { fillMergedDown, type MergedRange } from './merges';
import {
  defaultMaxRows,
  type RosterHousehold,
  type RosterOptions,
  type RosterProblem,
  type RosterResult,
  type RowReport,
} from './result';

/** How many other rows an `id_duplicate` names. */
export const maxOtherRows = 10;

// Totals and signature lines under the table ("合计", "填表人：…") are not households.
const footerRow = /^(合计|总计|小计|填表|制表|审核|备注|说明|负责人)/;

/**
 * The roster from a grid of cells (rows of a sheet): finds the header row among the first ten
 * (exports often carry a title above it), reads every data row, refuses duplicate ID numbers
 * (every row that shares one: which is right is for people to decide), and returns either every
 * row canonical or none. Pure; the CSV and XLSX readers feed it. A workbook's merged ranges
 * (`merges`) are filled down the data rows they span (merges.ts); a row whose ID number is merged
 * down from the row above is a member row of that household, not a household of its own.
 */
export function rosterFromGrid(
  sheetGrid: Cell[][],
  options: RosterOptions,
  encoding = 'grid',
  merges: MergedRange[] = [],
): RosterResult {
  let grid = sheetGrid;
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
  const merged = fillMergedDown(grid, merges, header.headerRow, col.idNumber);
  grid = merged.grid;
  const isHousehold = (row: Cell[], offset: number) =>
    !merged.continued.has(header.headerRow + 1 + offset) && row.some((cell) => textOf(cell) !== '');
  const cellOf = (row: Cell[], column: RosterColumn): Cell => {
    const index = col[column];
    return index === undefined ? null : (row[index] ?? null);
  };
  const now = options.now ?? new Date();
  const report: RowReport[] = [];
  const households: RosterHousehold[] = [];
  const idByRow = new Map<number, string>();
  const dataRows = grid.slice(header.headerRow + 1);
  const nonEmpty = dataRows.filter(isHousehold);
  if (nonEmpty.length > (options.maxRows ?? defaultMaxRows)) {
    return { ...base, ok: false, ignoredColumns, fileProblems: [{ code: 'too_many_rows' }] };
  }

  dataRows.forEach((cells, offset) => {
    const rowNumber = header.headerRow + offset + 2;
    if (!isHousehold(cells, offset)) return;
    const texts = cells.map(textOf).filter(Boolean);
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
    const phoneText = textOf(cellOf(cells, 'helperPhone'));
    const phoneDigits = phoneText ? mobileDigitsOf(phoneText) : undefined;
    const helperPhone = phoneText
      ? take('helperPhone', phoneDigits ? { value: phoneDigits } : { code: 'phone_invalid' })
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
      helperPhone !== undefined &&
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
        cardColour: cardColourOf({ status, outYear }, options.latestYear),
        helperName,
        ...(helperPhone ? { helperPhone } : {}),
      });
    }
  });

  // Every row sharing a valid ID number with another is refused, whatever else is wrong with it.
  const rowsById = new Map<string, number[]>();
  for (const [row, id] of idByRow) {
    const rows = rowsById.get(id);
    if (rows) rows.push(row);
    else rowsById.set(id, [row]);
  }
  const entryOf = new Map(report.map((entry) => [entry.row, entry]));
  for (const rows of rowsById.values()) {
    if (rows.length < 2) continue;
    for (const row of rows) {
      const entry = entryOf.get(row) as RowReport;
      entry.status = 'refused';
      entry.problems.push({
        column: 'idNumber',
        code: 'id_duplicate',
        // A few rows to look at: 5,000 copies of one row would otherwise answer 25 million.
        withRows: rows.filter((other) => other !== row).slice(0, maxOtherRows),
      });
    }
  }

  const accepted = report.filter((r) => r.status === 'accepted').length;
  const summary = { report, accepted, refused: report.length - accepted, ignoredColumns, encoding };
  if (report.length === 0) return { ...summary, ok: false, fileProblems: [{ code: 'no_rows' }] };
  if (summary.refused > 0) return { ...summary, ok: false, fileProblems: [] };
  return { ...summary, ok: true, rows: households };
}
