import type { RegionReconciliation, ReconciliationException } from '../contract/money';
import { regionDocs } from '../data/households';
import {
  certificateDocs,
  certificateRevocationDocs,
  donationDocs,
  type StoredDonation,
} from '../data/money';
import { needDocs } from '../data/needs';
import { paymentExceptions, paymentReceipts, type StoredPaymentException } from '../data/payments';
import { reconcile, type ReconciledDonation } from '../domain/reconciliation';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { canRead, type Caller } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { db } from '../services/db';

/** Firestore's limit on the values of one `in` filter. */
const inLimit = 30;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** The serials among `serials` whose certificate is issued and not revoked. */
async function standingSerials(serials: readonly string[]): Promise<Set<string>> {
  if (serials.length === 0) return new Set();
  const [certificates, revocations] = await Promise.all([
    db().getAll(...serials.map((serial) => certificateDocs().doc(serial))),
    db().getAll(...serials.map((serial) => certificateRevocationDocs().doc(serial))),
  ]);
  return new Set(
    serials.filter(
      (_, index) =>
        certificates[index]?.exists &&
        !certificates[index]?.data()?.revocation &&
        !revocations[index]?.exists,
    ),
  );
}

/** The donations among `donationIds` that a payment receipt names (money recorded as arrived). */
async function receiptedDonations(donationIds: readonly string[]): Promise<Set<string>> {
  const found = await Promise.all(
    chunks(donationIds, inLimit).map((ids) =>
      paymentReceipts().where('donationId', 'in', ids).get(),
    ),
  );
  return new Set(
    found.flatMap((snapshot) =>
      snapshot.docs.flatMap((doc) => {
        const donationId = doc.data().donationId;
        return donationId ? [donationId] : [];
      }),
    ),
  );
}

function exceptionOf(id: string, stored: StoredPaymentException): ReconciliationException {
  return {
    providerTradeNo: id,
    provider: stored.provider,
    kind: stored.kind,
    amountFen: stored.amountFen,
    donationId: stored.kind === 'unknown_order' ? null : stored.outTradeNo,
    donationAmountFen: stored.donationAmountFen ?? null,
    donationStatus: stored.donationStatus ?? null,
    villageCode: stored.villageCode ?? null,
    recordedAt: stored.recordedAt.toMillis(),
    resolved: stored.resolvedAt !== undefined,
  };
}

/**
 * Reads a region's money needs, money donations (with whether each has a standing certificate)
 * and payment exceptions, and adds them up. Villages and townships are one equality on the
 * donations' own region field; wider regions go through their needs' ids.
 */
export async function reconciliationOf(
  caller: Caller,
  regionCode: string,
): Promise<RegionReconciliation> {
  const level = levelOfCode(regionCode) as RegionLevel;
  const field = regionFieldNameOf(level);
  const [region, needs, exceptionSnapshots, unknownOrders] = await Promise.all([
    regionDocs().doc(regionCode).get(),
    needDocs().where(field, '==', regionCode).get(),
    paymentExceptions().where(field, '==', regionCode).get(),
    // An order never opened here belongs to no region: ops alone are shown it.
    caller.role === 'ops'
      ? paymentExceptions().where('kind', '==', 'unknown_order').get()
      : Promise.resolve(undefined),
  ]);
  const moneyNeeds = needs.docs.filter((doc) => doc.data().kind === 'money');
  let donationDocsFound: Array<{ id: string; data: StoredDonation }>;
  if (level === 'village' || level === 'township') {
    const found = await donationDocs().where(field, '==', regionCode).get();
    donationDocsFound = found.docs.map((doc) => ({ id: doc.id, data: doc.data() }));
  } else {
    const found = await Promise.all(
      chunks(
        moneyNeeds.map((doc) => doc.id),
        inLimit,
      ).map((ids) => donationDocs().where('needId', 'in', ids).get()),
    );
    donationDocsFound = found.flatMap((snapshot) =>
      snapshot.docs.map((doc) => ({ id: doc.id, data: doc.data() })),
    );
  }
  const money = donationDocsFound.filter((doc) => doc.data.kind === 'money');
  const standing = await standingSerials(
    money.flatMap((doc) => (doc.data.certificateSerial ? [doc.data.certificateSerial] : [])),
  );
  const receipted = await receiptedDonations(
    money.filter((doc) => doc.data.status === 'received').map((doc) => doc.id),
  );
  const needVillage = new Map(moneyNeeds.map((doc) => [doc.id, doc.data().villageCode]));
  const donations: ReconciledDonation[] = money.map(({ id, data }) => ({
    id,
    needId: data.needId,
    villageCode: data.villageCode ?? needVillage.get(data.needId) ?? '',
    status: data.status,
    amountFen: data.amountFen ?? 0,
    certified: data.certificateSerial !== undefined && standing.has(data.certificateSerial),
    receipted: receipted.has(id),
  }));
  const result = reconcile(
    donations,
    moneyNeeds.map((doc) => {
      const need = doc.data();
      return {
        id: doc.id,
        villageCode: need.villageCode,
        raisedFen: need.kind === 'money' ? (need.raisedFen ?? 0) : 0,
      };
    }),
  );
  if (!result.invariants.receivedEqualsRaised)
    logs.reconciliationBroken('received_equals_raised', regionCode, result.broken.needIds);
  if (!result.invariants.certifiedWithinReceived)
    logs.reconciliationBroken('certified_within_received', regionCode, result.broken.donationIds);
  if (!result.invariants.receivedHaveReceipts)
    logs.reconciliationBroken('received_have_receipts', regionCode, result.broken.unreceiptedIds);

  const villageNames = new Map<string, string>();
  const villageRefs = result.rows.map((row) => regionDocs().doc(row.villageCode));
  if (villageRefs.length > 0)
    for (const village of await db().getAll(...villageRefs))
      villageNames.set(village.id, village.data()?.name ?? village.id);
  const seen = new Set<string>();
  const exceptions = [...exceptionSnapshots.docs, ...(unknownOrders?.docs ?? [])]
    .filter((doc) => !seen.has(doc.id) && seen.add(doc.id))
    .map((doc) => exceptionOf(doc.id, doc.data()))
    .sort((a, b) => b.recordedAt - a.recordedAt);
  return {
    regionCode,
    regionName: region.data()?.name ?? regionCode,
    rows: result.rows.map((row) => ({
      ...row,
      villageName: villageNames.get(row.villageCode) ?? row.villageCode,
    })),
    total: result.total,
    exceptions,
    invariants: result.invariants,
  };
}

export const reconciliationRoles = [
  'village_admin',
  'township_admin',
  'county_admin',
  'city_admin',
  'province_admin',
  'ops',
] as const;

/**
 * 资金对账: a region's money per village — pledged, received, lapsed, refunded, declined,
 * certified, raised — the payments that are not receipts, and whether Σ received = raised and
 * certified ⊆ received hold (each broken one logged at ERROR, an ops alert).
 */
export const getReconciliation = callable({
  name: 'getReconciliation',
  roles: reconciliationRoles,
  handler: async ({ regionCode }, caller) => {
    if (!canRead(caller, regionCode)) deny('getReconciliation', caller.uid);
    return reconciliationOf(caller, regionCode);
  },
});
