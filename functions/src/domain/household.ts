import type { Caller } from './roles';

/** 建档立卡 household status, as the national system records it. */
export const householdStatuses = ['not_out', 'out', 'returned', 'stably_out'] as const;
export type HouseholdStatus = (typeof householdStatuses)[number];

export const householdStatusLabels: Record<HouseholdStatus, string> = {
  not_out: '未脱贫',
  out: '已脱贫',
  returned: '返贫',
  stably_out: '稳定脱贫',
};

export type CardColour = 'blue' | 'red' | null;

/**
 * The contact card's (联系卡) colour, seed 004 ("蓝色联系卡发给动态调整新纳入贫困户和返贫户, 2018年脱贫户更换
 * 为红色联系卡"), for the card year the township sets — the year of the adjustment the cards follow:
 * blue for households newly included in that year's adjustment and for returned households; red
 * for those out of poverty that year; none for every other household (poor since earlier years,
 * out in an earlier year). A roster import knows no inclusion year, so only returns are blue there.
 */
export function cardColourOf(
  household: { status?: HouseholdStatus; outYear?: number | null; includedYear?: number | null },
  cardYear: number,
): CardColour {
  const status = household.status ?? 'not_out';
  if (status === 'returned') return 'blue';
  if (status === 'not_out' && household.includedYear === cardYear) return 'blue';
  if (status === 'out' && household.outYear === cardYear) return 'red';
  return null;
}

/**
 * May this caller act on the household (register it, record a visit)? Its village's
 * administrator may act on any of its households, a helper only on those assigned to them.
 */
export function canActOnHousehold(
  caller: Caller,
  household: { villageCode: string; helperUid?: string | null } | undefined,
): boolean {
  return (
    household !== undefined &&
    household.villageCode === caller.region &&
    (caller.role === 'village_admin' || household.helperUid === caller.uid)
  );
}

/** The standard causes of poverty (致贫原因) of the 建档立卡 file, as the national system names them. */
export const povertyCauses = [
  '因病',
  '因残',
  '因学',
  '因灾',
  '缺土地',
  '缺水',
  '缺技术',
  '缺劳力',
  '缺资金',
  '交通条件落后',
  '自身发展动力不足',
] as const;
export type PovertyCause = (typeof povertyCauses)[number];

// Wordings seen in exported rosters and local ledgers for the same standard causes.
const causeSynonyms: Record<string, PovertyCause> = {
  缺劳动力: '缺劳力',
  交通落后: '交通条件落后',
  交通条件差: '交通条件落后',
  发展动力不足: '自身发展动力不足',
  内生动力不足: '自身发展动力不足',
  缺乏技术: '缺技术',
  缺少技术: '缺技术',
  缺少资金: '缺资金',
  缺乏资金: '缺资金',
  缺少土地: '缺土地',
  缺地: '缺土地',
};

/** The standard cause a written cause means ("因病致贫" → "因病"), or undefined. */
export function standardCauseOf(raw: string): PovertyCause | undefined {
  const word = raw.normalize('NFKC').replace(/\s/g, '').replace(/致贫$/, '');
  if ((povertyCauses as readonly string[]).includes(word)) return word as PovertyCause;
  return causeSynonyms[word];
}
