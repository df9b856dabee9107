import { HttpsError } from 'firebase-functions/v2/https';
import type { VillageHelperItem } from '../contract/households';
import { staffDocs } from '../data/households';
import { isWithin } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { maskStaffPhone } from '../services/staff';

/**
 * The active helpers of a village, by name: whom assignHelper accepts for its households. For the
 * village's administrator (their own village) and the township's (any of its villages); the phone
 * is masked but for its last four, enough to tell two helpers of one name apart.
 */
export const listVillageHelpers = callable({
  name: 'listVillageHelpers',
  roles: ['village_admin', 'township_admin'],
  handler: async ({ villageCode }, caller) => {
    const village = villageCode ?? caller.region;
    const inScope =
      caller.role === 'village_admin'
        ? village === caller.region
        : isWithin(village, caller.region);
    if (!inScope) deny('listVillageHelpers', caller.uid);
    if (village.length !== 12) {
      throw new HttpsError('invalid-argument', '请选择村', {
        issues: [{ path: 'villageCode', code: 'required' }],
      });
    }
    // A village has a few staff: filtered here, so the query needs no composite index.
    const staff = await staffDocs().where('regionCode', '==', village).get();
    const helpers: VillageHelperItem[] = staff.docs
      .map((doc) => ({ uid: doc.id, record: doc.data() }))
      .filter(({ record }) => record.role === 'helper' && record.active)
      .map(({ uid, record }) => ({ uid, name: record.name, phone: maskStaffPhone(record.phone) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || a.uid.localeCompare(b.uid));
    return { villageCode: village, helpers };
  },
});
