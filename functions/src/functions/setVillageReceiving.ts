import { FieldValue } from 'firebase-admin/firestore';
import { villageReceivingInput } from '../domain/goods';
import { untypedCallable } from '../lib/callable';
import { collections, db } from '../services/db';
import { runOnce } from '../services/requests';

/** The village administrator sets where donors send goods and whom they meet: the village office. */
export const setVillageReceiving = untypedCallable({
  name: 'setVillageReceiving',
  input: villageReceivingInput,
  roles: ['village_admin'],
  handler: async ({ requestId, address, contactName, phone }, caller) => {
    const { result } = await runOnce(
      'setVillageReceiving',
      caller.uid,
      requestId,
      async (batch) => {
        batch.update(db().collection(collections.regions).doc(caller.region), {
          receiving: { address, contactName, phone, updatedBy: caller.uid },
          receivingUpdatedAt: FieldValue.serverTimestamp(),
        });
        return { villageCode: caller.region, saved: true };
      },
    );
    return result;
  },
});
