/**
 * National statistical division codes (统计用区划代码): 12 digits that nest by prefix, so
 * "everything under this region" is a prefix and every rollup is a truncation.
 */
export const regionLevels = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof regionLevels)[number];

export const codeLengthOf: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

const levelByLength = new Map<number, RegionLevel>(
  regionLevels.map((level) => [codeLengthOf[level], level]),
);

export function levelOfCode(code: string): RegionLevel | undefined {
  return /^\d+$/.test(code) ? levelByLength.get(code.length) : undefined;
}

export function isVillageCode(code: string): boolean {
  return levelOfCode(code) === 'village';
}

/** The code of the region at `level` that contains `code` (a truncation). */
export function ancestorCode(code: string, level: RegionLevel): string {
  return code.slice(0, codeLengthOf[level]);
}

/** Codes of every region above a region, nearest first: village → township → … → province. */
export function ancestorsOf(code: string): string[] {
  const own = levelOfCode(code);
  if (!own) return [];
  return regionLevels
    .slice(0, regionLevels.indexOf(own))
    .reverse()
    .map((level) => ancestorCode(code, level));
}

export function parentCode(code: string): string | undefined {
  return ancestorsOf(code)[0];
}

/** True when `code` lies inside (or is) the region `scope`; the empty scope is the whole country. */
export function isWithin(code: string, scope: string): boolean {
  return code.startsWith(scope);
}

/**
 * Per-level code fields stored on every regional document, so a region filter at any level is one
 * equality on an indexed field rather than a range.
 */
export interface RegionFields {
  provinceCode: string;
  cityCode: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
}

export function regionFieldsOf(villageCode: string): RegionFields {
  return {
    provinceCode: ancestorCode(villageCode, 'province'),
    cityCode: ancestorCode(villageCode, 'city'),
    countyCode: ancestorCode(villageCode, 'county'),
    townshipCode: ancestorCode(villageCode, 'township'),
    villageCode,
  };
}

export function regionFieldNameOf(level: RegionLevel): keyof RegionFields {
  return `${level}Code` as keyof RegionFields;
}
