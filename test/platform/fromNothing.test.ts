/**
 * A deployment started from nothing: `start.ts --empty` holds no demo township, the first-account
 * command (`npm run admin:first`) makes a county administrator, who signs in by phone and SMS code
 * like any cadre, appoints a township administrator, who appoints a village one; each level lists
 * the staff of its region and below. The platform here is its own (ports from the run's base + 10).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { collections } from '../../functions/src/services/db';
import { startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';
import { call, newRequestId, projectId, signInByPhone } from '../support/platform';

const county = '520526';
const township = '520526105';
const village = '520526105201';
const phones = {
  county: '+8613812340001',
  township: '+8613812340002',
  village: '+8613812340003',
  other: '+8613812340009',
};

/** A documented command, run as a user would (`npm run admin:first -- …`). */
const admin: OwnPlatform['admin'] = (command, args) => platform.admin(command, args);

const firstAccount = (phone: string, name: string) =>
  admin('first', ['--role', 'county_admin', '--region', county, '--phone', phone, '--name', name]);

let platform: OwnPlatform;
let output = '';
let base = 0;
let dataDir = '';
let app: App;
let db: Firestore;

beforeAll(async () => {
  platform = await startOwnPlatform(10);
  ({ output, base, dataDir } = platform);
  app = initializeApp({ projectId }, 'fromNothing');
  db = getFirestore(app);
}, 180_000);

afterAll(async () => {
  await deleteApp(app);
  await platform.stop();
}, 60_000);

it('starts with no demo township: the division table only, no accounts, households or needs', async () => {
  expect(output).toMatch(/^READY$/m);
  expect(output).not.toMatch(/demo logins/);
  for (const name of [collections.households, collections.needs, collections.staff]) {
    expect((await db.collection(name).limit(1).get()).size).toBe(0);
  }
  expect((await getAuth(app).listUsers(10)).users).toEqual([]);
  expect((await db.collection(collections.regions).doc(village).get()).data()).toMatchObject({
    level: 'village',
    parentCode: township,
  });
  const local = (await (await fetch(`http://127.0.0.1:${base + 3}/local.json`)).json()) as {
    demoAccounts: unknown[];
    demoDonorPhones: unknown[];
  };
  expect(local.demoAccounts).toEqual([]);
  expect(local.demoDonorPhones).toEqual([]);
});

it('loads more divisions from the national table (codes padded to 12 digits), refusing a bad file whole', async () => {
  const file = join(dataDir, 'divisions.csv');
  writeFileSync(file, '\uFEFF统计用区划代码,名称\r\n520526105000,石门乡\r\n520526105299,新村\r\n');
  const loaded = admin('regions', ['--file', file]);
  expect(loaded.output).toMatch(/loaded 2 divisions/);
  expect((await db.collection(collections.regions).doc('520526105299').get()).data()).toEqual({
    code: '520526105299',
    name: '新村',
    fullName: '贵州省毕节市威宁彝族回族苗族自治县石门乡新村',
    level: 'village',
    parentCode: township,
  });
  writeFileSync(file, '520526105298,旧村\n52052610529,缺位\n');
  const refused = admin('regions', ['--file', file]);
  expect(refused.status).toBe(2);
  expect(refused.output).toMatch(/第 2 行/);
  expect((await db.collection(collections.regions).doc('520526105298').get()).exists).toBe(false);
});

it('makes the first account once, then appoints down the levels and lists staff by region', async () => {
  const made = firstAccount(phones.county, '张县长');
  expect(made.output).toMatch(/first account/);
  expect(made.status).toBe(0);
  const countyUid = /uid ([A-Za-z0-9_-]+)/.exec(made.output)?.[1] as string;
  expect((await getAuth(app).getUser(countyUid)).customClaims).toEqual({
    role: 'county_admin',
    region: county,
  });
  // A retry of the same command is harmless; anyone else is refused once staff exist.
  const again = firstAccount(phones.county, '张县长');
  expect(again.status).toBe(0);
  expect(again.output).toContain(`uid ${countyUid}`);
  const other = firstAccount(phones.other, '李四');
  expect(other.status).toBe(2);
  expect(other.output).toMatch(/已有在职工作人员/);
  expect((await db.collection(collections.staff).get()).size).toBe(1);

  const countyToken = await signInByPhone(phones.county);
  const townshipAdmin = await call<{ uid: string; seat: string }>(
    'appointStaff',
    {
      requestId: newRequestId(),
      phone: phones.township,
      name: '王镇长',
      role: 'township_admin',
      regionCode: township,
    },
    countyToken,
  );
  expect(townshipAdmin.error).toBeUndefined();
  expect(townshipAdmin.result?.seat).toBe(`${township}_township_admin_1`);

  const townshipToken = await signInByPhone(phones.township);
  const villageAdmin = await call<{ uid: string }>(
    'appointStaff',
    {
      requestId: newRequestId(),
      phone: phones.village,
      name: '赵村官',
      role: 'village_admin',
      regionCode: village,
    },
    townshipToken,
  );
  expect(villageAdmin.error).toBeUndefined();

  type Page = {
    staff: Array<{ uid: string; role: string; phone: string; status: string; name: string }>;
    next: string | null;
  };
  const seenByCounty = await call<Page>('listStaff', {}, countyToken);
  expect(seenByCounty.result?.staff).toEqual([
    expect.objectContaining({
      uid: countyUid,
      role: 'county_admin',
      name: '张县长',
      phone: '*******0001',
      status: 'active',
    }),
    expect.objectContaining({ role: 'township_admin', phone: '*******0002', status: 'active' }),
    expect.objectContaining({ role: 'village_admin', phone: '*******0003', status: 'active' }),
  ]);
  expect(seenByCounty.result?.next).toBeNull();

  // Paged one at a time, the same three in the same order.
  const paged: string[] = [];
  let after: string | undefined;
  do {
    const page = await call<Page>(
      'listStaff',
      { pageSize: 1, ...(after ? { after } : {}) },
      countyToken,
    );
    paged.push(...(page.result?.staff ?? []).map((staff) => staff.uid));
    after = page.result?.next ?? undefined;
  } while (after);
  expect(paged).toEqual(seenByCounty.result?.staff.map((staff) => staff.uid));

  // The township sees itself and below, not the county; nor may it ask for the county.
  const seenByTownship = await call<Page>('listStaff', {}, townshipToken);
  expect(seenByTownship.result?.staff.map((staff) => staff.role)).toEqual([
    'township_admin',
    'village_admin',
  ]);
  expect((await call('listStaff', { regionCode: county }, townshipToken)).error?.status).toBe(
    'PERMISSION_DENIED',
  );
  const villageToken = await signInByPhone(phones.village);
  expect((await call('listStaff', {}, villageToken)).error?.status).toBe('PERMISSION_DENIED');

  // A removed cadre stays on the list, as removed.
  const removed = await call('removeStaff', { uid: villageAdmin.result?.uid }, townshipToken);
  expect(removed.error).toBeUndefined();
  const afterRemoval = await call<Page>('listStaff', { regionCode: village }, townshipToken);
  expect(afterRemoval.result?.staff).toEqual([
    expect.objectContaining({ uid: villageAdmin.result?.uid, status: 'removed' }),
  ]);
});
