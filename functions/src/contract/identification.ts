/**
 * The contract of 建档立卡 identification (domain/identification.ts): applications, the survey,
 * the appraisal, the notices and their objections, the township's and county's reviews, quotas,
 * and the records exported for an inspection.
 */
import { z } from 'zod';
import { campaignYearSchema } from '../domain/homeVisits';
import { povertyCauses, type PovertyCause } from '../domain/household';
import {
  appraisalBodies,
  housingConditions,
  surveyAspects,
  type ApplicationKind,
  type ApplicationStatus,
  type AppraisalBody,
  type HousingCondition,
  type NoticeStage,
  type RoundKind,
  type RoundStage,
  type StepKind,
  type SurveyAspect,
} from '../domain/identification';
import {
  docIdSchema,
  pastDateSchema,
  photoIdSchema,
  requestIdSchema,
} from '../domain/validation/common';
import { idNumberSchema } from '../domain/validation/idNumber';
import {
  memberEducation,
  memberHealth,
  memberLabour,
  memberRelations,
} from '../domain/householdFile';
import { amountFenSchemaUpTo } from '../domain/validation/money';
import { noteSchema, personNameSchema, reasonSchema } from '../domain/validation/text';
import type { ExportedFile } from './files';

const roundIdSchema = z.string().regex(/^\d{12}_\d{4}_(entry|adjustment)$/);
/** A landline (0851-12345678) or a mobile number: the township office people call to object. */
const contactPhoneSchema = z
  .string()
  .transform((raw) => raw.normalize('NFKC').replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(0\d{9,11}|1[3-9]\d{9})$/, 'phone_format'));

export { memberEducation, memberHealth, memberLabour, memberRelations };

const memberSchema = z.strictObject({
  name: personNameSchema,
  idNumber: idNumberSchema,
  relation: z.enum(memberRelations),
  health: z.enum(memberHealth),
  education: z.enum(memberEducation),
  labour: z.enum(memberLabour),
});

const entryApplicationSchema = z.strictObject({
  requestId: requestIdSchema,
  kind: z.literal('entry'),
  year: campaignYearSchema,
  headName: personNameSchema,
  headIdNumber: idNumberSchema,
  /** Everyone else in the household (the head is the applicant). */
  members: z.array(memberSchema).max(19),
  /** The household's net income of the last year, all sources, in fen. */
  annualIncomeFen: amountFenSchemaUpTo(10_000_000_00).or(z.literal(0)),
  housing: z.enum(housingConditions),
  claimedCause: z.enum(povertyCauses),
  /** What the household says of its situation, in its words (no ID or phone numbers). */
  situation: reasonSchema,
  /** 五保户/三无户: referred to 五保供养 / 低保, not appraised for the roster. */
  wubao: z.boolean(),
  appliedOn: pastDateSchema,
});

const adjustmentApplicationSchema = z.strictObject({
  requestId: requestIdSchema,
  kind: z.enum(['exit', 'return']),
  year: campaignYearSchema,
  householdId: docIdSchema,
  /** Why the household exits (its income now, 两不愁三保障) or has returned to poverty. */
  situation: reasonSchema,
  appliedOn: pastDateSchema,
});

const decisionReasonsSchema = reasonSchema;

export const identificationInputs = {
  setIdentificationQuota: z.strictObject({
    /** A township (set by its county) or a village (set by its township). */
    regionCode: z.string().regex(/^(\d{9}|\d{12})$/),
    year: campaignYearSchema,
    quota: z.number().int().min(0).max(100_000),
  }),

  fileApplication: z.discriminatedUnion('kind', [
    entryApplicationSchema,
    adjustmentApplicationSchema,
  ]),

  recordSurvey: z.strictObject({
    requestId: requestIdSchema,
    applicationId: docIdSchema,
    visitedOn: pastDateSchema,
    /** 五比五看: for each aspect, whether what was found agrees with the application, and what. */
    findings: z.strictObject(
      Object.fromEntries(
        surveyAspects.map((aspect) => [
          aspect,
          z.strictObject({ agrees: z.boolean(), note: noteSchema }),
        ]),
      ) as Record<SurveyAspect, z.ZodObject<{ agrees: z.ZodBoolean; note: typeof noteSchema }>>,
    ),
    /** The working group's conclusion: eligible to be appraised, or not (the appraisal decides). */
    eligible: z.boolean(),
    /** Evidence photos uploaded for this survey (uploadEvidencePhoto with draftId = requestId). */
    photoIds: z.array(photoIdSchema).max(6).default([]),
  }),

  recordAppraisal: z.strictObject({
    requestId: requestIdSchema,
    roundId: roundIdSchema,
    heldOn: pastDateSchema,
    body: z.enum(appraisalBodies),
    /** The names of those present; their number is checked against the body's size. */
    present: z.array(personNameSchema).min(5).max(200),
    results: z
      .array(
        z.strictObject({
          applicationId: docIdSchema,
          votesFor: z.number().int().min(0).max(200),
          votesAgainst: z.number().int().min(0).max(200),
          rank: z.number().int().min(1).max(1000),
        }),
      )
      .min(1)
      .max(500),
  }),

  postNotice: z.strictObject({
    requestId: requestIdSchema,
    roundId: roundIdSchema,
    contactPhone: contactPhoneSchema,
  }),

  fileObjection: z.strictObject({
    requestId: requestIdSchema,
    noticeId: docIdSchema,
    applicationId: docIdSchema,
    text: reasonSchema,
  }),

  answerObjection: z.strictObject({
    requestId: requestIdSchema,
    objectionId: docIdSchema,
    decision: z.enum(['upheld', 'dismissed']),
    reasons: decisionReasonsSchema,
  }),

  submitList: z.strictObject({ requestId: requestIdSchema, roundId: roundIdSchema }),

  reviewList: z.discriminatedUnion('decision', [
    z.strictObject({
      requestId: requestIdSchema,
      roundId: roundIdSchema,
      decision: z.literal('approve'),
      reasons: decisionReasonsSchema.optional(),
    }),
    z.strictObject({
      requestId: requestIdSchema,
      roundId: roundIdSchema,
      decision: z.literal('return'),
      reasons: decisionReasonsSchema,
    }),
  ]),

  withdrawApplication: z.strictObject({
    requestId: requestIdSchema,
    applicationId: docIdSchema,
    reasons: decisionReasonsSchema,
  }),

  listIdentificationRounds: z.strictObject({
    /** A region within the caller's (default: the caller's own). */
    regionCode: z
      .string()
      .regex(/^\d{2,12}$/)
      .optional(),
    year: campaignYearSchema.optional(),
  }),

  getIdentificationRound: z.strictObject({ roundId: roundIdSchema }),

  getPublicNotice: z.strictObject({ noticeId: docIdSchema }),

  exportNoticePdf: z.strictObject({ noticeId: docIdSchema }),

  exportIdentificationFile: z.strictObject({
    applicationId: docIdSchema,
    format: z.enum(['xlsx', 'pdf']),
  }),
} satisfies Record<string, z.ZodType>;

export type FileApplicationInput = z.input<(typeof identificationInputs)['fileApplication']>;
export type MemberInput = z.input<typeof memberSchema>;

/** An application as staff of its region see it: the ID's last four, never more. */
export interface ApplicationRow {
  id: string;
  roundId: string;
  kind: ApplicationKind;
  status: ApplicationStatus;
  headName: string;
  idLast4: string;
  /** Household size, head included. */
  members: number;
  claimedCause: PovertyCause | null;
  housing: HousingCondition | null;
  annualIncomeFen: number | null;
  situation: string;
  appliedOn: string;
  /** For exits and returns: the roster household. For entries: the household created at 公告. */
  householdId: string | null;
  survey: {
    visitedOn: string;
    eligible: boolean;
    findings: Record<SurveyAspect, { agrees: boolean; note: string }>;
    photoIds: string[];
  } | null;
  appraisal: { votesFor: number; votesAgainst: number; rank: number; outcome: string } | null;
  /** Why it left the list or was not passed, when it did. */
  statusReason: string | null;
}

export interface NoticeRow {
  id: string;
  stage: NoticeStage;
  opensAt: string;
  /** ISO instant; null for the 公告, which has no window. */
  closesAt: string | null;
  entries: number;
}

export interface ObjectionRow {
  id: string;
  noticeId: string;
  stage: NoticeStage;
  applicationId: string;
  headName: string;
  text: string;
  status: 'open' | 'upheld' | 'dismissed';
  filedAt: string;
  reasons: string | null;
  /** Who may answer it (the village its first notice, the township its second). */
  answeredBy: 'village_admin' | 'township_admin';
}

export interface StepRow {
  kind: StepKind;
  applicationId: string | null;
  byRole: string;
  byName: string;
  at: string;
  decision: string | null;
  reasons: string | null;
}

export interface RoundSummary {
  id: string;
  villageCode: string;
  villageName: string;
  year: number;
  kind: RoundKind;
  stage: RoundStage;
  applications: number;
  listed: number;
  openObjections: number;
  /** The village's quota of new identifications for the year (null: not yet set). */
  quota: number | null;
  /** What the caller's role may do next, for the page to offer. */
  nextAction: string | null;
  updatedAt: string;
}

export interface RoundDetail {
  round: RoundSummary;
  applications: ApplicationRow[];
  notices: NoticeRow[];
  objections: ObjectionRow[];
  steps: StepRow[];
  returnReasons: string | null;
}

export interface PublicNotice {
  id: string;
  stage: NoticeStage;
  kind: RoundKind;
  year: number;
  villageName: string;
  /** 省 市 县 乡 村, for the heading. */
  placeName: string;
  opensAt: string;
  closesAt: string | null;
  open: boolean;
  contactPhone: string;
  entries: Array<{
    applicationId: string;
    /** Masked for the web (张*华); the printed notice on the village board names in full. */
    name: string;
    kind: ApplicationKind;
    members: number;
    cause: PovertyCause | null;
  }>;
}

export interface IdentificationAnswers {
  setIdentificationQuota: { regionCode: string; year: number; quota: number; allotted: number };
  fileApplication: { applicationId: string; roundId: string; status: ApplicationStatus };
  recordSurvey: { applicationId: string; status: ApplicationStatus };
  recordAppraisal: {
    roundId: string;
    stage: RoundStage;
    listed: number;
    notPassed: number;
    overQuota: number;
  };
  postNotice: { noticeId: string; stage: NoticeStage; closesAt: string };
  fileObjection: { objectionId: string; receipt: string };
  answerObjection: { objectionId: string; status: 'upheld' | 'dismissed' };
  submitList: { roundId: string; stage: RoundStage };
  reviewList: { roundId: string; stage: RoundStage; noticeId: string | null; enrolled: number };
  withdrawApplication: { applicationId: string; status: ApplicationStatus };
  listIdentificationRounds: { rounds: RoundSummary[] };
  getIdentificationRound: RoundDetail;
  getPublicNotice: PublicNotice;
  exportNoticePdf: ExportedFile;
  exportIdentificationFile: ExportedFile;
}

export type { AppraisalBody, SurveyAspect };

/** One household's whole identification record, as exported for an inspection (XLSX and PDF). */
export interface IdentificationFile {
  /** 省 市 县 乡 村. */
  placeName: string;
  round: RoundSummary;
  application: ApplicationRow;
  notices: NoticeRow[];
  objections: ObjectionRow[];
  steps: StepRow[];
  exportedAt: string;
}
