/**
 * The stored shapes of households, staff, regions, rates and home visits, and their typed
 * collections: every read of these documents goes through a schema here. The schemas admit every
 * document the functions, the seed (functions/local/seed.ts) and the tests write — a household
 * written by hand in the console, with only its village, roster flags and head, included — and
 * keep fields they do not name (`looseObject`), so an added field never fails an older reader.
 */
import { z } from 'zod';
import type { RosterImportDone } from '../contract/households';
import { householdStatuses } from '../domain/household';
import { countFields, type CountField } from '../domain/rates';
import { regionLevels } from '../domain/regions';
import { staffRoles } from '../domain/roles';
import { collections } from '../services/db';
import { timestampField, typedCollection } from './converter';

const regionLevelSchema = z.enum(regionLevels);

/** The per-level code fields (domain/regions `RegionFields`) every village's document carries. */
export const regionFieldsShape = {
  provinceCode: z.string(),
  cityCode: z.string(),
  countyCode: z.string(),
  townshipCode: z.string(),
  villageCode: z.string(),
};

/** The code fields of the levels above a region's own, and its own (a province has one). */
const partialRegionFieldsShape = {
  provinceCode: z.string().optional(),
  cityCode: z.string().optional(),
  countyCode: z.string().optional(),
  townshipCode: z.string().optional(),
  villageCode: z.string().optional(),
};

/**
 * `households/{id}`: what staff of its region may see. The ID number and bank account live in
 * `householdsPrivate/{id}`, which no client can read. Written whole by importRoster and the seed;
 * a document written by hand may hold no more than its village, roster flags and head, so what
 * only the roster gives is optional (and read as absent).
 */
export const storedHouseholdSchema = z.looseObject({
  ...partialRegionFieldsShape,
  villageCode: z.string(),
  headName: z.string(),
  idLast4: z.string(),
  address: z.string().optional(),
  members: z.number().int().optional(),
  causes: z.array(z.string()).optional(),
  annualIncomeFen: z.number().int().optional(),
  status: z.enum(householdStatuses).optional(),
  outYear: z.number().int().nullable().optional(),
  cardColour: z.enum(['blue', 'red']).nullable().optional(),
  /** The adjustment year the household was newly included in (its 公告), when known. */
  includedYear: z.number().int().nullable().optional(),
  /** The identification application that put it on the roster (functions/identification). */
  identifiedBy: z.string().optional(),
  /** The helper (帮扶责任人) assigned to the household; null until one is. */
  helperUid: z.string().nullable().optional(),
  /**
   * The assigned helper's name, from their staff record (older imports stored the roster's text
   * here, which is why it may be set with no helperUid).
   */
  helperName: z.string().nullable().optional(),
  /** What the roster's 帮扶责任人 column said at the last import that gave one; null if blank. */
  rosterHelperName: z.string().nullable().optional(),
  /** Who last set helperUid (a cadre's uid, or the importing administrator's), and when. */
  helperAssignedBy: z.string().optional(),
  helperAssignedAt: timestampField.optional(),
  onRoster: z.boolean(),
  registered: z.boolean(),
  /** Search fields (domain/householdSearch `householdSearchFieldsOf`); absent on older documents. */
  nameTokens: z.array(z.string()).optional(),
  assigned: z.boolean().optional(),
  /** Null on a household set back to unregistered by hand (the console, a repair). */
  registeredAt: timestampField.nullable().optional(),
  registeredBy: z.string().nullable().optional(),
  /**
   * When a need of the household was last submitted: written with the need, on the condition
   * that the household is as submitNeed read it (its helper, status and roster place).
   */
  lastNeedSubmittedAt: timestampField.optional(),
  importedBy: z.string().optional(),
  importedAt: timestampField.optional(),
});
export type StoredHousehold = z.output<typeof storedHouseholdSchema>;

/** `householdsPrivate/{id}`: the full numbers, read by the functions only. */
export const storedHouseholdPrivateSchema = z.looseObject({
  idNumber: z.string(),
  villageCode: z.string(),
  bankAccount: z.string().optional(),
});
export type StoredHouseholdPrivate = z.output<typeof storedHouseholdPrivateSchema>;

/**
 * `staff/{uid}`: the record every staff call is checked against (claims alone may be an hour
 * stale). Appointment adds who appointed and when; removal turns it inactive.
 */
export const storedStaffSchema = z.looseObject({
  role: z.enum(staffRoles),
  regionCode: z.string(),
  name: z.string(),
  active: z.boolean(),
  /** The seat held (`staffSeats/{id}`) for roles with a seat limit; null or absent otherwise. */
  seat: z.string().nullable().optional(),
  phone: z.string().optional(),
  email: z.string().nullable().optional(),
  appointedBy: z.string().optional(),
  appointedAt: timestampField.optional(),
  removedBy: z.string().optional(),
  removedAt: timestampField.optional(),
});
export type StoredStaff = z.output<typeof storedStaffSchema>;

/** `staffSeats/{region}_{role}_{n}`: created with `create()`, so two appointments cannot share one. */
export const storedStaffSeatSchema = z.looseObject({
  uid: z.string(),
  role: z.enum(staffRoles),
  regionCode: z.string(),
});

/** `regions/{code}`: the national division code table, and a village office's receiving address. */
export const storedRegionSchema = z.looseObject({
  code: z.string(),
  name: z.string(),
  fullName: z.string().optional(),
  level: regionLevelSchema,
  /** null for a province. */
  parentCode: z.string().nullable(),
  receiving: z
    .looseObject({ address: z.string(), contactName: z.string(), phone: z.string() })
    .optional(),
});
export type StoredRegion = z.output<typeof storedRegionSchema>;

/**
 * A count kept by increments: a village's document is created by the first event that moves it,
 * with only that event's fields, so every count is read as 0 until one moves it.
 */
const countsShape = Object.fromEntries(
  countFields.map((field) => [field, z.number().default(0)]),
) as Record<CountField, z.ZodDefault<z.ZodNumber>>;

/** The figures of a region (`stats/{code}`, `stats/national`) as stored: counts, never rates. */
const figuresShape = {
  ...partialRegionFieldsShape,
  code: z.string(),
  level: z.enum([...regionLevels, 'national']),
  ...countsShape,
};

export const storedStatsSchema = z.looseObject({
  ...figuresShape,
  updatedAt: timestampField.optional(),
});
export type StoredStats = z.output<typeof storedStatsSchema>;

/** `statsHistory/{code}_{day}`: a region's figures of one day in China. */
export const storedStatsHistorySchema = z.looseObject({
  ...figuresShape,
  /** YYYYMMDD. */
  day: z.string(),
  takenAt: timestampField.optional(),
});

/** `rollupState/cursor`: where the minute rollup resumes. */
export const storedRollupCursorSchema = z.looseObject({ lastRunAt: timestampField });

/** The part of a `homeVisits` record the progress table counts (domain/homeVisits `StoredVisit`). */
export const storedVisitShape = {
  visitorUids: z.array(z.string()),
  corrected: z.boolean(),
  completed: z.boolean(),
};

/** `homeVisits/{householdId}_{year}`: a household's 入户登记 record for a campaign year. */
export const storedHomeVisitSchema = z.looseObject({
  ...regionFieldsShape,
  householdId: z.string(),
  year: z.number().int(),
  ...storedVisitShape,
  lastVisitedOn: z.string(),
  updatedAt: timestampField.optional(),
});

/** `spotChecks/{villageCode}_{year}`: whether the city sampled a village, and how many households. */
export const storedSpotCheckSchema = z.looseObject({
  ...regionFieldsShape,
  year: z.number().int(),
  sampled: z.boolean(),
  households: z.number().int(),
  recordedBy: z.string(),
});

/**
 * `rosterImports/{uid}_{requestId}`: a large import in progress (`applying`), then its answer
 * (`done`), which a retry with the same request id is given again. The answer is what importRoster
 * itself stored, so only its kind is checked.
 */
export const storedRosterImportSchema = z.discriminatedUnion('status', [
  z.looseObject({
    status: z.literal('applying'),
    villageCode: z.string(),
    writes: z.number().int(),
    at: timestampField.optional(),
  }),
  z.looseObject({
    status: z.literal('done'),
    villageCode: z.string(),
    result: z.custom<RosterImportDone>(
      (value) => typeof value === 'object' && value !== null && 'ok' in value && value.ok === true,
    ),
    at: timestampField.optional(),
  }),
]);

/**
 * `auditLog/{auto}`: appended by the functions only; never updated, never read by a client. A
 * plain object (unknown fields dropped when read), so that an entry's type is exactly this.
 */
export const storedAuditEntrySchema = z.object({
  uid: z.string(),
  role: z.string(),
  /** `transfer_account`: a transfer pledge's donor shown the household's account (getTransferAccount). */
  action: z.enum(['reveal', 'transfer_account']),
  /** e.g. `households/abc`; never the value revealed. */
  resource: z.string(),
  field: z.string(),
  /** Absent when the reason itself was refused (it may hold the very number to protect). */
  reason: z.string().optional(),
  /**
   * `not_found`: no such household or need (the caller was answered permission-denied all the
   * same); `absent`: in scope, but the value is not held; `refused_reason`: the reason failed the
   * free-text check.
   */
  outcome: z.enum(['granted', 'denied', 'not_found', 'absent', 'refused_reason']),
  at: timestampField.optional(),
});
export type StoredAuditEntry = z.output<typeof storedAuditEntrySchema>;

/**
 * `auditLog/{auto}`: a household's helper set, changed or cleared (assignHelper, importRoster, or
 * removeStaff releasing a removed helper's households: `cause: 'helper_removed'`).
 */
export const storedHelperAuditEntrySchema = z.object({
  uid: z.string(),
  role: z.string(),
  action: z.literal('assign_helper'),
  /** `households/{id}`. */
  resource: z.string(),
  fromHelperUid: z.string().nullable(),
  toHelperUid: z.string().nullable(),
  cause: z.literal('helper_removed').optional(),
  at: timestampField.optional(),
});

/** Every kind of audit entry, told apart by `action`. */
const storedAuditLogSchema = z.discriminatedUnion('action', [
  storedAuditEntrySchema,
  storedHelperAuditEntrySchema,
]);

export const householdDocs = typedCollection(collections.households, storedHouseholdSchema);
export const householdPrivateDocs = typedCollection(
  collections.householdsPrivate,
  storedHouseholdPrivateSchema,
);
export const staffDocs = typedCollection(collections.staff, storedStaffSchema);
export const staffSeatDocs = typedCollection(collections.staffSeats, storedStaffSeatSchema);
export const regionDocs = typedCollection(collections.regions, storedRegionSchema);
export const statsDocs = typedCollection(collections.stats, storedStatsSchema);
export const statsHistoryDocs = typedCollection(collections.statsHistory, storedStatsHistorySchema);
export const rollupStateDocs = typedCollection(collections.rollupState, storedRollupCursorSchema);
export const homeVisitDocs = typedCollection(collections.homeVisits, storedHomeVisitSchema);
export const spotCheckDocs = typedCollection(collections.spotChecks, storedSpotCheckSchema);
export const rosterImportDocs = typedCollection(
  collections.rosterImports,
  storedRosterImportSchema,
);
export const auditLogDocs = typedCollection(collections.auditLog, storedAuditLogSchema);
