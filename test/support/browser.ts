/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, sandbox off
 * (tests run as root), and background networking off (this machine reaches no Google host).
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized page (360 px wide, as on the cheap Android phones village cadres use). */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    isMobile: true,
    hasTouch: true,
  });
  return context.newPage();
}

export const webUrl = (): string => process.env.FUPIN_WEB_URL as string;

/**
 * Pays a pledged money gift in the local payment sandbox as a donor does: 去支付宝支付 on the
 * page, 确认支付 on the sandbox's cashier page, and back to 我的捐助 by the order's return URL.
 */
export async function payInSandbox(page: Page, donationId: string): Promise<void> {
  await page.locator(`[data-testid="pay-button"][data-donation-id="${donationId}"]`).click();
  const pay = page.locator('[data-testid="sandbox-pay"]');
  await pay.waitFor({ timeout: 30_000 });
  await pay.click();
  await page.waitForURL(/#\/mine$/, { timeout: 30_000 });
}

/**
 * Signs in on the 手机号登录 form at `url` as a person would: the number (E.164 or as typed),
 * 获取验证码, and the code the local platform shows in place of an SMS.
 */
export async function signInByPhoneOn(page: Page, url: string, phone: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('phone-input').fill(phone.replace(/^\+86/, ''));
  await page.getByTestId('phone-send').click();
  const hint = page.getByTestId('demo-code').filter({ hasText: '本地演示验证码：' });
  await hint.waitFor();
  const code = /(\d{6})/.exec((await hint.textContent()) ?? '')?.[1];
  if (!code) throw new Error('the sign-in page showed no demo code');
  await page.getByTestId('code-input').fill(code);
  await page.getByTestId('phone-sign-in').click();
}
