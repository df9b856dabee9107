/**
 * Personal data as users and attackers meet it on the local platform: a phone or ID number typed
 * in disguise into a need's reason, the audit of every reveal attempt, a helper asking for photos
 * of households not theirs, and the village's division code in what donors receive.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { adminDb, call, idle, newRequestId, signIn, signInByPhone } from '../support/platform';

const village = '520526105201'; // 新街村 (v01): helper1 and helper2 work here

async function householdOf(helperUid: string) {
  const [households, needs] = await Promise.all([
    adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .where('helperUid', '==', helperUid)
      .get(),
    adminDb().collection('needs').where('villageCode', '==', village).get(),
  ]);
  const taken = new Set(needs.docs.map((doc) => doc.get('householdId')));
  const doc = households.docs.find(
    (candidate) =>
      candidate.get('registered') === true &&
      candidate.get('status') !== 'stably_out' &&
      !taken.has(candidate.id),
  );
  if (!doc) throw new Error(`no free household of ${helperUid}`);
  const idNumber = String(
    (await adminDb().collection('householdsPrivate').doc(doc.id).get()).get('idNumber'),
  );
  return {
    id: doc.id,
    headName: String(doc.get('headName')),
    address: String(doc.get('address')),
    idNumber,
  };
}

async function uploadPhoto(token: string): Promise<string> {
  const photoId = randomUUID();
  const jpeg = await sharp({
    create: { width: 600, height: 400, channels: 3, background: '#6b8e23' },
  })
    .jpeg()
    .toBuffer();
  const { error } = await call(
    'uploadEvidencePhoto',
    {
      photoId,
      draftId: randomUUID(),
      contentType: 'image/jpeg',
      dataBase64: jpeg.toString('base64'),
    },
    token,
  );
  if (error) throw new Error(`upload refused: ${error.message}`);
  await idle();
  return photoId;
}

function needInput(
  household: Awaited<ReturnType<typeof householdOf>>,
  photoId: string,
  reason: string,
) {
  return {
    requestId: newRequestId(),
    householdId: household.id,
    category: 'medical',
    kind: 'money',
    amountFen: 300_000,
    headName: household.headName,
    idNumber: household.idNumber,
    address: household.address,
    reason,
    evidencePhotoIds: [photoId],
    bankAccount: '6222020200112233445',
    adminName: '新街村信息员甲',
  };
}

const needsOf = async (householdId: string) =>
  (await adminDb().collection('needs').where('householdId', '==', householdId).get()).size;

describe('a need reason carrying a personal number in disguise', () => {
  test.each([
    ['a phone in full-width digits', '户主电话１３８００１３８０００，需要医疗费用'],
    ['a phone grouped by dots', '看病需要钱，请联系138.0013.8000'],
    ['an ID number in full-width digits', '户主身份证１１０１０５１９４９１２３１００２Ｘ患病'],
    ['a phone in Chinese numerals', '有事打幺三八〇〇一三八〇〇〇找户主'],
    [
      'a bank card with ideographic spaces',
      '请汇款到６２２２\u3000０２１２\u3000３４５６\u3000７８９０',
    ],
  ])(
    'is refused with its field path when it is %s, and nothing is written',
    async (_what, reason) => {
      const helper = await signIn('helper2@demo.fupin.cn');
      const household = await householdOf('demo-helper2');
      const photoId = await uploadPhoto(helper);
      const before = await needsOf(household.id);
      const { result, error } = await call(
        'submitNeed',
        needInput(household, photoId, reason),
        helper,
      );
      expect(result).toBeUndefined();
      expect(error?.status).toBe('INVALID_ARGUMENT');
      expect(error?.details?.issues).toContainEqual({ path: 'reason', code: 'reason_number' });
      expect(JSON.stringify(error)).not.toContain(reason);
      await idle();
      expect(await needsOf(household.id)).toBe(before);
      expect((await adminDb().collection('evidencePhotos').doc(photoId).get()).get('needId')).toBe(
        undefined,
      );
    },
  );
});

it('refuses a need reason that names the household, which the public page shows masked', async () => {
  const helper = await signIn('helper2@demo.fupin.cn');
  const household = await householdOf('demo-helper2');
  const photoId = await uploadPhoto(helper);
  const { error } = await call(
    'submitNeed',
    needInput(household, photoId, `户主${household.headName}患慢性病，需要长期服药`),
    helper,
  );
  expect(error?.status).toBe('INVALID_ARGUMENT');
  expect(error?.details?.issues).toContainEqual({ path: 'reason', code: 'reason_name' });
  expect(await needsOf(household.id)).toBe(0);
});

it('refuses a cadre appointed under a name carrying a phone number', async () => {
  const township = await signIn('township@demo.fupin.cn');
  const { error } = await call(
    'appointStaff',
    {
      requestId: newRequestId(),
      phone: '+8613900000077',
      name: '赵新１３８００１３８０００',
      role: 'helper',
      regionCode: village,
    },
    township,
  );
  expect(error?.status).toBe('INVALID_ARGUMENT');
  expect(error?.details?.issues).toEqual([{ path: 'name', code: 'name_chars' }]);
  const staff = await adminDb()
    .collection('staff')
    .where('name', '==', '赵新１３８００１３８０００')
    .get();
  expect(staff.size).toBe(0);
});

describe('every reveal attempt is audited, and no reason carries a number into the log', () => {
  const household = 'h520526105203001'; // 团结村 (v03)
  let admin: string;
  let stored: string;
  beforeAll(async () => {
    admin = await signIn('v03a@demo.fupin.cn');
    stored = String(
      (await adminDb().collection('householdsPrivate').doc(household).get()).get('idNumber'),
    );
  });

  const entriesAbout = async (resource: string) =>
    (await adminDb().collection('auditLog').where('uid', '==', 'demo-v03a').get()).docs
      .map((doc) => doc.data())
      .filter((entry) => entry.resource === resource);

  it('refuses a reason holding an ID number, records the attempt without the reason', async () => {
    const fullWidth = [...stored]
      .map((char) => (/\d/.test(char) ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char))
      .join('');
    const { error } = await call(
      'revealSensitive',
      {
        resource: { kind: 'household', id: household },
        field: 'idNumber',
        reason: `核对号码${fullWidth}是否正确`,
      },
      admin,
    );
    expect(error?.status).toBe('INVALID_ARGUMENT');
    expect(error?.details?.issues).toEqual([{ path: 'reason', code: 'reason_number' }]);
    const entries = await entriesAbout(`households/${household}`);
    expect(entries).toContainEqual(
      expect.objectContaining({ field: 'idNumber', outcome: 'refused_reason' }),
    );
    for (const entry of entries)
      expect(entry).not.toHaveProperty('reason', expect.stringContaining('核对号码'));
    const log = (await adminDb().collection('auditLog').get()).docs.map((doc) => doc.data());
    const text = JSON.stringify(log);
    expect(text).not.toContain(stored);
    expect(text).not.toContain(fullWidth);
  });

  it('records a reveal of a value the household does not hold (failed precondition)', async () => {
    const { error } = await call(
      'revealSensitive',
      {
        resource: { kind: 'household', id: household },
        field: 'bankAccount',
        reason: '核对补贴发放账户',
      },
      admin,
    );
    expect(error?.status).toBe('FAILED_PRECONDITION');
    expect(await entriesAbout(`households/${household}`)).toContainEqual(
      expect.objectContaining({
        field: 'bankAccount',
        reason: '核对补贴发放账户',
        outcome: 'absent',
      }),
    );
  });

  it('records a reveal of a household that does not exist, answered like one out of scope', async () => {
    const { error } = await call(
      'revealSensitive',
      {
        resource: { kind: 'household', id: 'no-such-household' },
        field: 'idNumber',
        reason: '核对身份信息',
      },
      admin,
    );
    expect(error?.status).toBe('PERMISSION_DENIED');
    expect(await entriesAbout('households/no-such-household')).toEqual([
      expect.objectContaining({ field: 'idNumber', reason: '核对身份信息', outcome: 'not_found' }),
    ]);
  });
});

describe('a helper sees evidence photos of their own needs only', () => {
  it('refuses photos of needs they did not submit, the same as photos that do not exist', async () => {
    const [helper1, helper2, admin] = await Promise.all([
      signIn('helper1@demo.fupin.cn'),
      signIn('helper2@demo.fupin.cn'),
      signIn('v01a@demo.fupin.cn'),
    ]);
    // A seeded need of the village, submitted by its administrator (other tests publish needs
    // there with stand-in photo records).
    const seeded = (
      await adminDb()
        .collection('needs')
        .where('villageCode', '==', village)
        .where('status', '==', 'published')
        .where('submittedBy', '==', 'demo-v01a')
        .get()
    ).docs[0];
    const seededPhoto = (seeded?.get('evidencePhotoIds') as string[])[0] as string;
    expect((await call('getEvidencePhotoUrls', { photoIds: [seededPhoto] }, admin)).error).toBe(
      undefined,
    );

    // helper2's own need, with a photo helper2 uploaded.
    const household = await householdOf('demo-helper2');
    const photoId = await uploadPhoto(helper2);
    const submitted = await call<{ needId: string }>(
      'submitNeed',
      needInput(household, photoId, '户主患慢性病，需要长期服药，医保报销后仍有缺口'),
      helper2,
    );
    expect(submitted.error).toBeUndefined();
    const own = await call<{ photos: Array<{ status: string }> }>(
      'getEvidencePhotoUrls',
      { photoIds: [photoId] },
      helper2,
    );
    expect(own.result?.photos[0]?.status).toBe('processed');

    for (const photoIds of [[seededPhoto], [photoId], [randomUUID()], [seededPhoto, photoId]]) {
      const { result, error } = await call('getEvidencePhotoUrls', { photoIds }, helper1);
      expect(result).toBeUndefined();
      expect(error?.status).toBe('PERMISSION_DENIED');
      expect(error?.message).toBe('无权进行此操作');
    }

    // Nor can helper1 claim helper2's photo by attaching it to a need of their own.
    const mine = await householdOf('demo-helper1');
    const { error } = await call(
      'submitNeed',
      needInput(mine, photoId, '户主患慢性病，需要长期服药，医保报销后仍有缺口'),
      helper1,
    );
    expect(error?.details?.issues).toContainEqual({
      path: 'evidencePhotoIds.0',
      code: 'evidence_unknown',
    });
  });
});

describe('donors never receive a division code', () => {
  it('finds no part of a village code in any public need, its ids or its photo links', async () => {
    const donor = await signInByPhone('+8613800000002');
    const views: unknown[] = [];
    for (const filter of [{}, { regionCode: village }, { regionCode: '520526105' }]) {
      let after: string | undefined;
      do {
        const { result, error } = await call<{ needs: Array<{ id: string }>; next: string | null }>(
          'listPublicNeeds',
          { ...filter, pageSize: 50, ...(after ? { after } : {}) },
          donor,
        );
        expect(error).toBeUndefined();
        views.push(result);
        for (const need of result?.needs ?? []) {
          const one = await call('getPublicNeed', { needId: need.id }, donor);
          expect(one.error).toBeUndefined();
          views.push(one.result);
        }
        after = result?.next ?? undefined;
      } while (after);
    }
    const text = JSON.stringify(views);
    expect(text).toMatch(/thumbUrl/); // the photo links are among what was checked
    expect(text).toMatch(/新街村/);
    // Every demo village code starts with the county (520526): no 6-digit prefix of one appears.
    expect(text).not.toContain('520526');
    for (let length = 6; length <= 12; length++) {
      expect(text).not.toContain(village.slice(0, length));
    }
  });
});
