import { divisionCodeOf, parseDivisions } from './divisions';

describe('the division table as published', () => {
  it('keys each division by its own level’s prefix, padded or not', () => {
    expect(divisionCodeOf('520000000000')).toBe('52');
    expect(divisionCodeOf('520500000000')).toBe('5205');
    expect(divisionCodeOf('520526000000')).toBe('520526');
    expect(divisionCodeOf('520526105000')).toBe('520526105');
    expect(divisionCodeOf('520526105201')).toBe('520526105201');
    expect(divisionCodeOf(' 520526 ')).toBe('520526');
    expect(divisionCodeOf('52052610')).toBeUndefined();
    expect(divisionCodeOf('5205261052x1')).toBeUndefined();
  });

  it('skips a header and blank lines, and names the lines it cannot read', () => {
    expect(
      parseDivisions('\uFEFF代码,名称\r\n52,贵州省\r\n\r\n5205,毕节市\r\n123,坏\r\n520526,\r\n'),
    ).toEqual({
      divisions: [
        { code: '52', name: '贵州省' },
        { code: '5205', name: '毕节市' },
      ],
      problems: [
        { line: 5, code: 'division_code' },
        { line: 6, code: 'division_name' },
      ],
    });
  });
});
