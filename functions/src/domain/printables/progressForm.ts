/**
 * The township's 工作进展情况表 as seed 004 prints it (附件): the title, "XX镇人民政府（公章）" and
 * the filling date above the table, the table, the township's 工作开展情况及建议, and the footer
 * 审核人 / 填报人 / 联系方式. A4 landscape: the form's seven columns carry long headers.
 */
import type { ProgressFooter } from '../../contract/householdFile';
import type { FontSet } from '../certificate/fonts';
import { a4Landscape, chinaDay, drawPages, flowFor, span, type Column } from './flow';

export interface ProgressFormInput {
  title: string;
  /** visitProgressHeader of domain/homeVisits.ts. */
  header: readonly string[];
  rows: Array<Array<string | number>>;
  footer: ProgressFooter;
  /** 拉堡镇: printed before 人民政府（公章）. */
  townshipName: string;
}

/** Column widths: 序号 and 村名 narrow, the counts sharing the rest. */
function columnsOf(header: readonly string[], width: number): Column[] {
  const fixed: Record<string, number> = { 序号: 40, 村名: 120 };
  const fixedWidth = header.reduce((sum, name) => sum + (fixed[name] ?? 0), 0);
  const flexible = header.filter((name) => fixed[name] === undefined).length;
  const share = flexible ? (width - fixedWidth) / flexible : 0;
  return header.map((name) => ({
    header: name,
    width: fixed[name] ?? share,
    align: name === '村名' ? 'left' : 'center',
  }));
}

/** The form as an A4 landscape PDF, dated by its filling date. */
export function progressFormPdf(input: ProgressFormInput, fonts: FontSet): Buffer {
  const flow = flowFor(fonts, a4Landscape);
  const { footer } = input;
  flow.line([span(input.title, true)], 17, 'center');
  flow.gap(6);
  flow.columnsLine(
    [
      [span(`${input.townshipName}人民政府（公章）`)],
      [],
      [span('填报日期：'), span(chinaDay(footer.filledOn))],
    ],
    11,
  );
  flow.gap(2);
  flow.table(
    columnsOf(input.header, flow.width),
    input.rows.map((row) => row.map((cell) => String(cell))),
    10,
  );
  flow.ensure(60);
  flow.gap(10);
  flow.line([span('工作开展情况及建议', true)], 12);
  if (footer.summary.trim()) flow.paragraph([span(footer.summary)], 11);
  flow.ensure(40);
  flow.gap(12);
  flow.columnsLine(
    [
      [span('审核人：', true), span(footer.reviewer)],
      [span('填报人：', true), span(footer.filler)],
      [span('联系方式：', true), span(footer.contact)],
    ],
    11,
  );
  return drawPages(
    flow.numbered(),
    fonts,
    {
      title: input.title,
      author: `${input.townshipName}人民政府`,
      date: new Date(`${footer.filledOn.slice(0, 10)}T00:00:00+08:00`),
    },
    a4Landscape,
  );
}
