import { couriers } from '../domain/goods';
import { publicCallable } from '../lib/callable';

/** The couriers a donor picks from (their tracking numbers are checked against each format). */
export const listCouriers = publicCallable({
  name: 'listCouriers',
  handler: async () => ({ couriers: couriers.map(({ id, label, hint }) => ({ id, label, hint })) }),
});
