/**
 * A real village: 2,000 households imported through importRoster by a village administrator the
 * township appointed, then found again by search and by walking pages, while others register;
 * on a platform of its own, started from nothing (its first account a county administrator), so
 * that its 2,000 households move no figure the demo township's tests count;
 * the review queue gives the oldest waiting need first; the capture form's picker finds a
 * registered household that sorts on the last page.
 */
import { randomUUID } from 'node:crypto';
import {
  adminDb,
  call,
  idle,
  newRequestId,
  signInByPhone,
  type CallError,
} from '../support/platform';
import { startOwnPlatform, type OwnPlatform } from '../support/ownPlatform';
import { csvOf, header, id } from '../support/rosterFiles';

const village = '520526105201';
const countyPhone = '+8613900007498';
const townshipPhone = '+8613900007499';
const adminPhone = '+8613900007501';
const size = 2000;

interface Row {
  id: string;
  headName: string;
  idLast4: string;
  status: string | null;
  registered: boolean;
}
interface Overview {
  households: Row[];
  matched: number;
  next: string | null;
  stats: { rosterHouseholds: number; registeredHouseholds: number };
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const givenChars = '德福顺贵兴华明国建林秀英兰芳桂珍文平安永';
const statusTexts = ['未脱贫', '返贫', '稳定脱贫', '2019年脱贫', '2020年脱贫'];

/** Household i of the file: a unique name (surname + two given characters) and ID number. */
function household(i: number) {
  const given =
    (givenChars[Math.floor(i / givenChars.length) % givenChars.length] as string) +
    (givenChars[i % givenChars.length] as string);
  const headName = `${surnames[Math.floor(i / 400) % surnames.length]}${given}`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
  const idNumber = id(`520526${1950 + (i % 50)}${month}${day}${String(i % 1000).padStart(3, '0')}`);
  return {
    headName,
    idNumber,
    address: `威宁县石门乡试点村${1 + (i % 9)}组${i + 1}号`,
    statusText: statusTexts[i % statusTexts.length] as string,
  };
}
const file = Array.from({ length: size }, (_, i) => household(i));

async function ok<T>(answer: Promise<{ result?: T; error?: CallError }>): Promise<T> {
  const { result, error } = await answer;
  if (error) throw new Error(`${error.status}: ${error.message}`);
  return result as T;
}

describe('a 2,000-household village', () => {
  let platform: OwnPlatform;
  let township: string;
  let admin: string;
  let adminUid: string;
  const overview = (input: Record<string, unknown>) =>
    ok<Overview>(call('getVillageOverview', { villageCode: village, ...input }, admin));

  /** Every page of a list, in order. */
  async function walk(input: Record<string, unknown>, between?: (page: Row[]) => Promise<void>) {
    const seen: Row[] = [];
    let after: string | null = null;
    do {
      const page: Overview = await overview({ ...input, ...(after ? { after } : {}) });
      seen.push(...page.households);
      after = page.next;
      if (between) await between(page.households);
    } while (after);
    return seen;
  }

  const register = (householdId: string) =>
    ok(call('registerHousehold', { householdId, requestId: newRequestId() }, admin));

  beforeAll(async () => {
    // From nothing: the first account (a county administrator) appoints the township's, which
    // appoints the village's, as a real roll-out does.
    platform = await startOwnPlatform(20);
    const first = platform.admin('first', [
      '--role',
      'county_admin',
      '--region',
      village.slice(0, 6),
      '--phone',
      countyPhone,
      '--name',
      '孙县长',
    ]);
    if (first.status !== 0) throw new Error(first.output);
    await ok(
      call(
        'appointStaff',
        {
          requestId: newRequestId(),
          phone: townshipPhone,
          name: '钱乡长',
          role: 'township_admin',
          regionCode: village.slice(0, 9),
        },
        await signInByPhone(countyPhone),
      ),
    );
    township = await signInByPhone(townshipPhone);
    const appointed = await ok<{ uid: string }>(
      call(
        'appointStaff',
        {
          requestId: newRequestId(),
          phone: adminPhone,
          name: '周试点',
          role: 'village_admin',
          regionCode: village,
        },
        township,
      ),
    );
    adminUid = appointed.uid;
    admin = await signInByPhone(adminPhone);
    const rows = file.map((h) => [
      h.headName,
      h.idNumber,
      h.address,
      '3',
      '因病',
      '3000',
      h.statusText,
      '',
    ]);
    const csv = `\uFEFF${csvOf([header, ...rows])}`;
    const started = Date.now();
    const imported = await ok<{ ok: boolean; created: number }>(
      call(
        'importRoster',
        {
          requestId: newRequestId(),
          format: 'csv',
          dataBase64: Buffer.from(csv, 'utf8').toString('base64'),
        },
        admin,
      ),
    );
    expect(imported).toMatchObject({ ok: true, created: size });
    process.stdout.write(`imported ${size} households in ${Date.now() - started} ms\n`);
    await idle();
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('walks every household exactly once, those to register first, and counts them', async () => {
    const started = Date.now();
    const seen = await walk({ pageSize: 100 });
    process.stdout.write(`walked ${seen.length} in ${Date.now() - started} ms\n`);
    expect(seen).toHaveLength(size);
    expect(new Set(seen.map((row) => row.id)).size).toBe(size);
    const first = await overview({ pageSize: 1 });
    expect(first.matched).toBe(size);
    expect(first.stats.rosterHouseholds).toBe(size);
    // Without a helper yet, every one of them is on the unassigned list.
    expect((await overview({ pageSize: 1, helperUid: null })).matched).toBe(size);
  }, 120_000);

  it('finds any household by its name, part of it, or the last four of its ID', async () => {
    for (const i of [0, 777, size - 1]) {
      const wanted = file[i] as (typeof file)[number];
      const byName = await overview({ search: wanted.headName, pageSize: 100 });
      expect(byName.households.map((row) => row.headName)).toContain(wanted.headName);
      expect(byName.households.every((row) => row.headName === wanted.headName)).toBe(true);

      const given = wanted.headName.slice(1);
      const byPart = await walk({ search: given, pageSize: 100 });
      expect(byPart.map((row) => row.headName)).toContain(wanted.headName);
      expect(byPart.every((row) => row.headName.includes(given))).toBe(true);
      expect(byPart.length).toBe(file.filter((h) => h.headName.includes(given)).length);

      const last4 = wanted.idNumber.slice(-4);
      const byId = await walk({ search: last4.toLowerCase(), pageSize: 100 });
      expect(byId.map((row) => row.headName)).toContain(wanted.headName);
      expect(byId.every((row) => row.idLast4 === last4)).toBe(true);
      expect(byId.length).toBe(file.filter((h) => h.idNumber.endsWith(last4)).length);
    }
  }, 120_000);

  it('lists by status, every page', async () => {
    const returned = await walk({ status: 'returned', pageSize: 100 });
    expect(returned.length).toBe(size / statusTexts.length);
    expect(returned.every((row) => row.status === 'returned')).toBe(true);
    expect(new Set(returned.map((row) => row.id)).size).toBe(returned.length);
  }, 120_000);

  it('skips and repeats no one while others register, and the picker finds a household from the last page', async () => {
    const all = await walk({ pageSize: 100 });
    const lastOfAll = all.at(-1) as Row;
    await register(lastOfAll.id);

    // Walking the unregistered while households ahead and behind the cursor register.
    const ids = all.map((row) => row.id);
    const registeredDuring = new Set<string>();
    let turn = 0;
    const unregistered = await walk({ registered: false, pageSize: 90 }, async (page) => {
      const last = page.at(-1);
      if (!last) return;
      const at = ids.indexOf(last.id);
      // The page's own last household (the cursor), and one far ahead of it.
      for (const householdId of [last.id, ids[(at + 500 + turn++) % ids.length] as string]) {
        if (householdId === lastOfAll.id || registeredDuring.has(householdId)) continue;
        registeredDuring.add(householdId);
        await register(householdId);
      }
    });
    const seenIds = unregistered.map((row) => row.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    for (const householdId of ids) {
      if (householdId === lastOfAll.id || registeredDuring.has(householdId)) continue;
      expect(seenIds).toContain(householdId);
    }
    expect(seenIds).not.toContain(lastOfAll.id);

    // The default order puts the registered last: the household registered first is on the last page.
    const lastPage = (await walk({ pageSize: 100 })).slice(-100);
    expect(lastPage.map((row) => row.id)).toContain(lastOfAll.id);
    // The capture form's picker: registered households only, searched by name or last four.
    const name = lastOfAll.headName;
    const picked = await overview({ registered: true, search: name, pageSize: 20 });
    expect(picked.households.map((row) => row.id)).toContain(lastOfAll.id);
    expect(picked.households.every((row) => row.registered)).toBe(true);
    const byLast4 = await overview({ registered: true, search: lastOfAll.idLast4, pageSize: 20 });
    expect(byLast4.households.map((row) => row.id)).toContain(lastOfAll.id);
    const registeredList = await walk({ registered: true, pageSize: 100 });
    expect(registeredList.length).toBe(registeredDuring.size + 1);
    await idle();
    expect((await overview({ pageSize: 1 })).stats.registeredHouseholds).toBe(
      registeredDuring.size + 1,
    );
  }, 300_000);

  it('lists one helper’s households, and the unassigned, as assignment moves them', async () => {
    const helper = await ok<{ uid: string }>(
      call(
        'appointStaff',
        {
          requestId: newRequestId(),
          phone: '+8613900007502',
          name: '吴帮扶',
          role: 'helper',
          regionCode: village,
        },
        township,
      ),
    );
    const before = await overview({ pageSize: 1, helperUid: null });
    const [first, second] = (await overview({ pageSize: 2, registered: false })).households;
    for (const row of [first, second] as Row[]) {
      await ok(
        call(
          'assignHelper',
          {
            requestId: newRequestId(),
            householdId: row.id,
            helperUid: helper.uid,
            expectedHelperUid: null,
          },
          admin,
        ),
      );
    }
    const theirs = await overview({ helperUid: helper.uid, pageSize: 100 });
    expect(theirs.households.map((row) => row.id).sort()).toEqual([first?.id, second?.id].sort());
    expect((await overview({ pageSize: 1, helperUid: null })).matched).toBe(before.matched - 2);
    // The helper's own list is theirs, whatever helper they ask for.
    const helperToken = await signInByPhone('+8613900007502');
    const own = await ok<Overview>(
      call('getVillageOverview', { pageSize: 100, helperUid: null }, helperToken),
    );
    expect(own.households.map((row) => row.id).sort()).toEqual([first?.id, second?.id].sort());
    // Cleared again: unassigned once more.
    await ok(
      call(
        'assignHelper',
        {
          requestId: newRequestId(),
          householdId: second?.id,
          helperUid: null,
          expectedHelperUid: helper.uid,
        },
        admin,
      ),
    );
    expect((await overview({ pageSize: 1, helperUid: null })).matched).toBe(before.matched - 1);
    expect((await overview({ helperUid: helper.uid, pageSize: 100 })).matched).toBe(1);
  }, 120_000);

  it('gives the review queue oldest submission first, by status, paged', async () => {
    // Households out for good (稳定脱贫) take no needs.
    const registered = (await walk({ registered: true, pageSize: 100 }))
      .filter((row) => row.status !== 'stably_out')
      .slice(0, 4);
    expect(registered).toHaveLength(4);
    const needIds: string[] = [];
    for (const row of registered) {
      const wanted = file.find(
        (h) => h.headName === row.headName && h.idNumber.endsWith(row.idLast4),
      );
      if (!wanted) throw new Error('household not in the file');
      const photoId = randomUUID();
      await adminDb()
        .collection('evidencePhotos')
        .doc(photoId)
        .set({ villageCode: village, status: 'processed', uploaderUid: adminUid });
      const { needId } = await ok<{ needId: string }>(
        call(
          'submitNeed',
          {
            requestId: newRequestId(),
            householdId: row.id,
            category: 'medical',
            kind: 'money',
            amountFen: 300_000,
            headName: wanted.headName,
            idNumber: wanted.idNumber,
            address: wanted.address,
            reason: '户主患慢性病，需要长期服药，医保报销后仍有缺口',
            evidencePhotoIds: [photoId],
            bankAccount: '6222020200112233445',
            adminName: '周试点',
          },
          admin,
        ),
      );
      needIds.push(needId);
      // Submissions a few milliseconds apart: distinct times.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const queue = (input: Record<string, unknown>) =>
      ok<{ needs: Array<{ id: string; status: string }>; next: string | null }>(
        call('listNeeds', { villageCode: village, ...input }, admin),
      );
    expect((await queue({ statuses: ['submitted'] })).needs.map((need) => need.id)).toEqual(
      needIds,
    );

    // Paged one by one, the same order.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page = await queue({
        statuses: ['submitted'],
        pageSize: 1,
        ...(after ? { after } : {}),
      });
      paged.push(...page.needs.map((need) => need.id));
      after = page.next;
    } while (after);
    expect(paged).toEqual(needIds);

    // Taken up for review: out of the waiting list, still in its place among the open ones.
    await ok(call('startNeedReview', { requestId: newRequestId(), needId: needIds[1] }, admin));
    expect((await queue({ statuses: ['submitted'] })).needs.map((need) => need.id)).toEqual(
      needIds.filter((_, i) => i !== 1),
    );
    expect(
      (await queue({ statuses: ['submitted', 'under_review'] })).needs.map((need) => need.id),
    ).toEqual(needIds);
  }, 120_000);
});
