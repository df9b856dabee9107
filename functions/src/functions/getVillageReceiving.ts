import { callable } from '../lib/callable';
import { receivingOf } from '../services/goods';

/** What the village's administrator and helpers see of their own receiving address. */
export const getVillageReceiving = callable({
  name: 'getVillageReceiving',
  roles: ['village_admin', 'helper'],
  handler: async (_input, caller) =>
    (await receivingOf(caller.region)).receiving ?? { address: '', contactName: '', phone: '' },
});
