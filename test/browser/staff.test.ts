/**
 * The 人员 page in Chromium on a 360 px phone. The township administrator: the village staff are
 * listed (and filtered to one village), a helper is appointed for a village (and listed), a second
 * post for the same number and a third village administrator for a village with two are refused in
 * Chinese, and the helper is removed (停用). The county: a second township administrator takes
 * seat 2 and is removed again, freeing it.
 */
import type { Browser, Locator, Page } from 'playwright-core';
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

/** A mobile number no other test uses: 139 and eight random digits. */
function freshPhone(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

async function noHorizontalOverflow(): Promise<void> {
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );
}

/** Waits until the staff list has its answer (it is busy while a page loads). */
async function listSettled(): Promise<void> {
  await page.locator('[data-testid="staff-list"][aria-busy="false"]').waitFor();
}

/** Pages on (加载更多) until `row` is listed or the list has no more. */
async function findRow(row: Locator): Promise<void> {
  await listSettled();
  for (let i = 0; i < 20 && (await row.count()) === 0; i++) {
    const more = page.getByTestId('staff-more');
    if (!(await more.isVisible())) break;
    await more.click();
    await listSettled();
  }
}

/** The row of `uid`, paging on until it is listed. */
async function rowOf(uid: string): Promise<Locator> {
  const row = page.locator(`[data-testid="staff-row"][data-uid="${uid}"]`);
  await findRow(row);
  return row;
}

/** Chooses the role, then the village (the township appoints for its villages). */
async function fillAppointment(role: string, village: string, name: string, phone: string) {
  await page.getByTestId('appoint-role').selectOption(role);
  const picker = page.locator('[data-testid="appoint-region"][data-level="village"]');
  await picker.locator(`option[value="${village}"]`).waitFor({ state: 'attached' });
  await picker.selectOption(village);
  await page.getByTestId('appoint-name').fill(name);
  await page.getByTestId('appoint-phone').fill(phone);
}

it('lists the village staff, appoints a helper, is refused a third village administrator, removes the helper', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"][data-email="township@demo.fupin.cn"]').click();
  await page.getByTestId('nav-staff').click();
  await page.getByTestId('staff-row').first().waitFor();
  await listSettled();

  // The seeded village administrators are listed with their village and status; the office's
  // own row offers no removal.
  const admin = await rowOf('demo-v01a');
  await expect(admin.getAttribute('data-role')).resolves.toBe('village_admin');
  const adminText = await admin.textContent();
  expect(adminText).toContain('村级信息管理员');
  expect(adminText).toMatch(/在岗|已停用/);
  const self = await rowOf('demo-township');
  expect(await self.getByTestId('staff-remove').count()).toBe(0);
  await noHorizontalOverflow();

  // A village whose two administrator seats are both held, as the list shows it.
  const activeAdmins = await page
    .locator('[data-testid="staff-row"][data-role="village_admin"][data-status="active"]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-region') ?? ''));
  const full = activeAdmins.find(
    (code, i) => code !== '' && activeAdmins.indexOf(code) !== i,
  ) as string;
  expect(full).toMatch(/^\d{12}$/);

  // The list of one village holds that village's staff only.
  await page.getByTestId('staff-filter').selectOption(full);
  await listSettled();
  const listed = await page
    .getByTestId('staff-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-region')));
  expect(listed.length).toBeGreaterThanOrEqual(2);
  expect(new Set(listed)).toEqual(new Set([full]));

  // A new helper for that village, the mobile number typed as people do.
  const digits = freshPhone();
  const typed = `${digits.slice(0, 3)} ${digits.slice(3, 7)}-${digits.slice(7)}`;
  await fillAppointment('helper', full, '新帮扶干部', typed);
  await page.getByTestId('appoint-submit').click();
  const result = page.getByTestId('appoint-result');
  await result.filter({ hasText: '新帮扶干部' }).waitFor();
  expect(await result.textContent()).toContain('帮扶责任人');
  expect(await result.textContent()).toContain('短信验证码');
  const helperRow = page
    .locator('[data-testid="staff-row"][data-role="helper"]')
    .filter({ hasText: '新帮扶干部' })
    .filter({ hasText: digits.slice(-4) });
  await findRow(helperRow);
  const helperUid = (await helperRow.first().getAttribute('data-uid')) ?? '';
  expect(helperUid).not.toBe('');
  const helper = await rowOf(helperUid);
  await expect(helper.getAttribute('data-status')).resolves.toBe('active');
  expect(await helper.textContent()).toContain('在岗');

  // The same person cannot hold a second post: the server's refusal, in Chinese.
  const otherVillage = activeAdmins.find((code) => code !== full) as string;
  await fillAppointment('helper', otherVillage, '新帮扶干部', digits);
  await page.getByTestId('appoint-submit').click();
  await page.getByTestId('appoint-error').filter({ hasText: '已有其他职务' }).waitFor();

  // A wrong number is refused before anything is sent.
  await fillAppointment('village_admin', full, '第三位信息员', '1391234');
  await page.getByTestId('appoint-submit').click();
  await page.getByTestId('appoint-error').filter({ hasText: '11位手机号' }).waitFor();

  // A third village administrator for a village that has two: the server's Chinese refusal.
  await page.getByTestId('appoint-phone').fill(freshPhone());
  await page.getByTestId('appoint-submit').click();
  await page.getByTestId('appoint-error').filter({ hasText: '最多 2 人' }).waitFor();
  expect(await page.locator('#toast').textContent()).toContain('最多 2 人');

  // Removing the new helper: two steps, the second saying what happens.
  await helper.getByTestId('staff-remove').click();
  const confirm = helper.getByTestId('staff-remove-confirm');
  expect(await confirm.textContent()).toContain('不能再登录');
  await noHorizontalOverflow();
  await confirm.click();
  const removed = page.locator(
    `[data-testid="staff-row"][data-uid="${helperUid}"][data-status="removed"]`,
  );
  await removed.waitFor();
  expect(await removed.textContent()).toContain('已停用');
  expect(await removed.getByTestId('staff-remove').count()).toBe(0);
  await noHorizontalOverflow();

  // Reassigned: once removed, the same person is appointed again in another village.
  await fillAppointment('helper', otherVillage, '新帮扶干部', digits);
  await page.getByTestId('appoint-submit').click();
  await result.filter({ hasText: '新帮扶干部' }).waitFor();
  await page.getByTestId('staff-filter').selectOption(otherVillage);
  await listSettled();
  await page
    .locator(
      `[data-testid="staff-row"][data-uid="${helperUid}"][data-status="active"][data-region="${otherVillage}"]`,
    )
    .waitFor();
});

it('lets the county appoint a second township administrator (seat 2, once despite a lost answer) and remove them again', async () => {
  const county = await phonePage(browser);
  await county.goto(webUrl());
  await county.locator('[data-testid="demo-account"][data-email="county@demo.fupin.cn"]').click();
  await county.getByTestId('nav-staff').click();
  await county.locator('[data-testid="staff-list"][aria-busy="false"]').waitFor();

  // The county appoints township administrators only, picking the township.
  const roles = await county.getByTestId('appoint-role').locator('option').allTextContents();
  expect(roles).toEqual(['镇级管理员']);
  const picker = county.locator('[data-testid="appoint-region"][data-level="township"]');
  await picker.locator('option[value="520526105"]').waitFor({ state: 'attached' });
  expect(await county.getByTestId('appoint-region').count()).toBe(1);
  await picker.selectOption('520526105');
  await county.getByTestId('appoint-name').fill('副站长');
  const digits = freshPhone();
  await county.getByTestId('appoint-phone').fill(`+86 ${digits}`);
  // The first answer is lost on the way back, after the server appointed: 重试 sends the same
  // request, which answers the same appointment instead of a second one (or a full township).
  let answers = 0;
  await county.route('**/appointStaff', async (route) => {
    answers += 1;
    if (answers > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await county.getByTestId('appoint-submit').click();
  await county.getByTestId('retry-button').click();
  const result = county.getByTestId('appoint-result');
  await result.filter({ hasText: '副站长' }).waitFor();
  expect(await result.textContent()).toContain('石门乡镇级管理员（第 2 席）');

  expect(answers).toBe(2);
  await county.locator('[data-testid="staff-list"][aria-busy="false"]').waitFor();
  const row = county
    .locator('[data-testid="staff-row"][data-role="township_admin"]')
    .filter({ hasText: digits.slice(-4) });
  expect(await row.count()).toBe(1);
  await row.getByTestId('staff-remove').click();
  expect(await row.getByTestId('staff-remove-confirm').textContent()).toContain('第 2 席随即空出');
  await row.getByTestId('staff-remove-confirm').click();
  await county
    .locator('[data-testid="staff-row"][data-status="removed"]')
    .filter({ hasText: digits.slice(-4) })
    .waitFor();
  await county.close();
});
