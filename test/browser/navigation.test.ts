/**
 * On a weak signal a village administrator taps 建档立卡户 and, before its answer comes, 需求审核:
 * the late 建档立卡户 answer must not replace the review queue they are looking at.
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

it('drops a slow answer for a tab the user has already left', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="v01a@demo.fupin.cn"]').click();
  await page.getByTestId('village-name').waitFor();
  await page.getByTestId('tab-needs').click();
  await page.locator('[data-testid="tab-needs"].active').waitFor();

  // Only the 建档立卡户 list (50 a page) is slowed: the review queue asks for one household.
  let held = 0;
  await page.route('**/getVillageOverview', async (route) => {
    if (
      route.request().method() === 'POST' &&
      /"pageSize":50\b/.test(route.request().postData() ?? '')
    ) {
      held += 1;
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }
    await route.continue();
  });
  const slowAnswer = page.waitForResponse(
    (response) =>
      response.url().endsWith('/getVillageOverview') &&
      /"pageSize":50\b/.test(response.request().postData() ?? ''),
    { timeout: 20_000 },
  );
  await page.getByTestId('tab-households').click();
  await page.getByTestId('tab-needs').click();
  await page.locator('[data-testid="tab-needs"].active').waitFor();
  await slowAnswer;
  expect(held).toBe(1);
  // Time for the late answer to be drawn, had it been going to be.
  await page.waitForTimeout(1000);
  expect(await page.locator('[data-testid="tab-needs"].active').count()).toBe(1);
  expect(await page.getByTestId('household-row').count()).toBe(0);
  await page.unroute('**/getVillageOverview');

  // The user going back to 建档立卡户 still gets it.
  await page.getByTestId('tab-households').click();
  await page.getByTestId('household-row').first().waitFor();
  expect(await page.locator('[data-testid="tab-households"].active').count()).toBe(1);
});
