/**
 * Reconciliation of a region's money: per village, how many gifts and how much money are pledged,
 * received, lapsed, refunded and declined, how much of the received is certified, what the needs
 * count as raised, and the two invariants that must hold at rest (Σ received = raised per need;
 * certified ⊆ received). Pure: the callable reads the documents, this adds them up.
 */

/** The money statuses a reconciliation counts (pending gifts are seconds from settlement). */
export const reconciledStatuses = [
  'pledged',
  'received',
  'lapsed',
  'refunded',
  'declined',
] as const;
export type ReconciledStatus = (typeof reconciledStatuses)[number];

export interface Figure {
  count: number;
  fen: number;
}

export interface ReconciliationFigures extends Record<ReconciledStatus, Figure> {
  /** Money donations with a standing (issued, not revoked) certificate. */
  certified: Figure;
  /** Σ the needs' raisedFen. */
  raisedFen: number;
}

export interface ReconciliationRow extends ReconciliationFigures {
  villageCode: string;
}

/** A money donation as reconciliation sees it. */
export interface ReconciledDonation {
  id: string;
  needId: string;
  villageCode: string;
  status: string;
  amountFen: number;
  /** It has a standing certificate. */
  certified: boolean;
  /** A payment receipt (the provider's, or a recorded transfer's) names it. */
  receipted: boolean;
}

export interface ReconciledNeed {
  id: string;
  villageCode: string;
  raisedFen: number;
}

export interface Invariants {
  /** For every need, Σ its received donations' amounts = its raisedFen. */
  receivedEqualsRaised: boolean;
  /** Every donation with a standing certificate is received. */
  certifiedWithinReceived: boolean;
  /** Every received donation has its payment receipt: nothing recorded as arrived unpaid. */
  receivedHaveReceipts: boolean;
}

export interface Reconciliation {
  rows: ReconciliationRow[];
  total: ReconciliationFigures;
  invariants: Invariants;
  /**
   * What breaks them, for the ERROR log: need ids whose raised differs, donation ids certified
   * but not received, donation ids received without a receipt.
   */
  broken: { needIds: string[]; donationIds: string[]; unreceiptedIds: string[] };
}

const emptyFigures = (): ReconciliationFigures => ({
  pledged: { count: 0, fen: 0 },
  received: { count: 0, fen: 0 },
  lapsed: { count: 0, fen: 0 },
  refunded: { count: 0, fen: 0 },
  declined: { count: 0, fen: 0 },
  certified: { count: 0, fen: 0 },
  raisedFen: 0,
});

const isCounted = (status: string): status is ReconciledStatus =>
  (reconciledStatuses as readonly string[]).includes(status);

/** Adds up a region's money donations and needs into per-village rows (by code) and a total. */
export function reconcile(
  donations: readonly ReconciledDonation[],
  needs: readonly ReconciledNeed[],
): Reconciliation {
  const byVillage = new Map<string, ReconciliationFigures>();
  const total = emptyFigures();
  const figuresOf = (villageCode: string) => {
    let figures = byVillage.get(villageCode);
    if (!figures) byVillage.set(villageCode, (figures = emptyFigures()));
    return figures;
  };
  const add = (figure: Figure, fen: number) => {
    figure.count += 1;
    figure.fen += fen;
  };
  const receivedPerNeed = new Map<string, number>();
  const donationIds: string[] = [];
  const unreceiptedIds: string[] = [];
  for (const donation of donations) {
    if (donation.status === 'received' && !donation.receipted) unreceiptedIds.push(donation.id);
    const village = figuresOf(donation.villageCode);
    if (isCounted(donation.status)) {
      add(village[donation.status], donation.amountFen);
      add(total[donation.status], donation.amountFen);
    }
    if (donation.status === 'received')
      receivedPerNeed.set(
        donation.needId,
        (receivedPerNeed.get(donation.needId) ?? 0) + donation.amountFen,
      );
    if (donation.certified) {
      add(village.certified, donation.amountFen);
      add(total.certified, donation.amountFen);
      if (donation.status !== 'received') donationIds.push(donation.id);
    }
  }
  const needIds: string[] = [];
  const needIdSet = new Set<string>();
  for (const need of needs) {
    needIdSet.add(need.id);
    figuresOf(need.villageCode).raisedFen += need.raisedFen;
    total.raisedFen += need.raisedFen;
    if ((receivedPerNeed.get(need.id) ?? 0) !== need.raisedFen) needIds.push(need.id);
  }
  // Money received for a need the region does not hold is raised nowhere.
  for (const needId of receivedPerNeed.keys()) if (!needIdSet.has(needId)) needIds.push(needId);
  return {
    rows: [...byVillage.entries()]
      .map(([villageCode, figures]) => ({ villageCode, ...figures }))
      .sort((a, b) => a.villageCode.localeCompare(b.villageCode)),
    total,
    invariants: {
      receivedEqualsRaised: needIds.length === 0,
      certifiedWithinReceived: donationIds.length === 0,
      receivedHaveReceipts: unreceiptedIds.length === 0,
    },
    broken: {
      needIds: needIds.sort(),
      donationIds: donationIds.sort(),
      unreceiptedIds: unreceiptedIds.sort(),
    },
  };
}
