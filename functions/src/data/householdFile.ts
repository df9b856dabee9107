/**
 * The stored shapes of 一户一册一卡 (domain/householdFile.ts): the household's file and its private
 * part, the visits that walked its 《贫困户信息表》, each correction as a change, the township's
 * settings (card year, progress form footer) and the distribution of cards and handbooks. Written
 * by the functions only (the rules deny every client).
 */
import { z } from 'zod';
import { povertyCauses } from '../domain/household';
import {
  confirmationParties,
  incomeSources,
  livingChecks,
  measureKinds,
  memberEducation,
  memberHealth,
  memberLabour,
  memberRelations,
} from '../domain/householdFile';
import { collections } from '../services/db';
import { timestampField, typedCollection } from './converter';
import { regionFieldsShape } from './households';

const memberSchema = z.looseObject({
  name: z.string(),
  relation: z.enum(memberRelations),
  sex: z.enum(['male', 'female']),
  birthDate: z.string(),
  education: z.enum(memberEducation),
  labour: z.enum(memberLabour),
  idLast4: z.string(),
});

const handbookSchema = z.looseObject({
  plan: z.string(),
  results: z.string(),
  measures: z.array(
    z.looseObject({
      date: z.string(),
      kind: z.enum(measureKinds),
      description: z.string(),
      amountFen: z.number().int(),
    }),
  ),
});

/**
 * `householdFiles/{householdId}`: the file staff of the region see. The sheet's members are in
 * the order the last visit left them; their ID numbers and health are in the private document, in
 * the same order. `revision` moves with every write: a write names the revision it started from.
 */
export const storedHouseholdFileSchema = z.looseObject({
  ...regionFieldsShape,
  revision: z.number().int(),
  members: z.array(memberSchema),
  living: z.looseObject(
    Object.fromEntries(livingChecks.map((check) => [check, z.boolean()])) as Record<
      (typeof livingChecks)[number],
      z.ZodBoolean
    >,
  ),
  income: z.looseObject(
    Object.fromEntries(incomeSources.map((source) => [source, z.number().int()])) as Record<
      (typeof incomeSources)[number],
      z.ZodNumber
    >,
  ),
  causes: z.array(z.enum(povertyCauses)),
  /** Handbook parts by year ("2026"). */
  handbooks: z.record(z.string(), handbookSchema).default({}),
  updatedAt: timestampField.optional(),
  updatedBy: z.string().optional(),
});
export type StoredHouseholdFile = z.output<typeof storedHouseholdFileSchema>;

/** `householdFilesPrivate/{householdId}`: members' ID numbers and health, in the file's order. */
export const storedHouseholdFilePrivateSchema = z.looseObject({
  villageCode: z.string(),
  members: z.array(z.looseObject({ idNumber: z.string(), health: z.enum(memberHealth) })),
});

const confirmationStoredSchema = z.looseObject({
  kind: z.enum(['signature', 'photo', 'none']),
  /** The signature's object path, or the evidence photo's id. */
  ref: z.string().nullable(),
});

/** `sheetVisits/{id}`: one home visit that walked the sheet, and its three confirmations. */
export const storedSheetVisitSchema = z.looseObject({
  ...regionFieldsShape,
  householdId: z.string(),
  year: z.number().int(),
  visitedOn: z.string(),
  byUid: z.string(),
  byName: z.string(),
  changes: z.number().int(),
  confirmations: z.looseObject(
    Object.fromEntries(
      confirmationParties.map((party) => [party, confirmationStoredSchema]),
    ) as Record<(typeof confirmationParties)[number], typeof confirmationStoredSchema>,
  ),
  revision: z.number().int(),
  at: timestampField.optional(),
});
export type StoredSheetVisit = z.output<typeof storedSheetVisitSchema>;

/** `householdFileChanges/{id}`: one correction (field, old, new, who, when, which visit). */
export const storedFileChangeSchema = z.looseObject({
  ...regionFieldsShape,
  householdId: z.string(),
  visitId: z.string(),
  year: z.number().int(),
  field: z.string(),
  old: z.string(),
  new: z.string(),
  byUid: z.string(),
  byName: z.string(),
  at: timestampField.optional(),
  /** Entered into the national system (国扶办系统) by the village, and when; null while waiting. */
  entered: z.boolean(),
  enteredAt: timestampField.nullable(),
  enteredBy: z.string().nullable(),
});
export type StoredFileChange = z.output<typeof storedFileChangeSchema>;

/** `townshipSettings/{code}`: the contact cards' year, and each year's progress form footer. */
export const storedTownshipSettingsSchema = z.looseObject({
  cardYear: z.number().int().nullable().optional(),
  progressReports: z
    .record(
      z.string(),
      z.looseObject({
        filledOn: z.string(),
        reviewer: z.string(),
        filler: z.string(),
        contact: z.string(),
        summary: z.string(),
      }),
    )
    .optional(),
});

/** `distributions/{householdId}_{year}`: card and handbook handed over, and when. */
export const storedDistributionSchema = z.looseObject({
  ...regionFieldsShape,
  householdId: z.string(),
  year: z.number().int(),
  cardOn: z.string().nullable(),
  handbookOn: z.string().nullable(),
  recordedBy: z.string(),
  at: timestampField.optional(),
});

export const householdFileDocs = typedCollection(
  collections.householdFiles,
  storedHouseholdFileSchema,
);
export const householdFilePrivateDocs = typedCollection(
  collections.householdFilesPrivate,
  storedHouseholdFilePrivateSchema,
);
export const sheetVisitDocs = typedCollection(collections.sheetVisits, storedSheetVisitSchema);
export const fileChangeDocs = typedCollection(
  collections.householdFileChanges,
  storedFileChangeSchema,
);
export const townshipSettingsDocs = typedCollection(
  collections.townshipSettings,
  storedTownshipSettingsSchema,
);
export const distributionDocs = typedCollection(
  collections.distributions,
  storedDistributionSchema,
);
