/**
 * Renders a certificate record to a PDF (pdfkit, the CJK font embedded as a subset through
 * fontkit) and a PNG preview (our own rasteriser, from the same glyph outlines and layout).
 * Heavy modules (pdfkit, fontkit, the QR encoder) are imported on first use, not at load.
 */
import type { Font } from 'fontkit';
import type { FontSet } from './fonts';
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

const hex = (color: number) => `#${color.toString(16).padStart(6, '0')}`;

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
 * Draws a laid-out page with pdfkit. `onFont` sees each font pdfkit creates, before any text is
 * set with it (the benchmark uses it to embed the full font as its baseline).
 */
export async function drawPdf(
  page: PageLayout,
  fonts: FontSet,
  info: PdfInfo,
  onFont?: (pdfFont: unknown, fontId: string) => void,
): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    lang: 'zh-CN',
    // Our font as the default, so pdfkit does not parse its built-in Helvetica metrics for
    // nothing; a default font no text uses is not embedded.
    font: fonts.primary(400).font as never,
    displayTitle: true,
    info: {
      Title: info.title,
      Author: issuerName,
      Creator: issuerName,
      CreationDate: info.date,
      ModDate: info.date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const registered = new Set<string>();
  // No paper tint in the PDF: it is printed, and a full-page fill would only spend toner.
  for (const shape of page.shapes) {
    if (shape.kind === 'rect') {
      doc.rect(shape.x, shape.y, shape.width, shape.height).fill(hex(shape.color));
    } else if (shape.kind === 'qr') {
      for (const [row, column, length] of qrRuns(shape)) {
        const m = shape.moduleSize;
        doc.rect(shape.x + column * m, shape.y + row * m, length * m, m);
      }
      doc.fill('#000000');
    } else {
      // Registered by id: pdfkit then keeps one subset per font file for the whole document.
      if (!registered.has(shape.font)) {
        doc.registerFont(shape.font, fonts.byId(shape.font) as never);
        registered.add(shape.font);
        doc.font(shape.font);
        onFont?.((doc as unknown as { _font: unknown })._font, shape.font);
      }
      doc
        .font(shape.font)
        .fontSize(shape.size)
        .fillColor(hex(shape.color))
        .text(shape.text, shape.x, shape.baseline, {
          lineBreak: false,
          characterSpacing: shape.spacing,
          baseline: 'alphabetic',
        });
    }
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

// Glyphs flattened once per size, in pixels around their origin: fontkit decodes the outline on
// every `path` read, and a name or a phrase repeats on every certificate. Bounded, since names
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
    lines = Float32Array.from(flatten(font.getGlyph(glyphId).path.commands, [k, 0, 0, -k, 0, 0]));
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
