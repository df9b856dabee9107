import { FieldValue } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { z } from 'zod';
import { countFields, type Counts } from '../domain/rates';
import { regionFieldsOf } from '../domain/regions';
import { untypedCallable } from '../lib/callable';
import { logs } from '../logs';
import { functionsRegion } from '../params';
import { collections, db } from '../services/db';
import { keptVillageCounts, recountVillage, rollUpFrom, villagesUnder } from '../services/rollup';

/**
 * Recounts every village under a region from source, repairs any kept figure that drifted
 * (logging each drift as an ops alert), then recomputes the regions above. A repair writes
 * absolute values, so running it twice changes nothing the second time.
 */
export async function repairRegion(
  regionCode: string,
): Promise<{ villages: number; drifted: number }> {
  const villages = await villagesUnder(regionCode);
  let drifted = 0;
  for (const villageCode of villages) {
    const [kept, recount] = await Promise.all([
      keptVillageCounts(villageCode),
      recountVillage(villageCode),
    ]);
    const drift = Object.fromEntries(
      countFields
        .filter((field) => kept[field] !== recount[field])
        .map((field) => [field, recount[field] - kept[field]]),
    ) as Partial<Counts>;
    if (Object.keys(drift).length === 0) continue;
    drifted++;
    logs.ratesDrift(villageCode, drift);
    await db()
      .collection(collections.stats)
      .doc(villageCode)
      .set(
        {
          ...regionFieldsOf(villageCode),
          code: villageCode,
          level: 'village',
          ...recount,
          updatedAt: FieldValue.serverTimestamp(),
        },
        { merge: true },
      );
  }
  if (villages.length > 0) await rollUpFrom(villages);
  logs.ratesRepaired(regionCode, villages.length, drifted);
  return { villages: villages.length, drifted };
}

/** Nightly, for the whole country: figures at rest must equal a recount from source. */
export const repairRatesNightly = onSchedule(
  {
    schedule: 'every day 02:30',
    timeZone: 'Asia/Shanghai',
    region: functionsRegion,
    timeoutSeconds: 1800,
    memory: '512MiB',
  },
  async () => {
    await repairRegion('');
  },
);

export const repairRatesInput = z.strictObject({
  regionCode: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/),
});

/** Ops run the repair on demand for one region. */
export const repairRates = untypedCallable({
  name: 'repairRates',
  input: repairRatesInput,
  roles: ['ops'],
  handler: async ({ regionCode }) => repairRegion(regionCode),
});
