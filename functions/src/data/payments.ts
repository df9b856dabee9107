/**
 * The stored documents of online payments: `paymentReceipts/{providerTradeNo}`, one per payment
 * the provider has proven (a signed notification, or the order queried and found paid) that is
 * the receipt of a pledge, and `paymentExceptions/{providerTradeNo}` for a proven payment that is
 * not. Keyed by the provider's transaction id and
 * written with `create()`, so however often the provider delivers the notification there is one.
 */
import { z } from 'zod';
import { collections } from '../services/db';
import { timestampField, typedCollection } from './converter';

/** Who proves a payment: Alipay, or a village administrator recording a direct transfer. */
export const paymentProviders = ['alipay', 'transfer'] as const;
export type PaymentProvider = (typeof paymentProviders)[number];

/** A direct transfer's arrival as recorded (recordTransferArrival), on its receipt or exception. */
export const transferArrivalSchema = z.looseObject({
  arrivedOn: z.string(),
  referenceLast4: z.string(),
  evidencePhotoId: z.string(),
  householdConfirmed: z.boolean(),
  recordedBy: z.string(),
});
export type TransferArrival = z.output<typeof transferArrivalSchema>;

export const storedPaymentReceiptSchema = z.looseObject({
  provider: z.enum(paymentProviders),
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
  notificationId: z.string().optional(),
  /** How the payment was proven: its notification, or a query of the order (`seed`: demo data). */
  via: z.enum(['notification', 'query', 'record', 'seed']).optional(),
  /** The money donation it is the receipt of (the order number is the donation's id). */
  donationId: z.string().optional(),
  transfer: transferArrivalSchema.optional(),
});
export type StoredPaymentReceipt = z.output<typeof storedPaymentReceiptSchema>;

export const paymentReceipts = typedCollection(
  collections.paymentReceipts,
  storedPaymentReceiptSchema,
);

/** Why a proven payment is not the receipt of a pledge. */
export const paymentExceptionKinds = ['amount_mismatch', 'not_pledged', 'unknown_order'] as const;
export type PaymentExceptionKind = (typeof paymentExceptionKinds)[number];

export const storedPaymentExceptionSchema = z.looseObject({
  provider: z.enum(paymentProviders),
  kind: z.enum(paymentExceptionKinds),
  outTradeNo: z.string(),
  providerTradeNo: z.string(),
  amountFen: z.number().int().nonnegative(),
  /** The donation's amount and status when the payment came, if the order is a donation. */
  donationAmountFen: z.number().optional(),
  donationStatus: z.string().optional(),
  paidAt: timestampField,
  recordedAt: timestampField,
  via: z.enum(['notification', 'query', 'record']),
  /** The need's region, when the order is a known donation (reconciliation reads by region). */
  villageCode: z.string().optional(),
  townshipCode: z.string().optional(),
  countyCode: z.string().optional(),
  cityCode: z.string().optional(),
  provinceCode: z.string().optional(),
  donationId: z.string().optional(),
  /** A recorded transfer: what the village administrator entered from the passbook or SMS. */
  transfer: transferArrivalSchema.optional(),
  /** Set by ops once refunded or reconciled by hand. */
  resolvedAt: timestampField.optional(),
});
export type StoredPaymentException = z.output<typeof storedPaymentExceptionSchema>;

export const paymentExceptions = typedCollection(
  collections.paymentExceptions,
  storedPaymentExceptionSchema,
);
