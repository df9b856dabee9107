/**
 * A need's lifecycle: the statuses, their labels, and the one transition table saying who moves
 * a need from which status to which.
 */
import type { Role } from '../roles';

export const needStatuses = [
  'submitted',
  'under_review',
  'published',
  'rejected',
  'withdrawn',
  'matched',
  'fulfilled',
  'closed',
  'invalid',
] as const;
export type NeedStatus = (typeof needStatuses)[number];

export const needStatusLabels: Record<NeedStatus, string> = {
  submitted: '已提交',
  under_review: '入户审核中',
  published: '已发布',
  rejected: '未通过',
  withdrawn: '已撤回',
  matched: '已对接',
  fulfilled: '已完成',
  closed: '已结束',
  invalid: '数据有误',
};

/**
 * Who moves a need: staff roles, the household itself (which holds no account role, and is listed
 * so that the rule "the household cannot publish" is a row of the table, not an absence), and the
 * system (triggers).
 */
export type NeedActor = Role | 'household' | 'system';

/** `null` is "no need yet": the row that creates one. */
export type NeedTransition = {
  from: NeedStatus | null;
  to: NeedStatus;
  by: readonly NeedActor[];
};

/**
 * The whole lifecycle. Anything not listed is refused.
 *
 * - A helper or village administrator submits (seed 000: the helper fills in the ledger and hands
 *   it over; the village administrator may also submit on the household's behalf).
 * - Only the village administrator starts the in-person review (入户审核) and then publishes or
 *   rejects: publishing straight from `submitted` is not a row, so no need is published unvisited.
 * - Before publication either may withdraw; a published need is withdrawn by the village
 *   administrator only, as it is their publication, and only while it holds no accepted gift
 *   (withdrawNeed's check: accepted gifts are final, so ops refunds them first).
 * - The system marks a need `invalid` when re-validation finds a problem, up to publication (a
 *   published need found invalid is taken down). Once a donor has taken it up (any accepted gift
 *   or kept pledge) the status is history that donations rest on: the trigger then records
 *   problems without moving it.
 *   An invalid need whose problems are corrected returns to `submitted`, to be reviewed again.
 * - `matched` (对接) means covered: the accepted money reaches the target, or kept pledges cover
 *   every item. The settlement moves a need there and back: a refund or a lapsed pledge that
 *   uncovers a matched, fulfilled or closed need returns it to `published`, findable again.
 *   Fulfilled is recorded by helper or administrator on a covered need; the administrator closes.
 * - Ops takes down a need found false (`refundDonation` with `need_found_false`) whatever its
 *   status after publication.
 */
export const needTransitions: readonly NeedTransition[] = [
  { from: null, to: 'submitted', by: ['helper', 'village_admin'] },
  { from: 'submitted', to: 'under_review', by: ['village_admin'] },
  { from: 'under_review', to: 'published', by: ['village_admin'] },
  { from: 'under_review', to: 'rejected', by: ['village_admin'] },
  { from: 'submitted', to: 'withdrawn', by: ['helper', 'village_admin'] },
  { from: 'under_review', to: 'withdrawn', by: ['helper', 'village_admin'] },
  { from: 'published', to: 'withdrawn', by: ['village_admin', 'ops'] },
  { from: 'submitted', to: 'invalid', by: ['system'] },
  { from: 'under_review', to: 'invalid', by: ['system'] },
  { from: 'published', to: 'invalid', by: ['system'] },
  { from: 'invalid', to: 'submitted', by: ['system'] },
  { from: 'published', to: 'matched', by: ['system'] },
  { from: 'matched', to: 'published', by: ['system'] },
  { from: 'matched', to: 'fulfilled', by: ['helper', 'village_admin'] },
  { from: 'fulfilled', to: 'published', by: ['system'] },
  { from: 'fulfilled', to: 'closed', by: ['village_admin'] },
  { from: 'closed', to: 'published', by: ['system'] },
  { from: 'matched', to: 'withdrawn', by: ['ops'] },
  { from: 'fulfilled', to: 'withdrawn', by: ['ops'] },
  { from: 'closed', to: 'withdrawn', by: ['ops'] },
];

/** Statuses in which a need takes gifts (a matched one only what a refund or lapse frees). */
export const openStatuses: readonly NeedStatus[] = ['published', 'matched'];

/** Statuses that assert the need is covered (对接): an uncovering moves them back to published. */
export const coveredStatuses: readonly NeedStatus[] = ['matched', 'fulfilled', 'closed'];

/**
 * The status a need takes when its coverage is (re)computed: covered moves a published need to
 * matched; uncovered moves a matched, fulfilled or closed one back to published, to be found and
 * given to again. Every other status (withdrawn, invalid…) stays as it is.
 */
export function statusForCoverage(status: NeedStatus, covered: boolean): NeedStatus {
  if (covered) return status === 'published' ? 'matched' : status;
  return coveredStatuses.includes(status) ? 'published' : status;
}

export function isNeedStatus(value: unknown): value is NeedStatus {
  return typeof value === 'string' && (needStatuses as readonly string[]).includes(value);
}

/**
 * May `actor` move a need from `from` (null: create it) to `to`? Role only: whether the caller
 * belongs to the need's village is the handler's check.
 */
export function canTransition(from: NeedStatus | null, to: NeedStatus, actor: NeedActor): boolean {
  return needTransitions.some((t) => t.from === from && t.to === to && t.by.includes(actor));
}

/** The statuses `actor` may move a need to from `from`. */
export function nextStatuses(from: NeedStatus | null, actor: NeedActor): NeedStatus[] {
  return needTransitions.filter((t) => t.from === from && t.by.includes(actor)).map((t) => t.to);
}

/** Statuses in which the public may see a need (rates.ts counts the same ones as published). */
export const publicStatuses: readonly NeedStatus[] = [
  'published',
  'matched',
  'fulfilled',
  'closed',
];
