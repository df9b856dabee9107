/**
 * Glyph coverage, checked by rasterising: every character is set in its own cell through the
 * renderer's own font choice and PDF drawing (drawPdf), the PDF is rasterised by poppler's
 * pdftoppm, and each cell is compared with the font's missing-glyph box (.notdef), drawn in a
 * reference cell by a character no shipped font has. A cell counts as missing when it is blank
 * or looks like that box. The same pages go through the PNG preview's rasteriser too.
 *
 * The check proves it can see tofu: control characters from CJK Extension B (not in Noto Sans
 * SC) are set among the others and must all be found missing, or the run fails.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FontSet, FontWeight } from '../../src/domain/certificate/fonts';
import type { PageLayout, TextPiece } from '../../src/domain/certificate/layout';
import { drawPdf, drawPng, metricsOf } from '../../src/domain/certificate/render';

// Cells on a 30 px grid at 150 dpi (14.4 pt): every glyph has the same sub-pixel phase, so the
// .notdef box rasterises identically in every cell.
const dpi = 150;
const cell = 14.4;
const glyphSize = 12;
const columns = 56;
const rows = 39;
const pixelsPerCell = (cell * dpi) / 72;

/** Characters no shipped font has: they must come out as the missing-glyph box. */
export const controlCharacters = ['\u{20000}', '\u{20001}', '\u{2A6D6}'];

export interface CoverageResult {
  weight: FontWeight;
  checked: number;
  /** Required characters found blank or boxed in the pdftoppm raster. */
  missingPdf: string[];
  /** The same in the PNG preview rasteriser. */
  missingPng: string[];
  /** Whether every control character was caught. */
  controlsCaught: boolean;
}

/** Pages of cells, each starting with the control characters (its reference box). */
function pages(required: string[], weight: FontWeight, fonts: FontSet): PageLayout[] {
  const metrics = metricsOf(fonts);
  const perPage = columns * rows - controlCharacters.length;
  const result: PageLayout[] = [];
  for (let start = 0; start < required.length; start += perPage) {
    const onPage = [...controlCharacters, ...required.slice(start, start + perPage)];
    const shapes: TextPiece[] = onPage.map((char, i) => ({
      kind: 'text',
      text: char,
      font: metrics.fontId(char, weight),
      weight,
      size: glyphSize,
      x: cell * (1 + (i % columns)),
      baseline: cell * (1 + Math.floor(i / columns)) + glyphSize * 0.9,
      color: 0x000000,
      spacing: 0,
    }));
    result.push({ background: 0xffffff, shapes });
  }
  return result;
}

/** Dark-pixel masks of each cell of a greyscale raster (1 byte per pixel). */
function cellMasks(data: Buffer, width: number, count: number): Uint8Array[] {
  const masks: Uint8Array[] = [];
  const size = Math.round(pixelsPerCell);
  for (let i = 0; i < count; i++) {
    const left = Math.round(pixelsPerCell * (1 + (i % columns)));
    const top = Math.round(pixelsPerCell * (1 + Math.floor(i / columns)));
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        mask[y * size + x] = (data[(top + y) * width + left + x] as number) < 128 ? 1 : 0;
      }
    }
    masks.push(mask);
  }
  return masks;
}

/** Intersection over union of two masks. */
function overlap(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    either += a[i]! | b[i]!;
  }
  return either === 0 ? 1 : both / either;
}

const ink = (mask: Uint8Array) => mask.reduce((sum, value) => sum + value, 0);

/** Which cells are blank or the .notdef box; the reference is the first control's cell. */
function judge(masks: Uint8Array[], referenceIndex: number): boolean[] {
  const box = masks[referenceIndex]!;
  if (ink(box) === 0) {
    // An empty .notdef: blank cells are then the only sign of a missing glyph.
    return masks.map((mask) => ink(mask) === 0);
  }
  return masks.map((mask) => ink(mask) === 0 || overlap(mask, box) > 0.9);
}

/** Rasterises `required` (plus the controls) in one weight, through the PDF and the preview. */
export async function checkCoverage(
  required: string[],
  weight: FontWeight,
  fonts: FontSet,
  workDir: string,
): Promise<CoverageResult> {
  const missingPdf: string[] = [];
  const missingPng: string[] = [];
  let controlsCaught = true;
  const layouts = pages(required, weight, fonts);
  for (const [pageIndex, page] of layouts.entries()) {
    const onPage = page.shapes.map((shape) => (shape as TextPiece).text);
    const pdfPath = join(workDir, `coverage-${weight}-${pageIndex}.pdf`);
    writeFileSync(pdfPath, await drawPdf(page, fonts, { title: 'coverage', date: new Date(0) }));
    const prefix = join(workDir, `coverage-${weight}-${pageIndex}`);
    execFileSync('pdftoppm', ['-png', '-gray', '-r', String(dpi), '-singlefile', pdfPath, prefix]);
    const rasters = [
      { missing: missingPdf, image: readFileSync(`${prefix}.png`) },
      { missing: missingPng, image: drawPng(page, fonts, dpi / 72) },
    ];
    for (const { missing, image } of rasters) {
      const { data, info } = await sharp(image)
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const grey = info.channels === 1 ? data : extractChannel(data, info.channels);
      const verdicts = judge(cellMasks(grey, info.width, onPage.length), 0);
      controlsCaught &&= controlCharacters.every((_, i) => verdicts[i]);
      verdicts.forEach((isMissing, i) => {
        const char = onPage[i] as string;
        if (isMissing && i >= controlCharacters.length) missing.push(char);
      });
    }
  }
  return { weight, checked: required.length, missingPdf, missingPng, controlsCaught };
}

function extractChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.alloc(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels] as number;
  return out;
}
