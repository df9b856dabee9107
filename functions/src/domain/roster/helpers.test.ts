import {
  csvOf,
  expectRefused,
  goodRow,
  header,
  options,
  utf8,
} from '../../../../test/support/rosterFiles';
import { parseRosterCsv } from './csv';
import { matchHelper, mobileDigitsOf, type VillageHelper } from './helpers';

const helpers: VillageHelper[] = [
  { uid: 'a', name: '王芳', phone: '+8613900000001', active: true },
  { uid: 'b', name: '李强', phone: '+8613900000002', active: true },
  { uid: 'c', name: '李强', phone: '+8613900000003', active: true },
  { uid: 'd', name: '赵敏', phone: '+8613900000004', active: false },
];

describe('matching the 帮扶责任人 column to the village helpers', () => {
  test.each([
    ['a blank cell says nothing', { name: null }, { kind: 'none' }],
    [
      'one active helper of that name',
      { name: '王芳' },
      { kind: 'assigned', uid: 'a', name: '王芳' },
    ],
    [
      'full-width spaces do not count',
      { name: '王　芳' },
      { kind: 'assigned', uid: 'a', name: '王芳' },
    ],
    ['nobody of that name', { name: '张伟' }, { kind: 'helper_unknown' }],
    ['a removed helper is nobody', { name: '赵敏' }, { kind: 'helper_unknown' }],
    ['two of that name', { name: '李强' }, { kind: 'helper_ambiguous' }],
    [
      'two of that name, told apart by phone',
      { name: '李强', phone: '139 0000 0003' },
      { kind: 'assigned', uid: 'c', name: '李强' },
    ],
    [
      'the name with another phone',
      { name: '王芳', phone: '13900000009' },
      { kind: 'helper_unknown' },
    ],
    [
      'a phone that is no mobile number',
      { name: '王芳', phone: '7533052' },
      { kind: 'helper_unknown' },
    ],
  ])('%s', (_, named, expected) => {
    expect(matchHelper(named, helpers)).toEqual(expected);
  });

  test.each([
    ['+86 139-0000-0001', '13900000001'],
    ['8613900000001', '13900000001'],
    ['１３９００００００01', '13900000001'],
    ['7533052', undefined],
  ])('reads %s as a mobile number', (raw, digits) => {
    expect(mobileDigitsOf(raw)).toBe(digits);
  });
});

describe('the helper’s phone column', () => {
  const withPhone = (phone: string) =>
    parseRosterCsv(
      utf8(
        csvOf([
          [...header, '帮扶责任人联系电话'],
          [...goodRow, phone],
        ]),
      ),
      options,
    );

  it('is read as the mobile number’s digits, however written', () => {
    const result = withPhone('+86 139-0000-0001');
    expect(result.ok && result.rows[0]).toMatchObject({
      helperName: '帮扶干部一',
      helperPhone: '13900000001',
    });
  });

  it('is left out of the row when blank', () => {
    const result = withPhone('');
    expect(result.ok && result.rows[0]).not.toHaveProperty('helperPhone');
  });

  it('refuses the row when it holds no mobile number', () => {
    const result = withPhone('7533052');
    expectRefused(result);
    expect(result.report[0]?.problems).toEqual([{ column: 'helperPhone', code: 'phone_invalid' }]);
  });

  it('is not taken from a bare 联系电话, which may be the household’s', () => {
    const result = parseRosterCsv(
      utf8(
        csvOf([
          [...header, '联系电话'],
          [...goodRow, '13900000001'],
        ]),
      ),
      options,
    );
    expect(result.ok && result.rows[0]).not.toHaveProperty('helperPhone');
    expect(result.ignoredColumns).toEqual(['联系电话']);
  });
});
