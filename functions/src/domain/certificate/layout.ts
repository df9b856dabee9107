/**
 * The certificate page, laid out once and drawn twice (PDF and PNG preview) so that both show the
 * same lines. Units are PDF points on A4 landscape, y downwards, text placed by its baseline.
 *
 * Chinese typography: body text justified to both edges with the first line indented two
 * characters; no line starts with closing punctuation (，。、）》…) or ends with opening
 * punctuation (（《“…); runs of Latin letters and digits (amounts, serials) are never broken;
 * the title is letter-spaced; a paragraph that would run into the footer is set smaller.
 */
import type { FontWeight } from './fonts';
import { chineseDate, giftText, type CertificateRecord } from './record';

export const pageWidth = 841.89;
export const pageHeight = 595.28;

/** Character widths and the font that prints each character (see FontSet). */
export interface Metrics {
  /** Advance at size 1, in ems. */
  advance(char: string, weight: FontWeight): number;
  /** Id of the font that prints the character. */
  fontId(char: string, weight: FontWeight): string;
}

export interface TextPiece {
  kind: 'text';
  /** Printed by one font, in one style. */
  text: string;
  font: string;
  weight: FontWeight;
  size: number;
  x: number;
  baseline: number;
  color: number;
  /** Extra space after every character (justification, letter-spacing). */
  spacing: number;
}

export interface RectShape {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  color: number;
}

export interface QrShape {
  kind: 'qr';
  x: number;
  y: number;
  moduleSize: number;
  /** modules[row][column], dark when true. */
  modules: boolean[][];
}

export type Shape = TextPiece | RectShape | QrShape;

export interface PageLayout {
  background: number;
  shapes: Shape[];
}

export const colors = {
  paper: 0xfffaf0,
  red: 0xb3202a,
  gold: 0xc49a2c,
  ink: 0x222222,
  grey: 0x666666,
  white: 0xffffff,
  black: 0x000000,
};

/** A run of text in one style, inside a paragraph. */
export interface Span {
  text: string;
  weight: FontWeight;
  color: number;
}

const noLineStart = new Set([...'，。、；：！？）】》」』”’…—·%,.;:!?)]}']);
const noLineEnd = new Set([...'（【《「『“‘([{¥']);
const unbreakable = /^[A-Za-z0-9.,:/\-_%@#&?=+*×]$/;

interface Glyph {
  char: string;
  weight: FontWeight;
  color: number;
  advance: number;
}

/** A paragraph's tokens: single characters, or unbreakable Latin/digit runs. */
function tokenize(spans: Span[], size: number, metrics: Metrics): Glyph[][] {
  const tokens: Glyph[][] = [];
  let previousLatin = false;
  for (const span of spans) {
    for (const char of span.text) {
      const glyph = {
        char,
        weight: span.weight,
        color: span.color,
        advance: metrics.advance(char, span.weight) * size,
      };
      const latin = unbreakable.test(char);
      const last = tokens[tokens.length - 1];
      if (latin && previousLatin && last) last.push(glyph);
      else tokens.push([glyph]);
      previousLatin = latin;
    }
  }
  return tokens;
}

const widthOf = (token: Glyph[]) => token.reduce((sum, glyph) => sum + glyph.advance, 0);

/** Breaks tokens into lines no wider than `width` (the first `indent` narrower), with 禁则. */
export function breakLines(tokens: Glyph[][], width: number, indent: number): Glyph[][][] {
  const lines: Glyph[][][] = [];
  let line: Glyph[][] = [];
  let used = indent;
  for (const token of tokens) {
    const tokenWidth = widthOf(token);
    if (line.length > 0 && used + tokenWidth > width + 1e-6) {
      const next: Glyph[][] = [];
      // Closing punctuation may not start the next line: take the last token down with it.
      if (noLineStart.has(token[0]?.char ?? '') && line.length > 1) next.unshift(line.pop()!);
      // Opening punctuation may not end a line.
      while (line.length > 1 && noLineEnd.has(line[line.length - 1]?.at(-1)?.char ?? '')) {
        next.unshift(line.pop()!);
      }
      lines.push(line);
      line = next;
      used = next.reduce((sum, t) => sum + widthOf(t), 0);
    }
    line.push(token);
    used += tokenWidth;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/**
 * Sets a paragraph: returns its pieces and the baseline after its last line. Lines other than
 * the last are justified by spreading the spare width evenly between tokens.
 */
export function setParagraph(
  spans: Span[],
  options: {
    x: number;
    baseline: number;
    width: number;
    size: number;
    lineHeight: number;
    indentEms: number;
  },
  metrics: Metrics,
): { pieces: TextPiece[]; lines: number; nextBaseline: number } {
  const { x, width, size, lineHeight } = options;
  const indent = options.indentEms * size;
  const lines = breakLines(tokenize(spans, size, metrics), width, indent);
  const pieces: TextPiece[] = [];
  let baseline = options.baseline;
  lines.forEach((line, index) => {
    const start = x + (index === 0 ? indent : 0);
    const natural = line.reduce((sum, token) => sum + widthOf(token), 0);
    const last = index === lines.length - 1;
    const gap = !last && line.length > 1 ? (x + width - start - natural) / (line.length - 1) : 0;
    pieces.push(...placeLine(line, start, baseline, size, Math.max(0, gap), metrics));
    baseline += lineHeight;
  });
  return { pieces, lines: lines.length, nextBaseline: baseline };
}

/**
 * One line as pieces: consecutive single-character tokens in the same font and colour share a
 * piece whose character spacing is the justification gap; a Latin run gets pieces of its own
 * with no spacing (its letters stay together), and the gap after it.
 */
function placeLine(
  line: Glyph[][],
  start: number,
  baseline: number,
  size: number,
  gap: number,
  metrics: Metrics,
): TextPiece[] {
  const pieces: TextPiece[] = [];
  let x = start;
  let current: TextPiece | undefined;
  for (const token of line) {
    const single = token.length === 1;
    const spacing = single ? gap : 0;
    if (!single) current = undefined;
    for (const glyph of token) {
      const font = metrics.fontId(glyph.char, glyph.weight);
      if (!current || current.font !== font || current.color !== glyph.color) {
        current = {
          kind: 'text',
          text: '',
          font,
          weight: glyph.weight,
          size,
          x,
          baseline,
          color: glyph.color,
          spacing,
        };
        pieces.push(current);
      }
      current.text += glyph.char;
      x += glyph.advance + spacing;
    }
    if (!single) {
      x += gap;
      current = undefined;
    }
  }
  return pieces;
}

/** A single line of text, centred on `center`, right-aligned to `right` or left at `left`. */
export function setLine(
  spans: Span[],
  position: { left?: number; center?: number; right?: number; baseline: number },
  size: number,
  metrics: Metrics,
  spacing = 0,
): TextPiece[] {
  const glyphs = spans.flatMap((span) =>
    [...span.text].map((char) => ({ char, span, advance: metrics.advance(char, span.weight) })),
  );
  const width =
    glyphs.reduce((sum, glyph) => sum + glyph.advance * size, 0) +
    spacing * Math.max(0, glyphs.length - 1);
  let x =
    position.left ??
    (position.center !== undefined ? position.center - width / 2 : (position.right ?? 0) - width);
  const pieces: TextPiece[] = [];
  let current: TextPiece | undefined;
  for (const { char, span, advance } of glyphs) {
    const font = metrics.fontId(char, span.weight);
    if (!current || current.font !== font || current.color !== span.color) {
      current = {
        kind: 'text',
        text: '',
        font,
        weight: span.weight,
        size,
        x,
        baseline: position.baseline,
        color: span.color,
        spacing,
      };
      pieces.push(current);
    }
    current.text += char;
    x += advance * size + spacing;
  }
  return pieces;
}

/** Width of a single line of text at a size, with no spacing. */
export function lineWidth(text: string, weight: FontWeight, size: number, metrics: Metrics) {
  let width = 0;
  for (const char of text) width += metrics.advance(char, weight) * size;
  return width;
}

/** The platform line printed as issuer. */
export const issuerName = '中国社会扶贫网';
export const certificateTitle = '社会扶贫荣誉证书';

const margin = 96;
const bodyTop = 236;
// The QR code's white square starts at about 424 pt: the last body baseline stays above it.
const footerTop = 410;

/**
 * The certificate's page. `qrModules` is the QR code of `verifyUrl` (modules[row][column]).
 */
export function layoutCertificate(
  record: CertificateRecord,
  verifyUrl: string,
  qrModules: boolean[][],
  metrics: Metrics,
): PageLayout {
  const shapes: Shape[] = [];
  const { red, gold, ink, grey, white } = colors;
  // Frames: a heavy red rule and a fine gold one inside it, drawn as rectangles.
  const frame = (inset: number, line: number, color: number) => {
    const w = pageWidth - 2 * inset;
    const h = pageHeight - 2 * inset;
    shapes.push(
      { kind: 'rect', x: inset, y: inset, width: w, height: line, color },
      { kind: 'rect', x: inset, y: pageHeight - inset - line, width: w, height: line, color },
      { kind: 'rect', x: inset, y: inset, width: line, height: h, color },
      { kind: 'rect', x: pageWidth - inset - line, y: inset, width: line, height: h, color },
    );
  };
  frame(22, 4, red);
  frame(32, 1, gold);

  shapes.push(
    ...setLine(
      [{ text: certificateTitle, weight: 700, color: red }],
      { center: pageWidth / 2, baseline: 118 },
      40,
      metrics,
      12,
    ),
    { kind: 'rect', x: pageWidth / 2 - 90, y: 136, width: 180, height: 1.5, color: gold },
    ...setLine(
      [{ text: `证书编号：${record.serial}`, weight: 400, color: grey }],
      { right: pageWidth - 52, baseline: 66 },
      10,
      metrics,
    ),
  );

  const width = pageWidth - 2 * margin;
  const salutation: Span[] = [{ text: record.donorName, weight: 700, color: ink }];
  if (record.donorUnit)
    salutation.push({ text: `（${record.donorUnit}）`, weight: 400, color: ink });
  salutation.push({ text: '：', weight: 700, color: ink });

  const body: Span[][] = [
    [
      {
        text: `感谢您于${chineseDate(record.issuedAt)}通过${issuerName}，向`,
        weight: 400,
        color: ink,
      },
      { text: `${record.villageName}${record.householdMasked}户`, weight: 700, color: ink },
      { text: '捐赠', weight: 400, color: ink },
      { text: giftText(record.gift), weight: 700, color: red },
      { text: '，以实际行动助力巩固拓展脱贫攻坚成果、推进乡村振兴。', weight: 400, color: ink },
    ],
    [{ text: '您的善举温暖人心。特发此证，以资鼓励。', weight: 400, color: ink }],
  ];

  // The largest size at which salutation and body fit above the footer.
  let set: Shape[] = [];
  for (const size of [20, 18, 16, 14, 12, 10, 8]) {
    const lineHeight = size * 1.9;
    const head = setParagraph(
      salutation,
      { x: margin, baseline: 196, width, size: size + 2, lineHeight, indentEms: 0 },
      metrics,
    );
    set = [...head.pieces];
    let baseline = Math.max(bodyTop, head.nextBaseline + size * 0.4);
    for (const paragraph of body) {
      const placed = setParagraph(
        paragraph,
        { x: margin, baseline, width, size, lineHeight, indentEms: 2 },
        metrics,
      );
      set.push(...placed.pieces);
      baseline = placed.nextBaseline;
    }
    if (baseline - lineHeight <= footerTop) break;
  }
  shapes.push(...set);

  // Issuer and date, centred on a column at the right.
  const issuerCenter = pageWidth - margin - 100;
  shapes.push(
    ...setLine(
      [{ text: issuerName, weight: 700, color: ink }],
      { center: issuerCenter, baseline: 488 },
      20,
      metrics,
      2,
    ),
    ...setLine(
      [{ text: chineseDate(record.issuedAt), weight: 400, color: ink }],
      { center: issuerCenter, baseline: 518 },
      16,
      metrics,
    ),
  );

  // QR code on white with its four-module quiet zone, placed on the 0.75 pt grid so that at the
  // preview's 4/3 px per pt its modules fall on whole pixels.
  const moduleSize = 3;
  const quiet = 4 * moduleSize;
  const size = qrModules.length * moduleSize + 2 * quiet;
  const qrX = 52;
  const qrY = Math.round((pageHeight - 48 - size) / 0.75) * 0.75;
  shapes.push(
    { kind: 'rect', x: qrX, y: qrY, width: size, height: size, color: white },
    { kind: 'qr', x: qrX + quiet, y: qrY + quiet, moduleSize, modules: qrModules },
  );
  const captionX = qrX + size + 8;
  shapes.push(
    ...setLine(
      [{ text: '扫码验证证书真伪', weight: 400, color: ink }],
      { left: captionX, baseline: qrY + size - 26 },
      10,
      metrics,
    ),
  );
  // The link in print too, for a reader without a camera; shrunk to fit if the origin is long.
  const linkSpace = issuerCenter - 110 - captionX;
  const linkSize = Math.min(8, (8 * linkSpace) / lineWidth(verifyUrl, 400, 8, metrics));
  shapes.push(
    ...setLine(
      [{ text: verifyUrl, weight: 400, color: grey }],
      { left: captionX, baseline: qrY + size - 12 },
      linkSize,
      metrics,
    ),
  );
  return { background: colors.paper, shapes };
}
