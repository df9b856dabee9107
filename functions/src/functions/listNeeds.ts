import { z } from 'zod';
import { needCategoryLabels, type NeedCategory } from '../domain/need/categories';
import { needStatuses, needStatusLabels, type NeedStatus } from '../domain/need/status';
import { canRead } from '../domain/roles';
import { docIdSchema } from '../domain/validation/common';
import { untypedCallable, deny } from '../lib/callable';
import { collections, db } from '../services/db';

export const listNeedsInput = z.strictObject({
  villageCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  statuses: z.array(z.enum(needStatuses)).min(1).max(needStatuses.length).optional(),
  pageSize: z.number().int().min(1).max(100).default(30),
  after: docIdSchema.optional(),
});

/**
 * A village's needs as its staff see them (the review queue): the household's name, the last four
 * characters of its ID and bank numbers, never more. Helpers see the needs they submitted.
 */
export const listNeeds = untypedCallable({
  name: 'listNeeds',
  input: listNeedsInput,
  roles: [
    'village_admin',
    'helper',
    'township_admin',
    'county_admin',
    'city_admin',
    'province_admin',
    'ops',
  ],
  handler: async ({ villageCode: requested, statuses, pageSize, after }, caller) => {
    const villageCode = requested ?? (caller.region.length === 12 ? caller.region : undefined);
    if (!villageCode || !canRead(caller, villageCode)) deny('listNeeds', caller.uid);
    const needs = db().collection(collections.needs);
    let query = needs.where('villageCode', '==', villageCode);
    if (statuses) query = query.where('status', 'in', statuses);
    if (caller.role === 'helper') query = query.where('submittedBy', '==', caller.uid);
    query = query.orderBy('__name__').limit(pageSize + 1);
    if (after) query = query.startAfter(needs.doc(after));
    const page = await query.get();
    const rows = page.docs.slice(0, pageSize).map((doc) => {
      const need = doc.data();
      return {
        id: doc.id,
        householdId: String(need.householdId),
        headName: String(need.headName),
        idLast4: String(need.idLast4),
        category: need.category as NeedCategory,
        categoryLabel: needCategoryLabels[need.category as NeedCategory] ?? String(need.category),
        kind: need.kind as 'money' | 'goods',
        amountFen: typeof need.amountFen === 'number' ? need.amountFen : null,
        items: Array.isArray(need.items)
          ? (need.items as Array<{ name: string; quantity: number; unit: string }>)
          : null,
        bankLast4: typeof need.bankLast4 === 'string' ? need.bankLast4 : null,
        bankLuhnOk: typeof need.bankLuhnOk === 'boolean' ? need.bankLuhnOk : null,
        reason: String(need.reason),
        status: need.status as NeedStatus,
        statusLabel: needStatusLabels[need.status as NeedStatus] ?? String(need.status),
        evidencePhotoIds: (need.evidencePhotoIds ?? []) as string[],
        review: (need.review ?? null) as Record<string, unknown> | null,
        problems: (need.problems ?? []) as string[],
      };
    });
    return {
      villageCode,
      needs: rows,
      next: page.docs.length > pageSize ? (rows.at(-1)?.id ?? null) : null,
    };
  },
});
