/**
 * The stored documents of online payments: `paymentReceipts/{providerTradeNo}`, one per payment
 * the provider has proven by a signed notification. Keyed by the provider's transaction id and
 * written with `create()`, so however often the provider delivers the notification there is one.
 */
import { z } from 'zod';
import { collections } from '../services/db';
import { timestampField, typedCollection } from './converter';

export const storedPaymentReceiptSchema = z.looseObject({
  provider: z.enum(['alipay']),
  /** Our order number, as given to the provider when the order was created. */
  outTradeNo: z.string(),
  /** The provider's transaction id: also the document id. */
  providerTradeNo: z.string(),
  amountFen: z.number().int().nonnegative(),
  /** When the donor paid, by the provider's clock. */
  paidAt: timestampField,
  /** When the notification was first accepted here. */
  receivedAt: timestampField,
  /** The provider's id of the notification first accepted, to find it in the provider's console. */
  notificationId: z.string(),
});
export type StoredPaymentReceipt = z.output<typeof storedPaymentReceiptSchema>;

export const paymentReceipts = typedCollection(
  collections.paymentReceipts,
  storedPaymentReceiptSchema,
);
