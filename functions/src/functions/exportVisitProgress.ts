import { homeVisitDocs, regionDocs, spotCheckDocs } from '../data/households';
import { visitProgressHeader, visitProgressRows } from '../domain/homeVisits';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { canRead } from '../domain/roles';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { callable, deny } from '../lib/callable';

/** The 一户一册一卡工作进展情况表 of a township (seed 004), as CSV or XLSX. */
export const exportVisitProgress = callable({
  name: 'exportVisitProgress',
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, year, format }, caller) => {
    if (!canRead(caller, regionCode)) deny('exportVisitProgress', caller.uid);
    const field = regionFieldNameOf(levelOfCode(regionCode) as RegionLevel);
    const regions = regionDocs();
    const [region, villages, visits, checks] = await Promise.all([
      regions.doc(regionCode).get(),
      regionCode.length === 12
        ? regions.where('code', '==', regionCode).get()
        : regions.where('parentCode', '==', regionCode).get(),
      homeVisitDocs().where(field, '==', regionCode).where('year', '==', year).get(),
      spotCheckDocs().where(field, '==', regionCode).where('year', '==', year).get(),
    ]);
    const visitsOf = visits.docs.map((doc) => doc.data());
    const checksOf = checks.docs.map((doc) => doc.data());
    const rows = visitProgressRows(
      villages.docs
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((village) => ({
          villageName: village.data().name,
          visits: visitsOf.filter((visit) => visit.villageCode === village.id),
          spotCheck: checksOf.find((check) => check.villageCode === village.id),
        })),
    );
    const date = chinaDateOf();
    const regionName = region.data()?.name ?? regionCode;
    const table = {
      title: `${regionName}${year}年度精准帮扶“一户一册一卡”工作进展情况表（填报日期：${date}）`,
      sheet: '工作进展情况表',
      header: visitProgressHeader,
      rows,
      widths: [6, 12, 22, 22, 18, 20, 14],
    };
    const name = `${regionName}${year}年度一户一册一卡工作进展情况表-${date}`;
    return { ...(await tableFile(table, format, name)), rows: rows.length };
  },
});
