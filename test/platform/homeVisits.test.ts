/**
 * 一户一册一卡 (seed 004): helpers and the village administrator record their visits, the township
 * records the city's sample, and the township exports the 工作进展情况表 with each village's counts.
 * A household counts as corrected only when a visit that walked its sheet recorded a change
 * (recordSheetVisit); a visit recorded without the sheet only says who signed.
 */
import sharp from 'sharp';
import { adminDb, call, csvRowsOf, newRequestId, signIn } from '../support/platform';

const village = '520526105202'; // 营盘村: helper3 works here
const township = '520526105';
const year = 2026;

const living = Object.fromEntries(
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
);

/** A visit that walked the household's sheet and found its income wrong: one recorded change. */
async function sheetVisit(householdId: string, visitedOn: string, token: string) {
  const file = await call<{ revision: number; causes: string[] }>(
    'getHouseholdFile',
    { householdId, year: Number(visitedOn.slice(0, 4)) },
    token,
  );
  const signature = (
    await sharp({ create: { width: 60, height: 30, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
  ).toString('base64');
  return call<{ changes: number; completed: boolean }>(
    'recordSheetVisit',
    {
      requestId: newRequestId(),
      householdId,
      visitedOn,
      baseRevision: file.result?.revision ?? 0,
      sheet: {
        members: [],
        living,
        income: { wage: 500_000, business: 0, property: 0, transfer: 0 },
        causes: file.result?.causes.length ? file.result.causes : ['因病'],
      },
      confirmations: {
        household: { kind: 'signature', pngBase64: signature },
        helper: { kind: 'signature', pngBase64: signature },
        cadre: { kind: 'none' },
      },
    },
    token,
  );
}

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
  const visit = (householdId: string, cadre: boolean) => ({
    requestId: newRequestId(),
    householdId,
    visitedOn: `${year}-03-12`,
    signedBy: { household: true, helper: true, cadre },
  });

  // The helper walks the first household's sheet and corrects it; the cadre signs on a second visit.
  const corrected = await sheetVisit(first as string, `${year}-03-12`, helper);
  expect(corrected.result).toMatchObject({ completed: false });
  expect(corrected.result?.changes).toBeGreaterThan(0);
  const byAdmin = visit(first as string, true);
  expect((await call('recordHomeVisit', byAdmin, admin)).result).toEqual({
    householdId: first,
    year,
    corrected: true,
    completed: true,
    visitors: 2,
  });
  // A retry of the same request is the same visit.
  expect((await call('recordHomeVisit', byAdmin, admin)).result).toMatchObject({ visitors: 2 });
  // A visit without the sheet claims no correction: the second household is completed, not corrected.
  expect(
    (await call('recordHomeVisit', visit(second as string, true), helper)).result,
  ).toMatchObject({
    corrected: false,
    completed: true,
  });
  // A helper of another village cannot record here.
  const outside = await call('recordHomeVisit', visit(second as string, true), otherHelper);
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
  const visit = () => ({
    requestId: newRequestId(),
    householdId,
    visitedOn: '2025-06-01',
    signedBy: { household: true, helper: true, cadre: false },
  });
  const answers = await Promise.all([
    sheetVisit(householdId, '2025-06-01', helper),
    call('recordHomeVisit', visit(), admin),
    call('recordHomeVisit', visit(), otherAdmin),
  ]);
  for (const answer of answers) expect(answer.error).toBeUndefined();
  const stored = (await adminDb().collection('homeVisits').doc(`${householdId}_2025`).get()).data();
  expect(stored?.visitorUids).toHaveLength(3);
  expect(stored?.corrected).toBe(true);
});
