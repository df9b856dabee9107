import { z } from 'zod';
import { untypedCallable } from '../lib/callable';
import { receivingOf } from '../services/goods';

/** What the village's administrator and helpers see of their own receiving address. */
export const getVillageReceiving = untypedCallable({
  name: 'getVillageReceiving',
  input: z.strictObject({}),
  roles: ['village_admin', 'helper'],
  handler: async (_input, caller) =>
    (await receivingOf(caller.region)).receiving ?? { address: '', contactName: '', phone: '' },
});
