import { onSchedule } from 'firebase-functions/v2/scheduler';
import { repairRegion } from '../services/rollup';

/** Nightly, for the whole country: figures at rest must equal a recount from source. */
export const repairRatesNightly = onSchedule(
  {
    schedule: 'every day 02:30',
    timeZone: 'Asia/Shanghai',
    timeoutSeconds: 1800,
    memory: '512MiB',
  },
  async () => {
    await repairRegion('');
  },
);
