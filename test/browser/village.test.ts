/**
 * In Debian's Chromium on a 360 px phone screen: a village information administrator signs in
 * with a demo account, sees the village, registers a household and sees the figures move.
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

it('lets a village administrator sign in, see the village and register a household', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="v01a@demo.fupin.cn"]').click();
  await page.getByTestId('village-name').waitFor();
  expect(await page.getByTestId('village-name').textContent()).toBe('新街村');
  const registered = Number(await page.getByTestId('registered-count').textContent());
  const roster = Number(await page.getByTestId('roster-count').textContent());
  expect(roster).toBe(55);
  expect(await page.getByTestId('household-row').count()).toBeGreaterThan(10);

  const householdId = await page
    .locator('[data-testid="household-row"]', { has: page.getByTestId('register-button') })
    .first()
    .getAttribute('data-id');
  const row = page.locator(`[data-testid="household-row"][data-id="${householdId}"]`);
  await row.getByTestId('register-button').click();
  await page
    .getByTestId('registered-count')
    .filter({ hasText: String(registered + 1) })
    .waitFor();
  expect(await page.getByTestId('registration-rate').textContent()).toBe(
    `${(Math.round(((registered + 1) / roster) * 1000) / 10).toFixed(1)}%`,
  );
  expect(await row.getByTestId('register-button').count()).toBe(0);
  expect(await row.textContent()).toContain('已注册');

  // Nothing on the page is wider than the phone.
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  expect(width).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${process.env.FUPIN_TEST_DATA_DIR}/village.png` });
});
