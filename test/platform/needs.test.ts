/**
 * A need from submission to publication, as cadres and donors live it on the local platform:
 * the seven elements checked against the household file, the in-person review before
 * publication, the public view without ID or bank digits, a console edit caught by the trigger.
 */
import { randomUUID } from 'node:crypto';
import { FieldValue } from 'firebase-admin/firestore';
import {
  adminDb,
  call,
  deliveredEvents,
  idle,
  newRequestId,
  redeliver,
  rosterRowOf,
  signIn,
  signInByPhone,
} from '../support/platform';

const village = '520526105202'; // 营盘村 (v02), helper3 works here
const bankNumber = '6222020200112233445';

async function evidencePhoto(villageCode = village): Promise<string> {
  const id = randomUUID();
  await adminDb()
    .collection('evidencePhotos')
    .doc(id)
    .set({ villageCode, status: 'processed', uploaderUid: 'demo-helper3' });
  return id;
}

async function householdOfHelper(uid: string, extra: Record<string, unknown> = {}) {
  const page = await adminDb()
    .collection('households')
    .where('villageCode', '==', village)
    .where('helperUid', '==', uid)
    .get();
  const doc = page.docs.find(
    (candidate) => candidate.get('status') !== 'stably_out' && candidate.get('registered') === true,
  );
  if (!doc) throw new Error('no suitable household');
  const idNumber = (await adminDb().collection('householdsPrivate').doc(doc.id).get()).get(
    'idNumber',
  ) as string;
  if (Object.keys(extra).length > 0) await doc.ref.update(extra);
  return {
    id: doc.id,
    headName: doc.get('headName') as string,
    idNumber,
    address: doc.get('address') as string,
  };
}

async function moneyNeed(household: {
  id: string;
  headName: string;
  idNumber: string;
  address: string;
}) {
  return {
    requestId: newRequestId(),
    householdId: household.id,
    category: 'medical',
    kind: 'money',
    amountFen: 500_000,
    headName: household.headName,
    idNumber: household.idNumber.toLowerCase(),
    address: household.address,
    reason: '户主患慢性病，需要长期服药，医保报销后仍有缺口',
    evidencePhotoIds: [await evidencePhoto()],
    bankAccount: bankNumber,
    adminName: '营盘村信息员甲',
  };
}

async function stats() {
  const doc = await adminDb().collection('stats').doc(village).get();
  return {
    published: Number(doc.get('publishedNeeds') ?? 0),
    matched: Number(doc.get('matchedNeeds') ?? 0),
  };
}

describe('a need from submission to publication', () => {
  let helper: string;
  let admin: string;
  beforeAll(async () => {
    helper = await signIn('helper3@demo.fupin.cn');
    admin = await signIn('v02a@demo.fupin.cn');
  });

  it('is submitted once per request id, reviewed in person, published, and shown to donors without ID or bank digits', async () => {
    const household = await householdOfHelper('demo-helper3');
    const input = await moneyNeed(household);
    const first = await call<{ needId: string; status: string }>('submitNeed', input, helper);
    expect(first.error).toBeUndefined();
    const again = await call<{ needId: string }>('submitNeed', input, helper);
    expect(again.result?.needId).toBe(first.result?.needId);
    const needId = first.result?.needId as string;
    const need = (await adminDb().collection('needs').doc(needId).get()).data();
    expect(need).toMatchObject({
      status: 'submitted',
      idLast4: household.idNumber.slice(-4),
      bankLast4: '3445',
      bankLuhnOk: expect.any(Boolean),
    });
    expect(JSON.stringify(need)).not.toContain(household.idNumber);
    expect(JSON.stringify(need)).not.toContain(bankNumber);
    expect((await adminDb().collection('needsPrivate').doc(needId).get()).data()).toMatchObject({
      idNumber: household.idNumber,
      bankAccount: bankNumber,
    });

    // The household's helper cannot publish; nor can the administrator before the home visit.
    const review = {
      needId,
      reviewDate: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
      reviewerName: '营盘村信息员甲',
      opinion: 'publish',
    };
    expect(
      (await call('reviewNeed', { ...review, requestId: newRequestId() }, helper)).error?.status,
    ).toBe('PERMISSION_DENIED');
    expect(
      (await call('reviewNeed', { ...review, requestId: newRequestId() }, admin)).error?.status,
    ).toBe('FAILED_PRECONDITION');
    const other = await signIn('v10a@demo.fupin.cn');
    expect(
      (await call('startNeedReview', { requestId: newRequestId(), needId }, other)).error?.status,
    ).toBe('PERMISSION_DENIED');

    const before = await stats();
    expect(
      (await call('startNeedReview', { requestId: newRequestId(), needId }, admin)).result,
    ).toEqual({ needId, status: 'under_review' });
    expect(
      (await call('reviewNeed', { ...review, requestId: newRequestId() }, admin)).result,
    ).toEqual({ needId, status: 'published' });
    await idle();
    expect(await stats()).toEqual({ ...before, published: before.published + 1 });

    const donor = await signInByPhone('+8613800000001');
    const { result: view } = await call<Record<string, unknown>>(
      'getPublicNeed',
      { needId },
      donor,
    );
    expect(view).toMatchObject({
      id: needId,
      villageName: '营盘村',
      category: 'medical',
      amountFen: 500_000,
      status: 'published',
    });
    expect(view?.maskedName).toMatch(/\*/);
    const text = JSON.stringify(view);
    for (const secret of [
      household.idNumber,
      household.idNumber.slice(-4),
      bankNumber,
      bankNumber.slice(-4),
      household.address,
    ]) {
      expect(text).not.toContain(secret);
    }

    // Withdrawn after publication: it leaves the public and the match-rate denominator.
    expect(
      (await call('withdrawNeed', { requestId: newRequestId(), needId }, admin)).result,
    ).toEqual({ needId, status: 'withdrawn' });
    await idle();
    expect(await stats()).toEqual(before);
    expect((await call('getPublicNeed', { needId }, donor)).error?.status).toBe('NOT_FOUND');
  });

  it('refuses a need whose household is stably out of poverty, or whose ID is not the household’s, writing nothing', async () => {
    const household = await householdOfHelper('demo-helper3');
    const countBefore = (
      await adminDb().collection('needs').where('villageCode', '==', village).get()
    ).size;
    await adminDb().collection('households').doc(household.id).update({ status: 'stably_out' });
    try {
      const stablyOut = await call('submitNeed', await moneyNeed(household), helper);
      expect(stablyOut.error?.details?.issues).toEqual([
        { path: 'householdId', code: 'household_stably_out' },
      ]);
    } finally {
      await adminDb().collection('households').doc(household.id).update({ status: 'out' });
    }
    const wrongId = { ...(await moneyNeed(household)), idNumber: '11010519491231002X' };
    const mismatch = await call('submitNeed', wrongId, helper);
    expect(mismatch.error?.details?.issues).toEqual([
      { path: 'idNumber', code: 'household_id_mismatch' },
    ]);
    const unknownKey = await call(
      'submitNeed',
      {
        ...(await moneyNeed(household)),
        items: [{ name: '米', quantity: 1, unit: '袋', extra: 1 }],
      },
      helper,
    );
    expect(unknownKey.error?.status).toBe('INVALID_ARGUMENT');
    expect(
      (await adminDb().collection('needs').where('villageCode', '==', village).get()).size,
    ).toBe(countBefore);
  });

  it('marks a need edited in the console with a bidi control invalid, and a second delivery changes nothing', async () => {
    const household = await householdOfHelper('demo-helper3');
    const { result } = await call<{ needId: string }>(
      'submitNeed',
      await moneyNeed(household),
      helper,
    );
    const needId = result?.needId as string;
    await idle();
    const ref = adminDb().collection('needs').doc(needId);
    await ref.update({
      reason: '需要\u202E药费\u202C补助，长期服药',
      status: 'published',
      updatedAt: FieldValue.serverTimestamp(),
    });
    await idle();
    const marked = await ref.get();
    expect(marked.get('status')).toBe('invalid');
    expect(marked.get('problems')).toEqual(expect.arrayContaining(['reason:reason_bidi']));
    expect((await adminDb().collection('publicNeeds').doc(needId).get()).exists).toBe(false);

    const events = await deliveredEvents({ fn: 'onNeedWritten', document: `needs/${needId}` });
    for (const event of events) await redeliver('onNeedWritten', event.id);
    await idle();
    const after = await ref.get();
    expect(after.updateTime?.isEqual(marked.updateTime as FirebaseFirestore.Timestamp)).toBe(true);
  });
});

describe('the roster and the ledger', () => {
  const header =
    '户主姓名,身份证号码,家庭住址,家庭人口,致贫原因,年人均纯收入(元),贫困户状态,帮扶责任人';
  const row = (name: string, id: string) =>
    `${name},${id},威宁县石门乡银河村1组,3,因病致贫,3200,未脱贫,王帮扶`;

  it('imports nothing from a file with a refused row, and reports the row', async () => {
    const admin = await signIn('v10b@demo.fupin.cn');
    const csv = [
      header,
      row('杨新户', '520526198001010015'),
      row('李错号', '520526198001010011'),
    ].join('\n');
    const { result } = await call<{
      ok: boolean;
      report: Array<{
        row: number;
        status: string;
        problems: Array<{ column: string; code: string }>;
      }>;
    }>(
      'importRoster',
      { requestId: newRequestId(), format: 'csv', dataBase64: Buffer.from(csv).toString('base64') },
      admin,
    );
    expect(result?.ok).toBe(false);
    expect(result?.report[1]).toMatchObject({
      row: 3,
      status: 'refused',
      problems: [{ column: 'idNumber', code: 'id_check_char' }],
    });
    const found = await adminDb()
      .collection('householdsPrivate')
      .where('idNumber', '==', '520526198001010015')
      .get();
    expect(found.size).toBe(0);
  });

  describe('removals need the whole-roster choice', () => {
    const rosterVillage = '520526105210';
    type ImportAnswer = {
      ok: boolean;
      mode: string;
      dryRun: boolean;
      created: number;
      updated: number;
      leftRoster: number;
    };
    const importCsv = async (lines: string[], extra: Record<string, unknown> = {}) => {
      const csv = [`${header},脱贫年度`, ...lines].join('\n');
      const { result, error } = await call<ImportAnswer>(
        'importRoster',
        {
          requestId: newRequestId(),
          format: 'csv',
          dataBase64: Buffer.from(csv).toString('base64'),
          ...extra,
        },
        await signIn('v10b@demo.fupin.cn'),
      );
      expect(error).toBeUndefined();
      return result as ImportAnswer;
    };
    const onRosterIds = async () =>
      (
        await adminDb()
          .collection('households')
          .where('villageCode', '==', rosterVillage)
          .where('onRoster', '==', true)
          .get()
      ).docs
        .map((doc) => doc.id)
        .sort();

    it('adds and updates only, unless the file is said to be the whole roster', async () => {
      const before = await onRosterIds();
      expect(before.length).toBeGreaterThan(10);
      // A 3-row file once took 55 households off: now it adds them and takes none off.
      const partial = await importCsv([
        `${row('杨补一', '520526198001010016')},`,
        `${row('杨补二', '520526198001010040')},`,
        `${await rosterRowOf(before[0] as string)}`,
      ]);
      expect(partial).toMatchObject({ ok: true, mode: 'partial', created: 2, updated: 1 });
      expect(partial.leftRoster).toBe(0);
      await idle();
      const withNew = await onRosterIds();
      expect(withNew.length).toBe(before.length + 2);
      const stats = await adminDb().collection('stats').doc(rosterVillage).get();
      expect(stats.get('rosterHouseholds')).toBe(withNew.length);

      // The whole roster but two: a dry run names the two and writes nothing.
      const [gone1, gone2, ...kept] = withNew;
      const whole = await Promise.all(kept.map(rosterRowOf));
      const preview = await importCsv(whole, { mode: 'full', dryRun: true });
      expect(preview).toMatchObject({ ok: true, mode: 'full', dryRun: true, leftRoster: 2 });
      await idle();
      expect(await onRosterIds()).toEqual(withNew);

      const full = await importCsv(whole, { mode: 'full' });
      expect(full).toMatchObject({ ok: true, mode: 'full', created: 0, leftRoster: 2 });
      await idle();
      expect(await onRosterIds()).toEqual(kept);

      // 返贫再进: a partial file brings the two back.
      const back = await importCsv([
        await rosterRowOf(gone1 as string),
        await rosterRowOf(gone2 as string),
      ]);
      expect(back).toMatchObject({ created: 0, updated: 2, leftRoster: 0 });
      await idle();
      expect(await onRosterIds()).toEqual(withNew);

      // The village as it was, for the tests after this one: the two added leave again.
      const restored = await importCsv(await Promise.all(before.map(rosterRowOf)), {
        mode: 'full',
      });
      expect(restored.leftRoster).toBe(2);
      await idle();
      expect(await onRosterIds()).toEqual(before);
    });
  });

  it('exports the village need ledger with masked ID numbers', async () => {
    const admin = await signIn('v02b@demo.fupin.cn');
    const { result } = await call<{ filename: string; dataBase64: string; entries: number }>(
      'exportLedger',
      { format: 'csv' },
      admin,
    );
    const text = Buffer.from(result?.dataBase64 ?? '', 'base64').toString('utf8');
    expect(result?.filename).toMatch(/^营盘村贫困需求采集台账-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(text).toContain('贫困需求采集台账');
    expect(text).toContain('序号,姓名,身份证号码,贫困需求');
    expect(result?.entries).toBeGreaterThan(0);
    expect(text).not.toMatch(/\d{17}[\dX]/);
  });
});
