import type ExcelJS from 'exceljs';
import type { Cell } from './cell';
import {
  expectRefused,
  goodRow,
  header,
  id,
  idA,
  idB,
  idC,
  idX,
  lastRowWorkbook,
  options,
  rowXml,
  utf8,
  workbookBytes,
  xlsxOfSheets,
} from '../../../../test/support/rosterFiles';
import { parseRoster } from './parse';
import { cellFromExcel, parseRosterXlsx } from './xlsx';

describe('parseRosterXlsx', () => {
  it('reads the roster sheet with a title, numbers, rich text and formulas', async () => {
    const bytes = await workbookBytes((workbook) => {
      workbook.addWorksheet('填表说明').addRow(['请按国家系统导出格式填写']);
      const sheet = workbook.addWorksheet('花名册');
      sheet.addRow(['石门乡新街村建档立卡贫困户花名册']);
      sheet.mergeCells(1, 1, 1, 9);
      sheet.addRow([
        '*户主姓名',
        '户主身份证号',
        '家庭地址',
        '家庭人口数',
        '主要致贫原因',
        '人均纯收入',
        '脱贫状态',
        '脱贫年份',
        '帮扶人',
      ]);
      sheet.addRow([
        '张国华',
        idA,
        '新街村1组10号',
        4,
        '因病',
        3456.7,
        '已脱贫',
        2020,
        '帮扶干部一',
      ]);
      sheet.addRow([
        { richText: [{ text: '欧阳' }, { text: '娜娜', font: { bold: true } }] },
        `'${idX.toLowerCase()}`,
        '新街村4组',
        { formula: '1+1', result: 2 },
        '因残',
        { formula: 'B1', result: 6000 },
        '稳定脱贫',
        null,
        null,
      ]);
    });
    const result = await parseRosterXlsx(bytes, options);
    expect(result.encoding).toBe('xlsx');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toEqual([
      expect.objectContaining({
        row: 3,
        headName: '张国华',
        idNumber: idA,
        members: 4,
        annualIncomeFen: 345_670,
        status: 'out',
        outYear: 2020,
        cardColour: 'red',
      }),
      expect.objectContaining({
        row: 4,
        headName: '欧阳娜娜',
        idNumber: idX,
        members: 2,
        annualIncomeFen: 600_000,
        status: 'stably_out',
        outYear: null,
      }),
    ]);
  });

  it('refuses an ID that Excel stored as a number', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('花名册');
      sheet.addRow(header);
      sheet.addRow(goodRow.map((c, i) => (i === 1 ? Number(idA) : i === 3 ? 4 : c)));
    });
    const result = await parseRoster({ kind: 'xlsx', data: bytes }, options);
    expectRefused(result);
    expect(result.report).toEqual([
      { row: 2, status: 'refused', problems: [{ column: 'idNumber', code: 'id_numeric_cell' }] },
    ]);
  });

  it('says when a workbook has no roster sheet or is no workbook', async () => {
    const bytes = await workbookBytes((workbook) => {
      workbook.addWorksheet('Sheet1').addRow(['无关内容']);
    });
    const noHeader = await parseRosterXlsx(bytes, options);
    expectRefused(noHeader);
    expect(noHeader.fileProblems).toEqual([{ code: 'header_not_found' }]);
    const notXlsx = await parseRosterXlsx(utf8('<html>not a workbook</html>'), options);
    expectRefused(notXlsx);
    expect(notXlsx.fileProblems).toEqual([{ code: 'file_unreadable' }]);
  });
});

describe('cellFromExcel', () => {
  test.each([
    [null, null],
    ['文本', '文本'],
    [42, 42],
    [true, 'true'],
    [new Date('2020-06-01T00:00:00Z'), '2020-06-01'],
    [{ richText: [{ text: '欧阳' }, { text: '娜娜' }] }, '欧阳娜娜'],
    [{ formula: 'A1', result: 7 }, 7],
    [{ text: '链接', hyperlink: 'https://example.org' }, '链接'],
    [{ error: '#N/A' }, '#N/A'],
  ] as Array<[ExcelJS.CellValue, Cell]>)('%j → %j', (value, cell) => {
    expect(cellFromExcel(value)).toEqual(cell);
  });
});

describe('parseRosterXlsx reads within the caps', () => {
  const roster = (extra = '', rows = [rowXml(1, header), rowXml(2, goodRow)]) =>
    xlsxOfSheets([`<sheetData>${rows.join('')}</sheetData>${extra}`]);

  it('refuses one cell at A1048576, the last row Excel has', async () => {
    const result = await parseRosterXlsx(await lastRowWorkbook(), options);
    expectRefused(result);
    expect(result.fileProblems).toEqual([{ code: 'table_too_long', limit: 10_000 }]);
  });

  test.each([
    ['a cell at XFD1', `<row r="3"><c r="XFD3"><v>1</v></c></row>`, 'table_too_wide', 256],
    [
      'a cell at XFD1048576',
      `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`,
      'table_too_long',
      10_000,
    ],
    [
      'a formatted empty row far down',
      `<row r="20001" ht="30" customHeight="1"/>`,
      'table_too_long',
      10_000,
    ],
  ])('refuses %s', async (_label, row, code, limit) => {
    const result = await parseRosterXlsx(
      roster('', [rowXml(1, header), rowXml(2, goodRow), row]),
      options,
    );
    expectRefused(result);
    expect(result.fileProblems).toEqual([{ code, limit }]);
  });

  it('stops counting rows and cells at the caps', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => rowXml(i + 1, ['合计']));
    const long = await parseRosterXlsx(roster('', rows), { ...options, maxRows: 3 });
    expectRefused(long);
    expect(long.fileProblems).toEqual([{ code: 'table_too_long', limit: 6 }]);
    const wide = await parseRosterXlsx(roster(), { ...options, maxColumns: 5 });
    expectRefused(wide);
    expect(wide.fileProblems).toEqual([{ code: 'table_too_wide', limit: 5 }]);
  });

  it('reads a file just inside the caps', async () => {
    const wideHeader = `<row r="1">${header.map((text, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${text}</t></is></c>`).join('')}<c r="IV1" t="inlineStr"><is><t>备注</t></is></c></row>`;
    const footer = `<row r="10000"><c r="A10000" t="inlineStr"><is><t>合计</t></is></c></row>`;
    const result = await parseRosterXlsx(
      roster('', [wideHeader, rowXml(2, goodRow), footer]),
      options,
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.rows.map((r) => r.idNumber)).toEqual([idA]);
    expect(result.ignoredColumns).toEqual(['备注']);
  });

  it('refuses a workbook that unpacks past its budget before exceljs opens it', async () => {
    // Spaces between elements: 4 MB of them deflate to a few KB.
    const padded = roster(' '.repeat(4 * 1024 * 1024));
    const deflated = xlsxOfSheets(
      [
        `<sheetData>${rowXml(1, header)}${rowXml(2, goodRow)}</sheetData>${' '.repeat(4 * 1024 * 1024)}`,
      ],
      true,
    );
    expect(deflated.byteLength).toBeLessThan(20_000);
    const budget = { ...options, maxUnpackedBytes: 1024 * 1024 };
    for (const bytes of [padded, deflated]) {
      const result = await parseRosterXlsx(bytes, budget);
      expectRefused(result);
      expect(result.fileProblems).toEqual([{ code: 'file_too_large' }]);
    }
    const within = await parseRosterXlsx(deflated, options);
    expect(within.ok && within.rows.map((r) => r.idNumber)).toEqual([idA]);
  });

  test.each([
    ['merged', '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'],
    [
      'validated',
      '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations>',
    ],
  ])(
    'reads a roster whose whole sheet is %s without expanding the range',
    async (_label, extra) => {
      const result = await parseRosterXlsx(roster(extra), options);
      expect(result.ok && result.rows.map((r) => r.idNumber)).toEqual([idA]);
    },
  );
});

describe('parseRosterXlsx reads merged cells', () => {
  const idOf = (first17: string) => id(first17);
  const ids = [idA, idB, idC];
  const rowFor = (i: number, overrides: Record<number, string | null> = {}) =>
    goodRow.map((cell, c) =>
      c in overrides ? overrides[c] : c === 1 ? (ids[i] as string) : cell,
    ) as Array<string | null>;

  it('gives a helper merged down over three households to each of them', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('花名册');
      sheet.addRow(header);
      sheet.addRow(rowFor(0, { 7: '杨帮扶' }));
      sheet.addRow(rowFor(1, { 7: null }));
      sheet.addRow(rowFor(2, { 7: null }));
      sheet.mergeCells('H2:H4');
    });
    const result = await parseRosterXlsx(bytes, options);
    expect(result.ok && result.rows.map((r) => [r.idNumber, r.helperName])).toEqual([
      [idA, '杨帮扶'],
      [idB, '杨帮扶'],
      [idC, '杨帮扶'],
    ]);
  });

  it('reads an address merged down on each row, and a header merged across two columns', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('花名册');
      sheet.addRow(['新街村建档立卡贫困户花名册']);
      sheet.mergeCells('A1:J1');
      // 家庭住址 spans C and D (the group number sits in D under it).
      sheet.addRow([...header.slice(0, 3), null, ...header.slice(3)]);
      sheet.mergeCells('C2:D2');
      const withGroup = (row: Array<string | null>, group: string) => [
        ...row.slice(0, 3),
        group,
        ...row.slice(3),
      ];
      sheet.addRow(withGroup(rowFor(0, { 2: '新街村1组' }), '10号'));
      sheet.addRow(withGroup(rowFor(1, { 2: null }), '11号'));
      sheet.mergeCells('C3:C4');
    });
    const result = await parseRosterXlsx(bytes, options);
    expect(result.ignoredColumns).toEqual([]);
    expect(result.ok && result.rows.map((r) => [r.row, r.idNumber, r.address])).toEqual([
      [3, idA, '新街村1组'],
      [4, idB, '新街村1组'],
    ]);
  });

  it('fills nothing from a header merged down over a second header row', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('花名册');
      sheet.addRow(header);
      sheet.addRow([]);
      sheet.addRow(goodRow);
      header.forEach((_, c) => sheet.mergeCells(1, c + 1, 2, c + 1));
    });
    const result = await parseRosterXlsx(bytes, options);
    expect(result.ok && result.rows.map((r) => [r.row, r.idNumber])).toEqual([[3, idA]]);
  });

  it('reads a household merged down over its member rows once', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('花名册');
      sheet.addRow([...header, '成员姓名']);
      sheet.addRow([...rowFor(0), '张国华']);
      sheet.addRow([...header.map(() => null), '李秀英']);
      sheet.addRow([...header.map(() => null), '张小明']);
      sheet.addRow([...rowFor(1), '王小红']);
      header.forEach((_, c) => sheet.mergeCells(2, c + 1, 4, c + 1));
    });
    const result = await parseRosterXlsx(bytes, options);
    expect(result.ignoredColumns).toEqual(['成员姓名']);
    expect(result.report.map((r) => [r.row, r.status])).toEqual([
      [2, 'accepted'],
      [5, 'accepted'],
    ]);
    expect(result.ok && result.rows.map((r) => r.idNumber)).toEqual([idA, idB]);
  });

  it('keeps a merged cell’s own value and fills only rows that have content', async () => {
    const sheet = (merge: string) =>
      xlsxOfSheets([
        `<sheetData>${rowXml(1, header)}${rowXml(2, goodRow)}${rowXml(4, ['', idOf('52052619851231012'), ...goodRow.slice(2)])}${rowXml(5, ['李秀英', idC, ...goodRow.slice(2)])}</sheetData><mergeCells count="1"><mergeCell ref="${merge}"/></mergeCells>`,
      ]);
    // A data row merged over the whole rest of the sheet: clipped to the rows the sheet has.
    for (const merge of ['A2:XFD1048576', 'A2:A5']) {
      const result = await parseRosterXlsx(sheet(merge), options);
      expect(result.ok && result.rows.map((r) => [r.row, r.headName, r.idNumber])).toEqual([
        [2, '张国华', idA],
        [4, '张国华', idB],
        [5, '李秀英', idC],
      ]);
    }
  });

  const tinyMerges = (count: number) =>
    xlsxOfSheets(
      [
        `<sheetData>${rowXml(1, header)}${rowXml(2, goodRow)}</sheetData><mergeCells count="${count}">${Array.from(
          { length: count },
          (_, i) => `<mergeCell ref="AA${i + 1}:AB${i + 1}"/>`,
        ).join('')}</mergeCells>`,
      ],
      true,
    );

  it('reads 100,000 tiny merges and refuses one more', async () => {
    const within = await parseRosterXlsx(tinyMerges(100_000), options);
    expect(within.ok && within.rows.map((r) => r.idNumber)).toEqual([idA]);
    const past = await parseRosterXlsx(tinyMerges(100_001), options);
    expectRefused(past);
    expect(past.fileProblems).toEqual([{ code: 'too_many_merges', limit: 100_000 }]);
  });

  it('counts the merges of every sheet against one cap', async () => {
    const merges = (n: number) =>
      `<mergeCells count="${n}">${Array.from({ length: n }, (_, i) => `<mergeCell ref="J${i + 1}:J${i + 2}"/>`).join('')}</mergeCells>`;
    const small = { ...options, maxRows: 3 }; // 6 rows read, 60 merged ranges
    const sheets = (n: number) => [
      `<sheetData>${rowXml(1, ['说明'])}</sheetData>${merges(n)}`,
      `<sheetData>${rowXml(1, header)}${rowXml(2, goodRow)}</sheetData>${merges(n)}`,
    ];
    const within = await parseRosterXlsx(xlsxOfSheets(sheets(30)), small);
    expect(within.ok).toBe(true);
    const past = await parseRosterXlsx(xlsxOfSheets(sheets(31)), small);
    expectRefused(past);
    expect(past.fileProblems).toEqual([{ code: 'too_many_merges', limit: 60 }]);
  });
});
