import { visitProgressHeader, visitProgressRows, type StoredVisit } from '../domain/homeVisits';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { canRead } from '../domain/roles';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { callable, deny } from '../lib/callable';
import { collections, db } from '../services/db';
import { homeVisitsCollection } from './recordHomeVisit';
import { spotChecksCollection } from './setSpotCheck';

/** The 一户一册一卡工作进展情况表 of a township (seed 004), as CSV or XLSX. */
export const exportVisitProgress = callable({
  name: 'exportVisitProgress',
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, year, format }, caller) => {
    if (!canRead(caller, regionCode)) deny('exportVisitProgress', caller.uid);
    const field = regionFieldNameOf(levelOfCode(regionCode) as RegionLevel);
    const [region, villages, visits, checks] = await Promise.all([
      db().collection(collections.regions).doc(regionCode).get(),
      regionCode.length === 12
        ? db().collection(collections.regions).where('code', '==', regionCode).get()
        : db().collection(collections.regions).where('parentCode', '==', regionCode).get(),
      db()
        .collection(homeVisitsCollection)
        .where(field, '==', regionCode)
        .where('year', '==', year)
        .get(),
      db()
        .collection(spotChecksCollection)
        .where(field, '==', regionCode)
        .where('year', '==', year)
        .get(),
    ]);
    const rows = visitProgressRows(
      villages.docs
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((village) => ({
          villageName: String(village.get('name')),
          visits: visits.docs
            .filter((visit) => visit.get('villageCode') === village.id)
            .map((visit) => visit.data() as StoredVisit),
          spotCheck: checks.docs
            .find((check) => check.get('villageCode') === village.id)
            ?.data() as { sampled: boolean; households: number } | undefined,
        })),
    );
    const date = chinaDateOf();
    const regionName = String(region.get('name') ?? regionCode);
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
