import { canonicalIdNumber, checkCharOf, idNumberProblem } from './idNumber';

const today = new Date('2026-11-23T00:00:00Z');
const valid = '11010519491231002X';

describe('GB 11643 identity numbers', () => {
  it('computes the MOD 11-2 check character', () => {
    expect(checkCharOf(valid.slice(0, 17))).toBe('X');
  });

  test.each([
    [valid, undefined],
    ['11010519491231002x', undefined],
    ['１１０１０５１９４９１２３１００２ｘ', undefined],
    ['110105194912310021', 'id_check_char'],
    ['11010519490230002X', 'id_birth_date'],
    ['110105203001010010', 'id_birth_date'],
    ['11010518000101001X', 'id_birth_date'],
    ['1101051949123100', 'id_format'],
    ['11010519491231002Y', 'id_format'],
    ['', 'id_format'],
  ])('%s → %s', (raw, problem) => {
    expect(idNumberProblem(canonicalIdNumber(raw), today)).toBe(problem);
  });

  it('rejects a birth date later than today', () => {
    const first17 = '11010520261124001';
    expect(idNumberProblem(first17 + checkCharOf(first17), today)).toBe('id_birth_date');
  });
});
