/**
 * Every page of the web client at 360×640, as the role that uses it, in Debian's Chromium: no
 * horizontal overflow (the document nor any element past the right edge), no visible tap target
 * smaller than 44×44 CSS px (a checkbox or radio measured with its label), and no text in the
 * header wrapping onto a second line. A screenshot of each page is kept in
 * test-artifacts/screens/{page}.png (git-ignored) — with Debian's fonts-noto-cjk the Chinese shows.
 *
 * Reads only: it runs on the shared demo platform and changes nothing there.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signInByPhoneOn, webUrl } from '../support/browser';

const screens = path.join(__dirname, '..', '..', 'test-artifacts', 'screens');
const width = 360;
const height = 640;
const minTap = 44;
const village = '520526105201'; // the village of v01a and helper1 (新街村)

let browser: Browser;
beforeAll(async () => {
  await mkdir(screens, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    isMobile: true,
    hasTouch: true,
  });
  return context.newPage();
}

/**
 * What is wrong with the page as it shows now, one line each (empty when the layout holds).
 * Runs in the page; a string so that ts-jest's helpers never leak into the browser.
 */
const layoutProblems = `(() => {
  const width = window.innerWidth;
  const minTap = ${minTap};
  const problems = [];
  const describe = (el) => {
    const id = el.getAttribute('data-testid');
    const text = (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20);
    return el.tagName.toLowerCase() + (id ? '[' + id + ']' : '') + (text ? ' "' + text + '"' : '');
  };
  const visible = (el) => {
    if (el.closest('[hidden]')) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  // Inside a container that scrolls or clips sideways (a wide table, the tab strip) an element may
  // lie past the edge on purpose; the container itself is what must fit.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x !== 'visible') return true;
    }
    return false;
  };

  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push('page scrolls sideways: ' + root.scrollWidth + ' > ' + root.clientWidth);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || clipped(el)) continue;
    const right = el.getBoundingClientRect().right;
    if (right > width + 0.5) problems.push('past the right edge (' + Math.round(right) + '): ' + describe(el));
  }

  const targets = document.body.querySelectorAll(
    'a, button, select, summary, input[type=checkbox], input[type=radio]',
  );
  for (const el of targets) {
    if (!visible(el)) continue;
    let box = el.getBoundingClientRect();
    if (el.matches('input')) {
      const label = el.closest('label') || (el.id ? document.querySelector('label[for="' + el.id + '"]') : null);
      if (label) box = label.getBoundingClientRect();
    }
    if (box.width < minTap - 0.5 || box.height < minTap - 0.5) {
      problems.push('tap target ' + Math.round(box.width) + '×' + Math.round(box.height) + ': ' + describe(el));
    }
  }

  const header = document.querySelector('header');
  if (header) {
    const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || !visible(node.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) problems.push('header text wraps: "' + node.textContent.trim() + '"');
    }
  }
  return [...new Set(problems)];
})()`;

/** The problems each page showed, by page: every page is checked before a test fails. */
let found: Record<string, string[]> = {};
beforeEach(() => {
  found = {};
});
afterEach(() => {
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
});

/** Screenshots the page as `name` and notes its layout problems. */
async function check(page: Page, name: string): Promise<void> {
  // Fonts and late answers settle before measuring.
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(screens, `${name}.png`) });
  const problems = (await page.evaluate(layoutProblems)) as string[];
  found[name] = problems;
}

async function signInAs(page: Page, email: string): Promise<void> {
  await page.goto(webUrl());
  await page.locator(`[data-testid="demo-account"][data-email="${email}"]`).click();
  await page.getByTestId('sign-out').waitFor();
}

/** The needs tab, every status (the default shows those awaiting review, none in the seed). */
async function openNeeds(page: Page, hash: string): Promise<void> {
  await openHash(page, hash, '[data-testid="needs-status-filter"]');
  await page.getByTestId('needs-status-filter').selectOption({ label: '全部' });
  await page.getByTestId('need-row').first().waitFor();
}

async function openHash(page: Page, hash: string, ready: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator(ready).first().waitFor();
}

it('the sign-in page', async () => {
  const page = await phone();
  await page.goto(webUrl());
  await page.getByTestId('phone-input').waitFor();
  await check(page, 'login');
});

it("the village administrator's tabs", async () => {
  const page = await phone();
  await signInAs(page, 'v01a@demo.fupin.cn');
  await page.getByTestId('household-row').first().waitFor();
  await check(page, 'village-households');
  // 入户登记 opened: its form takes the row's width (it was squeezed beside the row's buttons).
  await page.getByTestId('home-visit').first().locator('summary').click();
  await page.getByTestId('visit-submit').first().waitFor();
  await page.getByTestId('home-visit').first().scrollIntoViewIfNeeded();
  await check(page, 'village-home-visit');
  await openNeeds(page, '#/needs');
  await check(page, 'village-needs');
  // 捐助情况 opened on a published need (it only lists what donors gave).
  const donations = page.getByTestId('need-donations').first();
  await donations.locator('summary').click();
  await donations.locator('li').first().waitFor();
  await donations.scrollIntoViewIfNeeded();
  await check(page, 'village-need-donations');
  await openHash(page, '#/capture', '[data-testid="capture-form"]');
  await check(page, 'village-capture');
  await openHash(page, '#/import', '[data-testid="import-file"]');
  await check(page, 'village-import');
  await openHash(page, '#/identification', '[data-testid="round-list"]');
  await check(page, 'village-identification');
  await openHash(page, '#/unification', '[data-testid="unification-report"][aria-busy="false"]');
  await check(page, 'village-unification');
});

it('a need under review: its review form takes the whole row', async () => {
  const page = await phone();
  await signInAs(page, 'v03a@demo.fupin.cn');
  await openNeeds(page, '#/needs');
  // The seed leaves one need of 团结村 under review; a platform test may have moved it meanwhile.
  const form = page.getByTestId('review-form').first();
  if ((await form.count()) === 0) {
    console.warn('layout: no need under review in 团结村, review form not checked');
    return;
  }
  await form.scrollIntoViewIfNeeded();
  await check(page, 'village-review-form');
  const row = page.locator('[data-testid="need-row"]', { has: form });
  const [formWidth, rowWidth] = await Promise.all([
    form.evaluate((el) => el.getBoundingClientRect().width),
    row.evaluate((el) => el.getBoundingClientRect().width),
  ]);
  expect(formWidth).toBeGreaterThanOrEqual(rowWidth * 0.9);
});

it("a helper's household file and sheet visit", async () => {
  const page = await phone();
  await signInAs(page, 'helper1@demo.fupin.cn');
  const householdId = await page.getByTestId('household-row').first().getAttribute('data-id');
  expect(householdId).toBeTruthy();
  await openHash(page, `#/file/${householdId}`, '[data-testid="household-file"]');
  await check(page, 'household-file');
  await openHash(page, `#/visit/${householdId}`, '[data-testid="sheet-form"]');
  await check(page, 'sheet-visit');
});

it("a donor's pages and a need's public page", async () => {
  const page = await phone();
  await signInByPhoneOn(page, webUrl(), '+8613800000001');
  await page.getByTestId('need-card').first().waitFor();
  await check(page, 'donor-browse');
  const needId = await page.getByTestId('need-card').first().getAttribute('data-id');
  await openHash(page, `#/need/${needId}`, '[data-testid="public-need"]');
  await check(page, 'public-need');
  await openHash(page, '#/mine', '[data-testid="my-donation"]');
  await check(page, 'donor-mine');
  await openHash(page, '#/profile', '[data-testid="profile-form"]');
  await check(page, 'donor-profile');
});

it('the public certificate check and notice page (no sign-in)', async () => {
  const page = await phone();
  await page.goto(`${webUrl().replace(/\/$/, '')}/verify/FP-NOT-A-SERIAL`);
  await page.getByTestId('verify-status').waitFor();
  await check(page, 'verify');
  // A notice needs a round carried to its 公示 (identification.test.ts does so on its own
  // platform); here the page is seen as it answers an id it does not know.
  await page.goto(`${webUrl().replace(/\/$/, '')}/notice/no-such-notice`);
  await page.getByTestId('notice-not-found').waitFor();
  await check(page, 'notice-not-found');
});

it("the township's dashboard, staff page and a village seen read-only", async () => {
  const page = await phone();
  await signInAs(page, 'township@demo.fupin.cn');
  await page.getByTestId('dashboard-row').first().waitFor();
  await check(page, 'township-dashboard');
  await openHash(page, '#/staff', '[data-testid="staff-list"][aria-busy="false"]');
  await check(page, 'staff');
  await openHash(page, `#/village/${village}/households`, '[data-testid="household-row"]');
  await check(page, 'office-village-households');
  await openNeeds(page, `#/village/${village}/needs`);
  await check(page, 'office-village-needs');
});

it("the county's and the operators' dashboards", async () => {
  const county = await phone();
  await signInAs(county, 'county@demo.fupin.cn');
  await county.getByTestId('dashboard-row').first().waitFor();
  await check(county, 'county-dashboard');
  const ops = await phone();
  await signInAs(ops, 'ops@demo.fupin.cn');
  await ops.getByTestId('dashboard-row').first().waitFor();
  await check(ops, 'ops-dashboard');
});
