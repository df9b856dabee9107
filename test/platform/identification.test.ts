/**
 * 建档立卡 identification end to end, on a platform of its own (households enter a roster here, and
 * the demo township's figures must stay as other tests expect): ten applications of one village
 * through the application, the survey, the appraisal with its quota, two notices with objections,
 * a township return, the county's approval and the 公告 — and every refusal on the way.
 *
 * A notice's 7-day window is passed by moving its dates back in Firestore, as if the week had gone
 * by; nothing else is written behind the callables' back.
 */
import { execFileSync } from 'node:child_process';
import { Timestamp } from 'firebase-admin/firestore';
import ExcelJS from 'exceljs';
import {
  adminDb,
  call,
  idle,
  newRequestId,
  signInByPhone,
  type CallError,
} from '../support/platform';
import { staffFromNothing, startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';
import { csvOf, header, id } from '../support/rosterFiles';

const county = '520526';
const township = '520526105';
const village = '520526105201';
const otherVillage = '520526105202';
const year = 2026;
const roundId = `${village}_${year}_entry`;

const phones = {
  county: '+8613900016001',
  township: '+8613900016002',
  village: '+8613900016003',
  otherVillage: '+8613900016004',
  helper: '+8613900016005',
  objector: '+8613900016006',
};

async function ok<T>(answer: Promise<{ result?: T; error?: CallError }>): Promise<T> {
  const { result, error } = await answer;
  if (error) throw new Error(`${error.status}: ${error.message}`);
  return result as T;
}

async function refused(answer: Promise<{ result?: unknown; error?: CallError }>) {
  const { result, error } = await answer;
  if (!error) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return error;
}

const idOf = (n: number, birth = '19700101') => id(`520526${birth}${String(n).padStart(3, '0')}`);

const applicants = [
  '龙德华',
  '杨秀英',
  '王成林',
  '李桂芬',
  '张德明',
  '陈玉兰',
  '刘建国',
  '赵春梅',
  '吴志强',
  '周凤英',
];

function entryApplication(n: number, extra: Record<string, unknown> = {}) {
  return {
    requestId: newRequestId(),
    kind: 'entry',
    year,
    headName: applicants[n] ?? `申请人${n}`,
    headIdNumber: idOf(100 + n),
    members: [
      {
        name: '龙小妹',
        idNumber: idOf(200 + n, '20100101'),
        relation: 'child',
        health: 'healthy',
        education: 'in_school',
        labour: 'none',
      },
    ],
    annualIncomeFen: 250_000,
    housing: 'dangerous',
    claimedCause: '因病',
    situation: '户主常年患病，家中缺少劳动力，住房为危房。',
    wubao: false,
    appliedOn: '2026-11-02',
    ...extra,
  };
}

const findings = Object.fromEntries(
  ['income', 'assets', 'labour', 'living', 'cause'].map((aspect) => [
    aspect,
    { agrees: true, note: '与申请相符' },
  ]),
);

/** As if the notice's week had passed. */
async function passWindow(noticeId: string) {
  const week = 7 * 24 * 3600 * 1000;
  await adminDb()
    .collection('identificationNotices')
    .doc(noticeId)
    .update({
      opensAt: Timestamp.fromMillis(Date.now() - week - 60_000),
      closesAt: Timestamp.fromMillis(Date.now() - 60_000),
    });
}

interface Round {
  round: { stage: string; listed: number; openObjections: number; nextAction: string | null };
  applications: Array<{
    id: string;
    headName: string;
    status: string;
    statusReason: string | null;
  }>;
  notices: Array<{ id: string; stage: string }>;
  objections: Array<{ id: string; status: string; headName: string }>;
  steps: Array<{
    kind: string;
    applicationId: string | null;
    byRole: string;
    reasons: string | null;
  }>;
}

describe('建档立卡 identification', () => {
  let platform: OwnPlatform;
  const tokens = {} as Record<keyof typeof phones, string>;
  const applicationIds: string[] = [];

  const roundOf = (token = tokens.village) =>
    ok<Round>(call('getIdentificationRound', { roundId }, token));
  const statusOf = async (index: number) =>
    (await roundOf()).applications.find((row) => row.id === applicationIds[index])?.status;
  const villageStats = async (code: string) =>
    (await adminDb().collection('stats').doc(code).get()).data() ?? {};

  beforeAll(async () => {
    platform = await startOwnPlatform(40);
    const byPhone = await staffFromNothing(platform, [
      { phone: phones.county, name: '孙县长', role: 'county_admin', regionCode: county },
      { phone: phones.township, name: '钱专干', role: 'township_admin', regionCode: township },
      { phone: phones.village, name: '周信息员', role: 'village_admin', regionCode: village },
      {
        phone: phones.otherVillage,
        name: '吴信息员',
        role: 'village_admin',
        regionCode: otherVillage,
      },
      { phone: phones.helper, name: '郑帮扶', role: 'helper', regionCode: village },
    ]);
    tokens.county = byPhone[phones.county] as string;
    tokens.township = byPhone[phones.township] as string;
    tokens.village = byPhone[phones.village] as string;
    tokens.otherVillage = byPhone[phones.otherVillage] as string;
    tokens.helper = byPhone[phones.helper] as string;
    tokens.objector = await signInByPhone(phones.objector);

    // Three roster households in the village, all registered (100 %); one in the other village.
    const rosterOf = (rows: string[][]) =>
      Buffer.from(`\uFEFF${csvOf([header, ...rows])}`, 'utf8').toString('base64');
    const row = (name: string, idNumber: string) => [
      name,
      idNumber,
      '石门乡',
      '3',
      '因病',
      '3000',
      '未脱贫',
      '',
    ];
    await ok(
      call(
        'importRoster',
        {
          requestId: newRequestId(),
          format: 'csv',
          dataBase64: rosterOf([
            row('田大山', idOf(1)),
            row('田二山', idOf(2)),
            row('田三山', idOf(3)),
          ]),
        },
        tokens.village,
      ),
    );
    await ok(
      call(
        'importRoster',
        {
          requestId: newRequestId(),
          format: 'csv',
          dataBase64: rosterOf([row('罗其他', idOf(9))]),
        },
        tokens.otherVillage,
      ),
    );
    const households = await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .get();
    for (const doc of households.docs) {
      await ok(
        call(
          'registerHousehold',
          { householdId: doc.id, requestId: newRequestId() },
          tokens.village,
        ),
      );
    }
    await idle();
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  describe('at application, the seed’s exclusions', () => {
    it('refuses an ID already on another village’s roster, naming the field', async () => {
      const error = await refused(
        call('fileApplication', entryApplication(0, { headIdNumber: idOf(9) }), tokens.village),
      );
      expect(error.status).toBe('FAILED_PRECONDITION');
      expect(error.message).toContain('已在建档立卡名单上');
      expect(error.details?.issues).toEqual([{ path: 'headIdNumber', code: 'id_on_roster' }]);
    });

    it('refuses a member’s ID on this village’s roster (分户) and a number given twice', async () => {
      const onRoster = await refused(
        call(
          'fileApplication',
          entryApplication(0, {
            members: [
              {
                name: '田小山',
                idNumber: idOf(2),
                relation: 'sibling',
                health: 'healthy',
                education: 'junior',
                labour: 'full',
              },
            ],
          }),
          tokens.village,
        ),
      );
      expect(onRoster.details?.issues).toEqual([
        { path: 'members.0.idNumber', code: 'id_on_roster' },
      ]);
      const twice = await refused(
        call(
          'fileApplication',
          entryApplication(0, {
            members: [
              {
                name: '龙小妹',
                idNumber: idOf(100),
                relation: 'child',
                health: 'healthy',
                education: 'none',
                labour: 'none',
              },
            ],
          }),
          tokens.village,
        ),
      );
      expect(twice.details?.issues).toContainEqual({
        path: 'members.0.idNumber',
        code: 'id_repeated',
      });
    });

    it('files one of two applications racing with the same ID number', async () => {
      const racing = (token: string) =>
        call(
          'fileApplication',
          entryApplication(0, {
            headName: '抢先户',
            headIdNumber: idOf(160, '19600101'),
            members: [],
            year: 2025,
          }),
          token,
        );
      const answers = await Promise.all([racing(tokens.village), racing(tokens.helper)]);
      expect(answers.filter((answer) => answer.result)).toHaveLength(1);
      const loser = answers.find((answer) => answer.error)?.error;
      expect(loser?.details?.issues).toEqual([{ path: 'headIdNumber', code: 'id_on_application' }]);
    });

    it('records a 五保户 and refers it instead of appraising it', async () => {
      const referred = await ok<{ status: string; applicationId: string }>(
        call(
          'fileApplication',
          entryApplication(0, {
            headName: '孤老汉',
            headIdNumber: idOf(150, '19400101'),
            members: [],
            wubao: true,
          }),
          tokens.village,
        ),
      );
      expect(referred.status).toBe('referred');
    });
  });

  it('walks ten applications through every step to the 公告', async () => {
    // 农户申请: eight by the village administrator, two by the helper; a retry files once.
    for (let n = 0; n < 10; n++) {
      const input = entryApplication(n);
      const token = n < 8 ? tokens.village : tokens.helper;
      const filed = await ok<{ applicationId: string; status: string }>(
        call('fileApplication', input, token),
      );
      const again = await ok<{ applicationId: string }>(call('fileApplication', input, token));
      expect(again.applicationId).toBe(filed.applicationId);
      expect(filed.status).toBe('filed');
      applicationIds.push(filed.applicationId);
    }
    // The same person on a second application, in another village, while the first is open.
    const elsewhere = await refused(
      call('fileApplication', entryApplication(0), tokens.otherVillage),
    );
    expect(elsewhere.details?.issues).toContainEqual({
      path: 'headIdNumber',
      code: 'id_on_application',
    });

    // No appraisal before every application is surveyed, and no step skipped.
    const early = await refused(
      call(
        'postNotice',
        { requestId: newRequestId(), roundId, contactPhone: '0857-6231234' },
        tokens.village,
      ),
    );
    expect(early.status).toBe('FAILED_PRECONDITION');

    // 入户调查.
    for (const [n, applicationId] of applicationIds.entries()) {
      await ok(
        call(
          'recordSurvey',
          {
            requestId: newRequestId(),
            applicationId,
            visitedOn: '2026-11-05',
            findings,
            eligible: true,
          },
          n < 8 ? tokens.village : tokens.helper,
        ),
      );
    }

    // 规模控制: the county allots the township, the township the village — within the township's.
    await ok(
      call('setIdentificationQuota', { regionCode: township, year, quota: 10 }, tokens.county),
    );
    const over = await refused(
      call('setIdentificationQuota', { regionCode: village, year, quota: 11 }, tokens.township),
    );
    expect(over.message).toContain('超出本镇');
    await ok(
      call('setIdentificationQuota', { regionCode: village, year, quota: 6 }, tokens.township),
    );

    // 民主评议: eleven members present; 吴志强 (rank 9) is voted down; the quota of 6 caps the list.
    const present = [
      '甲一',
      '乙二',
      '丙三',
      '丁四',
      '戊五',
      '己六',
      '庚七',
      '辛八',
      '壬九',
      '癸十',
      '子十一',
    ];
    const appraisal = await ok<{
      listed: number;
      notPassed: number;
      overQuota: number;
      stage: string;
    }>(
      call(
        'recordAppraisal',
        {
          requestId: newRequestId(),
          roundId,
          heldOn: '2026-11-10',
          body: 'appraisal_group',
          present,
          results: applicationIds.map((applicationId, index) => ({
            applicationId,
            votesFor: index === 8 ? 4 : 10,
            votesAgainst: index === 8 ? 7 : 1,
            rank: index + 1,
          })),
        },
        tokens.village,
      ),
    );
    expect(appraisal).toMatchObject({ stage: 'appraised', listed: 6, notPassed: 1, overQuota: 3 });
    expect(await statusOf(8)).toBe('not_passed');
    expect(await statusOf(6)).toBe('not_passed');

    // 第一次公示.
    const firstNotice = await ok<{ noticeId: string; stage: string }>(
      call(
        'postNotice',
        { requestId: newRequestId(), roundId, contactPhone: '0857-6231234' },
        tokens.village,
      ),
    );
    expect(firstNotice.stage).toBe('first');
    const publicView = await ok<{
      open: boolean;
      entries: Array<{ applicationId: string; name: string }>;
    }>(call('getPublicNotice', { noticeId: firstNotice.noticeId }));
    expect(publicView.open).toBe(true);
    expect(publicView.entries.map((entry) => entry.name)).toEqual([
      '龙*华',
      '杨*英',
      '王*林',
      '李*芬',
      '张*明',
      '陈*兰',
    ]);
    expect(JSON.stringify(publicView)).not.toMatch(/\d{17}[\dX]/);

    // An objection needs a verified phone; one is filed against 王成林.
    const anonymous = await refused(
      call('fileObjection', {
        requestId: newRequestId(),
        noticeId: firstNotice.noticeId,
        applicationId: applicationIds[2],
        text: '该户家中有小轿车，不符合条件。',
      }),
    );
    expect(anonymous.status).toBe('UNAUTHENTICATED');
    const objection = await ok<{ objectionId: string; receipt: string }>(
      call(
        'fileObjection',
        {
          requestId: newRequestId(),
          noticeId: firstNotice.noticeId,
          applicationId: applicationIds[2],
          text: '该户家中有小轿车，不符合条件。',
        },
        tokens.objector,
      ),
    );
    expect(objection.receipt).toMatch(/^[A-Z0-9]{10}$/);

    // The window cannot be closed early.
    const tooEarly = await refused(
      call('submitList', { requestId: newRequestId(), roundId }, tokens.village),
    );
    expect(tooEarly.message).toContain('公示期未满');
    await passWindow(firstNotice.noticeId);
    // Nor can an objection be filed once it is over, and the unanswered one blocks the list.
    const late = await refused(
      call(
        'fileObjection',
        {
          requestId: newRequestId(),
          noticeId: firstNotice.noticeId,
          applicationId: applicationIds[0],
          text: '公示期过后才提出的异议。',
        },
        tokens.objector,
      ),
    );
    expect(late.message).toContain('公示期已结束');
    const blocked = await refused(
      call('submitList', { requestId: newRequestId(), roundId }, tokens.village),
    );
    expect(blocked.message).toContain('异议没有答复');

    // The township may not answer the village's first notice; the village upholds it.
    const wrongAnswerer = await refused(
      call(
        'answerObjection',
        {
          requestId: newRequestId(),
          objectionId: objection.objectionId,
          decision: 'dismissed',
          reasons: '经核实情况不属实。',
        },
        tokens.township,
      ),
    );
    expect(wrongAnswerer.status).toBe('PERMISSION_DENIED');
    await ok(
      call(
        'answerObjection',
        {
          requestId: newRequestId(),
          objectionId: objection.objectionId,
          decision: 'upheld',
          reasons: '经入户核实，该户确有小轿车一辆。',
        },
        tokens.village,
      ),
    );
    expect(await statusOf(2)).toBe('removed');

    // 乡镇审核: the village submits; the township returns the list, the village withdraws one and resubmits.
    await ok(call('submitList', { requestId: newRequestId(), roundId }, tokens.village));
    const countyTooSoon = await refused(
      call(
        'reviewList',
        { requestId: newRequestId(), roundId, decision: 'approve' },
        tokens.county,
      ),
    );
    expect(countyTooSoon.status).toBe('FAILED_PRECONDITION');
    await ok(
      call(
        'reviewList',
        {
          requestId: newRequestId(),
          roundId,
          decision: 'return',
          reasons: '陈玉兰户已于10月迁往县城居住，请核实后修改名单。',
        },
        tokens.township,
      ),
    );
    expect((await roundOf()).round.stage).toBe('returned');
    await ok(
      call(
        'withdrawApplication',
        {
          requestId: newRequestId(),
          applicationId: applicationIds[5],
          reasons: '经核实已迁往县城居住，移出名单。',
        },
        tokens.village,
      ),
    );
    await ok(call('submitList', { requestId: newRequestId(), roundId }, tokens.village));
    const approved = await ok<{ stage: string }>(
      call(
        'reviewList',
        { requestId: newRequestId(), roundId, decision: 'approve' },
        tokens.township,
      ),
    );
    expect(approved.stage).toBe('township_approved');

    // 第二次公示: an objection the township dismisses with its reasons.
    const secondNotice = await ok<{ noticeId: string; stage: string }>(
      call(
        'postNotice',
        { requestId: newRequestId(), roundId, contactPhone: '0857-6231234' },
        tokens.village,
      ),
    );
    expect(secondNotice.stage).toBe('second');
    const secondList = await ok<{ entries: unknown[] }>(
      call('getPublicNotice', { noticeId: secondNotice.noticeId }),
    );
    expect(secondList.entries).toHaveLength(4);
    const second = await ok<{ objectionId: string }>(
      call(
        'fileObjection',
        {
          requestId: newRequestId(),
          noticeId: secondNotice.noticeId,
          applicationId: applicationIds[3],
          text: '听说她儿子在外打工收入很高。',
        },
        tokens.objector,
      ),
    );
    await passWindow(secondNotice.noticeId);
    const villageAnswers = await refused(
      call(
        'answerObjection',
        {
          requestId: newRequestId(),
          objectionId: second.objectionId,
          decision: 'dismissed',
          reasons: '经核实情况不属实。',
        },
        tokens.village,
      ),
    );
    expect(villageAnswers.status).toBe('PERMISSION_DENIED');
    const stillOpen = await refused(
      call('submitList', { requestId: newRequestId(), roundId }, tokens.township),
    );
    expect(stillOpen.message).toContain('异议没有答复');
    await ok(
      call(
        'answerObjection',
        {
          requestId: newRequestId(),
          objectionId: second.objectionId,
          decision: 'dismissed',
          reasons: '经入户核实，其子在外务工月收入两千元，户人均收入仍低于标准。',
        },
        tokens.township,
      ),
    );
    expect(await statusOf(3)).toBe('listed');
    await ok(call('submitList', { requestId: newRequestId(), roundId }, tokens.township));

    // 县级审批 and 公告: four households enter the roster, and the village's figures move.
    const before = await villageStats(village);
    expect(before).toMatchObject({ rosterHouseholds: 3, registeredHouseholds: 3 });
    const announced = await ok<{ stage: string; noticeId: string; enrolled: number }>(
      call(
        'reviewList',
        { requestId: newRequestId(), roundId, decision: 'approve' },
        tokens.county,
      ),
    );
    expect(announced).toMatchObject({ stage: 'announced', enrolled: 4 });
    await idle();
    expect(await villageStats(village)).toMatchObject({
      rosterHouseholds: 7,
      registeredHouseholds: 3,
    });
    const dashboard = await ok<{
      children: Array<{ code: string; registrationRate: number | null }>;
    }>(call('getRatesDashboard', { regionCode: township }, tokens.township));
    expect(
      dashboard.children.find((child) => child.code === village)?.registrationRate,
    ).toBeCloseTo(3 / 7);

    const roster = await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .get();
    const names = roster.docs
      .filter((doc) => doc.get('onRoster') === true)
      .map((doc) => doc.get('headName'));
    expect(names.sort()).toEqual(
      ['张德明', '李桂芬', '杨秀英', '田三山', '田二山', '田大山', '龙德华'].sort(),
    );
    const quota = (
      await adminDb().collection('identificationQuotas').doc(`${village}_${year}`).get()
    ).data();
    expect(quota).toMatchObject({ quota: 6, enrolled: 4 });
    // The released numbers may be filed again next year; those enrolled are now on the roster.
    const again = await refused(
      call('fileApplication', { ...entryApplication(0), year: 2027 }, tokens.village),
    );
    expect(again.details?.issues).toContainEqual({ path: 'headIdNumber', code: 'id_on_roster' });

    // The record: each step with who and why, in order.
    const record = await roundOf();
    expect(record.round.stage).toBe('announced');
    const kindsOf = (index: number) =>
      record.steps
        .filter(
          (step) => step.applicationId === applicationIds[index] || step.applicationId === null,
        )
        .map((step) => step.kind);
    expect(kindsOf(0)).toEqual([
      'filed',
      'surveyed',
      'appraised',
      'appraised',
      'notice_posted',
      'submitted',
      'returned',
      'submitted',
      'approved',
      'notice_posted',
      'submitted',
      'announced',
      'announced',
    ]);
    expect(record.steps.find((step) => step.kind === 'returned')).toMatchObject({
      byRole: 'township_admin',
      reasons: expect.stringContaining('迁往县城'),
    });
    const announcement = await ok<{ stage: string; open: boolean; entries: unknown[] }>(
      call('getPublicNotice', { noticeId: announced.noticeId }),
    );
    expect(announcement).toMatchObject({ stage: 'announcement', open: false });
    expect(announcement.entries).toHaveLength(4);
  }, 240_000);

  it('exports one household’s whole record as a real PDF and XLSX', async () => {
    const pdf = await ok<{ dataBase64: string; contentType: string }>(
      call(
        'exportIdentificationFile',
        { applicationId: applicationIds[3], format: 'pdf' },
        tokens.township,
      ),
    );
    expect(pdf.contentType).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: Buffer.from(pdf.dataBase64, 'base64'),
    }).toString();
    expect(text).toContain('李桂芬');
    expect(text).toContain('入户调查');
    expect(text).toContain('其子在外务工');
    expect(text).not.toMatch(/\d{17}[\dX]/);
    const xlsx = await ok<{ dataBase64: string }>(
      call(
        'exportIdentificationFile',
        { applicationId: applicationIds[3], format: 'xlsx' },
        tokens.county,
      ),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.dataBase64, 'base64') as unknown as ArrayBuffer);
    const cells = book.worksheets[0]?.getSheetValues().flat().map(String).join('|') ?? '';
    expect(cells).toContain('民主评议');
    expect(cells).toContain('公告');
    const notice = await ok<{ dataBase64: string }>(
      call('exportNoticePdf', { noticeId: `${roundId}_first_1` }, tokens.village),
    );
    const board = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: Buffer.from(notice.dataBase64, 'base64'),
    }).toString();
    // The board names households in full.
    expect(board).toContain('王成林');
    expect(board).toContain('0857');
  });

  it('keeps the villages’ quotas within the township’s when two are set at once', async () => {
    await ok(
      call(
        'setIdentificationQuota',
        { regionCode: township, year: 2027, quota: 10 },
        tokens.county,
      ),
    );
    const answers = await Promise.all(
      [village, otherVillage].map((regionCode) =>
        call('setIdentificationQuota', { regionCode, year: 2027, quota: 6 }, tokens.township),
      ),
    );
    expect(answers.filter((answer) => answer.result)).toHaveLength(1);
    expect(answers.find((answer) => answer.error)?.error?.message).toContain('超出本镇');
    const allotted = (
      await adminDb().collection('identificationQuotas').doc(`${township}_2027`).get()
    ).get('allotted');
    expect(allotted).toBe(6);
  });

  describe('no step by the wrong role or region', () => {
    it('refuses other villages, helpers and offices outside the round', async () => {
      const other = await refused(call('getIdentificationRound', { roundId }, tokens.otherVillage));
      expect(other.status).toBe('PERMISSION_DENIED');
      const donor = await refused(call('listIdentificationRounds', {}, tokens.objector));
      expect(donor.status).toBe('PERMISSION_DENIED');
      const helperQuota = await refused(
        call('setIdentificationQuota', { regionCode: village, year, quota: 1 }, tokens.helper),
      );
      expect(helperQuota.status).toBe('PERMISSION_DENIED');
      const townshipSetsTownship = await refused(
        call('setIdentificationQuota', { regionCode: township, year, quota: 99 }, tokens.township),
      );
      expect(townshipSetsTownship.status).toBe('PERMISSION_DENIED');
      const helperNotice = await refused(
        call(
          'postNotice',
          { requestId: newRequestId(), roundId, contactPhone: '0857-6231234' },
          tokens.helper,
        ),
      );
      expect(helperNotice.status).toBe('PERMISSION_DENIED');
    });

    it('walks an exit (脱贫) the shorter way: one notice, township, county', async () => {
      const household = (
        await adminDb()
          .collection('households')
          .where('villageCode', '==', village)
          .where('headName', '==', '田大山')
          .get()
      ).docs[0];
      const exitRound = `${village}_${year}_adjustment`;
      const filed = await ok<{ applicationId: string; roundId: string }>(
        call(
          'fileApplication',
          {
            requestId: newRequestId(),
            kind: 'exit',
            year,
            householdId: household?.id,
            situation: '家庭人均纯收入已达标，两不愁三保障已实现。',
            appliedOn: '2026-11-20',
          },
          tokens.village,
        ),
      );
      expect(filed.roundId).toBe(exitRound);
      const twice = await refused(
        call(
          'fileApplication',
          {
            requestId: newRequestId(),
            kind: 'exit',
            year,
            householdId: household?.id,
            situation: '重复提交的退出申请。',
            appliedOn: '2026-11-20',
          },
          tokens.village,
        ),
      );
      expect(twice.details?.issues).toContainEqual({
        path: 'householdId',
        code: 'id_on_application',
      });
      await ok(
        call(
          'recordSurvey',
          {
            requestId: newRequestId(),
            applicationId: filed.applicationId,
            visitedOn: '2026-11-21',
            findings,
            eligible: true,
          },
          tokens.village,
        ),
      );
      await ok(
        call(
          'recordAppraisal',
          {
            requestId: newRequestId(),
            roundId: exitRound,
            heldOn: '2026-11-22',
            body: 'representatives_assembly',
            present: ['甲一', '乙二', '丙三', '丁四', '戊五'],
            results: [
              { applicationId: filed.applicationId, votesFor: 5, votesAgainst: 0, rank: 1 },
            ],
          },
          tokens.village,
        ),
      );
      const notice = await ok<{ noticeId: string }>(
        call(
          'postNotice',
          { requestId: newRequestId(), roundId: exitRound, contactPhone: '13800001111' },
          tokens.village,
        ),
      );
      await passWindow(notice.noticeId);
      await ok(
        call('submitList', { requestId: newRequestId(), roundId: exitRound }, tokens.village),
      );
      const township_ = await ok<{ stage: string }>(
        call(
          'reviewList',
          { requestId: newRequestId(), roundId: exitRound, decision: 'approve' },
          tokens.township,
        ),
      );
      expect(township_.stage).toBe('county_review');
      await ok(
        call(
          'reviewList',
          { requestId: newRequestId(), roundId: exitRound, decision: 'approve' },
          tokens.county,
        ),
      );
      const after = (
        await adminDb()
          .collection('households')
          .doc(household?.id as string)
          .get()
      ).data();
      // It leaves poverty, and stays on record.
      expect(after).toMatchObject({ status: 'out', outYear: year, onRoster: true });
    }, 120_000);
  });
});
