/**
 * One household's identification file, read back: the PDF by poppler's pdftotext (required),
 * the XLSX by exceljs.
 */
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import type { IdentificationFile, StepRow } from '../../contract/identification';
import { fontSet, type FontSet } from '../certificate/fonts';
import { identificationFilePdf, identificationFileXlsx } from './identificationFile';

function pdfText(pdf: Buffer): string {
  try {
    return execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: pdf,
      encoding: 'utf8',
    }).replace(/\s+/g, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('pdftotext is not installed: apt-get install poppler-utils');
    }
    throw error;
  }
}

const step = (
  kind: StepRow['kind'],
  at: string,
  byRole: string,
  byName: string,
  extra: Partial<StepRow> = {},
): StepRow => ({
  kind,
  applicationId: 'application-1',
  byRole,
  byName,
  at,
  decision: null,
  reasons: null,
  ...extra,
});

const findings = {
  income: { agrees: true, note: '主要收入为务农，年收入约三千元' },
  assets: { agrees: true, note: '无车辆，无存款' },
  labour: { agrees: false, note: '户主患病，仅配偶可劳动' },
  living: { agrees: true, note: '土木结构旧房' },
  cause: { agrees: true, note: '因病致贫属实' },
};

// Out of order, as a merge of step lists might hand them over; one step of another household.
const steps: StepRow[] = [
  step('appraised', '2026-11-10T02:00:00.000Z', 'village_admin', '龙书记', {
    applicationId: null,
    decision: 'listed',
  }),
  step('filed', '2026-11-01T16:30:00.000Z', 'village_admin', '龙书记'),
  step('surveyed', '2026-11-05T03:00:00.000Z', 'village_admin', '龙书记', {
    decision: 'eligible',
  }),
  step('filed', '2026-11-02T01:00:00.000Z', 'village_admin', '龙书记', {
    applicationId: 'application-2',
  }),
  step('notice_posted', '2026-11-11T01:00:00.000Z', 'village_admin', '龙书记', {
    applicationId: null,
  }),
  step('objection_filed', '2026-11-12T08:00:00.000Z', 'village_admin', '（公众）'),
  step('objection_answered', '2026-11-13T09:15:00.000Z', 'village_admin', '龙书记', {
    decision: 'dismissed',
    reasons: '经核实，该户车辆为借用亲属，不属于本户资产。',
  }),
  step('submitted', '2026-11-19T01:00:00.000Z', 'village_admin', '龙书记', {
    applicationId: null,
  }),
  step('approved', '2026-11-21T06:00:00.000Z', 'township_admin', '石专干', {
    applicationId: null,
    decision: 'approve',
  }),
];

const expectedSteps = [
  ['1', '农户申请', '村级信息管理员 龙书记', '2026年11月2日 00:30', ''],
  ['2', '入户调查', '村级信息管理员 龙书记', '2026年11月5日 11:00', '符合条件'],
  ['3', '民主评议', '村级信息管理员 龙书记', '2026年11月10日 10:00', '通过，列入名单'],
  ['4', '张榜公示', '村级信息管理员 龙书记', '2026年11月11日 09:00', ''],
  ['5', '收到异议', '村级信息管理员 （公众）', '2026年11月12日 16:00', ''],
  ['6', '异议答复', '村级信息管理员 龙书记', '2026年11月13日 17:15', '异议不成立'],
  ['7', '上报审核', '村级信息管理员 龙书记', '2026年11月19日 09:00', ''],
  ['8', '审核通过', '镇级管理员 石专干', '2026年11月21日 14:00', '审核通过'],
];

const file: IdentificationFile = {
  placeName: '湖南省 湘西土家族苗族自治州 花垣县 双龙镇 十八洞村',
  round: {
    id: '433124104201_2026_entry',
    villageCode: '433124104201',
    villageName: '十八洞村',
    year: 2026,
    kind: 'entry',
    stage: 'township_approved',
    applications: 10,
    listed: 6,
    openObjections: 0,
    quota: 6,
    nextAction: null,
    updatedAt: '2026-11-21T06:00:00.000Z',
  },
  application: {
    id: 'application-1',
    roundId: '433124104201_2026_entry',
    kind: 'entry',
    status: 'listed',
    headName: '施成富',
    idLast4: '123X',
    members: 4,
    claimedCause: '因病',
    housing: 'old_but_safe',
    annualIncomeFen: 1234500,
    situation: '户主常年患病，两个孩子在读书。\n家中只有两亩旱地。',
    appliedOn: '2026-11-01',
    householdId: null,
    survey: {
      visitedOn: '2026-11-05',
      eligible: true,
      findings,
      photoIds: ['photo-1', 'photo-2'],
    },
    appraisal: { votesFor: 11, votesAgainst: 1, rank: 2, outcome: 'listed' },
    statusReason: null,
  },
  notices: [
    {
      id: 'notice-1',
      stage: 'first',
      opensAt: '2026-11-10T17:00:00.000Z',
      closesAt: '2026-11-17T17:00:00.000Z',
      entries: 6,
    },
  ],
  objections: [
    {
      id: 'objection-1',
      noticeId: 'notice-1',
      stage: 'first',
      applicationId: 'application-1',
      headName: '施成富',
      text: '该户家里有一辆小轿车，不应评为贫困户。',
      status: 'dismissed',
      filedAt: '2026-11-12T08:00:00.000Z',
      reasons: '经核实，该户车辆为借用亲属，不属于本户资产。',
      answeredBy: 'village_admin',
    },
    {
      id: 'objection-2',
      noticeId: 'notice-1',
      stage: 'first',
      applicationId: 'application-2',
      headName: '杨二',
      text: '另一户的异议不属于这份档案。',
      status: 'open',
      filedAt: '2026-11-12T09:00:00.000Z',
      reasons: null,
      answeredBy: 'village_admin',
    },
  ],
  steps,
  exportedAt: '2026-11-30T16:05:00.000Z',
};

let fonts: FontSet;
beforeAll(async () => {
  fonts = await fontSet();
});

describe('identificationFilePdf', () => {
  it('prints every section of the household’s file, in China time', () => {
    const text = pdfText(identificationFilePdf(file, fonts));
    expect(text).toContain('建档立卡贫困户识别档案');
    expect(text).toContain('施成富户·十八洞村2026年');
    expect(text).toContain('导出时间：2026年12月1日00:05');
    expect(text).toContain('身份证号：后四位123X');
    expect(text).toContain('家庭人口：4人');
    expect(text).toContain('上年家庭纯收入：12,345.00元');
    expect(text).toContain('住房情况：旧房但安全');
    expect(text).toContain('申报致贫原因：因病');
    expect(text).toContain('户主常年患病，两个孩子在读书。家中只有两亩旱地。');
    expect(text).toContain('申请日期：2026年11月1日');
    expect(text).toContain('比劳力，看劳动能力不符户主患病，仅配偶可劳动');
    expect(text).toContain('现场照片：2张');
    expect(text).toContain('赞成票：11');
    expect(text).toContain('排序：第2位');
    expect(text).toContain('第一次公示2026年11月11日至2026年11月18日');
    expect(text).toContain(
      '第一次公示期间2026年11月12日16:00提出·异议不成立' +
        '异议内容：该户家里有一辆小轿车，不应评为贫困户。' +
        '答复理由：经核实，该户车辆为借用亲属，不属于本户资产。',
    );
    expect(text).not.toContain('另一户的异议');
    for (const [, label, who] of expectedSteps)
      expect(text).toContain(`${label}${who?.replace(/\s/g, '')}`);
    expect(text).toContain('镇级管理员石专干2026年11月21日14:00审核通过');
  });
});

describe('identificationFileXlsx', () => {
  it('reads back with the steps in the order they were taken', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(await identificationFileXlsx(file)).buffer);
    expect(book.worksheets).toHaveLength(1);
    const sheet = book.getWorksheet('识别档案');
    expect(sheet).toBeDefined();
    if (!sheet) return;
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values: string[] = [];
      for (let column = 1; column <= 6; column++) {
        values.push(String(row.getCell(column).value ?? ''));
      }
      rows.push(values);
    });
    expect(rows[0]?.[0]).toBe('施成富户建档立卡贫困户识别档案');
    const header = rows.findIndex((row) => row[0] === '序号' && row[1] === '步骤');
    expect(rows[header]).toEqual(['序号', '步骤', '经办人', '时间', '决定', '理由']);
    // The last section: its rows end the sheet, this household's steps only.
    const stepRows = rows.slice(header + 1);
    expect(stepRows.map((row) => row.slice(0, 5))).toEqual(expectedSteps);
    expect(stepRows[5]?.[5]).toBe('经核实，该户车辆为借用亲属，不属于本户资产。');
    const flat = rows.map((row) => row.join('|'));
    expect(flat).toContain('户主姓名|施成富||||');
    expect(flat).toContain('上年家庭纯收入|12,345.00元||||');
    expect(flat).toContain('第一次公示|2026年11月11日至2026年11月18日||||');
    expect(flat.some((row) => row.includes('另一户的异议'))).toBe(false);
  });
});
