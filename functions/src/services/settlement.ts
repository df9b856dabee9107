/**
 * Settling a need's donations without a transaction: every commit is conditional on the
 * documents it read being unchanged (`lastUpdateTime` preconditions), and a commit that loses a
 * race reads again and decides again.
 *
 * Money is incremental: each pending gift is decided once, against the need as it is now
 * (domain/funding.ts) — pledged and held, or declined — and the decision and the need's new
 * figures go in one batch, so `heldFen == Σ pledged` at every moment, a decided gift is never
 * revisited, and a gift costs a few reads whatever the number of gifts the need already has. The
 * money raised moves only when a pledge is received (services/payments/receive.ts). Goods are recomputed from every
 * pledge of the need (domain/goods.ts), under the same preconditions.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { donationDocs } from '../data/money';
import { needDocs, needOf, type NeedDocument } from '../data/needs';
import { canDonationMove, movedTo, pledgeHoldHours } from '../domain/donation';
import { refundGift, settleGifts, type NeedFunding } from '../domain/funding';
import { goodsProgressOf } from '../domain/goods';
import {
  canTransition,
  isNeedStatus,
  openStatuses,
  statusForCoverage,
} from '../domain/need/status';
import { logs } from '../logs';
import { db } from './db';
import { goodsDonationsOf, pledgesOf } from './goods';
import { retryOnConflict, unchanged } from './needs';

const millis = (time: { toMillis(): number } | undefined): number => time?.toMillis() ?? 0;

/** A batch holds at most 500 writes: the need and this many gifts per settlement run. */
const maxGiftsPerRun = 400;

/** Enough for hundreds of donors on one need at once; past it the trigger's own retry takes over. */
const settleAttempts = 40;

/** What a need says of its money, as the funding rules read it. */
export function fundingOf(need: NeedDocument): NeedFunding {
  return {
    status: need.status,
    targetFen: need.kind === 'money' ? need.amountFen : 0,
    raisedFen: need.raisedFen ?? 0,
    heldFen: need.heldFen ?? 0,
    // Kept by settlement alone, beside the fields the need's schema names.
    acceptedDonations: Number(need.acceptedDonations ?? 0),
  };
}

/** {@link fundingOf} for a need snapshot read without its converter (a staff action's). */
export function fundingOfNeed(snapshot: FirebaseFirestore.DocumentSnapshot): NeedFunding {
  const need = needOf(snapshot);
  return need
    ? fundingOf(need)
    : { status: 'deleted', targetFen: 0, raisedFen: 0, heldFen: 0, acceptedDonations: 0 };
}

/** The need fields that change with its funding, for a batch update. */
export function fundingPatch(before: NeedFunding, after: NeedFunding) {
  const patch: Record<string, unknown> = {
    raisedFen: after.raisedFen,
    heldFen: after.heldFen,
    acceptedDonations: after.acceptedDonations,
    updatedAt: FieldValue.serverTimestamp(),
  };
  if (after.status !== before.status) {
    patch.status = after.status;
    if (after.status === 'matched') patch.matchedAt = FieldValue.serverTimestamp();
    // Uncovered: the receipt a household confirmed no longer stands for the whole need.
    if (after.status === 'published') {
      patch.receipt = FieldValue.delete();
      patch.fulfilledAt = FieldValue.delete();
    }
  }
  return patch;
}

/**
 * Decides the pending money gifts of a need — `donationId`'s among them when given — in one
 * conditional batch. Returns without reading further when that gift is already decided (a
 * redelivery, or a run that lost to one deciding it).
 */
async function settleMoneyOnce(needId: string, donationId?: string): Promise<boolean> {
  const donations = donationDocs();
  if (donationId) {
    const own = (await donations.doc(donationId).get()).data();
    if (own?.status !== 'pending') return false;
  }
  const needRef = needDocs().doc(needId);
  const [need, pending] = await Promise.all([
    needRef.get(),
    donations
      .where('needId', '==', needId)
      .where('kind', '==', 'money')
      .where('status', '==', 'pending')
      .get(),
  ]);
  if (pending.empty) return false;
  const gifts = pending.docs
    .map((doc) => ({ doc, madeAt: millis(doc.data().madeAt) }))
    .sort((a, b) => a.madeAt - b.madeAt || (a.doc.id < b.doc.id ? -1 : 1))
    .slice(0, maxGiftsPerRun);
  const needData = need.data();
  const before: NeedFunding = needData
    ? fundingOf(needData)
    : { status: 'deleted', targetFen: 0, raisedFen: 0, heldFen: 0, acceptedDonations: 0 };
  const settled = settleGifts(
    before,
    gifts.map(({ doc, madeAt }) => ({
      id: doc.id,
      amountFen: Number(doc.data().amountFen),
      madeAt,
    })),
  );
  const batch = db().batch();
  let pledged = 0;
  const nowMs = Date.now();
  for (const { doc, madeAt } of gifts) {
    const decision = settled.decisions.get(doc.id);
    if (!decision) continue;
    if (decision.status === 'pledged') pledged++;
    batch.update(
      doc.ref,
      {
        status: movedTo('money', 'pending', decision.status, 'system'),
        ...(decision.status === 'declined'
          ? { reason: decision.reason }
          : { payBy: Timestamp.fromMillis((madeAt || nowMs) + pledgeHoldHours * 3_600_000) }),
        settledAt: FieldValue.serverTimestamp(),
      },
      unchanged(doc),
    );
  }
  // A decline leaves the need as it was, so only pledges need it unchanged since the read.
  if (pledged > 0) batch.update(needRef, fundingPatch(before, settled.need), unchanged(need));
  await batch.commit();
  logs.needFunded(needId, settled.need.raisedFen, settled.need.acceptedDonations, gifts.length);
  // More were waiting than one batch holds: go on until this gift (or every gift) is decided.
  return pending.size > gifts.length;
}

/** Settles a need's pending money gifts until none is left undecided by this run's reads. */
export async function settleMoney(needId: string, donationId?: string): Promise<void> {
  let more = true;
  while (more) {
    more = await retryOnConflict(() => settleMoneyOnce(needId, donationId), {
      attempts: settleAttempts,
      callable: false,
    });
  }
}

/**
 * Goods: recomputed from every pledge of the need. A need that is no longer open declines its
 * pending pledges (`need_closed`); it is matched when the kept pledges cover every item, and back
 * to published when a lapse or refund uncovers it.
 */
async function settleGoodsOnce(needId: string, nowMs: number): Promise<void> {
  const needRef = needDocs().doc(needId);
  const [need, pledges] = await Promise.all([needRef.get(), goodsDonationsOf(needId)]);
  const needData = need.data();
  if (needData?.kind !== 'goods') return;
  const status = needData.status;
  const open = (openStatuses as readonly string[]).includes(status);
  const progress = goodsProgressOf(
    needData.items,
    // A closed need takes no new pledge: its pending ones are declined below, not counted.
    pledgesOf(pledges.filter((doc) => open || doc.data().status !== 'pending')),
    nowMs,
  );
  const batch = db().batch();
  let writes = 0;
  let expired = 0;
  for (const doc of pledges) {
    const stored = doc.data().status;
    const closedOut = !open && stored === 'pending';
    const decision = closedOut ? 'declined' : progress.decisions.get(doc.id);
    if (!decision || stored === decision) continue;
    // A move the table does not list is left unwritten: a throw here would retry forever.
    if (!canDonationMove('goods', stored, decision, 'system')) continue;
    if (decision === 'expired') expired++;
    const reason = closedOut ? 'need_closed' : progress.declineReasons.get(doc.id);
    batch.update(
      doc.ref,
      { status: decision, ...(reason ? { reason } : {}), settledAt: FieldValue.serverTimestamp() },
      unchanged(doc),
    );
    writes++;
  }
  const itemProgress = progress.items.map(({ pledged, delivered }) => ({ pledged, delivered }));
  const needPatch: Record<string, unknown> = {};
  const covered = progress.fullyPledged;
  const next = isNeedStatus(status) ? statusForCoverage(status, covered) : status;
  if (next !== status) {
    needPatch.status = next;
    if (next === 'matched') needPatch.matchedAt = FieldValue.serverTimestamp();
    if (next === 'published') {
      needPatch.receipt = FieldValue.delete();
      needPatch.fulfilledAt = FieldValue.delete();
    }
  }
  if (JSON.stringify(needData.itemProgress ?? null) !== JSON.stringify(itemProgress))
    needPatch.itemProgress = itemProgress;
  if (Object.keys(needPatch).length > 0) {
    batch.update(
      needRef,
      { ...needPatch, updatedAt: FieldValue.serverTimestamp() },
      unchanged(need),
    );
    writes++;
  }
  if (writes > 0) {
    await batch.commit();
    logs.goodsSettled(needId, writes, expired);
  }
}

/**
 * Settles a need's donations of one kind: for money, every pending gift; for goods, every pledge.
 * A run that loses a race to another writer reads again (bounded), then leaves the event to the
 * trigger's retry.
 */
export async function settleNeed(needId: string, kind: 'money' | 'goods'): Promise<void> {
  if (kind === 'money') return settleMoney(needId);
  await retryOnConflict(() => settleGoodsOnce(needId, Date.now()), {
    attempts: settleAttempts,
    callable: false,
  });
}

async function refundAtProvider(
  donationId: string,
  donation: { amountFen?: number | undefined },
): Promise<{ refundedFen: number; providerTradeNo: string }> {
  const { paymentProvider, PaymentProviderError } = await import('./payments');
  const provider = await paymentProvider();
  try {
    const refunded = await provider.refund(donationId, Number(donation.amountFen), donationId);
    logs.paymentRefunded(provider.name, donationId, refunded.refundedFen, refunded.moneyMoved);
    return { refundedFen: refunded.refundedFen, providerTradeNo: refunded.providerTradeNo };
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error;
    throw new HttpsError('unavailable', '支付宝退款未成功，捐助未改动，请稍后重试', {
      provider: provider.name,
      code: error.code,
    });
  }
}

/**
 * Ops records a refund (the money returned to its donor, or the need found false) in `batch`,
 * conditional on the donation and the need being as read. A refunded money gift leaves the
 * need's figures at once — an uncovered need returns to published and takes new gifts, while
 * gifts declined earlier stay declined. A need found false is taken down (withdrawn) so nobody
 * gives to it again; its other gifts stay received until ops refunds each (its pledges lapse).
 */
export async function refundIn(
  batch: FirebaseFirestore.WriteBatch,
  donationId: string,
  reason: 'donation_refunded' | 'need_found_false',
  uid: string,
): Promise<{ donationId: string; status: 'refunded' }> {
  const ref = donationDocs().doc(donationId);
  const snapshot = await ref.get();
  const donation = snapshot.data();
  if (!donation) throw new HttpsError('not-found', '没有这笔捐助');
  const { status, kind } = donation;
  if (!canDonationMove(kind, status, 'refunded', 'ops')) {
    throw new HttpsError('failed-precondition', '这笔捐助不能退回', { status });
  }
  // Money paid through Alipay goes back through Alipay first: the refund request number is the
  // donation's id, so a retry of this refund moves no more money there. A direct transfer went
  // to the household's own account: its return is made by hand and only recorded here.
  const providerRefund =
    kind === 'money' && donation.payment && donation.payment.provider !== 'transfer'
      ? await refundAtProvider(donationId, donation)
      : undefined;
  batch.update(
    ref,
    {
      status: movedTo(kind, status, 'refunded', 'ops'),
      ...(providerRefund ? { providerRefund } : {}),
      refundReason: reason,
      refundedBy: uid,
      refundedAt: FieldValue.serverTimestamp(),
    },
    unchanged(snapshot),
  );
  const needRef = needDocs().doc(donation.needId);
  const need = await needRef.get();
  const needData = need.data();
  if (!needData) return { donationId, status: 'refunded' };
  const needStatus = needData.status;
  const patch: Record<string, unknown> = {};
  if (kind === 'money' && status === 'received') {
    const before = fundingOf(needData);
    Object.assign(patch, fundingPatch(before, refundGift(before, Number(donation.amountFen))));
  }
  if (
    reason === 'need_found_false' &&
    isNeedStatus(needStatus) &&
    canTransition(needStatus, 'withdrawn', 'ops')
  ) {
    Object.assign(patch, {
      status: 'withdrawn',
      withdrawnBy: uid,
      withdrawnReason: reason,
      updatedAt: FieldValue.serverTimestamp(),
    });
  }
  // Goods: the pledge's quantities go back through the settlement its write triggers.
  if (Object.keys(patch).length > 0) batch.update(needRef, patch, unchanged(need));
  return { donationId, status: 'refunded' };
}
