import type { Cell } from './cell';
import { yuanToFen } from './fields';

describe('yuanToFen', () => {
  test.each([
    ['3200', 320_000],
    ['3,456.7', 345_670],
    ['3456.78元', 345_678],
    ['０', 0],
    [3456.78, 345_678],
    [0.1 + 0.2, 30],
    ['3456.789', undefined],
    [3456.789, undefined],
    ['abc', undefined],
    [-1, undefined],
    [Number.NaN, undefined],
    ['', undefined],
  ] as Array<[Cell, number | undefined]>)('%j yuan → %j fen', (cell, fen) => {
    expect(yuanToFen(cell)).toBe(fen);
  });
});
