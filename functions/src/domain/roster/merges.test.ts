import { utf8 } from '../../../../test/support/rosterFiles';
import { fillMergedDown, mergedRangesOf, rangeOf, sheetPaths } from './merges';

describe('rangeOf', () => {
  test.each([
    ['A1:B2', { top: 0, left: 0, bottom: 1, right: 1 }],
    ['$H$3:$H$5', { top: 2, left: 7, bottom: 4, right: 7 }],
    ['C4:A1', { top: 0, left: 0, bottom: 3, right: 2 }],
    ['A1:XFD1048576', { top: 0, left: 0, bottom: 1_048_575, right: 16_383 }],
  ])('%s', (ref, range) => {
    expect(rangeOf(ref)).toEqual(range);
  });

  test.each(['A1', 'A1:A1', 'A1:XFE1', 'A1:A1048577', 'A0:B2', 'A1:B2:C3', '1:3', '', 'AAAA1:B2'])(
    '%j is no range',
    (ref) => {
      expect(rangeOf(ref)).toBeUndefined();
    },
  );
});

describe('mergedRangesOf', () => {
  const sheet = (merges: string) =>
    utf8(
      `<worksheet><sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A9">1</f></c></row></sheetData>${merges}</worksheet>`,
    );

  it('reads the ranges of <mergeCells>, not other ref attributes', () => {
    expect(
      mergedRangesOf(
        sheet(
          `<mergeCells count="3"><mergeCell ref="H2:H4"/><mergeCell  ref='A1:C1' /><mergeCell ref="nonsense"/></mergeCells>`,
        ),
        10,
      ),
    ).toEqual({
      ranges: [
        { top: 1, left: 7, bottom: 3, right: 7 },
        { top: 0, left: 0, bottom: 0, right: 2 },
      ],
      elements: 3,
    });
    expect(mergedRangesOf(sheet(''), 10)).toEqual({ ranges: [], elements: 0 });
  });

  it('stops past the cap, counting unreadable elements too', () => {
    const many = `<mergeCells>${'<mergeCell ref="x"/>'.repeat(11)}</mergeCells>`;
    expect(mergedRangesOf(sheet(many), 10)).toBe('too_many');
    expect(mergedRangesOf(sheet(many), 11)).toEqual({ ranges: [], elements: 11 });
  });
});

describe('sheetPaths', () => {
  it('resolves each sheetId through the workbook relationships, as exceljs does', () => {
    const workbook = `<workbook><sheets><sheet name="说明" sheetId="3" r:id="rId7"/><sheet r:id="rId2" sheetId="1" name="花名册"/></sheets></workbook>`;
    const rels = `<Relationships><Relationship Id="rId2" Type="x" Target="worksheets/sheet2.xml"/><Relationship Target="/xl/worksheets/sheet9.xml" Id="rId7"/></Relationships>`;
    expect(sheetPaths(workbook, rels)).toEqual(
      new Map([
        [3, 'xl/worksheets/sheet9.xml'],
        [1, 'xl/worksheets/sheet2.xml'],
      ]),
    );
    expect(sheetPaths('', '')).toEqual(new Map());
  });
});

describe('fillMergedDown', () => {
  const grid = () => [
    ['户主姓名', '身份证号码', '帮扶责任人'],
    ['甲', '1', '杨'],
    ['乙', '2'],
    [],
    ['丙', '3', null],
  ];

  it('fills the first column of a range down the data rows that have content', () => {
    const before = grid();
    const { grid: after, continued } = fillMergedDown(
      before,
      [{ top: 1, left: 2, bottom: 1_048_575, right: 16_383 }],
      0,
      1,
    );
    expect(after).toEqual([
      ['户主姓名', '身份证号码', '帮扶责任人'],
      ['甲', '1', '杨'],
      ['乙', '2', '杨'],
      [],
      ['丙', '3', '杨'],
    ]);
    expect(before).toEqual(grid());
    expect(continued.size).toBe(0);
  });

  it('fills nothing from the header or above, and names rows whose ID was filled', () => {
    expect(fillMergedDown(grid(), [{ top: 0, left: 0, bottom: 4, right: 2 }], 0, 1).grid).toEqual(
      grid(),
    );
    const withBlankId = [
      ['户主姓名', '身份证号码'],
      ['甲', '1'],
      ['', null, '成员'],
    ];
    const filled = fillMergedDown(withBlankId, [{ top: 1, left: 0, bottom: 2, right: 1 }], 0, 1);
    expect(filled.grid[2]).toEqual(['甲', null, '成员']);
    const byId = fillMergedDown(withBlankId, [{ top: 1, left: 1, bottom: 2, right: 1 }], 0, 1);
    expect(byId.grid[2]).toEqual(['', '1', '成员']);
    expect([...byId.continued]).toEqual([2]);
  });

  it('visits each row once per column however many ranges overlap', () => {
    const rows = Array.from({ length: 10_000 }, (_, r) => [r === 1 ? '杨' : null, 'x']);
    const ranges = Array.from({ length: 100_000 }, () => ({
      top: 1,
      left: 0,
      bottom: 1_048_575,
      right: 0,
    }));
    const { grid: filled } = fillMergedDown(rows, ranges, 0, 1);
    expect(filled[9_999]).toEqual(['杨', 'x']);
  });
});
