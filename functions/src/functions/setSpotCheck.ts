import { spotCheckDocs } from '../data/households';
import { regionFieldsOf } from '../domain/regions';
import { canRead } from '../domain/roles';
import { callable, deny } from '../lib/callable';

/** The township records whether the city sampled a village this year, and how many households. */
export const setSpotCheck = callable({
  name: 'setSpotCheck',
  roles: ['township_admin', 'county_admin'],
  handler: async ({ villageCode, year, sampled, households }, caller) => {
    if (!canRead(caller, villageCode)) deny('setSpotCheck', caller.uid);
    await spotCheckDocs()
      .doc(`${villageCode}_${year}`)
      .set({
        ...regionFieldsOf(villageCode),
        year,
        sampled,
        households: sampled ? households : 0,
        recordedBy: caller.uid,
      });
    return { villageCode, year, sampled, households: sampled ? households : 0 };
  },
});
