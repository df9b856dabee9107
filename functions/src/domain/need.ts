/**
 * A need (贫困需求), seed 000: the seven elements, the seven categories, the 两不愁三保障 rule, the
 * lifecycle and who moves it, the input schemas shared with the web client, the re-validation of
 * stored documents, and what a donor may see.
 */
import { z } from 'zod';
import type { HouseholdStatus } from './household';
import type { Role } from './roles';
import { bankAccountSchema } from './validation/bank';
import { docIdSchema, pastDateSchemaAt, photoIdSchema, requestIdSchema } from './validation/common';
import { chinaDateOf, idNumberSchemaAt } from './validation/idNumber';
import { amountFenSchema, formatYuan } from './validation/money';
import {
  addressSchema,
  itemNameSchema,
  maskPersonalNumbers,
  mentionsName,
  noteSchema,
  personNameSchema,
  reasonSchema,
  unitSchema,
} from './validation/text';

/** The seven categories, in the order seed 000 gives them: the order of publishing priority. */
export const needCategories = [
  'education',
  'medical',
  'housing',
  'industry',
  'employment',
  'skills',
  'necessities',
] as const;
export type NeedCategory = (typeof needCategories)[number];

export const needCategoryLabels: Record<NeedCategory, string> = {
  education: '教育助学',
  medical: '医疗救助',
  housing: '危房改造',
  industry: '产业发展',
  employment: '转移就业',
  skills: '技能培训',
  necessities: '生活必需品',
};

/** 两不愁三保障: not worrying about food or clothing; compulsory education, basic medical care and safe housing assured. */
export const guarantees = [
  'food',
  'clothing',
  'compulsory_education',
  'basic_medical',
  'safe_housing',
] as const;
export type Guarantee = (typeof guarantees)[number];

export const guaranteeLabels: Record<Guarantee, string> = {
  food: '不愁吃',
  clothing: '不愁穿',
  compulsory_education: '义务教育有保障',
  basic_medical: '基本医疗有保障',
  safe_housing: '住房安全有保障',
};

/**
 * Which guarantee a need of each category may serve, and the one it serves by default.
 *
 * Education, medical aid and house renovation are the three 保障 themselves, so they imply their
 * guarantee and may name no other. Daily necessities serve food or clothing, and the collector
 * says which. Industry, job transfer and skills training are development measures: seed 000
 * lists them for priority, yet publishes only needs inside 两不愁三保障, so we accept them only
 * when the collector states the food or clothing security they secure for the household (seedlings
 * or livestock that feed it, a job or a skill whose income pays for food and clothes). A
 * development need with no such purpose (a business loan, a car) is outside the rule and refused
 * with `need_outside_guarantees`; the reviewer still judges whether the stated purpose is true.
 */
export const guaranteeRules: Record<
  NeedCategory,
  { allowed: readonly Guarantee[]; implied?: Guarantee }
> = {
  education: { allowed: ['compulsory_education'], implied: 'compulsory_education' },
  medical: { allowed: ['basic_medical'], implied: 'basic_medical' },
  housing: { allowed: ['safe_housing'], implied: 'safe_housing' },
  necessities: { allowed: ['food', 'clothing'] },
  industry: { allowed: ['food', 'clothing'] },
  employment: { allowed: ['food', 'clothing'] },
  skills: { allowed: ['food', 'clothing'] },
};

export type GuaranteeProblem = 'need_outside_guarantees' | 'need_guarantee_mismatch';

/** The guarantee a need serves, or why it serves none the category allows. */
export function resolveGuarantee(
  category: NeedCategory,
  guarantee: Guarantee | undefined,
): { guarantee: Guarantee } | { problem: GuaranteeProblem } {
  const rule = guaranteeRules[category];
  if (guarantee === undefined) {
    return rule.implied ? { guarantee: rule.implied } : { problem: 'need_outside_guarantees' };
  }
  return rule.allowed.includes(guarantee) ? { guarantee } : { problem: 'need_guarantee_mismatch' };
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

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

// ---------------------------------------------------------------------------------------------
// Rejection reasons (村审核小组意见: 不同意发布，如不同意要简单列举原因)

export const rejectionReasons = [
  'outside_guarantees',
  'stably_out',
  'duplicate',
  'information_false',
  'evidence_insufficient',
  'elements_incomplete',
  'not_household_request',
  'unreasonable',
  'already_covered',
  'other',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export const rejectionReasonLabels: Record<RejectionReason, string> = {
  outside_guarantees: '不属于“两不愁、三保障”范围',
  stably_out: '已稳定脱贫',
  duplicate: '重复申请',
  information_false: '信息不实',
  evidence_insufficient: '佐证材料不足',
  elements_incomplete: '七要素不全',
  not_household_request: '非贫困户本人申请',
  unreasonable: '需求金额或数量不合理',
  already_covered: '已由政策或其他帮扶解决',
  other: '其他原因',
};

// ---------------------------------------------------------------------------------------------
// Input schemas

function custom(ctx: z.RefinementCtx, code: string, path: PropertyKey[]) {
  ctx.addIssue({ code: 'custom', message: code, params: { code }, path });
}

function unique<T>(ctx: z.RefinementCtx, values: T[], code: string, key: (v: T) => unknown) {
  const seen = new Set<unknown>();
  values.forEach((value, index) => {
    const k = key(value);
    if (seen.has(k)) custom(ctx, code, [index]);
    seen.add(k);
  });
}

/** One requested good: what, how many, in which unit (棉被 2 床). */
export const goodsItemSchema = z.strictObject({
  name: itemNameSchema,
  quantity: z.number().int().min(1).max(10_000),
  unit: unitSchema,
});
export type GoodsItem = z.output<typeof goodsItemSchema>;

export const maxGoodsItems = 20;
export const maxEvidencePhotos = 9;

const goodsItemsSchema = z
  .array(goodsItemSchema)
  .min(1)
  .max(maxGoodsItems)
  .superRefine((items, ctx) => unique(ctx, items, 'items_duplicate', (item) => item.name));

const evidencePhotoIdsSchema = z
  .array(photoIdSchema)
  .min(1)
  .max(maxEvidencePhotos)
  .superRefine((ids, ctx) => unique(ctx, ids, 'evidence_duplicate', (id) => id.toLowerCase()));

/** {@link submitNeedInput} with its own clock for the birth-date check (tests). */
export function submitNeedInputAt(now: () => Date) {
  const base = {
    requestId: requestIdSchema,
    householdId: docIdSchema,
    category: z.enum(needCategories),
    guarantee: z.enum(guarantees).optional(),
    headName: personNameSchema,
    idNumber: idNumberSchemaAt(now),
    address: addressSchema,
    reason: reasonSchema,
    evidencePhotoIds: evidencePhotoIdsSchema,
    adminName: personNameSchema,
  };
  return z
    .discriminatedUnion('kind', [
      // A money need must say where the money goes.
      z.strictObject({
        ...base,
        kind: z.literal('money'),
        amountFen: amountFenSchema,
        bankAccount: bankAccountSchema,
      }),
      // A goods need carries no bank account at all: collecting one would be personal data
      // with no purpose (PIPL minimisation), so the key is refused like any unknown key.
      z.strictObject({ ...base, kind: z.literal('goods'), items: goodsItemsSchema }),
    ])
    .superRefine((input, ctx) => {
      const resolved = resolveGuarantee(input.category, input.guarantee);
      if ('problem' in resolved) custom(ctx, resolved.problem, ['guarantee']);
    });
}

/** The need submission callable's input (unknown keys refused at every depth). */
export const submitNeedInput = submitNeedInputAt(() => new Date());
export type SubmitNeedInput = z.input<typeof submitNeedInput>;
export type SubmittedNeed = z.output<typeof submitNeedInput>;

/** {@link reviewNeedInput} with its own clock for the review date (tests). */
export function reviewNeedInputAt(now: () => Date) {
  const base = {
    requestId: requestIdSchema,
    needId: docIdSchema,
    /** The day of the home visit (入户审核), China time: not in the future. */
    reviewDate: pastDateSchemaAt(now),
    reviewerName: personNameSchema,
    note: noteSchema.optional(),
  };
  return z
    .discriminatedUnion('opinion', [
      z.strictObject({ ...base, opinion: z.literal('publish') }),
      z.strictObject({
        ...base,
        opinion: z.literal('reject'),
        reasonCodes: z
          .array(z.enum(rejectionReasons))
          .min(1)
          .max(rejectionReasons.length)
          .superRefine((codes, ctx) => unique(ctx, codes, 'reason_duplicate', (c) => c)),
      }),
    ])
    .superRefine((input, ctx) => {
      // "Other" says nothing by itself: the group writes the reason down.
      if (input.opinion === 'reject' && input.reasonCodes.includes('other') && !input.note) {
        custom(ctx, 'note_required', ['note']);
      }
    });
}

/** The in-person review (date, reviewer, opinion; reasons when rejecting). */
export const reviewNeedInput = reviewNeedInputAt(() => new Date());
export type ReviewNeedInput = z.input<typeof reviewNeedInput>;
export type NeedReview = z.output<typeof reviewNeedInput>;

/** A calendar date `YYYY-MM-DD` is not before a submission instant (compared in China time). */
export function reviewDateBeforeSubmission(reviewDate: string, submittedAt: Date): boolean {
  const submittedDay = chinaDateOf(submittedAt);
  return reviewDate < submittedDay;
}

// ---------------------------------------------------------------------------------------------
// The household behind a need

export interface NeedHousehold {
  villageCode: string;
  headName: string;
  idLast4: string;
  status: HouseholdStatus;
  onRoster: boolean;
  registered: boolean;
}

/**
 * Why this household may not have this need submitted, as `{ path, code }` in the submission's
 * terms. The household must be on the roster and registered on the platform (needs come after
 * registration, seed 000), not stably out of poverty (its needs are not published), and the
 * name and ID number on the need must be those of the household file.
 */
export function needHouseholdProblems(
  need: Pick<SubmittedNeed, 'headName' | 'idNumber'> & { reason?: string },
  household: NeedHousehold,
): Array<{ path: string; code: string }> {
  const problems: Array<{ path: string; code: string }> = [];
  if (!household.onRoster) problems.push({ path: 'householdId', code: 'household_not_on_roster' });
  if (!household.registered)
    problems.push({ path: 'householdId', code: 'household_not_registered' });
  if (household.status === 'stably_out')
    problems.push({ path: 'householdId', code: 'household_stably_out' });
  if (need.headName !== household.headName)
    problems.push({ path: 'headName', code: 'household_name_mismatch' });
  if (need.idNumber.slice(-4) !== household.idLast4)
    problems.push({ path: 'idNumber', code: 'household_id_mismatch' });
  // The reason is published beside the masked name (张*华): it must not name the household.
  if (need.reason !== undefined && mentionsName(need.reason, household.headName))
    problems.push({ path: 'reason', code: 'reason_name' });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Stored documents

/**
 * `needs/{id}`, readable by staff of the need's region through callables: the last four of the
 * ID and bank number only. The full values live in `needsPrivate/{id}`
 * ({@link storedNeedPrivateSchema}). Loose, because server-managed fields (timestamps, uids)
 * may be added by the functions; the known ones are checked.
 */
const storedNeedBase = {
  householdId: docIdSchema,
  villageCode: z.string().regex(/^\d{12}$/),
  townshipCode: z.string().regex(/^\d{9}$/),
  countyCode: z.string().regex(/^\d{6}$/),
  cityCode: z.string().regex(/^\d{4}$/),
  provinceCode: z.string().regex(/^\d{2}$/),
  category: z.enum(needCategories),
  guarantee: z.enum(guarantees),
  headName: personNameSchema,
  idLast4: z.string().regex(/^\d{3}[\dX]$/),
  address: addressSchema,
  reason: reasonSchema,
  evidencePhotoIds: evidencePhotoIdsSchema,
  adminName: personNameSchema,
  status: z.enum(needStatuses),
  review: z
    .object({
      date: pastDateSchemaAt(() => new Date()),
      reviewerName: personNameSchema,
      opinion: z.enum(['publish', 'reject']),
      reasonCodes: z.array(z.enum(rejectionReasons)).optional(),
      note: noteSchema.optional(),
    })
    .nullable(),
  problems: z.array(z.string()).optional(),
};

export const storedNeedSchema = z.discriminatedUnion('kind', [
  z.looseObject({
    ...storedNeedBase,
    kind: z.literal('money'),
    amountFen: amountFenSchema,
    bankLast4: z.string().regex(/^\d{4}$/),
    bankLuhnOk: z.boolean(),
  }),
  z.looseObject({
    ...storedNeedBase,
    kind: z.literal('goods'),
    items: goodsItemsSchema,
  }),
]);
export type StoredNeed = z.output<typeof storedNeedSchema>;

/**
 * `needsPrivate/{id}`: no client reads it; revealed only through the audited callable, which
 * reads `idNumber` and `bankAccount` as strings (the Luhn flag is on the staff document).
 */
export const storedNeedPrivateSchema = z.strictObject({
  idNumber: z.string().regex(/^\d{17}[\dX]$/),
  bankAccount: z
    .string()
    .regex(/^\d{12,19}$/)
    .nullable(),
});

/** The two documents a submission writes, from a validated input (the caller adds ids, uids, times). */
export function needDocumentsOf(
  input: SubmittedNeed,
  regionFields: Pick<
    StoredNeed,
    'villageCode' | 'townshipCode' | 'countyCode' | 'cityCode' | 'provinceCode'
  >,
): { need: StoredNeed; needPrivate: z.output<typeof storedNeedPrivateSchema> } {
  const resolved = resolveGuarantee(input.category, input.guarantee);
  if ('problem' in resolved) throw new Error('needDocumentsOf needs a validated input');
  const common = {
    householdId: input.householdId,
    ...regionFields,
    category: input.category,
    guarantee: resolved.guarantee,
    headName: input.headName,
    idLast4: input.idNumber.slice(-4),
    address: input.address,
    reason: input.reason,
    evidencePhotoIds: input.evidencePhotoIds,
    adminName: input.adminName,
    status: 'submitted' as const,
    review: null,
    problems: [],
  };
  if (input.kind === 'money') {
    return {
      need: {
        ...common,
        kind: 'money',
        amountFen: input.amountFen,
        bankLast4: input.bankAccount.number.slice(-4),
        bankLuhnOk: input.bankAccount.luhnOk,
      },
      needPrivate: { idNumber: input.idNumber, bankAccount: input.bankAccount.number },
    };
  }
  return {
    need: { ...common, kind: 'goods', items: input.items },
    needPrivate: { idNumber: input.idNumber, bankAccount: null },
  };
}

const canonicalTextFields = ['headName', 'address', 'reason', 'adminName'] as const;
const sensitiveKeys = /^(idNumber|idCard|bankAccount|bankNumber|bankCard|cardNumber)$/i;
// A full ID number, or 12+ digits in a row (a bank number), anywhere in a string; not inside a
// longer token such as a UUID (whose last group may be 12 digits).
const sensitiveValue = /(?<![0-9A-Za-z-])(?:\d{17}[\dXx]|\d{12,})(?![0-9A-Za-z-])/;
// Division codes are public and 12 digits long; their format is the schema's concern.
const publicCodeKey = /^(village|township|county|city|province)Code$/;

function findSensitive(value: unknown, path: string[], depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof value === 'string') return sensitiveValue.test(value) ? [path.join('.')] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => findSensitive(v, [...path, String(i)], depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      if (sensitiveKeys.test(key)) return [[...path, key].join('.')];
      if (publicCodeKey.test(key)) return [];
      return findSensitive(v, [...path, key], depth + 1);
    });
  }
  return [];
}

export interface StoredNeedContext {
  /** The household the need belongs to, when the trigger has read it. */
  household?: Pick<NeedHousehold, 'villageCode' | 'status'>;
}

/**
 * Every problem of a need document however it was written (import, console edit, a bug), as
 * sorted, unique `path:code` strings; empty when it is valid. Pure: the re-validation trigger
 * decides what to do with them ({@link revalidationPatch}). Checks the schema, that stored text
 * is already canonical (a console edit cannot slip in a bidi control or an uncanonical name), the
 * 两不愁三保障 rule, that a published or rejected need carries the matching review, that the
 * document holds no full ID or bank number, and the household's village and status.
 */
export function validateStoredNeed(doc: unknown, context: StoredNeedContext = {}): string[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['document:not_object'];
  const record = doc as Record<string, unknown>;
  const problems = new Set<string>();
  const parsed = storedNeedSchema.safeParse(record);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || 'document';
      if (issue.code === 'unrecognized_keys') continue;
      problems.add(
        `${path}:${issue.code === 'custom' ? String(issue.params?.code ?? 'custom') : issue.code}`,
      );
    }
  } else {
    const need = parsed.data;
    for (const field of canonicalTextFields) {
      if (need[field] !== record[field]) problems.add(`${field}:not_canonical`);
    }
    const resolved = resolveGuarantee(need.category, need.guarantee);
    if ('problem' in resolved) problems.add(`guarantee:${resolved.problem}`);
    const reviewed = need.review?.opinion;
    if (publicStatuses.includes(need.status) && reviewed !== 'publish')
      problems.add('review:missing_publish_review');
    if (need.status === 'rejected' && (reviewed !== 'reject' || !need.review?.reasonCodes?.length))
      problems.add('review:missing_reject_reasons');
    if (context.household) {
      if (context.household.villageCode !== need.villageCode)
        problems.add('villageCode:household_mismatch');
      // `invalid` included: otherwise a need taken down for this reason would look valid once
      // marked, return to `submitted`, and be marked again, forever.
      const beforeMatch: readonly NeedStatus[] = [
        'submitted',
        'under_review',
        'published',
        'invalid',
      ];
      if (context.household.status === 'stably_out' && beforeMatch.includes(need.status))
        problems.add('householdId:household_stably_out');
    }
  }
  for (const path of findSensitive(record, [])) problems.add(`${path}:sensitive_value`);
  return [...problems].sort();
}

/** A need holding an accepted gift or a kept pledge: donations rest on its status. */
export function isTakenUp(doc: { raisedFen?: unknown; itemProgress?: unknown }): boolean {
  const raised = typeof doc.raisedFen === 'number' && doc.raisedFen > 0;
  const pledged =
    Array.isArray(doc.itemProgress) &&
    doc.itemProgress.some(
      (line) => typeof line?.pledged === 'number' && (line.pledged as number) > 0,
    );
  return raised || pledged;
}

/**
 * What the re-validation trigger writes given the problems it found, or null when the document
 * already says exactly that. Applying the patch and validating again yields null: that fixed
 * point is what makes a second delivery of the same event change nothing. The trigger should
 * judge the document as it is now (read in its transaction), not the event's copy. One case takes
 * two writes: a document whose only fault was an unknown status is marked `invalid`, which
 * corrects it, and the next pass returns it to `submitted`, to be reviewed again.
 */
export function revalidationPatch(
  doc: { status?: unknown; problems?: unknown; raisedFen?: unknown; itemProgress?: unknown },
  problems: readonly string[],
): { status?: NeedStatus; problems: string[] } | null {
  const stored = Array.isArray(doc.problems) ? (doc.problems as unknown[]) : [];
  const same = stored.length === problems.length && stored.every((p, i) => p === problems[i]);
  const status = doc.status;
  if (problems.length > 0) {
    // An unknown status (a typo in the console) is itself a problem and may be taken down.
    const markable =
      !isNeedStatus(status) || (canTransition(status, 'invalid', 'system') && !isTakenUp(doc));
    if (markable && status !== 'invalid') return { status: 'invalid', problems: [...problems] };
    return same ? null : { problems: [...problems] };
  }
  if (status === 'invalid') return { status: 'submitted', problems: [] };
  return stored.length > 0 ? { problems: [] } : null;
}

// ---------------------------------------------------------------------------------------------
// What people see

const compoundSurnames = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '西门',
  '南宫',
  '独孤',
  '呼延',
  '万俟',
  '闻人',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '申屠',
  '仲孙',
  '钟离',
  '赫连',
  '闾丘',
  '司空',
  '亓官',
  '司寇',
  '子车',
  '颛孙',
  '巫马',
  '公西',
  '漆雕',
  '乐正',
  '壤驷',
  '公良',
  '拓跋',
  '夹谷',
  '宰父',
  '谷梁',
  '段干',
  '百里',
  '东郭',
  '南门',
  '羊舌',
  '微生',
  '梁丘',
  '左丘',
  '东门',
  '第五',
  '老佛',
]);

/**
 * A name as donors see it. By characters (code points, so 𠮷 is one):
 * 1 → `*`; 2 → surname + `*` (张*); 3 → surname + `*` + last (张*华), or a compound surname +
 * `*` (欧阳*); 4 or more → surname (compound when it is one) + one `*` per remaining character
 * (欧阳**, 李***). A transliterated name with `·` keeps only its first character and the dots
 * (买买提·艾力 → 买**·**): its parts are given names, not a surname and a given name.
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.includes('\u00B7')) {
    return chars.map((c, i) => (i === 0 || c === '\u00B7' ? c : '*')).join('');
  }
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  const surnameLength = compoundSurnames.has(chars.slice(0, 2).join('')) ? 2 : 1;
  if (chars.length === 3 && surnameLength === 1) return `${chars[0]}*${chars[2]}`;
  return chars.slice(0, surnameLength).join('') + '*'.repeat(chars.length - surnameLength);
}

function maskReason(reason: string, headName: string): string {
  const masked = maskPersonalNumbers(reason);
  // A one-character name would mask that character everywhere.
  return [...headName].length >= 2 ? masked.split(headName).join(maskName(headName)) : masked;
}

/** The public view of a need: what a donor needs to help and to trust, and nothing else. */
export interface PublicNeedView {
  id: string;
  maskedName: string;
  villageName: string;
  category: NeedCategory;
  categoryLabel: string;
  guaranteeLabel: string;
  reason: string;
  kind: 'money' | 'goods';
  amountFen: number | null;
  /** Money accepted so far (0 for goods). */
  raisedFen: number;
  /** Goods asked for, with how many are pledged (held, shipped or delivered) and delivered. */
  items: Array<{
    name: string;
    quantity: number;
    unit: string;
    pledged: number;
    delivered: number;
  }> | null;
  evidencePhotoIds: string[];
  status: NeedStatus;
}

const countOf = (value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;

/**
 * The donor-facing projection of a published need, built field by field (never by spreading a
 * document, so a field added later cannot leak). Undefined for a need the public may not see.
 * The household's name comes from the household file, masked; no part of an ID or bank number,
 * no address, no reviewer. Not even the village's division code: an ID number begins with its
 * county's code, so the view carries the village's name and region filters run in the query.
 */
export function publicNeedView(
  need: StoredNeed & { id: string },
  household: { headName: string },
  village: { name: string },
): PublicNeedView | undefined {
  if (!publicStatuses.includes(need.status)) return undefined;
  return {
    id: need.id,
    maskedName: maskName(household.headName),
    villageName: village.name,
    category: need.category,
    categoryLabel: needCategoryLabels[need.category],
    guaranteeLabel: guaranteeLabels[need.guarantee],
    // Validation refuses personal numbers and the household's name; a reason written by another
    // path (an import, an old document) is masked by the same checks rather than trusted.
    reason: maskReason(need.reason, household.headName),
    kind: need.kind,
    amountFen: need.kind === 'money' ? need.amountFen : null,
    raisedFen: need.kind === 'money' ? countOf(need.raisedFen) : 0,
    items:
      need.kind === 'goods'
        ? need.items.map((item, index) => {
            const progress = Array.isArray(need.itemProgress)
              ? (need.itemProgress[index] as Record<string, unknown> | undefined)
              : undefined;
            return {
              name: item.name,
              quantity: item.quantity,
              unit: item.unit,
              pledged: countOf(progress?.pledged),
              delivered: countOf(progress?.delivered),
            };
          })
        : null,
    evidencePhotoIds: [...need.evidencePhotoIds],
    status: need.status,
  };
}

/** What a need asks for, in one line (the ledger's 贫困需求 column): 医疗救助：资金 5,000.00 元. */
export function describeNeed(
  need:
    | { category: NeedCategory; kind: 'money'; amountFen: number }
    | { category: NeedCategory; kind: 'goods'; items: readonly GoodsItem[] },
): string {
  const what =
    need.kind === 'money'
      ? `资金 ${formatYuan(need.amountFen)} 元`
      : need.items.map((item) => `${item.name} ${item.quantity} ${item.unit}`).join('、');
  return `${needCategoryLabels[need.category]}：${what}`;
}
