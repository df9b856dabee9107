import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { householdDocs } from '../data/households';
import { canActOnHousehold } from '../domain/household';
import { deny, callable } from '../lib/callable';
import { logs } from '../logs';
import { retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * Registers a roster household on the platform (the registration-rate numerator). A village
 * administrator may register any household of their village, a helper only those assigned to them.
 * The first registration wins: the write holds only if the household is unchanged since it was
 * read, so of callers racing on one household exactly one is told `alreadyRegistered: false` and
 * keeps `registeredBy`; the others read again and are told it was already registered.
 */
export const registerHousehold = callable({
  name: 'registerHousehold',
  roles: ['village_admin', 'helper'],
  handler: async ({ householdId, requestId }, caller) => {
    const { result } = await retryOnConflict(
      () =>
        runOnce('registerHousehold', caller.uid, requestId, async (batch) => {
          const ref = householdDocs().doc(householdId);
          const snapshot = await ref.get();
          const household = snapshot.data();
          // A missing household and one of another village get the same answer.
          if (!household || !canActOnHousehold(caller, household)) {
            deny('registerHousehold', caller.uid);
          }
          if (!household.onRoster) {
            throw new HttpsError('failed-precondition', '该户不在建档立卡名单内');
          }
          if (household.registered)
            return { householdId, registered: true as const, alreadyRegistered: true };
          batch.update(
            ref,
            {
              registered: true,
              registeredAt: FieldValue.serverTimestamp(),
              registeredBy: caller.uid,
            },
            unchanged(snapshot),
          );
          logs.householdRegistered(householdId, caller.region, caller.uid);
          return { householdId, registered: true as const, alreadyRegistered: false };
        }),
      { message: '该户信息已变更，请刷新后重试' },
    );
    return result;
  },
});
