/**
 * Every callable × every role × own / other village, township and county: the allowed cells get
 * through (whatever the call then answers), every other cell gets permission-denied — the same
 * answer whether or not the target exists — and an anonymous caller gets unauthenticated.
 */
import { randomUUID } from 'node:crypto';
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { adminDb, call, newRequestId, projectId, signIn, signInByPhone } from '../support/platform';

const village = '520526105202'; // 营盘村: helper3 works here
const township = '520526105';
const county = '520526';

type Actor =
  | 'villageAdmin'
  | 'otherVillageAdmin'
  | 'helper'
  | 'otherVillageHelper'
  | 'township'
  | 'otherTownship'
  | 'county'
  | 'otherCounty'
  | 'ops'
  | 'donor';
const actors: Actor[] = [
  'villageAdmin',
  'otherVillageAdmin',
  'helper',
  'otherVillageHelper',
  'township',
  'otherTownship',
  'county',
  'otherCounty',
  'ops',
  'donor',
];

async function tokenWithClaims(uid: string, role: string, region: string): Promise<string> {
  if (getApps().length === 0) initializeApp({ projectId });
  await adminDb()
    .collection('staff')
    .doc(uid)
    .set({ role, regionCode: region, name: '矩阵测试', active: true });
  const custom = await getAuth().createCustomToken(uid, { role, region });
  const response = await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=demo-api-key`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: custom, returnSecureToken: true }),
    },
  );
  return ((await response.json()) as { idToken: string }).idToken;
}

const tokens = {} as Record<Actor, string>;
let needId: string;
let unfinishedNeedId: string;
let householdId: string;
let photoId: string;
let rosterIdNumber: string;
const missingRound = `${village}_2099_entry`;
const surveyFindings = Object.fromEntries(
  ['income', 'assets', 'labour', 'living', 'cause'].map((aspect) => [
    aspect,
    { agrees: true, note: '相符' },
  ]),
);

beforeAll(async () => {
  // Ids of real documents of 营盘村, so a refusal cannot come from a missing target.
  [
    tokens.villageAdmin,
    tokens.otherVillageAdmin,
    tokens.helper,
    tokens.otherVillageHelper,
    tokens.township,
    tokens.county,
    tokens.ops,
    tokens.donor,
  ] = await Promise.all([
    signIn('v02b@demo.fupin.cn'),
    signIn('v03b@demo.fupin.cn'),
    signIn('helper3@demo.fupin.cn'),
    signIn('helper1@demo.fupin.cn'),
    signIn('township@demo.fupin.cn'),
    signIn('county@demo.fupin.cn'),
    signIn('ops@demo.fupin.cn'),
    signInByPhone('+8613800000003'),
  ]);
  tokens.otherTownship = await tokenWithClaims(
    'matrix-other-township',
    'township_admin',
    '520526106',
  );
  tokens.otherCounty = await tokenWithClaims('matrix-other-county', 'county_admin', '520527');
  // A need the village administrator seeded: other tests submit needs here as helper3, who may
  // act on their own.
  const need = (
    await adminDb()
      .collection('needs')
      .where('villageCode', '==', village)
      .where('submittedBy', '==', 'demo-v02a')
      .get()
  ).docs[0];
  needId = need?.id as string;
  // A need waiting for review (seeded as submitted): closing it is refused for its status.
  const unfinished = (
    await adminDb()
      .collection('needs')
      .where('villageCode', '==', village)
      .where('submittedBy', '==', 'demo-v02a')
      .where('status', '==', 'submitted')
      .limit(1)
      .get()
  ).docs[0];
  unfinishedNeedId = unfinished?.id as string;
  const household = (
    await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .where('helperUid', '==', 'demo-helper3')
      .get()
  ).docs[0];
  householdId = household?.id as string;
  rosterIdNumber = (await adminDb().collection('householdsPrivate').doc(householdId).get()).get(
    'idNumber',
  ) as string;
  // A seeded photo of the village administrator's: other tests upload photos as helpers, and a
  // helper may see their own.
  photoId = (
    await adminDb()
      .collection('evidencePhotos')
      .where('villageCode', '==', village)
      .where('uploaderUid', '==', 'demo-v02a')
      .get()
  ).docs[0]?.id as string;
});

const staffInVillage: Actor[] = ['villageAdmin', 'helper', 'township', 'county', 'ops'];
const officesOver: Actor[] = ['township', 'county', 'ops'];
const everyoneSignedIn: Actor[] = actors;

/** Each callable with an input aimed at 营盘村, and who may call it. */
const cells: Array<{ name: string; input: () => Record<string, unknown>; allowed: Actor[] }> = [
  {
    name: 'registerHousehold',
    input: () => ({ householdId, requestId: newRequestId() }),
    allowed: ['villageAdmin', 'helper'],
  },
  { name: 'getVillageOverview', input: () => ({ villageCode: village }), allowed: staffInVillage },
  { name: 'listNeeds', input: () => ({ villageCode: village }), allowed: staffInVillage },
  {
    name: 'exportLedger',
    input: () => ({ villageCode: village, format: 'csv' }),
    allowed: ['villageAdmin', 'township', 'county', 'ops'],
  },
  {
    name: 'startNeedReview',
    input: () => ({ needId, requestId: newRequestId() }),
    allowed: ['villageAdmin'],
  },
  {
    name: 'confirmReceipt',
    input: () => ({ needId, requestId: newRequestId(), receivedOn: '2026-11-20' }),
    allowed: ['villageAdmin'],
  },
  {
    name: 'withdrawNeed',
    input: () => ({ needId: 'no-such-need', requestId: newRequestId() }),
    allowed: [],
  },
  {
    // A need not yet fulfilled: the village administrator is let through and refused only for
    // its status (failed-precondition), so nothing is closed.
    name: 'closeNeed',
    input: () => ({ needId: unfinishedNeedId, requestId: newRequestId() }),
    allowed: ['villageAdmin'],
  },
  {
    name: 'revealSensitive',
    input: () => ({
      resource: { kind: 'household', id: householdId },
      field: 'idNumber',
      reason: '访问矩阵测试',
    }),
    allowed: ['villageAdmin', 'township', 'county'],
  },
  {
    name: 'importRoster',
    input: () => ({
      requestId: newRequestId(),
      format: 'csv',
      dataBase64: Buffer.from('户主姓名\n张三').toString('base64'),
    }),
    allowed: ['villageAdmin', 'otherVillageAdmin'],
  },
  { name: 'getRatesDashboard', input: () => ({ regionCode: township }), allowed: officesOver },
  {
    name: 'exportRatesReport',
    input: () => ({ regionCode: township, format: 'csv' }),
    allowed: officesOver,
  },
  { name: 'repairRates', input: () => ({ regionCode: village }), allowed: ['ops'] },
  // A seeded photo of a need the village administrator submitted: a helper sees only their own.
  {
    name: 'getEvidencePhotoUrls',
    input: () => ({ photoIds: [photoId] }),
    allowed: ['villageAdmin', 'township', 'county', 'ops'],
  },
  {
    name: 'uploadEvidencePhoto',
    input: () => ({
      photoId: randomUUID(),
      draftId: randomUUID(),
      contentType: 'image/jpeg',
      dataBase64: '',
    }),
    allowed: ['villageAdmin', 'otherVillageAdmin', 'helper', 'otherVillageHelper'],
  },
  { name: 'getPublicNeed', input: () => ({ needId }), allowed: everyoneSignedIn },
  { name: 'listPublicNeeds', input: () => ({ regionCode: county }), allowed: everyoneSignedIn },
  {
    name: 'donate',
    input: () => ({ requestId: newRequestId(), needId: 'no-such-need', amountFen: 100 }),
    allowed: ['donor'],
  },
  { name: 'listMyDonations', input: () => ({}), allowed: ['donor'] },
  // Only a donor, and only for their own pledge (another's, or none, is not found).
  { name: 'startPayment', input: () => ({ donationId: 'no-such-donation' }), allowed: ['donor'] },
  // Past the role check (donor), the donation decides: only its own donor sees the account, and
  // no donation is anyone's, so every caller is refused alike (transfer.test.ts has the rest).
  { name: 'getTransferAccount', input: () => ({ donationId: 'no-such-donation' }), allowed: [] },
  {
    name: 'recordTransferArrival',
    // Past the role check (village administrators), the donation's own village decides; no
    // donation is in any village, so every caller is refused alike (see transfer.test.ts).
    input: () => ({
      requestId: newRequestId(),
      donationId: 'no-such-donation',
      arrivedOn: '2026-11-20',
      amountFen: 100,
      referenceLast4: '1234',
      evidencePhotoId: photoId,
      householdConfirmed: true,
    }),
    allowed: [],
  },
  {
    name: 'appointStaff',
    input: () => ({
      requestId: newRequestId(),
      phone: '+8613900000777',
      name: '矩阵',
      role: 'helper',
      regionCode: village,
    }),
    allowed: ['township'],
  },
  { name: 'removeStaff', input: () => ({ uid: 'no-such-staff' }), allowed: [] },
  {
    name: 'assignHelper',
    // No such helper: an allowed caller is refused as failed-precondition, nothing moves.
    input: () => ({
      requestId: newRequestId(),
      householdId,
      helperUid: 'no-such-helper',
      expectedHelperUid: 'no-such-helper',
    }),
    allowed: ['villageAdmin', 'township'],
  },
  {
    name: 'listVillageHelpers',
    input: () => ({ villageCode: village }),
    allowed: ['villageAdmin', 'township'],
  },
  {
    name: 'saveDonorProfile',
    // The seeded donor's own profile, unchanged.
    input: () => ({ kind: 'person', name: '王老师' }),
    allowed: ['donor'],
  },
  { name: 'getDonorProfile', input: () => ({}), allowed: ['donor'] },
  { name: 'setFollow', input: () => ({ regionCode: township, follow: false }), allowed: ['donor'] },
  {
    name: 'pledgeGoods',
    input: () => ({
      requestId: newRequestId(),
      needId: 'no-such-need',
      items: [{ itemIndex: 0, quantity: 1 }],
      delivery: { method: 'in_person' },
    }),
    allowed: ['donor'],
  },
  {
    name: 'recordShipment',
    input: () => ({
      requestId: newRequestId(),
      donationId: 'no-such-donation',
      courier: 'sf',
      trackingNumber: 'SF123456789012',
    }),
    allowed: ['donor'],
  },
  {
    name: 'recordHandover',
    input: () => ({
      requestId: newRequestId(),
      donationId: 'no-such-donation',
      receivedOn: '2026-11-20',
      recipientConfirmed: true,
    }),
    // Past the role check, the donation's own village decides (see goods.test.ts).
    allowed: ['villageAdmin', 'otherVillageAdmin', 'helper', 'otherVillageHelper'],
  },
  {
    name: 'confirmHandover',
    input: () => ({ requestId: newRequestId(), donationId: 'no-such-donation' }),
    allowed: ['donor'],
  },
  {
    name: 'getGoodsContact',
    input: () => ({ donationId: 'no-such-donation' }),
    // Past the role check, the donation decides: its donor, or its village's staff.
    allowed: ['villageAdmin', 'otherVillageAdmin', 'helper', 'otherVillageHelper', 'donor'],
  },
  {
    name: 'setVillageReceiving',
    // A phone no one can have: the allowed cells stop at validation and nothing is written.
    input: () => ({
      requestId: newRequestId(),
      address: '村委会',
      contactName: '张三',
      phone: 'x',
    }),
    allowed: ['villageAdmin', 'otherVillageAdmin'],
  },
  {
    name: 'getGoodsAvailability',
    input: () => ({ needId: 'no-such-need' }),
    allowed: ['donor'],
  },
  {
    name: 'getVillageReceiving',
    input: () => ({}),
    allowed: ['villageAdmin', 'otherVillageAdmin', 'helper', 'otherVillageHelper'],
  },
  {
    name: 'attachGoodsPhoto',
    input: () => ({
      requestId: newRequestId(),
      donationId: 'no-such-donation',
      contentType: 'image/jpeg',
      dataBase64: 'AAAA',
    }),
    allowed: ['donor'],
  },
  // The village's own cadres (a helper only for needs they submitted, not this one).
  { name: 'listNeedDonations', input: () => ({ needId }), allowed: ['villageAdmin'] },
  {
    name: 'recordHomeVisit',
    input: () => ({
      requestId: newRequestId(),
      householdId,
      // Another year than homeVisits.test.ts counts, so the two never meet.
      visitedOn: '2025-03-12',
      signedBy: { household: true, helper: true, cadre: false },
    }),
    allowed: ['villageAdmin', 'helper'],
  },
  {
    name: 'setSpotCheck',
    input: () => ({ villageCode: village, year: 2025, sampled: false, households: 0 }),
    allowed: ['township', 'county'],
  },
  {
    name: 'exportVisitProgress',
    input: () => ({ regionCode: township, year: 2026, format: 'csv' }),
    allowed: ['township', 'county', 'ops'],
  },
  // A certificate that is not the caller's, or none, gets the same refusal.
  { name: 'getCertificateFiles', input: () => ({ serial: 'FP-2026-0000-0000-0000' }), allowed: [] },
  {
    name: 'refundDonation',
    input: () => ({
      requestId: newRequestId(),
      donationId: 'no-such-donation',
      reason: 'donation_refunded',
    }),
    allowed: ['ops'],
  },
  {
    name: 'exportDonorRegistry',
    input: () => ({ regionCode: village, format: 'csv' }),
    allowed: ['villageAdmin', 'township', 'county', 'ops'],
  },
  // 建档立卡 identification. A round or notice that does not exist is denied to everyone alike
  // (the same answer as one of another region); the calls that would write are aimed so the
  // allowed cells are refused for their content (an ID on the roster, a missing quota), never
  // creating a round in the demo township.
  {
    name: 'setIdentificationQuota',
    input: () => ({ regionCode: village, year: 2099, quota: 1 }),
    allowed: ['township'],
  },
  {
    name: 'fileApplication',
    input: () => ({
      requestId: newRequestId(),
      kind: 'entry',
      year: 2099,
      headName: '矩阵户',
      headIdNumber: rosterIdNumber,
      members: [],
      annualIncomeFen: 100_000,
      housing: 'safe',
      claimedCause: '因病',
      situation: '访问矩阵测试的申请。',
      wubao: false,
      appliedOn: '2026-11-02',
    }),
    allowed: ['villageAdmin', 'otherVillageAdmin', 'helper', 'otherVillageHelper'],
  },
  ...(
    [
      [
        'recordSurvey',
        {
          applicationId: 'no-such-application',
          visitedOn: '2026-11-05',
          eligible: true,
          findings: surveyFindings,
        },
      ],
      [
        'recordAppraisal',
        {
          roundId: missingRound,
          heldOn: '2026-11-10',
          body: 'appraisal_group',
          present: ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬'],
          results: [{ applicationId: 'a1', votesFor: 9, votesAgainst: 0, rank: 1 }],
        },
      ],
      ['postNotice', { roundId: missingRound, contactPhone: '0857-6231234' }],
      [
        'answerObjection',
        { objectionId: 'no-such-objection', decision: 'dismissed', reasons: '访问矩阵测试。' },
      ],
      ['submitList', { roundId: missingRound }],
      ['reviewList', { roundId: missingRound, decision: 'return', reasons: '访问矩阵测试。' }],
      ['withdrawApplication', { applicationId: 'no-such-application', reasons: '访问矩阵测试。' }],
    ] as const
  ).map(([name, fields]) => ({
    name,
    input: () => ({ requestId: newRequestId(), ...fields }),
    allowed: [] as Actor[],
  })),
  { name: 'getIdentificationRound', input: () => ({ roundId: missingRound }), allowed: [] },
  { name: 'exportNoticePdf', input: () => ({ noticeId: `${missingRound}_first_1` }), allowed: [] },
  {
    name: 'exportIdentificationFile',
    input: () => ({ applicationId: 'no-such-application', format: 'pdf' }),
    allowed: [],
  },
  {
    name: 'listIdentificationRounds',
    input: () => ({ regionCode: village }),
    allowed: staffInVillage,
  },
  {
    // Anyone signed in may object (a staff account without a verified phone is told to verify one).
    name: 'fileObjection',
    input: () => ({
      requestId: newRequestId(),
      noticeId: `${missingRound}_first_1`,
      applicationId: 'no-such-application',
      text: '访问矩阵测试的异议。',
    }),
    allowed: everyoneSignedIn,
  },
  // 一户一册一卡. Writes are aimed at a revision the file never had, so allowed cells are refused
  // for content (file_changed) and nothing of the demo household changes.
  {
    name: 'getHouseholdFile',
    input: () => ({ householdId, year: 2026 }),
    allowed: ['villageAdmin', 'helper', 'township', 'county', 'ops'],
  },
  {
    name: 'recordSheetVisit',
    input: () => ({
      requestId: newRequestId(),
      householdId,
      visitedOn: '2026-11-20',
      baseRevision: 999,
      sheet: {
        members: [],
        living: Object.fromEntries(
          [
            'enoughFood',
            'enoughClothing',
            'schooling',
            'medicalInsurance',
            'safeHousing',
            'safeWater',
            'electricity',
            'road',
          ].map((check) => [check, true]),
        ),
        income: { wage: 0, business: 0, property: 0, transfer: 0 },
        causes: ['因病'],
      },
      confirmations: {
        household: { kind: 'none' },
        helper: { kind: 'none' },
        cadre: { kind: 'none' },
      },
    }),
    allowed: ['villageAdmin', 'helper'],
  },
  {
    name: 'saveHandbook',
    input: () => ({
      requestId: newRequestId(),
      householdId,
      year: 2026,
      baseRevision: 999,
      plan: '',
      measures: [],
      results: '',
    }),
    allowed: ['villageAdmin', 'helper'],
  },
  {
    name: 'getUnificationReport',
    input: () => ({ villageCode: village, year: 2026 }),
    allowed: ['villageAdmin', 'township', 'county', 'ops'],
  },
  {
    name: 'exportUnificationReport',
    input: () => ({ villageCode: village, year: 2026, format: 'csv' }),
    allowed: ['villageAdmin', 'township', 'county', 'ops'],
  },
  {
    name: 'markCorrectionsEntered',
    input: () => ({ requestId: newRequestId(), changeIds: ['no-such-change'] }),
    allowed: [],
  },
  {
    // The year the demo township's cards already follow: setting it again changes nothing.
    name: 'setCardYear',
    input: () => ({ townshipCode: township, cardYear: 2020 }),
    allowed: ['township'],
  },
  {
    // A household that does not exist: denied alike to everyone.
    name: 'recordDistribution',
    input: () => ({
      requestId: newRequestId(),
      householdId: 'no-such-household',
      year: 2026,
      cardOn: '2026-11-20',
      handbookOn: null,
    }),
    allowed: [],
  },
  {
    name: 'exportInformationSheet',
    input: () => ({ householdId, year: 2026 }),
    allowed: ['villageAdmin', 'helper', 'township', 'county', 'ops'],
  },
  {
    name: 'exportHandbook',
    input: () => ({ householdId, year: 2026 }),
    allowed: ['villageAdmin', 'helper', 'township', 'county', 'ops'],
  },
  {
    name: 'exportContactCards',
    input: () => ({ householdId }),
    allowed: ['villageAdmin', 'helper', 'township', 'county', 'ops'],
  },
  {
    // A far year, so no footer the demo township's forms print is touched.
    name: 'saveProgressReport',
    input: () => ({
      townshipCode: township,
      year: 2099,
      filledOn: '2026-11-20',
      reviewer: '甲',
      filler: '乙',
      contact: '0857-6231234',
      summary: '访问矩阵测试的情况说明。',
    }),
    allowed: ['township'],
  },
];

/** Callables for anyone, signed in or not: what they answer is public by design. */
const publicCells: Array<{ name: string; input: () => Record<string, unknown> }> = [
  { name: 'listRegions', input: () => ({ parentCode: township }) },
  { name: 'listCouriers', input: () => ({}) },
  { name: 'verifyCertificate', input: () => ({ serial: 'FP-2026-0000-0000-0000' }) },
  { name: 'getPublicNotice', input: () => ({ noticeId: `${missingRound}_first_1` }) },
];

describe.each(publicCells)('$name (public)', ({ name, input }) => {
  test.each([...actors, 'anonymous' as const])('%s', async (actor) => {
    const token = actor === 'anonymous' ? undefined : tokens[actor];
    const { error } = await call(name, input(), token);
    expect(['PERMISSION_DENIED', 'UNAUTHENTICATED']).not.toContain(error?.status);
  });
});

describe.each(cells)('$name', ({ name, input, allowed }) => {
  test.each(actors)('%s', async (actor) => {
    const { error } = await call(name, input(), tokens[actor]);
    if (allowed.includes(actor)) {
      expect(['PERMISSION_DENIED', 'UNAUTHENTICATED']).not.toContain(error?.status);
    } else {
      expect(error?.status).toBe('PERMISSION_DENIED');
    }
  });

  it('refuses an anonymous caller', async () => {
    expect((await call(name, input())).error?.status).toBe('UNAUTHENTICATED');
  });
});

it('aimed at real documents of the village', () => {
  expect(
    [needId, unfinishedNeedId, householdId, photoId, rosterIdNumber].every(
      (id) => typeof id === 'string' && id.length > 0,
    ),
  ).toBe(true);
});
