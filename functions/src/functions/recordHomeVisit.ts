import { FieldValue } from 'firebase-admin/firestore';
import { homeVisitDocs, householdDocs } from '../data/households';
import { afterVisit, campaignYearOf } from '../domain/homeVisits';
import { canActOnHousehold } from '../domain/household';
import { regionFieldsOf } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { runOnce } from '../services/requests';

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
      const household = (await householdDocs().doc(householdId).get()).data();
      if (!canActOnHousehold(caller, household)) deny('recordHomeVisit', caller.uid);
      const year = campaignYearOf(visitedOn);
      const ref = homeVisitDocs().doc(`${householdId}_${year}`);
      const visit = afterVisit((await ref.get()).data(), {
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
