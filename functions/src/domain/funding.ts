/**
 * How a money need decides the gifts waiting for it (pending donations), and what a pledge's
 * payment, lapse or refund does to its figures. Each pending gift is decided once, against the
 * need as it is now: it is pledged while it fits in what the need lacks beside what other pledges
 * already hold (`targetFen − raisedFen − heldFen`), and its amount is then held on the need, so
 * donors cannot over-fund it; declined otherwise. A decision is final. Only money received
 * counts in `raisedFen` and makes the need matched. The caller commits the moves and the need's
 * new figures in one batch, conditional on the need and every gift being as read, so
 * `raisedFen == Σ received` and `heldFen == Σ pledged` at every moment, not only at rest.
 */
import { isNeedStatus, openStatuses, statusForCoverage, type NeedStatus } from './need/status';

export interface PendingGift {
  id: string;
  amountFen: number;
  /** Milliseconds since the epoch when it was made. */
  madeAt: number;
}

export interface NeedFunding {
  status: string;
  targetFen: number;
  /** Money received. */
  raisedFen: number;
  /** Money pledged, awaiting payment. */
  heldFen: number;
  /** How many gifts were received (the stored field keeps its older name). */
  acceptedDonations: number;
}

/** Why a gift was declined: the need was not open (withdrawn, taken down…) or is covered. */
export type DeclineReason = 'need_closed' | 'need_covered';

export type GiftDecision = { status: 'pledged' } | { status: 'declined'; reason: DeclineReason };

export interface Settled {
  decisions: Map<string, GiftDecision>;
  /** The need's figures after the decisions. */
  need: NeedFunding;
}

const asCount = (value: number) => (Number.isSafeInteger(value) && value > 0 ? value : 0);

/** Whether a money need's received gifts reach its target (对接). */
export const moneyCovered = (need: Pick<NeedFunding, 'targetFen' | 'raisedFen'>): boolean =>
  need.targetFen > 0 && need.raisedFen >= need.targetFen;

/** What a new pledge may still take: the target less what arrived and what is held. */
export const openFen = (need: Pick<NeedFunding, 'targetFen' | 'raisedFen' | 'heldFen'>): number =>
  Math.max(0, need.targetFen - asCount(need.raisedFen) - asCount(need.heldFen));

/**
 * Decides pending gifts in the order they were made (then by id, so ties fall the same way
 * everywhere): on a need that is not open, each is declined `need_closed`; otherwise one that fits
 * in what is still open is pledged and held, any other declined `need_covered`. A pledge moves no
 * status: only received money covers a need.
 */
export function settleGifts(need: NeedFunding, gifts: readonly PendingGift[]): Settled {
  const ordered = [...gifts].sort(
    (a, b) => a.madeAt - b.madeAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const open = (openStatuses as readonly string[]).includes(need.status);
  const decisions = new Map<string, GiftDecision>();
  let heldFen = asCount(need.heldFen);
  for (const gift of ordered) {
    if (!open) {
      decisions.set(gift.id, { status: 'declined', reason: 'need_closed' });
    } else if (
      Number.isSafeInteger(gift.amountFen) &&
      gift.amountFen > 0 &&
      gift.amountFen <= openFen({ ...need, heldFen })
    ) {
      heldFen += gift.amountFen;
      decisions.set(gift.id, { status: 'pledged' });
    } else {
      decisions.set(gift.id, { status: 'declined', reason: 'need_covered' });
    }
  }
  return { decisions, need: { ...need, heldFen } };
}

/**
 * The need's figures once a pledge's money arrives: its hold becomes money raised, and the need
 * is matched once the money received reaches the target.
 */
export function receiveGift(need: NeedFunding, amountFen: number): NeedFunding {
  const amount = asCount(amountFen);
  const figures = {
    ...need,
    heldFen: Math.max(0, asCount(need.heldFen) - amount),
    raisedFen: asCount(need.raisedFen) + amount,
    acceptedDonations: asCount(need.acceptedDonations) + 1,
  };
  return { ...figures, status: coverageStatus(need.status, moneyCovered(figures)) };
}

/** The need's figures once a pledge lapses unpaid: its hold is released for another donor. */
export function lapseGift(need: NeedFunding, amountFen: number): NeedFunding {
  return { ...need, heldFen: Math.max(0, asCount(need.heldFen) - asCount(amountFen)) };
}

/**
 * The need's figures once a received gift is refunded: the money leaves `raisedFen`, and a need
 * that is no longer covered returns to published (findable, taking new gifts).
 */
export function refundGift(need: NeedFunding, amountFen: number): NeedFunding {
  const figures = {
    ...need,
    raisedFen: Math.max(0, asCount(need.raisedFen) - asCount(amountFen)),
    acceptedDonations: Math.max(0, asCount(need.acceptedDonations) - 1),
  };
  return { ...figures, status: coverageStatus(need.status, moneyCovered(figures)) };
}

function coverageStatus(status: string, covered: boolean): string {
  return isNeedStatus(status) ? statusForCoverage(status as NeedStatus, covered) : status;
}
