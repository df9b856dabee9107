import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { donorRegionFields } from '../domain/donor';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { regionDocs } from '../data/households';
import { donorDocs } from '../data/money';
import { profileView } from '../services/donors';

/**
 * The donor's profile (person or enterprise, name, unit), as printed on honour certificates and
 * reported on the registration table. The phone comes from the verified sign-in, never the form.
 */
export const saveDonorProfile = callable({
  name: 'saveDonorProfile',
  roles: ['donor'],
  handler: async (profile, caller, request) => {
    const phone = request.auth?.token.phone_number;
    if (typeof phone !== 'string') {
      throw new HttpsError('failed-precondition', '请使用手机号登录后填写资料', {
        reason: 'phone_missing',
      });
    }
    if (profile.villageCode) {
      const village = (await regionDocs().doc(profile.villageCode).get()).data();
      if (village?.level !== 'village') {
        throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', {
          issues: [{ path: 'villageCode', code: 'village_unknown' }],
        });
      }
    }
    const ref = donorDocs().doc(caller.uid);
    await ref.set(
      {
        kind: profile.kind,
        name: profile.name,
        unit: profile.unit,
        phone,
        villageCode: FieldValue.delete(),
        townshipCode: FieldValue.delete(),
        countyCode: FieldValue.delete(),
        cityCode: FieldValue.delete(),
        provinceCode: FieldValue.delete(),
        ...donorRegionFields(profile.villageCode),
        updatedAt: FieldValue.serverTimestamp(),
      },
      { merge: true },
    );
    logs.donorProfileSaved(caller.uid, profile.kind);
    return { profile: profileView((await ref.get()).data()) };
  },
});
