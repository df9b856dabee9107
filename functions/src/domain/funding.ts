/**
 * How a money need decides the gifts waiting for it (pending donations), incrementally: each is
 * decided once, against the need as it is now (its status and the money already accepted), and
 * the decision is final. Accepted and declined are never revisited: a refund frees room only for
 * gifts made after it, never for one already declined. The caller commits the decisions and the
 * need's new figures in one batch, conditional on the need and every gift being as read, so
 * `raisedFen == Σ accepted` at every moment, not only at rest.
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
  raisedFen: number;
  acceptedDonations: number;
}

/** Why a gift was declined: the need was not open (withdrawn, taken down…) or is covered. */
export type DeclineReason = 'need_closed' | 'need_covered';

export type GiftDecision = { status: 'accepted' } | { status: 'declined'; reason: DeclineReason };

export interface Settled {
  decisions: Map<string, GiftDecision>;
  /** The need's figures after the decisions. */
  need: NeedFunding;
}

const asCount = (value: number) => (Number.isSafeInteger(value) && value > 0 ? value : 0);

/** Whether a money need's accepted gifts reach its target (对接). */
export const moneyCovered = (need: Pick<NeedFunding, 'targetFen' | 'raisedFen'>): boolean =>
  need.targetFen > 0 && need.raisedFen >= need.targetFen;

/**
 * Decides pending gifts in the order they were made (then by id, so ties fall the same way
 * everywhere): on a need that is not open, each is declined `need_closed`; otherwise one that fits
 * in what the need still lacks is accepted, any other declined `need_covered`. The need's status
 * follows its coverage (published ⇄ matched).
 */
export function settleGifts(need: NeedFunding, gifts: readonly PendingGift[]): Settled {
  const ordered = [...gifts].sort(
    (a, b) => a.madeAt - b.madeAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const open = (openStatuses as readonly string[]).includes(need.status);
  const decisions = new Map<string, GiftDecision>();
  let raisedFen = asCount(need.raisedFen);
  let acceptedDonations = asCount(need.acceptedDonations);
  for (const gift of ordered) {
    if (!open) {
      decisions.set(gift.id, { status: 'declined', reason: 'need_closed' });
    } else if (
      Number.isSafeInteger(gift.amountFen) &&
      gift.amountFen > 0 &&
      raisedFen + gift.amountFen <= need.targetFen
    ) {
      raisedFen += gift.amountFen;
      acceptedDonations++;
      decisions.set(gift.id, { status: 'accepted' });
    } else {
      decisions.set(gift.id, { status: 'declined', reason: 'need_covered' });
    }
  }
  const figures = { ...need, raisedFen, acceptedDonations };
  // Only what this settlement accepted moves the status: a need's coverage is not re-judged here.
  const moved = acceptedDonations !== asCount(need.acceptedDonations);
  return {
    decisions,
    need: moved
      ? { ...figures, status: coverageStatus(need.status, moneyCovered(figures)) }
      : figures,
  };
}

/**
 * The need's figures once an accepted gift is refunded: the money leaves `raisedFen`, and a need
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
