/**
 * 入户核实《贫困户信息表》 in Chromium on a 360 px phone, on weak signal: a helper opens a
 * household's information sheet, corrects a member's health (kept on the phone across a reload),
 * loses the network, corrects the income and collects three signatures drawn on the phone, and
 * submits: the page says the visit is kept and will be sent. Back online, it is sent by itself and
 * the corrections arrive once — one visit, exactly the two changes. The household's file then
 * shows them. Also: a visit refused because the file changed meanwhile reopens the sheet; the
 * township's card year, progress footer and exports; the village marking corrections entered,
 * printing a household's file and writing its handbook; what a helper is not shown; a first visit
 * offline with a new member and a photo of the signed paper sheet uploaded once online.
 *
 * Its own platform (started `--empty`): the visit moves the year's progress counts and the
 * 三统一 report, which the shared platform's tests count for the demo township.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Browser, Download, Page } from 'playwright-core';
import { checkCharOf } from '../../functions/src/domain/idNumber';
import { launchBrowser, phonePage, signInByPhoneOn } from '../support/browser';
import { header as rosterHeader } from '../support/rosterFiles';
import { startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';
import { adminDb, call, newRequestId, signInByPhone } from '../support/platform';

const village = '520526105201';
const phones = {
  township: '+8613812360002',
  villageAdmin: '+8613812360003',
  helper: '+8613812360005',
};
const helperName = '吴核实';
const id = (first17: string) => first17 + checkCharOf(first17);
const head = { name: '陆家福', idNumber: id('52052619680303113') };
const out = { name: '陆家贵', idNumber: id('52052619720606115') };
let outId = '';
const members = [
  { name: '陈秀兰', idNumber: id('52052619700408222'), relation: 'spouse' },
  { name: '陆小军', idNumber: id('52052620080912131'), relation: 'child' },
] as const;

let platform: OwnPlatform;
let browser: Browser;
let webUrl = '';
let householdId = '';
let firstVisitId = '';

async function ok<T>(promise: Promise<{ result?: T; error?: { message?: string } }>): Promise<T> {
  const { result, error } = await promise;
  if (error || result === undefined) throw new Error(error?.message ?? 'no result');
  return result;
}

beforeAll(async () => {
  platform = await startOwnPlatform(60);
  webUrl = `http://127.0.0.1:${platform.base + 3}/`;
  browser = await launchBrowser();

  // The township, its village administrator and a helper; a roster naming the helper.
  const first = platform.admin('first', [
    '--role',
    'township_admin',
    '--region',
    village.slice(0, 9),
    '--phone',
    phones.township,
    '--name',
    '乡管理员甲',
  ]);
  expect(first.status).toBe(0);
  const township = await signInByPhone(phones.township);
  for (const [role, name, phone] of [
    ['village_admin', '村信息员甲', phones.villageAdmin],
    ['helper', helperName, phones.helper],
  ] as const) {
    await ok(
      call(
        'appointStaff',
        { requestId: newRequestId(), phone, name, role, regionCode: village },
        township,
      ),
    );
  }
  const villageAdmin = await signInByPhone(phones.villageAdmin);
  const csv = [
    [...rosterHeader, '帮扶责任人联系电话'].join(','),
    [
      head.name,
      head.idNumber,
      '威宁县石门乡新街村3组8号',
      '3',
      '因病',
      '3000',
      '未脱贫',
      helperName,
      phones.helper.slice(3),
    ].join(','),
    [
      out.name,
      out.idNumber,
      '威宁县石门乡新街村3组9号',
      '2',
      '缺技术',
      '5200',
      '2019年脱贫',
      helperName,
      phones.helper.slice(3),
    ].join(','),
  ].join('\n');
  await ok(
    call(
      'importRoster',
      {
        requestId: newRequestId(),
        format: 'csv',
        dataBase64: Buffer.from(csv).toString('base64'),
      },
      villageAdmin,
    ),
  );
  const households = await adminDb()
    .collection('households')
    .where('villageCode', '==', village)
    .get();
  householdId = households.docs.find((doc) => doc.get('headName') === head.name)?.id as string;
  outId = households.docs.find((doc) => doc.get('headName') === out.name)?.id as string;
  expect(householdId).toBeTruthy();

  // The first visit, by the callable: the helper typed the members' ID numbers then.
  const helper = await signInByPhone(phones.helper);
  const visit = await ok(
    call<{ visitId: string; revision: number }>(
      'recordSheetVisit',
      {
        requestId: newRequestId(),
        householdId,
        visitedOn: '2026-11-02',
        baseRevision: 0,
        sheet: {
          members: members.map((member) => ({
            ...member,
            health: 'healthy',
            education: member.relation === 'child' ? 'in_school' : 'primary',
            labour: member.relation === 'child' ? 'none' : 'full',
          })),
          living: {
            enoughFood: true,
            enoughClothing: true,
            schooling: true,
            medicalInsurance: true,
            safeHousing: true,
            safeWater: true,
            electricity: true,
            road: false,
          },
          income: { wage: 600000, business: 200000, property: 0, transfer: 100000 },
          causes: ['因病'],
        },
        confirmations: {
          household: { kind: 'none' },
          helper: { kind: 'none' },
          cadre: { kind: 'none' },
        },
      },
      helper,
    ),
  );
  firstVisitId = visit.visitId;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

async function noWiderThanPhone(page: Page) {
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
    360,
  );
}

/** A short stroke across a signature canvas, as a finger draws it. */
async function sign(page: Page, party: string) {
  const canvas = page.getByTestId(`signature-${party}`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error(`no signature box for ${party}`);
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++) {
    await page.mouse.move(box.x + 20 + step * 30, box.y + box.height / 2 + (step % 2 ? -15 : 15));
  }
  await page.mouse.up();
}

const visitsOf = async () =>
  (await adminDb().collection('sheetVisits').where('householdId', '==', householdId).get()).docs;
const changesOf = async (visitId: string) =>
  (await adminDb().collection('householdFileChanges').where('visitId', '==', visitId).get()).docs;

it('keeps a sheet corrected offline on the phone and sends it once when the network returns', async () => {
  const page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phones.helper);
  const row = page.locator(`[data-testid="household-row"][data-id="${householdId}"]`);
  await row.waitFor();
  // The helper's row offers the file and the sheet visit, not the old checkbox record.
  expect(await row.getByTestId('home-visit').count()).toBe(0);
  await row.getByTestId('open-sheet-visit').click();
  const form = page.getByTestId('sheet-form');
  await form.waitFor();
  expect(await form.getAttribute('data-revision')).toBe('1');
  expect(await page.getByTestId('sheet-head').textContent()).toBe(head.name);
  // Members come by their last four: the phone never holds their full ID numbers.
  const memberBoxes = page.getByTestId('sheet-member');
  expect(await memberBoxes.count()).toBe(2);
  expect(await page.getByTestId('sheet-member-id').count()).toBe(0);
  expect(await page.content()).not.toContain(members[0].idNumber);

  // The spouse fell ill: corrected, and still there after a reload (the draft is on the phone).
  await memberBoxes.nth(0).getByTestId('sheet-member-health').selectOption('chronic');
  await page.reload();
  await form.waitFor();
  expect(
    await page.getByTestId('sheet-member').nth(0).getByTestId('sheet-member-health').inputValue(),
  ).toBe('chronic');

  // The signal goes. The income is corrected and the three parties sign on the phone.
  await page.context().setOffline(true);
  await page.getByTestId('sheet-income-wage').fill('8000');
  for (const party of ['household', 'helper', 'cadre']) await sign(page, party);
  await noWiderThanPhone(page);
  await page.getByTestId('sheet-submit').click();
  const status = page.getByTestId('sheet-status');
  await page.locator('[data-testid="sheet-status"][data-state="kept"]').waitFor();
  expect(await status.textContent()).toContain('网络恢复后会自动发送');
  // Nothing reached the server meanwhile.
  expect(await visitsOf()).toHaveLength(1);
  // Leaving and coming back to the sheet, still offline, shows the kept visit, not an empty form.
  await page.evaluate("location.hash = '#/households'");
  await page.getByTestId('page-error').waitFor();
  await page.evaluate(`location.hash = '#/visit/${householdId}'`);
  await page.locator('[data-testid="sheet-status"][data-state="kept"]').waitFor();
  expect(await page.getByTestId('sheet-form').count()).toBe(0);

  // Back online: sent by itself, once.
  await page.context().setOffline(false);
  await page
    .locator('[data-testid="sheet-status"][data-state="sent"]')
    .waitFor({ timeout: 30_000 });
  expect(await status.textContent()).toContain('记录更正 2 处');
  expect(await status.textContent()).toContain('三方已确认');

  // Another loss and return of the signal sends nothing again.
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await page.waitForTimeout(1500);
  const visits = await visitsOf();
  expect(visits).toHaveLength(2);
  const visit = visits.find((doc) => doc.id !== firstVisitId);
  expect(visit?.get('changes')).toBe(2);
  expect(visit?.get('confirmations.household.kind')).toBe('signature');
  const changes = (await changesOf(visit?.id as string)).map((doc) => ({
    field: doc.get('field') as string,
    old: doc.get('old') as string,
    new: doc.get('new') as string,
  }));
  expect(changes.sort((a, b) => a.field.localeCompare(b.field))).toEqual([
    { field: 'income.wage', old: '6000元', new: '8000元' },
    {
      field: `members.${members[0].idNumber.slice(-4)}.health`,
      old: '健康',
      new: '长期慢性病',
    },
  ]);
  const year = (await adminDb().collection('homeVisits').doc(`${householdId}_2026`).get()).data();
  expect(year).toMatchObject({ corrected: true, completed: true });

  // The file shows the corrections and the visit with its three signatures.
  await page.getByTestId('sheet-open-file').click();
  await page.getByTestId('household-file').waitFor();
  expect(await page.getByTestId('file-change').count()).toBeGreaterThanOrEqual(2);
  await page
    .locator('[data-testid="file-change"][data-field="income.wage"]')
    .filter({ hasText: '6000元 → 8000元' })
    .waitFor();
  expect(await page.getByTestId('file-visit').count()).toBe(2);
  expect(await page.getByTestId('file-income-wage').textContent()).toContain('8,000');
  await noWiderThanPhone(page);
}, 180_000);

/** The bytes of a file the page downloaded after `click`. */
async function downloaded(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [
    Download,
    void,
  ];
  return {
    name: download.suggestedFilename(),
    bytes: await readFile((await download.path()) as string),
  };
}

it('reopens the sheet, and says so, when another visit changed the file first', async () => {
  const page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phones.helper);
  await page.locator(`[data-testid="household-row"][data-id="${householdId}"]`).waitFor();
  await page.goto(`${webUrl}#/visit/${householdId}`);
  const form = page.getByTestId('sheet-form');
  await form.waitFor();
  const opened = Number(await form.getAttribute('data-revision'));

  // Meanwhile the village administrator records a visit of their own.
  const admin = await signInByPhone(phones.villageAdmin);
  const file = await ok(call<{ revision: number }>('getHouseholdFile', { householdId }, admin));
  expect(file.revision).toBe(opened);
  const fileMembers = (
    await ok(
      call<{ members: Array<Record<string, unknown>> }>('getHouseholdFile', { householdId }, admin),
    )
  ).members;
  await ok(
    call(
      'recordSheetVisit',
      {
        requestId: newRequestId(),
        householdId,
        visitedOn: '2026-11-30',
        baseRevision: opened,
        sheet: {
          members: fileMembers.map((member, index) => ({
            name: member.name,
            relation: member.relation,
            health: member.health,
            education: member.education,
            labour: member.labour,
            existing: index,
          })),
          living: {
            enoughFood: true,
            enoughClothing: true,
            schooling: true,
            medicalInsurance: true,
            safeHousing: true,
            safeWater: true,
            electricity: true,
            road: true,
          },
          income: { wage: 800000, business: 200000, property: 0, transfer: 100000 },
          causes: ['因病'],
        },
        confirmations: {
          household: { kind: 'none' },
          helper: { kind: 'none' },
          cadre: { kind: 'none' },
        },
      },
      admin,
    ),
  );

  await page.getByTestId('sheet-income-transfer').fill('1500');
  for (const party of ['household', 'helper', 'cadre']) {
    await page.getByTestId(`sheet-confirm-${party}`).selectOption('none');
  }
  await page.getByTestId('sheet-submit').click();
  await page.getByTestId('sheet-status').filter({ hasText: '已被他人更新' }).waitFor();
  await page.locator(`[data-testid="sheet-form"][data-revision="${opened + 1}"]`).waitFor();
  // The sheet shown is the file as the other visit left it (the road is now checked).
  expect(await page.getByTestId('sheet-living-road').isChecked()).toBe(true);
  expect(await page.getByTestId('sheet-income-transfer').inputValue()).toBe('1000');
}, 120_000);

it("gives the township the card year, the progress form's footer and its exports, and the village's cards", async () => {
  const page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phones.township);
  const tools = page.getByTestId('township-file-tools');
  await tools.waitFor();
  await noWiderThanPhone(page);

  await tools.getByTestId('card-year').fill('2019');
  await tools.getByTestId('card-year-save').click();
  await page.locator('#toast').filter({ hasText: '2019' }).waitFor();
  expect(
    (await adminDb().collection('townshipSettings').doc(village.slice(0, 9)).get()).get('cardYear'),
  ).toBe(2019);

  await tools.getByTestId('progress-reviewer').fill('王审核');
  await tools.getByTestId('progress-filler').fill('李填报');
  await tools.getByTestId('progress-contact').fill('0857-6231234');
  await tools.getByTestId('progress-summary').fill('全乡已完成入户核实，个别户待补签字。');
  await tools.getByTestId('progress-save').click();
  await page.locator('#toast').filter({ hasText: '已保存' }).waitFor();
  const pdf = await downloaded(page, () => tools.getByTestId('export-progress-pdf').click());
  expect(pdf.name).toMatch(/\.pdf$/);
  expect(pdf.bytes.subarray(0, 4).toString()).toBe('%PDF');
  const xlsx = await downloaded(page, () => tools.getByTestId('export-progress-xlsx').click());
  expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');

  await tools.getByTestId('contact-cards-village').selectOption(village);
  const cards = await downloaded(page, () => tools.getByTestId('export-contact-cards').click());
  expect(cards.bytes.subarray(0, 4).toString()).toBe('%PDF');

  // The village's 三统一 report, read-only for the township.
  await page.goto(`${webUrl}#/village/${village}/unification`);
  await page.locator('[data-testid="unification-report"][aria-busy="false"]').waitFor();
  expect(await page.getByTestId('unification-row').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('mark-entered').count()).toBe(0);
  expect(await page.getByTestId('pending-change-check').count()).toBe(0);
}, 120_000);

it('lets the village administrator mark corrections entered, print the file, record its distribution and write the handbook', async () => {
  const page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phones.villageAdmin);
  await page.getByTestId('tab-unification').click();
  const report = page.locator('[data-testid="unification-report"][aria-busy="false"]');
  await report.waitFor();
  const pending = Number(await page.getByTestId('unification-pending').textContent());
  const stored = await adminDb()
    .collection('householdFileChanges')
    .where('householdId', '==', householdId)
    .get();
  expect(pending).toBe(stored.size);
  const checks = page.getByTestId('pending-change-check');
  expect(await checks.count()).toBe(stored.size);
  for (const check of await checks.all()) await check.check();
  await page.getByTestId('mark-entered').click();
  await page.locator('[data-testid="unification-pending"]', { hasText: /^0$/ }).waitFor();
  const after = await adminDb()
    .collection('householdFileChanges')
    .where('householdId', '==', householdId)
    .get();
  expect(after.docs.every((doc) => doc.get('entered') === true)).toBe(true);
  const sheet = await downloaded(page, () => page.getByTestId('export-unification-xlsx').click());
  expect(sheet.bytes.subarray(0, 2).toString()).toBe('PK');
  await noWiderThanPhone(page);

  // The household out in the card year carries a red card; its printables and distribution.
  await page.goto(`${webUrl}#/file/${outId}`);
  await page.getByTestId('household-file').waitFor();
  expect(await page.getByTestId('file-card').getAttribute('data-colour')).toBe('red');
  for (const testId of ['export-information-sheet', 'export-handbook', 'export-contact-card']) {
    const file = await downloaded(page, () => page.getByTestId(testId).click());
    expect(file.bytes.subarray(0, 4).toString()).toBe('%PDF');
  }
  await page.getByTestId('distribution-card').fill('2026-11-28');
  await page.getByTestId('distribution-submit').click();
  await page.getByTestId('distribution-result').filter({ hasText: '已记录' }).waitFor();
  const distribution = await adminDb().collection('distributions').doc(`${outId}_2026`).get();
  expect(distribution.get('cardOn')).toBe('2026-11-28');
  expect(distribution.get('handbookOn')).toBeNull();
  await noWiderThanPhone(page);

  // The visited household's handbook: the year's plan, a measure taken, the results.
  await page.goto(`${webUrl}#/file/${householdId}`);
  const handbook = page.getByTestId('handbook-form');
  await handbook.waitFor();
  await handbook.getByTestId('handbook-plan').fill('发展养殖业，妻子慢性病按时复查');
  await handbook.getByTestId('handbook-measure-add').click();
  await handbook.getByTestId('handbook-measure-date').fill('2026-06-10');
  await handbook.getByTestId('handbook-measure-kind').selectOption('industry');
  await handbook.getByTestId('handbook-measure-description').fill('发放能繁母猪两头');
  await handbook.getByTestId('handbook-measure-amount').fill('3000');
  await handbook.getByTestId('handbook-results').fill('养殖年增收约五千元');
  await handbook.getByTestId('handbook-save').click();
  await page
    .locator('[data-testid="file-measure"][data-source="file"]', { hasText: '发放能繁母猪两头' })
    .waitFor();
  const fileDoc = await adminDb().collection('householdFiles').doc(householdId).get();
  expect(fileDoc.get('handbooks.2026')).toMatchObject({
    plan: '发展养殖业，妻子慢性病按时复查',
    measures: [{ date: '2026-06-10', kind: 'industry', amountFen: 300000 }],
    results: '养殖年增收约五千元',
  });
  await noWiderThanPhone(page);
}, 120_000);

it('shows a helper neither the 三统一 marking nor the township tools', async () => {
  const page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phones.helper);
  await page.getByTestId('household-row').first().waitFor();
  await page.getByTestId('tab-unification').click();
  await page.getByTestId('unification-denied').waitFor();
  expect(await page.getByTestId('mark-entered').count()).toBe(0);
  await page.goto(`${webUrl}#/region/${village.slice(0, 9)}`);
  await page.getByTestId('household-row').first().waitFor();
  expect(await page.getByTestId('township-file-tools').count()).toBe(0);
}, 60_000);

it('takes a first visit offline with a new member and a photo of the signed paper sheet, sent once online', async () => {
  const paper = await sharp({
    create: { width: 1200, height: 900, channels: 3, background: '#f4f1e8' },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="1200" height="900"><path d="M100 700 C300 600 500 800 700 650" stroke="#123" stroke-width="12" fill="none"/></svg>',
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
  const page = await phonePage(browser);
  await signInByPhoneOn(page, webUrl, phones.helper);
  await page.locator(`[data-testid="household-row"][data-id="${outId}"]`).waitFor();
  await page.goto(`${webUrl}#/visit/${outId}`);
  await page.locator('[data-testid="sheet-form"][data-revision="0"]').waitFor();
  await page.context().setOffline(true);

  // A member the file does not hold yet comes with the ID number the helper types.
  await page.getByTestId('sheet-member-add').click();
  const added = page.getByTestId('sheet-member').last();
  await added.getByTestId('sheet-member-name').fill('陆小梅');
  await added.getByTestId('sheet-member-id').fill(id('52052620100101222'));
  await added.getByTestId('sheet-member-relation').selectOption('child');
  await added.getByTestId('sheet-member-education').selectOption('in_school');
  await page.getByTestId('sheet-income-business').fill('9000');
  await page.getByTestId('sheet-confirm-household').selectOption('photo');
  await page
    .getByTestId('sheet-photo-household')
    .setInputFiles({ name: 'signed.jpg', mimeType: 'image/jpeg', buffer: paper });
  await page.getByTestId('sheet-photo-note-household').filter({ hasText: '联网后' }).waitFor();
  await sign(page, 'helper');
  await page.getByTestId('sheet-confirm-cadre').selectOption('none');
  await page.getByTestId('sheet-submit').click();
  await page.locator('[data-testid="sheet-status"][data-state="kept"]').waitFor();

  await page.context().setOffline(false);
  await page
    .locator('[data-testid="sheet-status"][data-state="sent"]')
    .waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('sheet-status').textContent()).toContain('尚有未签字的一方');
  const visits = (await adminDb().collection('sheetVisits').where('householdId', '==', outId).get())
    .docs;
  expect(visits).toHaveLength(1);
  expect(visits[0]?.get('confirmations.household.kind')).toBe('photo');
  expect(visits[0]?.get('confirmations.helper.kind')).toBe('signature');
  expect(visits[0]?.get('confirmations.cadre.kind')).toBe('none');
  const photo = await adminDb()
    .collection('evidencePhotos')
    .doc(visits[0]?.get('confirmations.household.ref') as string)
    .get();
  expect(photo.get('sheetVisitId')).toBe(visits[0]?.id);
  const changes = (await changesOf(visits[0]?.id as string)).map((doc) => doc.get('field'));
  expect(changes).toContain(`members.${id('52052620100101222').slice(-4)}`);
  expect(changes).toContain('income.business');
}, 120_000);
