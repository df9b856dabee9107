import { getAuth } from 'firebase-admin/auth';
import { FieldValue } from 'firebase-admin/firestore';
import { canAppoint } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { staffSeatsCollection } from './appointStaff';

/**
 * Ends an appointment: the staff record turns inactive (which every sensitive call checks), the
 * seat is freed, claims are cleared and sessions revoked.
 */
export const removeStaff = callable({
  name: 'removeStaff',
  roles: ['ops', 'province_admin', 'city_admin', 'county_admin', 'township_admin'],
  handler: async ({ uid }, caller) => {
    const staffRef = db().collection(collections.staff).doc(uid);
    const staff = await staffRef.get();
    const role = staff.get('role');
    const regionCode = staff.get('regionCode');
    if (!staff.exists || !canAppoint(caller, role, regionCode)) deny('removeStaff', caller.uid);
    if (staff.get('active') === true) {
      const batch = db().batch();
      batch.update(staffRef, {
        active: false,
        seat: null,
        removedBy: caller.uid,
        removedAt: FieldValue.serverTimestamp(),
      });
      const seat = staff.get('seat');
      if (typeof seat === 'string') batch.delete(db().collection(staffSeatsCollection).doc(seat));
      await batch.commit();
    }
    await getAuth().setCustomUserClaims(uid, null);
    await getAuth().revokeRefreshTokens(uid);
    logs.staffRemoved(caller.uid, uid, role, regionCode);
    return { uid, active: false };
  },
});
