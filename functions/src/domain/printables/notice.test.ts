/**
 * The printed notice read back by a real PDF reader (poppler's pdftotext and pdfinfo, required:
 * without them these tests fail with the command to install them).
 */
import { execFileSync } from 'node:child_process';
import type { PublicNotice } from '../../contract/identification';
import { fontSet, type FontSet } from '../certificate/fonts';
import { noticePdf, noticeTitle } from './notice';

function poppler(tool: string, args: string[], input: Buffer): string {
  try {
    return execFileSync(tool, args, { input, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install poppler-utils`);
    }
    throw error;
  }
}

/** The text as pdftotext -layout reads it, without the spaces and breaks of the layout. */
const pdfText = (pdf: Buffer) =>
  poppler('pdftotext', ['-layout', '-', '-'], pdf).replace(/\s+/g, '');
const pdfPages = (pdf: Buffer) =>
  Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', ['-'], pdf))?.[1]);

const surnames = [...'张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗'];
const given = ['春花', '建国', '秀英'];
/** Sixty distinct full names, none the prefix of another. */
const names = surnames.flatMap((surname) => given.map((name) => surname + name));

const url = 'https://fupin.example.cn/notice/notice-1';

function notice(overrides: Partial<PublicNotice> = {}, households = 3): PublicNotice {
  return {
    id: 'notice-1',
    stage: 'first',
    kind: 'entry',
    year: 2026,
    villageName: '十八洞村',
    placeName: '湖南省 湘西土家族苗族自治州 花垣县 双龙镇 十八洞村',
    // 01:30 on 1 December in China: a UTC date would say 30 November.
    opensAt: '2026-11-30T17:30:00.000Z',
    closesAt: '2026-12-07T17:30:00.000Z',
    open: true,
    contactPhone: '0743-7771234',
    entries: names.slice(0, households).map((name, index) => ({
      applicationId: `application-${index}`,
      name,
      kind: 'entry' as const,
      members: 1 + (index % 6),
      cause: index % 4 === 3 ? null : ('因病' as const),
    })),
    ...overrides,
  };
}

let fonts: FontSet;
beforeAll(async () => {
  fonts = await fontSet();
});

describe('noticePdf', () => {
  it('prints the title, the place, the households in full, the window and how to object', () => {
    const text = pdfText(noticePdf(notice({}, 4), fonts, { publicUrl: url }));
    expect(text).toContain('十八洞村2026年建档立卡贫困户新识别第一次公示');
    expect(text).toContain('湖南省湘西土家族苗族自治州花垣县双龙镇十八洞村');
    expect(text).toContain('经农户申请、入户调查、民主评议，现将');
    expect(text).toContain('序号户主姓名类别家庭人口致贫原因');
    expect(text).toContain('1张春花新识别1人因病');
    expect(text).toContain('4王春花新识别4人—');
    for (const name of names.slice(0, 4)) expect(text).toContain(name);
    expect(text).toContain('公示期：2026年12月1日至2026年12月8日');
    expect(text).toContain('乡镇扶贫工作站电话0743-7771234');
    expect(text).toContain(`${url}在线提出（需手机号验证）`);
    expect(text).toContain('十八洞村村民委员会2026年12月1日');
  });

  it('runs sixty households over pages, the table header on each, every name once', () => {
    const pdf = noticePdf(notice({}, 60), fonts, { publicUrl: url });
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(pdf);
    expect(text.split('序号户主姓名类别家庭人口致贫原因').length - 1).toBe(pages);
    for (const name of names) expect(text.split(name).length - 1).toBe(1);
    expect(text).toContain(`第${pages}页/共${pages}页`);
    expect(text).toContain('公示期：2026年12月1日至2026年12月8日');
  });

  it('titles the second notice and the adjustment, and gives the 公告 no window', () => {
    expect(noticeTitle(notice({ stage: 'second' }))).toBe(
      '十八洞村2026年建档立卡贫困户新识别第二次公示',
    );
    expect(noticeTitle(notice({ kind: 'adjustment' }))).toBe(
      '十八洞村2026年建档立卡贫困户动态调整第一次公示',
    );
    const text = pdfText(
      noticePdf(notice({ stage: 'announcement', closesAt: null, open: false }), fonts, {
        publicUrl: url,
      }),
    );
    expect(text).toContain('十八洞村2026年建档立卡贫困户新识别公告');
    expect(text).toContain('予以公告。');
    expect(text).not.toContain('公示期');
    expect(text).not.toContain('在线提出');
    expect(text).toContain('张春花');
  });

  it('prints an adjustment list with its kinds', () => {
    const adjustment = notice({ kind: 'adjustment' });
    adjustment.entries[0] = { ...adjustment.entries[0]!, kind: 'exit', cause: null };
    adjustment.entries[1] = { ...adjustment.entries[1]!, kind: 'return' };
    const text = pdfText(noticePdf(adjustment, fonts, { publicUrl: url }));
    expect(text).toContain('1张春花脱贫退出1人—');
    expect(text).toContain('2张建国返贫2人因病');
    expect(text).toContain('动态调整（脱贫退出、返贫）名单（共3户）');
  });

  it('is deterministic: the same notice prints the same bytes', () => {
    const once = noticePdf(notice({}, 30), fonts, { publicUrl: url });
    const twice = noticePdf(notice({}, 30), fonts, { publicUrl: url });
    expect(once.equals(twice)).toBe(true);
  });
});
