/**
 * The contract of the callables about donors, donations, goods pledges and certificates: each one's input schema (what the
 * functions validate) and answer type (what the web client receives).
 */
import { z } from 'zod';
import type { CertificateGift } from '../domain/certificate/record';
import { serialSchema, typedSerialSchema } from '../domain/certificate/record';
import { revocationReasons, type Revocation } from '../domain/certificate/signing';
import type { DonationStatus, GiftColumns } from '../domain/donation';
import { donationMethods, type DonationMethod } from '../domain/donation';
import { donorProfileInput, regionCodeSchema, type DonorKind } from '../domain/donor';
import {
  goodsPledgeInput,
  shipmentInput,
  villageReceivingInput,
  type CourierId,
} from '../domain/goods';
import type { PublicNeedView } from '../domain/need/publicView';
import type {
  Invariants,
  ReconciliationFigures,
  ReconciliationRow,
} from '../domain/reconciliation';
import { acceptedContentTypes, maxUploadBytes } from '../domain/photos/plan';
import { docIdSchema, pastDateSchema, requestIdSchema } from '../domain/validation/common';
import { amountFenSchema } from '../domain/validation/money';
import type { ExportedTable } from './files';

const maxPhotoBase64 = Math.ceil(maxUploadBytes / 3) * 4;

export const moneyInputs = {
  donate: z.strictObject({
    requestId: requestIdSchema,
    needId: docIdSchema,
    amountFen: amountFenSchema,
    /** How the donor will pay: Alipay online, or a bank transfer straight to the household. */
    method: z.enum(donationMethods).default('alipay'),
  }),
  listMyDonations: z.strictObject({}),
  /** Opens (or opens again) the Alipay order of the donor's own pledged money gift. */
  startPayment: z.strictObject({ donationId: docIdSchema }),
  /** The household's payee and account for the donor's own pledged transfer (audited). */
  getTransferAccount: z.strictObject({ donationId: docIdSchema }),
  /** The village administrator records a transfer's arrival from the passbook or bank SMS. */
  recordTransferArrival: z.strictObject({
    requestId: requestIdSchema,
    donationId: docIdSchema,
    arrivedOn: pastDateSchema,
    /** As the passbook or SMS shows it, not rounded to the pledge. */
    amountFen: amountFenSchema,
    /** The last four digits of the bank's reference (流水号). */
    referenceLast4: z.string().regex(/^\d{4}$/),
    /** A processed evidence photo (uploadEvidencePhoto) of the passbook or SMS. */
    evidencePhotoId: docIdSchema,
    /** The household confirmed the money arrived. */
    householdConfirmed: z.literal(true),
  }),

  listCouriers: z.strictObject({}),
  pledgeGoods: goodsPledgeInput,
  getGoodsAvailability: z.strictObject({ needId: docIdSchema }),
  recordShipment: shipmentInput,
  recordHandover: z.strictObject({
    requestId: requestIdSchema,
    donationId: docIdSchema,
    receivedOn: pastDateSchema,
    /** The household confirmed it received the goods. */
    recipientConfirmed: z.literal(true),
  }),
  confirmHandover: z.strictObject({ requestId: requestIdSchema, donationId: docIdSchema }),
  setVillageReceiving: villageReceivingInput,
  getVillageReceiving: z.strictObject({}),
  getGoodsContact: z.strictObject({ donationId: docIdSchema }),
  attachGoodsPhoto: z.strictObject({
    requestId: requestIdSchema,
    donationId: docIdSchema,
    contentType: z.enum(acceptedContentTypes),
    dataBase64: z
      .string()
      .min(4)
      .max(maxPhotoBase64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  }),

  verifyCertificate: z.strictObject({ serial: typedSerialSchema }),
  getCertificateFiles: z.strictObject({ serial: serialSchema }),
  refundDonation: z.strictObject({
    requestId: requestIdSchema,
    donationId: docIdSchema,
    reason: z.enum(revocationReasons),
  }),

  saveDonorProfile: donorProfileInput,
  getDonorProfile: z.strictObject({}),
  setFollow: z.strictObject({ regionCode: regionCodeSchema, follow: z.boolean() }),
  exportDonorRegistry: z.strictObject({
    /** A village, or a township or higher (their villages' donors together). */
    regionCode: regionCodeSchema,
    format: z.enum(['csv', 'xlsx']),
  }),
  /** A village's or a wider region's money: per village figures, exceptions, invariants. */
  getReconciliation: z.strictObject({ regionCode: regionCodeSchema }),
  exportReconciliation: z.strictObject({
    regionCode: regionCodeSchema,
    format: z.enum(['csv', 'xlsx']),
  }),
} satisfies Record<string, z.ZodType>;

export type { DonationStatus } from '../domain/donation';

/** Both sides of a goods hand-over, as the donation records them. */
export interface HandoverState {
  recipientConfirmed: boolean;
  donorConfirmed: boolean;
}

/** How a pledge's goods travel, as the donor sends it with the pledge. */
export type PledgeDelivery = z.input<typeof goodsPledgeInput>['delivery'];

/** One of the donor's own donations, as 我的捐助 lists it. */
export interface MyDonation extends GiftColumns {
  id: string;
  needId: string;
  /**
   * The stored status, or `expired` for a goods pledge past its time. Money: pending (已提交),
   * pledged (待支付), received (已到账), declined, lapsed (已失效), refunded (已退款).
   */
  status: DonationStatus;
  madeAt: number;
  /** Until when a pledged money gift may be paid (ms); null otherwise. */
  payBy: number | null;
  /** Money: how the donor pays (Alipay, or a transfer to the household); null for goods. */
  method: DonationMethod | null;
  /** Until when a goods pledge holds its quantities without a tracking number or hand-over. */
  expiresAt: number | null;
  delivery: 'express' | 'in_person' | null;
  /** Goods only. */
  handover: HandoverState | null;
  maskedName: string;
  villageName: string;
  certificateSerial: string | null;
}

/** A courier a donor may name, as the pledge form lists it. */
export interface Courier {
  id: CourierId;
  label: string;
  /** What the form tells a donor whose number is refused. */
  hint: string;
}

/** The village office's receiving address and contact. */
export interface VillageReceiving {
  address: string;
  contactName: string;
  phone: string;
}

/**
 * Whom to send to or meet for one live goods pledge: the donor gets the village office's
 * receiving address; a cadre gets the donor's name and phone (face to face only).
 */
export interface GoodsContact {
  method: 'express' | 'in_person';
  villageName: string | null;
  receiving: VillageReceiving | null;
  donor: { name: string; phone: string } | null;
}

/** What an anonymous verifier is told of a certificate: what the paper says, nothing more. */
export interface ShownCertificate {
  serial: string;
  donorName: string;
  donorUnit?: string;
  householdMasked: string;
  villageName: string;
  gift: CertificateGift;
  issuedAt: string;
}

/** The verification page's answer; a tampered record shows nothing of itself. */
export type CertificateVerdict =
  | { status: 'tampered' }
  | { status: 'genuine'; record: ShownCertificate; previewUrl: string }
  | { status: 'revoked'; record: ShownCertificate; revocation: Revocation; previewUrl: string };

export type CertificateVerdictStatus = CertificateVerdict['status'];

/** The donor's profile as the donor sees it (the phone masked, from the verified sign-in). */
export interface DonorProfile {
  kind: DonorKind;
  name: string;
  unit: string | null;
  phoneMasked: string;
  villageCode: string | null;
}

/** A region the donor follows (爱心关注). */
export interface FollowedRegion {
  code: string;
  name: string;
}

/** A need newly published in a followed region. */
export type FollowedNews = PublicNeedView & { publishedAt: number; isNew: boolean };

export interface MoneyAnswers {
  donate: { donationId: string; needId: string; amountFen: number; status: 'pending' };
  listMyDonations: { donations: MyDonation[] };
  /**
   * The provider's cashier page for the pledge (outTradeNo = donationId: the same order again
   * on every call), and until when it may be paid (ms).
   */
  startPayment: { donationId: string; payUrl: string; payBy: number };
  /** Whom to transfer to: the household head's full name and account, the amount, the deadline (ms). */
  getTransferAccount: {
    donationId: string;
    payeeName: string;
    bankAccount: string;
    amountFen: number;
    payBy: number;
  };
  /**
   * `received`: the pledge is 已到账; `repeated`: this arrival was recorded before; `exception`:
   * recorded but not taken as the pledge's money (`amount_mismatch`: another amount arrived;
   * `not_pledged`: the pledge had lapsed or was paid otherwise).
   */
  recordTransferArrival: {
    donationId: string;
    outcome: 'received' | 'repeated' | 'exception';
    kind?: 'amount_mismatch' | 'not_pledged';
  };

  listCouriers: { couriers: Courier[] };
  pledgeGoods: { donationId: string; needId: string; status: 'pending'; expiresAt: number };
  /** Counts only, per item of the need, in the need's order. */
  getGoodsAvailability: { items: Array<{ pledged: number; delivered: number }> };
  recordShipment: { donationId: string; status: 'shipped' };
  recordHandover: {
    donationId: string;
    status: 'shipped' | 'delivered';
    awaiting: 'donor' | null;
  };
  confirmHandover: {
    donationId: string;
    /** Delivered, or held or shipped while the household's side is awaited; as stored otherwise. */
    status: DonationStatus;
    awaiting: 'recipient' | null;
  };
  setVillageReceiving: { villageCode: string; saved: true };
  getVillageReceiving: VillageReceiving;
  getGoodsContact: GoodsContact;
  attachGoodsPhoto: { donationId: string; photo: true };

  verifyCertificate: CertificateVerdict;
  getCertificateFiles: { pdfUrl: string; pngUrl: string };
  refundDonation: { donationId: string; status: 'refunded' };

  saveDonorProfile: { profile: DonorProfile | null };
  getDonorProfile: {
    profile: DonorProfile | null;
    follows: FollowedRegion[];
    news: FollowedNews[];
  };
  setFollow: { follows: FollowedRegion[] };
  exportDonorRegistry: ExportedTable;
  getReconciliation: RegionReconciliation;
  exportReconciliation: ExportedTable;
}

/** A proven payment that is not the receipt of a pledge, as reconciliation lists it. */
export interface ReconciliationException {
  providerTradeNo: string;
  provider: string;
  kind: string;
  amountFen: number;
  /** The order's donation (null: an order never opened here), its amount and status then. */
  donationId: string | null;
  donationAmountFen: number | null;
  donationStatus: string | null;
  villageCode: string | null;
  recordedAt: number;
  resolved: boolean;
}

/** getReconciliation's answer: per village rows (with names) and the region's total. */
export interface RegionReconciliation {
  regionCode: string;
  regionName: string;
  rows: Array<ReconciliationRow & { villageName: string }>;
  total: ReconciliationFigures;
  exceptions: ReconciliationException[];
  invariants: Invariants;
}
