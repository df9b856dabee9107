/** What donors see of a need, and the one-line description of what it asks for. */
import { formatYuan } from '../validation/money';
import { maskPersonalNumbers } from '../validation/text';
import { guaranteeLabels, needCategoryLabels, type NeedCategory } from './categories';
import { maskName } from './names';
import { publicStatuses, type NeedStatus } from './status';
import type { StoredNeed } from './stored';
import type { GoodsItem } from './submission';

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
  /** Money received so far (0 for goods): only money that arrived counts. */
  raisedFen: number;
  /** Money pledged and awaiting payment, held so nobody over-funds the need (0 for goods). */
  heldFen: number;
  /** What a new donor may still pledge: target − raised − held (0 for goods). */
  remainingFen: number;
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

/** A money need's received, held and still open amounts, as the public view shows them. */
export function moneyFigures(need: {
  kind: string;
  amountFen?: unknown;
  raisedFen?: unknown;
  heldFen?: unknown;
}): Pick<PublicNeedView, 'raisedFen' | 'heldFen' | 'remainingFen'> {
  if (need.kind !== 'money') return { raisedFen: 0, heldFen: 0, remainingFen: 0 };
  const raisedFen = countOf(need.raisedFen);
  const heldFen = countOf(need.heldFen);
  return {
    raisedFen,
    heldFen,
    remainingFen: Math.max(0, countOf(need.amountFen) - raisedFen - heldFen),
  };
}

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
    ...moneyFigures(need),
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
