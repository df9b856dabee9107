/**
 * The township dashboard's 资金对账 card in Chromium on a phone: the villages' money by state, the
 * total, whether the figures agree, and the Excel export.
 */
import type { Browser, Page } from 'playwright-core';
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

it('shows the township’s money reconciled per village and exports it', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="township@demo.fupin.cn"]').click();
  await page.getByTestId('dashboard-region').filter({ hasText: '石门乡' }).waitFor();
  const card = page.getByTestId('reconciliation');
  await card.getByTestId('reconciliation-total').waitFor();
  expect(await card.getByTestId('reconciliation-invariants').getAttribute('data-ok')).toBe('true');
  expect(await card.getByTestId('reconciliation-row').count()).toBeGreaterThan(0);
  expect(
    await card
      .getByTestId('reconciliation-total')
      .locator('[data-column="received"]')
      .textContent(),
  ).toMatch(/^\d+ 笔[\d,]+\.\d{2} 元$/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByTestId('export-reconciliation').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^石门乡-资金对账-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await download.path()) as string);
  const sheet = book.worksheets[0];
  expect(String(sheet?.getCell('A1').value)).toContain('石门乡捐款资金对账表');
  const labels: string[] = [];
  sheet?.eachRow((row) => labels.push(String(row.getCell(2).value ?? '')));
  expect(labels).toContain('合计');
});
