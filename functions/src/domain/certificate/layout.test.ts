import { setLine, setParagraph, type Metrics, type TextPiece } from './layout';

// Every character one em wide, except Latin letters and digits at half an em; the font of a
// character is named by whether it is rare, to see pieces split where the font changes.
const metrics: Metrics = {
  advance: (char) => (/[A-Za-z0-9.,]/.test(char) ? 0.5 : 1),
  fontId: (char) => (char === '赟' ? 'fallback' : 'primary'),
};

const ink = 0x222222;
const lines = (pieces: TextPiece[]) => {
  const byBaseline = new Map<number, string>();
  for (const piece of pieces) {
    byBaseline.set(piece.baseline, (byBaseline.get(piece.baseline) ?? '') + piece.text);
  }
  return [...byBaseline.values()];
};
const set = (text: string, width = 10, indentEms = 0) =>
  setParagraph(
    [{ text, weight: 400, color: ink }],
    { x: 0, baseline: 0, width, size: 1, lineHeight: 2, indentEms },
    metrics,
  );

describe('line breaking (禁则)', () => {
  test('fills lines to the width', () => {
    expect(lines(set('一二三四五六七八九十甲乙丙').pieces)).toEqual([
      '一二三四五六七八九十',
      '甲乙丙',
    ]);
  });

  test.each(['，', '。', '、', '）', '》', '：'])(
    'no line starts with %s: the character before it moves down too',
    (mark) => {
      const result = lines(set(`一二三四五六七八九十${mark}甲乙`).pieces);
      expect(result).toEqual(['一二三四五六七八九', `十${mark}甲乙`]);
    },
  );

  test.each(['（', '《', '“'])('no line ends with %s', (mark) => {
    const result = lines(set(`一二三四五六七八九${mark}十）甲`).pieces);
    expect(result[0]).toBe('一二三四五六七八九');
    expect(result[1]?.startsWith(mark)).toBe(true);
  });

  test('amounts and serials are never broken', () => {
    const result = lines(set('捐赠人民币金额为1,234.50元').pieces);
    expect(result).toEqual(['捐赠人民币金额为', '1,234.50元']);
  });

  test('the first line is indented by two characters', () => {
    const { pieces } = set('一二三四五六七八九十甲乙', 10, 2);
    expect(pieces[0]?.x).toBe(2);
    expect(lines(pieces)).toEqual(['一二三四五六七八', '九十甲乙']);
  });
});

describe('justification', () => {
  const rightEdge = (pieces: TextPiece[], baseline: number) => {
    const onLine = pieces.filter((piece) => piece.baseline === baseline);
    const last = onLine[onLine.length - 1]!;
    const chars = [...last.text];
    return (
      last.x +
      chars.reduce((sum, char) => sum + metrics.advance(char, 400), 0) +
      last.spacing * (chars.length - 1)
    );
  };

  test('every line but the last reaches the right edge; the last stays ragged', () => {
    // Line 1 is short by one em because the comma pulled 十 down.
    const { pieces } = set('一二三四五六七八九十，甲乙');
    expect(rightEdge(pieces, 0)).toBeCloseTo(10, 9);
    expect(rightEdge(pieces, 2)).toBeCloseTo(4, 9);
  });

  test('a Latin run keeps its letter spacing; the gaps around it take the slack', () => {
    const { pieces } = set('甲乙丙丁戊己庚1,234.50元，辛壬');
    const run = pieces.find((piece) => piece.text === '1,234.50');
    expect(run?.spacing).toBe(0);
    expect(rightEdge(pieces, 0)).toBeCloseTo(10, 9);
  });
});

describe('pieces', () => {
  test('split where the font changes, so each is printed by one font', () => {
    const pieces = setLine(
      [{ text: '王赟犇', weight: 700, color: ink }],
      { left: 0, baseline: 0 },
      1,
      metrics,
    );
    expect(pieces.map((piece) => [piece.text, piece.font])).toEqual([
      ['王', 'primary'],
      ['赟', 'fallback'],
      ['犇', 'primary'],
    ]);
    expect(pieces.map((piece) => piece.x)).toEqual([0, 1, 2]);
  });

  test('centred and right-aligned lines', () => {
    const centred = setLine(
      [{ text: '一二', weight: 400, color: ink }],
      { center: 5, baseline: 0 },
      2,
      metrics,
    );
    expect(centred[0]?.x).toBe(3);
    const right = setLine(
      [{ text: '一二', weight: 400, color: ink }],
      { right: 10, baseline: 0 },
      1,
      metrics,
      1,
    );
    expect(right[0]?.x).toBe(7);
  });
});
