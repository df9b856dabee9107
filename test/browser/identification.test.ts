/**
 * 建档立卡识别 in Chromium: a village administrator files a new-identification application on a
 * 360 px phone (a wrong ID number is named beside its field first); the round is brought to its
 * first notice (survey, appraisal and notice through the callables: not under test here); the
 * public notice page opens without signing in, shows the list with names masked and takes an
 * objection from someone whose phone an SMS code verified; the village administrator answers it
 * on the round's page, and the notice's printable PDF, downloaded from that page, reads in
 * pdftotext with the list in Chinese (full names, as the village board shows them).
 *
 * On a platform of its own (`--empty`): the round and its applications would otherwise move the
 * demo township's figures and lists other tests count.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { checkCharOf } from '../../functions/src/domain/idNumber';
import { launchBrowser, phonePage, signInByPhoneOn } from '../support/browser';
import { startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';
import { call, newRequestId, signInByPhone } from '../support/platform';

const township = '520526105';
const village = '520526105201';
const phones = {
  county: '+8613812360001',
  township: '+8613812360002',
  village: '+8613812360003',
  objector: '+8613812360004',
};
const id = (first17: string) => first17 + checkCharOf(first17);
const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Filed in the browser. */
const head = { name: '龙国强', idNumber: id('52052619700101113') };
const spouse = { name: '杨秀英', idNumber: id('52052619720505224') };
/** Filed through the callable, so the notice lists more than one household. */
const others = [
  { name: '安德明', idNumber: id('52052619650909335') },
  { name: '禄正华', idNumber: id('52052619901111446') },
];

let platform: OwnPlatform;
let browser: Browser;
let webUrl = '';

beforeAll(async () => {
  platform = await startOwnPlatform(50);
  webUrl = `http://127.0.0.1:${platform.base + 3}/`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

/** A callable's answer, or the test fails with the server's refusal. */
async function must<T>(name: string, data: unknown, token: string): Promise<T> {
  const { result, error } = await call<T>(name, data, token);
  if (error)
    throw new Error(`${name}: ${error.status} ${error.message} ${JSON.stringify(error.details)}`);
  return result as T;
}

async function noOverflow(page: Page): Promise<void> {
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );
}

interface Detail {
  round: { stage: string; openObjections: number };
  applications: Array<{ id: string; headName: string; status: string }>;
  objections: Array<{ id: string; status: string; text: string }>;
  notices: Array<{ id: string; stage: string }>;
}

it('files on a phone, takes an objection on the public notice, prints the notice', async () => {
  // The staff, as a deployment begins: the first account, then appointments down to the village.
  const first = platform.admin('first', [
    '--role',
    'county_admin',
    '--region',
    '520526',
    '--phone',
    phones.county,
    '--name',
    '县管理员甲',
  ]);
  expect(first.status).toBe(0);
  const county = await signInByPhone(phones.county);
  await must(
    'appointStaff',
    {
      requestId: newRequestId(),
      phone: phones.township,
      name: '乡管理员甲',
      role: 'township_admin',
      regionCode: township,
    },
    county,
  );
  const townshipToken = await signInByPhone(phones.township);
  await must(
    'appointStaff',
    {
      requestId: newRequestId(),
      phone: phones.village,
      name: '村信息员甲',
      role: 'village_admin',
      regionCode: village,
    },
    townshipToken,
  );
  // 规模控制: the county allots the township its quota, the township the village.
  await must('setIdentificationQuota', { regionCode: township, year, quota: 5 }, county);
  await must('setIdentificationQuota', { regionCode: village, year, quota: 3 }, townshipToken);

  // 1. The village administrator files an application on a 360 px phone.
  const admin = await phonePage(browser);
  await signInByPhoneOn(admin, webUrl, phones.village);
  await admin.getByTestId('village-name').waitFor();
  await admin.getByTestId('tab-identification').click();
  const form = admin.getByTestId('application-form');
  await form.waitFor();
  await noOverflow(admin);
  await form.getByTestId('app-head-name').fill(head.name);
  // A mistyped check character: refused, and said beside the field.
  const wrongCheck = head.idNumber.slice(0, 17) + (head.idNumber.endsWith('1') ? '2' : '1');
  await form.getByTestId('app-head-id').fill(wrongCheck);
  await form.getByTestId('add-member').click();
  const member = form.getByTestId('member-row').first();
  await member.getByTestId('member-name').fill(spouse.name);
  await member.getByTestId('member-id').fill(spouse.idNumber);
  await member.getByTestId('member-relation').selectOption('spouse');
  await member.getByTestId('member-health').selectOption('chronic');
  await member.getByTestId('member-education').selectOption('primary');
  await member.getByTestId('member-labour').selectOption('partial');
  await form.getByTestId('app-income').fill('3200.50');
  await form.getByTestId('app-housing').selectOption('dangerous');
  await form.getByTestId('app-cause').selectOption('因病');
  await form
    .getByTestId('app-situation')
    .fill('妻子长期患病需要服药，家中仅一人能外出务工，住房为危房。');
  await form.getByTestId('app-submit').click();
  const headIdError = form.locator('[data-testid="field-error"][data-path="headIdNumber"]');
  await headIdError.waitFor();
  expect(await headIdError.textContent()).toContain('身份证');
  await noOverflow(admin);

  await form.getByTestId('app-head-id').fill(head.idNumber);
  await form.getByTestId('app-submit').click();
  const filed = form.getByTestId('app-result');
  await filed.waitFor();
  expect(await filed.textContent()).toContain(head.name);
  expect(await headIdError.isVisible()).toBe(false);
  const round = admin.locator(`[data-testid="round-row"][data-id="${village}_${year}_entry"]`);
  await round.waitFor();
  expect(await round.getAttribute('data-stage')).toBe('collecting');
  await noOverflow(admin);

  // 2. To the first notice through the callables (the steps this test does not walk in the page).
  const villageToken = await signInByPhone(phones.village);
  for (const other of others) {
    await must(
      'fileApplication',
      {
        requestId: newRequestId(),
        kind: 'entry',
        year,
        headName: other.name,
        headIdNumber: other.idNumber,
        members: [],
        annualIncomeFen: 250000,
        housing: 'old_but_safe',
        claimedCause: '缺劳力',
        situation: '独自生活，年老体弱，无稳定收入来源。',
        wubao: false,
        appliedOn: today,
      },
      villageToken,
    );
  }
  const roundId = `${village}_${year}_entry`;
  let detail = await must<Detail>('getIdentificationRound', { roundId }, villageToken);
  expect(detail.applications.map((application) => application.headName).sort()).toEqual(
    [head.name, ...others.map((other) => other.name)].sort(),
  );
  const agree = { agrees: true, note: '与申请相符' };
  for (const application of detail.applications) {
    await must(
      'recordSurvey',
      {
        requestId: newRequestId(),
        applicationId: application.id,
        visitedOn: today,
        findings: { income: agree, assets: agree, labour: agree, living: agree, cause: agree },
        eligible: true,
        photoIds: [],
      },
      villageToken,
    );
  }
  await must(
    'recordAppraisal',
    {
      requestId: newRequestId(),
      roundId,
      heldOn: today,
      body: 'representatives_assembly',
      present: ['罗代表', '王代表', '李代表', '张代表', '刘代表'],
      results: detail.applications.map((application, index) => ({
        applicationId: application.id,
        votesFor: 5,
        votesAgainst: 0,
        rank: index + 1,
      })),
    },
    villageToken,
  );
  const { noticeId } = await must<{ noticeId: string }>(
    'postNotice',
    {
      requestId: newRequestId(),
      roundId,
      contactPhone: '0857-6231234',
    },
    villageToken,
  );

  // 3. The public notice page, without signing in: the list with names masked, the window, the
  // township's phone, and an objection from a phone verified by SMS.
  const visitor = await phonePage(browser);
  const noticeUrl = `${webUrl}notice/${noticeId}`;
  await visitor.goto(noticeUrl);
  const notice = visitor.getByTestId('public-notice');
  await notice.waitFor();
  expect(await notice.getAttribute('data-open')).toBe('true');
  expect(await visitor.getByTestId('notice-entry').count()).toBe(3);
  const shown = (await notice.textContent()) ?? '';
  expect(shown).toContain('第一次公示');
  expect(shown).toContain('0857-6231234');
  expect(shown).not.toContain(head.name);
  expect(shown).not.toContain(head.idNumber);
  expect(shown).not.toContain(head.idNumber.slice(-4));
  expect(await visitor.getByTestId('objection-submit').isDisabled()).toBe(true);
  await noOverflow(visitor);

  await signInByPhoneOn(visitor, noticeUrl, phones.objector);
  await visitor.getByTestId('objection-verified').waitFor();
  const objection = visitor.getByTestId('objection-form');
  const target = detail.applications.find(
    (application) => application.headName === others[0]?.name,
  );
  await objection.getByTestId('objection-household').selectOption(target?.id ?? '');
  await objection
    .getByTestId('objection-text')
    .fill('该户儿子在县城开店，家里去年新盖了两层砖房，不符合贫困户条件。');
  await objection.getByTestId('objection-submit').click();
  const receipt = visitor.getByTestId('objection-receipt-number');
  await receipt.waitFor();
  expect(((await receipt.textContent()) ?? '').trim()).not.toBe('');
  await noOverflow(visitor);

  detail = await must<Detail>('getIdentificationRound', { roundId }, villageToken);
  expect(detail.round.openObjections).toBe(1);
  expect(detail.objections).toEqual([
    expect.objectContaining({ status: 'open', text: expect.stringContaining('两层砖房') }),
  ]);

  // 4. The village administrator answers it on the round's page (dismissed, with the reasons).
  await admin.goto(`${webUrl}#/round/${roundId}`);
  const row = admin.locator(`[data-testid="objection-row"][data-id="${detail.objections[0]?.id}"]`);
  await row.waitFor();
  await row
    .getByTestId('objection-reasons')
    .fill('经入户核实，该户儿子已分户另住，砖房为儿子所建，异议不成立。');
  await row.getByTestId('objection-dismiss').click();
  await admin
    .locator(
      `[data-testid="objection-row"][data-id="${detail.objections[0]?.id}"][data-status="dismissed"]`,
    )
    .waitFor();
  await noOverflow(admin);

  // 5. The printable notice, downloaded from the round's page, in a real PDF reader.
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin
      .locator(`[data-testid="notice-row"][data-id="${noticeId}"]`)
      .getByTestId('notice-pdf')
      .click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const pdf = readFileSync((await download.path()) as string);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
  expect(text).toContain('公示');
  for (const name of [head.name, ...others.map((other) => other.name)])
    expect(text).toContain(name);
  expect(text.replace(/\D/g, '')).toContain('08576231234');
  expect(text).not.toContain(head.idNumber);
}, 300_000);
