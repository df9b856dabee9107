/**
 * How staff find households in a village of thousands, and how the review queue is ordered: the
 * search fields a household document carries, what a search box's text asks for, and the
 * composite indexes those queries need (generated into firestore.indexes.json by
 * functions/scripts/writeIndexes.ts; householdSearch.test.ts fails when they disagree).
 */
import type { IndexField } from './discovery';

/**
 * Substrings longer than this are not stored: a name's every substring up to here (10 of a
 * four-character name, 55 of a ten-character one) is what a search box can match anywhere in it.
 * A longer text matches only a whole name.
 */
export const maxNameTokenLength = 10;

/** A name as searched and stored: NFKC, no spaces, the middle dots of minority names as `·`. */
export function nameKeyOf(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/[•‧∙・･.]/gu, '·');
}

/**
 * The tokens a head's name is found by: every part of it (张, 国华, 张国华 for 张国华), so a
 * search is one `array-contains`, and the whole name however long.
 */
export function nameTokensOf(headName: string): string[] {
  const chars = Array.from(nameKeyOf(headName));
  const tokens = new Set<string>();
  for (let start = 0; start < chars.length; start++) {
    for (let end = start + 1; end <= Math.min(chars.length, start + maxNameTokenLength); end++) {
      tokens.add(chars.slice(start, end).join(''));
    }
  }
  if (chars.length > 0) tokens.add(chars.join(''));
  return [...tokens];
}

/**
 * The stored search fields of a household, derived from its head's name and its helper. Every
 * writer of `headName` or `helperUid` writes these too (importRoster, assignHelper, the seed):
 * Firestore cannot query "helperUid is null" portably, hence `assigned`.
 */
export function householdSearchFieldsOf(household: {
  headName: string;
  helperUid?: string | null;
}): { nameTokens: string[]; assigned: boolean } {
  return {
    nameTokens: nameTokensOf(household.headName),
    assigned: typeof household.helperUid === 'string' && household.helperUid !== '',
  };
}

/** A search box's text: the last four of an ID number (`0123`, `012X`), or part of a name. */
export type HouseholdSearch = { idLast4: string } | { nameToken: string };

export function householdSearchOf(raw: string): HouseholdSearch | undefined {
  const text = nameKeyOf(raw);
  if (!text) return undefined;
  if (/^\d{3}[\dXx]$/.test(text)) return { idLast4: text.toUpperCase() };
  const chars = Array.from(text);
  return { nameToken: chars.length > maxNameTokenLength ? text : chars.join('') };
}

/** The filters a households list can combine (the village and `onRoster` always apply). */
export interface HouseholdListFilter {
  status?: boolean;
  /** A given helper (`helperUid ==`, also every helper's own list) or the unassigned. */
  helper?: 'helperUid' | 'assigned';
  search?: 'idLast4' | 'nameTokens';
}

export function householdListFilters(): HouseholdListFilter[] {
  const helpers = [undefined, 'helperUid', 'assigned'] as const;
  const searches = [undefined, 'idLast4', 'nameTokens'] as const;
  return [false, true].flatMap((status) =>
    helpers.flatMap((helper) => searches.map((search) => ({ status, helper, search }))),
  );
}

/**
 * The index a filter combination needs. Every list orders by `registered` (unregistered first)
 * then id, and with `registered` given as a filter by id alone: one index serves both.
 */
export function householdListIndex(filter: HouseholdListFilter): IndexField[] {
  const asc = (fieldPath: string): IndexField => ({ fieldPath, order: 'ASCENDING' });
  return [
    asc('villageCode'),
    asc('onRoster'),
    ...(filter.status ? [asc('status')] : []),
    ...(filter.helper ? [asc(filter.helper)] : []),
    ...(filter.search === 'idLast4' ? [asc('idLast4')] : []),
    ...(filter.search === 'nameTokens'
      ? [{ fieldPath: 'nameTokens', arrayConfig: 'CONTAINS' as const }]
      : []),
    asc('registered'),
    asc('__name__'),
  ];
}

/** The review queue's indexes: a village's needs, by status and/or submitter, oldest first. */
export function needQueueIndexes(): IndexField[][] {
  const asc = (fieldPath: string): IndexField => ({ fieldPath, order: 'ASCENDING' });
  return [[], ['status'], ['submittedBy'], ['submittedBy', 'status']].map((fields) => [
    asc('villageCode'),
    ...fields.map(asc),
    asc('submittedAt'),
    asc('__name__'),
  ]);
}

/**
 * A page cursor that carries the sort key it was read at, so that the household (or need) it
 * names changing — registering, say — cannot move where the next page starts.
 */
export function householdCursorOf(registered: boolean, id: string): string {
  return `${registered ? 1 : 0}.${id}`;
}

export function parseHouseholdCursor(
  cursor: string,
): { registered: boolean; id: string } | { id: string } {
  const match = /^([01])\.(.+)$/.exec(cursor);
  return match ? { registered: match[1] === '1', id: match[2] as string } : { id: cursor };
}

/** A need's queue cursor: its submission time (seconds, nanoseconds) and id. */
export function needCursorOf(submittedAt: { seconds: number; nanoseconds: number }, id: string) {
  return `${submittedAt.seconds}.${submittedAt.nanoseconds}.${id}`;
}

export function parseNeedCursor(
  cursor: string,
): { seconds: number; nanoseconds: number; id: string } | { id: string } {
  const match = /^(\d{1,12})\.(\d{1,9})\.(.+)$/.exec(cursor);
  return match
    ? { seconds: Number(match[1]), nanoseconds: Number(match[2]), id: match[3] as string }
    : { id: cursor };
}
