/**
 * In Debian's Chromium on a 360 px phone: a village information administrator opens a goods
 * need's 捐助情况, sees the face-to-face donor's phone and records that the household received the
 * goods; the donor, in 我的捐助, sees where to meet and confirms the hand-over with their own tap;
 * the donation is delivered and the donor's honour certificate follows.
 */
import type { Browser, Page } from 'playwright-core';
import { call, idle, pledgeGoods, publishedNeedIn, signInAsDonor } from '../support/platform';
import { launchBrowser, phonePage, webUrl, signInByPhoneOn } from '../support/browser';

const village = '520526105206'; // 泉发村
const phone = '+8613700000861';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

const narrow = async (on: Page) =>
  expect(Number(await on.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );

it('records a face-to-face hand-over confirmed by both sides and the donor gets a certificate', async () => {
  const need = await publishedNeedIn(village, 'goods');
  const donor = await signInAsDonor(phone, { name: '褚当面' });
  const pledged = await pledgeGoods(donor, need.id, [{ itemIndex: 0, quantity: 1 }], {
    method: 'in_person',
  });
  const donationId = pledged.result?.donationId as string;
  await idle();

  // The village side: the donor's phone on request, then the household's receipt.
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="v06a@demo.fupin.cn"]').click();
  await page.getByTestId('village-name').waitFor();
  await page.getByTestId('tab-needs').click();
  await page.getByTestId('needs-status-filter').selectOption({ label: '全部' });
  const row = page.locator(`[data-testid="need-row"][data-id="${need.id}"]`);
  await row.getByTestId('need-donations').locator('summary').click();
  const donation = row.locator(`[data-testid="need-donation"][data-id="${donationId}"]`);
  await donation.waitFor();
  expect(await donation.textContent()).toContain('褚当面');
  expect(await donation.textContent()).toContain('当面交接');
  expect(await donation.getByTestId('donor-confirmed').count()).toBe(0);
  await donation.getByTestId('donor-contact-open').click();
  await donation.getByTestId('donor-contact').getByText('13700000861').waitFor();

  await donation.getByTestId('recipient-confirmed').check();
  await donation.getByTestId('record-handover').click();
  await row
    .locator(`[data-testid="need-donation"][data-id="${donationId}"][data-status="shipped"]`)
    .getByText('等待捐赠人')
    .waitFor();
  await narrow(page);

  // The donor side, on their own phone: where to meet, and their own confirmation.
  const donorPage = await phonePage(browser);
  await signInByPhoneOn(donorPage, webUrl(), phone);
  await donorPage.getByTestId('nav-mine').click();
  const mine = donorPage.locator(`[data-testid="my-donation"][data-id="${donationId}"]`);
  await mine.waitFor();
  expect(await mine.getByTestId('handover-state').textContent()).toContain('请您点击');
  await mine.getByTestId('goods-contact-open').click();
  await mine.getByTestId('receiving-address').getByText('泉发村村民委员会').waitFor();
  expect(await mine.getByTestId('receiving-contact').textContent()).toContain('0857-6206000');
  await narrow(donorPage);
  donorPage.once('dialog', (dialog) => void dialog.accept());
  await mine.getByTestId('confirm-handover').click();
  await donorPage
    .locator(`[data-testid="my-donation"][data-id="${donationId}"][data-status="delivered"]`)
    .waitFor();
  await narrow(donorPage);

  await idle();
  const listed = await call<{
    donations: Array<{ id: string; certificateSerial: string | null }>;
  }>('listMyDonations', {}, donor);
  expect(listed.result?.donations.find((d) => d.id === donationId)?.certificateSerial).toMatch(
    /^FP-/,
  );
});
