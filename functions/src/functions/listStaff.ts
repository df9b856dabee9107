import { FieldPath } from 'firebase-admin/firestore';
import type { StaffItem } from '../contract/households';
import { staffDocs } from '../data/households';
import { isWithin } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { maskStaffPhone } from '../services/staff';

/**
 * The staff of a region and of every region below it, removed ones included, for the
 * administrators who appoint and remove them. Region codes nest by prefix, so the subtree is one
 * range on `regionCode`; pages go by region, then uid.
 */
export const listStaff = callable({
  name: 'listStaff',
  roles: ['ops', 'province_admin', 'city_admin', 'county_admin', 'township_admin'],
  handler: async ({ regionCode, pageSize, after }, caller) => {
    const scope = regionCode ?? caller.region;
    if (!isWithin(scope, caller.region)) deny('listStaff', caller.uid);
    let query = staffDocs().orderBy('regionCode').orderBy(FieldPath.documentId());
    // The empty scope (ops) is the whole country: every region code is in it.
    if (scope !== '')
      query = query.where('regionCode', '>=', scope).where('regionCode', '<', `${scope}\uf8ff`);
    if (after) {
      const last = (await staffDocs().doc(after).get()).data();
      // A cursor outside the scope would page through another region's staff.
      if (!last || !isWithin(last.regionCode, scope)) deny('listStaff', caller.uid);
      query = query.startAfter(last.regionCode, after);
    }
    const page = await query.limit(pageSize + 1).get();
    const docs = page.docs.slice(0, pageSize);
    const staff: StaffItem[] = docs.map((doc) => {
      const record = doc.data();
      return {
        uid: doc.id,
        role: record.role,
        regionCode: record.regionCode,
        name: record.name,
        phone: maskStaffPhone(record.phone),
        status: record.active ? 'active' : 'removed',
        seat: record.active ? (record.seat ?? null) : null,
      };
    });
    const next = page.docs.length > pageSize ? (docs[docs.length - 1]?.id ?? null) : null;
    return { staff, next };
  },
});
