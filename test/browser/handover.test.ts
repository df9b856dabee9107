/**
 * In Debian's Chromium on a 360 px phone: a village information administrator opens a goods
 * need's 捐助情况, records a face-to-face hand-over confirmed by both sides, and the donor's honour
 * certificate follows.
 */
import type { Browser, Page } from 'playwright-core';
import { call, idle, pledgeGoods, publishedNeedIn, signInAsDonor } from '../support/platform';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

const village = '520526105206'; // 泉发村

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

it('records a face-to-face hand-over and the donor gets a certificate', async () => {
  const need = await publishedNeedIn(village, 'goods');
  const donor = await signInAsDonor('+8613700000861', { name: '褚当面' });
  const pledged = await pledgeGoods(donor, need.id, [{ itemIndex: 0, quantity: 1 }], {
    method: 'in_person',
  });
  const donationId = pledged.result?.donationId as string;
  await idle();

  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="v06a@demo.fupin.cn"]').click();
  await page.getByTestId('village-name').waitFor();
  await page.getByTestId('tab-needs').click();
  const row = page.locator(`[data-testid="need-row"][data-id="${need.id}"]`);
  await row.getByTestId('need-donations').locator('summary').click();
  const donation = row.locator(`[data-testid="need-donation"][data-id="${donationId}"]`);
  await donation.waitFor();
  expect(await donation.textContent()).toContain('褚当面');
  expect(await donation.textContent()).toContain('当面交接');

  await donation.getByTestId('recipient-confirmed').check();
  await donation.getByTestId('donor-confirmed').check();
  await donation.getByTestId('record-handover').click();
  await row
    .locator(`[data-testid="need-donation"][data-id="${donationId}"][data-status="delivered"]`)
    .waitFor();
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );

  await idle();
  const mine = await call<{ donations: Array<{ id: string; certificateSerial: string | null }> }>(
    'listMyDonations',
    {},
    donor,
  );
  expect(mine.result?.donations.find((d) => d.id === donationId)?.certificateSerial).toMatch(
    /^FP-/,
  );
});
