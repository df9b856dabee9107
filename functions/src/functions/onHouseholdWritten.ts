import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { householdDeltas } from '../domain/rates';
import { logs } from '../logs';
import { collections } from '../services/db';
import { commitOnce } from '../services/events';
import { addVillageDeltas } from '../services/villageCounts';

/**
 * Keeps each village's roster and registered counts. Second delivery: the increments are committed
 * in one batch with a `create()` marker keyed by function name + event id, so a redelivered event
 * fails the batch and moves nothing. Deltas come from the event's own before/after, so the order
 * in which events arrive does not matter.
 */
export const onHouseholdWritten = onDocumentWritten(
  { document: `${collections.households}/{householdId}`, retry: true },
  async (event) => {
    const deltas = householdDeltas(event.data?.before.data(), event.data?.after.data());
    if (deltas.size === 0) return;
    const applied = await commitOnce('onHouseholdWritten', event.id, (batch) =>
      addVillageDeltas(batch, deltas),
    );
    if (!applied) return logs.triggerDuplicate('onHouseholdWritten', event.id);
    for (const [villageCode, delta] of deltas) {
      logs.villageStatsMoved('onHouseholdWritten', villageCode, delta as Record<string, number>);
    }
  },
);
