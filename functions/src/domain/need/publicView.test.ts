import {
  bankCard,
  goodsNeed,
  photo,
  publishedNeed,
  region,
  submitNeedInput,
  validId,
} from './fixtures';
import { describeNeed, publicNeedView } from './publicView';
import { needDocumentsOf } from './stored';

describe('publicNeedView', () => {
  const household = { headName: '张国华' };
  const village = { code: '520526105201', name: '新街村' };

  it('shows what a donor needs and no digit of the ID or bank number', () => {
    const need = { ...publishedNeed(), id: 'need-a' };
    const view = publicNeedView(need, household, village);
    expect(view).toMatchObject({
      maskedName: '张*华',
      villageName: '新街村',
      categoryLabel: '医疗救助',
      amountFen: 500_000,
      evidencePhotoIds: [photo(1), photo(2)],
    });
    const json = JSON.stringify(view);
    for (const secret of [validId, bankCard]) {
      for (let i = 0; i + 4 <= secret.length; i++)
        expect(json).not.toContain(secret.slice(i, i + 4));
    }
    // Every digit left is accounted for by a public value: the amount, the photo ids and what
    // has been raised or is held (nothing yet), and what remains (the whole amount).
    const stripped = [
      String(500_000),
      '"raisedFen":0',
      '"heldFen":0',
      ...need.evidencePhotoIds,
    ].reduce((text, value) => text.split(value).join(''), json);
    expect(stripped).not.toMatch(/\d/);
    expect(json).not.toContain('国');
    expect(json).not.toContain(need.address);
    expect(Object.keys(view ?? {})).not.toEqual(
      expect.arrayContaining(['idLast4', 'bankLast4', 'address', 'review', 'adminName']),
    );
  });

  it('masks a long number that reached the reason by another path', () => {
    const need = { ...publishedNeed(), id: 'n', reason: `请汇款到 ${bankCard} 谢谢帮助` };
    expect(publicNeedView(need, household, village)?.reason).toBe(
      `请汇款到 ${'*'.repeat(19)} 谢谢帮助`,
    );
  });

  it('shows goods as items', () => {
    const stored = needDocumentsOf(submitNeedInput.parse(goodsNeed()), region).need;
    const view = publicNeedView({ ...stored, id: 'g', status: 'published' }, household, village);
    expect(view).toMatchObject({
      kind: 'goods',
      amountFen: null,
      items: [
        { name: '棉被', quantity: 2, unit: '床' },
        { name: '冬衣', quantity: 3, unit: '件' },
      ],
    });
  });

  test.each(['submitted', 'under_review', 'rejected', 'withdrawn', 'invalid'] as const)(
    'hides a %s need',
    (status) => {
      expect(
        publicNeedView({ ...publishedNeed(), id: 'n', status }, household, village),
      ).toBeUndefined();
    },
  );
});

describe('describeNeed', () => {
  test.each([
    [
      { category: 'medical', kind: 'money', amountFen: 500_000 } as const,
      '医疗救助：资金 5,000.00 元',
    ],
    [
      {
        category: 'necessities',
        kind: 'goods',
        items: [
          { name: '棉被', quantity: 2, unit: '床' },
          { name: '大米', quantity: 50, unit: '斤' },
        ],
      } as const,
      '生活必需品：棉被 2 床、大米 50 斤',
    ],
  ])('%j → %s', (need, text) => {
    expect(describeNeed(need)).toBe(text);
  });
});
