/**
 * The 《贫困户信息表》 of a household for a home visit (seed 004): printed from the file, walked item
 * by item with the household, corrected by pen where wrong, and signed by the household, the
 * helper and the village cadre. Facts no visit has collected yet print as empty cells (是 / 否
 * to circle for the checks) to fill in; two empty member rows take a member the file lacks.
 */
import type { HouseholdFile } from '../../contract/householdFile';
import type { FontSet } from '../certificate/fonts';
import { drawPages, flowFor, span } from './flow';
import {
  basicFacts,
  causesText,
  documentDate,
  heading,
  helperFacts,
  incomeTable,
  livingTable,
  membersTable,
} from './householdParts';

export const informationSheetTitle = '贫困户信息表';

/** The sheet as an A4 portrait PDF, ending with the three signatures and the date. */
export function informationSheetPdf(file: HouseholdFile, fonts: FontSet): Buffer {
  const flow = flowFor(fonts);
  flow.line([span(informationSheetTitle, true)], 20, 'center', 2);
  flow.line([span(`${file.headName}户 · ${file.year}年`)], 12, 'center');
  flow.line([span('信息有误的请直接在表上修改，三方签字确认。', false, 0x666666)], 9, 'right');
  // Short facts two to a line: with the signatures, a household of up to five fits on one page.
  const pair = (rows: Array<[string, string]>) =>
    flow.columnsLine(
      rows.map(([label, value]) => [span(`${label}：`, true), span(value)]),
      11,
      { lineHeight: 11 * 1.65 },
    );
  const facts = new Map(basicFacts(file));
  heading(flow, '一、家庭基本情况', 4);
  pair([
    ['户主姓名', facts.get('户主姓名')!],
    ['身份证号', facts.get('身份证号')!],
  ]);
  pair([
    ['贫困户属性', facts.get('贫困户属性')!],
    ['家庭人口', facts.get('家庭人口')!],
  ]);
  flow.field('家庭住址', facts.get('家庭住址')!);
  heading(flow, '二、家庭成员', 4);
  membersTable(flow, file, 'write', 1);
  heading(flow, '三、两不愁三保障及生产生活条件', 4);
  livingTable(flow, file, 'write');
  heading(flow, `四、收入情况（${file.year}年度）`, 4);
  incomeTable(flow, file, 'write');
  heading(flow, '五、致贫原因及帮扶责任人', 4);
  flow.field('致贫原因', causesText(file, 'write'));
  pair(helperFacts(file, 'write'));
  // The signatures stay together on one page, below everything they confirm.
  // gap, the line, gap, two rows of signatures.
  flow.ensure(6 + 11 * 1.6 + 6 + 2 * 32);
  flow.gap(6);
  flow.line([span('以上信息经入户逐项核实，修改后确认无误。', true)], 11);
  flow.gap(6);
  const sign = { underline: true, lineHeight: 32 };
  flow.columnsLine(
    [[span('贫困户（签字）：', true)], [span('帮扶联系人（签字）：', true)]],
    11,
    sign,
  );
  flow.columnsLine([[span('村干（签字）：', true)], [span('日期：', true)]], 11, sign);
  return drawPages(flow.numbered(), fonts, {
    title: `${file.headName}户${informationSheetTitle}`,
    author: file.address,
    date: documentDate(file),
  });
}
