/**
 * Donors finding needs and keeping their profile: region, category and search filters through
 * indexed queries, paging, the default order, 爱心关注 with what is new there, and the
 * registration table (爱心人士注册统计表) the village and the township export.
 */
import { rankAtOf } from '../../functions/src/domain/discovery';
import {
  adminDb,
  call,
  csvRowsOf,
  signIn,
  signInAsDonor,
  signInByPhone,
} from '../support/platform';

interface Listed {
  id: string;
  villageName: string;
  maskedName: string;
  category: string;
  status: string;
  raisedFen: number;
  publishedAt: number;
}
type Page = { needs: Listed[]; next: string | null };

const township = '520526105';

async function everyPage(token: string, filter: Record<string, unknown>, pageSize = 3) {
  const seen: Listed[] = [];
  let after: string | null = null;
  do {
    const { result, error }: { result?: Page; error?: unknown } = await call<Page>(
      'listPublicNeeds',
      { ...filter, pageSize, ...(after ? { after } : {}) },
      token,
    );
    if (!result) throw new Error(JSON.stringify(error));
    expect(result.needs.length).toBeLessThanOrEqual(pageSize);
    seen.push(...result.needs);
    after = result.next;
  } while (after);
  return seen;
}

describe('finding needs', () => {
  let donor: string;
  beforeAll(async () => {
    donor = await signInAsDonor('+8613700000811', { name: '赵爱心' });
  });

  it('pages through a township’s published needs in the default order, each once', async () => {
    const listed = await everyPage(donor, { regionCode: township });
    const published = await adminDb()
      .collection('publicNeeds')
      .where('townshipCode', '==', township)
      .where('status', '==', 'published')
      .get();
    expect(listed.map((need) => need.id).sort()).toEqual(published.docs.map((d) => d.id).sort());
    expect(listed.every((need) => need.status === 'published')).toBe(true);
    // The order is the stored rank: longest waiting, lagging villages first.
    const ranks = new Map(published.docs.map((doc) => [doc.id, Number(doc.get('rankAt'))]));
    const inOrder = listed.map((need) => ranks.get(need.id) as number);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
  });

  it('ranks a need by its waiting time and its village’s match shortfall', async () => {
    const [first] =
      (await call<Page>('listPublicNeeds', { pageSize: 1 }, donor)).result?.needs ?? [];
    const stored = await adminDb()
      .collection('publicNeeds')
      .doc(first?.id as string)
      .get();
    const village = await adminDb().collection('stats').doc(stored.get('villageCode')).get();
    // Taken with the village's counts at the need's last write; those move only by a match.
    const lowest = rankAtOf(first?.publishedAt as number, {
      publishedNeeds: 0,
      matchedNeeds: 0,
    });
    expect(Number(stored.get('rankAt'))).toBeGreaterThanOrEqual(lowest);
    expect(Number(stored.get('rankAt'))).toBeLessThanOrEqual(first?.publishedAt as number);
    expect(Number(village.get('publishedNeeds'))).toBeGreaterThan(0);
  });

  it('narrows to one village by its code, and finds the same needs by its name', async () => {
    const byCode = await everyPage(donor, { regionCode: '520526105208' });
    expect(byCode.length).toBeGreaterThan(0);
    const name = byCode[0]?.villageName as string;
    expect(byCode.every((need) => need.villageName === name)).toBe(true);
    const byName = await everyPage(donor, { search: name });
    expect(byName.map((need) => need.id).sort()).toEqual(byCode.map((need) => need.id).sort());
    const byShortName = await everyPage(donor, { search: name.replace(/村$/, '') });
    expect(byShortName.map((need) => need.id).sort()).toEqual(byName.map((n) => n.id).sort());
  });

  it('finds a household by its masked name or surname, never by the full name', async () => {
    const [need] = await everyPage(donor, { regionCode: township });
    const masked = need?.maskedName as string;
    const bySurname = await everyPage(donor, { search: masked.slice(0, 1) });
    expect(bySurname.map((n) => n.id)).toContain(need?.id);
    expect(bySurname.every((n) => n.maskedName.startsWith(masked.slice(0, 1)))).toBe(true);
    const byMasked = await everyPage(donor, { search: masked });
    expect(byMasked.map((n) => n.id)).toContain(need?.id);
    const stored = await adminDb()
      .collection('needs')
      .doc(need?.id as string)
      .get();
    expect(await everyPage(donor, { search: stored.get('headName') })).toEqual([]);
  });

  it('combines region, category and search', async () => {
    const all = await everyPage(donor, { regionCode: township });
    const sample = all[0] as Listed;
    const combined = await everyPage(donor, {
      regionCode: township,
      category: sample.category,
      search: sample.villageName,
    });
    expect(combined.map((n) => n.id)).toContain(sample.id);
    expect(
      combined.every((n) => n.category === sample.category && n.villageName === sample.villageName),
    ).toBe(true);
  });

  it('refuses a malformed region code or an empty search with the field path', async () => {
    for (const [input, path] of [
      [{ regionCode: '5205261' }, 'regionCode'],
      [{ search: '   ' }, 'search'],
      [{ category: 'lottery' }, 'category'],
    ] as const) {
      const { error } = await call('listPublicNeeds', input, donor);
      expect(error?.status).toBe('INVALID_ARGUMENT');
      expect(error?.details?.issues?.map((issue) => issue.path)).toEqual([path]);
    }
  });

  it('lists the regions under a division to anyone, for the pickers', async () => {
    const { result } = await call<{ regions: Array<{ code: string; name: string }> }>(
      'listRegions',
      { parentCode: township },
    );
    expect(result?.regions).toHaveLength(10);
    expect(result?.regions.every((region) => region.code.startsWith(township))).toBe(true);
    const provinces = await call<{ regions: Array<{ name: string }> }>('listRegions', {});
    expect(provinces.result?.regions.map((region) => region.name)).toContain('贵州省');
  });
});

describe('the donor profile and 爱心关注', () => {
  it('keeps a person or an enterprise with its unit, and the phone from the sign-in, masked', async () => {
    const token = await signInByPhone('+8613700000821');
    const bad = await call(
      'saveDonorProfile',
      { kind: 'enterprise', name: '电话13912345678的公司', unit: '' },
      token,
    );
    expect(bad.error?.status).toBe('INVALID_ARGUMENT');
    expect(bad.error?.details?.issues).toEqual([{ path: 'name', code: 'donor_number' }]);
    const injected = await call(
      'saveDonorProfile',
      { kind: 'person', name: '王', phone: '1' },
      token,
    );
    expect(injected.error?.details?.issues).toEqual([{ path: 'phone', code: 'unrecognized_keys' }]);
    const saved = await call<{ profile: Record<string, unknown> }>(
      'saveDonorProfile',
      { kind: 'enterprise', name: ' 石门乡 惠民超市 ' },
      token,
    );
    expect(saved.result?.profile).toEqual({
      kind: 'enterprise',
      name: '石门乡 惠民超市',
      unit: '石门乡 惠民超市',
      phoneMasked: '137****0821',
      villageCode: null,
    });
  });

  it('follows a region, shows its new needs once as new, and unfollows', async () => {
    const token = await signInAsDonor('+8613700000822', { name: '孙关注' });
    const followed = await call<{ follows: Array<{ code: string; name: string }> }>(
      'setFollow',
      { regionCode: township, follow: true },
      token,
    );
    expect(followed.result?.follows).toEqual([
      { code: township, name: '贵州省毕节市威宁彝族回族苗族自治县石门乡' },
    ]);
    // A retried follow is one follow.
    await call('setFollow', { regionCode: township, follow: true }, token);
    type Profile = { follows: unknown[]; news: Array<{ id: string; isNew: boolean }> };
    const first = (await call<Profile>('getDonorProfile', {}, token)).result as Profile;
    expect(first.follows).toHaveLength(1);
    expect(first.news.length).toBeGreaterThan(0);
    expect(first.news.every((need) => need.isNew)).toBe(true);
    const second = (await call<Profile>('getDonorProfile', {}, token)).result as Profile;
    expect(second.news.map((need) => need.id)).toEqual(first.news.map((need) => need.id));
    expect(second.news.some((need) => need.isNew)).toBe(false);
    expect(
      (await call('setFollow', { regionCode: '520526199', follow: true }, token)).error?.status,
    ).toBe('NOT_FOUND');
    const unfollowed = await call<{ follows: unknown[] }>(
      'setFollow',
      { regionCode: township, follow: false },
      token,
    );
    expect(unfollowed.result?.follows).toEqual([]);
  });
});

describe('爱心人士注册统计表', () => {
  const village = '520526105203';
  beforeAll(async () => {
    await signInAsDonor('+8613700000831', {
      name: '周热心',
      unit: '石门乡中心小学',
      villageCode: village,
    });
    await signInAsDonor('+8613700000832', { name: '吴善', villageCode: '520526105204' });
  });

  it('gives the village its own donors with phones masked', async () => {
    const { result } = await call<{ dataBase64: string; rows: number }>(
      'exportDonorRegistry',
      { regionCode: village, format: 'csv' },
      await signIn('v03a@demo.fupin.cn'),
    );
    const rows = csvRowsOf(result?.dataBase64 as string);
    expect(rows[1]).toEqual(['序号', '姓名', '单位', '注册电话']);
    expect(rows.slice(2)).toEqual([['1', '周热心', '石门乡中心小学', '137****0831']]);
  });

  it('gives the township every village’s donors with phones in full, as XLSX too', async () => {
    const township_ = await signIn('township@demo.fupin.cn');
    const { result } = await call<{ dataBase64: string }>(
      'exportDonorRegistry',
      { regionCode: township, format: 'csv' },
      township_,
    );
    const rows = csvRowsOf(result?.dataBase64 as string).slice(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.arrayContaining(['周热心', '13700000831']),
        expect.arrayContaining(['吴善', '13700000832']),
      ]),
    );
    const xlsx = await call<{ dataBase64: string; filename: string }>(
      'exportDonorRegistry',
      { regionCode: township, format: 'xlsx' },
      township_,
    );
    expect(
      Buffer.from(xlsx.result?.dataBase64 as string, 'base64')
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect(xlsx.result?.filename).toMatch(/^石门乡爱心人士注册统计表-\d{4}-\d{2}-\d{2}\.xlsx$/);
  });

  it('refuses another village’s administrator and helpers', async () => {
    for (const email of ['v04a@demo.fupin.cn', 'helper1@demo.fupin.cn']) {
      const { error } = await call(
        'exportDonorRegistry',
        { regionCode: village, format: 'csv' },
        await signIn(email),
      );
      expect(error?.status).toBe('PERMISSION_DENIED');
    }
  });
});
