import { getAuth } from 'firebase-admin/auth';
import { FieldValue } from 'firebase-admin/firestore';
import { auditLogDocs, householdDocs, staffDocs, staffSeatDocs } from '../data/households';
import { householdSearchFieldsOf } from '../domain/householdSearch';
import { canAppoint, type Caller } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { db } from '../services/db';
import { retryOnConflict, unchanged } from '../services/needs';

/** Households released per commit (each with its audit entry: two writes a household). */
const releasePage = 200;

/**
 * A removed helper's households go back to 未分配帮扶人, so the village administrator finds
 * them in the unassigned list and pairs them again (seed 003: every household has a helper).
 * Each page is one batch, each household written only if unchanged since the query read it; a
 * household reassigned meanwhile makes the page run again, and the query no longer returns it.
 */
async function releaseHouseholds(helperUid: string, by: Caller): Promise<number> {
  let released = 0;
  for (;;) {
    const page = await retryOnConflict(
      async () => {
        const snapshot = await householdDocs()
          .where('helperUid', '==', helperUid)
          .limit(releasePage)
          .get();
        const batch = db().batch();
        for (const doc of snapshot.docs) {
          batch.update(
            doc.ref,
            {
              helperUid: null,
              helperName: null,
              ...householdSearchFieldsOf({ headName: doc.data().headName, helperUid: null }),
              helperAssignedBy: by.uid,
              helperAssignedAt: FieldValue.serverTimestamp(),
            },
            unchanged(doc),
          );
          batch.create(auditLogDocs().doc(), {
            uid: by.uid,
            role: by.role,
            action: 'assign_helper',
            cause: 'helper_removed',
            resource: `households/${doc.id}`,
            fromHelperUid: helperUid,
            toHelperUid: null,
            at: FieldValue.serverTimestamp(),
          });
        }
        if (snapshot.size > 0) await batch.commit();
        return snapshot.size;
      },
      { message: '该帮扶责任人负责的户正在变更，请稍后重试停用' },
    );
    released += page;
    if (page < releasePage) return released;
  }
}

/**
 * Ends an appointment: the staff record turns inactive (which every sensitive call checks), the
 * seat is freed, claims are cleared and sessions revoked, and a helper's households are
 * released to be paired again. The deactivation holds only if the record is as read, so it
 * cannot undo an appointment that raced it; a retry finishes what a failed call left.
 */
export const removeStaff = callable({
  name: 'removeStaff',
  roles: ['ops', 'province_admin', 'city_admin', 'county_admin', 'township_admin'],
  handler: async ({ uid }, caller) => {
    const staffRef = staffDocs().doc(uid);
    const staff = await retryOnConflict(
      async () => {
        const snapshot = await staffRef.get();
        const read = snapshot.data();
        if (!read || !canAppoint(caller, read.role, read.regionCode))
          deny('removeStaff', caller.uid);
        if (read.active) {
          const batch = db().batch();
          batch.update(
            staffRef,
            {
              active: false,
              seat: null,
              removedBy: caller.uid,
              removedAt: FieldValue.serverTimestamp(),
            },
            unchanged(snapshot),
          );
          if (typeof read.seat === 'string') batch.delete(staffSeatDocs().doc(read.seat));
          await batch.commit();
        }
        return read;
      },
      { message: '该人员信息刚被更改，请刷新后重试' },
    );
    const { role, regionCode } = staff;
    await getAuth().setCustomUserClaims(uid, null);
    await getAuth().revokeRefreshTokens(uid);
    const released = role === 'helper' ? await releaseHouseholds(uid, caller) : 0;
    logs.staffRemoved(caller.uid, uid, role, regionCode, released);
    return { uid, active: false as const, householdsReleased: released };
  },
});
