import {
  bankCard,
  goodsNeed,
  moneyNeed,
  photo,
  publishedNeed,
  region,
  storedMoneyNeed,
  submitNeedInput,
  validId,
} from './fixtures';
import { validateStoredNeed } from './revalidation';
import { needDocumentsOf } from './stored';

describe('the stored documents', () => {
  it('splits the ID and bank number into the private document', () => {
    const { need, needPrivate } = needDocumentsOf(submitNeedInput.parse(moneyNeed()), region);
    expect(needPrivate).toEqual({ idNumber: validId, bankAccount: bankCard });
    expect(need).toMatchObject({
      idLast4: validId.slice(-4),
      bankLast4: '0128',
      status: 'submitted',
    });
    expect(JSON.stringify(need)).not.toContain(validId.slice(0, 14));
    expect(JSON.stringify(need)).not.toContain(bankCard.slice(0, 15));
  });

  it('stores a goods need with no bank account anywhere', () => {
    const { need, needPrivate } = needDocumentsOf(submitNeedInput.parse(goodsNeed()), region);
    expect(needPrivate.bankAccount).toBeNull();
    expect(need).not.toHaveProperty('bankLast4');
    expect(need.guarantee).toBe('clothing');
  });

  it('finds nothing wrong with what a submission writes', () => {
    expect(validateStoredNeed(storedMoneyNeed())).toEqual([]);
    expect(
      validateStoredNeed(needDocumentsOf(submitNeedInput.parse(goodsNeed()), region).need),
    ).toEqual([]);
    expect(validateStoredNeed(publishedNeed())).toEqual([]);
  });

  test.each([
    [
      'a bidi control put in through the console',
      { headName: '张\u202E国华' },
      ['headName:name_bidi'],
    ],
    ['an uncanonical name', { headName: '买买提・艾力' }, ['headName:not_canonical']],
    ['an amount as a string', { amountFen: '5000' }, ['amountFen:invalid_type']],
    ['a negative amount', { amountFen: -100 }, ['amountFen:money_too_small']],
    ['published without a review', { review: null }, ['review:missing_publish_review']],
    [
      'published after a rejection',
      { review: { date: '2026-11-20', reviewerName: '禄春兰', opinion: 'reject' } },
      ['review:missing_publish_review'],
    ],
    ['a status typo', { status: 'publised' }, ['status:invalid_value']],
    [
      'an industry need serving nothing',
      { category: 'industry', guarantee: 'safe_housing' },
      ['guarantee:need_guarantee_mismatch'],
    ],
    [
      'a full ID number in the public document',
      { idNumber: validId },
      ['idNumber:sensitive_value'],
    ],
    [
      'a bank number hidden in a note field',
      { remark: `卡号${bankCard}` },
      ['remark:sensitive_value'],
    ],
    [
      'a full ID in the reason',
      { reason: `身份证${validId}需要帮助` },
      ['reason:reason_number', 'reason:sensitive_value'],
    ],
    ['no bank account on a money need', { bankLast4: undefined }, ['bankLast4:invalid_type']],
    [
      'ten photos',
      { evidencePhotoIds: Array.from({ length: 10 }, (_, i) => photo(i)) },
      ['evidencePhotoIds:too_big'],
    ],
    [
      'a review date in the future',
      { review: { date: '2099-01-01', reviewerName: '禄春兰', opinion: 'publish' } },
      ['review.date:date_future'],
    ],
    ['an unknown kind', { kind: 'service' }, ['kind:invalid_union']],
  ])('%s', (_label, change, problems) => {
    expect(validateStoredNeed({ ...publishedNeed(), ...change })).toEqual(problems);
  });

  test.each([
    [
      'rejected without reasons',
      {
        status: 'rejected',
        review: { date: '2026-11-20', reviewerName: '禄春兰', opinion: 'reject' },
      },
      ['review:missing_reject_reasons'],
    ],
    [
      'rejected with reasons',
      {
        status: 'rejected',
        review: {
          date: '2026-11-20',
          reviewerName: '禄春兰',
          opinion: 'reject',
          reasonCodes: ['duplicate'],
        },
      },
      [],
    ],
  ])('%s', (_label, change, problems) => {
    expect(validateStoredNeed({ ...storedMoneyNeed(), ...change })).toEqual(problems);
  });

  test.each([[null], ['need'], [[1, 2]]])('%j is not a need document', (doc) => {
    expect(validateStoredNeed(doc)).toEqual(['document:not_object']);
  });

  it('checks the household when the trigger has it', () => {
    const need = publishedNeed();
    expect(
      validateStoredNeed(need, {
        household: { villageCode: need.villageCode, status: 'stably_out' },
      }),
    ).toEqual(['householdId:household_stably_out']);
    expect(
      validateStoredNeed(need, { household: { villageCode: '520526105202', status: 'out' } }),
    ).toEqual(['villageCode:household_mismatch']);
    expect(
      validateStoredNeed(
        { ...need, status: 'matched' },
        { household: { villageCode: need.villageCode, status: 'stably_out' } },
      ),
    ).toEqual([]);
  });
});
