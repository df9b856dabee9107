import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { auditLogDocs, householdDocs, staffDocs } from '../data/households';
import { householdSearchFieldsOf } from '../domain/householdSearch';
import { isWithin } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * 结对帮扶 (seed 003: every household has one helper). The village's information administrator
 * assigns, reassigns or clears a household's 帮扶责任人, and so may the township (seed 002: the
 * township sets the pairing plan). Only an active helper appointed in the household's own village
 * can be assigned.
 *
 * Every helper-scoped check reads the household's helperUid when it runs, so the right moves with
 * the commit. The write holds only if the household is as read (`lastUpdateTime`), and only if
 * its helper is still the one the caller saw (`expectedHelperUid`): of cadres reassigning one
 * household at once exactly one wins, the others are told to refresh. The audit entry is in the
 * same batch as the change; a retry with the same request id gets the first answer back.
 */
export const assignHelper = callable({
  name: 'assignHelper',
  roles: ['village_admin', 'township_admin'],
  handler: async ({ requestId, householdId, helperUid, expectedHelperUid }, caller) => {
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('assignHelper', caller.uid, requestId, async (batch) => {
          const ref = householdDocs().doc(householdId);
          const snapshot = await ref.get();
          const household = snapshot.data();
          // A missing household and one out of the caller's region get the same answer.
          const inScope =
            household !== undefined &&
            (caller.role === 'village_admin'
              ? household.villageCode === caller.region
              : isWithin(household.villageCode, caller.region));
          if (!household || !inScope) deny('assignHelper', caller.uid);
          const current = household.helperUid ?? null;
          if (current === helperUid) {
            return {
              householdId,
              helperUid,
              helperName: household.helperName ?? null,
              changed: false,
            };
          }
          if (current !== expectedHelperUid) {
            throw new HttpsError(
              'failed-precondition',
              '该户的帮扶责任人刚被他人更改，请刷新后重试',
              {
                reason: 'helper_changed',
              },
            );
          }
          let helperName: string | null = null;
          if (helperUid !== null) {
            const staff = (await staffDocs().doc(helperUid).get()).data();
            if (
              !staff ||
              !staff.active ||
              staff.role !== 'helper' ||
              staff.regionCode !== household.villageCode
            ) {
              throw new HttpsError('failed-precondition', '只能指定本村在任的帮扶责任人', {
                reason: 'helper_not_in_village',
              });
            }
            helperName = staff.name;
          }
          batch.update(
            ref,
            {
              helperUid,
              helperName,
              ...householdSearchFieldsOf({ headName: household.headName, helperUid }),
              helperAssignedBy: caller.uid,
              helperAssignedAt: FieldValue.serverTimestamp(),
            },
            unchanged(snapshot),
          );
          batch.create(auditLogDocs().doc(), {
            uid: caller.uid,
            role: caller.role,
            action: 'assign_helper',
            resource: `households/${householdId}`,
            fromHelperUid: current,
            toHelperUid: helperUid,
            at: FieldValue.serverTimestamp(),
          });
          return { householdId, helperUid, helperName, changed: true };
        }),
      { message: '该户信息已变更，请刷新后重试' },
    );
    if (result.changed && !replayed) {
      logs.helperAssigned(caller.uid, householdId, result.helperUid);
    }
    return result;
  },
});
