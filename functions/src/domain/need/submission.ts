/**
 * The input schemas shared with the web client: the submission (the seven elements) and the
 * in-person review, each built with an injectable clock for the date checks.
 */
import { z } from 'zod';
import { bankAccountSchema } from '../validation/bank';
import {
  docIdSchema,
  pastDateSchemaAt,
  photoIdSchema,
  requestIdSchema,
} from '../validation/common';
import { chinaDateOf, idNumberSchemaAt } from '../validation/idNumber';
import { amountFenSchema } from '../validation/money';
import {
  addressSchema,
  itemNameSchema,
  noteSchema,
  personNameSchema,
  reasonSchema,
  unitSchema,
} from '../validation/text';
import { guarantees, needCategories, resolveGuarantee } from './categories';
import { rejectionReasons } from './rejection';

function custom(ctx: z.RefinementCtx, code: string, path: PropertyKey[]) {
  ctx.addIssue({ code: 'custom', message: code, params: { code }, path });
}

function unique<T>(ctx: z.RefinementCtx, values: T[], code: string, key: (v: T) => unknown) {
  const seen = new Set<unknown>();
  values.forEach((value, index) => {
    const k = key(value);
    if (seen.has(k)) custom(ctx, code, [index]);
    seen.add(k);
  });
}

/** One requested good: what, how many, in which unit (棉被 2 床). */
export const goodsItemSchema = z.strictObject({
  name: itemNameSchema,
  quantity: z.number().int().min(1).max(10_000),
  unit: unitSchema,
});
export type GoodsItem = z.output<typeof goodsItemSchema>;

export const maxGoodsItems = 20;
export const maxEvidencePhotos = 9;

export const goodsItemsSchema = z
  .array(goodsItemSchema)
  .min(1)
  .max(maxGoodsItems)
  .superRefine((items, ctx) => unique(ctx, items, 'items_duplicate', (item) => item.name));

export const evidencePhotoIdsSchema = z
  .array(photoIdSchema)
  .min(1)
  .max(maxEvidencePhotos)
  .superRefine((ids, ctx) => unique(ctx, ids, 'evidence_duplicate', (id) => id.toLowerCase()));

/** {@link submitNeedInput} with its own clock for the birth-date check (tests). */
export function submitNeedInputAt(now: () => Date) {
  const base = {
    requestId: requestIdSchema,
    householdId: docIdSchema,
    category: z.enum(needCategories),
    guarantee: z.enum(guarantees).optional(),
    headName: personNameSchema,
    idNumber: idNumberSchemaAt(now),
    address: addressSchema,
    reason: reasonSchema,
    evidencePhotoIds: evidencePhotoIdsSchema,
    adminName: personNameSchema,
  };
  return z
    .discriminatedUnion('kind', [
      // A money need must say where the money goes.
      z.strictObject({
        ...base,
        kind: z.literal('money'),
        amountFen: amountFenSchema,
        bankAccount: bankAccountSchema,
      }),
      // A goods need carries no bank account at all: collecting one would be personal data
      // with no purpose (PIPL minimisation), so the key is refused like any unknown key.
      z.strictObject({ ...base, kind: z.literal('goods'), items: goodsItemsSchema }),
    ])
    .superRefine((input, ctx) => {
      const resolved = resolveGuarantee(input.category, input.guarantee);
      if ('problem' in resolved) custom(ctx, resolved.problem, ['guarantee']);
    });
}

/** The need submission callable's input (unknown keys refused at every depth). */
export const submitNeedInput = submitNeedInputAt(() => new Date());
export type SubmitNeedInput = z.input<typeof submitNeedInput>;
export type SubmittedNeed = z.output<typeof submitNeedInput>;

/** {@link reviewNeedInput} with its own clock for the review date (tests). */
export function reviewNeedInputAt(now: () => Date) {
  const base = {
    requestId: requestIdSchema,
    needId: docIdSchema,
    /** The day of the home visit (入户审核), China time: not in the future. */
    reviewDate: pastDateSchemaAt(now),
    reviewerName: personNameSchema,
    note: noteSchema.optional(),
  };
  return z
    .discriminatedUnion('opinion', [
      z.strictObject({ ...base, opinion: z.literal('publish') }),
      z.strictObject({
        ...base,
        opinion: z.literal('reject'),
        reasonCodes: z
          .array(z.enum(rejectionReasons))
          .min(1)
          .max(rejectionReasons.length)
          .superRefine((codes, ctx) => unique(ctx, codes, 'reason_duplicate', (c) => c)),
      }),
    ])
    .superRefine((input, ctx) => {
      // "Other" says nothing by itself: the group writes the reason down.
      if (input.opinion === 'reject' && input.reasonCodes.includes('other') && !input.note) {
        custom(ctx, 'note_required', ['note']);
      }
    });
}

/** The in-person review (date, reviewer, opinion; reasons when rejecting). */
export const reviewNeedInput = reviewNeedInputAt(() => new Date());
export type ReviewNeedInput = z.input<typeof reviewNeedInput>;
export type NeedReview = z.output<typeof reviewNeedInput>;

/** A calendar date `YYYY-MM-DD` is not before a submission instant (compared in China time). */
export function reviewDateBeforeSubmission(reviewDate: string, submittedAt: Date): boolean {
  const submittedDay = chinaDateOf(submittedAt);
  return reviewDate < submittedDay;
}
