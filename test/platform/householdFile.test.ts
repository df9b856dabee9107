/**
 * 一户一册一卡 end to end, on a platform of its own: a household's file filled and corrected by home
 * visits that walk its 《贫困户信息表》, the corrections kept one by one, the three confirmations,
 * the 三统一 report against the national roster, the progress form, and the printables (the sheet,
 * the handbook, the contact cards by the township's card year) opened by a real PDF reader.
 */
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { adminDb, call, csvRowsOf, newRequestId, type CallError } from '../support/platform';
import { staffFromNothing, startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';
import { csvOf, header, id } from '../support/rosterFiles';

const county = '520526';
const township = '520526105';
const village = '520526105201';
const phones = {
  county: '+8613900017001',
  township: '+8613900017002',
  village: '+8613900017003',
  helper: '+8613900017004',
  otherHelper: '+8613900017005',
};
const idOf = (n: number, birth = '19700101') => id(`520526${birth}${String(n).padStart(3, '0')}`);

async function ok<T>(answer: Promise<{ result?: T; error?: CallError }>): Promise<T> {
  const { result, error } = await answer;
  if (error) throw new Error(`${error.status}: ${error.message} ${JSON.stringify(error.details)}`);
  return result as T;
}

async function refused(answer: Promise<{ result?: unknown; error?: CallError }>) {
  const { result, error } = await answer;
  if (!error) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return error;
}

const pdfText = (base64: string) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], {
    input: Buffer.from(base64, 'base64'),
  }).toString();

interface FileAnswer {
  revision: number;
  sheetCollected: boolean;
  members: Array<{
    name: string;
    health: string;
    labour: string;
    idLast4: string;
    age: number;
    sex: string;
  }>;
  income: Record<string, number> | null;
  perCapitaIncomeFen: number | null;
  differences: Array<{ field: string; file: string; roster: string }>;
  changes: Array<{
    id: string;
    visitId: string;
    field: string;
    old: string;
    new: string;
    byName: string;
    enteredAt: string | null;
  }>;
  visits: Array<{ byName: string; changes: number; confirmations: Record<string, string> }>;
  helper: { name: string; phone: string | null } | null;
  card: { colour: string | null; cardYear: number | null };
}

interface Report {
  rows: Array<{
    householdId: string;
    differences: Array<{ field: string }>;
    visited: boolean;
    unconfirmedVisits: number;
    pendingChanges: Array<{ id: string }>;
  }>;
  totals: { differing: number; notVisited: number; unconfirmed: number; pendingChanges: number };
}

const living = {
  enoughFood: true,
  enoughClothing: true,
  schooling: true,
  medicalInsurance: true,
  safeHousing: false,
  safeWater: true,
  electricity: true,
  road: true,
};

describe('一户一册一卡', () => {
  let platform: OwnPlatform;
  const tokens = {} as Record<keyof typeof phones, string>;
  let householdId: string;
  let signature: string;
  const year = Number(new Date().toISOString().slice(0, 4));
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

  const rosterOf = (rows: string[][]) =>
    Buffer.from(`\uFEFF${csvOf([header, ...rows])}`, 'utf8').toString('base64');
  // 龙德华's household as the national system has it: three people, 因病, 3000 yuan per person.
  const longRow = (members: string, income: string) => [
    '龙德华',
    idOf(1),
    '石门乡新街村1组',
    members,
    '因病',
    income,
    '未脱贫',
    '郑帮扶',
  ];
  const fileOf = (token = tokens.helper) =>
    ok<FileAnswer>(call('getHouseholdFile', { householdId, year }, token));
  const reportOf = () =>
    ok<Report>(call('getUnificationReport', { villageCode: village, year }, tokens.village));
  const signed = () => ({
    household: { kind: 'signature', pngBase64: signature },
    helper: { kind: 'signature', pngBase64: signature },
    cadre: { kind: 'signature', pngBase64: signature },
  });

  beforeAll(async () => {
    platform = await startOwnPlatform(70);
    const byPhone = await staffFromNothing(platform, [
      { phone: phones.county, name: '孙县长', role: 'county_admin', regionCode: county },
      { phone: phones.township, name: '钱专干', role: 'township_admin', regionCode: township },
      { phone: phones.village, name: '周信息员', role: 'village_admin', regionCode: village },
      { phone: phones.helper, name: '郑帮扶', role: 'helper', regionCode: village },
      { phone: phones.otherHelper, name: '冯帮扶', role: 'helper', regionCode: village },
    ]);
    for (const key of Object.keys(phones) as Array<keyof typeof phones>) {
      tokens[key] = byPhone[phones[key]] as string;
    }
    await ok(
      call(
        'importRoster',
        {
          requestId: newRequestId(),
          format: 'csv',
          latestExitYear: year - 1,
          dataBase64: rosterOf([
            longRow('3', '3000'),
            ['杨秀英', idOf(2), '石门乡新街村2组', '2', '缺劳力', '2500', '返贫', '郑帮扶'],
            [
              '王成林',
              idOf(3),
              '石门乡新街村3组',
              '4',
              '缺资金',
              '5200',
              `${year - 1}年脱贫`,
              '郑帮扶',
            ],
          ]),
        },
        tokens.village,
      ),
    );
    householdId = (
      await adminDb()
        .collection('households')
        .where('villageCode', '==', village)
        .where('headName', '==', '龙德华')
        .get()
    ).docs[0]?.id as string;
    // A signature as the phone's canvas exports it: a small PNG.
    signature = (
      await sharp({
        create: {
          width: 120,
          height: 40,
          channels: 4,
          background: { r: 255, g: 255, b: 255, alpha: 1 },
        },
      })
        .png()
        .toBuffer()
    ).toString('base64');
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('keeps a home visit’s corrections one by one, and the file, the report and the progress form follow', async () => {
    // Before any visit: nothing collected, nothing compared.
    const blank = await fileOf();
    expect(blank).toMatchObject({ revision: 0, sheetCollected: false, differences: [] });
    expect(blank.helper).toEqual({ name: '郑帮扶', phone: '13900017004' });

    // The village administrator's first visit fills the sheet as the household and the national roster agree.
    const filled = await ok<{ revision: number; changes: number }>(
      call(
        'recordSheetVisit',
        {
          requestId: newRequestId(),
          householdId,
          visitedOn: today,
          baseRevision: 0,
          sheet: {
            members: [
              {
                name: '杨桂花',
                idNumber: idOf(12, '19720101'),
                relation: 'spouse',
                health: 'healthy',
                education: 'primary',
                labour: 'full',
              },
              {
                name: '龙小军',
                idNumber: idOf(21, '20100615'),
                relation: 'child',
                health: 'healthy',
                education: 'in_school',
                labour: 'none',
              },
            ],
            living,
            income: { wage: 600_000, business: 300_000, property: 0, transfer: 0 },
            causes: ['因病'],
          },
          confirmations: { ...signed(), household: { kind: 'none' } },
        },
        tokens.village,
      ),
    );
    expect(filled.revision).toBe(1);
    let report = await reportOf();
    const firstPending =
      report.rows.find((row) => row.householdId === householdId)?.pendingChanges ?? [];
    expect(firstPending.length).toBeGreaterThan(0);
    expect(report.rows.find((row) => row.householdId === householdId)).toMatchObject({
      differences: [],
      visited: true,
      unconfirmedVisits: 1,
    });
    await ok(
      call(
        'markCorrectionsEntered',
        { requestId: newRequestId(), changeIds: firstPending.map((change) => change.id) },
        tokens.village,
      ),
    );

    // The helper opens the sheet (revision 1), corrects two members and the income, all three sign.
    const opened = await fileOf();
    expect(opened.members.map((member) => [member.name, member.sex, member.age >= 50])).toEqual([
      ['杨桂花', 'female', true],
      ['龙小军', 'male', false],
    ]);
    const visit = {
      requestId: newRequestId(),
      householdId,
      visitedOn: today,
      baseRevision: opened.revision,
      sheet: {
        members: [
          {
            existing: 0,
            name: '杨桂花',
            relation: 'spouse',
            health: 'chronic',
            education: 'primary',
            labour: 'partial',
          },
          {
            existing: 1,
            name: '龙小军',
            relation: 'child',
            health: 'healthy',
            education: 'junior',
            labour: 'none',
          },
        ],
        living,
        income: { wage: 900_000, business: 300_000, property: 0, transfer: 0 },
        causes: ['因病'],
      },
      confirmations: signed(),
    };
    const corrected = await ok<{
      visitId: string;
      revision: number;
      changes: number;
      completed: boolean;
    }>(call('recordSheetVisit', visit, tokens.helper));
    expect(corrected).toMatchObject({ revision: 2, changes: 4, completed: true });
    // A retry (the answer lost on a weak signal) records nothing twice.
    expect(await ok(call('recordSheetVisit', visit, tokens.helper))).toEqual(corrected);
    expect(
      (
        await adminDb()
          .collection('householdFileChanges')
          .where('visitId', '==', corrected.visitId)
          .get()
      ).size,
    ).toBe(4);

    // The file.
    const file = await fileOf();
    expect(file.members.map((member) => [member.health, member.labour])).toEqual([
      ['chronic', 'partial'],
      ['healthy', 'none'],
    ]);
    expect(file.perCapitaIncomeFen).toBe(400_000);
    const latest = file.changes.filter((change) => change.byName === '郑帮扶');
    expect(latest.map((change) => [change.old, change.new]).sort()).toEqual(
      [
        ['健康', '长期慢性病'],
        ['普通劳动力', '弱劳动力或半劳动力'],
        ['在校生', '初中'],
        ['6000元', '9000元'],
      ].sort(),
    );
    expect(file.visits.at(-1)).toMatchObject({
      byName: '郑帮扶',
      changes: 4,
      confirmations: { household: 'signature', helper: 'signature', cadre: 'signature' },
    });
    expect(JSON.stringify(file)).not.toContain(idOf(12, '19720101'));

    // 三统一: income now differs from the roster; four corrections wait for the national system.
    report = await reportOf();
    const row = report.rows.find((candidate) => candidate.householdId === householdId);
    expect(row?.differences.map((difference) => difference.field)).toEqual(['annualIncomeFen']);
    expect(row?.pendingChanges).toHaveLength(4);
    expect(report.totals.notVisited).toBe(2);

    // The progress form: two visitors, one household corrected, one completed (all three signed).
    const progress = await ok<{ dataBase64: string }>(
      call('exportVisitProgress', { regionCode: township, year, format: 'csv' }, tokens.township),
    );
    const villageName = (await adminDb().collection('regions').doc(village).get()).get('name');
    const villageRow = csvRowsOf(progress.dataBase64).find((cells) => cells[1] === villageName);
    expect(villageRow?.slice(2, 5)).toEqual(['2', '1', '1']);

    // Entered into the national system: it leaves the report.
    await ok(
      call(
        'markCorrectionsEntered',
        { requestId: newRequestId(), changeIds: latest.map((change) => change.id) },
        tokens.village,
      ),
    );
    report = await reportOf();
    expect(
      report.rows.find((candidate) => candidate.householdId === householdId)?.pendingChanges,
    ).toEqual([]);

    // A new national roster that agrees with the file: no difference left.
    await ok(
      call(
        'importRoster',
        {
          requestId: newRequestId(),
          format: 'csv',
          latestExitYear: year - 1,
          dataBase64: rosterOf([longRow('3', '4000')]),
        },
        tokens.village,
      ),
    );
    report = await reportOf();
    expect(report.rows.find((candidate) => candidate.householdId === householdId)).toBeUndefined();
  }, 180_000);

  it('refuses a visit on a stale sheet, another helper’s household, and a member named twice', async () => {
    const stale = await refused(
      call(
        'recordSheetVisit',
        {
          requestId: newRequestId(),
          householdId,
          visitedOn: today,
          baseRevision: 1,
          sheet: {
            members: [],
            living,
            income: { wage: 0, business: 0, property: 0, transfer: 0 },
            causes: ['因病'],
          },
          confirmations: signed(),
        },
        tokens.helper,
      ),
    );
    expect(stale.status).toBe('FAILED_PRECONDITION');
    expect(stale.message).toContain('已被他人更新');
    const revision = (await fileOf()).revision;
    const other = await refused(
      call(
        'recordSheetVisit',
        {
          requestId: newRequestId(),
          householdId,
          visitedOn: today,
          baseRevision: revision,
          sheet: {
            members: [],
            living,
            income: { wage: 0, business: 0, property: 0, transfer: 0 },
            causes: ['因病'],
          },
          confirmations: signed(),
        },
        tokens.otherHelper,
      ),
    );
    expect(other.status).toBe('PERMISSION_DENIED');
    const twice = await refused(
      call(
        'recordSheetVisit',
        {
          requestId: newRequestId(),
          householdId,
          visitedOn: today,
          baseRevision: revision,
          sheet: {
            members: [
              {
                existing: 0,
                name: '杨桂花',
                relation: 'spouse',
                health: 'chronic',
                education: 'primary',
                labour: 'partial',
              },
              {
                existing: 0,
                name: '杨桂花',
                relation: 'spouse',
                health: 'chronic',
                education: 'primary',
                labour: 'partial',
              },
            ],
            living,
            income: { wage: 0, business: 0, property: 0, transfer: 0 },
            causes: ['因病'],
          },
          confirmations: signed(),
        },
        tokens.helper,
      ),
    );
    expect(twice.details?.issues).toContainEqual({
      path: 'sheet.members.1.existing',
      code: 'member_unknown',
    });
    const head = await refused(
      call(
        'recordSheetVisit',
        {
          requestId: newRequestId(),
          householdId,
          visitedOn: today,
          baseRevision: revision,
          sheet: {
            members: [
              {
                name: '龙德华',
                idNumber: idOf(1),
                relation: 'other',
                health: 'healthy',
                education: 'primary',
                labour: 'full',
              },
            ],
            living,
            income: { wage: 0, business: 0, property: 0, transfer: 0 },
            causes: ['因病'],
          },
          confirmations: signed(),
        },
        tokens.helper,
      ),
    );
    expect(head.details?.issues).toEqual([
      { path: 'sheet.members.0.idNumber', code: 'id_is_head' },
    ]);
  });

  it('takes one of two visits sent at once on the same sheet, and refuses the other', async () => {
    const revision = (await fileOf()).revision;
    const visit = (wage: number) => ({
      requestId: newRequestId(),
      householdId,
      visitedOn: today,
      baseRevision: revision,
      sheet: {
        members: [
          {
            existing: 0,
            name: '杨桂花',
            relation: 'spouse',
            health: 'chronic',
            education: 'primary',
            labour: 'partial',
          },
          {
            existing: 1,
            name: '龙小军',
            relation: 'child',
            health: 'healthy',
            education: 'junior',
            labour: 'none',
          },
        ],
        living,
        income: { wage, business: 300_000, property: 0, transfer: 0 },
        causes: ['因病'],
      },
      confirmations: signed(),
    });
    const answers = await Promise.all([
      call<{ visitId: string }>('recordSheetVisit', visit(910_000), tokens.helper),
      call<{ visitId: string }>('recordSheetVisit', visit(920_000), tokens.village),
    ]);
    expect(answers.filter((answer) => answer.result)).toHaveLength(1);
    expect(answers.find((answer) => answer.error)?.error?.status).toBe('FAILED_PRECONDITION');
    const file = await fileOf();
    expect(file.revision).toBe(revision + 1);
    // The file holds the winner's sheet, and its one change is the winner's alone.
    const winner = answers.findIndex((answer) => answer.result);
    expect(file.income?.wage).toBe(winner === 0 ? 910_000 : 920_000);
    const visitId = answers[winner]?.result?.visitId as string;
    expect(file.changes.filter((change) => change.visitId === visitId)).toHaveLength(1);
  });

  it('prints the sheet, the handbook and the cards by the township’s card year, read by a real PDF reader', async () => {
    const sheet = await ok<{ dataBase64: string }>(
      call('exportInformationSheet', { householdId, year }, tokens.helper),
    );
    const sheetText = pdfText(sheet.dataBase64);
    expect(sheetText).toContain('龙德华');
    expect(sheetText).toContain('13900017004');
    expect(sheetText).toContain('长期慢性病');
    await ok(
      call(
        'saveHandbook',
        {
          requestId: newRequestId(),
          householdId,
          year,
          baseRevision: (await fileOf()).revision,
          plan: '发展养牛产业，户主参加技能培训。',
          measures: [
            { date: today, kind: 'industry', description: '发放牛犊一头', amountFen: 500_000 },
          ],
          results: '年人均纯收入提高到四千元。',
        },
        tokens.helper,
      ),
    );
    const handbook = pdfText(
      (
        await ok<{ dataBase64: string }>(
          call('exportHandbook', { householdId, year }, tokens.township),
        )
      ).dataBase64,
    );
    expect(handbook).toContain('帮扶手册');
    expect(handbook).toContain('发放牛犊一头');

    // No card year yet: the cards cannot be printed.
    const noYear = await refused(
      call('exportContactCards', { villageCode: village }, tokens.village),
    );
    expect(noYear.message).toContain('联系卡年度');
    await ok(call('setCardYear', { townshipCode: township, cardYear: year - 1 }, tokens.township));
    const cards = await ok<{ dataBase64: string; cards: number }>(
      call('exportContactCards', { villageCode: village }, tokens.village),
    );
    // 杨秀英 returned (blue), 王成林 out last year (red); 龙德华, poor since before, gets none.
    expect(cards.cards).toBe(2);
    const cardText = pdfText(cards.dataBase64);
    expect(cardText).toContain('杨秀英');
    expect(cardText).toContain('王成林');
    expect(cardText).toContain('13900017004');
    expect(cardText).not.toContain('龙德华');
    expect((await fileOf()).card).toEqual({ colour: null, cardYear: year - 1 });
    // The card year follows the township: a year on, 王成林's card is no longer red.
    await ok(call('setCardYear', { townshipCode: township, cardYear: year }, tokens.township));
    expect(
      (
        await ok<{ cards: number }>(
          call('exportContactCards', { villageCode: village }, tokens.village),
        )
      ).cards,
    ).toBe(1);

    await ok(
      call(
        'saveProgressReport',
        {
          townshipCode: township,
          year,
          filledOn: today,
          reviewer: '钱专干',
          filler: '周信息员',
          contact: '0857-6231234',
          summary: '全镇已完成入户核实，修改信息均已录入国扶系统。',
        },
        tokens.township,
      ),
    );
    const form = pdfText(
      (
        await ok<{ dataBase64: string }>(
          call(
            'exportVisitProgress',
            { regionCode: township, year, format: 'pdf' },
            tokens.township,
          ),
        )
      ).dataBase64,
    );
    expect(form).toContain('人民政府（公章）');
    expect(form).toContain('钱专干');
    expect(form).toContain('全镇已完成入户核实');
  }, 120_000);
});
