import { FieldValue } from 'firebase-admin/firestore';
import { callable } from '../lib/callable';
import { regionDocs } from '../data/households';
import { runOnce } from '../services/requests';

/** The village administrator sets where donors send goods and whom they meet: the village office. */
export const setVillageReceiving = callable({
  name: 'setVillageReceiving',
  roles: ['village_admin'],
  handler: async ({ requestId, address, contactName, phone }, caller) => {
    const { result } = await runOnce(
      'setVillageReceiving',
      caller.uid,
      requestId,
      async (batch) => {
        batch.update(regionDocs().doc(caller.region), {
          receiving: { address, contactName, phone, updatedBy: caller.uid },
          receivingUpdatedAt: FieldValue.serverTimestamp(),
        });
        return { villageCode: caller.region, saved: true as const };
      },
    );
    return result;
  },
});
