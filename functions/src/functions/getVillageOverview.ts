import { FieldPath } from 'firebase-admin/firestore';
import { registrationRate } from '../domain/rates';
import { canRead, type Caller } from '../domain/roles';
import type { VillageHouseholdRow } from '../contract/households';
import { householdDocs, regionDocs, statsDocs } from '../data/households';
import { householdStatusLabels } from '../domain/household';
import {
  householdCursorOf,
  householdSearchOf,
  parseHouseholdCursor,
} from '../domain/householdSearch';
import { callable, deny } from '../lib/callable';

function villageOf(caller: Caller, requested: string | undefined): string {
  const villageCode = requested ?? (caller.region.length === 12 ? caller.region : undefined);
  if (!villageCode || !canRead(caller, villageCode)) deny('getVillageOverview', caller.uid);
  return villageCode;
}

/** A village as its staff see it: name, registration figures and a page of its households. */
export const getVillageOverview = callable({
  name: 'getVillageOverview',
  roles: [
    'village_admin',
    'helper',
    'township_admin',
    'county_admin',
    'city_admin',
    'province_admin',
    'ops',
  ],
  handler: async (
    { villageCode: requested, pageSize, after, search, status, registered, helperUid },
    caller,
  ) => {
    const villageCode = villageOf(caller, requested);
    const households = householdDocs();
    // Roster households only; every filter is one equality (or array-contains) on a stored field,
    // so each combination is one indexed query (domain/householdSearch `householdListIndex`).
    let filtered = households.where('villageCode', '==', villageCode).where('onRoster', '==', true);
    if (status) filtered = filtered.where('status', '==', status);
    // A helper's list is their households, whatever helper was asked for.
    const helper = caller.role === 'helper' ? caller.uid : helperUid;
    if (typeof helper === 'string') filtered = filtered.where('helperUid', '==', helper);
    else if (helper === null) filtered = filtered.where('assigned', '==', false);
    const wanted = search ? householdSearchOf(search) : undefined;
    if (wanted && 'idLast4' in wanted) filtered = filtered.where('idLast4', '==', wanted.idLast4);
    if (wanted && 'nameToken' in wanted) {
      filtered = filtered.where('nameTokens', 'array-contains', wanted.nameToken);
    }
    if (registered !== undefined) filtered = filtered.where('registered', '==', registered);
    // Those still to register first (what a cadre acts on), then by id. The cursor carries the
    // `registered` it was read at, so the last household of a page registering meanwhile does
    // not move where the next page starts.
    let query =
      registered === undefined
        ? filtered.orderBy('registered').orderBy(FieldPath.documentId())
        : filtered.orderBy(FieldPath.documentId());
    if (after) {
      const cursor = parseHouseholdCursor(after);
      if ('registered' in cursor) {
        query =
          registered === undefined
            ? query.startAfter(cursor.registered, cursor.id)
            : query.startAfter(cursor.id);
      } else {
        // A bare id (older clients): where that household sorts now.
        const snapshot = await households.doc(cursor.id).get();
        const known = snapshot.data();
        if (known) {
          query =
            registered === undefined
              ? query.startAfter(known.registered, cursor.id)
              : query.startAfter(cursor.id);
        }
      }
    }
    query = query.limit(pageSize + 1);
    const [regionSnapshot, statsSnapshot, page, count] = await Promise.all([
      regionDocs().doc(villageCode).get(),
      statsDocs().doc(villageCode).get(),
      query.get(),
      filtered.count().get(),
    ]);
    const region = regionSnapshot.data();
    const stats = statsSnapshot.data();
    const counts = {
      rosterHouseholds: stats?.rosterHouseholds ?? 0,
      registeredHouseholds: stats?.registeredHouseholds ?? 0,
    };
    const rows = page.docs.slice(0, pageSize).map((doc): VillageHouseholdRow => {
      const household = doc.data();
      return {
        id: doc.id,
        headName: household.headName,
        idLast4: household.idLast4,
        address: household.address ?? '',
        members: household.members ?? null,
        status: household.status ?? null,
        statusLabel: household.status ? householdStatusLabels[household.status] : '',
        cardColour: household.cardColour ?? null,
        onRoster: household.onRoster,
        registered: household.registered,
        helperUid: household.helperUid ?? null,
        helperName: household.helperName ?? null,
      };
    });
    const last = rows.at(-1);
    return {
      village: {
        code: villageCode,
        name: region?.name ?? villageCode,
        fullName: region?.fullName ?? '',
      },
      stats: { ...counts, registrationRate: registrationRate(counts) ?? null },
      households: rows,
      matched: count.data().count,
      next:
        page.docs.length > pageSize && last ? householdCursorOf(last.registered, last.id) : null,
    };
  },
});
