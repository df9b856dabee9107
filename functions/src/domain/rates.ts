/**
 * What the township is judged on, defined once. Counts are stored, rates derived.
 *
 * Registration rate (注册率) = registered ÷ roster households, target 100 %.
 * Match rate (对接率) = matched (covered) ÷ published needs, target ≥ 60 %; shown beside it, the
 * fulfilled rate = fulfilled ÷ published needs (covered, and the household has confirmed receipt).
 */
export const countFields = [
  'rosterHouseholds',
  'registeredHouseholds',
  'publishedNeeds',
  'matchedNeeds',
  'fulfilledNeeds',
] as const;
export type CountField = (typeof countFields)[number];
export type Counts = Record<CountField, number>;
export type HouseholdCountFields = Pick<Counts, 'rosterHouseholds' | 'registeredHouseholds'>;

export const zeroCounts = (): Counts => ({
  rosterHouseholds: 0,
  registeredHouseholds: 0,
  publishedNeeds: 0,
  matchedNeeds: 0,
  fulfilledNeeds: 0,
});

type HouseholdLike =
  { villageCode?: unknown; onRoster?: unknown; registered?: unknown } | undefined;
type NeedLike = { villageCode?: unknown; status?: unknown } | undefined;

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
 * Need statuses in each count. A published need stays in the denominator through its life
 * (matched, fulfilled, closed); a withdrawn, rejected or invalid need leaves it, so withdrawing a
 * published need lowers the denominator. A need counts as matched (对接) only while it is covered
 * — the accepted money reaches its target, or kept pledges cover every item: a partial gift
 * does not count, and a refund or lapse that uncovers it takes it out again (the settlement
 * moves it back to published). Fulfilled only once covered and the household has confirmed.
 */
export const publishedStatuses = ['published', 'matched', 'fulfilled', 'closed'] as const;
export const matchedStatuses = ['matched', 'fulfilled', 'closed'] as const;
export const fulfilledStatuses = ['fulfilled', 'closed'] as const;

const isIn = (statuses: readonly string[], status: unknown) =>
  typeof status === 'string' && statuses.includes(status);

export function needCounts(
  need: NeedLike,
): Pick<Counts, 'publishedNeeds' | 'matchedNeeds' | 'fulfilledNeeds'> {
  return {
    publishedNeeds: isIn(publishedStatuses, need?.status) ? 1 : 0,
    matchedNeeds: isIn(matchedStatuses, need?.status) ? 1 : 0,
    fulfilledNeeds: isIn(fulfilledStatuses, need?.status) ? 1 : 0,
  };
}

/**
 * The per-village count changes one document write makes, from its before and after states.
 * A document moved between villages leaves one and joins the other. Zero deltas are omitted.
 */
export function deltasOf<T extends { villageCode?: unknown } | undefined>(
  countsOf: (doc: T) => Partial<Counts>,
  before: T,
  after: T,
): Map<string, Partial<Counts>> {
  const deltas = new Map<string, Partial<Counts>>();
  const apply = (doc: T, sign: 1 | -1) => {
    if (typeof doc?.villageCode !== 'string') return;
    const entry = deltas.get(doc.villageCode) ?? {};
    for (const [key, value] of Object.entries(countsOf(doc)) as Array<[CountField, number]>) {
      entry[key] = (entry[key] ?? 0) + sign * value;
    }
    deltas.set(doc.villageCode, entry);
  };
  apply(before, -1);
  apply(after, 1);
  for (const [village, entry] of deltas) {
    for (const key of Object.keys(entry) as CountField[]) {
      if (entry[key] === 0) delete entry[key];
    }
    if (Object.keys(entry).length === 0) deltas.delete(village);
  }
  return deltas;
}

export const householdDeltas = (before: HouseholdLike, after: HouseholdLike) =>
  deltasOf(householdCounts, before, after);

export const needDeltas = (before: NeedLike, after: NeedLike) =>
  deltasOf(needCounts, before, after);

/** Registration rate (注册率) as a fraction; undefined for a village with no roster yet. */
export function registrationRate(counts: HouseholdCountFields): number | undefined {
  return counts.rosterHouseholds > 0
    ? counts.registeredHouseholds / counts.rosterHouseholds
    : undefined;
}

/** Match rate (对接率); undefined while nothing has been published. */
export function matchRate(
  counts: Pick<Counts, 'publishedNeeds' | 'matchedNeeds'>,
): number | undefined {
  return counts.publishedNeeds > 0 ? counts.matchedNeeds / counts.publishedNeeds : undefined;
}

/** Share of published needs whose household has confirmed receipt. */
export function fulfilledRate(
  counts: Pick<Counts, 'publishedNeeds' | 'fulfilledNeeds'>,
): number | undefined {
  return counts.publishedNeeds > 0 ? counts.fulfilledNeeds / counts.publishedNeeds : undefined;
}

export const registrationTarget = 1;
export const matchTarget = 0.6;

/**
 * How far a region lags its two targets, for "lagging villages first": the larger of the two
 * shortfalls. A region with nothing to measure yet does not lag on that target.
 */
export function shortfall(counts: Counts): number {
  const registration = registrationRate(counts);
  const match = matchRate(counts);
  return Math.max(
    registration === undefined ? 0 : registrationTarget - registration,
    match === undefined ? 0 : matchTarget - match,
    0,
  );
}

/** The counts of a region's figures as stored (a count no event has moved yet reads 0). */
export function countsOf(figures: Partial<Counts> | undefined): Counts {
  const counts = zeroCounts();
  for (const field of countFields) counts[field] = figures?.[field] ?? 0;
  return counts;
}

/** Sums the counts of a region's children: the whole of a rollup. */
export function sumCounts(children: Iterable<Partial<Counts>>): Counts {
  const total = zeroCounts();
  for (const child of children) {
    for (const field of countFields) total[field] += Number(child[field] ?? 0);
  }
  return total;
}
