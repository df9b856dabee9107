/**
 * In Debian's Chromium on a 360 px phone: 导入名单 adds and updates only unless the cadre ticks
 * "this file is the whole roster"; then the page names how many households would leave the roster
 * and writes nothing until the cadre confirms.
 */
import type { Browser, Page } from 'playwright-core';
import { adminDb, idle, rosterRowOf } from '../support/platform';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

const village = '520526105203'; // 团结村 (v03)
const header =
  '户主姓名,身份证号码,家庭住址,家庭人口,致贫原因,年人均纯收入(元),贫困户状态,帮扶责任人,脱贫年度';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

const onRoster = async () =>
  (
    await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .where('onRoster', '==', true)
      .get()
  ).docs.map((doc) => doc.id);

it('imports a short file without taking anyone off, and names the removals of a whole-roster import first', async () => {
  const before = await onRoster();
  const file = {
    name: 'roster.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([header, await rosterRowOf(before[0] as string)].join('\n')),
  };
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="v03a@demo.fupin.cn"]').click();
  await page.getByTestId('village-name').waitFor();
  await page.getByTestId('tab-import').click();
  const whole = page.getByTestId('import-full');
  await whole.waitFor();
  expect(await whole.isChecked()).toBe(false);

  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-report').getByText('未移出任何户').waitFor();
  await idle();
  expect((await onRoster()).length).toBe(before.length);

  // The whole roster: the page asks first, naming how many would leave; declining writes nothing.
  await whole.check();
  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.message());
      void dialog.dismiss();
    }),
  );
  await page.getByTestId('import-file').setInputFiles({ ...file, name: 'roster-full.csv' });
  expect(await asked).toContain(`${before.length - 1} 户不在文件中`);
  await idle();
  expect((await onRoster()).length).toBe(before.length);
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );
});
