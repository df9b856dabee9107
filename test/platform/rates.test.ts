/**
 * Registration and match figures: villages exact on every write, regions above them from the
 * rollup, drift found and repaired, daily history, and the dashboard offices read.
 */
import {
  adminDb,
  call,
  functionLogs,
  idle,
  newRequestId,
  runSchedule,
  signIn,
} from '../support/platform';

const village = '520526105209'; // 开阳村 (v09)
const township = '520526105';

async function figures(code: string) {
  const doc = await adminDb().collection('stats').doc(code).get();
  return {
    roster: doc.get('rosterHouseholds') as number,
    registered: doc.get('registeredHouseholds') as number,
  };
}

async function registerOne(token: string): Promise<void> {
  const page = await adminDb()
    .collection('households')
    .where('villageCode', '==', village)
    .where('registered', '==', false)
    .limit(1)
    .get();
  const { error } = await call(
    'registerHousehold',
    { householdId: page.docs[0]?.id, requestId: newRequestId() },
    token,
  );
  expect(error).toBeUndefined();
  await idle();
}

describe('rates up the administrative tree', () => {
  it('moves the village at once and every region above it at the next rollup', async () => {
    await runSchedule('rollupRates');
    const before = await Promise.all(
      [village, township, '520526', '5205', '52', 'national'].map(figures),
    );
    const sumOfVillages = await adminDb()
      .collection('stats')
      .where('townshipCode', '==', township)
      .where('level', '==', 'village')
      .get();
    expect(before[1]?.roster).toBe(
      sumOfVillages.docs.reduce((sum, doc) => sum + Number(doc.get('rosterHouseholds')), 0),
    );

    await registerOne(await signIn('v09a@demo.fupin.cn'));
    expect((await figures(village)).registered).toBe((before[0]?.registered ?? 0) + 1);
    expect(await figures(township)).toEqual(before[1]);

    await runSchedule('rollupRates');
    const after = await Promise.all([township, '520526', '5205', '52', 'national'].map(figures));
    after.forEach((region, i) =>
      expect(region).toEqual({
        roster: before[i + 1]?.roster,
        registered: (before[i + 1]?.registered ?? 0) + 1,
      }),
    );

    // A second run (a repeated scheduler delivery) changes nothing.
    await runSchedule('rollupRates');
    expect(await Promise.all([township, '520526', '5205', '52', 'national'].map(figures))).toEqual(
      after,
    );
  });

  it('finds drift injected by hand, repairs it and raises an ops alert', async () => {
    const ops = await signIn('ops@demo.fupin.cn');
    const kept = await figures(village);
    await adminDb()
      .collection('stats')
      .doc(village)
      .update({ registeredHouseholds: kept.registered + 7 });
    const { result } = await call<{ villages: number; drifted: number }>(
      'repairRates',
      { regionCode: township },
      ops,
    );
    expect(result).toEqual({ villages: 10, drifted: 1 });
    expect(await figures(village)).toEqual(kept);
    const alerts = (await functionLogs()).filter((line) => line.event === 'rates_drift');
    expect(alerts.at(-1)).toMatchObject({
      severity: 'ERROR',
      villageCode: village,
      drift: { registeredHouseholds: -7 },
    });
    // Repairing again finds nothing.
    expect((await call('repairRates', { regionCode: township }, ops)).result).toEqual({
      villages: 10,
      drifted: 0,
    });
    // Only ops may run it.
    expect(
      (await call('repairRates', { regionCode: township }, await signIn('township@demo.fupin.cn')))
        .error?.status,
    ).toBe('PERMISSION_DENIED');
  });

  it('shows the township its villages, lagging first, with today in the history', async () => {
    await runSchedule('rollupRates');
    await runSchedule('snapshotRates');
    const token = await signIn('township@demo.fupin.cn');
    type Row = { code: string; name: string; registrationRate: number | null; shortfall: number };
    const { result } = await call<{
      region: Row;
      children: Row[];
      history: Array<{ day: string }>;
    }>('getRatesDashboard', {}, token);
    expect(result?.region).toMatchObject({ code: township, name: '石门乡' });
    expect(result?.children).toHaveLength(10);
    const shortfalls = result?.children.map((child) => child.shortfall) ?? [];
    expect(shortfalls).toEqual([...shortfalls].sort((a, b) => b - a));
    expect(result?.children.map((child) => child.name)).toContain('新街村');
    expect(result?.history.at(-1)?.day).toMatch(/^\d{8}$/);

    const denied = await call('getRatesDashboard', { regionCode: '520527' }, token);
    expect(denied.error?.status).toBe('PERMISSION_DENIED');
    const county = await call<{ children: Row[] }>(
      'getRatesDashboard',
      { regionCode: '520526' },
      await signIn('county@demo.fupin.cn'),
    );
    expect(county.result?.children.map((child) => child.code)).toEqual([township]);
    const villageAdmin = await call('getRatesDashboard', {}, await signIn('v09b@demo.fupin.cn'));
    expect(villageAdmin.error?.status).toBe('PERMISSION_DENIED');
  });
});
