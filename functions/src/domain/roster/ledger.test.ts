import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  idDisplayText,
  ledgerCsv,
  ledgerGrid,
  ledgerOpinionLabel,
  ledgerRows,
  ledgerXlsx,
  type LedgerInput,
} from './ledger';

const fullId = '11010519491231002X';

const input: LedgerInput = {
  townshipName: '马家镇',
  villageName: '新街村',
  collector: '帮扶干部一',
  date: '2026-11-03',
  entries: [
    {
      headName: '张国华',
      id: { kind: 'full', idNumber: fullId },
      need: { category: 'medical', kind: 'money', amountFen: 500_000 },
      decision: { opinion: 'publish' },
    },
    {
      headName: '欧阳娜娜',
      id: { kind: 'last4', last4: '0036' },
      need: {
        category: 'necessities',
        kind: 'goods',
        items: [
          { name: '棉被', quantity: 2, unit: '床' },
          { name: '大米', quantity: 50, unit: '斤' },
        ],
      },
      decision: { opinion: 'reject', reasonCodes: ['information_false', 'evidence_insufficient'] },
    },
    {
      headName: '买买提·艾力',
      id: { kind: 'last4', last4: '101X' },
      need: { category: 'education', kind: 'money', amountFen: 120_050 },
    },
  ],
};

describe('ledgerRows: the layout of annex 3', () => {
  it('has the title, the village line, the four columns and the review footer', () => {
    const layout = ledgerRows(input);
    expect(layout.title).toBe('马家镇“中国社会扶贫网”贫困需求采集台账');
    expect(layout.info).toBe('村（社区）：新街村　　采集人：帮扶干部一　　采集时间：2026年11月3日');
    expect(layout.header).toEqual(['序号', '姓名', '身份证号码', '贫困需求']);
    expect(layout.rows).toEqual([
      ['1', '张国华', fullId, '医疗救助：资金 5,000.00 元'],
      ['2', '欧阳娜娜', '**************0036', '生活必需品：棉被 2 床、大米 50 斤'],
      ['3', '买买提·艾力', '**************101X', '教育助学：资金 1,200.50 元'],
    ]);
    expect(layout.opinion).toBe(
      '同意发布：序号1；不同意发布：序号2（信息不实、佐证材料不足）；待审核：序号3',
    );
    expect(layout.signature).toBe('村审核小组签字：');
  });

  it("takes the review group's own words when given", () => {
    expect(ledgerRows({ ...input, reviewOpinion: '同意发布' }).opinion).toBe('同意发布');
  });

  test.each([
    [{ kind: 'full', idNumber: fullId } as const, fullId],
    [{ kind: 'last4', last4: '002X' } as const, '**************002X'],
  ])('shows %j as %s', (id, text) => {
    expect(idDisplayText(id)).toBe(text);
    expect(idDisplayText(id)).toHaveLength(18);
  });

  test.each([
    [{ kind: 'full', idNumber: '110105' } as const],
    [{ kind: 'full', idNumber: '11010519491231002x' } as const],
    [{ kind: 'last4', last4: '11010519491231002X' } as const],
  ])('refuses to print %j', (id) => {
    expect(() => idDisplayText(id)).toThrow();
  });

  it('refuses a date it cannot print', () => {
    expect(() => ledgerRows({ ...input, date: '2026/11/03' })).toThrow();
  });

  it('lays out a grid four columns wide', () => {
    const grid = ledgerGrid(ledgerRows(input));
    expect(grid.every((row) => row.length === 4)).toBe(true);
    expect(grid).toHaveLength(2 + 1 + 3 + 2);
  });
});

describe('ledgerCsv', () => {
  it('writes UTF-8 with a BOM and CRLF, read back cell for cell', () => {
    const bytes = ledgerCsv(input);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(9);
    const rows = parse(text) as string[][];
    expect(rows[0]?.[0]).toBe('马家镇“中国社会扶贫网”贫困需求采集台账');
    expect(rows[2]).toEqual(['序号', '姓名', '身份证号码', '贫困需求']);
    // The full ID carries a leading tab, so Excel keeps it as text instead of 1.10105E+17.
    expect(rows[3]).toEqual(['1', '张国华', `\t${fullId}`, '医疗救助：资金 5,000.00 元']);
    expect(rows[4]?.[2]).toBe('**************0036');
    expect(rows[6]?.[0]).toBe(
      `${ledgerOpinionLabel}同意发布：序号1；不同意发布：序号2（信息不实、佐证材料不足）；待审核：序号3`,
    );
    expect(rows[7]?.[0]).toBe('村审核小组签字：');
  });

  it('holds no full ID when none was revealed', () => {
    const masked: LedgerInput = {
      ...input,
      entries: input.entries.map((entry) => ({ ...entry, id: { kind: 'last4', last4: '002X' } })),
    };
    const text = ledgerCsv(masked).toString('utf8');
    expect(text).not.toContain('1101051949');
  });

  it('defuses a cell that a spreadsheet would run as a formula', () => {
    const rows = parse(
      ledgerCsv({ ...input, townshipName: '=HYPERLINK("http://x")' }).subarray(3),
    ) as string[][];
    expect(rows[0]?.[0]).toBe(`'=HYPERLINK("http://x")“中国社会扶贫网”贫困需求采集台账`);
  });
});

describe('ledgerXlsx', () => {
  it('round-trips through exceljs with the form’s layout', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await ledgerXlsx(input)).buffer);
    const sheet = workbook.getWorksheet('贫困需求采集台账');
    expect(sheet).toBeDefined();
    if (!sheet) return;
    const text = (row: number, col: number) => sheet.getRow(row).getCell(col).value;
    expect(text(1, 1)).toBe('马家镇“中国社会扶贫网”贫困需求采集台账');
    expect(sheet.getCell('A1').isMerged && sheet.getCell('D1').isMerged).toBe(true);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(text(2, 1)).toBe('村（社区）：新街村　　采集人：帮扶干部一　　采集时间：2026年11月3日');
    expect([1, 2, 3, 4].map((c) => text(3, c))).toEqual(['序号', '姓名', '身份证号码', '贫困需求']);
    expect([1, 2, 3, 4].map((c) => text(4, c))).toEqual([
      '1',
      '张国华',
      fullId,
      '医疗救助：资金 5,000.00 元',
    ]);
    expect(typeof text(4, 3)).toBe('string');
    expect(text(5, 3)).toBe('**************0036');
    expect(text(6, 4)).toBe('教育助学：资金 1,200.50 元');
    expect(String(text(7, 1))).toContain('不同意发布：序号2（信息不实、佐证材料不足）');
    expect(sheet.getCell('A7').isMerged).toBe(true);
    expect(text(8, 1)).toBe('村审核小组签字：');
    expect(sheet.getCell('C4').border?.left?.style).toBe('thin');
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.rowCount).toBe(8);
  });
});
