import { getAuth } from 'firebase-admin/auth';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { regionDocs, staffDocs, staffSeatDocs } from '../data/households';
import { seatsPerRegion, type StaffRole } from '../domain/roles';
import { db, isAlreadyExists } from './db';
import { runOnce } from './requests';

/** Who appointed the first account of a deployment (`staff.appointedBy`): no one, the command did. */
export const firstAccountAppointer = 'admin:first';

async function userIdForPhone(phone: string, name: string): Promise<string> {
  try {
    return (await getAuth().getUserByPhoneNumber(phone)).uid;
  } catch (error) {
    if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
    return (await getAuth().createUser({ phoneNumber: phone, displayName: name })).uid;
  }
}

export interface Appointment<R extends StaffRole> {
  uid: string;
  role: R;
  regionCode: string;
  seat: string | null;
}

/**
 * Appoints the person with this phone (a phone-only account, created if new: staff sign in with
 * phone and SMS code) as `role` of `regionCode`. Who may appoint whom is the caller's check; this
 * is shared by appointStaff and the first-account command, so both write the staff record, the
 * seat and the claims alike. Seats are documents created with `create()`, so two appointments
 * racing for the last of a village's two seats cannot both win.
 */
export async function appoint<R extends StaffRole>(
  appointer: string,
  requestId: string,
  person: { phone: string; name: string; role: R; regionCode: string },
): Promise<Appointment<R>> {
  const { phone, name, role, regionCode } = person;
  // ops covers the whole country: no region to look up.
  if (role !== 'ops') {
    const region = await regionDocs().doc(regionCode).get();
    if (!region.exists) throw new HttpsError('failed-precondition', '该地区不在平台上');
  }
  try {
    const { result } = await runOnce('appointStaff', appointer, requestId, async (batch) => {
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
        appointedBy: appointer,
        appointedAt: FieldValue.serverTimestamp(),
      });
      return { uid, role, regionCode, seat };
    });
    // Claims are set on every call, replays included, so a crash after the commit heals on retry.
    await getAuth().setCustomUserClaims(result.uid, { role, region: regionCode });
    return result;
  } catch (error) {
    if (isAlreadyExists(error)) throw new HttpsError('aborted', '席位刚被占用，请重试');
    throw error;
  }
}

/** `+8613800000001` → `*******0001`: a cadre's number in a staff list, the last four to tell people apart. */
export function maskStaffPhone(phone: string | undefined): string | null {
  if (!phone) return null;
  const national = phone.replace(/^\+86/, '');
  return `${'*'.repeat(Math.max(0, national.length - 4))}${national.slice(-4)}`;
}
