import { getAuth } from 'firebase-admin/auth';
import { FieldValue } from 'firebase-admin/firestore';
import { staffDocs, staffSeatDocs } from '../data/households';
import { canAppoint } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { db } from '../services/db';

/**
 * Ends an appointment: the staff record turns inactive (which every sensitive call checks), the
 * seat is freed, claims are cleared and sessions revoked.
 */
export const removeStaff = callable({
  name: 'removeStaff',
  roles: ['ops', 'province_admin', 'city_admin', 'county_admin', 'township_admin'],
  handler: async ({ uid }, caller) => {
    const staffRef = staffDocs().doc(uid);
    const staff = (await staffRef.get()).data();
    if (!staff || !canAppoint(caller, staff.role, staff.regionCode))
      deny('removeStaff', caller.uid);
    const { role, regionCode } = staff;
    if (staff.active) {
      const batch = db().batch();
      batch.update(staffRef, {
        active: false,
        seat: null,
        removedBy: caller.uid,
        removedAt: FieldValue.serverTimestamp(),
      });
      if (typeof staff.seat === 'string') batch.delete(staffSeatDocs().doc(staff.seat));
      await batch.commit();
    }
    await getAuth().setCustomUserClaims(uid, null);
    await getAuth().revokeRefreshTokens(uid);
    logs.staffRemoved(caller.uid, uid, role, regionCode);
    return { uid, active: false as const };
  },
});
