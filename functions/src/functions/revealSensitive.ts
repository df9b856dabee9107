import { HttpsError } from 'firebase-functions/v2/https';
import { canReveal } from '../domain/roles';
import { revealReasonSchema } from '../domain/validation/text';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { appendAudit, type AuditEntry } from '../services/audit';
import { collections, db } from '../services/db';

const resources = {
  household: { public: collections.households, private: collections.householdsPrivate },
  need: { public: collections.needs, private: collections.needsPrivate },
} as const;

/**
 * Shows staff a full ID or bank number, which they otherwise see only as its last four
 * characters. An explicit act with a reason: every attempt is appended to the audit log (who,
 * what, when, why, and how it ended: granted, denied, not found, absent, or refused for its
 * reason) before anything is answered. The reason goes through the free-text check, so the log
 * never keeps a number the reveal was meant to protect. A caller out of scope gets the same
 * permission-denied whether or not the household or need exists.
 */
export const revealSensitive = callable({
  name: 'revealSensitive',
  roles: [
    'village_admin',
    'township_admin',
    'county_admin',
    'helper',
    'city_admin',
    'province_admin',
    'ops',
    'donor',
  ],
  handler: async ({ resource, field, reason: rawReason }, caller) => {
    const names = resources[resource.kind];
    const path = `${names.public}/${resource.id}`;
    const audit = (outcome: AuditEntry['outcome'], reason?: string) =>
      appendAudit({
        uid: caller.uid,
        role: caller.role,
        action: 'reveal',
        resource: path,
        field,
        ...(reason === undefined ? {} : { reason }),
        outcome,
      });
    const checked = revealReasonSchema.safeParse(rawReason);
    if (!checked.success) {
      const code = String(
        (checked.error.issues[0] as { params?: { code?: string } }).params?.code ?? 'invalid',
      );
      await audit('refused_reason');
      logs.revealDenied(caller.uid, path, field);
      throw new HttpsError('invalid-argument', '请写明查看原因（不要填写证件、银行卡或电话号码）', {
        issues: [{ path: 'reason', code }],
      });
    }
    const reason = checked.data;
    const publicDoc = await db().collection(names.public).doc(resource.id).get();
    // The one field both kinds store alike; the need's schema is the needs area's.
    const villageCode: unknown = publicDoc.get('villageCode');
    if (
      !publicDoc.exists ||
      typeof villageCode !== 'string' ||
      villageCode === '' ||
      !canReveal(caller, villageCode)
    ) {
      await audit(publicDoc.exists ? 'denied' : 'not_found', reason);
      logs.revealDenied(caller.uid, path, field);
      throw new HttpsError('permission-denied', '无权查看该信息');
    }
    const value = (await db().collection(names.private).doc(resource.id).get()).get(field);
    if (typeof value !== 'string' || value === '') {
      await audit('absent', reason);
      logs.revealDenied(caller.uid, path, field);
      throw new HttpsError('failed-precondition', '没有登记该项信息');
    }
    await audit('granted', reason);
    logs.revealGranted(caller.uid, path, field);
    return { value };
  },
});
