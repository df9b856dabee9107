/**
 * 一户一册一卡 (seed 004): helpers and the village administrator record their visits, the township
 * records the city's sample, and the township exports the 工作进展情况表 with each village's counts.
 */
import { adminDb, call, csvRowsOf, newRequestId, signIn } from '../support/platform';

const village = '520526105202'; // 营盘村: helper3 works here
const township = '520526105';
const year = 2026;

it('counts visitors, corrected and completed households per village, with the city sample', async () => {
  const [helper, admin, otherHelper, townshipAdmin] = await Promise.all([
    signIn('helper3@demo.fupin.cn'),
    signIn('v02a@demo.fupin.cn'),
    signIn('helper1@demo.fupin.cn'),
    signIn('township@demo.fupin.cn'),
  ]);
  const assigned = await adminDb()
    .collection('households')
    .where('villageCode', '==', village)
    .where('helperUid', '==', 'demo-helper3')
    .get();
  const [first, second] = assigned.docs.map((doc) => doc.id);
  const visit = (householdId: string, corrected: boolean, cadre: boolean) => ({
    requestId: newRequestId(),
    householdId,
    visitedOn: `${year}-03-12`,
    corrected,
    signedBy: { household: true, helper: true, cadre },
  });

  // The helper corrects the first household's sheet; the cadre signs on a second visit.
  const byHelper = visit(first as string, true, false);
  expect((await call('recordHomeVisit', byHelper, helper)).result).toEqual({
    householdId: first,
    year,
    corrected: true,
    completed: false,
    visitors: 1,
  });
  // A retry of the same request is the same visit.
  expect((await call('recordHomeVisit', byHelper, helper)).result).toMatchObject({ visitors: 1 });
  expect(
    (await call('recordHomeVisit', visit(first as string, false, true), admin)).result,
  ).toMatchObject({ corrected: true, completed: true, visitors: 2 });
  await call('recordHomeVisit', visit(second as string, false, true), helper);
  // A helper of another village cannot record here.
  const outside = await call('recordHomeVisit', visit(second as string, false, true), otherHelper);
  expect(outside.error?.status).toBe('PERMISSION_DENIED');

  expect(
    (
      await call(
        'setSpotCheck',
        { villageCode: village, year, sampled: true, households: 4 },
        townshipAdmin,
      )
    ).result,
  ).toEqual({ villageCode: village, year, sampled: true, households: 4 });
  expect(
    (
      await call(
        'setSpotCheck',
        { villageCode: village, year, sampled: true, households: 4 },
        admin,
      )
    ).error?.status,
  ).toBe('PERMISSION_DENIED');

  const exported = await call<{ dataBase64: string; filename: string }>(
    'exportVisitProgress',
    { regionCode: township, year, format: 'csv' },
    townshipAdmin,
  );
  const rows = csvRowsOf(exported.result?.dataBase64 as string);
  expect(rows[0]?.[0]).toContain(`石门乡${year}年度精准帮扶“一户一册一卡”工作进展情况表`);
  expect(rows[1]?.slice(0, 2)).toEqual(['序号', '村名']);
  expect(rows.slice(2)).toHaveLength(10);
  expect(rows.find((row) => row[1] === '营盘村')).toEqual(['2', '营盘村', '2', '1', '2', '1', '4']);
  expect(rows.find((row) => row[1] === '新街村')).toEqual(['1', '新街村', '0', '0', '0', '2', '']);
  const xlsx = await call<{ dataBase64: string }>(
    'exportVisitProgress',
    { regionCode: township, year, format: 'xlsx' },
    townshipAdmin,
  );
  expect(
    Buffer.from(xlsx.result?.dataBase64 as string, 'base64')
      .subarray(0, 2)
      .toString(),
  ).toBe('PK');
});

it('counts every one of concurrent visits to one household: none erases another', async () => {
  const [helper, admin, otherAdmin] = await Promise.all([
    signIn('helper3@demo.fupin.cn'),
    signIn('v02a@demo.fupin.cn'),
    signIn('v02b@demo.fupin.cn'),
  ]);
  const assigned = await adminDb()
    .collection('households')
    .where('villageCode', '==', village)
    .where('helperUid', '==', 'demo-helper3')
    .get();
  const householdId = assigned.docs[2]?.id as string;
  // A past campaign year, so the 2026 counts above stay as they are.
  const visit = (corrected: boolean) => ({
    requestId: newRequestId(),
    householdId,
    visitedOn: '2025-06-01',
    corrected,
    signedBy: { household: true, helper: true, cadre: false },
  });
  const answers = await Promise.all([
    call('recordHomeVisit', visit(true), helper),
    call('recordHomeVisit', visit(false), admin),
    call('recordHomeVisit', visit(false), otherAdmin),
  ]);
  for (const answer of answers) expect(answer.error).toBeUndefined();
  const stored = (await adminDb().collection('homeVisits').doc(`${householdId}_2025`).get()).data();
  expect(stored?.visitorUids).toHaveLength(3);
  expect(stored?.corrected).toBe(true);
});
