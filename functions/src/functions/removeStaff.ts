import { getAuth } from 'firebase-admin/auth';
import { FieldValue } from 'firebase-admin/firestore';
import { z } from 'zod';
import { canAppoint } from '../domain/roles';
import { untypedCallable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { staffSeatsCollection } from './appointStaff';

export const removeStaffInput = z.strictObject({
  uid: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
});

/**
 * Ends an appointment: the staff record turns inactive (which every sensitive call checks), the
 * seat is freed, claims are cleared and sessions revoked.
 */
export const removeStaff = untypedCallable({
  name: 'removeStaff',
  input: removeStaffInput,
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
