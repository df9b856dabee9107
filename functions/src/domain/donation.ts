/**
 * A donation's lifecycle, money and goods alike: which status a donation may move to, by whom —
 * as domain/need/status.ts does for needs, anything not listed is refused. Every status a
 * function writes onto a donation is checked here first. The goods pledge's own rows live in
 * goods.ts (`goodsPledgeTransitions`); money's are below.
 */
import type { CertificateGift } from './certificate/record';
import { goodsPledgeStatuses, goodsPledgeTransitions, type GoodsPledgeStatus } from './goods';

export const donationKinds = ['money', 'goods'] as const;
export type DonationKind = (typeof donationKinds)[number];

export const moneyDonationStatuses = [
  'pending',
  'pledged',
  'received',
  'declined',
  'lapsed',
  'refunded',
] as const;
export type MoneyDonationStatus = (typeof moneyDonationStatuses)[number];

/** Every status a donation of either kind can have. */
export const donationStatuses = [
  ...new Set([...moneyDonationStatuses, ...goodsPledgeStatuses]),
] as readonly DonationStatus[];
export type DonationStatus = MoneyDonationStatus | GoodsPledgeStatus;

/**
 * Who moves a donation: the donor, the cadres who receive goods, ops (refunds) and the system
 * (settlement: onDonationWritten and the expiry job).
 */
export type DonationActor = 'donor' | 'village_admin' | 'helper' | 'ops' | 'system';

/** `null` is "no donation yet": the row that makes one. */
export interface DonationTransition<S extends DonationStatus = DonationStatus> {
  from: S | null;
  to: S;
  by: readonly DonationActor[];
}

/** How a money gift is paid: Alipay online, or a bank transfer straight to the household. */
export const donationMethods = ['alipay', 'transfer'] as const;
export type DonationMethod = (typeof donationMethods)[number];

/** How long a pledged money gift holds its amount on the need, waiting to be paid. */
export const pledgeHoldHours = 48;

/**
 * A money gift's whole lifecycle: a promise until the money is there. The donor makes it
 * pending; settlement decides it once, against the need as it is then — pledged while it fits
 * in what the need lacks beside what other pledges hold (its amount is then held on the need),
 * declined otherwise — and a decision is never revisited. A pledge is received when the
 * provider proves the payment (a verified notification, or the order queried and found paid),
 * or lapses when it is not paid by its time, releasing its hold. Ops refunds a received gift.
 */
export const moneyDonationTransitions: readonly DonationTransition<MoneyDonationStatus>[] = [
  { from: null, to: 'pending', by: ['donor'] },
  { from: 'pending', to: 'pledged', by: ['system'] },
  { from: 'pending', to: 'declined', by: ['system'] },
  // village_admin: a direct transfer recorded from the household's passbook or bank SMS.
  { from: 'pledged', to: 'received', by: ['system', 'village_admin'] },
  { from: 'pledged', to: 'lapsed', by: ['system'] },
  { from: 'received', to: 'refunded', by: ['ops'] },
];

export function transitionsOf(kind: DonationKind): readonly DonationTransition[] {
  return kind === 'money' ? moneyDonationTransitions : goodsPledgeTransitions;
}

export function isDonationStatus(value: unknown): value is DonationStatus {
  return typeof value === 'string' && (donationStatuses as readonly string[]).includes(value);
}

/**
 * May `actor` move a donation of `kind` from `from` (null: make it) to `to`? Role only: whether
 * the caller is the donor, or a cadre of the need's village, is the handler's check.
 */
export function canDonationMove(
  kind: DonationKind,
  from: string | null,
  to: DonationStatus,
  actor: DonationActor,
): boolean {
  return transitionsOf(kind).some((t) => t.from === from && t.to === to && t.by.includes(actor));
}

/** A status write the table does not list: a bug in the caller, never the user's doing. */
export class DonationMoveRefused extends Error {
  override readonly name = 'DonationMoveRefused';
  constructor(
    readonly kind: DonationKind,
    readonly from: string | null,
    readonly to: DonationStatus,
    readonly actor: DonationActor,
  ) {
    super(`a ${kind} donation may not move from ${String(from)} to ${to} by ${actor}`);
  }
}

/**
 * The status to write, once the table allows it: every status write goes through this, after
 * the handler's own checks have refused the user's mistakes with their own messages.
 */
export function movedTo<S extends DonationStatus>(
  kind: DonationKind,
  from: string | null,
  to: S,
  actor: DonationActor,
): S {
  if (!canDonationMove(kind, from, to, actor)) throw new DonationMoveRefused(kind, from, to, actor);
  return to;
}

/** The statuses `actor` may move a donation of `kind` to from `from`. */
export function nextDonationStatuses(
  kind: DonationKind,
  from: string | null,
  actor: DonationActor,
): DonationStatus[] {
  return transitionsOf(kind)
    .filter((t) => t.from === from && t.by.includes(actor))
    .map((t) => t.to);
}

/** The statuses a donation of `kind` may leave for `to` by `actor`'s hand. */
function sourcesOf(kind: DonationKind, to: DonationStatus, actor: DonationActor) {
  return transitionsOf(kind)
    .filter((t) => t.to === to && t.by.includes(actor) && t.from !== null)
    .map((t) => t.from as DonationStatus);
}

/**
 * What settlement writes onto a donation (the system's rows of both tables): a write that only
 * brings one of these, with nothing else changed, is settlement's own follow-up and has nothing
 * new to settle (onDonationWritten).
 */
export const settlementStatuses: ReadonlySet<DonationStatus> = new Set(
  [...moneyDonationTransitions, ...goodsPledgeTransitions]
    .filter((t) => t.by.includes('system') && t.from !== null)
    .map((t) => t.to),
);

/** What ops may refund, by kind: money received, goods promised, on their way or delivered. */
export const refundableStatuses: Readonly<Record<DonationKind, readonly DonationStatus[]>> = {
  money: sourcesOf('money', 'refunded', 'ops'),
  goods: sourcesOf('goods', 'refunded', 'ops'),
};

/**
 * A donation earns its honour certificate when its money is received (never a mere pledge), or
 * its goods are delivered.
 */
export function earnsCertificate(donation: { kind?: unknown; status?: unknown }): boolean {
  return (
    (donation.kind === 'money' && donation.status === 'received') ||
    (donation.kind === 'goods' && donation.status === 'delivered')
  );
}

/** What a donation records of its gift: an amount, or goods lines (extra fields are dropped). */
export interface DonationGiftFields {
  kind: DonationKind;
  amountFen?: number | undefined;
  items?: readonly { name: string; quantity: number; unit: string }[] | undefined;
}

/**
 * What a donation gave, as the certificate prints it and every list shows it: an amount in fen,
 * or goods × quantity. One shape everywhere; lists flatten it with {@link giftColumns}.
 */
export function giftOf(donation: DonationGiftFields): CertificateGift {
  if (donation.kind === 'money') return { kind: 'money', amountFen: Number(donation.amountFen) };
  return {
    kind: 'goods',
    items: (donation.items ?? []).map(({ name, quantity, unit }) => ({ name, quantity, unit })),
  };
}

/** A gift as the donation lists send it: both columns present, the other kind's null. */
export interface GiftColumns {
  kind: DonationKind;
  amountFen: number | null;
  items: Array<{ name: string; quantity: number; unit: string }> | null;
}

export function giftColumns(gift: CertificateGift): GiftColumns {
  return gift.kind === 'money'
    ? { kind: 'money', amountFen: gift.amountFen, items: null }
    : { kind: 'goods', amountFen: null, items: gift.items.map((item) => ({ ...item })) };
}
