import { z } from 'zod';
import { untypedCallable } from '../lib/callable';
import { repairRegion } from '../services/rollup';

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
