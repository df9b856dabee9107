import { checkCharOf } from './idNumber';
import {
  canTransition,
  describeNeed,
  maskName,
  needCategories,
  needDocumentsOf,
  needHouseholdProblems,
  needStatuses,
  needTransitions,
  nextStatuses,
  publicNeedView,
  rejectionReasonLabels,
  rejectionReasons,
  resolveGuarantee,
  revalidationPatch,
  statusForCoverage,
  reviewNeedInputAt,
  reviewDateBeforeSubmission,
  submitNeedInputAt,
  validateStoredNeed,
  type NeedActor,
  type NeedStatus,
  type StoredNeed,
} from './need';
import { regionFieldsOf } from './regions';
import { issuesOf } from './validation/issues';

const now = new Date('2026-11-23T03:00:00Z');
const submitNeedInput = submitNeedInputAt(() => now);
const reviewNeedInput = reviewNeedInputAt(() => now);

const idNumber = '52052619700101' + '003';
const validId = idNumber + checkCharOf(idNumber);
const bankCard = '6222021234567890128';
const photo = (n: number) => `3f1c2b9e-8d4a-4e6f-9a1b-${String(n).padStart(12, 'a')}`;

/** A valid money need, as JSON text so that `__proto__` keys stay own keys as on the wire. */
const moneyNeed = () => ({
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

const goodsNeed = () => {
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

type Json = Record<string, unknown>;
const fromJson = (text: string): unknown => JSON.parse(text);
const withField = (base: Json, key: string, value: unknown): Json => ({ ...base, [key]: value });
const without = (base: Json, key: string): Json => {
  const copy = { ...base };
  delete copy[key];
  return copy;
};
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `物品${i + 1}`, quantity: 1, unit: '件' }));

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

describe('the lifecycle', () => {
  const actors: NeedActor[] = [
    'household',
    'helper',
    'village_admin',
    'township_admin',
    'county_admin',
    'ops',
    'donor',
    'system',
  ];

  test.each([
    [null, 'submitted', 'helper', true],
    [null, 'submitted', 'village_admin', true],
    [null, 'submitted', 'household', false],
    [null, 'submitted', 'township_admin', false],
    [null, 'published', 'village_admin', false],
    ['submitted', 'under_review', 'village_admin', true],
    ['submitted', 'under_review', 'helper', false],
    ['submitted', 'published', 'village_admin', false], // not without the in-person review
    ['under_review', 'published', 'village_admin', true],
    ['under_review', 'published', 'household', false],
    ['under_review', 'published', 'helper', false],
    ['under_review', 'published', 'township_admin', false],
    ['under_review', 'published', 'ops', false],
    ['under_review', 'published', 'system', false],
    ['under_review', 'rejected', 'village_admin', true],
    ['under_review', 'rejected', 'helper', false],
    ['submitted', 'withdrawn', 'helper', true],
    ['under_review', 'withdrawn', 'helper', true],
    ['published', 'withdrawn', 'village_admin', true],
    ['published', 'withdrawn', 'helper', false],
    ['rejected', 'published', 'village_admin', false],
    ['withdrawn', 'submitted', 'helper', false],
    ['published', 'invalid', 'system', true],
    ['published', 'invalid', 'village_admin', false],
    ['matched', 'invalid', 'system', false],
    ['invalid', 'submitted', 'system', true],
    ['invalid', 'published', 'village_admin', false],
    ['published', 'matched', 'system', true],
    ['published', 'matched', 'donor', false],
    ['matched', 'fulfilled', 'helper', true],
    ['fulfilled', 'closed', 'village_admin', true],
    ['closed', 'published', 'village_admin', false],
    ['matched', 'published', 'village_admin', false],
    ['matched', 'withdrawn', 'village_admin', false],
    ['matched', 'withdrawn', 'ops', true],
    ['fulfilled', 'withdrawn', 'ops', true],
    ['under_review', 'withdrawn', 'ops', false],
  ] as const)('%s → %s by %s: %s', (from, to, actor, allowed) => {
    expect(canTransition(from, to, actor)).toBe(allowed);
  });

  it('lets no one but a village administrator publish, from any status', () => {
    for (const from of [null, ...needStatuses] as Array<NeedStatus | null>) {
      for (const actor of actors) {
        if (canTransition(from, 'published', actor)) {
          // The system only returns an already published need that lost its coverage.
          if (actor === 'system') expect(['matched', 'fulfilled', 'closed']).toContain(from);
          else expect([from, actor]).toEqual(['under_review', 'village_admin']);
        }
      }
    }
  });

  test.each([
    ['published', true, 'matched'],
    ['published', false, 'published'],
    ['matched', true, 'matched'],
    ['matched', false, 'published'],
    ['fulfilled', false, 'published'],
    ['closed', false, 'published'],
    ['fulfilled', true, 'fulfilled'],
    ['withdrawn', true, 'withdrawn'],
    ['withdrawn', false, 'withdrawn'],
    ['invalid', false, 'invalid'],
  ] as const)('a %s need, covered %s, becomes %s', (from, covered, to) => {
    expect(statusForCoverage(from, covered)).toBe(to);
    if (from !== to) expect(canTransition(from, to, 'system')).toBe(true);
  });

  it('never takes down a need that holds an accepted gift or kept pledge', () => {
    const problems = ['reason:not_canonical'];
    expect(revalidationPatch({ status: 'published', raisedFen: 100 }, problems)).toEqual({
      problems,
    });
    expect(
      revalidationPatch({ status: 'published', itemProgress: [{ pledged: 1 }] }, problems),
    ).toEqual({ problems });
    expect(revalidationPatch({ status: 'published', raisedFen: 0 }, problems)).toEqual({
      status: 'invalid',
      problems,
    });
  });

  it('gives the household no transition at all', () => {
    for (const from of [null, ...needStatuses] as Array<NeedStatus | null>) {
      expect(nextStatuses(from, 'household')).toEqual([]);
    }
  });

  it('names every status in the table', () => {
    const named = new Set(needTransitions.flatMap((t) => [t.from, t.to]));
    for (const status of needStatuses) expect(named.has(status)).toBe(true);
  });

  it('lists what a helper may do with a submitted need', () => {
    expect(nextStatuses('submitted', 'helper')).toEqual(['withdrawn']);
    expect(nextStatuses('under_review', 'village_admin')).toEqual([
      'published',
      'rejected',
      'withdrawn',
    ]);
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

describe('the household behind a need', () => {
  const household = {
    villageCode: '520526105201',
    headName: '张国华',
    idLast4: validId.slice(-4),
    status: 'out' as const,
    onRoster: true,
    registered: true,
  };
  const need = { headName: '张国华', idNumber: validId };

  it('accepts the household of the file', () => {
    expect(needHouseholdProblems(need, household)).toEqual([]);
  });

  test.each([
    [
      { status: 'stably_out' as const },
      need,
      [{ path: 'householdId', code: 'household_stably_out' }],
    ],
    [{ onRoster: false }, need, [{ path: 'householdId', code: 'household_not_on_roster' }]],
    [{ registered: false }, need, [{ path: 'householdId', code: 'household_not_registered' }]],
    [{}, { ...need, headName: '张国强' }, [{ path: 'headName', code: 'household_name_mismatch' }]],
    [
      {},
      { ...need, idNumber: '11010519491231002X' },
      [{ path: 'idNumber', code: 'household_id_mismatch' }],
    ],
  ])('%j %j → %j', (change, input, expected) => {
    expect(needHouseholdProblems(input, { ...household, ...change })).toEqual(expected);
  });
});

const region = regionFieldsOf('520526105201');

function storedMoneyNeed(): StoredNeed {
  return needDocumentsOf(submitNeedInput.parse(moneyNeed()), region).need;
}

function publishedNeed(): StoredNeed {
  return {
    ...storedMoneyNeed(),
    status: 'published',
    review: { date: '2026-11-20', reviewerName: '禄春兰', opinion: 'publish' },
  };
}

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

describe('re-validation reaches a fixed point', () => {
  const apply = (doc: Record<string, unknown>, patch: object | null) =>
    patch ? { ...doc, ...patch } : doc;

  test.each([
    ['a valid published need', {}, null, 'published'],
    ['a published need with a bidi name', { headName: '张\u202E国华' }, 'invalid', 'invalid'],
    [
      'a matched need with a console edit',
      { status: 'matched', amountFen: -1 },
      undefined,
      'matched',
    ],
  ])('%s', (_label, change, patchedStatus, finalStatus) => {
    const doc: Record<string, unknown> = { ...publishedNeed(), ...change };
    const first = revalidationPatch(doc, validateStoredNeed(doc));
    if (patchedStatus === null) expect(first).toBeNull();
    else expect(first?.status).toBe(patchedStatus);
    const after = apply(doc, first);
    expect(after.status).toBe(finalStatus);
    // A second delivery of the same event finds nothing to write.
    expect(revalidationPatch(after, validateStoredNeed(after))).toBeNull();
  });

  it('takes a need with an unknown status down, then back to review', () => {
    const typo: Record<string, unknown> = { ...publishedNeed(), status: 'publised' };
    const first = revalidationPatch(typo, validateStoredNeed(typo));
    expect(first).toEqual({ status: 'invalid', problems: ['status:invalid_value'] });
    const marked = { ...typo, ...first };
    const second = revalidationPatch(marked, validateStoredNeed(marked));
    expect(second).toEqual({ status: 'submitted', problems: [] });
    const back = { ...marked, ...second };
    expect(revalidationPatch(back, validateStoredNeed(back))).toBeNull();
  });

  it('keeps a need of a household stably out of poverty taken down, rather than flipping forever', () => {
    const household = {
      villageCode: publishedNeed().villageCode as string,
      status: 'stably_out' as const,
    };
    let doc: Record<string, unknown> = { ...publishedNeed(), status: 'submitted', review: null };
    const first = revalidationPatch(doc, validateStoredNeed(doc, { household }));
    expect(first).toEqual({ status: 'invalid', problems: ['householdId:household_stably_out'] });
    doc = { ...doc, ...first };
    expect(revalidationPatch(doc, validateStoredNeed(doc, { household }))).toBeNull();
  });

  it('records problems on a matched need without moving it', () => {
    const doc = { ...publishedNeed(), status: 'matched', amountFen: -1 };
    expect(revalidationPatch(doc, validateStoredNeed(doc))).toEqual({
      problems: ['amountFen:money_too_small'],
    });
  });

  it('sends a corrected invalid need back to review, once', () => {
    const invalid = { ...publishedNeed(), status: 'invalid', problems: ['headName:name_bidi'] };
    const patch = revalidationPatch(invalid, validateStoredNeed(invalid));
    expect(patch).toEqual({ status: 'submitted', problems: [] });
    const after = { ...invalid, ...patch };
    expect(revalidationPatch(after, validateStoredNeed(after))).toBeNull();
  });
});

describe('maskName', () => {
  test.each([
    ['华', '*'],
    ['张三', '张*'],
    ['张国华', '张*华'],
    ['欧阳华', '欧阳*'],
    ['欧阳娜娜', '欧阳**'],
    ['李小明明', '李***'],
    ['司马相如', '司马**'],
    ['吉𠮷', '吉*'],
    ['𠮷国华', '𠮷*华'],
    ['买买提·艾力', '买**·**'],
    ['阿依古丽·吐尔逊', '阿***·***'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

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
    // has been raised (nothing yet).
    const stripped = [String(500_000), '"raisedFen":0', ...need.evidencePhotoIds].reduce(
      (text, value) => text.split(value).join(''),
      json,
    );
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
