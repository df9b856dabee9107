import {
  addressSchema,
  budgets,
  charCount,
  checkFreeText,
  checkPersonName,
  itemNameSchema,
  noteSchema,
  personNameSchema,
  reasonSchema,
  unitSchema,
  utf8Bytes,
} from './text';

const codesOf = (result: { success: boolean; error?: { issues: unknown[] } }) =>
  (result.error?.issues ?? []).map(
    (issue) => (issue as { params?: { code?: string } }).params?.code,
  );

describe('person names', () => {
  test.each([
    ['张三', '张三'],
    ['  李四 ', '李四'],
    ['黄  聃', '黄聃'], // rosters pad two-character names
    ['张　华', '张华'], // ideographic space
    ['买买提·艾力', '买买提·艾力'],
    ['买买提・艾力', '买买提·艾力'], // U+30FB
    ['买买提･艾力', '买买提·艾力'], // U+FF65
    ['买买提•艾力', '买买提·艾力'], // U+2022
    ['买买提‧艾力', '买买提·艾力'], // U+2027
    ['买买提⋅艾力', '买买提·艾力'], // U+22C5
    ['买买提∙艾力', '买买提·艾力'], // U+2219
    ['买买提.艾力', '买买提·艾力'],
    ['买买提．艾力', '买买提·艾力'], // U+FF0E
    ['买买提\u0387艾力', '买买提·艾力'], // Greek ano teleia
    ['吉𠮷', '吉𠮷'], // extension B, 4 bytes in UTF-8
    ['刘䶮', '刘䶮'], // extension A
    ['王赟', '王赟'],
    ['李〇', '李〇'],
    ['金\uF900', '金豈'], // compatibility ideograph → unified by NFC
    ['欧阳娜娜', '欧阳娜娜'],
  ])('%j is accepted as %j', (raw, canonical) => {
    expect(personNameSchema.parse(raw)).toBe(canonical);
  });

  test.each([
    ['', 'name_empty'],
    ['   ', 'name_empty'],
    ['张\u200B三', 'name_zero_width'],
    ['张\u200C三', 'name_zero_width'],
    ['张\u200D三', 'name_zero_width'],
    ['张\u2060三', 'name_zero_width'],
    ['\uFEFF张三', 'name_zero_width'],
    ['张\u202E三', 'name_bidi'],
    ['张\u202A三', 'name_bidi'],
    ['张\u2066三', 'name_bidi'],
    ['张\u2069三', 'name_bidi'],
    ['张\u200E三', 'name_bidi'],
    ['张\u200F三', 'name_bidi'],
    ['张\u061C三', 'name_bidi'],
    ['张\u0007三', 'name_control'],
    ['张\u00AD三', 'name_control'], // soft hyphen, a format character
    ['张\uE000三', 'name_control'], // private use
    ['张\uD800三', 'name_control'], // lone surrogate: not encodable in UTF-8
    ['Zhang San', 'name_chars'],
    ['张3', 'name_chars'],
    ['张三😀', 'name_chars'],
    ['ㄓㄤ', 'name_chars'], // bopomofo is not a name
    ['·艾力', 'name_dot'],
    ['艾力·', 'name_dot'],
    ['买买提··艾力', 'name_dot'],
    ['张'.repeat(31), 'name_too_long'],
    ['𠮷'.repeat(23), 'name_bytes'], // 23 characters, 92 bytes
  ])('%j is refused with %s', (raw, code) => {
    expect(codesOf(personNameSchema.safeParse(raw))).toEqual([code]);
  });

  it('refuses a value that is not a string without a custom code', () => {
    const result = personNameSchema.safeParse(42);
    expect(result.error?.issues.map((i) => i.code)).toEqual(['invalid_type']);
  });

  it('never puts the submitted value in the issue', () => {
    const result = personNameSchema.safeParse('秘密\u202E名字');
    expect(JSON.stringify(result.error?.issues)).not.toContain('秘密');
  });

  it('reports the problem without a schema too', () => {
    expect(checkPersonName('张\u202E三')).toEqual({ ok: false, problem: 'bidi' });
  });
});

describe('free text', () => {
  test.each([
    [
      'address',
      '贵州省  威宁县　石门乡 新街村3组12号',
      '贵州省 威宁县 石门乡 新街村3组12号',
      addressSchema,
    ],
    ['address', '新街村\r\n3组', '新街村 3组', addressSchema], // single line
    ['reason', '孩子上学\r\n\r\n\r\n\r\n缺学费。', '孩子上学\n\n缺学费。', reasonSchema],
    ['reason', '  患病住院，需要医疗费用5000元  ', '患病住院，需要医疗费用5000元', reasonSchema],
    ['reason', '房屋漏雨\t需要维修', '房屋漏雨 需要维修', reasonSchema],
    ['reason', 'cafe\u0301 ok 需要', 'café ok 需要', reasonSchema], // NFC
    ['itemName', '棉被', '棉被', itemNameSchema],
    ['unit', '床', '床', unitSchema],
    ['note', '已入户核实', '已入户核实', noteSchema],
  ])('%s: %j → %j', (_label, raw, canonical, schema) => {
    expect(schema.parse(raw)).toBe(canonical);
  });

  test.each([
    ['address', '', 'address_empty', addressSchema],
    ['address', '村\u202E组', 'address_bidi', addressSchema],
    ['address', '村\u200B组', 'address_zero_width', addressSchema],
    ['address', '村\u0000组', 'address_control', addressSchema],
    ['address', '村'.repeat(101), 'address_too_long', addressSchema],
    ['address', '𠮷'.repeat(76), 'address_bytes', addressSchema],
    ['address', '新街村 电话13812345678', 'address_number', addressSchema],
    ['reason', '需要', 'reason_too_short', reasonSchema],
    ['reason', '需'.repeat(501), 'reason_too_long', reasonSchema],
    ['reason', '😀'.repeat(400), 'reason_bytes', reasonSchema], // 400 characters, 1600 bytes
    ['reason', '银行卡 6222 0212 3456 7890 123 收款', 'reason_number', reasonSchema],
    ['reason', '身份证11010519491231002X', 'reason_number', reasonSchema],
    ['reason', '需要帮助\u2066隐藏\u2069', 'reason_bidi', reasonSchema],
    ['reason', '需要帮助\u2028另一段', 'reason_control', reasonSchema], // line separator is a format char
    ['itemName', '', 'item_name_empty', itemNameSchema],
    ['unit', '一二三四五六七八九', 'unit_too_long', unitSchema],
    ['note', '注'.repeat(201), 'note_too_long', noteSchema],
  ])('%s: %j is refused with %s', (_label, raw, code, schema) => {
    expect(codesOf(schema.safeParse(raw))).toEqual([code]);
  });

  it('allows short digit runs such as amounts and house numbers', () => {
    expect(checkFreeText('需要医疗费用12000元，3组12号', budgets.reason).ok).toBe(true);
  });
});

describe('measures', () => {
  test.each([
    ['张三', 2, 6],
    ['𠮷', 1, 4],
    ['a', 1, 1],
    ['😀', 1, 4],
    ['é', 1, 2],
    ['\uD800', 1, 3], // a lone surrogate is written as U+FFFD
  ])('%s has %i characters and %i bytes', (value, chars, bytes) => {
    expect(charCount(value)).toBe(chars);
    expect(utf8Bytes(value)).toBe(bytes);
    expect(utf8Bytes(value)).toBe(new TextEncoder().encode(value).length);
  });
});
