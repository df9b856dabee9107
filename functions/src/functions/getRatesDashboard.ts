import type { RegionFigures } from '../contract/households';
import { regionDocs, statsDocs, statsHistoryDocs } from '../data/households';
import {
  countsOf,
  fulfilledRate,
  matchRate,
  matchTarget,
  registrationRate,
  registrationTarget,
  shortfall,
  type Counts,
} from '../domain/rates';
import { levelOfCode, regionFieldNameOf, regionLevels } from '../domain/regions';
import { canRead } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { db } from '../services/db';
import { nationalStatsId } from '../services/rollup';

/** Stored counts with the rates derived from them (null: nothing to measure yet) and the lag. */
function figures(stored: Partial<Counts> | undefined) {
  const counts = countsOf(stored);
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
    // The empty code (ops, the whole country) is the only one without a level.
    const level = levelOfCode(code) ?? 'national';
    const childLevel =
      level === 'national' ? 'province' : regionLevels[regionLevels.indexOf(level) + 1];
    const statsId = code === '' ? nationalStatsId : code;
    const stats = statsDocs();
    const childFigures = async (): Promise<RegionFigures[]> => {
      if (!childLevel) return [];
      const children = (
        level === 'national' ? stats : stats.where(regionFieldNameOf(level), '==', code)
      ).where('level', '==', childLevel);
      return (await children.get()).docs.map((doc) => ({
        code: doc.id,
        level: childLevel,
        name: doc.id,
        ...figures(doc.data()),
      }));
    };
    const [own, children, history] = await Promise.all([
      stats.doc(statsId).get(),
      childFigures(),
      statsHistoryDocs()
        .where('code', '==', statsId)
        .orderBy('day', 'desc')
        .limit(historyDays)
        .get(),
    ]);
    const names = new Map<string, string>();
    const regionRefs = [code, ...children.map((child) => child.code)]
      .filter(Boolean)
      .map((c) => regionDocs().doc(c));
    if (regionRefs.length > 0) {
      for (const region of await db().getAll(...regionRefs))
        names.set(region.id, region.data()?.name ?? region.id);
    }
    return {
      region: {
        code,
        level,
        name: code === '' ? '全国' : (names.get(code) ?? code),
        ...figures(own.data()),
      },
      targets: { registration: registrationTarget, match: matchTarget },
      children: children
        .map((child) => ({ ...child, name: names.get(child.code) ?? child.code }))
        .sort((a, b) => b.shortfall - a.shortfall || a.code.localeCompare(b.code)),
      history: history.docs
        .map((doc) => {
          const stored = doc.data();
          const rates = figures(stored);
          return {
            day: stored.day,
            registrationRate: rates.registrationRate,
            matchRate: rates.matchRate,
            fulfilledRate: rates.fulfilledRate,
          };
        })
        .reverse(),
    };
  },
});
