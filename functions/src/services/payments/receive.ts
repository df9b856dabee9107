/**
 * What a proven payment does (services/payments): the pledge whose order it pays moves
 * pledged → received, its hold on the need becomes money raised, and the receipt is written — in
 * ONE batch, conditional on the donation and the need being as read, with the receipt made by
 * `create()` under the provider's transaction id. However often the provider notifies, and
 * whether the notification or the reconciliation query comes first, one payment is one receipt
 * and one move. A payment that is not the receipt of a pledge (another amount, a pledge lapsed or
 * refunded, an order never opened here) moves nothing: it is recorded as an exception and
 * logged at ERROR for ops, who refund or reconcile it by hand.
 *
 * Also here: a pledge lapsing unpaid, which releases its hold.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { donationDocs } from '../../data/money';
import { needDocs } from '../../data/needs';
import {
  paymentExceptions,
  paymentReceipts,
  type PaymentExceptionKind,
  type PaymentProvider,
  type TransferArrival,
} from '../../data/payments';
import { movedTo } from '../../domain/donation';
import { lapseGift, receiveGift } from '../../domain/funding';
import { regionFieldsOf } from '../../domain/regions';
import { logs } from '../../logs';
import { db, isAlreadyExists } from '../db';
import { retryOnConflict, unchanged } from '../needs';
import { fundingOf, fundingPatch } from '../settlement';

/**
 * A payment the provider has proven: its signed notification, or its answer to a query; or a
 * direct transfer a village administrator recorded from the household's passbook (`transfer`,
 * via `record`, with what was entered).
 */
export interface ProvenPayment {
  provider: PaymentProvider;
  outTradeNo: string;
  providerTradeNo: string;
  amountFen: number;
  paidAt?: Date;
  via: 'notification' | 'query' | 'record';
  notificationId?: string;
  transfer?: TransferArrival;
}

export type PaymentOutcome =
  | { outcome: 'received'; donationId: string }
  | { outcome: 'repeated' }
  | { outcome: 'exception'; kind: PaymentExceptionKind };

/** Races with settlement or another delivery on the same need: enough for a donation drive. */
const receiveAttempts = 40;

async function receiveOnce(payment: ProvenPayment): Promise<PaymentOutcome> {
  const receiptRef = paymentReceipts().doc(payment.providerTradeNo);
  const exceptionRef = paymentExceptions().doc(payment.providerTradeNo);
  const donationRef = donationDocs().doc(payment.outTradeNo);
  const [receipt, exception, donationSnapshot] = await Promise.all([
    receiptRef.get(),
    exceptionRef.get(),
    donationRef.get(),
  ]);
  if (receipt.exists || exception.exists) return { outcome: 'repeated' };
  const paidAt = payment.paidAt ? Timestamp.fromDate(payment.paidAt) : FieldValue.serverTimestamp();
  const donation = donationSnapshot.data();
  // Two records of one transfer sent at once (two cadres, two clicks): the one that lost the
  // race finds the pledge received by the other, the same arrival, not money of its own.
  if (
    payment.provider === 'transfer' &&
    donation?.status === 'received' &&
    donation.payment?.provider === 'transfer'
  ) {
    return { outcome: 'repeated' };
  }
  const kind: PaymentExceptionKind | undefined =
    !donation || donation.kind !== 'money'
      ? 'unknown_order'
      : donation.status !== 'pledged'
        ? 'not_pledged'
        : Number(donation.amountFen) !== payment.amountFen
          ? 'amount_mismatch'
          : undefined;
  const batch = db().batch();
  if (kind || !donation) {
    batch.create(exceptionRef, {
      provider: payment.provider,
      kind: kind ?? 'unknown_order',
      outTradeNo: payment.outTradeNo,
      providerTradeNo: payment.providerTradeNo,
      amountFen: payment.amountFen,
      ...(donation
        ? {
            donationId: donationRef.id,
            donationAmountFen: Number(donation.amountFen),
            donationStatus: donation.status,
            // Reconciliation lists a region's exceptions by these.
            ...(donation.villageCode ? regionFieldsOf(donation.villageCode) : {}),
          }
        : {}),
      paidAt,
      recordedAt: FieldValue.serverTimestamp(),
      via: payment.via,
      ...(payment.transfer ? { transfer: payment.transfer } : {}),
    });
    await batch.commit();
    logs.paymentException(
      payment.provider,
      kind ?? 'unknown_order',
      payment.providerTradeNo,
      payment.outTradeNo,
      payment.amountFen,
    );
    return { outcome: 'exception', kind: kind ?? 'unknown_order' };
  }
  const needRef = needDocs().doc(donation.needId);
  const need = await needRef.get();
  const needData = need.data();
  batch.create(receiptRef, {
    provider: payment.provider,
    outTradeNo: payment.outTradeNo,
    providerTradeNo: payment.providerTradeNo,
    amountFen: payment.amountFen,
    paidAt,
    receivedAt: FieldValue.serverTimestamp(),
    ...(payment.notificationId ? { notificationId: payment.notificationId } : {}),
    via: payment.via,
    donationId: donationRef.id,
    ...(payment.transfer ? { transfer: payment.transfer } : {}),
  });
  batch.update(
    donationRef,
    {
      status: movedTo(
        'money',
        'pledged',
        'received',
        payment.provider === 'transfer' ? 'village_admin' : 'system',
      ),
      payment: {
        provider: payment.provider,
        providerTradeNo: payment.providerTradeNo,
        paidAt,
        via: payment.via,
      },
      receivedAt: FieldValue.serverTimestamp(),
    },
    unchanged(donationSnapshot),
  );
  if (needData) {
    const before = fundingOf(needData);
    batch.update(
      needRef,
      fundingPatch(before, receiveGift(before, payment.amountFen)),
      unchanged(need),
    );
  }
  await batch.commit();
  logs.paymentReceived(
    payment.provider,
    payment.providerTradeNo,
    payment.outTradeNo,
    payment.amountFen,
  );
  logs.donationReceived(donationRef.id, donation.needId, payment.amountFen, payment.via);
  return { outcome: 'received', donationId: donationRef.id };
}

/**
 * Takes a proven payment: the pledge received with its receipt, or an exception recorded, or
 * nothing when this payment was taken before (the provider's transaction id already has its
 * receipt or exception).
 */
export async function receivePayment(payment: ProvenPayment): Promise<PaymentOutcome> {
  try {
    return await retryOnConflict(() => receiveOnce(payment), {
      attempts: receiveAttempts,
      callable: false,
    });
  } catch (error) {
    // Another delivery of the same payment created the receipt or exception between our reads
    // and our commit.
    if (isAlreadyExists(error)) return { outcome: 'repeated' };
    throw error;
  }
}

async function lapseOnce(donationId: string, nowMs: number): Promise<boolean> {
  const ref = donationDocs().doc(donationId);
  const snapshot = await ref.get();
  const donation = snapshot.data();
  if (donation?.kind !== 'money' || donation.status !== 'pledged') return false;
  if ((donation.payBy?.toMillis() ?? 0) > nowMs) return false;
  const needRef = needDocs().doc(donation.needId);
  const need = await needRef.get();
  const needData = need.data();
  const batch = db().batch();
  batch.update(
    ref,
    {
      status: movedTo('money', 'pledged', 'lapsed', 'system'),
      lapsedAt: FieldValue.serverTimestamp(),
    },
    unchanged(snapshot),
  );
  if (needData) {
    const before = fundingOf(needData);
    batch.update(
      needRef,
      fundingPatch(before, lapseGift(before, Number(donation.amountFen))),
      unchanged(need),
    );
  }
  await batch.commit();
  logs.donationLapsed(donationId, donation.needId, Number(donation.amountFen));
  return true;
}

/**
 * Lapses a pledge past its pay-by time, releasing its hold for another donor; false when it is
 * no longer pledged (paid meanwhile) or not yet due.
 */
export function lapsePledge(donationId: string, nowMs = Date.now()): Promise<boolean> {
  return retryOnConflict(() => lapseOnce(donationId, nowMs), {
    attempts: receiveAttempts,
    callable: false,
  });
}
