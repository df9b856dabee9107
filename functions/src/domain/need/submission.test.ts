import { checkCharOf } from '../idNumber';
import { issuesOf } from '../validation/issues';
import {
  bankCard,
  fromJson,
  goodsNeed,
  idNumber,
  items,
  moneyNeed,
  photo,
  reviewNeedInput,
  submitNeedInput,
  validId,
  withField,
  without,
  type Json,
} from './fixtures';
import { rejectionReasonLabels, rejectionReasons } from './rejection';
import { reviewDateBeforeSubmission } from './submission';

describe('submitNeedInput refuses bad input with the exact path and code', () => {
  const money = moneyNeed() as Json;
  const goods = goodsNeed() as Json;
  const cases: Array<[string, unknown, Array<{ path: string; code: string }>]> = [
    // Unknown keys at any depth, prototype keys.
    [
      'unknown top-level key',
      withField(money, 'isAdmin', true),
      [{ path: 'isAdmin', code: 'unrecognized_keys' }],
    ],
    [
      'unknown key inside an item',
      withField(goods, 'items', [{ name: '棉被', quantity: 1, unit: '床', price: 1 }]),
      [{ path: 'items.0.price', code: 'unrecognized_keys' }],
    ],
    [
      '__proto__ at the top',
      fromJson(JSON.stringify(money).replace('{', '{"__proto__":{"status":"published"},')),
      [{ path: '__proto__', code: 'unrecognized_keys' }],
    ],
    [
      '__proto__ inside an item',
      fromJson(JSON.stringify(goods).replace('"name":"棉被"', '"__proto__":{"x":1},"name":"棉被"')),
      [{ path: 'items.0.__proto__', code: 'unrecognized_keys' }],
    ],
    [
      'constructor key',
      fromJson(JSON.stringify(money).replace('{', '{"constructor":{"prototype":{}},')),
      [{ path: 'constructor', code: 'unrecognized_keys' }],
    ],
    [
      'a status set by the client',
      withField(money, 'status', 'published'),
      [{ path: 'status', code: 'unrecognized_keys' }],
    ],
    [
      'bank account on a goods need',
      withField(goods, 'bankAccount', bankCard),
      [{ path: 'bankAccount', code: 'unrecognized_keys' }],
    ],
    [
      'items on a money need',
      withField(money, 'items', items(1)),
      [{ path: 'items', code: 'unrecognized_keys' }],
    ],
    // Money: no coercion.
    ['amount ""', withField(money, 'amountFen', ''), [{ path: 'amountFen', code: 'invalid_type' }]],
    [
      'amount "100"',
      withField(money, 'amountFen', '100'),
      [{ path: 'amountFen', code: 'invalid_type' }],
    ],
    [
      'amount 1e21',
      withField(money, 'amountFen', 1e21),
      [{ path: 'amountFen', code: 'money_too_large' }],
    ],
    [
      'amount 500,000.01 yuan',
      withField(money, 'amountFen', 50_000_001),
      [{ path: 'amountFen', code: 'money_too_large' }],
    ],
    [
      'amount -1',
      withField(money, 'amountFen', -1),
      [{ path: 'amountFen', code: 'money_too_small' }],
    ],
    [
      'amount 0',
      withField(money, 'amountFen', 0),
      [{ path: 'amountFen', code: 'money_too_small' }],
    ],
    [
      'amount 0.5',
      withField(money, 'amountFen', 0.5),
      [{ path: 'amountFen', code: 'money_not_integer' }],
    ],
    [
      'amount NaN',
      withField(money, 'amountFen', NaN),
      [{ path: 'amountFen', code: 'invalid_type' }],
    ],
    [
      'amount Infinity',
      withField(money, 'amountFen', Infinity),
      [{ path: 'amountFen', code: 'invalid_type' }],
    ],
    [
      'amount true',
      withField(money, 'amountFen', true),
      [{ path: 'amountFen', code: 'invalid_type' }],
    ],
    ['amount missing', without(money, 'amountFen'), [{ path: 'amountFen', code: 'invalid_type' }]],
    // ID numbers.
    [
      'wrong check character',
      withField(money, 'idNumber', idNumber + ((Number(checkCharOf(idNumber)) + 1) % 10 || 'X')),
      [{ path: 'idNumber', code: 'id_check_char' }],
    ],
    [
      'born on 30 February',
      withField(money, 'idNumber', '52052619700230003' + checkCharOf('52052619700230003')),
      [{ path: 'idNumber', code: 'id_birth_date' }],
    ],
    [
      'born in the future',
      withField(money, 'idNumber', '52052620300101003' + checkCharOf('52052620300101003')),
      [{ path: 'idNumber', code: 'id_birth_date' }],
    ],
    [
      'ID of 17 characters',
      withField(money, 'idNumber', idNumber),
      [{ path: 'idNumber', code: 'id_format' }],
    ],
    [
      'ID as a number',
      withField(money, 'idNumber', 520526197001010030),
      [{ path: 'idNumber', code: 'invalid_type' }],
    ],
    // Names and free text.
    [
      'bidi override in the name',
      withField(money, 'headName', '张\u202E国华'),
      [{ path: 'headName', code: 'name_bidi' }],
    ],
    [
      'bidi isolate in the name',
      withField(money, 'headName', '\u2067张国华'),
      [{ path: 'headName', code: 'name_bidi' }],
    ],
    [
      'zero-width space in the name',
      withField(money, 'headName', '张\u200B国华'),
      [{ path: 'headName', code: 'name_zero_width' }],
    ],
    [
      'BOM in the name',
      withField(money, 'headName', '\uFEFF张国华'),
      [{ path: 'headName', code: 'name_zero_width' }],
    ],
    [
      'Latin letters in the name',
      withField(money, 'headName', 'Zhang Guohua'),
      [{ path: 'headName', code: 'name_chars' }],
    ],
    [
      'over-long name',
      withField(money, 'headName', '张'.repeat(31)),
      [{ path: 'headName', code: 'name_too_long' }],
    ],
    [
      'over-byte name',
      withField(money, 'headName', '𠮷'.repeat(23)),
      [{ path: 'headName', code: 'name_bytes' }],
    ],
    ['empty name', withField(money, 'headName', ''), [{ path: 'headName', code: 'name_empty' }]],
    [
      'bidi in the administrator name',
      withField(money, 'adminName', '禄\u202D春兰'),
      [{ path: 'adminName', code: 'name_bidi' }],
    ],
    [
      'over-long address',
      withField(money, 'address', '村'.repeat(101)),
      [{ path: 'address', code: 'address_too_long' }],
    ],
    [
      'over-byte address',
      withField(money, 'address', '𠮷'.repeat(80)),
      [{ path: 'address', code: 'address_bytes' }],
    ],
    [
      'over-long reason',
      withField(money, 'reason', '缺'.repeat(501)),
      [{ path: 'reason', code: 'reason_too_long' }],
    ],
    [
      'over-byte reason',
      withField(money, 'reason', '🏠'.repeat(376)),
      [{ path: 'reason', code: 'reason_bytes' }],
    ],
    [
      'bank number inside the reason',
      withField(money, 'reason', `请汇款到${bankCard}，谢谢`),
      [{ path: 'reason', code: 'reason_number' }],
    ],
    [
      'zero-width joiner in the reason',
      withField(money, 'reason', '需要\u200D医疗费用帮助'),
      [{ path: 'reason', code: 'reason_zero_width' }],
    ],
    // Category, kind and the 两不愁三保障 rule.
    [
      'unknown category',
      withField(money, 'category', 'car'),
      [{ path: 'category', code: 'invalid_value' }],
    ],
    [
      'category by its label',
      withField(money, 'category', '医疗救助'),
      [{ path: 'category', code: 'invalid_value' }],
    ],
    [
      'unknown kind',
      withField(money, 'kind', 'service'),
      [{ path: 'kind', code: 'invalid_union' }],
    ],
    [
      'industry need with no guarantee',
      withField(money, 'category', 'industry'),
      [{ path: 'guarantee', code: 'need_outside_guarantees' }],
    ],
    [
      'education need serving housing',
      withField(withField(money, 'category', 'education'), 'guarantee', 'safe_housing'),
      [{ path: 'guarantee', code: 'need_guarantee_mismatch' }],
    ],
    [
      'unknown guarantee',
      withField(money, 'guarantee', 'wealth'),
      [{ path: 'guarantee', code: 'invalid_value' }],
    ],
    // Goods.
    ['goods without items', without(goods, 'items'), [{ path: 'items', code: 'invalid_type' }]],
    ['goods with no item', withField(goods, 'items', []), [{ path: 'items', code: 'too_small' }]],
    ['21 items', withField(goods, 'items', items(21)), [{ path: 'items', code: 'too_big' }]],
    [
      'quantity 0',
      withField(goods, 'items', [{ name: '棉被', quantity: 0, unit: '床' }]),
      [{ path: 'items.0.quantity', code: 'too_small' }],
    ],
    [
      'quantity 1.5',
      withField(goods, 'items', [{ name: '棉被', quantity: 1.5, unit: '床' }]),
      [{ path: 'items.0.quantity', code: 'invalid_type' }],
    ],
    [
      'quantity "2"',
      withField(goods, 'items', [{ name: '棉被', quantity: '2', unit: '床' }]),
      [{ path: 'items.0.quantity', code: 'invalid_type' }],
    ],
    [
      'item with no name',
      withField(goods, 'items', [{ name: ' ', quantity: 1, unit: '床' }]),
      [{ path: 'items.0.name', code: 'item_name_empty' }],
    ],
    [
      'the same item twice',
      withField(goods, 'items', [
        { name: '棉被', quantity: 1, unit: '床' },
        { name: '棉被', quantity: 2, unit: '床' },
      ]),
      [{ path: 'items.1', code: 'items_duplicate' }],
    ],
    [
      'items as an object',
      withField(goods, 'items', { 0: items(1)[0] }),
      [{ path: 'items', code: 'invalid_type' }],
    ],
    // Bank account.
    [
      'money need without a bank account',
      without(money, 'bankAccount'),
      [{ path: 'bankAccount', code: 'invalid_type' }],
    ],
    [
      'letters in the bank number',
      withField(money, 'bankAccount', '6222O21234567890128'),
      [{ path: 'bankAccount', code: 'bank_format' }],
    ],
    [
      'bank number too short',
      withField(money, 'bankAccount', '62220212345'),
      [{ path: 'bankAccount', code: 'bank_length' }],
    ],
    // Evidence and ids.
    [
      'ten photos',
      withField(
        money,
        'evidencePhotoIds',
        Array.from({ length: 10 }, (_, i) => photo(i)),
      ),
      [{ path: 'evidencePhotoIds', code: 'too_big' }],
    ],
    [
      'no photo',
      withField(money, 'evidencePhotoIds', []),
      [{ path: 'evidencePhotoIds', code: 'too_small' }],
    ],
    [
      'a photo path instead of an id',
      withField(money, 'evidencePhotoIds', ['../uploads/a.jpg']),
      [{ path: 'evidencePhotoIds.0', code: 'invalid_format' }],
    ],
    [
      'the same photo twice',
      withField(money, 'evidencePhotoIds', [photo(1), photo(1)]),
      [{ path: 'evidencePhotoIds.1', code: 'evidence_duplicate' }],
    ],
    [
      'request id not a UUID',
      withField(money, 'requestId', 'retry-1'),
      [{ path: 'requestId', code: 'invalid_format' }],
    ],
    [
      'household id with a slash',
      withField(money, 'householdId', 'households/x'),
      [{ path: 'householdId', code: 'invalid_format' }],
    ],
    // Not an object at all.
    ['an array', [money], [{ path: '', code: 'invalid_type' }]],
    ['null', null, [{ path: '', code: 'invalid_type' }]],
  ];

  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  test.each(cases)('%s', (_label, input, expected) => {
    const result = submitNeedInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(issuesOf(result.error)).toEqual(expected);
  });

  it('never echoes the submitted values in issues', () => {
    const result = submitNeedInput.safeParse({
      ...money,
      headName: '张\u202E国华',
      idNumber: '52052619700230003X',
      bankAccount: '6222O21234567890128',
    });
    const text = JSON.stringify(issuesOf(result.error));
    expect(text).not.toContain('国华');
    expect(text).not.toContain('5205261970');
    expect(text).not.toContain('6222');
  });
});

describe('submitNeedInput accepts the positive twins, canonicalised', () => {
  it('accepts a money need and keeps the amount in fen', () => {
    const need = submitNeedInput.parse(moneyNeed());
    expect(need).toMatchObject({ kind: 'money', amountFen: 500_000, idNumber: validId });
    expect(need.kind === 'money' && need.bankAccount).toEqual({ number: bankCard, luhnOk: true });
  });

  it('turns a full-width ID with a lower-case x into the canonical one', () => {
    const first17 = '11010519491231002';
    const fullWidth = '１１０１０５１９４９１２３１００２ｘ';
    expect(checkCharOf(first17)).toBe('X');
    const need = submitNeedInput.parse({ ...moneyNeed(), idNumber: fullWidth });
    expect(need.idNumber).toBe('11010519491231002X');
  });

  test.each([
    ['买买提・艾力', '买买提·艾力'],
    ['阿依古丽•吐尔逊', '阿依古丽·吐尔逊'],
    ['吉𠮷', '吉𠮷'],
    ['刘䶮', '刘䶮'],
    ['王赟', '王赟'],
    ['欧阳 娜娜', '欧阳娜娜'],
  ])('accepts the name %j as %j', (raw, canonical) => {
    expect(submitNeedInput.parse({ ...moneyNeed(), headName: raw }).headName).toBe(canonical);
  });

  it('accepts a passbook number failing Luhn, flagged for a warning', () => {
    const need = submitNeedInput.parse({ ...moneyNeed(), bankAccount: '6222 0212 3456 7890 123' });
    expect(need.kind === 'money' && need.bankAccount).toEqual({
      number: '6222021234567890123',
      luhnOk: false,
    });
  });

  it('accepts a goods need with items and no bank account', () => {
    const need = submitNeedInput.parse(goodsNeed());
    expect(need.kind === 'goods' && need.items).toHaveLength(2);
  });

  test.each([
    ['industry', 'food'],
    ['employment', 'clothing'],
    ['skills', 'food'],
    ['education', undefined],
    ['housing', 'safe_housing'],
  ])('accepts a %s need serving %s', (category, guarantee) => {
    const input = { ...moneyNeed(), category, ...(guarantee ? { guarantee } : {}) };
    expect(submitNeedInput.safeParse(input).success).toBe(true);
  });

  it('accepts nine photos and 20 items', () => {
    const photos = Array.from({ length: 9 }, (_, i) => photo(i));
    expect(submitNeedInput.safeParse({ ...moneyNeed(), evidencePhotoIds: photos }).success).toBe(
      true,
    );
    expect(submitNeedInput.safeParse({ ...goodsNeed(), items: items(20) }).success).toBe(true);
  });
});

describe('reviewNeedInput', () => {
  const base = {
    requestId: '0b9f2d4e-6a1c-4f3e-8b2a-1c2d3e4f5a6b',
    needId: 'n1',
    reviewDate: '2026-11-23',
    reviewerName: '禄春兰',
  };

  it('accepts a publish opinion recorded today (Beijing time)', () => {
    expect(reviewNeedInput.parse({ ...base, opinion: 'publish' })).toMatchObject({
      opinion: 'publish',
      reviewDate: '2026-11-23',
    });
  });

  it('accepts a rejection with reasons and a note', () => {
    const review = reviewNeedInput.parse({
      ...base,
      opinion: 'reject',
      reasonCodes: ['information_false', 'other'],
      note: '入户核实，房屋已由政府改造',
    });
    expect(review.opinion === 'reject' && review.reasonCodes).toEqual([
      'information_false',
      'other',
    ]);
  });

  test.each([
    [
      'review tomorrow',
      { ...base, reviewDate: '2026-11-24', opinion: 'publish' },
      [{ path: 'reviewDate', code: 'date_future' }],
    ],
    [
      'review on 30 February',
      { ...base, reviewDate: '2026-02-30', opinion: 'publish' },
      [{ path: 'reviewDate', code: 'date_invalid' }],
    ],
    [
      'review date as a timestamp',
      { ...base, reviewDate: 1795000000000, opinion: 'publish' },
      [{ path: 'reviewDate', code: 'invalid_type' }],
    ],
    [
      'reviewer with a bidi control',
      { ...base, reviewerName: '禄\u202E春兰', opinion: 'publish' },
      [{ path: 'reviewerName', code: 'name_bidi' }],
    ],
    [
      'rejection without reasons',
      { ...base, opinion: 'reject' },
      [{ path: 'reasonCodes', code: 'invalid_type' }],
    ],
    [
      'rejection with an empty reason list',
      { ...base, opinion: 'reject', reasonCodes: [] },
      [{ path: 'reasonCodes', code: 'too_small' }],
    ],
    [
      'rejection with a free-text reason',
      { ...base, opinion: 'reject', reasonCodes: ['不合适'] },
      [{ path: 'reasonCodes.0', code: 'invalid_value' }],
    ],
    [
      'the same reason twice',
      { ...base, opinion: 'reject', reasonCodes: ['duplicate', 'duplicate'] },
      [{ path: 'reasonCodes.1', code: 'reason_duplicate' }],
    ],
    [
      '"other" with no note',
      { ...base, opinion: 'reject', reasonCodes: ['other'] },
      [{ path: 'note', code: 'note_required' }],
    ],
    [
      'reasons on a publish opinion',
      { ...base, opinion: 'publish', reasonCodes: ['duplicate'] },
      [{ path: 'reasonCodes', code: 'unrecognized_keys' }],
    ],
    [
      'an unknown opinion',
      { ...base, opinion: 'approve' },
      [{ path: 'opinion', code: 'invalid_union' }],
    ],
  ])('%s', (_label, input, expected) => {
    expect(issuesOf(reviewNeedInput.safeParse(input).error)).toEqual(expected);
  });

  it('labels every rejection reason in Chinese', () => {
    for (const code of rejectionReasons)
      expect(rejectionReasonLabels[code]).toMatch(/\p{Script=Han}/u);
    expect(rejectionReasons).toEqual(
      expect.arrayContaining([
        'outside_guarantees',
        'stably_out',
        'duplicate',
        'information_false',
      ]),
    );
  });

  test.each([
    ['2026-11-22', new Date('2026-11-22T20:00:00Z'), true], // submitted on the 23rd, Beijing time
    ['2026-11-23', new Date('2026-11-22T20:00:00Z'), false],
    ['2026-11-23', new Date('2026-11-23T01:00:00Z'), false],
  ])('review on %s before a submission at %s: %s', (date, submittedAt, before) => {
    expect(reviewDateBeforeSubmission(date, submittedAt)).toBe(before);
  });
});
