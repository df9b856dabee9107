import { FieldPath, Timestamp } from 'firebase-admin/firestore';
import type { NeedRow } from '../contract/needs';
import { needDocs } from '../data/needs';
import { needCategoryLabels } from '../domain/need/categories';
import { isNeedStatus, needStatusLabels } from '../domain/need/status';
import { needCursorOf, parseNeedCursor } from '../domain/householdSearch';
import { canRead } from '../domain/roles';
import { callable, deny } from '../lib/callable';

/**
 * A village's needs as its staff see them (the review queue), oldest submission first: the
 * household's name, the last four characters of its ID and bank numbers, never more. Helpers see
 * the needs they submitted.
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
    // Oldest submission first: the review queue is worked in the order needs came in. The cursor
    // carries the submission time, which never changes, so no need is skipped or repeated.
    query = query.orderBy('submittedAt').orderBy(FieldPath.documentId());
    if (after) {
      const cursor = parseNeedCursor(after);
      if ('seconds' in cursor) {
        query = query.startAfter(new Timestamp(cursor.seconds, cursor.nanoseconds), cursor.id);
      } else {
        // A bare id (older clients): after where that need sorts.
        const known = (await needs.doc(cursor.id).get()).data();
        if (known?.submittedAt) query = query.startAfter(known.submittedAt, cursor.id);
      }
    }
    const page = await query.limit(pageSize + 1).get();
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
    const last = page.docs[pageSize - 1]?.data().submittedAt;
    return {
      villageCode,
      needs: rows,
      next: page.docs.length > pageSize && last ? needCursorOf(last, rows.at(-1)?.id ?? '') : null,
    };
  },
});
