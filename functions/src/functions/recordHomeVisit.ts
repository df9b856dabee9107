import { FieldValue } from 'firebase-admin/firestore';
import { homeVisitDocs, householdDocs } from '../data/households';
import { afterVisit, campaignYearOf } from '../domain/homeVisits';
import { canActOnHousehold } from '../domain/household';
import { regionFieldsOf } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/** Firestore's gRPC code for a create() whose document another writer created first. */
const alreadyExists = 6;

/**
 * 入户登记 without the sheet: a helper (for the households assigned to them) or the village
 * administrator records who signed a visit (a paper sheet signed on the spot). Corrections count
 * only as recordSheetVisit records them, change by change; a visit here corrects nothing. One
 * record per household per year (`{householdId}_{year}`), recomputed from what it holds, so a retried request changes nothing. The record is written only if it is still as read
 * (created only if still absent): a helper and a cadre signing at the same moment both count,
 * instead of the later one erasing the earlier.
 */
export const recordHomeVisit = callable({
  name: 'recordHomeVisit',
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, householdId, visitedOn, signedBy }, caller) => {
    const record = () =>
      retryOnConflict(
        () =>
          runOnce('recordHomeVisit', caller.uid, requestId, async (batch) => {
            const household = (await householdDocs().doc(householdId).get()).data();
            if (!canActOnHousehold(caller, household)) deny('recordHomeVisit', caller.uid);
            const year = campaignYearOf(visitedOn);
            const ref = homeVisitDocs().doc(`${householdId}_${year}`);
            const before = await ref.get();
            const visit = afterVisit(before.data(), {
              visitorUid: caller.uid,
              // Only recorded changes count as corrections (recordSheetVisit): none are made here.
              corrected: false,
              signedBy,
            });
            const fields = {
              householdId,
              year,
              ...regionFieldsOf(caller.region),
              ...visit,
              lastVisitedOn: visitedOn,
              updatedAt: FieldValue.serverTimestamp(),
            };
            if (before.exists) batch.update(ref, fields, unchanged(before));
            else batch.create(ref, fields);
            return {
              householdId,
              year,
              corrected: visit.corrected,
              completed: visit.completed,
              visitors: visit.visitorUids.length,
            };
          }),
        { message: '该户的入户登记刚被他人更新，请重试' },
      );
    let outcome;
    try {
      outcome = await record();
    } catch (error) {
      // The year's record was created by a concurrent visit: now it exists, update it.
      if ((error as { code?: unknown } | null)?.code !== alreadyExists) throw error;
      outcome = await record();
    }
    const { result, replayed } = outcome;
    if (!replayed) {
      logs.homeVisitRecorded(householdId, caller.region, caller.uid, result.completed);
    }
    return result;
  },
});
