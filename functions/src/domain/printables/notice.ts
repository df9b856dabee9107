/**
 * The printed 公示/公告 of an identification round, for the village notice board (张榜公示, seeds
 * 002 and 003). It names each household in full, as the board always has: villagers can only
 * object to a listing if they can tell who is listed. The web page of the same notice masks the
 * names, since anyone on the internet can read it. Neither shows ID numbers, bank accounts or
 * health details: the notice's entries carry none, and nothing here adds them.
 */
import type { PublicNotice } from '../../contract/identification';
import type { FontSet } from '../certificate/fonts';
import { applicationKindLabels, noticeStageLabels } from '../identification';
import { chinaDay, drawPages, flowFor, grey, span, type Column } from './flow';

export interface NoticePrintOptions {
  /** The notice's public page, where an objection can be filed online (phone verified by SMS). */
  publicUrl: string;
}

const kindLabel = { entry: '新识别', adjustment: '动态调整' } as const;

/** 十八洞村2026年建档立卡贫困户新识别第一次公示. */
export function noticeTitle(notice: Pick<PublicNotice, 'villageName' | 'year' | 'kind' | 'stage'>) {
  return (
    `${notice.villageName}${notice.year}年建档立卡贫困户` +
    `${kindLabel[notice.kind]}${noticeStageLabels[notice.stage]}`
  );
}

/** What was done before this notice, and what it does, in the board's customary words. */
function introText(notice: PublicNotice): string {
  const survey = notice.kind === 'entry' ? '入户调查' : '入户核实';
  const before =
    notice.stage === 'first'
      ? `农户申请、${survey}、民主评议`
      : notice.stage === 'second'
        ? `农户申请、${survey}、民主评议、第一次公示和乡镇审核`
        : notice.kind === 'entry'
          ? `农户申请、${survey}、民主评议、两次公示、乡镇审核和县级审批`
          : `农户申请、${survey}、民主评议、公示、乡镇审核和县级审批`;
  const list =
    notice.kind === 'entry'
      ? `本村${notice.year}年建档立卡贫困户新识别名单`
      : `本村${notice.year}年建档立卡贫困户动态调整（脱贫退出、返贫）名单`;
  const count = `（共${notice.entries.length}户）`;
  return notice.stage === 'announcement'
    ? `经${before}，现将${list}${count}予以公告。`
    : `经${before}，现将${list}${count}予以公示，接受全体村民监督。`;
}

const columns: Column[] = [
  { header: '序号', width: 44, align: 'center' },
  { header: '户主姓名', width: 130 },
  { header: '类别', width: 86, align: 'center' },
  { header: '家庭人口', width: 70, align: 'center' },
  { header: '致贫原因', width: 153.28 },
];

/**
 * The notice as an A4 portrait PDF: title, place, what the list is, the households (the table's
 * header repeated on every page), the window, how to object, and the village committee's
 * signature dated the day it went up. Dated by the notice, so the same notice prints the same
 * bytes.
 */
export function noticePdf(
  notice: PublicNotice,
  fonts: FontSet,
  options: NoticePrintOptions,
): Buffer {
  const flow = flowFor(fonts);
  const title = noticeTitle(notice);
  flow.line([span(title, true)], 20, 'center', 1);
  flow.line([span(notice.placeName, false, grey)], 11, 'center');
  flow.gap(10);
  flow.paragraph([span(introText(notice))], 12);
  flow.gap(6);
  flow.table(
    columns,
    notice.entries.map((entry, index) => [
      String(index + 1),
      entry.name,
      applicationKindLabels[entry.kind],
      `${entry.members}人`,
      entry.cause ?? '—',
    ]),
    11,
  );
  flow.gap(12);
  if (notice.closesAt !== null) {
    flow.line(
      [span('公示期：', true), span(`${chinaDay(notice.opensAt)}至${chinaDay(notice.closesAt)}`)],
      12,
    );
    flow.paragraph(
      [
        span(
          `如有异议，请在公示期内拨打乡镇扶贫工作站电话 ${notice.contactPhone} 反映，` +
            `或访问 ${options.publicUrl} 在线提出（需手机号验证）。`,
        ),
      ],
      12,
      0,
    );
  } else {
    flow.paragraph(
      [span(`如有问题，请拨打乡镇扶贫工作站电话 ${notice.contactPhone} 反映。`)],
      12,
      0,
    );
  }
  // The signature keeps its two lines together, below the text and on the same page.
  flow.ensure(90);
  flow.gap(36);
  flow.line([span(`${notice.villageName}村民委员会`, true)], 13, 'right');
  flow.line([span(chinaDay(notice.opensAt))], 12, 'right');
  return drawPages(flow.numbered(), fonts, {
    title,
    author: `${notice.villageName}村民委员会`,
    date: new Date(notice.opensAt),
  });
}
