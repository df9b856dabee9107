import { z } from 'zod';

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
 * Contact card (联系卡) colour, seed 004: blue for newly included and returned households, red for
 * those out of poverty in the latest year, none otherwise.
 */
export function cardColourOf(
  status: HouseholdStatus,
  outYear: number | null,
  latestYear: number,
): CardColour {
  if (status === 'returned' || status === 'not_out') return 'blue';
  if (status === 'out' && outYear === latestYear) return 'red';
  return null;
}

/**
 * A household document as stored in `households/{id}`: what staff of its region may see. The ID
 * number and bank accounts live in `householdsPrivate/{id}`, which no client can read.
 */
export const storedHouseholdSchema = z.object({
  villageCode: z.string(),
  townshipCode: z.string(),
  countyCode: z.string(),
  cityCode: z.string(),
  provinceCode: z.string(),
  headName: z.string(),
  idLast4: z.string(),
  address: z.string(),
  members: z.number().int(),
  causes: z.array(z.string()),
  status: z.enum(householdStatuses),
  outYear: z.number().int().nullable(),
  cardColour: z.enum(['blue', 'red']).nullable(),
  helperUid: z.string().nullable(),
  onRoster: z.boolean(),
  registered: z.boolean(),
});
export type StoredHousehold = z.output<typeof storedHouseholdSchema>;
