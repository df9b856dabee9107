import { callable } from '../lib/callable';
import { repairRegion } from '../services/rollup';

/** Ops run the repair on demand for one region. */
export const repairRates = callable({
  name: 'repairRates',
  roles: ['ops'],
  handler: async ({ regionCode }) => repairRegion(regionCode),
});
