/**
 * The village a donor registered through (annex 4 of seed 000), in Chromium on a 360 px phone: a
 * new donor picks 贵州省 → … → 石门乡 → 开阳村 on 我的资料, saves, reloads and still sees it; saving
 * again keeps it; the village's 爱心人士注册统计表 lists the donor; 清除 takes it off.
 */
import type { Browser, Page } from 'playwright-core';
import { collections } from '../../functions/src/services/db';
import { adminDb, call, csvRowsOf, signIn } from '../support/platform';
import { launchBrowser, phonePage, webUrl, signInByPhoneOn } from '../support/browser';

const village = '520526105209'; // 开阳村 (v09): no other test counts its donor registrations
// A number no other test uses: the first sign-in registers it.
const phone = `+86136000014${String(Date.now() % 100).padStart(2, '0')}`;
const donorName = '开阳村注册测试者';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function signUpByPhone(): Promise<void> {
  await signInByPhoneOn(page, webUrl(), phone);
  await page.getByTestId('nav-browse').waitFor();
}

const villageSelect = (level: string) =>
  page.locator(`[data-testid="profile-village-select"][data-level="${level}"]`);

async function pickRegion(level: string, name: string): Promise<void> {
  await villageSelect(level).selectOption({ label: name });
}

/** The village's registration table as its administrator exports it: [name, unit, phone] rows. */
async function villageRegistry(): Promise<string[][]> {
  const { result, error } = await call<{ dataBase64: string }>(
    'exportDonorRegistry',
    { regionCode: village, format: 'csv' },
    await signIn('v09a@demo.fupin.cn'),
  );
  expect(error).toBeUndefined();
  return csvRowsOf(result?.dataBase64 as string)
    .slice(2)
    .map((row) => row.slice(1));
}

async function saveProfile(): Promise<void> {
  await page.getByTestId('profile-save').click();
  await page.locator('#toast', { hasText: '资料已保存' }).waitFor();
  // The next check reads what was just saved, not the toast of an earlier save.
  await page.evaluate("document.getElementById('toast').hidden = true");
}

it('keeps the village a donor registered through, and the village’s table lists the donor', async () => {
  await signUpByPhone();
  await page.getByTestId('nav-profile').click();
  await page.getByTestId('profile-name').fill(donorName);
  await pickRegion('province', '贵州省');
  await pickRegion('city', '毕节市');
  await pickRegion('county', '威宁彝族回族苗族自治县');
  await pickRegion('township', '石门乡');
  await pickRegion('village', '开阳村');
  await page.getByTestId('profile-village-name').filter({ hasText: '开阳村' }).waitFor();
  await saveProfile();

  // A fresh load of 我的资料: the saved village is shown by name, its selects opened on it.
  await page.goto(`${webUrl()}/?at=${Date.now()}#/profile`);
  await page
    .getByTestId('profile-village-name')
    .filter({ hasText: '贵州省毕节市威宁彝族回族苗族自治县石门乡开阳村' })
    .waitFor();
  expect(await villageSelect('village').inputValue()).toBe(village);
  expect(await villageSelect('township').inputValue()).toBe(village.slice(0, 9));
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );
  await page.screenshot({
    path: `${process.env.FUPIN_TEST_DATA_DIR}/profile-village.png`,
    fullPage: true,
  });

  // Saving the profile again (a new unit) keeps the village: it used to be deleted.
  await page.getByTestId('profile-unit').fill('开阳村合作社');
  await saveProfile();
  const stored = (
    await adminDb().collection(collections.donors).where('phone', '==', phone).limit(1).get()
  ).docs[0];
  expect(stored?.get('villageCode')).toBe(village);
  expect(stored?.get('townshipCode')).toBe(village.slice(0, 9));

  // The village administrator's 爱心人士注册统计表 lists the donor, the phone masked.
  expect(await villageRegistry()).toContainEqual([
    donorName,
    '开阳村合作社',
    `${phone.slice(3, 6)}****${phone.slice(-4)}`,
  ]);

  // 清除: no village, and the table no longer lists the donor.
  await page.getByTestId('profile-village-clear').click();
  await page.getByTestId('profile-village-name').filter({ hasText: '未选择' }).waitFor();
  expect(await villageSelect('village').count()).toBe(0);
  await saveProfile();
  await page.goto(`${webUrl()}/?at=${Date.now()}#/profile`);
  await page.getByTestId('profile-village-name').filter({ hasText: '未选择' }).waitFor();
  expect((await villageRegistry()).some((row) => row[0] === donorName)).toBe(false);
});
