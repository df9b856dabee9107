/**
 * The 《帮扶手册》 of a household for the year (seeds 003 and 004): a cover, then the six parts of the
 * file — 家庭基本情况、致贫原因、帮扶责任人、帮扶计划、帮扶措施、帮扶成效 — and the corrections the
 * year's visits made (so the book, the national system and the household agree: 三统一).
 */
import type { HouseholdFile, MeasureRow } from '../../contract/householdFile';
import type { FontSet } from '../certificate/fonts';
import { issuerName } from '../certificate/layout';
import { measureLabels } from '../householdFile';
import { formatYuan } from '../validation/money';
import { chinaDay, drawPages, flowFor, span } from './flow';
import {
  basicFacts,
  causesText,
  columns,
  documentDate,
  fields,
  heading,
  helperFacts,
  incomeTable,
  livingTable,
  membersTable,
  none,
} from './householdParts';

export const handbookTitle = '帮扶手册';

const sourceLabels: Record<MeasureRow['source'], string> = {
  file: '本户档案',
  need: '平台需求',
  donation: '平台捐赠',
};

/** The handbook as an A4 portrait PDF of several pages, the cover first. */
export function handbookPdf(file: HouseholdFile, fonts: FontSet, placeName: string): Buffer {
  const flow = flowFor(fonts);
  // Cover.
  flow.gap(150);
  flow.line([span(handbookTitle, true)], 40, 'center', 12);
  flow.gap(16);
  flow.line([span(`${file.year}年度`)], 18, 'center');
  flow.gap(110);
  flow.line([span('户主：', true), span(file.headName)], 16, 'center');
  flow.gap(6);
  flow.line([span(placeName)], 14, 'center');
  flow.gap(150);
  flow.line([span(issuerName, false, 0x666666)], 11, 'center');
  flow.newPage();

  heading(flow, '一、家庭基本情况');
  fields(flow, basicFacts(file));
  flow.gap(4);
  membersTable(flow, file, 'dash');
  flow.gap(8);
  livingTable(flow, file, 'dash');
  flow.gap(8);
  incomeTable(flow, file, 'dash');

  heading(flow, '二、致贫原因');
  flow.field('致贫原因', causesText(file, 'dash'));

  heading(flow, '三、帮扶责任人');
  fields(flow, helperFacts(file, 'dash'));

  heading(flow, `四、${file.year}年帮扶计划`);
  if (file.plan.trim()) flow.paragraph([span(file.plan)], 11);
  else none(flow, '尚未填写');

  heading(flow, '五、帮扶措施');
  if (file.measures.length) {
    const rest = flow.width - 92 - 84 - 76 - 62;
    flow.table(
      columns(['日期', '类别', '内容', '金额（元）', '来源'], [92, 84, rest, 76, 62]),
      file.measures.map((measure) => [
        chinaDay(measure.date),
        measureLabels[measure.kind],
        measure.description,
        formatYuan(measure.amountFen),
        sourceLabels[measure.source],
      ]),
      9.5,
    );
    const total = file.measures.reduce((sum, measure) => sum + measure.amountFen, 0);
    flow.gap(4);
    flow.line([span('合计：', true), span(`${formatYuan(total)}元`)], 10.5, 'right');
  } else none(flow, '尚无帮扶措施');

  heading(flow, '六、帮扶成效');
  if (file.results.trim()) flow.paragraph([span(file.results)], 11);
  else none(flow, '尚未填写');

  heading(flow, `附：${file.year}年信息更正记录`);
  if (file.changes.length) {
    const rest = flow.width - 150 - 64 - 92;
    flow.table(
      columns(['项目', '原值', '新值', '修改人', '日期'], [150, rest / 2, rest / 2, 64, 92]),
      file.changes.map((change) => [
        change.label,
        change.old || '—',
        change.new || '—',
        change.byName,
        chinaDay(change.at),
      ]),
      9,
    );
  } else none(flow, '本年度无更正');

  // The cover carries no page number.
  const pages = flow.numbered();
  pages[0] = flow.pages[0]!;
  return drawPages(pages, fonts, {
    title: `${file.headName}户${file.year}年${handbookTitle}`,
    author: placeName,
    date: documentDate(file),
  });
}
