/**
 * The capture form and the review queue in Chromium on a 360 px phone, as a village information
 * administrator uses them: the household found by the last four of its ID, the food-or-clothing
 * purpose asked for rather than assumed, a goods need of two items, the queue by status, a fulfilled
 * need closed in two steps; and the township looking at the same queue without any action.
 */
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { collections } from '../../functions/src/services/db';
import { adminDb } from '../support/platform';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

// 民主村 (v04): no other test captures, reviews or closes its needs.
const village = '520526105204';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function signInAs(on: Page, email: string): Promise<void> {
  await on.goto(`${webUrl()}/?at=${Date.now()}#/`);
  await on.locator(`[data-testid="demo-account"][data-email="${email}"]`).click();
}

const noWiderThanPhone = async (on: Page) =>
  expect(Number(await on.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );

/** The village's registered household sorting last: past the picker's first page. */
async function lastRegisteredHousehold() {
  const page = await adminDb()
    .collection(collections.households)
    .where('villageCode', '==', village)
    .where('registered', '==', true)
    .get();
  const doc = page.docs
    .filter((candidate) => candidate.get('status') !== 'stably_out')
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .at(-1);
  if (!doc) throw new Error(`no registered household in ${village}`);
  const secret = await adminDb().collection(collections.householdsPrivate).doc(doc.id).get();
  return {
    id: doc.id,
    headName: doc.get('headName') as string,
    idNumber: secret.get('idNumber') as string,
  };
}

it('finds the household by its last four, asks for the purpose, and submits two goods items to the queue', async () => {
  const household = await lastRegisteredHousehold();
  await signInAs(page, 'v04a@demo.fupin.cn');
  await page.getByTestId('village-name').waitFor();
  await page.getByTestId('tab-capture').click();
  const form = page.getByTestId('capture-form');

  // The picker: the last four of the ID, Enter searches (and does not send the form).
  await form.getByTestId('capture-household-search').fill(household.idNumber.slice(-4));
  await form.getByTestId('capture-household-search').press('Enter');
  await form.locator(`[data-testid="capture-household-option"][data-id="${household.id}"]`).click();
  await form
    .getByTestId('capture-household-chosen')
    .filter({ hasText: household.headName })
    .waitFor();
  expect(await page.getByTestId('capture-error').isVisible()).toBe(false);

  // 生活必需品 serves food or clothing: nothing is chosen for the collector.
  await form.locator('select[aria-label="类别"]').selectOption('necessities');
  expect(await form.getByTestId('guarantee-select').inputValue()).toBe('');
  await form.locator('select[aria-label="需求方式"]').selectOption('goods');
  const items = form.getByTestId('goods-item');
  await items.nth(0).getByTestId('goods-name').fill('棉被');
  await items.nth(0).getByTestId('goods-quantity').fill('2');
  await items.nth(0).getByTestId('goods-unit').fill('床');
  await form.getByTestId('add-goods-item').click();
  await items.nth(1).getByTestId('goods-name').fill('大米');
  await items.nth(1).getByTestId('goods-quantity').fill('50');
  await items.nth(1).getByTestId('goods-unit').fill('斤');
  // A line added by mistake goes again.
  await form.getByTestId('add-goods-item').click();
  expect(await items.count()).toBe(3);
  await items.nth(2).getByTestId('remove-goods-item').click();
  expect(await items.count()).toBe(2);

  await form.getByPlaceholder('户主身份证号码（18位）').fill(household.idNumber);
  await form
    .getByPlaceholder('需求理由（两不愁三保障范围内）')
    .fill('入冬后家中被褥单薄，口粮不足，需要棉被和大米过冬');
  await form.getByPlaceholder('管理员姓名').fill('民主村信息员甲');
  const photo = await sharp({
    create: { width: 1600, height: 1200, channels: 3, background: '#9a8b5c' },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  await page
    .getByTestId('photo-input')
    .setInputFiles({ name: 'room.jpg', mimeType: 'image/jpeg', buffer: photo });
  await form.getByTestId('photo-thumb').waitFor({ timeout: 30_000 });
  await noWiderThanPhone(page);

  // Sent without the purpose: refused on the phone, in Chinese, and nothing leaves it.
  const submissions: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/submitNeed')) submissions.push(request.url());
  });
  await page.getByTestId('submit-need').click();
  const error = page.getByTestId('capture-error');
  await error.filter({ hasText: '不愁吃' }).waitFor();
  expect(await error.textContent()).toContain('不愁穿');
  expect(submissions).toHaveLength(0);

  await form.getByTestId('guarantee-select').selectOption({ label: '不愁穿' });
  await page.getByTestId('submit-need').click();
  await page.waitForURL(/#\/needs$/);

  // The queue opens on 待审核, and the need is in it with both items.
  const filter = page.getByTestId('needs-status-filter');
  expect(await filter.locator('option:checked').textContent()).toBe('待审核');
  const row = page.locator('[data-testid="need-row"]', { hasText: household.headName }).filter({
    hasText: '棉被2床',
  });
  await row.waitFor();
  expect(await row.textContent()).toContain('大米50斤');
  expect(await row.getByTestId('need-status').textContent()).toBe('已提交');
  const stored = await adminDb()
    .collection(collections.needs)
    .doc((await row.getAttribute('data-id')) as string)
    .get();
  expect(stored.data()).toMatchObject({
    householdId: household.id,
    category: 'necessities',
    guarantee: 'clothing',
    kind: 'goods',
    items: [
      expect.objectContaining({ name: '棉被', quantity: 2, unit: '床' }),
      expect.objectContaining({ name: '大米', quantity: 50, unit: '斤' }),
    ],
  });

  // 已发布 does not hold it; 全部 does.
  await filter.selectOption({ label: '已发布' });
  await row.waitFor({ state: 'detached' });
  for (const status of await page.getByTestId('need-status').allTextContents())
    expect(status).toBe('已发布');
  await filter.selectOption({ label: '全部' });
  await row.waitFor();
  await noWiderThanPhone(page);
});

it('closes a fulfilled need after a second tap', async () => {
  const fulfilled = await adminDb()
    .collection(collections.needs)
    .where('villageCode', '==', village)
    .where('status', '==', 'fulfilled')
    .limit(1)
    .get();
  const needId = fulfilled.docs[0]?.id as string;
  expect(needId).toBeDefined();
  await page.getByTestId('tab-needs').click();
  await page.getByTestId('needs-status-filter').waitFor();
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/listNeeds')),
    page.getByTestId('needs-status-filter').selectOption({ label: '已对接/已完成' }),
  ]);
  const row = page.locator(`[data-testid="need-row"][data-id="${needId}"]`);
  await row.getByTestId('close-need').click();
  // The first tap only says what closing means.
  await row.getByTestId('close-need-confirm').waitFor();
  expect((await adminDb().collection(collections.needs).doc(needId).get()).get('status')).toBe(
    'fulfilled',
  );
  await row.getByTestId('close-need-confirm').click();
  await row.getByTestId('need-status').filter({ hasText: '已结束' }).waitFor();
  expect(await row.getByTestId('close-need').count()).toBe(0);
  expect((await adminDb().collection(collections.needs).doc(needId).get()).get('status')).toBe(
    'closed',
  );
});

it("shows the township the village's queue without any action", async () => {
  const township = await phonePage(browser);
  await signInAs(township, 'township@demo.fupin.cn');
  await township.getByTestId('dashboard-region').waitFor();
  await township.goto(`${webUrl()}#/village/${village}/needs`);
  await township.getByTestId('village-name').filter({ hasText: '民主村' }).waitFor();
  // Pages of three instead of thirty, so the village's few needs take several pages.
  await township.route('**/listNeeds', async (route) => {
    const body = route.request().postData() ?? '';
    await route.continue({ postData: body.replace('"pageSize":30', '"pageSize":3') });
  });
  await Promise.all([
    township.waitForResponse((response) => response.url().endsWith('/listNeeds')),
    township.getByTestId('needs-status-filter').selectOption({ label: '全部' }),
  ]);
  const rows = township.getByTestId('need-row');
  await township.getByTestId('needs-more').waitFor();
  expect(await rows.count()).toBe(3);
  const total = (
    await adminDb().collection(collections.needs).where('villageCode', '==', village).get()
  ).size;
  expect(total).toBeGreaterThan(6);
  while (await township.getByTestId('needs-more').isVisible()) {
    const shown = await rows.count();
    await township.getByTestId('needs-more').click();
    await rows.nth(Math.min(shown + 3, total) - 1).waitFor();
  }
  const ids = await rows.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-id')),
  );
  expect(new Set(ids).size).toBe(total);
  for (const action of [
    'start-review',
    'review-form',
    'withdraw-button',
    'confirm-receipt',
    'close-need',
    'need-donations',
  ])
    expect(await township.getByTestId(action).count()).toBe(0);
  expect(await township.getByTestId('tab-capture').count()).toBe(0);
  await noWiderThanPhone(township);
});
