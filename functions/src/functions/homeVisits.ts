import { FieldValue } from 'firebase-admin/firestore';
import { z } from 'zod';
import {
  afterVisit,
  campaignYearOf,
  campaignYearSchema,
  recordHomeVisitInput,
  visitProgressHeader,
  visitProgressRows,
  type StoredVisit,
} from '../domain/homeVisits';
import {
  levelOfCode,
  regionFieldNameOf,
  regionFieldsOf,
  type RegionLevel,
} from '../domain/regions';
import { canRead } from '../domain/roles';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { untypedCallable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { runOnce } from '../services/requests';

export const homeVisitsCollection = 'homeVisits';
export const spotChecksCollection = 'spotChecks';

/**
 * 入户登记: a helper (for the households assigned to them) or the village administrator records a
 * visit that checked the household's information sheet: whether anything was corrected and who
 * signed. One record per household per year (`{householdId}_{year}`), recomputed from what it
 * holds, so a retried request changes nothing.
 */
export const recordHomeVisit = untypedCallable({
  name: 'recordHomeVisit',
  input: recordHomeVisitInput,
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

export const setSpotCheckInput = z.strictObject({
  villageCode: z.string().regex(/^\d{12}$/),
  year: campaignYearSchema,
  sampled: z.boolean(),
  households: z.number().int().min(0).max(10_000),
});

/** The township records whether the city sampled a village this year, and how many households. */
export const setSpotCheck = untypedCallable({
  name: 'setSpotCheck',
  input: setSpotCheckInput,
  roles: ['township_admin', 'county_admin'],
  handler: async ({ villageCode, year, sampled, households }, caller) => {
    if (!canRead(caller, villageCode)) deny('setSpotCheck', caller.uid);
    await db()
      .collection(spotChecksCollection)
      .doc(`${villageCode}_${year}`)
      .set({
        ...regionFieldsOf(villageCode),
        year,
        sampled,
        households: sampled ? households : 0,
        recordedBy: caller.uid,
      });
    return { villageCode, year, sampled, households: sampled ? households : 0 };
  },
});

export const exportVisitProgressInput = z.strictObject({
  /** A township (its villages are the rows), or a village (one row). */
  regionCode: z.string().regex(/^(\d{9}|\d{12})$/),
  year: campaignYearSchema,
  format: z.enum(['csv', 'xlsx']),
});

/** The 一户一册一卡工作进展情况表 of a township (seed 004), as CSV or XLSX. */
export const exportVisitProgress = untypedCallable({
  name: 'exportVisitProgress',
  input: exportVisitProgressInput,
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, year, format }, caller) => {
    if (!canRead(caller, regionCode)) deny('exportVisitProgress', caller.uid);
    const field = regionFieldNameOf(levelOfCode(regionCode) as RegionLevel);
    const [region, villages, visits, checks] = await Promise.all([
      db().collection(collections.regions).doc(regionCode).get(),
      regionCode.length === 12
        ? db().collection(collections.regions).where('code', '==', regionCode).get()
        : db().collection(collections.regions).where('parentCode', '==', regionCode).get(),
      db()
        .collection(homeVisitsCollection)
        .where(field, '==', regionCode)
        .where('year', '==', year)
        .get(),
      db()
        .collection(spotChecksCollection)
        .where(field, '==', regionCode)
        .where('year', '==', year)
        .get(),
    ]);
    const rows = visitProgressRows(
      villages.docs
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((village) => ({
          villageName: String(village.get('name')),
          visits: visits.docs
            .filter((visit) => visit.get('villageCode') === village.id)
            .map((visit) => visit.data() as StoredVisit),
          spotCheck: checks.docs
            .find((check) => check.get('villageCode') === village.id)
            ?.data() as { sampled: boolean; households: number } | undefined,
        })),
    );
    const date = chinaDateOf();
    const regionName = String(region.get('name') ?? regionCode);
    const table = {
      title: `${regionName}${year}年度精准帮扶“一户一册一卡”工作进展情况表（填报日期：${date}）`,
      sheet: '工作进展情况表',
      header: visitProgressHeader,
      rows,
      widths: [6, 12, 22, 22, 18, 20, 14],
    };
    const name = `${regionName}${year}年度一户一册一卡工作进展情况表-${date}`;
    return { ...(await tableFile(table, format, name)), rows: rows.length };
  },
});
