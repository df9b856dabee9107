/**
 * The printables of 一户一册一卡, read back by poppler (required): the text by pdftotext, the pages
 * by pdfinfo, and the contact cards' colour by rendering them with pdftoppm and reading the band's
 * pixels.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ContactCardData, HouseholdFile } from '../../contract/householdFile';
import { fontSet, type FontSet } from '../certificate/fonts';
import { visitProgressHeader } from '../homeVisits';
import { cardBand, cardSize, contactCardsPdf } from './contactCard';
import { handbookPdf } from './handbook';
import { informationSheetPdf } from './informationSheet';
import { progressFormPdf } from './progressForm';

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

/** The text of every page, whitespace removed (layout spacing is not the point). */
const pdfText = (pdf: Buffer) =>
  poppler('pdftotext', ['-layout', '-', '-'], pdf).replace(/\s+/g, '');

function pdfPages(pdf: Buffer): { pages: number; size: string } {
  const info = poppler('pdfinfo', ['-'], pdf);
  return {
    pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]),
    size: /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? '',
  };
}

const dpi = 30;

/** Page `page` (1-based) rendered at 30 dpi: its RGB pixels and width. */
async function renderPage(pdf: Buffer, page: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cards-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', [
      '-r',
      String(dpi),
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      join(dir, 'out'),
    ]);
    const { data, info } = await sharp(readFileSync(join(dir, 'out.png')))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      /** The colour at a point given in PDF points from the page's top left. */
      at(x: number, y: number): [number, number, number] {
        const px = Math.round((x * dpi) / 72);
        const py = Math.round((y * dpi) / 72);
        const offset = (py * info.width + px) * info.channels;
        return [data[offset]!, data[offset + 1]!, data[offset + 2]!];
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isBlue = ([r, g, b]: [number, number, number]) => b > 150 && r < 90 && g < 140;
const isRed = ([r, g, b]: [number, number, number]) => r > 150 && g < 80 && b < 90;

/** A point inside the card's band, left of its centred title. */
const bandPoint = (second: boolean) => ({
  x: cardBand.inset + 30,
  y: (second ? cardSize.height : 0) + cardBand.inset + cardBand.frame + cardBand.height / 2,
});

const file: HouseholdFile = {
  householdId: 'household-1',
  villageCode: '450221100201',
  year: 2026,
  revision: 3,
  headName: '韦福贵',
  idLast4: '0318',
  address: '广西柳州市柳江区拉堡镇红阳村六队',
  status: 'out',
  outYear: 2025,
  members: [
    {
      name: '覃秀英',
      relation: 'spouse',
      sex: 'female',
      birthDate: '1968-04-02',
      education: 'primary',
      labour: 'partial',
      idLast4: '2426',
      health: 'chronic',
      age: 58,
    },
    {
      name: '韦小明',
      relation: 'child',
      sex: 'male',
      birthDate: '2010-09-15',
      education: 'in_school',
      labour: 'none',
      idLast4: '4519',
      health: 'healthy',
      age: 16,
    },
  ],
  sheetCollected: true,
  living: {
    enoughFood: true,
    enoughClothing: true,
    schooling: true,
    medicalInsurance: true,
    safeHousing: false,
    safeWater: true,
    electricity: true,
    road: true,
  },
  income: { wage: 1_800_000, business: 650_000, property: 0, transfer: 320_000 },
  perCapitaIncomeFen: 923_333,
  causes: ['因病', '缺技术'],
  helper: { name: '蓝海燕', phone: '13907721234' },
  plan: '发展养牛产业，配偶参加缝纫技能培训，落实慢性病门诊报销。',
  measures: [
    {
      date: '2026-03-12',
      kind: 'industry',
      description: '产业奖补：养殖母牛两头',
      amountFen: 600_000,
      source: 'file',
      link: null,
    },
    {
      date: '2026-05-20',
      kind: 'donation',
      description: '爱心人士捐赠助学金',
      amountFen: 200_000,
      source: 'donation',
      link: '/donations/d-1',
    },
  ],
  results: '家庭年人均纯收入达到九千余元，住房改造正在进行。',
  differences: [],
  changes: [
    {
      id: 'change-1',
      visitId: 'visit-1',
      field: 'income.wage',
      label: '工资性收入',
      old: '12000元',
      new: '18000元',
      byName: '蓝海燕',
      at: '2026-03-20T02:00:00.000Z',
      enteredAt: null,
    },
  ],
  visits: [
    {
      id: 'visit-1',
      visitedOn: '2026-03-20',
      byName: '蓝海燕',
      changes: 1,
      confirmations: { household: 'signature', helper: 'signature', cadre: 'photo' },
    },
  ],
  card: { colour: 'red', cardYear: 2025 },
  distribution: { cardOn: null, handbookOn: null },
};

const card = (name: string, colour: 'blue' | 'red', phone: string | null): ContactCardData => ({
  householdName: name,
  placeName: '柳江区拉堡镇红阳村',
  colour,
  cardYear: 2025,
  helper: { name: '蓝海燕', phone },
  villageCadre: { name: '覃书记', phone: '13807725678' },
  townshipOffice: { name: '拉堡镇扶贫工作站', phone: null },
});

let fonts: FontSet;

beforeAll(async () => {
  fonts = await fontSet();
});

describe('贫困户信息表', () => {
  it('prints the household, members, checks, income, helper and the three signatures', () => {
    const pdf = informationSheetPdf(file, fonts);
    const text = pdfText(pdf);
    for (const expected of [
      '贫困户信息表',
      '韦福贵',
      '0318',
      '已脱贫（2025年脱贫）',
      '覃秀英',
      '配偶',
      '长期慢性病',
      '弱劳动力或半劳动力',
      '住房安全有保障否',
      '工资性收入18,000.00',
      '家庭年人均纯收入9,233.33',
      '家庭年纯收入合计27,700.00',
      '因病、缺技术',
      '蓝海燕',
      '13907721234',
      '贫困户（签字）',
      '帮扶联系人（签字）',
      '村干（签字）',
      '日期',
    ]) {
      expect(text).toContain(expected);
    }
    // A household of three fits one page with its signatures.
    expect(pdfPages(pdf)).toEqual({ pages: 1, size: expect.stringMatching(/^595\.28 x 841\.89/) });
    // The same file prints the same bytes.
    expect(informationSheetPdf(file, fonts).equals(pdf)).toBe(true);
  });

  it('leaves uncollected facts to be filled in by hand', () => {
    const text = pdfText(
      informationSheetPdf(
        { ...file, sheetCollected: false, living: null, income: null, perCapitaIncomeFen: null },
        fonts,
      ),
    );
    expect(text).toContain('不愁吃是/否');
    expect(text).not.toContain('18,000.00');
  });
  it('keeps the signatures together on the last page of a large household’s sheet', () => {
    const members = Array.from({ length: 12 }, (_, index) => ({
      ...file.members[1]!,
      name: `韦${'一二三四五六七八九十甲乙'[index]}`,
      idLast4: String(1000 + index),
    }));
    const pdf = informationSheetPdf({ ...file, members }, fonts);
    const { pages } = pdfPages(pdf);
    expect(pages).toBe(2);
    const last = poppler('pdftotext', ['-f', '2', '-l', '2', '-layout', '-', '-'], pdf).replace(
      /\s+/g,
      '',
    );
    for (const party of ['贫困户（签字）', '帮扶联系人（签字）', '村干（签字）', '日期']) {
      expect(last).toContain(party);
    }
    const first = poppler('pdftotext', ['-f', '1', '-l', '1', '-layout', '-', '-'], pdf);
    expect(first).not.toContain('村干（签字）');
  });
});

describe('帮扶手册', () => {
  it('prints a cover and the six parts, measures and the year’s corrections', () => {
    const pdf = handbookPdf(file, fonts, '广西柳州市柳江区拉堡镇红阳村');
    const text = pdfText(pdf);
    for (const expected of [
      '帮扶手册',
      '2026年度',
      '户主：韦福贵',
      '广西柳州市柳江区拉堡镇红阳村',
      '一、家庭基本情况',
      '二、致贫原因',
      '三、帮扶责任人',
      '13907721234',
      '四、2026年帮扶计划',
      '发展养牛产业',
      '五、帮扶措施',
      '2026年3月12日产业扶贫产业奖补：养殖母牛两头6,000.00本户档案',
      '平台捐赠',
      '合计：8,000.00元',
      '六、帮扶成效',
      '住房改造正在进行',
      '工资性收入12000元18000元蓝海燕2026年3月20日',
    ]) {
      expect(text).toContain(expected);
    }
    expect(pdfPages(pdf).pages).toBeGreaterThanOrEqual(2);
  });
});

describe('联系卡', () => {
  it('prints two cards a page: five cards make three pages', () => {
    const cards = ['甲', '乙', '丙', '丁', '戊'].map((name, index) =>
      card(`韦${name}`, index % 2 ? 'red' : 'blue', '13907721234'),
    );
    const pdf = contactCardsPdf(cards, fonts);
    expect(pdfPages(pdf)).toEqual({ pages: 3, size: expect.stringMatching(/^595\.28 x 841\.89/) });
    const text = pdfText(pdf);
    for (const name of ['韦甲', '韦乙', '韦丙', '韦丁', '韦戊']) expect(text).toContain(name);
  });

  it('names the household, the helper’s phone and who else to call; a missing phone is a dash', () => {
    const text = pdfText(contactCardsPdf([card('韦福贵', 'blue', null)], fonts));
    for (const expected of [
      '扶贫联系卡',
      '2025年度',
      '户主：韦福贵',
      '柳江区拉堡镇红阳村',
      '帮扶责任人：蓝海燕电话：—',
      '村干：覃书记电话：13807725678',
      '乡镇扶贫工作站：拉堡镇扶贫工作站电话：—',
    ]) {
      expect(text).toContain(expected);
    }
    expect(pdfText(contactCardsPdf([card('韦福贵', 'blue', '13907721234')], fonts))).toContain(
      '帮扶责任人：蓝海燕电话：13907721234',
    );
  });

  it('bands a blue card blue and a red card red, on either half of the page', async () => {
    const page = await renderPage(
      contactCardsPdf([card('韦甲', 'blue', '1'), card('韦乙', 'red', '2')], fonts),
      1,
    );
    const top = bandPoint(false);
    const bottom = bandPoint(true);
    expect(isBlue(page.at(top.x, top.y))).toBe(true);
    expect(isRed(page.at(bottom.x, bottom.y))).toBe(true);
    const swapped = await renderPage(
      contactCardsPdf([card('韦乙', 'red', '2'), card('韦甲', 'blue', '1')], fonts),
      1,
    );
    expect(isRed(swapped.at(top.x, top.y))).toBe(true);
    expect(isBlue(swapped.at(bottom.x, bottom.y))).toBe(true);
    // Outside the card the paper stays white.
    expect(page.at(cardSize.width / 2, 4)).toEqual([255, 255, 255]);
  });
});

describe('工作进展情况表', () => {
  it('prints the seed’s form: seal and date line, the table, the summary and the footer', () => {
    const pdf = progressFormPdf(
      {
        title: '拉堡镇2026年度精准帮扶“一户一册一卡”工作进展情况表',
        header: visitProgressHeader,
        rows: [
          [1, '红阳村', 12, 5, 40, 1, 8],
          [2, '百朋村', 7, 2, 31, 2, ''],
        ],
        footer: {
          filledOn: '2026-04-08',
          reviewer: '覃主任',
          filler: '韦专干',
          contact: '07727533052',
          summary: '全镇入户登记已完成，个别指标系统未开放，已做好记录待录入。',
        },
        townshipName: '拉堡镇',
      },
      fonts,
    );
    const text = pdfText(pdf);
    for (const expected of [
      '拉堡镇2026年度精准帮扶“一户一册一卡”工作进展情况表',
      '拉堡镇人民政府（公章）',
      '填报日期：2026年4月8日',
      '红阳村',
      '百朋村',
      '工作开展情况及建议',
      '个别指标系统未开放',
      '审核人：覃主任',
      '填报人：韦专干',
      '联系方式：07727533052',
    ]) {
      expect(text).toContain(expected);
    }
    expect(pdfPages(pdf)).toEqual({ pages: 1, size: expect.stringMatching(/^841\.89 x 595\.28/) });
  });
});
