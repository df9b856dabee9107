/**
 * The contract of 一户一册一卡 (domain/householdFile.ts): the household's file, the home visit that
 * corrects its 《贫困户信息表》, the 三统一 report, the contact card and handbook, and the progress
 * form's footer.
 */
import { z } from 'zod';
import { campaignYearSchema } from '../domain/homeVisits';
import {
  povertyCauses,
  type CardColour,
  type HouseholdStatus,
  type PovertyCause,
} from '../domain/household';
import {
  confirmationParties,
  incomeSources,
  livingChecks,
  measureKinds,
  memberEducation,
  memberHealth,
  memberLabour,
  memberRelations,
  type ConfirmationParty,
  type FileMember,
  type IncomeSource,
  type LivingCheck,
  type MeasureKind,
  type MemberHealth,
  type RosterDifference,
} from '../domain/householdFile';
import {
  docIdSchema,
  pastDateSchema,
  photoIdSchema,
  requestIdSchema,
} from '../domain/validation/common';
import { idNumberSchema } from '../domain/validation/idNumber';
import { amountFenSchemaUpTo } from '../domain/validation/money';
import { noteSchema, personNameSchema, reasonSchema } from '../domain/validation/text';
import type { ExportedFile, ExportedTable } from './files';

const villageCodeSchema = z.string().regex(/^\d{12}$/);
const townshipCodeSchema = z.string().regex(/^\d{9}$/);
const yearlyFenSchema = amountFenSchemaUpTo(10_000_000_00).or(z.literal(0));

const sheetMemberFields = {
  name: personNameSchema,
  relation: z.enum(memberRelations),
  health: z.enum(memberHealth),
  education: z.enum(memberEducation),
  labour: z.enum(memberLabour),
};

/**
 * A member of the corrected sheet: one the file already holds is named by its place in the file
 * the visit opened (`existing`, the index in getHouseholdFile's `members`), so the phone never
 * holds their full ID number; a new member comes with theirs.
 */
const sheetMemberSchema = z.union([
  z.strictObject({ ...sheetMemberFields, existing: z.number().int().min(0).max(19) }),
  z.strictObject({ ...sheetMemberFields, idNumber: idNumberSchema }),
]);

/** The 《贫困户信息表》 as the helper leaves it after walking it with the household. */
export const informationSheetSchema = z.strictObject({
  members: z.array(sheetMemberSchema).max(19),
  living: z.strictObject(
    Object.fromEntries(livingChecks.map((check) => [check, z.boolean()])) as Record<
      LivingCheck,
      z.ZodBoolean
    >,
  ),
  income: z.strictObject(
    Object.fromEntries(incomeSources.map((source) => [source, yearlyFenSchema])) as Record<
      IncomeSource,
      typeof yearlyFenSchema
    >,
  ),
  causes: z.array(z.enum(povertyCauses)).min(1).max(4),
});

/**
 * One party's confirmation of the corrected sheet: a signature drawn on the phone (a small PNG),
 * a photo of the signed paper sheet through the evidence pipeline, or not (yet) given.
 */
const confirmationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('signature'),
    /** PNG, at most 200 KB once decoded. */
    pngBase64: z
      .string()
      .min(100)
      .max(280_000)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  }),
  z.strictObject({ kind: z.literal('photo'), photoId: photoIdSchema }),
  z.strictObject({ kind: z.literal('none') }),
]);

const measureSchema = z.strictObject({
  date: pastDateSchema,
  kind: z.enum(measureKinds),
  description: noteSchema,
  amountFen: yearlyFenSchema,
});

export const householdFileInputs = {
  getHouseholdFile: z.strictObject({
    householdId: docIdSchema,
    year: campaignYearSchema.optional(),
  }),

  /**
   * A home visit that walked the information sheet: the sheet as corrected, against the file's
   * revision the helper opened (a file changed since is refused, never overwritten), and the three
   * confirmations. Each difference becomes a recorded change.
   */
  recordSheetVisit: z.strictObject({
    requestId: requestIdSchema,
    householdId: docIdSchema,
    visitedOn: pastDateSchema,
    baseRevision: z.number().int().min(0),
    sheet: informationSheetSchema,
    confirmations: z.strictObject(
      Object.fromEntries(confirmationParties.map((party) => [party, confirmationSchema])) as Record<
        ConfirmationParty,
        typeof confirmationSchema
      >,
    ),
  }),

  /** The handbook's yearly parts the helper writes: the plan, the measures taken, the results. */
  saveHandbook: z.strictObject({
    requestId: requestIdSchema,
    householdId: docIdSchema,
    year: campaignYearSchema,
    baseRevision: z.number().int().min(0),
    plan: reasonSchema.or(z.literal('')),
    measures: z.array(measureSchema).max(100),
    results: reasonSchema.or(z.literal('')),
  }),

  getUnificationReport: z.strictObject({
    villageCode: villageCodeSchema,
    year: campaignYearSchema,
  }),

  exportUnificationReport: z.strictObject({
    villageCode: villageCodeSchema,
    year: campaignYearSchema,
    format: z.enum(['csv', 'xlsx']),
  }),

  /** The village marks corrections as entered into the national system (国扶办系统). */
  markCorrectionsEntered: z.strictObject({
    requestId: requestIdSchema,
    changeIds: z.array(docIdSchema).min(1).max(200),
  }),

  /** The township sets the contact cards' year (the year of the adjustment the cards follow). */
  setCardYear: z.strictObject({
    townshipCode: townshipCodeSchema,
    cardYear: campaignYearSchema,
  }),

  /** The card and the handbook handed to the household, and when. */
  recordDistribution: z.strictObject({
    requestId: requestIdSchema,
    householdId: docIdSchema,
    year: campaignYearSchema,
    cardOn: pastDateSchema.nullable(),
    handbookOn: pastDateSchema.nullable(),
  }),

  exportInformationSheet: z.strictObject({ householdId: docIdSchema, year: campaignYearSchema }),
  exportHandbook: z.strictObject({ householdId: docIdSchema, year: campaignYearSchema }),
  /** One household's card, or every household of a village with a card, two per A4 page. */
  exportContactCards: z.union([
    z.strictObject({ householdId: docIdSchema }),
    z.strictObject({ villageCode: villageCodeSchema }),
  ]),

  /** The township's footer and its 工作开展情况及建议 for the year's progress form. */
  saveProgressReport: z.strictObject({
    townshipCode: townshipCodeSchema,
    year: campaignYearSchema,
    filledOn: pastDateSchema,
    reviewer: personNameSchema,
    filler: personNameSchema,
    contact: z
      .string()
      .transform((raw) => raw.normalize('NFKC').replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^(0\d{9,11}|1[3-9]\d{9})$/, 'phone_format')),
    summary: reasonSchema,
  }),
} satisfies Record<string, z.ZodType>;

export type InformationSheetInput = z.input<typeof informationSheetSchema>;
export type RecordSheetVisitInput = z.input<(typeof householdFileInputs)['recordSheetVisit']>;

/** A member as staff see the file: the ID's last four, and health (the sheet needs it). */
export interface FileMemberRow extends FileMember {
  health: MemberHealth;
  age: number;
}

export interface MeasureRow {
  date: string;
  kind: MeasureKind;
  description: string;
  amountFen: number;
  /** A measure the platform recorded itself (a fulfilled need, a received gift), linked. */
  source: 'file' | 'need' | 'donation';
  link: string | null;
}

export interface ChangeRow {
  id: string;
  visitId: string;
  field: string;
  label: string;
  old: string;
  new: string;
  byName: string;
  at: string;
  /** Entered into the national system, and when; null while waiting. */
  enteredAt: string | null;
}

/** The household's file (six parts of seed 003), for one year. */
export interface HouseholdFile {
  householdId: string;
  villageCode: string;
  year: number;
  /** Bumped by every write: a visit or handbook save names the revision it started from. */
  revision: number;
  /** 家庭基本情况. */
  headName: string;
  idLast4: string;
  address: string;
  status: HouseholdStatus;
  outYear: number | null;
  members: FileMemberRow[];
  /** Whether a visit has filled the sheet yet (before: only the roster's counts are known). */
  sheetCollected: boolean;
  /** The sheet as last corrected, members' ID numbers given only as their last four. */
  living: Record<LivingCheck, boolean> | null;
  income: Record<IncomeSource, number> | null;
  perCapitaIncomeFen: number | null;
  /** 致贫原因. */
  causes: PovertyCause[];
  /** 帮扶责任人. */
  helper: { name: string; phone: string | null } | null;
  /** 帮扶计划, 帮扶措施, 帮扶成效 of the year. */
  plan: string;
  measures: MeasureRow[];
  results: string;
  /** Roster fields where the file differs (三统一). */
  differences: RosterDifference[];
  changes: ChangeRow[];
  visits: Array<{
    id: string;
    visitedOn: string;
    byName: string;
    changes: number;
    confirmations: Record<ConfirmationParty, 'signature' | 'photo' | 'none'>;
  }>;
  card: { colour: CardColour; cardYear: number | null };
  distribution: { cardOn: string | null; handbookOn: string | null };
}

/** One household of the 三统一 report (查漏补缺, seed 004). */
export interface UnificationRow {
  householdId: string;
  headName: string;
  helperName: string | null;
  differences: RosterDifference[];
  visited: boolean;
  /** Visits of the year without all three confirmations. */
  unconfirmedVisits: number;
  pendingChanges: ChangeRow[];
}

export interface UnificationReport {
  villageCode: string;
  year: number;
  households: number;
  rows: UnificationRow[];
  totals: {
    differing: number;
    notVisited: number;
    unconfirmed: number;
    pendingChanges: number;
  };
}

export interface HouseholdFileAnswers {
  getHouseholdFile: HouseholdFile;
  recordSheetVisit: {
    householdId: string;
    visitId: string;
    revision: number;
    changes: number;
    completed: boolean;
  };
  saveHandbook: { householdId: string; revision: number };
  getUnificationReport: UnificationReport;
  exportUnificationReport: ExportedTable;
  markCorrectionsEntered: { entered: number; alreadyEntered: number };
  setCardYear: { townshipCode: string; cardYear: number };
  recordDistribution: {
    householdId: string;
    year: number;
    cardOn: string | null;
    handbookOn: string | null;
  };
  exportInformationSheet: ExportedFile;
  exportHandbook: ExportedFile;
  exportContactCards: ExportedFile & { cards: number };
  saveProgressReport: { townshipCode: string; year: number };
}

/** What the printables of this area are drawn from (domain/printables). */
export interface ContactCardData {
  householdName: string;
  placeName: string;
  colour: Exclude<CardColour, null>;
  cardYear: number;
  helper: { name: string; phone: string | null } | null;
  villageCadre: { name: string; phone: string | null } | null;
  townshipOffice: { name: string; phone: string | null };
}

export interface ProgressFooter {
  filledOn: string;
  reviewer: string;
  filler: string;
  contact: string;
  summary: string;
}
