/**
 * The stored documents of the money area and their typed collections: `donors`, `donations`,
 * `certificates`, `certificateRevocations`. Reading through these gives the schema's type
 * (data/converter.ts); a document of another shape is logged and the read fails.
 */
import type { DocumentSnapshot, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { z } from 'zod';
import { donationKinds, donationMethods, donationStatuses } from '../domain/donation';
import { donorKinds } from '../domain/donor';
import { collections } from '../services/db';
import { DocumentConverter, timestampField, typedCollection } from './converter';

/** `donors/{uid}`: saveDonorProfile's profile; a donor who only follows regions has `follows` alone. */
export const storedDonorSchema = z.looseObject({
  kind: z.enum(donorKinds).optional(),
  name: z.string().optional(),
  unit: z.string().optional(),
  /** E.164, from the verified sign-in. */
  phone: z.string().optional(),
  follows: z.array(z.string()).optional(),
  newsSeenAt: timestampField.optional(),
  villageCode: z.string().optional(),
  townshipCode: z.string().optional(),
  countyCode: z.string().optional(),
  cityCode: z.string().optional(),
  provinceCode: z.string().optional(),
});
export type StoredDonor = z.output<typeof storedDonorSchema>;

const giftLineSchema = z.looseObject({
  itemIndex: z.number(),
  name: z.string(),
  quantity: z.number(),
  unit: z.string(),
});

const timestampOrNull = timestampField.optional();

/**
 * `donations/{id}`, money and goods alike: made by donate or pledgeGoods, decided by settlement,
 * moved on by the hand-over callables and refunds, marked with its certificate's serial. Fields
 * of the other kind are absent. Each field's type only: which moves are allowed is
 * domain/donation.ts's.
 */
export const storedDonationSchema = z.looseObject({
  needId: z.string(),
  donorUid: z.string(),
  kind: z.enum(donationKinds),
  status: z.enum(donationStatuses),
  /** Money. */
  amountFen: z.number().optional(),
  /** Goods: the lines of the need pledged, with their quantities. */
  items: z.array(giftLineSchema).optional(),
  delivery: z
    .looseObject({
      method: z.enum(['express', 'in_person']),
      courier: z.string().optional(),
      trackingNumber: z.string().optional(),
    })
    .optional(),
  /** A tracking number or a hand-over has arrived: the pledge no longer lapses. */
  tracking: z.boolean().optional(),
  expiresAt: timestampOrNull,
  donorName: z.string().optional(),
  donorUnit: z.string().optional(),
  maskedName: z.string().optional(),
  villageName: z.string().optional(),
  villageCode: z.string().optional(),
  townshipCode: z.string().optional(),
  madeAt: timestampOrNull,
  settledAt: timestampOrNull,
  /** Why settlement declined it. */
  reason: z.string().optional(),
  /** Money pledged: until when it may be paid before it lapses and its hold is released. */
  payBy: timestampOrNull,
  /** Money: how the donor pays (absent: alipay, as before transfers existed). */
  method: z.enum(donationMethods).optional(),
  /** When the donor first opened the provider's order (startPayment): the order may exist there. */
  paymentStartedAt: timestampOrNull,
  /** Money received: the provider's proof (a verified notification, or the order queried paid). */
  payment: z
    .looseObject({
      provider: z.enum(['alipay', 'transfer']),
      providerTradeNo: z.string(),
      paidAt: timestampOrNull,
      via: z.enum(['notification', 'query', 'record']),
    })
    .optional(),
  receivedAt: timestampOrNull,
  lapsedAt: timestampOrNull,
  /** A refund the provider carried out (money back to the donor's account). */
  providerRefund: z
    .looseObject({ refundedFen: z.number(), providerTradeNo: z.string() })
    .optional(),
  certificateSerial: z.string().optional(),
  refundReason: z.string().optional(),
  refundedBy: z.string().optional(),
  refundedAt: timestampOrNull,
  shippedAt: timestampOrNull,
  deliveredAt: timestampOrNull,
  handover: z
    .looseObject({
      receivedOn: z.string().optional(),
      recordedBy: z.string().optional(),
      recipientConfirmed: z.boolean().optional(),
      recipientConfirmedAt: timestampOrNull,
      donorConfirmed: z.boolean().optional(),
      donorConfirmedAt: timestampOrNull,
    })
    .optional(),
  photo: z.looseObject({ displayPath: z.string(), thumbPath: z.string() }).optional(),
});
export type StoredDonation = z.output<typeof storedDonationSchema>;

/**
 * `certificates/{serial}`. The signed parts (record, signature, revocation) are read as unknown:
 * verification judges them (domain/certificate/signing.ts), so that a record someone edited
 * reads as tampered, not as a failed read.
 */
export const storedCertificateSchema = z.looseObject({
  record: z.unknown(),
  signature: z.unknown(),
  revocation: z.unknown().optional(),
  revocationSignature: z.unknown().optional(),
  donorUid: z.string(),
  donationId: z.string(),
  pdfPath: z.string(),
  pngPath: z.string(),
  issuedAt: timestampOrNull,
});
export type StoredCertificate = z.output<typeof storedCertificateSchema>;

/** `certificateRevocations/{serial}`: a signed revocation, created once; judged by verification. */
export const storedCertificateRevocationSchema = z.looseObject({
  revocation: z.unknown(),
  signature: z.unknown(),
  donationId: z.string().optional(),
  createdAt: timestampOrNull,
});

export const donorDocs = typedCollection(collections.donors, storedDonorSchema);
export const donationDocs = typedCollection(collections.donations, storedDonationSchema);
export const certificateDocs = typedCollection(collections.certificates, storedCertificateSchema);
export const certificateRevocationDocs = typedCollection(
  collections.certificateRevocations,
  storedCertificateRevocationSchema,
);

const donationConverter = new DocumentConverter(collections.donations, storedDonationSchema);

/**
 * A donation a trigger was handed (its event's snapshot), or undefined when there is none: read
 * through the same schema as every other read.
 */
export function donationOf(snapshot: DocumentSnapshot | undefined): StoredDonation | undefined {
  return snapshot?.exists
    ? donationConverter.fromFirestore(snapshot as QueryDocumentSnapshot)
    : undefined;
}

/** Milliseconds since the epoch of a stored time, or null when it is absent. */
export const millisOrNull = (time: { toMillis(): number } | undefined): number | null =>
  time ? time.toMillis() : null;
