import { goodRow, header, options } from '../../../../test/support/rosterFiles';
import { rosterFromGrid } from './grid';

describe('rosterFromGrid', () => {
  it('takes a grid directly', () => {
    const result = rosterFromGrid([header, goodRow], options);
    expect(result.ok && result.rows[0]?.outYear).toBe(2019);
  });
});
