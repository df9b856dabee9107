/**
 * 结对帮扶 (seed 003: every household has one helper): the roster import pairs households with
 * the village's appointed helpers by name, the village administrator reassigns, and a helper acts
 * only on the households assigned to them now — the right moves with the assignment, at once.
 */
import { randomUUID } from 'node:crypto';
import { adminDb, call, newRequestId, signIn, signInByPhone } from '../support/platform';
import { csvOf, header, id } from '../support/rosterFiles';

const village = '520526105208'; // 石门乡 v08: no demo helper works here
const adminEmail = 'v08a@demo.fupin.cn';

// Fresh ID numbers (born 1973-03-0x), so the households are this file's own.
const ids = Array.from({ length: 8 }, (_, i) => id(`52052619730303${String(800 + i)}`));

interface ImportAnswer {
  ok: boolean;
  dryRun: boolean;
  created: number;
  updated: number;
  helpersAssigned: number;
  helperProblems: Array<{ row: number; code: string }>;
}

interface AssignAnswer {
  householdId: string;
  helperUid: string | null;
  helperName: string | null;
  changed: boolean;
}

const row = (idNumber: string, headName: string, helperName: string) => [
  headName,
  idNumber,
  '威宁县石门乡8组1号',
  '3',
  '因病',
  '3200',
  '未脱贫',
  helperName,
];

function importRows(token: string, rows: string[][], dryRun = false) {
  return call<ImportAnswer>(
    'importRoster',
    {
      requestId: newRequestId(),
      format: 'csv',
      dataBase64: Buffer.from(csvOf([header, ...rows]), 'utf8').toString('base64'),
      dryRun,
    },
    token,
  );
}

async function householdIdOf(idNumber: string): Promise<string> {
  const page = await adminDb()
    .collection('householdsPrivate')
    .where('idNumber', '==', idNumber)
    .get();
  const doc = page.docs[0];
  if (!doc) throw new Error('household not imported');
  return doc.id;
}

const helperOf = async (householdId: string) =>
  (await adminDb().collection('households').doc(householdId).get()).get('helperUid') as
    string | null;

const assign = (
  token: string,
  householdId: string,
  helperUid: string | null,
  expectedHelperUid: string | null,
  requestId = newRequestId(),
) =>
  call<AssignAnswer>(
    'assignHelper',
    { requestId, householdId, helperUid, expectedHelperUid },
    token,
  );

async function auditOf(householdId: string) {
  const page = await adminDb()
    .collection('auditLog')
    .where('resource', '==', `households/${householdId}`)
    .get();
  return page.docs.map((doc) => doc.data()).filter((entry) => entry.action === 'assign_helper');
}

async function appoint(township: string, name: string, phone: string): Promise<string> {
  const { result, error } = await call<{ uid: string }>(
    'appointStaff',
    { requestId: newRequestId(), phone, name, role: 'helper', regionCode: village },
    township,
  );
  if (error || !result) throw new Error(`cannot appoint ${name}: ${error?.message}`);
  return result.uid;
}

describe('结对帮扶', () => {
  let township: string;
  let admin: string;
  const helpers: Record<'a' | 'b' | 'c', { uid: string; token: string }> = {} as never;
  let households: string[];

  beforeAll(async () => {
    [township, admin] = await Promise.all([signIn('township@demo.fupin.cn'), signIn(adminEmail)]);
    const phones = { a: '+8613900008801', b: '+8613900008802', c: '+8613900008803' };
    const names = { a: '结对甲', b: '结对乙', c: '结对丙' };
    for (const key of ['a', 'b', 'c'] as const) {
      const uid = await appoint(township, names[key], phones[key]);
      helpers[key] = { uid, token: await signInByPhone(phones[key]) };
    }
    // Two helpers of one name: the roster cannot say which is meant.
    await appoint(township, '同名人', '+8613900008804');
    await appoint(township, '同名人', '+8613900008805');
  });

  it('pairs by the 帮扶责任人 column: one match assigns, unknown and ambiguous names are reported and assign nothing; a dry run writes nothing', async () => {
    const rows = [
      row(ids[0] as string, '结对户一', '结对甲'),
      row(ids[1] as string, '结对户二', '结对乙'),
      row(ids[2] as string, '结对户三', '无此人'),
      row(ids[3] as string, '结对户四', '同名人'),
      row(ids[4] as string, '结对户五', ''),
      row(ids[5] as string, '结对户六', '结对丙'),
      row(ids[6] as string, '结对户七', ''),
    ];
    const dry = await importRows(admin, rows, true);
    expect(dry.error).toBeUndefined();
    expect(dry.result).toMatchObject({
      ok: true,
      dryRun: true,
      created: 7,
      helpersAssigned: 3,
      helperProblems: [
        { row: 4, code: 'helper_unknown' },
        { row: 5, code: 'helper_ambiguous' },
      ],
    });
    const none = await adminDb()
      .collection('householdsPrivate')
      .where('idNumber', 'in', ids.slice(0, 7))
      .get();
    expect(none.size).toBe(0);

    const done = await importRows(admin, rows);
    expect(done.result).toMatchObject({
      ok: true,
      dryRun: false,
      created: 7,
      helpersAssigned: 3,
      helperProblems: dry.result?.helperProblems,
    });
    households = await Promise.all(ids.slice(0, 7).map(householdIdOf));
    expect(await Promise.all(households.map(helperOf))).toEqual([
      helpers.a.uid,
      helpers.b.uid,
      null,
      null,
      null,
      helpers.c.uid,
      null,
    ]);
    const first = (
      await adminDb()
        .collection('households')
        .doc(households[0] as string)
        .get()
    ).data();
    expect(first).toMatchObject({
      helperName: '结对甲',
      rosterHelperName: '结对甲',
      assigned: true,
    });
    const unknown = (
      await adminDb()
        .collection('households')
        .doc(households[2] as string)
        .get()
    ).data();
    expect(unknown).toMatchObject({
      helperName: null,
      rosterHelperName: '无此人',
      assigned: false,
    });
  });

  it('tells two helpers of one name apart by the helper’s phone column', async () => {
    const rows = [
      [...header, '帮扶责任人联系电话'],
      [...row(ids[7] as string, '结对户八', '同名人'), '139 0000 8805'],
    ];
    const { result } = await call<ImportAnswer>(
      'importRoster',
      {
        requestId: newRequestId(),
        format: 'csv',
        dataBase64: Buffer.from(csvOf(rows), 'utf8').toString('base64'),
      },
      admin,
    );
    expect(result).toMatchObject({ ok: true, created: 1, helpersAssigned: 1, helperProblems: [] });
    const household = await householdIdOf(ids[7] as string);
    const second = await adminDb().collection('staff').where('phone', '==', '+8613900008805').get();
    expect(await helperOf(household)).toBe(second.docs[0]?.id);
  });

  it('refuses a helper acting on a household assigned to another, and writes nothing', async () => {
    const [ofA] = households as [string];
    const other = helpers.b.token;

    const registered = await call(
      'registerHousehold',
      { householdId: ofA, requestId: newRequestId() },
      other,
    );
    expect(registered.error?.status).toBe('PERMISSION_DENIED');

    const visit = await call(
      'recordHomeVisit',
      {
        requestId: newRequestId(),
        householdId: ofA,
        visitedOn: '2026-11-20',
        signedBy: { household: true, helper: true, cadre: false },
      },
      other,
    );
    expect(visit.error?.status).toBe('PERMISSION_DENIED');

    const photoId = randomUUID();
    await adminDb()
      .collection('evidencePhotos')
      .doc(photoId)
      .set({ villageCode: village, status: 'processed', uploaderUid: helpers.b.uid });
    const need = await call(
      'submitNeed',
      {
        requestId: newRequestId(),
        householdId: ofA,
        category: 'medical',
        kind: 'money',
        amountFen: 300_000,
        headName: '结对户一',
        idNumber: ids[0],
        address: '威宁县石门乡8组1号',
        reason: '户主患慢性病，需要长期服药，医保报销后仍有缺口',
        evidencePhotoIds: [photoId],
        bankAccount: '6222020200112233445',
        adminName: '信息员甲',
      },
      other,
    );
    expect(need.error?.status).toBe('PERMISSION_DENIED');

    const household = (await adminDb().collection('households').doc(ofA).get()).data();
    expect(household).toMatchObject({ registered: false, helperUid: helpers.a.uid });
    const visits = await adminDb().collection('homeVisits').where('householdId', '==', ofA).get();
    expect(visits.size).toBe(0);
    const needs = await adminDb().collection('needs').where('householdId', '==', ofA).get();
    expect(needs.size).toBe(0);
  });

  it('moves the right at once on reassignment: the old helper is refused, the new one allowed', async () => {
    const household = households[1] as string; // 结对乙's
    const requestId = newRequestId();
    const moved = await assign(admin, household, helpers.a.uid, helpers.b.uid, requestId);
    expect(moved.result).toEqual({
      householdId: household,
      helperUid: helpers.a.uid,
      helperName: '结对甲',
      changed: true,
    });
    // The same request again is the same assignment: one audit entry.
    const replay = await assign(admin, household, helpers.a.uid, helpers.b.uid, requestId);
    expect(replay.result).toEqual(moved.result);
    expect(await auditOf(household)).toEqual([
      expect.objectContaining({
        uid: 'demo-v08a',
        role: 'village_admin',
        fromHelperUid: helpers.b.uid,
        toHelperUid: helpers.a.uid,
      }),
    ]);

    const byOld = await call(
      'registerHousehold',
      { householdId: household, requestId: newRequestId() },
      helpers.b.token,
    );
    expect(byOld.error?.status).toBe('PERMISSION_DENIED');
    const byNew = await call(
      'registerHousehold',
      { householdId: household, requestId: newRequestId() },
      helpers.a.token,
    );
    expect(byNew.error).toBeUndefined();
    expect(byNew.result).toMatchObject({ registered: true, alreadyRegistered: false });
  });

  it('takes the right from a helper removed from office', async () => {
    const household = households[5] as string; // 结对丙's
    const visit = () =>
      call(
        'recordHomeVisit',
        {
          requestId: newRequestId(),
          householdId: household,
          visitedOn: '2026-11-20',
          signedBy: { household: true, helper: true, cadre: false },
        },
        helpers.c.token,
      );
    // A token still carrying the helper's claims: the inactive staff record refuses it.
    const staff = adminDb().collection('staff').doc(helpers.c.uid);
    await staff.update({ active: false });
    expect((await visit()).error?.status).toBe('PERMISSION_DENIED');
    await staff.update({ active: true });

    const removed = await call<{ householdsReleased: number }>(
      'removeStaff',
      { uid: helpers.c.uid },
      township,
    );
    expect(removed.error).toBeUndefined();
    // Their households go back to the unassigned list, each with its audit entry.
    expect(removed.result?.householdsReleased).toBeGreaterThanOrEqual(1);
    const released = (await adminDb().collection('households').doc(household).get()).data();
    expect(released).toMatchObject({ helperUid: null, helperName: null, assigned: false });
    expect(await auditOf(household)).toContainEqual(
      expect.objectContaining({
        fromHelperUid: helpers.c.uid,
        toHelperUid: null,
        cause: 'helper_removed',
      }),
    );
    const unassigned = await call<{ households: Array<{ id: string }> }>(
      'getVillageOverview',
      { villageCode: village, helperUid: null, pageSize: 100 },
      admin,
    );
    expect(unassigned.result?.households.map((row) => row.id)).toContain(household);
    // Refused either way: as unauthenticated once the revoked session is noticed, or by the
    // inactive staff record while the token still verifies (revocation counts in whole seconds).
    expect(['UNAUTHENTICATED', 'PERMISSION_DENIED']).toContain((await visit()).error?.status);
    const visits = await adminDb()
      .collection('homeVisits')
      .where('householdId', '==', household)
      .get();
    expect(visits.size).toBe(0);
    // Nor can a removed helper be assigned again.
    const again = await assign(admin, households[6] as string, helpers.c.uid, null);
    expect(again.error?.status).toBe('FAILED_PRECONDITION');
    expect(await helperOf(households[6] as string)).toBeNull();
  });

  it('assigns only a helper of the household’s own village, and only the village’s (or township’s) cadres may', async () => {
    const household = households[4] as string;
    const foreignHelper = await assign(admin, household, 'demo-helper1', null);
    expect(foreignHelper.error?.status).toBe('FAILED_PRECONDITION');
    const otherVillage = await assign(
      await signIn('v01a@demo.fupin.cn'),
      household,
      helpers.a.uid,
      null,
    );
    expect(otherVillage.error?.status).toBe('PERMISSION_DENIED');
    const byHelper = await assign(helpers.a.token, household, helpers.a.uid, null);
    expect(byHelper.error?.status).toBe('PERMISSION_DENIED');
    expect(await helperOf(household)).toBeNull();

    const byTownship = await assign(township, household, helpers.b.uid, null);
    expect(byTownship.result).toMatchObject({ helperUid: helpers.b.uid, changed: true });
    const cleared = await assign(admin, household, null, helpers.b.uid);
    expect(cleared.result).toMatchObject({ helperUid: null, helperName: null, changed: true });
    expect((await adminDb().collection('households').doc(household).get()).data()).toMatchObject({
      helperUid: null,
      helperName: null,
      assigned: false,
    });
  });

  it('lists the village’s active helpers for the assignment picker, to its own cadres only', async () => {
    const listed = await call<{ helpers: Array<{ uid: string; name: string; phone: string }> }>(
      'listVillageHelpers',
      {},
      admin,
    );
    expect(listed.error).toBeUndefined();
    // 结对丙 was removed; 同名人 twice, told apart by the last four of the phone; in name order.
    expect(listed.result?.helpers.map((helper) => helper.name)).toEqual(
      ['结对甲', '结对乙', '同名人', '同名人'].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN')),
    );
    expect(listed.result?.helpers.find((helper) => helper.uid === helpers.a.uid)?.phone).toBe(
      '*******8801',
    );
    const byTownship = await call('listVillageHelpers', { villageCode: village }, township);
    expect(byTownship.result).toEqual(listed.result);
    const otherVillage = await call(
      'listVillageHelpers',
      { villageCode: village },
      await signIn('v01a@demo.fupin.cn'),
    );
    expect(otherVillage.error?.status).toBe('PERMISSION_DENIED');
  });

  it('lets exactly one of concurrent reassignments win, and the household agrees with it', async () => {
    const household = households[2] as string; // unassigned (its roster name was unknown)
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        assign(
          i % 2 === 0 ? admin : township,
          household,
          i % 2 === 0 ? helpers.a.uid : helpers.b.uid,
          null,
        ),
      ),
    );
    const winners = attempts.filter((attempt) => attempt.result?.changed === true);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.result?.helperUid;
    for (const attempt of attempts) {
      if (attempt.error) expect(attempt.error.status).toBe('FAILED_PRECONDITION');
      else expect(attempt.result?.helperUid).toBe(winner);
    }
    expect(await helperOf(household)).toBe(winner);
    expect(await auditOf(household)).toEqual([
      expect.objectContaining({ fromHelperUid: null, toHelperUid: winner }),
    ]);
  });

  it('keeps a manual assignment on re-import unless the file names another matching helper', async () => {
    const household = households[3] as string; // ambiguous in the roster
    expect((await assign(admin, household, helpers.b.uid, null)).result?.changed).toBe(true);

    const blank = await importRows(admin, [row(ids[3] as string, '结对户四', '')]);
    expect(blank.result).toMatchObject({ updated: 1, helpersAssigned: 0, helperProblems: [] });
    expect(await helperOf(household)).toBe(helpers.b.uid);

    const stillAmbiguous = await importRows(admin, [row(ids[3] as string, '结对户四', '同名人')]);
    expect(stillAmbiguous.result?.helperProblems).toEqual([{ row: 2, code: 'helper_ambiguous' }]);
    expect(await helperOf(household)).toBe(helpers.b.uid);

    const named = await importRows(admin, [row(ids[3] as string, '结对户四', '结对甲')]);
    expect(named.result).toMatchObject({ helpersAssigned: 1, helperProblems: [] });
    expect(await helperOf(household)).toBe(helpers.a.uid);
  });
});
