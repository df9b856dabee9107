import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { quotaDocs } from '../../data/identification';
import { isWithin, levelOfCode, parentCode } from '../../domain/regions';
import { callable, deny } from '../../lib/callable';
import { db } from '../../services/db';
import { createdOrConflict, retryOnConflict, unchanged } from '../../services/needs';

/**
 * 规模控制: the county allots each township its number of new identifications for the year, the
 * township splits its number among its villages. A village's number moves the township's
 * `allotted` in the same batch, both written only if as read, so two villages set at once cannot
 * together exceed the township's number; no number goes below what was already enrolled.
 */
export const setIdentificationQuota = callable({
  name: 'setIdentificationQuota',
  roles: ['county_admin', 'township_admin'],
  handler: async ({ regionCode, year, quota }, caller) => {
    const level = levelOfCode(regionCode);
    const allowed =
      (caller.role === 'county_admin' && level === 'township') ||
      (caller.role === 'township_admin' && level === 'village');
    if (!allowed || !isWithin(regionCode, caller.region))
      deny('setIdentificationQuota', caller.uid);
    return retryOnConflict(
      async () => {
        const ref = quotaDocs().doc(`${regionCode}_${year}`);
        const before = await ref.get();
        const current = before.data();
        if (current && quota < current.enrolled) {
          throw new HttpsError(
            'failed-precondition',
            `已有 ${current.enrolled} 户按此指标公告入库，指标不能少于此数`,
            { reason: 'below_enrolled', enrolled: current.enrolled },
          );
        }
        const batch = db().batch();
        let allotted = 0;
        if (level === 'village') {
          const township = parentCode(regionCode) as string;
          const parentRef = quotaDocs().doc(`${township}_${year}`);
          const parent = await parentRef.get();
          const parentQuota = parent.data();
          if (!parentQuota) {
            throw new HttpsError(
              'failed-precondition',
              '县里尚未下达本镇今年的识别规模，请先联系县扶贫办',
              { reason: 'township_quota_missing' },
            );
          }
          const parentAllotted = (parent.get('allotted') as number | undefined) ?? 0;
          allotted = parentAllotted - (current?.quota ?? 0) + quota;
          if (allotted > parentQuota.quota) {
            throw new HttpsError(
              'failed-precondition',
              `超出本镇今年的识别规模（共 ${parentQuota.quota} 户，其他村已分 ${allotted - quota} 户）`,
              { reason: 'over_township_quota', quota: parentQuota.quota },
            );
          }
          batch.update(parentRef, { allotted }, unchanged(parent));
        }
        const fields = {
          regionCode,
          year,
          quota,
          setBy: caller.uid,
          setAt: FieldValue.serverTimestamp(),
        };
        if (before.exists) batch.update(ref, fields, unchanged(before));
        else batch.create(ref, { ...fields, enrolled: 0 });
        await createdOrConflict(batch.commit());
        return { regionCode, year, quota, allotted };
      },
      { message: '指标刚被他人修改，请刷新后重试' },
    );
  },
});
