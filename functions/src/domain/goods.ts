/**
 * Goods donations (帮助TA with goods, seed 001): the courier companies a donor may name and the
 * tracking numbers each issues, the pledge and shipment callables' inputs, and which pledges a
 * goods need keeps. The goods analogue of funding.ts: a recomputation from every pledge of the
 * need, so concurrent donors, repeated deliveries and late schedulers settle on the same answer.
 */
import { z } from 'zod';
import { maxGoodsItems } from './need/submission';
import type { DonationTransition } from './donation';
import { docIdSchema, requestIdSchema } from './validation/common';
import { addressSchema, personNameSchema } from './validation/text';

// ---------------------------------------------------------------------------------------------
// Couriers and tracking numbers

export const courierIds = [
  'sf',
  'ems',
  'jd',
  'zto',
  'yto',
  'yunda',
  'sto',
  'jt',
  'deppon',
] as const;
export type CourierId = (typeof courierIds)[number];

export interface Courier {
  id: CourierId;
  label: string;
  /** What the form tells a donor whose number is refused. */
  hint: string;
  /** Whether a normalized number (uppercase ASCII, no spaces or dashes) is one of this courier's. */
  accepts: (value: string) => boolean;
}

/**
 * The UPU S10 check digit of an 8-digit serial (UPU standard S10: weights 8 6 4 2 3 5 9 7,
 * 11 − sum mod 11, where 10 becomes 0 and 11 becomes 5).
 */
export function s10CheckDigit(serial: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = weights.reduce((acc, weight, i) => acc + weight * Number(serial[i]), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

function s10Ok(value: string): boolean {
  const match = /^[A-Z]{2}(\d{8})(\d)CN$/.exec(value);
  return match !== null && s10CheckDigit(match[1] as string) === Number(match[2]);
}

const matches =
  (...patterns: RegExp[]) =>
  (value: string) =>
    patterns.some((pattern) => pattern.test(value));

/**
 * No courier publishes its numbering, so each rule is what the numbers people receive look like
 * (waybills, the carriers' tracking pages, open validators such as BF-zh/Courier-Validation).
 * Where sources disagree the rule leans to accepting: a refused real number blocks a donor,
 * while an accepted wrong one only fails to track, which the household and helper will see.
 * Pure-digit couriers (中通, 韵达, 申通, some 德邦 and 邮政) overlap, so a number can pass for
 * more than one of them; no format can tell them apart.
 */
const courierRules: Record<CourierId, Omit<Courier, 'id'>> = {
  sf: {
    label: '顺丰速运',
    hint: 'SF 开头，后接 12–15 位数字',
    // SF waybills print SF + 13 digits today; 12–15 leaves room for older and longer series.
    accepts: matches(/^SF\d{12,15}$/),
  },
  ems: {
    label: '中国邮政/EMS',
    hint: '两个字母 + 9 位数字 + CN（如 EA123456785CN），或 13 位数字',
    // The international S10 form, whose check digit catches most typing errors. Domestic EMS
    // and 邮政快递包裹 waybills print 13 digits beginning 10–12, 50–52 or 95–99 with no
    // published check; refusing them would shut out the carrier that reaches most villages.
    accepts: (value) => s10Ok(value) || /^(?:1[0-2]|5[0-2]|9[5-9])\d{11}$/.test(value),
  },
  jd: {
    label: '京东物流',
    hint: 'JD 开头，后接 13–15 位字母或数字（如 JDVA12345678901、JDX123456789012）',
    // Seen on waybills: JD + 13 digits, JDV + a letter + 11 digits, JDX/JDK + 12 digits. All
    // fit JD + 13–15 letters or digits, which also leaves room for series not yet seen.
    accepts: matches(/^JD[0-9A-Z]{13,15}$/),
  },
  zto: {
    label: '中通快递',
    hint: '12–15 位数字',
    // Current ZTO waybills are 14 digits beginning 73–78; older series are 12 digits and some
    // 15. Leading digits have changed with every series, so only the length is checked.
    accepts: matches(/^\d{12,15}$/),
  },
  yto: {
    label: '圆通速递',
    hint: 'YT 开头，后接 13 位数字',
    // YTO's electronic waybills: YT + 13 digits.
    accepts: matches(/^YT\d{13}$/),
  },
  yunda: {
    label: '韵达快递',
    hint: '13 位或 15 位数字',
    // Yunda: 13 digits (older), 15 digits beginning 3 or 4 (current); the prefix is not checked.
    accepts: matches(/^\d{13}$/, /^\d{15}$/),
  },
  sto: {
    label: '申通快递',
    hint: '12–15 位数字',
    // STO waybills are 14–15 digits beginning 77 today (773…), 12–13 digits with prefixes such
    // as 268, 368…968, 22, 55, 88 in older series. No letter prefix is in use. The prefix list
    // is long and keeps growing, so only the length is checked.
    accepts: matches(/^\d{12,15}$/),
  },
  jt: {
    label: '极兔速递',
    hint: 'JT 开头，后接 13 位数字',
    // J&T Express China: JT + 13 digits.
    accepts: matches(/^JT\d{13}$/),
  },
  deppon: {
    label: '德邦快递',
    hint: 'DPK 开头后接 12 位数字，或 10 位数字',
    // Deppon express: DPK + 12 digits; its freight (物流) waybills are 10 digits.
    accepts: matches(/^DPK\d{12}$/, /^\d{10}$/),
  },
};

/** The couriers a donor picks from, in the order the form lists them. */
export const couriers: readonly Courier[] = courierIds.map((id) => ({ id, ...courierRules[id] }));

export function isCourierId(value: unknown): value is CourierId {
  return typeof value === 'string' && (courierIds as readonly string[]).includes(value);
}

/** Longer than any courier's number with room for spaces; bounds the work on hostile input. */
export const maxTrackingInput = 64;

/**
 * A tracking number as typed or pasted → uppercase ASCII without spaces or dashes. Full-width
 * forms come from Chinese input methods; spaces and dashes from waybills that group digits.
 */
export function normalizeTrackingNumber(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-\u2010-\u2015\u2212\uFE58\uFE63]/g, '')
    .toUpperCase();
}

export type TrackingProblem = 'courier_unknown' | 'tracking_format';
export type CheckedTracking = { ok: true; value: string } | { ok: false; code: TrackingProblem };

/** A tracking number of `courierId` in canonical form, or why it cannot be one. */
export function checkTrackingNumber(courierId: string, raw: string): CheckedTracking {
  if (!isCourierId(courierId)) return { ok: false, code: 'courier_unknown' };
  if (raw.length > maxTrackingInput) return { ok: false, code: 'tracking_format' };
  const value = normalizeTrackingNumber(raw);
  return courierRules[courierId].accepts(value)
    ? { ok: true, value }
    : { ok: false, code: 'tracking_format' };
}

// ---------------------------------------------------------------------------------------------
// Callable inputs

function custom(ctx: z.RefinementCtx, code: string, path: PropertyKey[]) {
  ctx.addIssue({ code: 'custom', message: code, params: { code }, path });
}

/** Reports a number that is not `courier`'s at `path`; an overlong one is already `too_big`. */
function refineTracking(
  ctx: z.RefinementCtx,
  courier: CourierId,
  raw: string,
  path: PropertyKey[],
) {
  if (raw.length > maxTrackingInput) return;
  const checked = checkTrackingNumber(courier, raw);
  if (!checked.ok) custom(ctx, checked.code, path);
}

const courierIdSchema = z.enum(courierIds);
const trackingRawSchema = z.string().max(maxTrackingInput);

export const maxPledgeQuantity = 10_000;

const pledgeItemsSchema = z
  .array(
    z.strictObject({
      itemIndex: z
        .number()
        .int()
        .min(0)
        .max(maxGoodsItems - 1),
      quantity: z.number().int().min(1).max(maxPledgeQuantity),
    }),
  )
  .min(1)
  .max(maxGoodsItems)
  .superRefine((items, ctx) => {
    const seen = new Set<number>();
    items.forEach((item, index) => {
      if (seen.has(item.itemIndex)) custom(ctx, 'items_duplicate', [index]);
      seen.add(item.itemIndex);
    });
  });

const deliverySchema = z.discriminatedUnion('method', [
  // The number may follow later (shipmentInput): many donors pledge before they pack.
  z.strictObject({
    method: z.literal('express'),
    courier: courierIdSchema,
    trackingNumber: trackingRawSchema.optional(),
  }),
  // Face to face: the hand-over is confirmed by the recipient and donor, not by a number.
  z.strictObject({ method: z.literal('in_person') }),
]);

/**
 * 帮助TA with goods: which of the need's items, how many of each, and how they will arrive.
 * The tracking number, when given, is checked against the chosen courier and stored normalized.
 */
export const goodsPledgeInput = z
  .strictObject({
    requestId: requestIdSchema,
    needId: docIdSchema,
    items: pledgeItemsSchema,
    delivery: deliverySchema,
  })
  .superRefine((input, ctx) => {
    const delivery = input.delivery;
    if (delivery.method !== 'express' || delivery.trackingNumber === undefined) return;
    refineTracking(ctx, delivery.courier, delivery.trackingNumber, ['delivery', 'trackingNumber']);
  })
  .transform((input) =>
    input.delivery.method === 'express' && input.delivery.trackingNumber !== undefined
      ? {
          ...input,
          delivery: {
            ...input.delivery,
            trackingNumber: normalizeTrackingNumber(input.delivery.trackingNumber),
          },
        }
      : input,
  );
export type GoodsPledgeInput = z.input<typeof goodsPledgeInput>;
export type GoodsPledgeRequest = z.output<typeof goodsPledgeInput>;

/** A tracking number given after the pledge, for one of the caller's goods donations. */
export const shipmentInput = z
  .strictObject({
    requestId: requestIdSchema,
    donationId: docIdSchema,
    courier: courierIdSchema,
    trackingNumber: trackingRawSchema,
  })
  .superRefine((input, ctx) => {
    refineTracking(ctx, input.courier, input.trackingNumber, ['trackingNumber']);
  })
  .transform((input) => ({
    ...input,
    trackingNumber: normalizeTrackingNumber(input.trackingNumber),
  }));
export type ShipmentInput = z.input<typeof shipmentInput>;
export type ShipmentRequest = z.output<typeof shipmentInput>;

// ---------------------------------------------------------------------------------------------
// Where goods go: the village office's receiving address and contact

/**
 * A phone a donor can call: a mobile (11 digits from 13–19) or a landline with its area code
 * (0857-1234567). Spaces, dashes and full-width digits as typed are accepted and dropped, but
 * the area code keeps its dash so the number reads as a landline.
 */
export function normalizeContactPhone(raw: string): string | null {
  const ascii = raw
    .normalize('NFKC')
    .replace(/[\s\-\u2010-\u2015\u2212]/g, '')
    .replace(/^\+?86/, '');
  if (/^1[3-9]\d{9}$/.test(ascii)) return ascii;
  // Area codes are 010 and 020–029 (8-digit numbers), else four digits (7 or 8); no local number
  // begins with 0 or 1.
  const landline =
    /^(0(?:10|2\d))([2-9]\d{7})$/.exec(ascii) ?? /^(0[3-9]\d{2})([2-9]\d{6,7})$/.exec(ascii);
  return landline ? `${landline[1]}-${landline[2]}` : null;
}

export const contactPhoneSchema = z
  .string()
  .max(32)
  .transform((raw, ctx) => {
    const phone = normalizeContactPhone(raw);
    if (phone === null) {
      ctx.addIssue({ code: 'custom', message: 'phone_format', params: { code: 'phone_format' } });
      return z.NEVER;
    }
    return phone;
  });

/**
 * The village office's receiving address and contact (村委会 or 村级服务中心), kept by the
 * village's administrator: where donors send goods by express and whom they meet face to face.
 * Never a household's home: the household's address stays inside the village.
 */
export const villageReceivingInput = z.strictObject({
  requestId: requestIdSchema,
  address: addressSchema,
  contactName: personNameSchema,
  phone: contactPhoneSchema,
});
export type VillageReceivingInput = z.input<typeof villageReceivingInput>;

// ---------------------------------------------------------------------------------------------
// Which pledges a need keeps

/**
 * How long a pledge holds its quantity with no tracking number or hand-over: three days to buy
 * and post the goods, after which others may give them instead.
 */
export const pledgeHoldMs = 72 * 3600_000;

export const goodsPledgeStatuses = [
  'pending',
  'held',
  'shipped',
  'delivered',
  'expired',
  'declined',
  'refunded',
] as const;
export type GoodsPledgeStatus = (typeof goodsPledgeStatuses)[number];

export function isGoodsPledgeStatus(value: unknown): value is GoodsPledgeStatus {
  return typeof value === 'string' && (goodsPledgeStatuses as readonly string[]).includes(value);
}

/**
 * A goods pledge's whole lifecycle; anything not listed is refused (domain/donation.ts checks
 * every status write against it).
 *
 * - The donor pledges (pending). Settlement (the system) keeps it (held), or shipped at once when
 *   a tracking number came with it, or declines it (its quantity taken first by an earlier pledge,
 *   an item unknown, or the need closed), and lapses (expired) a pending or held pledge whose
 *   72 hours ran out with neither a tracking number nor a hand-over.
 * - The donor's tracking number ships a pending or held pledge (recordShipment).
 * - A cadre records that the household received the goods (recordHandover): delivered, or, face
 *   to face, shipped until the donor has confirmed too; the donor's own confirmation
 *   (confirmHandover) delivers once the household's side is recorded.
 * - Ops refunds goods promised, on their way or delivered.
 */
export const goodsPledgeTransitions: readonly DonationTransition<GoodsPledgeStatus>[] = [
  { from: null, to: 'pending', by: ['donor'] },
  { from: 'pending', to: 'held', by: ['system'] },
  { from: 'pending', to: 'shipped', by: ['system', 'donor'] },
  { from: 'pending', to: 'expired', by: ['system'] },
  { from: 'pending', to: 'declined', by: ['system'] },
  { from: 'held', to: 'shipped', by: ['system', 'donor', 'village_admin', 'helper'] },
  { from: 'held', to: 'expired', by: ['system'] },
  { from: 'held', to: 'declined', by: ['system'] },
  { from: 'held', to: 'delivered', by: ['village_admin', 'helper', 'donor'] },
  { from: 'shipped', to: 'delivered', by: ['village_admin', 'helper', 'donor'] },
  { from: 'held', to: 'refunded', by: ['ops'] },
  { from: 'shipped', to: 'refunded', by: ['ops'] },
  { from: 'delivered', to: 'refunded', by: ['ops'] },
];

/** Pledges still waiting for their goods to leave: these lapse when their time runs out. */
export const lapsingStatuses: readonly GoodsPledgeStatus[] = ['pending', 'held'];

/** Pledges whose goods are still to travel: only these disclose a contact or take a photo. */
export const travellingStatuses: readonly GoodsPledgeStatus[] = ['pending', 'held', 'shipped'];

export const goodsPledgeStatusLabels: Record<GoodsPledgeStatus, string> = {
  pending: '确认中',
  held: '已认捐，待发货',
  shipped: '已发货',
  delivered: '已送达',
  expired: '已过期',
  declined: '未被接受',
  refunded: '已退回',
};

export interface GoodsPledgeLike {
  id: string;
  /** Milliseconds since the epoch when it was made. */
  madeAt: number;
  status: GoodsPledgeStatus;
  items: readonly { itemIndex: number; quantity: number }[];
  /** Milliseconds since the epoch when an unshipped pledge stops holding its quantity. */
  expiresAt: number;
  /** A tracking number or a face-to-face hand-over has arrived. */
  tracking?: boolean;
}

export type GoodsDeclineReason = 'quantity_taken' | 'item_unknown';

export interface GoodsItemProgress {
  name: string;
  unit: string;
  quantity: number;
  /** Held, shipped and delivered. */
  pledged: number;
  delivered: number;
}

export interface GoodsProgress {
  /**
   * The status every pledge should have (final ones keep theirs): the caller writes those that
   * differ from what is stored.
   */
  decisions: Map<string, GoodsPledgeStatus>;
  /** Why each pledge declined by this computation was (one already declined has its reason). */
  declineReasons: Map<string, GoodsDeclineReason>;
  items: GoodsItemProgress[];
  fullyPledged: boolean;
  /** Some pledge is kept: the need has been taken up (对接). */
  anyTaken: boolean;
  /** When the next held pledge lapses, for the scheduler; null when none can. */
  nextExpiryMs: number | null;
}

/** What a stored pledge is at `nowMs`, for every read and check (see effectiveStatus). */
export interface PledgeClock<S extends string = string> {
  status: S;
  /** Milliseconds since the epoch; null for a donation that never expires (money). */
  expiresAt: number | null;
  tracking?: boolean;
}

/**
 * A pledge's status as of `nowMs`: a pending or held pledge with no tracking number or hand-over
 * whose time ran out is expired now, whether or not settlement (the 15-minute job or the need's
 * next donation) has written it yet. Every read and check goes through this, so the donor, the
 * village, other donors and the hand-over all see the lapse at the same moment.
 */
export function effectiveStatus<S extends string>(
  pledge: PledgeClock<S>,
  nowMs: number,
): S | 'expired' {
  const waiting = (lapsingStatuses as readonly string[]).includes(pledge.status);
  return waiting && !pledge.tracking && pledge.expiresAt !== null && nowMs >= pledge.expiresAt
    ? 'expired'
    : pledge.status;
}

/** What effectiveStatus needs of a stored donation, as its schema reads it. */
export function pledgeClockOf<S extends string>(donation: {
  status: S;
  expiresAt?: { toMillis(): number } | null | undefined;
  tracking?: boolean | undefined;
}): PledgeClock<S> {
  return {
    status: donation.status,
    expiresAt: donation.expiresAt?.toMillis() ?? null,
    tracking: donation.tracking === true,
  };
}

/** A refund, a lapse or a refusal is told to the donor and never undone. */
const finalStatuses: ReadonlySet<GoodsPledgeStatus> = new Set(['expired', 'declined', 'refunded']);

/** Goods on their way or handed over cannot be called back: they count before any other pledge. */
const committedStatuses: ReadonlySet<GoodsPledgeStatus> = new Set(['shipped', 'delivered']);

/** What makes a need taken up (对接): a donor's goods are promised or on their way. */
const keptStatuses: ReadonlySet<GoodsPledgeStatus> = new Set(['held', 'shipped', 'delivered']);

/** Quantity per item index; NaN for a line that could never be allocated. */
function quantitiesOf(pledge: GoodsPledgeLike): Map<number, number> {
  const totals = new Map<number, number>();
  for (const { itemIndex, quantity } of pledge.items) {
    const valid = Number.isInteger(quantity) && quantity > 0;
    totals.set(itemIndex, (totals.get(itemIndex) ?? 0) + (valid ? quantity : NaN));
  }
  return totals;
}

/**
 * Which pledges a goods need keeps at `nowMs`, and how far each item is covered.
 *
 * Shipped and delivered pledges count first, whatever their order: their goods are on the way.
 * The others are taken in the order they were made (then by id, so ties settle the same way
 * everywhere): one whose every line fits in what remains of its item is kept, any other is
 * declined, since a partial acceptance would hold the donor to a gift they did not offer. A kept
 * pledge with a tracking number or hand-over is shipped (delivery is for the household to
 * confirm, not for this to infer); one with neither by `expiresAt` lapses and frees its quantity
 * for the pledges after it. Final statuses hold nothing and are left alone.
 */
export function goodsProgressOf(
  needItems: readonly { name: string; quantity: number; unit: string }[],
  pledges: readonly GoodsPledgeLike[],
  nowMs: number,
): GoodsProgress {
  const remaining = needItems.map((item) => item.quantity);
  const pledged = needItems.map(() => 0);
  const delivered = needItems.map(() => 0);
  const decisions = new Map<string, GoodsPledgeStatus>();
  const declineReasons = new Map<string, GoodsDeclineReason>();
  let nextExpiryMs: number | null = null;

  const ordered = [...pledges].sort(
    (a, b) => a.madeAt - b.madeAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

  const take = (quantities: Map<number, number>, isDelivered: boolean) => {
    for (const [index, quantity] of quantities) {
      if (!(index in remaining) || Number.isNaN(quantity)) continue;
      remaining[index] = (remaining[index] as number) - quantity;
      pledged[index] = (pledged[index] as number) + quantity;
      if (isDelivered) delivered[index] = (delivered[index] as number) + quantity;
    }
  };

  for (const pledge of ordered) {
    if (finalStatuses.has(pledge.status)) decisions.set(pledge.id, pledge.status);
  }

  for (const pledge of ordered) {
    if (!committedStatuses.has(pledge.status)) continue;
    take(quantitiesOf(pledge), pledge.status === 'delivered');
    decisions.set(pledge.id, pledge.status);
  }

  for (const pledge of ordered) {
    if (finalStatuses.has(pledge.status) || committedStatuses.has(pledge.status)) continue;
    const quantities = quantitiesOf(pledge);
    const lines = [...quantities];
    if (
      lines.length === 0 ||
      lines.some(([index]) => !Number.isInteger(index) || !(index in remaining))
    ) {
      decisions.set(pledge.id, 'declined');
      declineReasons.set(pledge.id, 'item_unknown');
      continue;
    }
    // NaN (an impossible quantity) fails the comparison, so such a pledge is declined too.
    if (!lines.every(([index, quantity]) => quantity <= (remaining[index] as number))) {
      decisions.set(pledge.id, 'declined');
      declineReasons.set(pledge.id, 'quantity_taken');
      continue;
    }
    if (pledge.tracking) {
      take(quantities, false);
      decisions.set(pledge.id, 'shipped');
      continue;
    }
    // Due at `expiresAt` itself: the scheduler wakes at exactly nextExpiryMs and must find it
    // lapsed, or it would be woken for the same instant again.
    if (nowMs >= pledge.expiresAt) {
      decisions.set(pledge.id, 'expired');
      continue;
    }
    take(quantities, false);
    decisions.set(pledge.id, 'held');
    if (nextExpiryMs === null || pledge.expiresAt < nextExpiryMs) nextExpiryMs = pledge.expiresAt;
  }

  const items = needItems.map((item, index) => ({
    name: item.name,
    unit: item.unit,
    quantity: item.quantity,
    pledged: pledged[index] as number,
    delivered: delivered[index] as number,
  }));
  return {
    decisions,
    declineReasons,
    items,
    fullyPledged: items.every((item) => item.pledged >= item.quantity),
    anyTaken: [...decisions.values()].some((status) => keptStatuses.has(status)),
    nextExpiryMs,
  };
}
