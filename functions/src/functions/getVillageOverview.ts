import { registrationRate } from '../domain/rates';
import { canRead, type Caller } from '../domain/roles';
import { householdStatusLabels, type HouseholdStatus } from '../domain/household';
import { callable, deny } from '../lib/callable';
import { collections, db } from '../services/db';

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
    const households = db().collection(collections.households);
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
    const [region, stats, page] = await Promise.all([
      db().collection(collections.regions).doc(villageCode).get(),
      db().collection(collections.stats).doc(villageCode).get(),
      query.get(),
    ]);
    const counts = {
      rosterHouseholds: Number(stats.get('rosterHouseholds') ?? 0),
      registeredHouseholds: Number(stats.get('registeredHouseholds') ?? 0),
    };
    const rows = page.docs.slice(0, pageSize).map((doc) => ({
      id: doc.id,
      headName: String(doc.get('headName')),
      idLast4: String(doc.get('idLast4')),
      address: String(doc.get('address') ?? ''),
      members: Number(doc.get('members')),
      status: doc.get('status') as HouseholdStatus,
      statusLabel: householdStatusLabels[doc.get('status') as HouseholdStatus],
      cardColour: (doc.get('cardColour') ?? null) as 'blue' | 'red' | null,
      onRoster: doc.get('onRoster') === true,
      registered: doc.get('registered') === true,
    }));
    return {
      village: {
        code: villageCode,
        name: String(region.get('name') ?? villageCode),
        fullName: String(region.get('fullName') ?? ''),
      },
      stats: { ...counts, registrationRate: registrationRate(counts) ?? null },
      households: rows,
      next: page.docs.length > pageSize ? (rows[rows.length - 1]?.id ?? null) : null,
    };
  },
});
