/**
 * Both roster readers against what a hostile or careless uploader can send: random bytes, random
 * cells at any coordinate Excel allows, formulas, empty sheets, ranges over the whole sheet, many
 * columns. Whatever the file, a reader answers (never throws, never hangs) and never hands back
 * more rows than the cap; a valid roster, however generated, comes back as it went in.
 */
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { checkCharOf } from '../idNumber';
import { povertyCauses } from '../household';
import {
  csvOf,
  header as rosterFileHeader,
  now,
  utf8,
  xlsxOfSheets,
  xmlText,
  zipOf,
} from '../../../../test/support/rosterFiles';
import { parseRosterCsv } from './csv';
import type { RosterHousehold, RosterOptions, RosterResult } from './result';
import { parseRosterXlsx } from './xlsx';

// Small caps, so that random files reach them.
const caps: RosterOptions = { latestYear: 2020, now, maxRows: 20, maxColumns: 30 };
// A run that does not finish in this time fails: the property is that every file is answered.
const runLimit = { timeout: 5000 };

function expectAnswer(result: RosterResult) {
  expect(typeof result.ok).toBe('boolean');
  expect(result.report.length).toBeLessThanOrEqual(caps.maxRows as number);
  if (result.ok) expect(result.rows.length).toBeLessThanOrEqual(caps.maxRows as number);
  else expect(result).not.toHaveProperty('rows');
}

const columnName = (n: number): string =>
  n <= 0 ? '' : columnName(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26));

function rosterHeaderCells() {
  return [
    '户主姓名',
    '身份证号码',
    '家庭住址',
    '家庭人口',
    '致贫原因',
    '年人均纯收入(元)',
    '贫困户状态',
  ]
    .map((text, i) => `<c r="${columnName(i + 1)}1" t="inlineStr"><is><t>${text}</t></is></c>`)
    .join('');
}

const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '户主姓名',
    '身份证号码',
    '家庭住址',
    '合计',
    '=1+1',
    '"',
    '\t',
    '&amp;',
    '\u202E',
  ),
);

/** One `<c>` element: any coordinate Excel allows, any kind of value, some malformed. */
const cellXml = fc
  .record({
    row: fc.oneof(
      { arbitrary: fc.integer({ min: 2, max: 45 }), weight: 30 },
      { arbitrary: fc.integer({ min: 1, max: 1_048_576 }), weight: 1 },
    ),
    column: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 35 }), weight: 30 },
      { arbitrary: fc.integer({ min: 1, max: 16_384 }), weight: 1 },
    ),
    kind: fc.constantFrom('inline', 'number', 'formula', 'bool', 'error', 'shared', 'empty'),
    text: anyText,
    number: fc.double(),
  })
  .map(({ row, column, kind, text, number }) => {
    const ref = `${columnName(column)}${row}`;
    const body = {
      inline: `<c r="${ref}" t="inlineStr"><is><t>${xmlText(text)}</t></is></c>`,
      number: `<c r="${ref}"><v>${number}</v></c>`,
      formula: `<c r="${ref}"><f>${xmlText(text)}</f><v>${number}</v></c>`,
      bool: `<c r="${ref}" t="b"><v>1</v></c>`,
      error: `<c r="${ref}" t="e"><v>#REF!</v></c>`,
      // A shared string that the workbook does not have.
      shared: `<c r="${ref}" t="s"><v>${Math.abs(Math.trunc(number)) % 1000}</v></c>`,
      empty: `<c r="${ref}" s="1"/>`,
    }[kind];
    return { row, body: body as string };
  });

const headerCells = rosterHeaderCells();

/** A merged range anywhere Excel allows, mostly among the cells above; some malformed. */
const mergeRef = fc
  .record({
    row: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 45 }), weight: 20 },
      { arbitrary: fc.integer({ min: 1, max: 1_048_576 }), weight: 1 },
    ),
    column: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 35 }), weight: 20 },
      { arbitrary: fc.integer({ min: 1, max: 16_384 }), weight: 1 },
    ),
    height: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 8 }), weight: 20 },
      { arbitrary: fc.integer({ min: 0, max: 1_048_576 }), weight: 1 },
    ),
    width: fc.integer({ min: 0, max: 3 }),
    malformed: fc.option(fc.constantFrom('A1', 'B2:', 'XFE1:XFE2', 'A0:A3', '$A$1:$B$9'), {
      freq: 10,
    }),
  })
  .map(({ row, column, height, width, malformed }) =>
    malformed !== null
      ? malformed
      : `${columnName(column)}${row}:${columnName(Math.min(column + width, 16_384))}${Math.min(row + height, 1_048_576)}`,
  );
const mergeCap = 10 * 2 * (caps.maxRows as number);

/** A sheet of random cells grouped into rows, with random merges and a whole-sheet range now and then. */
const sheetXml = fc
  .record({
    header: fc.boolean(),
    cells: fc.array(cellXml, { maxLength: 60, size: 'medium' }),
    merges: fc.array(mergeRef, { maxLength: 12 }),
    // Now and then as many tiny merges as the cap allows for the whole file, or more.
    tinyMerges: fc.oneof(
      { arbitrary: fc.constant(0), weight: 8 },
      { arbitrary: fc.integer({ min: mergeCap - 20, max: mergeCap + 20 }), weight: 1 },
    ),
    extra: fc.constantFrom(
      '',
      '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
      '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a"</formula1></dataValidation></dataValidations>',
      '<cols><col min="1" max="16384" width="9"/></cols>',
    ),
  })
  .map(({ header, cells, merges, tinyMerges, extra }) => {
    const rows = new Map<number, string[]>(header ? [[1, [headerCells]]] : []);
    for (const cell of cells) rows.set(cell.row, [...(rows.get(cell.row) ?? []), cell.body]);
    const data = [...rows.entries()]
      .sort(([a], [b]) => a - b)
      .map(([row, bodies]) => `<row r="${row}">${bodies.join('')}</row>`)
      .join('');
    const refs = [
      ...merges,
      ...Array.from({ length: tinyMerges }, (_, i) => `A${2 * i + 50}:A${2 * i + 51}`),
    ];
    const merged = refs.length
      ? `<mergeCells count="${refs.length}">${refs.map((ref) => `<mergeCell ref="${ref}"/>`).join('')}</mergeCells>`
      : '';
    const body = extra.startsWith('<cols')
      ? `${extra}<sheetData>${data}</sheetData>${merged}`
      : `<sheetData>${data}</sheetData>${merged}${extra}`;
    return { body, mergeElements: refs.length + (extra.includes('<mergeCell ') ? 1 : 0) };
  });

describe('the readers answer every file', () => {
  it('CSV: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        expectAnswer(parseRosterCsv(bytes, caps));
      }),
      { numRuns: 200 },
    );
  });

  it('CSV: random grids, quotes, tabs and wide or long tables', () => {
    const grid = fc.array(fc.array(anyText, { maxLength: 40 }), { maxLength: 60, size: 'max' });
    fc.assert(
      fc.property(grid, fc.constantFrom(',', '\t'), (rows, delimiter) => {
        const text = rows.map((row) => row.join(delimiter)).join('\r\n');
        expectAnswer(parseRosterCsv(utf8(text), caps));
      }),
      { numRuns: 200 },
    );
  });

  it('CSV: refuses a table past the caps exactly when csv-parse would read one', () => {
    const lastRow = 2 * (caps.maxRows as number);
    const lastColumn = caps.maxColumns as number;
    const quote = (cell: string) =>
      /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    // Lengths near the caps, not fast-check's usual handful.
    const cells = fc.oneof(
      { arbitrary: fc.array(anyText, { maxLength: 5 }), weight: 20 },
      {
        arbitrary: fc.array(anyText, { minLength: lastColumn - 3, maxLength: lastColumn + 3 }),
        weight: 1,
      },
    );
    const grid = fc.array(
      cells.map((row) => ['x', ...row]),
      { minLength: 1, maxLength: lastRow + 3, size: 'max' },
    );
    fc.assert(
      fc.property(grid, fc.boolean(), (rows, finalNewline) => {
        const text =
          rows.map((row) => row.map(quote).join(',')).join('\r\n') + (finalNewline ? '\r\n' : '');
        const result = parseRosterCsv(utf8(text), caps);
        const past = rows.length > lastRow || rows.some((row) => row.length > lastColumn);
        const refusedForSize =
          !result.ok &&
          result.fileProblems.some(
            (p) => p.code === 'table_too_long' || p.code === 'table_too_wide',
          );
        expect(refusedForSize).toBe(past);
      }),
      { numRuns: 200 },
    );
  });

  it('XLSX: random bytes, and a zip with random entries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc
            .array(
              fc.record({
                path: fc.constantFrom(
                  'xl/workbook.xml',
                  '[Content_Types].xml',
                  'xl/worksheets/sheet1.xml',
                  'x',
                ),
                text: fc.string(),
                deflate: fc.boolean(),
              }),
              { maxLength: 4 },
            )
            .map(zipOf),
        ),
        async (bytes) => expectAnswer(await parseRosterXlsx(bytes, caps)),
      ),
      { numRuns: 100, ...runLimit },
    );
  });

  it('XLSX: random cells at any coordinate, formulas, empty sheets, whole-sheet ranges', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sheetXml, { minLength: 1, maxLength: 3 }), async (sheets) => {
        const result = await parseRosterXlsx(xlsxOfSheets(sheets.map((s) => s.body)), caps);
        expectAnswer(result);
        // Merged ranges are counted across the workbook, malformed ones too.
        const merges = sheets.reduce((sum, s) => sum + s.mergeElements, 0);
        expect(!result.ok && result.fileProblems[0]?.code === 'too_many_merges').toBe(
          merges > mergeCap,
        );
      }),
      { numRuns: 100, ...runLimit },
    );
  });

  it('XLSX: a real workbook with bytes changed', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('花名册').addRow(['户主姓名', '身份证号码']);
    const good = new Uint8Array(await workbook.xlsx.writeBuffer());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(good.length - 1), byte: fc.nat(255) }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (changes) => {
          const bytes = new Uint8Array(good);
          for (const { at, byte } of changes) bytes[at] = byte;
          expectAnswer(await parseRosterXlsx(bytes, caps));
        },
      ),
      { numRuns: 60, ...runLimit },
    );
  });
});

const names = ['张国华', '李秀英', '王小明', '欧阳娜娜', '买买提·艾力', '吉𠮷', '赵四'];
const household = fc
  .record({
    name: fc.constantFrom(...names),
    born: fc.date({
      min: new Date('1930-01-01T00:00:00Z'),
      max: new Date('2010-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 0, max: 999 }),
    group: fc.integer({ min: 1, max: 12 }),
    members: fc.integer({ min: 1, max: 30 }),
    causes: fc.uniqueArray(fc.constantFrom(...povertyCauses), { minLength: 1, maxLength: 3 }),
    incomeFen: fc.integer({ min: 0, max: 100_000_000 }),
    status: fc.constantFrom('not_out', 'out', 'returned', 'stably_out'),
    outYear: fc.integer({ min: 2014, max: 2020 }),
    helper: fc.option(fc.constantFrom('帮扶干部一', '杨帮扶'), { nil: null }),
  })
  .map((h) => {
    const date = h.born.toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `520526${date}${String(h.sequence).padStart(3, '0')}`;
    const outYear = h.status === 'out' || h.status === 'stably_out' ? h.outYear : null;
    return { ...h, idNumber: first17 + checkCharOf(first17), outYear };
  });
type Generated = typeof household extends fc.Arbitrary<infer T> ? T : never;

const statusText = (h: Generated) =>
  ({
    not_out: '未脱贫',
    out: `${h.outYear}年脱贫`,
    returned: '返贫',
    stably_out: `稳定脱贫(${h.outYear})`,
  })[h.status];
const rowOf = (h: Generated) => [
  h.name,
  h.idNumber,
  `新街村${h.group}组`,
  String(h.members),
  h.causes.join('、'),
  (h.incomeFen / 100).toFixed(2),
  statusText(h),
  h.helper ?? '',
];
const expected = (households: Generated[]) =>
  households.map((h, i): Partial<RosterHousehold> => ({
    row: i + 2,
    headName: h.name,
    idNumber: h.idNumber,
    address: `新街村${h.group}组`,
    members: h.members,
    causes: h.causes,
    annualIncomeFen: h.incomeFen,
    status: h.status,
    outYear: h.outYear,
    helperName: h.helper,
  }));
const roster = fc.uniqueArray(household, {
  minLength: 1,
  maxLength: 20,
  selector: (h) => h.idNumber,
});

describe('a valid roster comes back as it went in', () => {
  it('through CSV', () => {
    fc.assert(
      fc.property(roster, (households) => {
        const result = parseRosterCsv(
          utf8(csvOf([rosterFileHeader, ...households.map(rowOf)])),
          caps,
        );
        expect(
          result.ok &&
            result.rows.map((row) => ({ ...row, cardColour: undefined, idLast4: undefined })),
        ).toEqual(
          expected(households).map((row) => ({
            ...row,
            cardColour: undefined,
            idLast4: undefined,
          })),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('through XLSX', async () => {
    await fc.assert(
      fc.asyncProperty(roster, async (households) => {
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('花名册');
        sheet.addRow(rosterFileHeader);
        for (const h of households) sheet.addRow(rowOf(h));
        const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
        const result = await parseRosterXlsx(bytes, caps);
        expect(result.ok && result.rows).toEqual(
          expected(households).map((row) => expect.objectContaining(row)),
        );
      }),
      { numRuns: 40, ...runLimit },
    );
  });

  it('through XLSX with shared helpers and addresses merged down, as cadres type them', async () => {
    await fc.assert(
      fc.asyncProperty(roster, async (households) => {
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('花名册');
        sheet.addRow(rosterFileHeader);
        const rows = households.map(rowOf);
        // A run of households with the same address (column 3) or helper (column 8) shows it once.
        const merges: Array<[number, number, number, number]> = [];
        for (const column of [3, 8]) {
          let top = 0;
          for (let i = 1; i <= rows.length; i++) {
            const value = rows[top]?.[column - 1];
            if (i < rows.length && value && rows[i]?.[column - 1] === value) continue;
            for (let j = top + 1; j < i; j++) (rows[j] as string[])[column - 1] = '';
            if (i - top > 1) merges.push([top + 2, column, i + 1, column]);
            top = i;
          }
        }
        for (const row of rows) sheet.addRow(row.map((cell) => (cell === '' ? null : cell)));
        for (const merge of merges) sheet.mergeCells(...merge);
        const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
        const result = await parseRosterXlsx(bytes, caps);
        expect(result.ok && result.rows).toEqual(
          expected(households).map((row) => expect.objectContaining(row)),
        );
      }),
      { numRuns: 40, ...runLimit },
    );
  });
});
