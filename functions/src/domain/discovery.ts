/**
 * How donors find needs: the default order (longest waiting, and villages furthest below the 60%
 * match target, first — never the most popular) and the search tokens of a published need.
 * Both are stored on the projection, so every list is one indexed query.
 */
import { matchRate, matchTarget, type Counts } from './rates';
import { regionLevels, type RegionLevel } from './regions';

const day = 86_400_000;

/**
 * A village at 0% matched jumps this far ahead of its publication date; one at or above the
 * target not at all. Thirty days: a need in a village at the target that has waited a month
 * ranks with a fresh one from a village where nothing is matched.
 */
export const maxShortfallHeadStartMs = 30 * day;

/**
 * The sort key of the default order, ascending: the publication time moved earlier by the
 * village's match shortfall. A village with nothing published yet counts as furthest below.
 */
export function rankAtOf(
  publishedAtMs: number,
  village: Pick<Counts, 'publishedNeeds' | 'matchedNeeds'> | undefined,
): number {
  const rate = village ? matchRate(village) : undefined;
  const shortfall = Math.max(0, matchTarget - (rate ?? 0)) / matchTarget;
  return Math.round(publishedAtMs - shortfall * maxShortfallHeadStartMs);
}

const villageSuffix = /(村民委员会|社区居民委员会|村委会|社区|村)$/u;

/**
 * What a search box may match, exactly: the masked name (张*华), its surname (张, or 欧阳 for a
 * compound one), the village's name, and that name without its 村/社区 suffix (新街 for 新街村).
 */
export function searchTokensOf(maskedName: string, villageName: string): string[] {
  const chars = Array.from(maskedName);
  const surname = chars.slice(0, Math.max(1, chars.indexOf('*'))).join('');
  const tokens = [maskedName, surname, villageName, villageName.replace(villageSuffix, '')];
  return [...new Set(tokens.filter((token) => token && token !== '*'))];
}

/** A search box's text as a token: NFC, spaces removed, full-width asterisks as `*`. */
export function searchTokenOf(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/\s+/gu, '')
    .replace(/[＊×✱]/gu, '*');
}

/** The filters a donor can combine on published needs: each is one equality or array-contains. */
export interface PublicNeedFilter {
  regionField?: `${RegionLevel}Code`;
  category?: boolean;
  search?: boolean;
}

export interface IndexField {
  fieldPath: string;
  order?: 'ASCENDING' | 'DESCENDING';
  arrayConfig?: 'CONTAINS';
}

/** Every combination listPublicNeeds can run: no region or one of five levels × category × search. */
export function publicNeedFilters(): PublicNeedFilter[] {
  const regions = [undefined, ...regionLevels.map((level) => `${level}Code` as const)];
  return regions.flatMap((regionField) =>
    [false, true].flatMap((category) =>
      [false, true].map((search) => ({ regionField, category, search })),
    ),
  );
}

/** The composite index a filter combination needs, in the default order (rankAt, then id). */
export function publicNeedIndex(filter: PublicNeedFilter): IndexField[] {
  return [
    { fieldPath: 'status', order: 'ASCENDING' },
    ...(filter.regionField ? [{ fieldPath: filter.regionField, order: 'ASCENDING' as const }] : []),
    ...(filter.category ? [{ fieldPath: 'category', order: 'ASCENDING' as const }] : []),
    ...(filter.search ? [{ fieldPath: 'searchTokens', arrayConfig: 'CONTAINS' as const }] : []),
    { fieldPath: 'rankAt', order: 'ASCENDING' },
    { fieldPath: '__name__', order: 'ASCENDING' },
  ];
}

/** The index of a donor's news from a followed region: newest published first. */
export function followedRegionIndex(level: RegionLevel): IndexField[] {
  return [
    { fieldPath: `${level}Code`, order: 'ASCENDING' },
    { fieldPath: 'status', order: 'ASCENDING' },
    { fieldPath: 'publishedAt', order: 'DESCENDING' },
  ];
}
