/**
 * Screenshots show Chinese, not boxes: the web client's font stack finds a CJK font installed on
 * the machine (the pretest installs fonts-noto-cjk when `fc-list :lang=zh` finds none), and every
 * Han character of the first page is drawn with it, none with a fallback that lacks the glyphs.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, webUrl } from '../support/browser';

const cjkFamily = /CJK|Source Han|PingFang|YaHei|WenQuanYi|Noto Sans SC/i;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await phonePage(browser);
});
afterAll(async () => {
  await browser?.close();
});

it('draws the Chinese text of the first page with a CJK font', async () => {
  await page.goto(webUrl());
  await page.locator('[data-testid="demo-account"]').first().waitFor();
  // Mark every element whose own text is Chinese: Han characters, no Latin letters or digits.
  const marked = Number(
    await page.evaluate(`(() => {
      let count = 0;
      for (const element of document.querySelectorAll('body *')) {
        const own = [...element.childNodes]
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent)
          .join('');
        if (/\\p{Script=Han}/u.test(own) && !/[A-Za-z0-9]/.test(own))
          element.setAttribute('data-han', String(count++));
      }
      return count;
    })()`),
  );
  expect(marked).toBeGreaterThan(3);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
    nodeId: root.nodeId,
    selector: '[data-han]',
  });
  const families = new Set<string>();
  for (const nodeId of nodeIds) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    for (const font of fonts) if (font.glyphCount > 0) families.add(font.familyName);
  }
  // Without a CJK font Chromium draws these with whatever it has (DejaVu Sans here): boxes.
  expect([...families].length).toBeGreaterThan(0);
  expect([...families].filter((family) => !cjkFamily.test(family))).toEqual([]);
});
