/**
 * A township rolled out from nothing, through the web client alone, in Debian's Chromium on a
 * 360 px phone. The platform is started `--empty` (no demo township: the division table only);
 * the one command-line step is the documented first account. From there: the county appoints a
 * township administrator; the township appoints two village administrators and a helper; a
 * village administrator imports a roster naming that helper as 帮扶责任人; the helper sees exactly
 * those households, registers one and submits a need; the village administrator reviews and
 * publishes it; a donor registered through the village gives and pays in the payment sandbox;
 * the township sees the village's rates move, opens the village, exports the donor registration
 * table and records the city sample. Everyone signs in by phone and SMS code, as on a real deployment.
 */
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { checkCharOf } from '../../functions/src/domain/idNumber';
import { launchBrowser, payInSandbox, phonePage, signInByPhoneOn } from '../support/browser';
import { header as rosterHeader } from '../support/rosterFiles';
import { startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';

const township = '520526105';
const village = '520526105201';
const phones = {
  county: '13812350001',
  township: '13812350002',
  villageA: '13812350003',
  villageB: '13812350004',
  helper: '13812350005',
  donor: '13812350006',
};
const helperName = '罗帮扶';
const id = (first17: string) => first17 + checkCharOf(first17);
const households = [
  { name: '龙国强', idNumber: id('52052619700101113'), helper: helperName },
  { name: '杨秀英', idNumber: id('52052619820505224'), helper: helperName },
  { name: '安德明', idNumber: id('52052619650909335'), helper: helperName },
  { name: '禄正华', idNumber: id('52052619901111446'), helper: '' },
];
const bank = '6228480402564890018';
const donorName = '王爱心';

let platform: OwnPlatform;
let browser: Browser;
let page: Page;
let webUrl = '';

beforeAll(async () => {
  platform = await startOwnPlatform(30);
  webUrl = `http://127.0.0.1:${platform.base + 3}/`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

/** Signs in as a person would: the number, 获取验证码, the code the local platform shows. */
async function signIn(phone: string, landmark: string): Promise<void> {
  await page?.context().close();
  page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phone);
  await page.getByTestId(landmark).first().waitFor();
}

/** The 人员 page's appointment, region by region down to the one the role needs. */
async function appoint(
  role: string,
  regions: Array<[level: string, name: string]>,
  name: string,
  phone: string,
): Promise<void> {
  await page.getByTestId('nav-staff').click();
  const form = page.getByTestId('appoint-form');
  await form.getByTestId('appoint-role').selectOption(role);
  for (const [level, regionName] of regions) {
    const select = form.locator(`[data-testid="appoint-region"][data-level="${level}"]`);
    await select.locator('option', { hasText: regionName }).first().waitFor({ state: 'attached' });
    await select.selectOption({ label: regionName });
  }
  await form.getByTestId('appoint-name').fill(name);
  await form.getByTestId('appoint-phone').fill(phone);
  await form.getByTestId('appoint-submit').click();
  await page.getByTestId('appoint-result').filter({ hasText: name }).waitFor();
  await page
    .locator('[data-testid="staff-row"][data-status="active"]', { hasText: name })
    .waitFor();
}

async function noOverflow(): Promise<void> {
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );
}

it('runs a township from an empty platform through the web client alone', async () => {
  expect(platform.output).toMatch(/^READY$/m);

  // 0. The one command-line step: the deployment's first account (README: 正式部署如何开始).
  const first = platform.admin('first', [
    '--role',
    'county_admin',
    '--region',
    '520526',
    '--phone',
    `+86${phones.county}`,
    '--name',
    '县管理员甲',
  ]);
  expect(first.status).toBe(0);

  // 1. The sign-in page of an empty platform shows no demo accounts, and says how to begin.
  page = await phonePage(browser);
  await page.goto(webUrl);
  await page.getByTestId('empty-platform').waitFor();
  expect(await page.getByTestId('demo-account').count()).toBe(0);

  // 2. The county appoints the township's administrator.
  await signIn(phones.county, 'dashboard-region');
  await appoint('township_admin', [['township', '石门乡']], '乡管理员甲', phones.township);
  await noOverflow();

  // 3. The township appoints two village administrators and a helper for 新街村.
  await signIn(phones.township, 'dashboard-region');
  await appoint('village_admin', [['village', '新街村']], '村信息员甲', phones.villageA);
  await appoint('village_admin', [['village', '新街村']], '村信息员乙', phones.villageB);
  await appoint('helper', [['village', '新街村']], helperName, phones.helper);
  await noOverflow();

  // 4. A village administrator imports the roster: three households name the helper (with the
  // helper's phone, as the national system's export carries it), one names nobody yet.
  await signIn(phones.villageA, 'village-name');
  await page.getByTestId('tab-import').click();
  const csv = [
    [...rosterHeader, '帮扶责任人联系电话'].join(','),
    ...households.map((household, index) =>
      [
        household.name,
        household.idNumber,
        `威宁县石门乡新街村2组${index + 1}号`,
        '4',
        '因病致贫',
        '3100',
        '未脱贫',
        household.helper,
        household.helper ? phones.helper : '',
      ].join(','),
    ),
  ].join('\n');
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: '新街村名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-report').getByText('已导入').waitFor();
  expect(await page.getByTestId('import-report').textContent()).toContain('新增 4 户');

  // 5. The helper sees exactly the three households assigned to them, registers one and
  // captures its need.
  await signIn(phones.helper, 'village-name');
  await page.getByTestId('household-row').first().waitFor();
  const seen = await page.getByTestId('household-row').allTextContents();
  expect(seen).toHaveLength(3);
  for (const household of households.slice(0, 3)) {
    expect(seen.some((text) => text.includes(household.name))).toBe(true);
  }
  expect(seen.some((text) => text.includes('禄正华'))).toBe(false);
  const chosen = households[0] as (typeof households)[number];
  const row = page.locator('[data-testid="household-row"]', { hasText: chosen.name });
  await row.getByTestId('register-button').click();
  await row.getByText('已注册').waitFor();

  await page.getByTestId('tab-capture').click();
  const form = page.getByTestId('capture-form');
  await form.getByTestId('capture-household-search').fill(chosen.idNumber.slice(-4));
  await form.getByTestId('capture-household-search').press('Enter');
  await form.getByTestId('capture-household-option').filter({ hasText: chosen.name }).click();
  await form.getByTestId('capture-household-chosen').filter({ hasText: chosen.name }).waitFor();
  await form.locator('select[aria-label="类别"]').selectOption('medical');
  await form.getByPlaceholder('金额（元）').fill('3000');
  await form.getByPlaceholder('银行账户（资金需求必填）').fill(bank);
  await form.getByPlaceholder('户主身份证号码（18位）').fill(chosen.idNumber);
  await form
    .getByPlaceholder('需求理由（两不愁三保障范围内）')
    .fill('户主患慢性肾病需要长期透析，医保报销后仍有缺口');
  await form.getByPlaceholder('管理员姓名').fill(helperName);
  const photo = await sharp({
    create: { width: 2400, height: 1800, channels: 3, background: '#7a8b5c' },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  await page
    .getByTestId('photo-input')
    .setInputFiles({ name: 'house.jpg', mimeType: 'image/jpeg', buffer: photo });
  await form.getByTestId('photo-thumb').waitFor({ timeout: 30_000 });
  await page.getByTestId('submit-need').click();
  await page.waitForURL(/#\/needs$/);
  await page.locator('[data-testid="need-row"]', { hasText: chosen.name }).waitFor();

  // 6. The village administrator reviews it in person and publishes it.
  await signIn(phones.villageA, 'village-name');
  await page.getByTestId('tab-needs').click();
  const need = page.locator('[data-testid="need-row"]', { hasText: chosen.name });
  await need.getByTestId('start-review').click();
  await need.getByTestId('review-form').waitFor();
  await need.getByLabel('审核人').fill('村信息员甲');
  await need.getByTestId('publish-button').click();
  await need.getByTestId('need-status').filter({ hasText: '已发布' }).waitFor();

  // 7. A donor signs up, names 新街村 as the village they registered through, pledges the
  // whole amount and pays it.
  await signIn(phones.donor, 'nav-browse');
  await page.getByTestId('nav-profile').click();
  await page.getByTestId('profile-kind').selectOption('person');
  await page.getByTestId('profile-name').fill(donorName);
  for (const [level, name] of [
    ['province', '贵州省'],
    ['city', '毕节市'],
    ['county', '威宁彝族回族苗族自治县'],
    ['township', '石门乡'],
    ['village', '新街村'],
  ] as const) {
    const select = page.locator(`[data-testid="profile-village-select"][data-level="${level}"]`);
    await select.locator('option', { hasText: name }).first().waitFor({ state: 'attached' });
    await select.selectOption({ label: name });
  }
  await page.getByTestId('profile-save').click();
  await page.locator('#toast', { hasText: '资料已保存' }).waitFor();
  await page.getByTestId('nav-browse').click();
  const card = page.locator('[data-testid="need-card"][data-kind="money"]', { hasText: '新街村' });
  await card.first().locator('a').click();
  await page.getByTestId('donate-amount').fill('3000.00');
  await page.getByTestId('donate-submit').click();
  const pledged = page.locator('[data-testid="donate-result"][data-status="pledged"]');
  await pledged.waitFor({ timeout: 60_000 });
  // Only money that arrived covers the need: the donor pays in the platform's payment sandbox.
  // Back on the need, now wholly held by the pledge, the donor still finds the pay button.
  const donationId = (await pledged.getAttribute('data-donation-id')) as string;
  await page.reload();
  const covered = page.getByTestId('need-covered');
  await covered.getByText('正在等待付款').waitFor();
  await covered.locator('[data-testid="donate-result"][data-status="pledged"]').waitFor();
  await payInSandbox(page, donationId);
  await page
    .locator(`[data-testid="my-donation"][data-id="${donationId}"][data-status="received"]`)
    .waitFor({ timeout: 30_000 });

  // 8. The township sees 新街村's rates move (one of four registered; its one need matched).
  await signIn(phones.township, 'dashboard-region');
  const villageRow = page.locator(`[data-testid="dashboard-row"][data-code="${village}"]`);
  for (let attempt = 0; ; attempt++) {
    const text = (await villageRow.textContent()) ?? '';
    if (text.includes('25.0%') && text.includes('100.0%')) break;
    if (attempt === 20) throw new Error(`新街村's rates did not move: ${text}`);
    await page.waitForTimeout(1_000);
    await page.reload();
    await villageRow.waitFor();
  }

  // 9. It opens the village, sees its households, exports the donor registration table with
  // the donor in it, and records the city sample.
  await villageRow.getByTestId('dashboard-village-link').click();
  await page.waitForURL(new RegExp(`#/village/${village}$`));
  await page.getByTestId('household-row').first().waitFor();
  expect(await page.getByTestId('household-row').count()).toBe(4);
  expect(await page.getByTestId('register-button').count()).toBe(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-donor-registry').first().click(),
  ]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await streamBytes(await download.createReadStream())) as never);
  const cells = workbook.worksheets
    .flatMap((sheet) => sheet.getSheetValues())
    .flatMap((row) => (Array.isArray(row) ? row : []))
    .map(String);
  expect(cells).toContain(donorName);
  expect(cells.some((cell) => cell.includes(phones.donor.slice(-4)))).toBe(true);

  const spot = page.getByTestId('spot-check-form');
  await spot.getByTestId('spot-check-sampled').check();
  await spot.getByTestId('spot-check-households').fill('4');
  await spot.getByTestId('spot-check-submit').click();
  await page.getByTestId('spot-check-result').waitFor();
  await noOverflow();
  expect(await page.getByTestId('back-dashboard').getAttribute('href')).toBe(
    `#/region/${township}`,
  );
}, 600_000);

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
