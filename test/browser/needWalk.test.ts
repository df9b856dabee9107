/**
 * The whole of a need's way in Debian's Chromium on a 360 px phone, as a village information
 * administrator walks it: import the roster → register the new household → capture a need with a
 * photo (downscaled on the phone, processed by the Storage trigger) → review in person → publish
 * → the public view shows the masked name and the thumbnail, and no ID or bank digits.
 */
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { checkCharOf } from '../../functions/src/domain/idNumber';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

const first17 = '52052619750312031';
const idNumber = first17 + checkCharOf(first17);
const bank = '6228480402564890018';

it('walks a need from roster import to a public view without ID or bank digits', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="v08a@demo.fupin.cn"]').click();
  await page.getByTestId('village-name').waitFor();

  // 1. Import the roster (the national system's columns), with one new household.
  await page.getByTestId('tab-import').click();
  const csv = [
    '户主姓名,身份证号码,家庭住址,家庭人口,致贫原因,年人均纯收入(元),贫困户状态,帮扶责任人',
    `韦淼,${idNumber},威宁县石门乡新龙村3组8号,4,因病致贫,3100,未脱贫,王帮扶`,
  ].join('\n');
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: '新龙村名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-report').getByText('已导入').waitFor();
  expect(await page.getByTestId('import-report').textContent()).toContain('新增 1 户');

  // 2. Register the new household.
  await page.getByTestId('tab-households').click();
  const row = page.locator('[data-testid="household-row"]', { hasText: '韦淼' });
  await row.getByTestId('register-button').click();
  await row.getByText('已注册').waitFor();

  // 3. Capture the need with a photo taken on the phone.
  await page.getByTestId('tab-capture').click();
  const form = page.getByTestId('capture-form');
  await form.getByTestId('capture-household-search').fill('韦淼');
  await form
    .getByTestId('capture-household-option')
    .filter({ hasText: `韦淼（尾号${idNumber.slice(-4)}）` })
    .click();
  await form.locator('select[aria-label="类别"]').selectOption('medical');
  await form.getByPlaceholder('金额（元）').fill('3000');
  await form.getByPlaceholder('银行账户（资金需求必填）').fill(bank);
  await form.getByPlaceholder('户主身份证号码（18位）').fill(idNumber.toLowerCase());
  await form
    .getByPlaceholder('需求理由（两不愁三保障范围内）')
    .fill('户主患肺结核需要长期治疗，医保报销后药费仍有缺口');
  await form.getByPlaceholder('管理员姓名').fill('新龙村信息员甲');
  const photo = await sharp({
    create: { width: 3000, height: 2000, channels: 3, background: '#8a9a5b' },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
  await page
    .getByTestId('photo-input')
    .setInputFiles({ name: 'house.jpg', mimeType: 'image/jpeg', buffer: photo });
  await form.getByTestId('photo-thumb').waitFor({ timeout: 30_000 });
  await page.getByTestId('submit-need').click();

  // 4. Review in person, then publish.
  await page.waitForURL(/#\/needs$/);
  const need = page.locator('[data-testid="need-row"]', { hasText: '韦淼' });
  await need.getByTestId('start-review').click();
  await need.getByTestId('review-form').waitFor();
  await need.getByLabel('审核人').fill('新龙村信息员甲');
  await need.getByTestId('publish-button').click();
  await page
    .locator('[data-testid="need-row"]', { hasText: '韦淼' })
    .getByTestId('need-status')
    .filter({ hasText: '已发布' })
    .waitFor();

  // 5. The public view.
  await page.locator('[data-testid="need-row"]', { hasText: '韦淼' }).getByText('公开页面').click();
  await page.getByTestId('public-need').waitFor();
  expect(await page.getByTestId('masked-name').textContent()).toBe('韦*');
  await page.getByTestId('public-need').getByTestId('photo-thumb').waitFor();
  const text = (await page.getByTestId('public-need').textContent()) ?? '';
  for (const secret of [idNumber, idNumber.slice(-4), idNumber.slice(0, 6), bank, bank.slice(-4)])
    expect(text).not.toContain(secret);
  expect(text).toContain('新龙村');
  expect(text).toContain('3,000.00 元');
  await page.screenshot({
    path: `${process.env.FUPIN_TEST_DATA_DIR}/public-need.png`,
    fullPage: true,
  });
});
