/** The stored need documents (`needs/{id}`, `needsPrivate/{id}`) and how a submission makes them. */
import { z } from 'zod';
import { docIdSchema, pastDateSchemaAt } from '../validation/common';
import { amountFenSchema } from '../validation/money';
import { addressSchema, noteSchema, personNameSchema, reasonSchema } from '../validation/text';
import { guarantees, needCategories, resolveGuarantee } from './categories';
import { rejectionReasons } from './rejection';
import { needStatuses } from './status';
import { evidencePhotoIdsSchema, goodsItemsSchema, type SubmittedNeed } from './submission';

/**
 * `needs/{id}`, readable by staff of the need's region through callables: the last four of the
 * ID and bank number only. The full values live in `needsPrivate/{id}`
 * ({@link storedNeedPrivateSchema}). Loose, because server-managed fields (timestamps, uids)
 * may be added by the functions; the known ones are checked.
 */
const storedNeedBase = {
  householdId: docIdSchema,
  villageCode: z.string().regex(/^\d{12}$/),
  townshipCode: z.string().regex(/^\d{9}$/),
  countyCode: z.string().regex(/^\d{6}$/),
  cityCode: z.string().regex(/^\d{4}$/),
  provinceCode: z.string().regex(/^\d{2}$/),
  category: z.enum(needCategories),
  guarantee: z.enum(guarantees),
  headName: personNameSchema,
  idLast4: z.string().regex(/^\d{3}[\dX]$/),
  address: addressSchema,
  reason: reasonSchema,
  evidencePhotoIds: evidencePhotoIdsSchema,
  adminName: personNameSchema,
  status: z.enum(needStatuses),
  review: z
    .object({
      date: pastDateSchemaAt(() => new Date()),
      reviewerName: personNameSchema,
      opinion: z.enum(['publish', 'reject']),
      reasonCodes: z.array(z.enum(rejectionReasons)).optional(),
      note: noteSchema.optional(),
    })
    .nullable(),
  problems: z.array(z.string()).optional(),
};

/** The in-person review as reviewNeed stores it on the need. */
export type NeedReviewRecord = NonNullable<z.output<typeof storedNeedBase.review>>;

export const storedNeedSchema = z.discriminatedUnion('kind', [
  z.looseObject({
    ...storedNeedBase,
    kind: z.literal('money'),
    amountFen: amountFenSchema,
    bankLast4: z.string().regex(/^\d{4}$/),
    bankLuhnOk: z.boolean(),
  }),
  z.looseObject({
    ...storedNeedBase,
    kind: z.literal('goods'),
    items: goodsItemsSchema,
  }),
]);
export type StoredNeed = z.output<typeof storedNeedSchema>;

/**
 * `needsPrivate/{id}`: no client reads it; revealed only through the audited callable, which
 * reads `idNumber` and `bankAccount` as strings (the Luhn flag is on the staff document).
 */
export const storedNeedPrivateSchema = z.strictObject({
  idNumber: z.string().regex(/^\d{17}[\dX]$/),
  bankAccount: z
    .string()
    .regex(/^\d{12,19}$/)
    .nullable(),
});

/** The two documents a submission writes, from a validated input (the caller adds ids, uids, times). */
export function needDocumentsOf(
  input: SubmittedNeed,
  regionFields: Pick<
    StoredNeed,
    'villageCode' | 'townshipCode' | 'countyCode' | 'cityCode' | 'provinceCode'
  >,
): { need: StoredNeed; needPrivate: z.output<typeof storedNeedPrivateSchema> } {
  const resolved = resolveGuarantee(input.category, input.guarantee);
  if ('problem' in resolved) throw new Error('needDocumentsOf needs a validated input');
  const common = {
    householdId: input.householdId,
    ...regionFields,
    category: input.category,
    guarantee: resolved.guarantee,
    headName: input.headName,
    idLast4: input.idNumber.slice(-4),
    address: input.address,
    reason: input.reason,
    evidencePhotoIds: input.evidencePhotoIds,
    adminName: input.adminName,
    status: 'submitted' as const,
    review: null,
    problems: [],
  };
  if (input.kind === 'money') {
    return {
      need: {
        ...common,
        kind: 'money',
        amountFen: input.amountFen,
        bankLast4: input.bankAccount.number.slice(-4),
        bankLuhnOk: input.bankAccount.luhnOk,
      },
      needPrivate: { idNumber: input.idNumber, bankAccount: input.bankAccount.number },
    };
  }
  return {
    need: { ...common, kind: 'goods', items: input.items },
    needPrivate: { idNumber: input.idNumber, bankAccount: null },
  };
}
