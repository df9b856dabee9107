/**
 * The stored shapes of 建档立卡 identification (domain/identification.ts). Only the functions
 * write them (the rules deny every client), and the record is append-only: a round's and an
 * application's current state move along the domain's tables, and every move is also a step
 * (`identificationSteps`), created once and never updated.
 */
import { z } from 'zod';
import {
  applicationKinds,
  applicationStatuses,
  housingConditions,
  noticeStages,
  roundKinds,
  roundStages,
  stepKinds,
  surveyAspects,
} from '../domain/identification';
import { povertyCauses } from '../domain/household';
import {
  memberEducation,
  memberHealth,
  memberLabour,
  memberRelations,
} from '../domain/householdFile';
import { collections } from '../services/db';
import { timestampField, typedCollection } from './converter';
import { regionFieldsShape } from './households';

/** `identificationRounds/{villageCode}_{year}_{kind}`. */
export const storedRoundSchema = z.looseObject({
  ...regionFieldsShape,
  year: z.number().int(),
  kind: z.enum(roundKinds),
  stage: z.enum(roundStages),
  /** Why the township or county last returned the list (cleared by nothing: superseded by steps). */
  returnReasons: z.string().nullable(),
  returnedBy: z.enum(['township_admin', 'county_admin']).nullable(),
  /** The notice now up (or last up), if any. */
  noticeId: z.string().nullable(),
  createdAt: timestampField.optional(),
  updatedAt: timestampField.optional(),
});
export type StoredRound = z.output<typeof storedRoundSchema>;

const findingSchema = z.looseObject({ agrees: z.boolean(), note: z.string() });

/** `identificationApplications/{id}`: what staff of the region see (ID numbers are private). */
export const storedApplicationSchema = z.looseObject({
  ...regionFieldsShape,
  roundId: z.string(),
  year: z.number().int(),
  kind: z.enum(applicationKinds),
  status: z.enum(applicationStatuses),
  statusReason: z.string().nullable(),
  headName: z.string(),
  idLast4: z.string(),
  members: z.number().int(),
  claimedCause: z.enum(povertyCauses).nullable(),
  housing: z.enum(housingConditions).nullable(),
  annualIncomeFen: z.number().int().nullable(),
  situation: z.string(),
  appliedOn: z.string(),
  householdId: z.string().nullable(),
  survey: z
    .looseObject({
      visitedOn: z.string(),
      eligible: z.boolean(),
      findings: z.looseObject(
        Object.fromEntries(surveyAspects.map((aspect) => [aspect, findingSchema])) as Record<
          (typeof surveyAspects)[number],
          typeof findingSchema
        >,
      ),
      photoIds: z.array(z.string()),
      by: z.string(),
    })
    .nullable(),
  appraisal: z
    .looseObject({
      votesFor: z.number().int(),
      votesAgainst: z.number().int(),
      rank: z.number().int(),
      outcome: z.enum(['listed', 'not_passed', 'over_quota']),
    })
    .nullable(),
  filedBy: z.string(),
  filedAt: timestampField.optional(),
  updatedAt: timestampField.optional(),
});
export type StoredApplication = z.output<typeof storedApplicationSchema>;

/**
 * `identificationApplicationsPrivate/{id}`: the ID numbers (the head's and the members'), and the
 * members' details. `open` is false once the application is settled (not passed, referred,
 * removed, enrolled), when its ID claims are released.
 */
export const storedApplicationPrivateSchema = z.looseObject({
  villageCode: z.string(),
  headIdNumber: z.string(),
  idNumbers: z.array(z.string()),
  open: z.boolean(),
  memberDetails: z.array(
    z.looseObject({
      name: z.string(),
      idNumber: z.string(),
      relation: z.enum(memberRelations),
      health: z.enum(memberHealth),
      education: z.enum(memberEducation),
      labour: z.enum(memberLabour),
    }),
  ),
  wubao: z.boolean(),
});

/** `identificationNotices/{roundId}_{stage}_{n}`: a list as it was posted, kept as posted. */
export const storedNoticeSchema = z.looseObject({
  ...regionFieldsShape,
  roundId: z.string(),
  year: z.number().int(),
  kind: z.enum(roundKinds),
  stage: z.enum(noticeStages),
  opensAt: timestampField,
  closesAt: timestampField.nullable(),
  contactPhone: z.string(),
  /** Full names: the printed board names households; the public page masks them when it answers. */
  entries: z.array(
    z.looseObject({
      applicationId: z.string(),
      name: z.string(),
      kind: z.enum(applicationKinds),
      members: z.number().int(),
      cause: z.enum(povertyCauses).nullable(),
    }),
  ),
  postedBy: z.string(),
});
export type StoredNotice = z.output<typeof storedNoticeSchema>;

/** `identificationObjections/{id}`: the objector's phone is kept for the answer, never shown. */
export const storedObjectionSchema = z.looseObject({
  ...regionFieldsShape,
  roundId: z.string(),
  noticeId: z.string(),
  stage: z.enum(['first', 'second']),
  applicationId: z.string(),
  text: z.string(),
  phone: z.string(),
  objectorUid: z.string(),
  status: z.enum(['open', 'upheld', 'dismissed']),
  reasons: z.string().nullable(),
  answeredBy: z.string().nullable(),
  filedAt: timestampField.optional(),
  answeredAt: timestampField.nullable().optional(),
});
export type StoredObjection = z.output<typeof storedObjectionSchema>;

/** `identificationSteps/{auto}`: one step of the record, created once. */
export const storedStepSchema = z.looseObject({
  ...regionFieldsShape,
  roundId: z.string(),
  applicationId: z.string().nullable(),
  kind: z.enum(stepKinds),
  byUid: z.string(),
  byRole: z.string(),
  byName: z.string(),
  decision: z.string().nullable(),
  reasons: z.string().nullable(),
  /** What the step recorded beyond its decision (the meeting, votes, a notice id). */
  detail: z.record(z.string(), z.unknown()).nullable(),
  at: timestampField,
});
export type StoredStep = z.output<typeof storedStepSchema>;

/** `identificationQuotas/{regionCode}_{year}`: new identifications a township or village may list. */
export const storedQuotaSchema = z.looseObject({
  regionCode: z.string(),
  year: z.number().int(),
  quota: z.number().int(),
  /** Households of this quota enrolled at an announcement (villages only). */
  enrolled: z.number().int().default(0),
  setBy: z.string(),
  setAt: timestampField.optional(),
});

/**
 * `identificationIdClaims/{sha256 of the number}`: an ID number held by an open application,
 * created with `create()` with it and deleted when it settles.
 */
export const storedIdClaimSchema = z.looseObject({
  applicationId: z.string(),
  villageCode: z.string(),
});

export const idClaimDocs = typedCollection(collections.identificationIdClaims, storedIdClaimSchema);
export const roundDocs = typedCollection(collections.identificationRounds, storedRoundSchema);
export const applicationDocs = typedCollection(
  collections.identificationApplications,
  storedApplicationSchema,
);
export const applicationPrivateDocs = typedCollection(
  collections.identificationApplicationsPrivate,
  storedApplicationPrivateSchema,
);
export const noticeDocs = typedCollection(collections.identificationNotices, storedNoticeSchema);
export const objectionDocs = typedCollection(
  collections.identificationObjections,
  storedObjectionSchema,
);
export const stepDocs = typedCollection(collections.identificationSteps, storedStepSchema);
export const quotaDocs = typedCollection(collections.identificationQuotas, storedQuotaSchema);
