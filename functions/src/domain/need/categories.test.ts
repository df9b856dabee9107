import { needCategories, resolveGuarantee } from './categories';

describe('the 两不愁三保障 rule', () => {
  test.each([
    ['education', undefined, { guarantee: 'compulsory_education' }],
    ['medical', undefined, { guarantee: 'basic_medical' }],
    ['housing', undefined, { guarantee: 'safe_housing' }],
    ['medical', 'basic_medical', { guarantee: 'basic_medical' }],
    ['necessities', 'food', { guarantee: 'food' }],
    ['necessities', undefined, { problem: 'need_outside_guarantees' }],
    ['industry', undefined, { problem: 'need_outside_guarantees' }],
    ['employment', undefined, { problem: 'need_outside_guarantees' }],
    ['skills', undefined, { problem: 'need_outside_guarantees' }],
    ['industry', 'food', { guarantee: 'food' }],
    ['industry', 'safe_housing', { problem: 'need_guarantee_mismatch' }],
    ['medical', 'food', { problem: 'need_guarantee_mismatch' }],
  ] as const)('%s serving %s → %j', (category, guarantee, expected) => {
    expect(resolveGuarantee(category, guarantee)).toEqual(expected);
  });

  it('covers all seven categories', () => {
    expect(needCategories).toHaveLength(7);
  });
});
