import { regionDocs, statsDocs } from '../data/households';
import { countsOf, fulfilledRate, matchRate, registrationRate } from '../domain/rates';
import { levelOfCode, regionFieldNameOf, regionLevels, type RegionLevel } from '../domain/regions';
import { canRead } from '../domain/roles';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { callable, deny } from '../lib/callable';
import { db } from '../services/db';

const header = [
  '序号',
  '地区',
  '建档立卡户',
  '已注册户',
  '注册率',
  '已发布需求',
  '已对接需求',
  '对接率',
  '已完成需求',
  '完成率',
];
const percentText = (rate: number | undefined) =>
  rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;

/** The rates report of a region's child regions (the 通报 table), as CSV or XLSX. */
export const exportRatesReport = callable({
  name: 'exportRatesReport',
  roles: ['township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, format }, caller) => {
    if (!canRead(caller, regionCode)) deny('exportRatesReport', caller.uid);
    const level = levelOfCode(regionCode) as RegionLevel;
    const childLevel = regionLevels[regionLevels.indexOf(level) + 1] ?? level;
    const [region, children] = await Promise.all([
      regionDocs().doc(regionCode).get(),
      statsDocs()
        .where(regionFieldNameOf(level), '==', regionCode)
        .where('level', '==', childLevel)
        .orderBy('__name__')
        .get(),
    ]);
    const names = children.empty
      ? []
      : await db().getAll(...children.docs.map((doc) => regionDocs().doc(doc.id)));
    const rows = children.docs.map((doc, index) => {
      const counts = countsOf(doc.data());
      return [
        index + 1,
        names[index]?.data()?.name ?? doc.id,
        counts.rosterHouseholds,
        counts.registeredHouseholds,
        percentText(registrationRate(counts)),
        counts.publishedNeeds,
        counts.matchedNeeds,
        percentText(matchRate(counts)),
        counts.fulfilledNeeds,
        percentText(fulfilledRate(counts)),
      ];
    });
    const day = chinaDateOf();
    const regionName = region.data()?.name ?? regionCode;
    const title = `${regionName}社会扶贫网注册率与对接率（${day}）`;
    const table = { title, sheet: '注册率与对接率', header, rows };
    const name = `${regionName}-注册率与对接率-${day}`;
    return { ...(await tableFile(table, format, name)), rows: rows.length };
  },
});
