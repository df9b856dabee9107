/**
 * One household's identification file (识别档案) for an inspection: the application, the survey
 * (五比五看), the appraisal, the notices it was on, the objections about it with their answers,
 * and every recorded step with who took it, when, what was decided and why. As a PDF for the
 * binder and as one XLSX sheet for the inspector's own checks. Staff documents: the ID number
 * shows its last four only, as staff see it; no bank account or health detail is printed.
 */
import ExcelJS from 'exceljs';
import type { IdentificationFile, ObjectionRow, StepRow } from '../../contract/identification';
import type { FontSet } from '../certificate/fonts';
import {
  applicationKindLabels,
  applicationStatusLabels,
  housingLabels,
  noticeStageLabels,
  roundStageLabels,
  stepLabels,
  surveyAspectLabels,
  surveyAspects,
} from '../identification';
import { roleLabels, type Role } from '../roles';
import { formatYuan } from '../validation/money';
import { chinaDay, chinaDayTime, drawPages, flowFor, span, type Column } from './flow';

export const identificationFileTitle = '建档立卡贫困户识别档案';

const outcomeLabels: Record<string, string> = {
  listed: '通过，列入名单',
  not_passed: '未通过',
  over_quota: '通过，但超出村规模控制',
};

// Decisions as the steps record them; anything else is printed as recorded.
const decisionLabels: Record<string, string> = {
  ...outcomeLabels,
  approve: '审核通过',
  approved: '审核通过',
  return: '退回修改',
  returned: '退回修改',
  upheld: '异议成立，移出名单',
  dismissed: '异议不成立',
  eligible: '符合条件',
  not_eligible: '不符合条件',
  ineligible: '不符合条件',
  referred: '转五保/低保',
  withdrawn: '移出名单',
  enrolled: '纳入建档立卡',
  submitted: '上报',
};

const objectionStatusLabels: Record<ObjectionRow['status'], string> = {
  open: '待答复',
  upheld: '异议成立',
  dismissed: '异议不成立',
};

// Steps taken by no signed-in role: an objection filed from the public page, a scheduled close.
const otherActors: Record<string, string> = { public: '公众', system: '系统' };
const roleLabel = (role: string) => roleLabels[role as Role] ?? otherActors[role] ?? role;
const decisionLabel = (decision: string | null) =>
  decision === null ? '' : (decisionLabels[decision] ?? decision);

/** The steps of this household's file in the order they were taken (ties keep their order). */
function stepsOf(file: IdentificationFile): StepRow[] {
  return file.steps
    .map((step, index) => ({ step, index, at: Date.parse(step.at) }))
    .filter(({ step }) => step.applicationId === null || step.applicationId === file.application.id)
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ step }) => step);
}

const objectionsOf = (file: IdentificationFile) =>
  file.objections.filter((objection) => objection.applicationId === file.application.id);

/** A notice's window as printed: 2026年12月1日至2026年12月8日, or the 公告's day. */
const windowOf = (notice: { opensAt: string; closesAt: string | null }) =>
  notice.closesAt === null
    ? `${chinaDay(notice.opensAt)}（公告）`
    : `${chinaDay(notice.opensAt)}至${chinaDay(notice.closesAt)}`;

/** The file's contents as labelled sections, shared by the PDF and the XLSX. */
function sections(file: IdentificationFile) {
  const { application: app, round } = file;
  const survey = app.survey;
  const appraisal = app.appraisal;
  return {
    round: [
      ['行政村', `${file.placeName}`],
      ['年度', `${round.year}年`],
      ['类别', round.kind === 'entry' ? '新识别' : '动态调整'],
      ['批次进度', roundStageLabels[round.stage]],
    ],
    application: [
      ['户主姓名', app.headName],
      ['身份证号', `后四位 ${app.idLast4}`],
      ['申请类别', applicationKindLabels[app.kind]],
      ['家庭人口', `${app.members}人`],
      [
        '上年家庭纯收入',
        app.annualIncomeFen === null ? '—' : `${formatYuan(app.annualIncomeFen)}元`,
      ],
      ['住房情况', app.housing === null ? '—' : housingLabels[app.housing]],
      ['申报致贫原因', app.claimedCause ?? '—'],
      ['家庭情况', app.situation],
      ['申请日期', chinaDay(app.appliedOn)],
      ['当前状态', applicationStatusLabels[app.status]],
      ...(app.statusReason ? [['状态说明', app.statusReason]] : []),
    ],
    survey: survey
      ? {
          fields: [
            ['调查日期', chinaDay(survey.visitedOn)],
            ['调查结论', survey.eligible ? '符合条件，提交评议' : '不符合条件'],
            ['现场照片', `${survey.photoIds.length}张`],
          ],
          findings: surveyAspects.map((aspect) => [
            surveyAspectLabels[aspect],
            survey.findings[aspect].agrees ? '相符' : '不符',
            survey.findings[aspect].note,
          ]),
        }
      : null,
    appraisal: appraisal
      ? [
          ['赞成票', String(appraisal.votesFor)],
          ['反对票', String(appraisal.votesAgainst)],
          ['排序', `第${appraisal.rank}位`],
          ['评议结果', outcomeLabels[appraisal.outcome] ?? appraisal.outcome],
        ]
      : null,
    notices: file.notices.map((notice) => [noticeStageLabels[notice.stage], windowOf(notice)]),
    objections: objectionsOf(file).map((objection) => [
      noticeStageLabels[objection.stage],
      chinaDayTime(objection.filedAt),
      objection.text,
      objectionStatusLabels[objection.status],
      objection.reasons ?? '',
    ]),
    steps: stepsOf(file).map((step, index) => [
      String(index + 1),
      stepLabels[step.kind],
      `${roleLabel(step.byRole)} ${step.byName}`.trim(),
      chinaDayTime(step.at),
      decisionLabel(step.decision),
      step.reasons ?? '',
    ]),
  };
}

const headers = {
  findings: ['比对内容', '是否相符', '调查记录'],
  notices: ['公示', '公示期'],
  objections: ['公示', '提出时间', '异议内容', '处理结果', '答复理由'],
  steps: ['序号', '步骤', '经办人', '时间', '决定', '理由'],
};

/** 张三户 · 建档立卡贫困户识别档案. */
const titleOf = (file: IdentificationFile) =>
  `${file.application.headName}户${identificationFileTitle}`;

/**
 * The file as an A4 portrait PDF, sections numbered 一 to 六, tables continued over pages with
 * their headers. Dated by its export, so one export prints the same bytes however often.
 */
export function identificationFilePdf(file: IdentificationFile, fonts: FontSet): Buffer {
  const data = sections(file);
  const flow = flowFor(fonts);
  flow.line([span(identificationFileTitle, true)], 20, 'center', 2);
  flow.line(
    [span(`${file.application.headName}户 · ${file.round.villageName}${file.round.year}年`)],
    12,
    'center',
  );
  flow.line([span(`导出时间：${chinaDayTime(file.exportedAt)}`, false, 0x666666)], 9, 'right');
  const heading = (text: string) => {
    // A heading keeps its first lines with it.
    flow.ensure(90);
    flow.gap(8);
    flow.line([span(text, true)], 13);
  };
  const fields = (rows: string[][]) => rows.forEach(([label, value]) => flow.field(label!, value!));
  const none = (text: string) => flow.line([span(text, false, 0x666666)], 11);
  const width = flow.width;

  heading('批次');
  fields(data.round);
  heading('一、农户申请');
  fields(data.application);
  heading('二、入户调查（五比五看）');
  if (data.survey) {
    fields(data.survey.fields);
    flow.gap(4);
    flow.table(columns(headers.findings, [150, 60, width - 210]), data.survey.findings, 10);
  } else none('尚未入户调查');
  heading('三、民主评议');
  if (data.appraisal) fields(data.appraisal);
  else none('尚未评议');
  heading('四、公示公告');
  if (data.notices.length)
    flow.table(columns(headers.notices, [120, width - 120]), data.notices, 10);
  else none('尚未公示');
  heading('五、异议及答复');
  // Blocks, not a table: an objection and its answer run to 500 characters each.
  for (const [stage, filedAt, text, status, reasons] of data.objections) {
    flow.ensure(70);
    flow.line([span(`${stage}期间 ${filedAt} 提出 · ${status}`, true)], 10.5);
    flow.paragraph([span('异议内容：', true), span(text!)], 10.5, 0, 17);
    flow.paragraph([span('答复理由：', true), span(reasons || '尚未答复')], 10.5, 0, 17);
    flow.gap(4);
  }
  if (!data.objections.length) none('无异议');
  heading('六、办理记录');
  flow.table(columns(headers.steps, [28, 54, 116, 100, 68, width - 366]), data.steps, 9);
  return drawPages(flow.numbered(), fonts, {
    title: titleOf(file),
    author: file.placeName,
    date: new Date(file.exportedAt),
  });
}

function columns(names: string[], widths: number[]): Column[] {
  return names.map((header, index) => ({
    header,
    width: widths[index] as number,
    align: header === '序号' || header === '是否相符' ? 'center' : 'left',
  }));
}

/**
 * The file as one XLSX sheet: a title, then each section as a bold heading followed by its
 * label/value rows or its table (with a header row). Text stays text: nothing becomes a formula
 * or a number behind the inspector's back.
 */
export async function identificationFileXlsx(file: IdentificationFile): Promise<Buffer> {
  const data = sections(file);
  const book = new ExcelJS.Workbook();
  book.creator = '中国社会扶贫网';
  book.created = new Date(file.exportedAt);
  book.modified = new Date(file.exportedAt);
  const sheet = book.addWorksheet('识别档案', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 },
  });
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  const wrap = { wrapText: true, vertical: 'top' as const };
  const add = (values: string[], style: 'title' | 'heading' | 'header' | 'cell' | 'plain') => {
    const row = sheet.addRow(values);
    if (style === 'title') row.font = { bold: true, size: 14 };
    if (style === 'heading') row.font = { bold: true, size: 12 };
    row.eachCell((cell) => {
      if (style === 'header') cell.font = { bold: true };
      if (style === 'header' || style === 'cell') cell.border = border;
      cell.alignment = wrap;
    });
    return row;
  };
  type Block = { header: string[] | null; rows: string[][] };
  const section = (title: string, blocks: Block[], empty: string) => {
    add([], 'plain');
    add([title], 'heading');
    if (blocks.every(({ rows }) => !rows.length)) {
      add([empty], 'plain');
      return;
    }
    for (const { header, rows } of blocks) {
      if (header) add(header, 'header');
      for (const row of rows) add(row, 'cell');
    }
  };
  const fieldHeader = ['项目', '内容'];
  add([titleOf(file)], 'title');
  sheet.mergeCells(1, 1, 1, 6);
  add([`导出时间：${chinaDayTime(file.exportedAt)}`], 'plain');
  section('批次', [{ header: fieldHeader, rows: data.round }], '');
  section('一、农户申请', [{ header: fieldHeader, rows: data.application }], '');
  section(
    '二、入户调查（五比五看）',
    data.survey
      ? [
          { header: fieldHeader, rows: data.survey.fields },
          { header: headers.findings, rows: data.survey.findings },
        ]
      : [],
    '尚未入户调查',
  );
  section('三、民主评议', [{ header: fieldHeader, rows: data.appraisal ?? [] }], '尚未评议');
  section('四、公示公告', [{ header: headers.notices, rows: data.notices }], '尚未公示');
  section('五、异议及答复', [{ header: headers.objections, rows: data.objections }], '无异议');
  section('六、办理记录', [{ header: headers.steps, rows: data.steps }], '无记录');
  [18, 14, 30, 18, 16, 40].forEach((width, index) => (sheet.getColumn(index + 1).width = width));
  return Buffer.from(await book.xlsx.writeBuffer());
}
