/** Inputs and documents shared by the need tests: a valid money and goods submission, a stored and a published need. */
import { checkCharOf } from '../idNumber';
import { regionFieldsOf } from '../regions';
import { needDocumentsOf, type StoredNeed } from './stored';
import { reviewNeedInputAt, submitNeedInputAt } from './submission';

export const now = new Date('2026-11-23T03:00:00Z');
export const submitNeedInput = submitNeedInputAt(() => now);
export const reviewNeedInput = reviewNeedInputAt(() => now);

export const idNumber = '52052619700101' + '003';
export const validId = idNumber + checkCharOf(idNumber);
export const bankCard = '6222021234567890128';
export const photo = (n: number) => `3f1c2b9e-8d4a-4e6f-9a1b-${String(n).padStart(12, 'a')}`;

/** A valid money need, as JSON text so that `__proto__` keys stay own keys as on the wire. */
export const moneyNeed = () => ({
  requestId: '7d3c6a7e-2f41-4c8e-9b1a-5e6f7a8b9c0d',
  householdId: 'h520526105201001',
  category: 'medical',
  kind: 'money',
  amountFen: 500_000,
  headName: '张国华',
  idNumber: validId,
  address: '威宁县石门乡新街村1组10号',
  reason: '户主患慢性肾病，需长期透析，医保报销后自付部分仍有缺口。',
  evidencePhotoIds: [photo(1), photo(2)],
  bankAccount: bankCard,
  adminName: '禄春兰',
});

export const goodsNeed = () => {
  const { amountFen: _a, bankAccount: _b, ...rest } = moneyNeed();
  return {
    ...rest,
    category: 'necessities',
    guarantee: 'clothing',
    kind: 'goods',
    items: [
      { name: '棉被', quantity: 2, unit: '床' },
      { name: '冬衣', quantity: 3, unit: '件' },
    ],
  };
};

export type Json = Record<string, unknown>;
export const fromJson = (text: string): unknown => JSON.parse(text);
export const withField = (base: Json, key: string, value: unknown): Json => ({
  ...base,
  [key]: value,
});
export const without = (base: Json, key: string): Json => {
  const copy = { ...base };
  delete copy[key];
  return copy;
};
export const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `物品${i + 1}`, quantity: 1, unit: '件' }));

export const region = regionFieldsOf('520526105201');

export function storedMoneyNeed(): StoredNeed {
  return needDocumentsOf(submitNeedInput.parse(moneyNeed()), region).need;
}

export function publishedNeed(): StoredNeed {
  return {
    ...storedMoneyNeed(),
    status: 'published',
    review: { date: '2026-11-20', reviewerName: '禄春兰', opinion: 'publish' },
  };
}
