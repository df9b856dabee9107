/**
 * What the township is judged on (DOMAIN.md), defined once. Counts are stored, rates derived.
 */
export interface HouseholdCountFields {
  rosterHouseholds: number;
  registeredHouseholds: number;
}

type HouseholdLike =
  { villageCode?: unknown; onRoster?: unknown; registered?: unknown } | undefined;

/**
 * A household counts in the roster while it is on the village's 建档立卡 roster, and as
 * registered when, on the roster, it has been registered on the platform.
 */
export function householdCounts(household: HouseholdLike): HouseholdCountFields {
  const onRoster = household?.onRoster === true;
  return {
    rosterHouseholds: onRoster ? 1 : 0,
    registeredHouseholds: onRoster && household?.registered === true ? 1 : 0,
  };
}

/**
 * The per-village count changes one household write makes, from its before and after states.
 * A household moved between villages leaves one and joins the other. Zero deltas are omitted.
 */
export function householdDeltas(
  before: HouseholdLike,
  after: HouseholdLike,
): Map<string, Partial<HouseholdCountFields>> {
  const deltas = new Map<string, Partial<HouseholdCountFields>>();
  const apply = (household: HouseholdLike, sign: 1 | -1) => {
    if (typeof household?.villageCode !== 'string') return;
    const counts = householdCounts(household);
    const entry = deltas.get(household.villageCode) ?? {};
    for (const key of Object.keys(counts) as Array<keyof HouseholdCountFields>) {
      entry[key] = (entry[key] ?? 0) + sign * counts[key];
    }
    deltas.set(household.villageCode, entry);
  };
  apply(before, -1);
  apply(after, 1);
  for (const [village, entry] of deltas) {
    for (const key of Object.keys(entry) as Array<keyof HouseholdCountFields>) {
      if (entry[key] === 0) delete entry[key];
    }
    if (Object.keys(entry).length === 0) deltas.delete(village);
  }
  return deltas;
}

/** Registration rate (注册率) as a fraction; undefined for a village with no roster yet. */
export function registrationRate(counts: HouseholdCountFields): number | undefined {
  return counts.rosterHouseholds > 0
    ? counts.registeredHouseholds / counts.rosterHouseholds
    : undefined;
}

export const registrationTarget = 1;
export const matchTarget = 0.6;
