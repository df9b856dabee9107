import { z } from 'zod';
import { campaignYearSchema } from '../domain/homeVisits';
import { regionFieldsOf } from '../domain/regions';
import { canRead } from '../domain/roles';
import { untypedCallable, deny } from '../lib/callable';
import { db } from '../services/db';

export const spotChecksCollection = 'spotChecks';

export const setSpotCheckInput = z.strictObject({
  villageCode: z.string().regex(/^\d{12}$/),
  year: campaignYearSchema,
  sampled: z.boolean(),
  households: z.number().int().min(0).max(10_000),
});

/** The township records whether the city sampled a village this year, and how many households. */
export const setSpotCheck = untypedCallable({
  name: 'setSpotCheck',
  input: setSpotCheckInput,
  roles: ['township_admin', 'county_admin'],
  handler: async ({ villageCode, year, sampled, households }, caller) => {
    if (!canRead(caller, villageCode)) deny('setSpotCheck', caller.uid);
    await db()
      .collection(spotChecksCollection)
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
