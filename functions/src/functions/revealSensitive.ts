import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { canReveal } from '../domain/roles';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { appendAudit } from '../services/audit';
import { collections, db } from '../services/db';

const resources = {
  household: { public: collections.households, private: collections.householdsPrivate },
  need: { public: collections.needs, private: collections.needsPrivate },
} as const;

export const revealSensitiveInput = z.strictObject({
  resource: z.strictObject({
    kind: z.enum(['household', 'need']),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  }),
  field: z.enum(['idNumber', 'bankAccount']),
  reason: z
    .string()
    .trim()
    .min(4)
    .max(200)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u),
});

/**
 * Shows staff a full ID or bank number, which they otherwise see only as its last four
 * characters. An explicit act with a reason: every attempt, granted or denied, is appended to the
 * audit log (who, what, when, why) before anything is returned.
 */
export const revealSensitive = callable({
  name: 'revealSensitive',
  input: revealSensitiveInput,
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
  handler: async ({ resource, field, reason }, caller) => {
    const names = resources[resource.kind];
    const path = `${names.public}/${resource.id}`;
    const publicDoc = await db().collection(names.public).doc(resource.id).get();
    const villageCode = publicDoc.get('villageCode') as string | undefined;
    const entry = {
      uid: caller.uid,
      role: caller.role,
      action: 'reveal' as const,
      resource: path,
      field,
      reason,
    };
    if (!publicDoc.exists || !villageCode || !canReveal(caller, villageCode)) {
      await appendAudit({ ...entry, outcome: 'denied' });
      logs.revealDenied(caller.uid, path, field);
      throw new HttpsError('permission-denied', '无权查看该信息');
    }
    const value = (await db().collection(names.private).doc(resource.id).get()).get(field);
    if (typeof value !== 'string' || value === '') {
      throw new HttpsError('failed-precondition', '没有登记该项信息');
    }
    await appendAudit({ ...entry, outcome: 'granted' });
    logs.revealGranted(caller.uid, path, field);
    return { value };
  },
});
