/**
 * Appointing staff and revealing sensitive values: each denial next to its allowed twin.
 */
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { adminDb, call, newRequestId, projectId, signIn } from '../support/platform';

const village = '520526105205'; // 年丰村 (v05)
const otherTownshipVillage = '520526106201';

function auth() {
  if (getApps().length === 0) initializeApp({ projectId });
  return getAuth();
}

describe('appointing staff', () => {
  let township: string;
  beforeAll(async () => {
    township = await signIn('township@demo.fupin.cn');
  });

  it('keeps a village at two information administrators, and frees a seat on removal', async () => {
    const full = await call(
      'appointStaff',
      {
        requestId: newRequestId(),
        phone: '+8613900000051',
        name: '赵新',
        role: 'village_admin',
        regionCode: village,
      },
      township,
    );
    expect(full.error).toMatchObject({ status: 'FAILED_PRECONDITION' });

    const removed = await call('removeStaff', { uid: 'demo-v05b' }, township);
    expect(removed.result).toEqual({ uid: 'demo-v05b', active: false, householdsReleased: 0 });
    expect((await auth().getUser('demo-v05b')).customClaims ?? {}).toEqual({});

    const requestId = newRequestId();
    const appointed = await call<{ uid: string; seat: string }>(
      'appointStaff',
      {
        requestId,
        phone: '+8613900000051',
        name: '赵新',
        role: 'village_admin',
        regionCode: village,
      },
      township,
    );
    expect(appointed.error).toBeUndefined();
    expect(appointed.result?.seat).toBe(`${village}_village_admin_2`);
    const user = await auth().getUser(appointed.result?.uid as string);
    expect(user.phoneNumber).toBe('+8613900000051');
    expect(user.customClaims).toEqual({ role: 'village_admin', region: village });
    // The same request again is the same appointment, not a third seat holder.
    const replay = await call(
      'appointStaff',
      {
        requestId,
        phone: '+8613900000051',
        name: '赵新',
        role: 'village_admin',
        regionCode: village,
      },
      township,
    );
    expect(replay.result).toEqual(appointed.result);
    const seats = await adminDb().collection('staffSeats').where('regionCode', '==', village).get();
    expect(seats.size).toBe(2);
  });

  it('lets the removed administrator do nothing more, even with a token issued before', async () => {
    // demo-v05b was removed above; a token minted from the account's old claims is refused.
    const custom = await auth().createCustomToken('demo-v05b', {
      role: 'village_admin',
      region: village,
    });
    const response = await fetch(
      `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=demo-api-key`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: custom, returnSecureToken: true }),
      },
    );
    const { idToken } = (await response.json()) as { idToken: string };
    const { error } = await call('getVillageOverview', {}, idToken);
    expect(error?.status).toBe('PERMISSION_DENIED');
  });

  test.each([
    ['a village administrator appointing anyone', 'v06a@demo.fupin.cn', 'helper', '520526105206'],
    [
      'a township administrator appointing outside the township',
      'township@demo.fupin.cn',
      'village_admin',
      otherTownshipVillage,
    ],
    [
      'a township administrator appointing a township administrator',
      'township@demo.fupin.cn',
      'township_admin',
      '520526105',
    ],
    [
      'a county administrator skipping a level',
      'county@demo.fupin.cn',
      'village_admin',
      '520526105206',
    ],
  ])('refuses %s', async (_what, email, role, regionCode) => {
    const token = await signIn(email);
    const { error } = await call(
      'appointStaff',
      { requestId: newRequestId(), phone: '+8613900000099', name: '钱多', role, regionCode },
      token,
    );
    expect(error?.status).toBe('PERMISSION_DENIED');
  });

  it('lets a township administrator appoint a helper in its own village (the allowed twin)', async () => {
    const { result } = await call(
      'appointStaff',
      {
        requestId: newRequestId(),
        phone: '+8613900000061',
        name: '孙帮',
        role: 'helper',
        regionCode: '520526105206',
      },
      township,
    );
    expect(result).toMatchObject({ role: 'helper', regionCode: '520526105206', seat: null });
  });
});

describe('revealing a full ID number', () => {
  const household = 'h520526105207001'; // 石门坎村 (v07)

  /** This caller's audit entries about this household (other suites audit other households). */
  async function auditEntries(uid: string) {
    const entries = await adminDb().collection('auditLog').where('uid', '==', uid).get();
    return entries.docs
      .map((doc) => doc.data())
      .filter((entry) => entry.resource === `households/${household}`);
  }

  it('gives the village administrator the value and writes who, what, when and why', async () => {
    const token = await signIn('v07a@demo.fupin.cn');
    const { result } = await call<{ value: string }>(
      'revealSensitive',
      {
        resource: { kind: 'household', id: household },
        field: 'idNumber',
        reason: '核对银行开户信息',
      },
      token,
    );
    const stored = (await adminDb().collection('householdsPrivate').doc(household).get()).get(
      'idNumber',
    );
    expect(result?.value).toBe(stored);
    expect(result?.value).toMatch(/^520526\d{11}[\dX]$/);
    const [entry] = await auditEntries('demo-v07a');
    expect(entry).toMatchObject({
      action: 'reveal',
      resource: `households/${household}`,
      field: 'idNumber',
      reason: '核对银行开户信息',
      outcome: 'granted',
    });
    expect(entry?.at).toBeDefined();
    expect(JSON.stringify(entry)).not.toContain(stored);
  });

  test.each([
    ['another village’s administrator', 'v08a@demo.fupin.cn', 'demo-v08a'],
    ['a helper', 'helper3@demo.fupin.cn', 'demo-helper3'],
  ])('refuses %s and logs the attempt', async (_who, email, uid) => {
    const token = await signIn(email);
    const { error, result } = await call(
      'revealSensitive',
      {
        resource: { kind: 'household', id: household },
        field: 'idNumber',
        reason: '想看看这个号码',
      },
      token,
    );
    expect(result).toBeUndefined();
    expect(error?.status).toBe('PERMISSION_DENIED');
    expect(await auditEntries(uid)).toEqual([
      expect.objectContaining({ outcome: 'denied', resource: `households/${household}` }),
    ]);
  });

  it('needs a reason', async () => {
    const token = await signIn('v07b@demo.fupin.cn');
    const { error } = await call(
      'revealSensitive',
      { resource: { kind: 'household', id: household }, field: 'idNumber', reason: '' },
      token,
    );
    expect(error?.details?.issues).toEqual([{ path: 'reason', code: 'reason_empty' }]);
  });
});

describe('listing staff', () => {
  const listed = '520526105209'; // 开阳村 (v09): two seeded information administrators

  it('shows a township its villages’ staff with their status, and not the county above it', async () => {
    const township = await signIn('township@demo.fupin.cn');
    const { result, error } = await call<{
      staff: Array<Record<string, unknown>>;
      next: string | null;
    }>('listStaff', { regionCode: listed }, township);
    expect(error).toBeUndefined();
    expect(result?.staff).toEqual(
      expect.arrayContaining(
        ['demo-v09a', 'demo-v09b'].map((uid) =>
          // The demo accounts sign in by email: they have no phone to show.
          expect.objectContaining({ uid, role: 'village_admin', status: 'active', phone: null }),
        ),
      ),
    );
    const whole = await call<{ staff: Array<{ uid: string }> }>(
      'listStaff',
      { pageSize: 100 },
      township,
    );
    expect(whole.result?.staff.map((staff) => staff.uid)).toContain('demo-township');
    expect(whole.result?.staff.map((staff) => staff.uid)).not.toContain('demo-county');
    expect((await call('listStaff', { regionCode: '520526' }, township)).error?.status).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('refuses a village administrator', async () => {
    const village = await signIn('v09a@demo.fupin.cn');
    expect((await call('listStaff', {}, village)).error?.status).toBe('PERMISSION_DENIED');
  });
});
