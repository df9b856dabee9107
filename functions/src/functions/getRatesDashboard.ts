import {
  countFields,
  fulfilledRate,
  matchRate,
  matchTarget,
  registrationRate,
  registrationTarget,
  shortfall,
  zeroCounts,
} from '../domain/rates';
import { levelOfCode, regionFieldNameOf, regionLevels, type RegionLevel } from '../domain/regions';
import { canRead } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { collections, db } from '../services/db';
import { nationalStatsId } from '../services/rollup';
import { historyCollection } from './snapshotRates';

function figures(data: FirebaseFirestore.DocumentData | undefined) {
  const counts = zeroCounts();
  for (const field of countFields) counts[field] = Number(data?.[field] ?? 0);
  return {
    ...counts,
    registrationRate: registrationRate(counts) ?? null,
    matchRate: matchRate(counts) ?? null,
    fulfilledRate: fulfilledRate(counts) ?? null,
    shortfall: shortfall(counts),
  };
}

/**
 * A region as its offices watch it: its own figures against the two targets, each child region
 * (villages of a township, townships of a county, …) lagging first, and its daily history.
 * Villages are exact; regions above them are at most a minute behind (the rollup).
 */
export const getRatesDashboard = callable({
  name: 'getRatesDashboard',
  roles: ['township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, historyDays }, caller) => {
    const code = regionCode ?? caller.region;
    if (!canRead(caller, code)) deny('getRatesDashboard', caller.uid);
    const level: RegionLevel | 'national' =
      code === '' ? 'national' : (levelOfCode(code) as RegionLevel);
    const childLevel: RegionLevel | undefined =
      level === 'national' ? 'province' : regionLevels[regionLevels.indexOf(level) + 1];
    const statsId = code === '' ? nationalStatsId : code;
    const stats = db().collection(collections.stats);
    const [own, children, history] = await Promise.all([
      stats.doc(statsId).get(),
      childLevel
        ? (level === 'national'
            ? stats.where('level', '==', childLevel)
            : stats
                .where(regionFieldNameOf(level as RegionLevel), '==', code)
                .where('level', '==', childLevel)
          ).get()
        : Promise.resolve(undefined),
      db()
        .collection(historyCollection)
        .where('code', '==', statsId)
        .orderBy('day', 'desc')
        .limit(historyDays)
        .get(),
    ]);
    const childCodes = children?.docs.map((doc) => doc.id) ?? [];
    const names = new Map<string, string>();
    const regionRefs = [code, ...childCodes]
      .filter(Boolean)
      .map((c) => db().collection(collections.regions).doc(c));
    if (regionRefs.length > 0) {
      for (const region of await db().getAll(...regionRefs))
        names.set(region.id, String(region.get('name') ?? region.id));
    }
    return {
      region: {
        code,
        level,
        name: code === '' ? '全国' : (names.get(code) ?? code),
        ...figures(own.data()),
      },
      targets: { registration: registrationTarget, match: matchTarget },
      children: (children?.docs ?? [])
        .map((doc) => ({
          code: doc.id,
          level: childLevel as RegionLevel,
          name: names.get(doc.id) ?? doc.id,
          ...figures(doc.data()),
        }))
        .sort((a, b) => b.shortfall - a.shortfall || a.code.localeCompare(b.code)),
      history: history.docs
        .map((doc) => {
          const counts = figures(doc.data());
          return {
            day: String(doc.get('day')),
            registrationRate: counts.registrationRate,
            matchRate: counts.matchRate,
            fulfilledRate: counts.fulfilledRate,
          };
        })
        .reverse(),
    };
  },
});
