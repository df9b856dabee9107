/**
 * Printed documents that run over several A4 portrait pages: text set top to bottom, a table
 * whose header repeats on every page it continues on, page numbers, and the PDF of it all. Built
 * on the certificate's typesetting (layout.ts: 禁则 line breaking, justification, fallback fonts)
 * and its PDF writer (subset CID fonts shared by every page, deterministic bytes).
 */
import type { FontSet, FontWeight } from '../certificate/fonts';
import {
  colors,
  issuerName,
  lineWidth,
  setLine,
  setParagraph,
  type Metrics,
  type Shape,
  type Span,
  type TextPiece,
} from '../certificate/layout';
import { num, subsetEmbedding, writePdfPages, type PdfFontUse } from '../certificate/pdf';
import { metricsOf } from '../certificate/render';

export const a4Portrait = { width: 595.28, height: 841.89 };
/** A4 turned: wide tables (the progress form), and two A5 landscape cards stacked on A4 portrait. */
export const a4Landscape = { width: 841.89, height: 595.28 };

export interface PageSize {
  width: number;
  height: number;
}

export const margin = { top: 56, bottom: 64, side: 56 };

export const ink = colors.ink;
export const grey = colors.grey;
const headerFill = 0xeeeeee;
const ruleColor = 0x333333;
const ruleWidth = 0.6;

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center';
}

/** A run of text in the ink colour, regular unless `bold`. */
export const span = (text: string, bold = false, color = ink): Span => ({
  text,
  weight: bold ? 700 : 400,
  color,
});

/** The text's lines as its own paragraphs: stored reasons and notes may hold line breaks. */
const paragraphsOf = (text: string) => text.split(/\r?\n/).filter((line) => line.trim() !== '');

/**
 * Pieces set at baseline 0 and grouped by line, so that a paragraph can be moved down the page
 * (and over a page break) line by line.
 */
function linesOf(pieces: TextPiece[]): TextPiece[][] {
  const byBaseline = new Map<number, TextPiece[]>();
  for (const piece of pieces) {
    const line = byBaseline.get(piece.baseline) ?? [];
    line.push(piece);
    byBaseline.set(piece.baseline, line);
  }
  return [...byBaseline.entries()].sort(([a], [b]) => a - b).map(([, line]) => line);
}

const moved = (pieces: TextPiece[], dy: number): TextPiece[] =>
  pieces.map((piece) => ({ ...piece, baseline: piece.baseline + dy }));

/** Lays out blocks down pages (A4 portrait unless told), starting a new page when a block does not fit. */
export class Flow {
  readonly pages: Shape[][] = [];
  /** Top of the next block on the current page. */
  y = margin.top;
  readonly left = margin.side;
  readonly width: number;
  readonly bottom: number;

  constructor(
    readonly metrics: Metrics,
    readonly page: PageSize = a4Portrait,
  ) {
    this.width = page.width - 2 * margin.side;
    this.bottom = page.height - margin.bottom;
    this.pages.push([]);
  }

  /** Shapes placed by the caller on the current page (bands, rules), in page coordinates. */
  draw(...shapes: Shape[]): void {
    this.shapes.push(...shapes);
  }

  /**
   * One line split into equal columns, each part starting at its column's left edge: a footer
   * (审核人 / 填报人 / 联系方式) or, with `underline`, signature fields whose rule runs to the
   * column's end.
   */
  columnsLine(
    parts: Span[][],
    size: number,
    options: { underline?: boolean; lineHeight?: number } = {},
  ): void {
    const lineHeight = options.lineHeight ?? size * 1.6;
    this.ensure(lineHeight);
    const column = this.width / Math.max(1, parts.length);
    const baseline = this.y + lineHeight - size * 0.5;
    parts.forEach((spans, index) => {
      const x = this.left + index * column;
      this.shapes.push(...setLine(spans, { left: x, baseline }, size, this.metrics));
      if (options.underline) {
        const used = spans.reduce(
          (sum, { text, weight }) => sum + lineWidth(text, weight, size, this.metrics),
          0,
        );
        const end = x + column - size;
        if (end > x + used + 2)
          this.rule(x + used + 2, baseline + 2, end - x - used - 2, ruleWidth);
      }
    });
    this.y += lineHeight;
  }

  private get shapes(): Shape[] {
    return this.pages[this.pages.length - 1] as Shape[];
  }

  newPage(): void {
    this.pages.push([]);
    this.y = margin.top;
  }

  /** Starts a new page unless `height` fits below the cursor (or the page is still empty). */
  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > margin.top) this.newPage();
  }

  gap(height: number): void {
    this.y += height;
  }

  /** One line of text, left, centred or right; shrunk to the width if it is longer. */
  line(
    spans: Span[],
    size: number,
    align: 'left' | 'center' | 'right' = 'left',
    spacing = 0,
  ): void {
    const natural = spans.reduce(
      (sum, { text, weight }) => sum + lineWidth(text, weight, size, this.metrics),
      0,
    );
    const count = spans.reduce((sum, { text }) => sum + [...text].length, 0);
    const full = natural + spacing * Math.max(0, count - 1);
    const fitted = full > this.width ? (size * this.width) / full : size;
    const lineHeight = fitted * 1.6;
    this.ensure(lineHeight);
    const baseline = this.y + fitted * 1.1;
    const position =
      align === 'left'
        ? { left: this.left, baseline }
        : align === 'center'
          ? { center: this.left + this.width / 2, baseline }
          : { right: this.left + this.width, baseline };
    this.shapes.push(...setLine(spans, position, fitted, this.metrics, spacing * (fitted / size)));
    this.y += lineHeight;
  }

  /**
   * A paragraph (justified, first line indented `indentEms`), line by line so that a long one
   * continues on the next page. Line breaks in the text start new paragraphs.
   */
  paragraph(spans: Span[], size: number, indentEms = 2, lineHeight = size * 1.7): void {
    const blocks: Span[][] = [[]];
    for (const part of spans) {
      part.text.split(/\r?\n/).forEach((text, index) => {
        if (index > 0) blocks.push([]);
        if (text.trim() !== '') blocks[blocks.length - 1]!.push({ ...part, text });
      });
    }
    for (const block of blocks.filter((spans) => spans.length > 0)) {
      const { pieces } = setParagraph(
        block,
        { x: this.left, baseline: 0, width: this.width, size, lineHeight, indentEms },
        this.metrics,
      );
      for (const line of linesOf(pieces)) {
        this.ensure(lineHeight);
        this.shapes.push(...moved(line, this.y + size * 1.15 - (line[0]?.baseline ?? 0)));
        this.y += lineHeight;
      }
    }
  }

  /** Label and value on one line or more: "户主姓名：张三". */
  field(label: string, value: string, size = 11): void {
    this.paragraph([span(`${label}：`, true), span(value)], size, 0, size * 1.65);
  }

  private rule(x: number, y: number, width: number, height: number): void {
    this.shapes.push({ kind: 'rect', x, y, width, height, color: ruleColor });
  }

  /** The pieces of one cell, set at baseline 0 within `width`, and their number of lines. */
  private cell(
    text: string,
    column: Column,
    x: number,
    size: number,
    lineHeight: number,
    bold: boolean,
  ): { pieces: TextPiece[]; lines: number } {
    const pad = 4;
    const inner = column.width - 2 * pad;
    const weight: FontWeight = bold ? 700 : 400;
    const parts = paragraphsOf(text);
    if (parts.length <= 1 && lineWidth(text, weight, size, this.metrics) <= inner) {
      const position =
        column.align === 'center'
          ? { center: x + column.width / 2, baseline: 0 }
          : { left: x + pad, baseline: 0 };
      return { pieces: setLine([span(text, bold)], position, size, this.metrics), lines: 1 };
    }
    const pieces: TextPiece[] = [];
    let lines = 0;
    for (const part of parts) {
      const placed = setParagraph(
        [span(part, bold)],
        { x: x + pad, baseline: lines * lineHeight, width: inner, size, lineHeight, indentEms: 0 },
        this.metrics,
      );
      pieces.push(...placed.pieces);
      lines += placed.lines;
    }
    return { pieces, lines: Math.max(1, lines) };
  }

  /**
   * A bordered table; its header row starts it and every page it continues on. A row is never
   * split: one that does not fit goes whole to the next page.
   */
  table(columns: Column[], rows: string[][], size = 10.5): void {
    const lineHeight = size * 1.45;
    const padY = size * 0.45;
    const tableWidth = columns.reduce((sum, column) => sum + column.width, 0);
    const layoutRow = (cells: string[], header: boolean) => {
      let x = this.left;
      const set = columns.map((column, index) => {
        const placed = this.cell(cells[index] ?? '', column, x, size, lineHeight, header);
        x += column.width;
        return placed;
      });
      const height = Math.max(...set.map(({ lines }) => lines)) * lineHeight + 2 * padY;
      return { set, height, header };
    };
    const place = ({ set, height, header }: ReturnType<typeof layoutRow>) => {
      const top = this.y;
      if (header) {
        this.shapes.push({
          kind: 'rect',
          x: this.left,
          y: top,
          width: tableWidth,
          height,
          color: headerFill,
        });
      }
      // Rules centred on the cell edges: a row's bottom rule and the next row's top one coincide.
      const half = ruleWidth / 2;
      this.rule(this.left - half, top - half, tableWidth + ruleWidth, ruleWidth);
      this.rule(this.left - half, top + height - half, tableWidth + ruleWidth, ruleWidth);
      let x = this.left;
      this.rule(x - half, top, ruleWidth, height);
      for (const column of columns) {
        x += column.width;
        this.rule(x - half, top, ruleWidth, height);
      }
      for (const { pieces } of set) {
        this.shapes.push(...moved(pieces, top + padY + size * 1.05));
      }
      this.y += height;
    };
    const header = layoutRow(
      columns.map((column) => column.header),
      true,
    );
    let headed = false;
    for (const cells of rows) {
      const row = layoutRow(cells, false);
      if (!headed || this.y + row.height > this.bottom) {
        if (headed || this.y + header.height + row.height > this.bottom) this.newPage();
        place(header);
        headed = true;
      }
      place(row);
    }
    if (!headed) place(header);
  }

  /** The pages, each numbered at its foot: 第 1 页 / 共 3 页. */
  numbered(): Shape[][] {
    const { width, height } = this.page;
    const total = this.pages.length;
    return this.pages.map((shapes, index) => [
      ...shapes,
      ...setLine(
        [span(`第 ${index + 1} 页 / 共 ${total} 页`, false, grey)],
        { center: width / 2, baseline: height - 32 },
        9,
        this.metrics,
      ),
    ]);
  }
}

/** A flow measuring with the shipped fonts. */
export const flowFor = (fonts: FontSet, page: PageSize = a4Portrait) =>
  new Flow(metricsOf(fonts), page);

/** Fill colour operator of a 0xRRGGBB colour. */
const fill = (color: number) =>
  `${num((color >> 16) / 255)} ${num(((color >> 8) & 0xff) / 255)} ${num((color & 0xff) / 255)} rg`;

/**
 * Draws the pages as one PDF, every page drawing from one subset of each font. Dated by the
 * document (not the clock): the same input gives the same bytes.
 */
export function drawPages(
  pages: Shape[][],
  fonts: FontSet,
  info: { title: string; author: string; date: Date },
  page: PageSize = a4Portrait,
): Buffer {
  const used = new Map<string, PdfFontUse>();
  const contents = pages.map((shapes) => {
    // y downwards as in the layout; text matrices flip glyphs back upright.
    const ops: string[] = [`1 0 0 -1 0 ${num(page.height)} cm`];
    for (const shape of shapes) {
      if (shape.kind === 'rect') {
        ops.push(
          fill(shape.color),
          `${num(shape.x)} ${num(shape.y)} ${num(shape.width)} ${num(shape.height)} re f`,
        );
      } else if (shape.kind === 'text') {
        let use = used.get(shape.font);
        if (!use) {
          const font = fonts.byId(shape.font);
          use = { name: `F${used.size + 1}`, font, embedding: subsetEmbedding(font) };
          used.set(shape.font, use);
        }
        let hex = '';
        for (const char of shape.text) {
          const codePoint = char.codePointAt(0) as number;
          const cid = use.embedding.cid(use.font.glyphIdFor(codePoint), codePoint);
          hex += cid.toString(16).padStart(4, '0');
        }
        ops.push(
          fill(shape.color),
          `BT /${use.name} ${num(shape.size)} Tf ${num(shape.spacing)} Tc` +
            ` 1 0 0 -1 ${num(shape.x)} ${num(shape.baseline)} Tm <${hex}> Tj ET`,
        );
      }
    }
    return { content: ops.join('\n') };
  });
  return writePdfPages({
    width: page.width,
    height: page.height,
    pages: contents,
    fonts: [...used.values()],
    info: { title: info.title, author: info.author, creator: issuerName, date: info.date },
    lang: 'zh-CN',
  });
}

const chinaOffsetMs = 8 * 3600 * 1000;

/** The China (UTC+8) wall clock of an ISO instant, as UTC fields of a shifted Date. */
function chinaClock(iso: string): Date {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new Error('not an ISO instant');
  return new Date(at.getTime() + chinaOffsetMs);
}

/** 2026年12月1日: the calendar date in China of an ISO instant (or of a YYYY-MM-DD date). */
export function chinaDay(iso: string): string {
  const clock = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : chinaClock(iso);
  return `${clock.getUTCFullYear()}年${clock.getUTCMonth() + 1}月${clock.getUTCDate()}日`;
}

/** 2026年12月1日 09:05, China time. */
export function chinaDayTime(iso: string): string {
  const clock = chinaClock(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${chinaDay(iso)} ${pad(clock.getUTCHours())}:${pad(clock.getUTCMinutes())}`;
}
