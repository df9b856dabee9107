/**
 * What donors see, in words: labels for statuses, progress of a need, and the
 * checks of what a donor types before it is sent. Pure, so it is unit-tested in node.
 */
import { chinaDateTime, fenFromYuanText, yuan } from './format';
import type { CourierId } from '../../functions/src/domain/goods';
import type { NeedStatus } from '../../functions/src/domain/need/status';
import type { RegionLevel } from '../../functions/src/domain/regions';
import type { RevocationReason } from '../../functions/src/domain/certificate/signing';
import type { DonationStatus, GiftColumns } from '../../functions/src/domain/donation';
import type { NeedProgress, PublicNeedItem } from '../../functions/src/contract/needs';
import type {
  CertificateVerdictStatus,
  HandoverState,
  PledgeDelivery,
} from '../../functions/src/contract/money';

/** The donor's words for every status the server has (a status it adds fails to compile here). */
const donationStatusLabels: Record<DonationStatus, string> = {
  pending: '处理中',
  pledged: '待支付',
  received: '已到账',
  declined: '未被接受（需求已筹满）',
  lapsed: '已失效',
  held: '已认捐，待寄出',
  shipped: '已寄出',
  delivered: '已送达',
  expired: '认捐已过期',
  refunded: '已退回',
};

/** Money given back is a refund (已退款); goods given back keep 已退回. */
const moneyStatusLabels: Partial<Record<DonationStatus, string>> = { refunded: '已退款' };

export const donationStatuses = Object.keys(donationStatusLabels) as DonationStatus[];

/** A donation's status in Chinese; an unknown one as it is. */
export function donationStatusLabel(status: string): string {
  return donationStatusLabels[status as DonationStatus] ?? status;
}

/** A donation's status in Chinese, in money's own words where they differ (已退款). */
export function giftStatusLabel(donation: {
  kind: string;
  status: string;
  method?: string | null;
}): string {
  // A transfer is paid at the donor's bank, not here: 待转账 says what is awaited.
  if (donation.kind === 'money' && donation.status === 'pledged' && byTransfer(donation))
    return '待转账';
  return (
    (donation.kind === 'money'
      ? moneyStatusLabels[donation.status as DonationStatus]
      : undefined) ?? donationStatusLabel(donation.status)
  );
}

/** A money gift the donor pays by bank transfer to the household (absent: Alipay). */
export function byTransfer(donation: { kind?: string; method?: string | null }): boolean {
  return donation.method === 'transfer';
}

/** What a money gift in this state means for the donor, and what to do next. */
export function moneyNextStep(donation: {
  status: string;
  payBy?: number | null;
  method?: string | null;
  now: number;
}): string | null {
  switch (donation.status) {
    case 'pending':
      return '正在核对需求是否还差这笔钱，稍后即可支付。';
    case 'pledged':
      if (byTransfer(donation))
        return donation.payBy && donation.payBy > donation.now
          ? `请在 ${chinaDateTime(donation.payBy)} 前转账到受助户的银行账户，村里核对到账后即为已到账。`
          : '已过转账期限，承诺的金额即将释放；如已转账，请联系村里核对登记。';
      return donation.payBy && donation.payBy > donation.now
        ? `请在 ${chinaDateTime(donation.payBy)} 前完成支付，逾期承诺的金额将释放给其他爱心人士。`
        : '已过支付期限，承诺的金额即将释放；如仍想帮助，请回到需求页重新捐助。';
    case 'received':
      return '款项已到账，感谢您的爱心！';
    case 'lapsed':
      return '如仍想帮助，可回到需求页重新捐助。';
    case 'declined':
      return '未收取任何款项，可以看看其他需求。';
    case 'refunded':
      return '款项已原路退回，荣誉证书已作废。';
    default:
      return null;
  }
}

/** Why a money gift's state is what it is, said right after its badge (lapsed only). */
export function moneyStatusNote(status: string): string | null {
  return status === 'lapsed' ? '（未在期限内支付，承诺的金额已释放）' : null;
}

/** A pledged money gift may still be paid: before its deadline (the server checks it again). */
export function mayPay(
  donation: { kind: string; status: string; payBy: number | null; method?: string | null },
  now: number,
): boolean {
  return (
    donation.kind === 'money' &&
    !byTransfer(donation) &&
    donation.status === 'pledged' &&
    donation.payBy !== null &&
    donation.payBy > now
  );
}

/**
 * The donation just paid, from the provider's return to the site (`?out_trade_no=…#/mine`; the
 * order number is the donation id). Only a hint of what to look for: the notification decides.
 */
export function returnedDonationId(search: string): string | null {
  const id = new URLSearchParams(search).get('out_trade_no');
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/** The donor's words for the statuses a public need can have. */
const needStatusLabels: Partial<Record<NeedStatus, string>> = {
  published: '等待帮助',
  matched: '已对接',
  fulfilled: '已完成',
};

export function needStatusLabel(status: string): string {
  return needStatusLabels[status as NeedStatus] ?? status;
}

export const regionLevelNames: Record<RegionLevel, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};

const revocationLabels: Record<RevocationReason, string> = {
  donation_refunded: '捐助已退回',
  need_found_false: '经核查该需求信息不实',
};

export function revocationLabel(reason: string): string {
  return revocationLabels[reason as RevocationReason] ?? reason;
}

/** The server's verdicts, and `not_found` for a serial it refuses as unknown. */
export type VerifyStatus = CertificateVerdictStatus | 'not_found';

const verifyLabels: Record<VerifyStatus, string> = {
  genuine: '真实有效',
  revoked: '已撤销',
  tampered: '记录被篡改，不可信',
  not_found: '未找到该证书',
};

export function verifyLabel(status: VerifyStatus): string {
  return verifyLabels[status];
}

/** How long a need has waited since it was published: "今天发布", "已等待 3 天". */
export function waitedText(publishedAt: number, now: number): string {
  const days = Math.floor((now - publishedAt) / 86_400_000);
  return days >= 1 ? `已等待 ${days} 天` : '今天发布';
}

/** What the pledge checks read of a need's goods line. */
type PledgeableItem = Pick<PublicNeedItem, 'name' | 'quantity' | 'unit' | 'pledged'>;

/** A need's progress: what arrived, and what pledges hold awaiting payment (none when not told). */
export type Progress = Pick<NeedProgress, 'kind' | 'amountFen' | 'raisedFen' | 'items'> & {
  heldFen?: number | null;
};

/** Money promised by pledges not yet paid, in fen. */
export function heldFen(need: Progress): number {
  return need.kind === 'money' ? Math.max(0, need.heldFen ?? 0) : 0;
}

/** What a money need still lacks beside what pledges hold: what a new donor may pledge. */
export function remainingFen(need: Progress): number {
  return Math.max(0, (need.amountFen ?? 0) - need.raisedFen - heldFen(need));
}

/** How many of an item are still to be pledged. */
export function remainingQuantity(item: PledgeableItem): number {
  return Math.max(0, item.quantity - item.pledged);
}

/** Share of the need covered, 0…1: money received, or goods pledged over all items. */
export function progressShare(need: Progress): number {
  if (need.kind === 'money') {
    const target = need.amountFen ?? 0;
    return target > 0 ? Math.min(1, need.raisedFen / target) : 0;
  }
  const items = need.items ?? [];
  const total = items.reduce((sum, item) => sum + item.quantity, 0);
  const pledged = items.reduce((sum, item) => sum + Math.min(item.quantity, item.pledged), 0);
  return total > 0 ? pledged / total : 0;
}

/** Share of a money need that pledges hold, 0…1, beside what has arrived. */
export function heldShare(need: Progress): number {
  const target = need.amountFen ?? 0;
  if (need.kind !== 'money' || target <= 0) return 0;
  return Math.max(0, Math.min(1 - progressShare(need), heldFen(need) / target));
}

/**
 * "已到账 1,000.00 元 / 目标 3,000.00 元" and, while pledges wait for payment, "待支付 500.00 元…";
 * or one line per item: "大米：已认捐 2/10 袋，已送达 0 袋".
 */
export function progressLines(need: Progress): string[] {
  if (need.kind === 'money') {
    const held = heldFen(need);
    return [
      `已到账 ${yuan(need.raisedFen)} / 目标 ${yuan(need.amountFen ?? 0)}`,
      ...(held > 0 ? [`待支付 ${yuan(held)}（爱心人士已承诺，等待付款）`] : []),
    ];
  }
  return (need.items ?? []).map(
    (item) =>
      `${item.name}：已认捐 ${item.pledged}/${item.quantity} ${item.unit}，已送达 ${item.delivered} ${item.unit}`,
  );
}

/** What a need asks for, in one line. */
export function asksText(need: Progress): string {
  return need.kind === 'money'
    ? `需要资金 ${yuan(need.amountFen ?? 0)}`
    : `需要 ${(need.items ?? []).map((item) => `${item.name}${item.quantity}${item.unit}`).join('、')}`;
}

/** Goods or money of a donation or a certificate, in one line. */
export function giftText(gift: Partial<GiftColumns> & Pick<GiftColumns, 'kind'>): string {
  return gift.kind === 'money'
    ? `资金 ${yuan(gift.amountFen ?? 0)}`
    : (gift.items ?? []).map((item) => `${item.name} ${item.quantity} ${item.unit}`).join('、');
}

/** A yuan amount typed for a money need: the fen to send, or why not. */
export function checkAmount(
  text: string,
  remaining: number,
): { amountFen: number } | { error: string } {
  const amountFen = fenFromYuanText(text);
  if (amountFen === undefined) return { error: '请输入金额（元），最多两位小数' };
  if (amountFen <= 0) return { error: '金额必须大于零' };
  if (amountFen > remaining) return { error: `该需求还差 ${yuan(remaining)}，请不要超过` };
  return { amountFen };
}

/** The quantities typed per item (empty = none): the items to pledge, or why not. */
export function pledgeItems(
  typed: readonly string[],
  items: readonly PledgeableItem[],
): { items: Array<{ itemIndex: number; quantity: number }> } | { error: string } {
  const chosen: Array<{ itemIndex: number; quantity: number }> = [];
  for (const [index, item] of items.entries()) {
    const text = (typed[index] ?? '').trim();
    if (text === '' || text === '0') continue;
    if (!/^\d{1,6}$/.test(text)) return { error: `${item.name}：数量应为整数` };
    const quantity = Number(text);
    const left = remainingQuantity(item);
    if (quantity > left) return { error: `${item.name}：最多还需 ${left} ${item.unit}` };
    chosen.push({ itemIndex: index, quantity });
  }
  return chosen.length > 0 ? { items: chosen } : { error: '请至少填写一种物品的数量' };
}

/** How the goods will travel: express needs a courier; the tracking number may come later. */
export function deliveryOf(
  method: string,
  courier: string,
  trackingNumber: string,
): { delivery: PledgeDelivery } | { error: string } {
  if (method === 'in_person') return { delivery: { method: 'in_person' } };
  if (method !== 'express') return { error: '请选择交付方式' };
  if (!courier) return { error: '请选择快递公司' };
  const tracking = trackingNumber.replace(/\s/g, '');
  if (tracking && !/^[A-Za-z0-9-]{6,40}$/.test(tracking)) return { error: '快递单号格式不对' };
  return {
    // The select offers the server's couriers; the server checks the id against its list.
    delivery: {
      method: 'express',
      courier: courier as CourierId,
      ...(tracking ? { trackingNumber: tracking } : {}),
    },
  };
}

/**
 * Is a certificate still to come for any of these donations? A gift still pending is being
 * settled; received money and delivered goods earn one, issued a moment later by a trigger. A
 * pledge waits for its payment (up to 48 h), not for this.
 */
export function awaitingCertificate(
  donations: ReadonlyArray<{ kind: string; status: string; certificateSerial: string | null }>,
): boolean {
  return donations.some(
    (donation) =>
      !donation.certificateSerial &&
      (donation.status === 'pending' ||
        (donation.kind === 'money' && donation.status === 'received') ||
        (donation.kind === 'goods' && donation.status === 'delivered')),
  );
}

/**
 * Should 我的捐助 look again in a moment? A gift still being settled or a certificate still to
 * come, or the gift the donor has just paid while the provider's payment notice is on its way.
 */
export function awaitingUpdate(
  donations: ReadonlyArray<{
    id: string;
    kind: string;
    status: string;
    certificateSerial: string | null;
  }>,
  justPaid: string | null,
): boolean {
  return (
    awaitingCertificate(donations) ||
    donations.some((donation) => donation.id === justPaid && donation.status === 'pledged')
  );
}

/**
 * Where a face-to-face hand-over stands, for the donor: both sides confirm — the household
 * through the village, the donor with their own tap — and only then is it delivered. Null when
 * there is nothing to say (express, or a pledge that ended).
 */
export function handoverText(donation: {
  kind: string;
  status: string;
  delivery: string | null;
  handover?: HandoverState | null;
}): string | null {
  if (donation.kind !== 'goods' || donation.delivery !== 'in_person') return null;
  if (!['held', 'shipped'].includes(donation.status)) return null;
  const { recipientConfirmed = false, donorConfirmed = false } = donation.handover ?? {};
  if (recipientConfirmed && !donorConfirmed)
    return '村里已登记受助户收到物品，请您点击“我已当面交付”确认';
  if (donorConfirmed && !recipientConfirmed) return '您已确认交付，等待村里登记受助户收到后即完成';
  return '当面交付物品后，请点击“我已当面交付”；村里也会登记受助户收到';
}

/** The donor's own tap is asked for: a live face-to-face pledge the donor has not confirmed. */
export function donorMayConfirmHandover(donation: {
  kind: string;
  status: string;
  delivery: string | null;
  handover?: HandoverState | null;
}): boolean {
  return (
    donation.kind === 'goods' &&
    donation.delivery === 'in_person' &&
    ['held', 'shipped'].includes(donation.status) &&
    donation.handover?.donorConfirmed !== true
  );
}
