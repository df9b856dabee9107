/**
 * What an office does from its dashboard, in Chromium on a 360 px phone: the township
 * administrator opens a village from its row and exports the township's 爱心人士注册统计表 with a
 * donor registered through one of its villages; ops refunds a donation with a reason, after a
 * second step that says what follows.
 */
import type { Browser, Page } from 'playwright-core';
import { collections } from '../../functions/src/services/db';
import { adminDb, call, idle, newRequestId, payPledge, signInAsDonor } from '../support/platform';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

const village = '520526105205'; // 年丰村 (v05): no other test counts its donor registrations
// 开阳村 (v09): its one published money need (20,000 yuan) is given to by no other test.
const refundVillage = '520526105209';
// Numbers no other test uses: the first sign-in registers them.
const suffix = String(Date.now() % 100).padStart(2, '0');
const registeredPhone = `+86136000015${suffix}`;
const refundedPhone = `+86136000016${suffix}`;
const donorName = '年丰村注册测试者';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function signInAs(email: string): Promise<void> {
  await page.goto(`${webUrl()}/?at=${Date.now()}#/`);
  await page.locator(`[data-testid="demo-account"][data-email="${email}"]`).click();
}

async function signOut(): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('demo-account').first().waitFor();
}

const noWiderThanPhone = async () =>
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );

it('opens a village from the township’s dashboard and exports its donor registration table', async () => {
  await signInAsDonor(registeredPhone, {
    name: donorName,
    unit: '年丰种植合作社',
    villageCode: village,
  });

  await signInAs('township@demo.fupin.cn');
  await page.getByTestId('dashboard-region').filter({ hasText: '石门乡' }).waitFor();
  await noWiderThanPhone();
  await page.screenshot({
    path: `${process.env.FUPIN_TEST_DATA_DIR}/township-dashboard.png`,
    fullPage: true,
  });

  // The township's table: every village's donors, phones in full for the township office.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-donor-registry').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^石门乡爱心人士注册统计表-\d{4}-\d{2}-\d{2}\.xlsx$/,
  );
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await download.path()) as string);
  const rows = (book.worksheets[0]?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
  expect(
    rows.some(
      (row) =>
        row.includes(donorName) &&
        row.includes('年丰种植合作社') &&
        row.includes(registeredPhone.replace('+86', '')),
    ),
  ).toBe(true);

  // A village row opens the village itself, not another dashboard.
  const row = page.locator(`[data-testid="dashboard-row"][data-code="${village}"]`);
  const link = row.getByTestId('dashboard-village-link');
  expect(await link.getAttribute('href')).toBe(`#/village/${village}`);
  await link.click();
  await page.waitForURL(new RegExp(`#/village/${village}$`));
  await page.getByTestId('village-name').filter({ hasText: '年丰村' }).waitFor();
  expect(await page.getByTestId('page-error').count()).toBe(0);
  await signOut();
});

it('lets ops refund a donation with a reason after saying what follows', async () => {
  // A donation of this test's own: one yuan to a money need of 开阳村 that it does not cover.
  const donor = await signInAsDonor(refundedPhone, { name: '退款测试者' });
  const needs = await adminDb()
    .collection(collections.needs)
    .where('villageCode', '==', refundVillage)
    .where('status', '==', 'published')
    .get();
  const need = needs.docs.find(
    (doc) =>
      doc.get('kind') === 'money' &&
      Number(doc.get('amountFen')) -
        Number(doc.get('raisedFen') ?? 0) -
        Number(doc.get('heldFen') ?? 0) >
        100,
  );
  expect(need).toBeDefined();
  const donated = await call<{ donationId: string }>(
    'donate',
    { requestId: newRequestId(), needId: need?.id, amountFen: 100 },
    donor,
  );
  expect(donated.error).toBeUndefined();
  await idle();
  const donationId = donated.result?.donationId as string;
  const donation = adminDb().collection(collections.donations).doc(donationId);
  // Only money that arrived can be refunded: the donor pays the pledge in the payment sandbox.
  expect(await payPledge(donor, donationId)).toBe('received');
  expect((await donation.get()).get('status')).toBe('received');
  const raisedBefore = Number((await need?.ref.get())?.get('raisedFen') ?? 0);

  await signInAs('ops@demo.fupin.cn');
  const form = page.getByTestId('refund-form');
  await form.waitFor();

  // An unknown donation is told in Chinese.
  await page.getByTestId('refund-donation-id').fill('no-such-donation');
  await page.getByTestId('refund-submit').click();
  await page.getByTestId('refund-confirm').click();
  await page.getByTestId('refund-result').filter({ hasText: '没有编号为' }).waitFor();

  await page.getByTestId('refund-donation-id').fill(donationId);
  await page.getByTestId('refund-reason').selectOption({ label: '捐款已退回捐助人' });
  await page.getByTestId('refund-submit').click();
  // The second step says what follows before anything is sent.
  await page.getByTestId('refund-confirm').waitFor();
  expect(await page.getByTestId('refund-consequence').textContent()).toContain('荣誉证书作废');
  expect((await donation.get()).get('status')).toBe('received');
  await noWiderThanPhone();
  await page.screenshot({
    path: `${process.env.FUPIN_TEST_DATA_DIR}/refund-confirm.png`,
    fullPage: true,
  });
  await page.getByTestId('refund-confirm').click();
  const result = page.getByTestId('refund-result').filter({ hasText: '已退款' });
  await result.waitFor();
  expect(await result.textContent()).toContain(donationId);
  await noWiderThanPhone();

  await idle();
  const refunded = await donation.get();
  expect(refunded.get('status')).toBe('refunded');
  expect(refunded.get('refundReason')).toBe('donation_refunded');
  expect(Number((await need?.ref.get())?.get('raisedFen') ?? 0)).toBe(raisedBefore - 100);
});
