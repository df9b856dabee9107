/**
 * Which money donations a need accepts: in the order they were made, until the target is
 * covered; a donation that would go past the target is declined (the policy for a fully covered
 * need is to refuse). A recomputation from every donation of the need, so concurrent donors,
 * repeated deliveries and any order of events settle on the same answer, and
 * `raised == Σ accepted donations` at rest.
 */
export interface DonationLike {
  id: string;
  amountFen: number;
  /** Milliseconds since the epoch when it was made. */
  madeAt: number;
  status: string;
}

export type DonationDecision = 'accepted' | 'declined';

export interface Funding {
  raisedFen: number;
  acceptedCount: number;
  decisions: Map<string, DonationDecision>;
}

/** Statuses a donation keeps whatever the funding (a refund is final). */
const settledStatuses = new Set(['refunded']);

export function fundingOf(targetFen: number, donations: readonly DonationLike[]): Funding {
  const ordered = [...donations]
    .filter((donation) => !settledStatuses.has(donation.status))
    .sort((a, b) => a.madeAt - b.madeAt || a.id.localeCompare(b.id));
  const decisions = new Map<string, DonationDecision>();
  let raisedFen = 0;
  let acceptedCount = 0;
  for (const donation of ordered) {
    if (raisedFen + donation.amountFen <= targetFen) {
      raisedFen += donation.amountFen;
      acceptedCount++;
      decisions.set(donation.id, 'accepted');
    } else {
      decisions.set(donation.id, 'declined');
    }
  }
  return { raisedFen, acceptedCount, decisions };
}
