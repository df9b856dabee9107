import { registrationRate } from '../domain/rates';
import { canRead, type Caller } from '../domain/roles';
import type { VillageHouseholdRow } from '../contract/households';
import { householdDocs, regionDocs, statsDocs } from '../data/households';
import { householdStatusLabels } from '../domain/household';
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
  handler: async ({ villageCode: requested, pageSize, after }, caller) => {
    const villageCode = villageOf(caller, requested);
    const households = householdDocs();
    // Roster households only, those still to register first: what a cadre has to act on.
    let query = households
      .where('villageCode', '==', villageCode)
      .where('onRoster', '==', true)
      .orderBy('registered')
      .orderBy('__name__')
      .limit(pageSize + 1);
    if (caller.role === 'helper') query = query.where('helperUid', '==', caller.uid);
    if (after) {
      const cursor = await households.doc(after).get();
      if (cursor.exists) query = query.startAfter(cursor);
    }
    const [regionSnapshot, statsSnapshot, page] = await Promise.all([
      regionDocs().doc(villageCode).get(),
      statsDocs().doc(villageCode).get(),
      query.get(),
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
      };
    });
    return {
      village: {
        code: villageCode,
        name: region?.name ?? villageCode,
        fullName: region?.fullName ?? '',
      },
      stats: { ...counts, registrationRate: registrationRate(counts) ?? null },
      households: rows,
      next: page.docs.length > pageSize ? (rows[rows.length - 1]?.id ?? null) : null,
    };
  },
});
