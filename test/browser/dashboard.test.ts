/**
 * The township administrator's dashboard in Chromium on a phone: a village's registration rate
 * moves after a household registers, its match rate after a donation covers a need, and the
 * report exports.
 */
import type { Browser, Page } from 'playwright-core';
import {
  adminDb,
  call,
  idle,
  newRequestId,
  payPledge,
  signIn,
  signInByPhone,
} from '../support/platform';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

const village = '520526105207'; // 石门坎村

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function villageRates(): Promise<string[]> {
  // A fresh load (not just a hash change), as an office reopening the page would.
  await page.goto(`${webUrl()}/?at=${Date.now()}#/`);
  const row = page.locator(`[data-testid="dashboard-row"][data-code="${village}"]`);
  await row.waitFor();
  return (await row.locator('td').allTextContents()).slice(1, 3);
}

it('shows a village’s rates move after a registration and after a donation, and exports the report', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="township@demo.fupin.cn"]').click();
  await page.getByTestId('dashboard-region').filter({ hasText: '石门乡' }).waitFor();
  expect(await page.getByTestId('dashboard-row').count()).toBe(10);
  const [registrationBefore, matchBefore] = await villageRates();

  // A household of the village registers.
  const household = (
    await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .where('registered', '==', false)
      .limit(1)
      .get()
  ).docs[0];
  const registered = await call(
    'registerHousehold',
    { householdId: household?.id, requestId: newRequestId() },
    await signIn('v07b@demo.fupin.cn'),
  );
  expect(registered.error).toBeUndefined();
  await idle();
  const [registrationAfter, matchMiddle] = await villageRates();
  expect(registrationAfter).not.toBe(registrationBefore);
  expect(parseFloat(registrationAfter as string)).toBeGreaterThan(
    parseFloat(registrationBefore as string),
  );
  expect(matchMiddle).toBe(matchBefore);

  // A donor covers one of its published needs: a need counts as matched (对接) once covered.
  const needs = await adminDb()
    .collection('needs')
    .where('villageCode', '==', village)
    .where('status', '==', 'published')
    .get();
  const need = needs.docs.find((doc) => doc.get('kind') === 'money');
  const remainingFen =
    Number(need?.get('amountFen')) -
    Number(need?.get('raisedFen') ?? 0) -
    Number(need?.get('heldFen') ?? 0);
  const donor = await signInByPhone('+8613800000001');
  const donated = await call<{ donationId: string }>(
    'donate',
    { requestId: newRequestId(), needId: need?.id, amountFen: remainingFen },
    donor,
  );
  expect(donated.error).toBeUndefined();
  // Only money that arrived covers a need: the donor pays the pledge in the payment sandbox.
  expect(await payPledge(donor, donated.result?.donationId as string)).toBe('received');
  await idle();
  const [, matchAfter] = await villageRates();
  expect(parseFloat(matchAfter as string)).toBeGreaterThan(parseFloat(matchBefore as string));

  // The report of the township's villages.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-report').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^石门乡-注册率与对接率-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const path = await download.path();
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path as string);
  const rows = (book.worksheets[0]?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
  expect(rows.some((row) => row.includes('石门坎村') && row.includes(matchAfter))).toBe(true);

  // The 一户一册一卡 progress table (seed 004): one row per village, in the form's columns.
  const [progress] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-visit-progress').click(),
  ]);
  expect(progress.suggestedFilename()).toMatch(
    /^石门乡\d{4}年度一户一册一卡工作进展情况表-\d{4}-\d{2}-\d{2}\.xlsx$/,
  );
  const table = new ExcelJS.Workbook();
  await table.xlsx.readFile((await progress.path()) as string);
  const tableRows = (table.worksheets[0]?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
  expect(tableRows.some((row) => row.includes('完成入户登记总数(户)'))).toBe(true);
  expect(tableRows.filter((row) => row.includes('石门坎村'))).toHaveLength(1);
});
