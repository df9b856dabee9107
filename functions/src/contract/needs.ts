/**
 * The contract of the callables about needs, their evidence photos, review and the public listing: each one's input schema (what the
 * functions validate) and answer type (what the web client receives).
 */
import { z } from 'zod';
import { searchTokenOf } from '../domain/discovery';
import type { DonationStatus, GiftColumns } from '../domain/donation';
import { regionCodeSchema } from '../domain/donor';
import { needCategories, type NeedCategory } from '../domain/need/categories';
import type { PublicNeedView } from '../domain/need/publicView';
import type { NeedReviewRecord } from '../domain/need/stored';
import { needStatuses, type NeedStatus } from '../domain/need/status';
import { reviewNeedInput, submitNeedInput, type GoodsItem } from '../domain/need/submission';
import {
  acceptedContentTypes,
  maxPhotosPerDraft,
  maxUploadBytes,
  type EvidencePhotoStatus,
} from '../domain/photos/plan';
import { docIdSchema, requestIdSchema } from '../domain/validation/common';
import type { ExportedFile } from './files';

const villageCodeSchema = z.string().regex(/^\d{12}$/);

/** A staff action on one need, idempotent on the client's request id. */
const needActionInput = z.strictObject({ requestId: requestIdSchema, needId: docIdSchema });

const maxBase64Length = Math.ceil(maxUploadBytes / 3) * 4;

export const needsInputs = {
  submitNeed: submitNeedInput,
  startNeedReview: needActionInput,
  reviewNeed: reviewNeedInput,
  withdrawNeed: needActionInput,
  closeNeed: needActionInput,
  confirmReceipt: z.strictObject({
    requestId: requestIdSchema,
    needId: docIdSchema,
    /** The day the household confirmed receipt, China time. */
    receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),

  listNeeds: z.strictObject({
    villageCode: villageCodeSchema.optional(),
    statuses: z.array(z.enum(needStatuses)).min(1).max(needStatuses.length).optional(),
    pageSize: z.number().int().min(1).max(100).default(30),
    /** The previous page's `next` (a need id, as older clients send, still works). */
    after: z
      .string()
      .regex(/^(\d{1,12}\.\d{1,9}\.)?[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  }),

  exportLedger: z.strictObject({
    villageCode: villageCodeSchema.optional(),
    format: z.enum(['csv', 'xlsx']),
  }),

  getPublicNeed: z.strictObject({ needId: docIdSchema }),

  listPublicNeeds: z.strictObject({
    /** A division code prefix (2, 4, 6, 9 or 12 digits): one equality on that level's field. */
    regionCode: regionCodeSchema.optional(),
    category: z.enum(needCategories).optional(),
    /** A masked name (张*华), a surname (张) or a village name (新街村, 新街): matched exactly. */
    search: z
      .string()
      .max(30)
      .transform(searchTokenOf)
      .pipe(z.string().min(1, 'search_empty'))
      .optional(),
    pageSize: z.number().int().min(1).max(50).default(20),
    after: docIdSchema.optional(),
  }),

  uploadEvidencePhoto: z.strictObject({
    photoId: z.uuid(),
    draftId: z.uuid(),
    contentType: z.enum(acceptedContentTypes),
    dataBase64: z
      .string()
      .min(4)
      .max(maxBase64Length)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/)
      .refine((value) => value.length % 4 === 0, { params: { code: 'base64_length' } }),
  }),

  getEvidencePhotoUrls: z.strictObject({
    photoIds: z.array(z.uuid()).min(1).max(maxPhotosPerDraft),
  }),

  listNeedDonations: z.strictObject({ needId: docIdSchema }),
} satisfies Record<string, z.ZodType>;

/** What the capture form sends (the seven elements, and the photos uploaded for the draft). */
export type SubmitNeedInput = z.input<typeof submitNeedInput>;

/** Where a staff action left the need. */
export interface NeedMove<S extends NeedStatus> {
  needId: string;
  status: S;
}

/** One need of the review queue: the last four of the ID and bank numbers, never more. */
export interface NeedRow {
  id: string;
  householdId: string;
  headName: string;
  idLast4: string;
  category: NeedCategory;
  categoryLabel: string;
  kind: 'money' | 'goods';
  amountFen: number | null;
  items: GoodsItem[] | null;
  bankLast4: string | null;
  bankLuhnOk: boolean | null;
  reason: string;
  /** A need status; a console typo stays as typed until re-validation marks the need invalid. */
  status: string;
  statusLabel: string;
  evidencePhotoIds: string[];
  review: NeedReviewRecord | null;
  /** Re-validation's `path:code` findings; empty when the need is valid. */
  problems: string[];
}

/** A goods line as donors see it: asked, pledged (held, shipped or delivered) and delivered. */
export type PublicNeedItem = NonNullable<PublicNeedView['items']>[number];

/** What a progress bar needs of a need. */
export type NeedProgress = Pick<
  PublicNeedView,
  'kind' | 'amountFen' | 'raisedFen' | 'heldFen' | 'remainingFen' | 'items'
>;

/** A published need as donors list it: the public view and when it was published (ms). */
export type PublicNeed = PublicNeedView & { publishedAt: number };

/** One need's page: the listing's fields and short-lived links to its processed photos. */
export type PublicNeedDetail = PublicNeed & {
  photos: Array<{ thumbUrl: string; displayUrl: string }>;
};

/** An evidence photo as staff see it: signed links once processed, the reason if quarantined. */
export type EvidencePhotoUrls =
  | {
      photoId: string;
      status: 'processed';
      displayUrl: string;
      thumbUrl: string;
      width: number;
      height: number;
    }
  | { photoId: string; status: 'uploaded' }
  | { photoId: string; status: 'quarantined'; reason: string };

export interface UploadedEvidencePhoto {
  photoId: string;
  status: EvidencePhotoStatus;
  /** Why a photo was quarantined (a `QuarantineReason`). */
  reason?: string;
}

/** A gift to one of the village's needs, as the cadres who receive it see it (never a phone). */
export type NeedDonation = GiftColumns & {
  id: string;
  /**
   * The stored status, or `expired` for a goods pledge past its time. Money: pledged (待到账),
   * received (已到账), lapsed (已失效), refunded (已退款), declined.
   */
  status: DonationStatus | 'expired';
  /** Until when a pledged money gift may be paid (ms); null otherwise. */
  payBy: number | null;
  /** Money: Alipay or a transfer to the household (a transfer's arrival is recorded here); null for goods. */
  method: 'alipay' | 'transfer' | null;
  handover: { recipientConfirmed: boolean; donorConfirmed: boolean };
  donorName: string;
  donorUnit: string;
  delivery: {
    method: 'express' | 'in_person';
    /** The courier's label (顺丰速运), empty for one no longer offered. */
    courier: string | null;
    trackingNumber: string | null;
  } | null;
  madeAt: number;
  expiresAt: number | null;
  photoUrl: string | null;
};

export interface NeedsAnswers {
  submitNeed: NeedMove<'submitted'>;
  startNeedReview: NeedMove<'under_review'>;
  reviewNeed: NeedMove<'published' | 'rejected'>;
  withdrawNeed: NeedMove<'withdrawn'>;
  confirmReceipt: NeedMove<'fulfilled'>;
  closeNeed: NeedMove<'closed'>;
  listNeeds: { villageCode: string; needs: NeedRow[]; next: string | null };
  exportLedger: ExportedFile & { entries: number };
  getPublicNeed: PublicNeedDetail;
  listPublicNeeds: { needs: PublicNeed[]; next: string | null };
  uploadEvidencePhoto: UploadedEvidencePhoto;
  getEvidencePhotoUrls: { photos: EvidencePhotoUrls[]; expiresInSeconds: number };
  listNeedDonations: { donations: NeedDonation[] };
}
