import { getAuth } from 'firebase-admin/auth';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { regionDocs, staffDocs, staffSeatDocs } from '../data/households';
import { canAppoint, seatsPerRegion } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { db, isAlreadyExists } from '../services/db';
import { runOnce } from '../services/requests';

async function userIdForPhone(phone: string, name: string): Promise<string> {
  try {
    return (await getAuth().getUserByPhoneNumber(phone)).uid;
  } catch (error) {
    if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
    return (await getAuth().createUser({ phoneNumber: phone, displayName: name })).uid;
  }
}

/**
 * An administrator appoints someone to the level directly below them (a township appoints village
 * information administrators and helpers). Seats are documents created with `create()`, so two
 * appointments racing for the last of a village's two seats cannot both win.
 */
export const appointStaff = callable({
  name: 'appointStaff',
  roles: ['ops', 'province_admin', 'city_admin', 'county_admin', 'township_admin'],
  handler: async ({ requestId, phone, name, role, regionCode }, caller) => {
    if (!canAppoint(caller, role, regionCode)) deny('appointStaff', caller.uid);
    const region = await regionDocs().doc(regionCode).get();
    if (!region.exists) throw new HttpsError('failed-precondition', '该地区不在平台上');
    try {
      const { result } = await runOnce('appointStaff', caller.uid, requestId, async (batch) => {
        const uid = await userIdForPhone(phone, name);
        const staffRef = staffDocs().doc(uid);
        const staff = (await staffRef.get()).data();
        if (staff?.active === true) {
          if (staff.role === role && staff.regionCode === regionCode) {
            return { uid, role, regionCode, seat: staff.seat ?? null };
          }
          throw new HttpsError('failed-precondition', '此人已有其他职务，请先解除');
        }
        let seat: string | null = null;
        const seats = seatsPerRegion[role];
        if (seats) {
          const ids = Array.from({ length: seats }, (_, i) => `${regionCode}_${role}_${i + 1}`);
          const taken = await db().getAll(...ids.map((id) => staffSeatDocs().doc(id)));
          seat = ids.find((_, i) => !taken[i]?.exists) ?? null;
          if (!seat) throw new HttpsError('failed-precondition', `该地区此职务最多 ${seats} 人`);
          batch.create(staffSeatDocs().doc(seat), { uid, role, regionCode });
        }
        batch.set(staffRef, {
          role,
          regionCode,
          name,
          phone,
          seat,
          active: true,
          appointedBy: caller.uid,
          appointedAt: FieldValue.serverTimestamp(),
        });
        return { uid, role, regionCode, seat };
      });
      // Claims are set on every call, replays included, so a crash after the commit heals on retry.
      await getAuth().setCustomUserClaims(result.uid, { role, region: regionCode });
      logs.staffAppointed(caller.uid, result.uid, role, regionCode);
      return result;
    } catch (error) {
      if (isAlreadyExists(error)) throw new HttpsError('aborted', '席位刚被占用，请重试');
      throw error;
    }
  },
});
