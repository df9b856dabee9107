import { z } from 'zod';
import { couriers } from '../domain/goods';
import { untypedPublicCallable } from '../lib/callable';

/** The couriers a donor picks from (their tracking numbers are checked against each format). */
export const listCouriers = untypedPublicCallable({
  name: 'listCouriers',
  input: z.strictObject({}),
  handler: async () => ({ couriers: couriers.map(({ id, label, hint }) => ({ id, label, hint })) }),
});
