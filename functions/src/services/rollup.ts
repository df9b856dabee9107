import { AggregateField, FieldValue, Timestamp } from 'firebase-admin/firestore';
import {
  countFields,
  type Counts,
  fulfilledStatuses,
  matchedStatuses,
  publishedStatuses,
  countsOf,
} from '../domain/rates';
import {
  ancestorCode,
  levelOfCode,
  regionFieldsOf,
  regionFieldNameOf,
  regionLevels,
  type RegionLevel,
} from '../domain/regions';
import { statsDocs } from '../data/households';
import { logs } from '../logs';
import { collections, db } from './db';

/** The document id of the whole country's figures (the empty code cannot be a document id). */
export const nationalStatsId = 'national';

const parentLevelOf = (level: RegionLevel): RegionLevel | undefined =>
  regionLevels[regionLevels.indexOf(level) - 1];

/** Sums the figures of every child region of `code` (one aggregation query, no document reads). */
async function sumOfChildren(code: string, childLevel: RegionLevel): Promise<Counts> {
  const stats = db().collection(collections.stats);
  const children =
    code === nationalStatsId
      ? stats.where('level', '==', childLevel)
      : stats
          .where(regionFieldNameOf(levelOfCode(code) as RegionLevel), '==', code)
          .where('level', '==', childLevel);
  const snapshot = await children
    .aggregate(Object.fromEntries(countFields.map((field) => [field, AggregateField.sum(field)])))
    .get();
  return countsOf(snapshot.data());
}

function regionFieldsAbove(code: string): Record<string, string> {
  const level = levelOfCode(code);
  if (!level) return {};
  return Object.fromEntries(
    regionLevels
      .slice(0, regionLevels.indexOf(level) + 1)
      .map((above) => [regionFieldNameOf(above), ancestorCode(code, above)]),
  );
}

/**
 * Recomputes the figures of every region above the given villages, level by level, each from its
 * children: townships from villages, counties from townships, … the country from provinces.
 * A recomputation, so running it twice or out of order gives the same figures; each region
 * document is written once per call, whatever the number of village writes behind it.
 */
export async function rollUpFrom(villageCodes: Iterable<string>): Promise<number> {
  let codes = new Set(villageCodes);
  let level: RegionLevel = 'village';
  let writes = 0;
  for (;;) {
    const parentLevel = parentLevelOf(level);
    const parents = new Set(
      [...codes].map((code) => (parentLevel ? ancestorCode(code, parentLevel) : nationalStatsId)),
    );
    for (const parent of parents) {
      const counts = await sumOfChildren(parent, level);
      await db()
        .collection(collections.stats)
        .doc(parent)
        .set({
          ...regionFieldsAbove(parent === nationalStatsId ? '' : parent),
          code: parent,
          level: parentLevel ?? 'national',
          ...counts,
          updatedAt: FieldValue.serverTimestamp(),
        });
      writes++;
    }
    if (!parentLevel) return writes;
    codes = parents;
    level = parentLevel;
  }
}

/** Villages whose figures moved since `since` (an indexed query: reads = villages changed). */
export async function villagesChangedSince(since: Timestamp): Promise<string[]> {
  const changed = await db()
    .collection(collections.stats)
    .where('level', '==', 'village')
    .where('updatedAt', '>', since)
    .select()
    .get();
  return changed.docs.map((doc) => doc.id);
}

/** A village's figures counted from source: its households and needs, with count() queries. */
export async function recountVillage(villageCode: string): Promise<Counts> {
  const households = db()
    .collection(collections.households)
    .where('villageCode', '==', villageCode)
    .where('onRoster', '==', true);
  const needs = db().collection(collections.needs).where('villageCode', '==', villageCode);
  const count = async (query: FirebaseFirestore.Query) => (await query.count().get()).data().count;
  const [roster, registered, published, matched, fulfilled] = await Promise.all([
    count(households),
    count(households.where('registered', '==', true)),
    count(needs.where('status', 'in', [...publishedStatuses])),
    count(needs.where('status', 'in', [...matchedStatuses])),
    count(needs.where('status', 'in', [...fulfilledStatuses])),
  ]);
  return {
    rosterHouseholds: roster,
    registeredHouseholds: registered,
    publishedNeeds: published,
    matchedNeeds: matched,
    fulfilledNeeds: fulfilled,
  };
}

export async function keptVillageCounts(villageCode: string): Promise<Counts> {
  return countsOf((await statsDocs().doc(villageCode).get()).data());
}

/** The village codes under a region, from the region register (a prefix range on `code`). */
export async function villagesUnder(regionCode: string): Promise<string[]> {
  const villages = await db()
    .collection(collections.regions)
    .where('level', '==', 'village')
    .where('code', '>=', regionCode)
    .where('code', '<', `${regionCode}\uf8ff`)
    .select()
    .get();
  return villages.docs.map((doc) => doc.id);
}

/**
 * Recounts every village under a region from source, repairs any kept figure that drifted
 * (logging each drift as an ops alert), then recomputes the regions above. A repair writes
 * absolute values, so running it twice changes nothing the second time.
 */
export async function repairRegion(
  regionCode: string,
): Promise<{ villages: number; drifted: number }> {
  const villages = await villagesUnder(regionCode);
  let drifted = 0;
  for (const villageCode of villages) {
    const [kept, recount] = await Promise.all([
      keptVillageCounts(villageCode),
      recountVillage(villageCode),
    ]);
    const drift = Object.fromEntries(
      countFields
        .filter((field) => kept[field] !== recount[field])
        .map((field) => [field, recount[field] - kept[field]]),
    ) as Partial<Counts>;
    if (Object.keys(drift).length === 0) continue;
    drifted++;
    logs.ratesDrift(villageCode, drift);
    await db()
      .collection(collections.stats)
      .doc(villageCode)
      .set(
        {
          ...regionFieldsOf(villageCode),
          code: villageCode,
          level: 'village',
          ...recount,
          updatedAt: FieldValue.serverTimestamp(),
        },
        { merge: true },
      );
  }
  if (villages.length > 0) await rollUpFrom(villages);
  logs.ratesRepaired(regionCode, villages.length, drifted);
  return { villages: villages.length, drifted };
}
