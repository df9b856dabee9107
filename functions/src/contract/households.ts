/**
 * The contract of the callables about households, the roster, staff, home visits, regions and rates: each one's input schema (what the
 * functions validate) and answer type (what the web client receives).
 */
import { z } from 'zod';
import { regionCodeSchema } from '../domain/donor';
import { campaignYearSchema } from '../domain/homeVisits';
import { householdStatuses, type CardColour, type HouseholdStatus } from '../domain/household';
import { nameKeyOf } from '../domain/householdSearch';
import type { Counts } from '../domain/rates';
import type { RegionLevel } from '../domain/regions';
import { staffRoles, type StaffRole } from '../domain/roles';
import type { FileProblem, RowReport } from '../domain/roster/result';
import { docIdSchema, pastDateSchema, requestIdSchema } from '../domain/validation/common';
import { personNameSchema } from '../domain/validation/text';
import type { ExportedTable } from './files';

const villageCodeSchema = z.string().regex(/^\d{12}$/);
const exportFormatSchema = z.enum(['csv', 'xlsx']);

export const householdsInputs = {
  registerHousehold: z.strictObject({
    householdId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    requestId: z.string().uuid(),
  }),

  getVillageOverview: z.strictObject({
    villageCode: villageCodeSchema.optional(),
    pageSize: z.number().int().min(1).max(100).default(50),
    /** The previous page's `next` (a household id, as older clients send, still works). */
    after: z
      .string()
      .regex(/^([01]\.)?[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    /** Part of the head's name (张, 国华) or the last four characters of the ID number (012X). */
    search: z
      .string()
      .max(30)
      .transform(nameKeyOf)
      .pipe(z.string().min(1, 'search_empty'))
      .optional(),
    status: z.enum(householdStatuses).optional(),
    /** Registered households only (the capture form's picker), or unregistered only. */
    registered: z.boolean().optional(),
    /** One helper's households; null: those with no helper assigned. */
    helperUid: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/)
      .nullable()
      .optional(),
  }),

  appointStaff: z.strictObject({
    requestId: z.string().uuid(),
    /** Mainland mobile number, E.164: cadres sign in with it and an SMS code. */
    phone: z.string().regex(/^\+861[3-9]\d{9}$/),
    // A cadre's name, as household heads' and reviewers' are checked: no digits, so no phone or ID.
    name: personNameSchema,
    role: z.enum(staffRoles).exclude(['ops']),
    regionCode: z.string().regex(/^\d{2,12}$/),
  }),

  removeStaff: z.strictObject({
    uid: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  }),

  listStaff: z.strictObject({
    /** A region within the caller's (default: the caller's own); its staff and those below it. */
    regionCode: z
      .string()
      .regex(/^\d{2,12}$/)
      .optional(),
    pageSize: z.number().int().min(1).max(100).default(50),
    /** The uid of the last staff member of the previous page. */
    after: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/)
      .optional(),
  }),

  revealSensitive: z.strictObject({
    resource: z.strictObject({
      kind: z.enum(['household', 'need']),
      id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    }),
    field: z.enum(['idNumber', 'bankAccount']),
    // Only bounded here: the reason is checked in the handler, so that an attempt with a refused
    // reason (an ID number typed into it) is audited too, without the reason.
    reason: z.string().max(2000),
  }),

  importRoster: z.strictObject({
    requestId: requestIdSchema,
    format: exportFormatSchema,
    /** The file, base64; ≤ 5 MiB once decoded (the parser refuses more). */
    dataBase64: z
      .string()
      .max(7_100_000)
      .regex(/^[A-Za-z0-9+/=]*$/),
    /** The latest poverty-exit year: households out in that year get the red contact card. */
    latestExitYear: z.number().int().min(2014).max(2030).default(2020),
    /**
     * `partial` (the default) adds and updates only; `full` says the file is the village's whole
     * roster, so households it does not list leave the roster. A 3-row file once took 55 off
     * because removal was implied: it must be chosen.
     */
    mode: z.enum(['partial', 'full']).default('partial'),
    /** Answers what the import would do (counts and report) without writing anything. */
    dryRun: z.boolean().default(false),
  }),

  repairRates: z.strictObject({ regionCode: regionCodeSchema }),

  getRatesDashboard: z.strictObject({
    regionCode: regionCodeSchema.optional(),
    historyDays: z.number().int().min(1).max(366).default(30),
  }),

  exportRatesReport: z.strictObject({
    regionCode: regionCodeSchema,
    format: exportFormatSchema,
  }),

  listRegions: z.strictObject({ parentCode: regionCodeSchema.optional() }),

  recordHomeVisit: z.strictObject({
    requestId: requestIdSchema,
    householdId: docIdSchema,
    visitedOn: pastDateSchema,
    /**
     * Who signed the checked sheet: complete when all three have. Corrections are not claimed
     * here: a visit that corrects the sheet goes through recordSheetVisit, which records each one.
     */
    signedBy: z.strictObject({ household: z.boolean(), helper: z.boolean(), cadre: z.boolean() }),
  }),

  setSpotCheck: z.strictObject({
    villageCode: villageCodeSchema,
    year: campaignYearSchema,
    sampled: z.boolean(),
    households: z.number().int().min(0).max(10_000),
  }),

  exportVisitProgress: z.strictObject({
    /** A township (its villages are the rows), or a village (one row). */
    regionCode: z.string().regex(/^(\d{9}|\d{12})$/),
    year: campaignYearSchema,
    /** PDF: the form as printed for the seal, with the township's footer (saveProgressReport). */
    format: z.enum(['csv', 'xlsx', 'pdf']),
  }),

  /**
   * Sets (or with `helperUid: null` clears) a household's 帮扶责任人. `expectedHelperUid` is the
   * helper the page showed: when the household has another by now, nothing changes, so two
   * cadres reassigning at once cannot both win.
   */
  assignHelper: z.strictObject({
    requestId: requestIdSchema,
    householdId: docIdSchema,
    helperUid: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/)
      .nullable(),
    expectedHelperUid: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/)
      .nullable(),
  }),

  /** The helpers a household of the village can be assigned to (a village administrator's own village by default). */
  listVillageHelpers: z.strictObject({ villageCode: villageCodeSchema.optional() }),
} satisfies Record<string, z.ZodType>;

/** One roster household as the village's staff see it in the overview (never the full ID). */
export interface VillageHouseholdRow {
  id: string;
  headName: string;
  idLast4: string;
  address: string;
  /** null (and the status too) only for a household written by hand without them. */
  members: number | null;
  status: HouseholdStatus | null;
  /** '' when the status is not known. */
  statusLabel: string;
  cardColour: CardColour;
  onRoster: boolean;
  registered: boolean;
  /** The household's 帮扶责任人 (null: none assigned); the name as stored when assigned (null in the demo seed). */
  helperUid: string | null;
  helperName: string | null;
}

/** A village as its staff see it: name, registration figures and a page of its households. */
export interface VillageOverview {
  village: { code: string; name: string; fullName: string };
  stats: {
    rosterHouseholds: number;
    registeredHouseholds: number;
    registrationRate: number | null;
  };
  households: VillageHouseholdRow[];
  /** How many households the filters match (on every page). */
  matched: number;
  /** What to pass as `after` for the next page; null on the last page. */
  next: string | null;
}

/** A file with a refused row (or a file problem): nothing was imported. */
export interface RosterImportRefused {
  ok: false;
  report: RowReport[];
  fileProblems: FileProblem[];
  accepted: number;
  refused: number;
}

/** An accepted file: what was (or, on a dry run, would be) created, updated and taken off. */
export interface RosterImportDone {
  ok: true;
  report: RowReport[];
  accepted: number;
  refused: 0;
  mode: 'partial' | 'full';
  dryRun: boolean;
  created: number;
  updated: number;
  leftRoster: number;
  /** Households whose 帮扶责任人 column named exactly one active helper of the village, now (or, on a dry run, to be) assigned to them. */
  helpersAssigned: number;
  /** Rows whose 帮扶责任人 matched no active helper of the village, or several: left as they were. */
  helperProblems: RosterHelperProblem[];
}

/**
 * A row whose 帮扶责任人 was not assigned: `helper_unknown` (no active helper of the village by
 * that name, and phone when the file gives one), `helper_ambiguous` (several): nothing is guessed.
 */
export interface RosterHelperProblem {
  row: number;
  code: 'helper_unknown' | 'helper_ambiguous';
}

export type RosterImportAnswer = RosterImportRefused | RosterImportDone;

/** A region's kept counts, the three rates derived from them (null: nothing to measure yet) and its lag. */
export interface RegionFigures extends Counts {
  code: string;
  level: RegionLevel | 'national';
  name: string;
  registrationRate: number | null;
  matchRate: number | null;
  fulfilledRate: number | null;
  /** The larger of the two shortfalls against the targets; 0 when both are met. */
  shortfall: number;
}

export interface RatesHistoryPoint {
  /** YYYYMMDD, the day in China. */
  day: string;
  registrationRate: number | null;
  matchRate: number | null;
  fulfilledRate: number | null;
}

/** A region against the two targets, its child regions (lagging first) and its daily history. */
export interface RatesDashboard {
  region: RegionFigures;
  targets: { registration: number; match: number };
  children: RegionFigures[];
  /** Oldest first. */
  history: RatesHistoryPoint[];
}

/** A division for the region pickers (public: the national division code table). */
export interface RegionItem {
  code: string;
  name: string;
  level: RegionLevel;
}

/** A staff member as an administrator above them sees them: the phone masked but for its last four. */
export interface StaffItem {
  uid: string;
  role: StaffRole;
  regionCode: string;
  name: string;
  /** `*******1234`; null for an account without a phone (the demo accounts sign in by email). */
  phone: string | null;
  status: 'active' | 'removed';
  /** The seat held (`{region}_{role}_{n}`) while active, for roles with a seat limit. */
  seat: string | null;
}

/** Staff of a region and the regions below it, by region code, then uid. */
export interface StaffPage {
  staff: StaffItem[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}

export interface HouseholdsAnswers {
  registerHousehold: { householdId: string; registered: true; alreadyRegistered: boolean };
  getVillageOverview: VillageOverview;
  appointStaff: {
    uid: string;
    role: Exclude<StaffRole, 'ops'>;
    regionCode: string;
    /** The seat taken (`{region}_{role}_{n}`) for roles with a seat limit; null otherwise. */
    seat: string | null;
  };
  /** `householdsReleased`: a removed helper's households, now without a helper. */
  removeStaff: { uid: string; active: false; householdsReleased: number };
  listStaff: StaffPage;
  revealSensitive: { value: string };
  importRoster: RosterImportAnswer;
  repairRates: { villages: number; drifted: number };
  getRatesDashboard: RatesDashboard;
  exportRatesReport: ExportedTable;
  listRegions: { regions: RegionItem[] };
  recordHomeVisit: {
    householdId: string;
    year: number;
    corrected: boolean;
    completed: boolean;
    /** Distinct visitors of the household this year. */
    visitors: number;
  };
  setSpotCheck: { villageCode: string; year: number; sampled: boolean; households: number };
  exportVisitProgress: ExportedTable;
  assignHelper: {
    householdId: string;
    helperUid: string | null;
    helperName: string | null;
    /** false when the household already had this helper (nothing written). */
    changed: boolean;
  };
  listVillageHelpers: { villageCode: string; helpers: VillageHelperItem[] };
}

/** An active helper of a village, as the assignment picker lists them (by name). */
export interface VillageHelperItem {
  uid: string;
  name: string;
  /** `*******1234`, so two helpers of one name can be told apart; null without a phone. */
  phone: string | null;
}
