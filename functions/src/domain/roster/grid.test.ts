import { goodRow, header, options } from '../../../../test/support/rosterFiles';
import { maxOtherRows, rosterFromGrid } from './grid';

describe('rosterFromGrid', () => {
  it('takes a grid directly', () => {
    const result = rosterFromGrid([header, goodRow], options);
    expect(result.ok && result.rows[0]?.outYear).toBe(2019);
  });

  it('names at most ten other rows of a duplicate ID, however many copies a file holds', () => {
    const result = rosterFromGrid([header, ...Array.from({ length: 500 }, () => goodRow)], options);
    expect(result.ok).toBe(false);
    expect(result.report).toHaveLength(500);
    for (const entry of result.report) {
      expect(entry.status).toBe('refused');
      expect(entry.problems[0]?.withRows).toHaveLength(maxOtherRows);
    }
    expect(result.report[0]?.problems[0]?.withRows).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
