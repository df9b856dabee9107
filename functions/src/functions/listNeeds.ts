import type { NeedRow } from '../contract/needs';
import { needDocs } from '../data/needs';
import { needCategoryLabels } from '../domain/need/categories';
import { isNeedStatus, needStatusLabels } from '../domain/need/status';
import { canRead } from '../domain/roles';
import { callable, deny } from '../lib/callable';

/**
 * A village's needs as its staff see them (the review queue): the household's name, the last four
 * characters of its ID and bank numbers, never more. Helpers see the needs they submitted.
 */
export const listNeeds = callable({
  name: 'listNeeds',
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
    const needs = needDocs();
    let query = needs.where('villageCode', '==', villageCode);
    if (statuses) query = query.where('status', 'in', statuses);
    if (caller.role === 'helper') query = query.where('submittedBy', '==', caller.uid);
    query = query.orderBy('__name__').limit(pageSize + 1);
    if (after) query = query.startAfter(needs.doc(after));
    const page = await query.get();
    const rows = page.docs.slice(0, pageSize).map((doc): NeedRow => {
      const need = doc.data();
      return {
        id: doc.id,
        householdId: need.householdId,
        headName: need.headName,
        idLast4: need.idLast4,
        category: need.category,
        categoryLabel: needCategoryLabels[need.category],
        kind: need.kind,
        amountFen: need.kind === 'money' ? need.amountFen : null,
        items:
          need.kind === 'goods'
            ? need.items.map(({ name, quantity, unit }) => ({ name, quantity, unit }))
            : null,
        bankLast4: need.kind === 'money' ? need.bankLast4 : null,
        bankLuhnOk: need.kind === 'money' ? need.bankLuhnOk : null,
        reason: need.reason,
        status: need.status,
        statusLabel: isNeedStatus(need.status) ? needStatusLabels[need.status] : need.status,
        evidencePhotoIds: need.evidencePhotoIds,
        review: need.review ?? null,
        problems: need.problems ?? [],
      };
    });
    return {
      villageCode,
      needs: rows,
      next: page.docs.length > pageSize ? (rows.at(-1)?.id ?? null) : null,
    };
  },
});
