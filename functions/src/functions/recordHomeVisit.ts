import { FieldValue } from 'firebase-admin/firestore';
import { afterVisit, campaignYearOf, type StoredVisit } from '../domain/homeVisits';
import { regionFieldsOf } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { runOnce } from '../services/requests';

export const homeVisitsCollection = 'homeVisits';

/**
 * 入户登记: a helper (for the households assigned to them) or the village administrator records a
 * visit that checked the household's information sheet: whether anything was corrected and who
 * signed. One record per household per year (`{householdId}_{year}`), recomputed from what it
 * holds, so a retried request changes nothing.
 */
export const recordHomeVisit = callable({
  name: 'recordHomeVisit',
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, householdId, visitedOn, corrected, signedBy }, caller) => {
    const { result } = await runOnce('recordHomeVisit', caller.uid, requestId, async (batch) => {
      const household = await db().collection(collections.households).doc(householdId).get();
      const inScope =
        household.exists &&
        household.get('villageCode') === caller.region &&
        (caller.role === 'village_admin' || household.get('helperUid') === caller.uid);
      if (!inScope) deny('recordHomeVisit', caller.uid);
      const year = campaignYearOf(visitedOn);
      const ref = db().collection(homeVisitsCollection).doc(`${householdId}_${year}`);
      const before = await ref.get();
      const visit = afterVisit(before.exists ? (before.data() as StoredVisit) : undefined, {
        visitorUid: caller.uid,
        corrected,
        signedBy,
      });
      batch.set(ref, {
        householdId,
        year,
        ...regionFieldsOf(caller.region),
        ...visit,
        lastVisitedOn: visitedOn,
        updatedAt: FieldValue.serverTimestamp(),
      });
      logs.homeVisitRecorded(householdId, caller.region, caller.uid, visit.completed);
      return {
        householdId,
        year,
        corrected: visit.corrected,
        completed: visit.completed,
        visitors: visit.visitorUids.length,
      };
    });
    return result;
  },
});
