/**
 * Renders a certificate record to a PDF (our one-page writer, the CJK fonts embedded as subsets)
 * and a PNG preview (our own rasteriser, from the same glyph outlines and layout). The QR
 * encoder is imported on first use, not at load.
 */
import type { Font, FontSet } from './fonts';
import { fontSet } from './fonts';
import {
  certificateTitle,
  colors,
  issuerName,
  layoutCertificate,
  pageHeight,
  pageWidth,
  type Metrics,
  type PageLayout,
  type QrShape,
} from './layout';
import { num, subsetEmbedding, writePdf, type FontEmbedding, type PdfFontUse } from './pdf';
import { Canvas, flatten } from './raster';
import { certificateRecordSchema, type CertificateRecord } from './record';

export interface RenderOptions {
  /** Public origin of the web client, e.g. `https://fupin.web.app` (the QR code's target). */
  origin: string;
  /** Folder of the built fonts; defaults to functions/assets/fonts. */
  fontDir?: string;
  /** Preview pixels per PDF point; 4/3 (96 dpi, 1123 × 794 px) by default. */
  previewScale?: number;
}

export interface RenderedCertificate {
  pdf: Buffer;
  png: Buffer;
  /** The verification link printed and encoded in the QR code. */
  verifyUrl: string;
  /** Characters no shipped font has (printed as a box): for the caller to log, normally none. */
  missingCharacters: string[];
}

/** The public verification page of a serial: `${origin}/verify/${serial}`. */
export function verificationUrl(origin: string, serial: string): string {
  const url = new URL(origin);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/') {
    throw new Error('origin must be an http(s) origin without a path');
  }
  return `${url.origin}/verify/${encodeURIComponent(serial)}`;
}

/** The dark modules of the QR code of a text, modules[row][column]. */
export async function qrModules(text: string): Promise<boolean[][]> {
  const { create } = await import('qrcode/lib/core/qrcode');
  // Level M (15 % recoverable): survives a crease or a smudge on a printed certificate.
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, column) => Boolean(modules.get(row, column))),
  );
}

/** The layout's view of a font set: advances and the font that prints each character. */
export function metricsOf(fonts: FontSet): Metrics {
  return {
    advance: (char, weight) => fonts.advance(char, weight),
    fontId: (char, weight) => fonts.fontFor(char.codePointAt(0) as number, weight).id,
  };
}

/** Fill colour operator of a 0xRRGGBB colour. */
const fill = (color: number) =>
  `${num((color >> 16) / 255)} ${num(((color >> 8) & 0xff) / 255)} ${num((color & 0xff) / 255)} rg`;

/** Horizontal runs of dark modules, [row, first column, length]: fewer rectangles to draw. */
function qrRuns(qr: QrShape): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  qr.modules.forEach((row, r) => {
    let start = -1;
    row.forEach((dark, c) => {
      if (dark && start < 0) start = c;
      if ((!dark || c === row.length - 1) && start >= 0) {
        runs.push([r, start, (dark ? c + 1 : c) - start]);
        start = -1;
      }
    });
  });
  return runs;
}

/** PDF metadata: the document's title and its date. */
export interface PdfInfo {
  title: string;
  date: Date;
}

/**
 * Draws a laid-out page as a PDF. `embed` chooses how each font goes in (by default a subset of
 * the glyphs used; the benchmark passes a full embedding as its baseline).
 */
export async function drawPdf(
  page: PageLayout,
  fonts: FontSet,
  info: PdfInfo,
  embed: (font: Font, fontId: string) => FontEmbedding = subsetEmbedding,
): Promise<Buffer> {
  const used = new Map<string, PdfFontUse>();
  // y downwards as in the layout; text matrices flip glyphs back upright.
  const ops: string[] = [`1 0 0 -1 0 ${num(pageHeight)} cm`];
  // No paper tint in the PDF: it is printed, and a full-page fill would only spend toner.
  for (const shape of page.shapes) {
    if (shape.kind === 'rect') {
      ops.push(
        fill(shape.color),
        `${num(shape.x)} ${num(shape.y)} ${num(shape.width)} ${num(shape.height)} re f`,
      );
    } else if (shape.kind === 'qr') {
      ops.push(fill(colors.black));
      const m = shape.moduleSize;
      for (const [row, column, length] of qrRuns(shape)) {
        ops.push(
          `${num(shape.x + column * m)} ${num(shape.y + row * m)} ${num(length * m)} ${num(m)} re`,
        );
      }
      ops.push('f');
    } else {
      let use = used.get(shape.font);
      if (!use) {
        const font = fonts.byId(shape.font);
        use = { name: `F${used.size + 1}`, font, embedding: embed(font, shape.font) };
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
  return writePdf({
    width: pageWidth,
    height: pageHeight,
    content: ops.join('\n'),
    fonts: [...used.values()],
    info: { title: info.title, author: issuerName, creator: issuerName, date: info.date },
    lang: 'zh-CN',
  });
}

// Glyphs flattened once per size, in pixels around their origin: the outline is decoded from the
// glyf table on every read, and a name or a phrase repeats on every certificate. Bounded, since names
// bring new characters without end.
const flattened = new WeakMap<Font, Map<string, Float32Array>>();
const maxFlattenedPerFont = 4000;

function glyphLines(font: Font, glyphId: number, k: number): Float32Array {
  let byKey = flattened.get(font);
  if (!byKey) {
    byKey = new Map();
    flattened.set(font, byKey);
  }
  const key = `${glyphId} ${k}`;
  let lines = byKey.get(key);
  if (!lines) {
    if (byKey.size >= maxFlattenedPerFont) byKey.clear();
    // Font units have y upwards; the page has it downwards.
    lines = Float32Array.from(flatten(font.outline(glyphId), [k, 0, 0, -k, 0, 0]));
    byKey.set(key, lines);
  }
  return lines;
}

/** Draws a laid-out page as a PNG at `scale` pixels per point. */
export function drawPng(page: PageLayout, fonts: FontSet, scale: number): Buffer {
  const canvas = new Canvas(
    Math.ceil(pageWidth * scale),
    Math.ceil(pageHeight * scale),
    page.background,
  );
  for (const shape of page.shapes) {
    if (shape.kind === 'rect') {
      canvas.fillRect(
        shape.x * scale,
        shape.y * scale,
        shape.width * scale,
        shape.height * scale,
        shape.color,
      );
    } else if (shape.kind === 'qr') {
      const m = shape.moduleSize * scale;
      for (const [row, column, length] of qrRuns(shape)) {
        canvas.fillRect(
          shape.x * scale + column * m,
          shape.y * scale + row * m,
          length * m,
          m,
          colors.black,
        );
      }
    } else {
      const font: Font = fonts.byId(shape.font);
      const k = (shape.size / font.unitsPerEm) * scale;
      let x = shape.x;
      for (const char of shape.text) {
        const glyph = font.glyphForCodePoint(char.codePointAt(0) as number);
        canvas.fillLines(
          glyphLines(font, glyph.id, k),
          x * scale,
          shape.baseline * scale,
          shape.color,
        );
        x += (glyph.advanceWidth / font.unitsPerEm) * shape.size + shape.spacing;
      }
    }
  }
  return canvas.toPng();
}

/**
 * Renders a certificate: A4 landscape PDF and PNG preview of the same layout. The record is
 * validated first (a ZodError for an invalid one). Output depends only on the record, the origin
 * and the fonts: rendering twice gives identical bytes.
 */
export async function renderCertificate(
  input: CertificateRecord,
  options: RenderOptions,
): Promise<RenderedCertificate> {
  const record = certificateRecordSchema.parse(input);
  const verifyUrl = verificationUrl(options.origin, record.serial);
  const [fonts, modules] = await Promise.all([fontSet(options.fontDir), qrModules(verifyUrl)]);
  const page = layoutCertificate(record, verifyUrl, modules, metricsOf(fonts));
  const missing = new Set<string>();
  for (const shape of page.shapes) {
    if (shape.kind !== 'text') continue;
    for (const char of shape.text) {
      if (char.trim() && fonts.isMissing(char.codePointAt(0) as number, shape.weight)) {
        missing.add(char);
      }
    }
  }
  // Dated by the issue date, not the clock: the same record always gives the same bytes, so a
  // re-run of the issuing trigger rewrites an identical file.
  const pdf = await drawPdf(page, fonts, {
    title: `${certificateTitle} ${record.serial}`,
    date: new Date(`${record.issuedAt}T00:00:00+08:00`),
  });
  const png = drawPng(page, fonts, options.previewScale ?? 4 / 3);
  return { pdf, png, verifyUrl, missingCharacters: [...missing] };
}
