/**
 * The first vertical thread on the running local platform: a village administrator registers a
 * roster household through the callable, and the Firestore trigger moves the village's figures —
 * once, however often the event is delivered.
 */
import { FieldValue } from 'firebase-admin/firestore';
import {
  adminDb,
  call,
  deliveredEvents,
  idle,
  newRequestId,
  redeliver,
  signIn,
} from '../support/platform';

const village = '520526105203'; // 团结村 (v03)
const otherVillage = '520526105204';

async function villageStats(code: string) {
  const stats = await adminDb().collection('stats').doc(code).get();
  return {
    roster: stats.get('rosterHouseholds') as number,
    registered: stats.get('registeredHouseholds') as number,
  };
}

async function unregisteredHousehold(code: string, skip = 0): Promise<string> {
  const page = await adminDb()
    .collection('households')
    .where('villageCode', '==', code)
    .where('registered', '==', false)
    .get();
  const doc = page.docs[skip];
  if (!doc) throw new Error(`no unregistered household left in ${code}`);
  return doc.id;
}

describe('registering a roster household', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await signIn('v03a@demo.fupin.cn');
  });

  it('moves the village registered count by exactly one, and a second delivery moves nothing', async () => {
    await idle();
    const before = await villageStats(village);
    const householdId = await unregisteredHousehold(village);

    const { result, error } = await call(
      'registerHousehold',
      { householdId, requestId: newRequestId() },
      admin,
    );
    expect(error).toBeUndefined();
    expect(result).toEqual({ householdId, registered: true, alreadyRegistered: false });
    await idle();
    expect(await villageStats(village)).toEqual({
      roster: before.roster,
      registered: before.registered + 1,
    });

    const events = await deliveredEvents({
      fn: 'onHouseholdWritten',
      document: `households/${householdId}`,
    });
    const registration = events.at(-1);
    expect(registration?.outcome).toBe('ok');
    await redeliver('onHouseholdWritten', registration?.id as string);
    await idle();
    expect(await villageStats(village)).toEqual({
      roster: before.roster,
      registered: before.registered + 1,
    });
  });

  it('has exactly one effect for a request retried with the same request id', async () => {
    await idle();
    const before = await villageStats(village);
    const householdId = await unregisteredHousehold(village);
    const document = `households/${householdId}`;
    const eventsBefore = (await deliveredEvents({ fn: 'onHouseholdWritten', document })).length;
    const requestId = newRequestId();
    const [first, second] = await Promise.all([
      call('registerHousehold', { householdId, requestId }, admin),
      call('registerHousehold', { householdId, requestId }, admin),
    ]);
    const third = await call('registerHousehold', { householdId, requestId }, admin);
    for (const answer of [first, second, third])
      expect(answer.result).toMatchObject({ householdId, registered: true });
    await idle();
    expect((await villageStats(village)).registered).toBe(before.registered + 1);
    const writes = await deliveredEvents({ fn: 'onHouseholdWritten', document });
    expect(writes).toHaveLength(eventsBefore + 1);
  });

  it('reacts to a write made outside the callables (an import, the console)', async () => {
    await idle();
    const before = await villageStats(village);
    const ref = adminDb().collection('households').doc(`test-console-${Date.now()}`);
    await ref.set({
      villageCode: village,
      onRoster: true,
      registered: false,
      headName: '测试户',
      idLast4: '0000',
    });
    await idle();
    expect(await villageStats(village)).toEqual({
      roster: before.roster + 1,
      registered: before.registered,
    });
    await ref.update({ onRoster: false, updatedAt: FieldValue.serverTimestamp() });
    await idle();
    expect(await villageStats(village)).toEqual(before);
  });

  it('refuses another village, a missing household and an unauthenticated caller, each without a write', async () => {
    const foreign = await unregisteredHousehold(otherVillage);
    const denied = await call(
      'registerHousehold',
      { householdId: foreign, requestId: newRequestId() },
      admin,
    );
    const missing = await call(
      'registerHousehold',
      { householdId: 'no-such-household', requestId: newRequestId() },
      admin,
    );
    expect(denied.error?.status).toBe('PERMISSION_DENIED');
    // The same answer whether or not the household exists: no probing of other villages.
    expect(missing.error).toEqual(denied.error);
    const anonymous = await call('registerHousehold', {
      householdId: foreign,
      requestId: newRequestId(),
    });
    expect(anonymous.error?.status).toBe('UNAUTHENTICATED');
    const foreignDoc = await adminDb().collection('households').doc(foreign).get();
    expect(foreignDoc.get('registered')).toBe(false);

    // The allowed twin: that village's own administrator may.
    const ownAdmin = await signIn('v04a@demo.fupin.cn');
    const allowed = await call(
      'registerHousehold',
      { householdId: foreign, requestId: newRequestId() },
      ownAdmin,
    );
    expect(allowed.result).toMatchObject({ registered: true });
  });

  it('answers bad input with invalid-argument and the field paths, never the values', async () => {
    const { error } = await call(
      'registerHousehold',
      { householdId: '../x', requestId: 'not-a-uuid', extra: 'secret-value' },
      admin,
    );
    expect(error?.status).toBe('INVALID_ARGUMENT');
    expect(error?.details?.issues).toEqual(
      expect.arrayContaining([
        { path: 'householdId', code: 'invalid_format' },
        { path: 'requestId', code: 'invalid_format' },
        { path: 'extra', code: 'unrecognized_keys' },
      ]),
    );
    expect(JSON.stringify(error)).not.toContain('secret-value');
  });

  it("stops honouring a demoted administrator's still-valid token", async () => {
    const token = await signIn('v03b@demo.fupin.cn');
    const staff = adminDb().collection('staff').doc('demo-v03b');
    await staff.update({ active: false });
    try {
      const householdId = await unregisteredHousehold(village);
      const { error } = await call(
        'registerHousehold',
        { householdId, requestId: newRequestId() },
        token,
      );
      expect(error?.status).toBe('PERMISSION_DENIED');
      expect(
        (await adminDb().collection('households').doc(householdId).get()).get('registered'),
      ).toBe(false);
    } finally {
      await staff.update({ active: true });
    }
  });
});
