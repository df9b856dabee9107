/**
 * The stored documents of the needs area and their typed collections: `needs`, `needsPrivate`,
 * `publicNeeds`, `evidencePhotos`, `evidencePhotoSeats`. Reading through these gives the schema's
 * type (data/converter.ts); a document of another shape is logged and the read fails.
 */
import { z } from 'zod';
import { needCategories } from '../domain/need/categories';
import type { PublicNeedView } from '../domain/need/publicView';
import { rejectionReasons } from '../domain/need/rejection';
import { storedNeedPrivateSchema } from '../domain/need/stored';
import { needStatuses } from '../domain/need/status';
import { evidencePhotoStatuses } from '../domain/photos/plan';
import { collections, db } from '../services/db';
import { DocumentConverter, timestampField, typedCollection } from './converter';

const goodsLineSchema = z.looseObject({
  name: z.string(),
  quantity: z.number(),
  unit: z.string(),
});

const needDocumentBase = {
  householdId: z.string(),
  villageCode: z.string(),
  townshipCode: z.string(),
  countyCode: z.string(),
  cityCode: z.string(),
  provinceCode: z.string(),
  category: z.enum(needCategories),
  guarantee: z.string(),
  headName: z.string(),
  idLast4: z.string(),
  address: z.string(),
  reason: z.string(),
  evidencePhotoIds: z.array(z.string()),
  adminName: z.string(),
  /** Text: an unknown status (a console typo) is a problem the re-validation marks, not a read error. */
  status: z.string(),
  review: z
    .looseObject({
      date: z.string(),
      reviewerName: z.string(),
      opinion: z.enum(['publish', 'reject']),
      reasonCodes: z.array(z.enum(rejectionReasons)).optional(),
      note: z.string().optional(),
    })
    .nullable()
    .optional(),
  problems: z.array(z.string()).optional(),
  submittedBy: z.string().optional(),
  submittedAt: timestampField.optional(),
  reviewedAt: timestampField.optional(),
  publishedAt: timestampField.optional(),
  /** Money received so far (settlement, receipts, refunds). */
  raisedFen: z.number().optional(),
  /** Money pledged and awaiting payment: held on the need until received or lapsed. */
  heldFen: z.number().optional(),
  /** The village's confirmation that the need reached the household (confirmReceipt). */
  receipt: z.looseObject({ receivedOn: z.string() }).optional(),
  /** Per goods line, how many are pledged and delivered (settlement). */
  itemProgress: z
    .array(z.looseObject({ pledged: z.number().optional(), delivered: z.number().optional() }))
    .optional(),
};

/**
 * `needs/{id}` as the code reads it: each field's type, not its content rules. A need may be
 * stored invalid (a console edit, an import) until onNeedWritten marks it `invalid` with its
 * problems, and the review queue and the lifecycle must still read it to show them and refuse its
 * moves; the content rules are domain/need/stored.ts's `storedNeedSchema`, which re-validation
 * applies to the raw document.
 */
export const needDocumentSchema = z.discriminatedUnion('kind', [
  z.looseObject({
    ...needDocumentBase,
    kind: z.literal('money'),
    amountFen: z.number(),
    bankLast4: z.string(),
    bankLuhnOk: z.boolean(),
  }),
  z.looseObject({ ...needDocumentBase, kind: z.literal('goods'), items: z.array(goodsLineSchema) }),
]);
export type NeedDocument = z.output<typeof needDocumentSchema>;

/** `needsPrivate/{id}`: the full ID and bank numbers, and the village for the audited reveal. */
export const needPrivateDocumentSchema = z.looseObject({
  ...storedNeedPrivateSchema.shape,
  villageCode: z.string().optional(),
});

const publicNeedViewSchema = z
  .object({
    id: z.string(),
    maskedName: z.string(),
    villageName: z.string(),
    category: z.enum(needCategories),
    categoryLabel: z.string(),
    guaranteeLabel: z.string(),
    reason: z.string(),
    kind: z.enum(['money', 'goods']),
    amountFen: z.number().nullable(),
    raisedFen: z.number(),
    /** Absent from projections written before pledges held money; read as nothing held. */
    heldFen: z.number().default(0),
    remainingFen: z.number().optional(),
    items: z
      .array(
        z.object({
          name: z.string(),
          quantity: z.number(),
          unit: z.string(),
          pledged: z.number(),
          delivered: z.number(),
        }),
      )
      .nullable(),
    evidencePhotoIds: z.array(z.string()),
    status: z.enum(needStatuses),
  })
  // An older projection lacks what remains: it is what the target leaves beside raised and held.
  .transform((view) => ({
    ...view,
    remainingFen:
      view.remainingFen ??
      (view.kind === 'money'
        ? Math.max(0, (view.amountFen ?? 0) - view.raisedFen - view.heldFen)
        : 0),
  })) satisfies z.ZodType<PublicNeedView>;

/**
 * `publicNeeds/{id}`, kept by onNeedWritten: the donor-facing `view` (the only part a callable
 * returns; unknown keys in it are dropped on read) and the fields the listing queries and orders by.
 */
export const publicNeedDocumentSchema = z.looseObject({
  view: publicNeedViewSchema,
  searchTokens: z.array(z.string()),
  rankAt: z.number(),
  provinceCode: z.string(),
  cityCode: z.string(),
  countyCode: z.string(),
  townshipCode: z.string(),
  villageCode: z.string(),
  category: z.enum(needCategories),
  status: z.enum(needStatuses),
  publishedAt: timestampField,
});
export type PublicNeedDocument = z.output<typeof publicNeedDocumentSchema>;

/**
 * `evidencePhotos/{photoId}`: created by uploadEvidencePhoto (`uploaded`), completed by
 * onEvidenceUploaded (`processed` with its outputs, or `quarantined` with a reason), tied to its
 * need by submitNeed.
 */
export const evidencePhotoDocumentSchema = z.looseObject({
  villageCode: z.string(),
  uploaderUid: z.string(),
  draftId: z.string().optional(),
  needId: z.string().optional(),
  status: z.enum(evidencePhotoStatuses),
  /** Why it was quarantined (a `QuarantineReason`). */
  reason: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  displayPath: z.string().optional(),
  thumbPath: z.string().optional(),
});
export type EvidencePhotoDocument = z.output<typeof evidencePhotoDocumentSchema>;

/** `evidencePhotoSeats/{uid}_{draftId}_{n}`: one `create()`-guarded seat per photo of a draft. */
export const evidencePhotoSeatDocumentSchema = z.looseObject({
  uploaderUid: z.string(),
  draftId: z.string(),
  photoId: z.string(),
});

const needConverter = new DocumentConverter(collections.needs, needDocumentSchema);
export const needDocs = () =>
  db().collection(collections.needs).withConverter<NeedDocument>(needConverter);

/**
 * A need snapshot read without the typed collection (in another area's transaction), read
 * through the same schema; undefined when the need does not exist.
 */
export function needOf(snapshot: FirebaseFirestore.DocumentSnapshot): NeedDocument | undefined {
  return snapshot.exists
    ? needConverter.fromFirestore(snapshot as FirebaseFirestore.QueryDocumentSnapshot)
    : undefined;
}
export const needPrivateDocs = typedCollection(collections.needsPrivate, needPrivateDocumentSchema);
export const publicNeedDocs = typedCollection(collections.publicNeeds, publicNeedDocumentSchema);
export const evidencePhotoDocs = typedCollection(
  collections.evidencePhotos,
  evidencePhotoDocumentSchema,
);
export const evidencePhotoSeatDocs = typedCollection(
  collections.evidencePhotoSeats,
  evidencePhotoSeatDocumentSchema,
);
