/**
 * A small anti-aliased rasteriser and PNG encoder for the certificate preview. Why not sharp from
 * an SVG: libvips' SVG path took ~220 ms per certificate here (glyph outlines as paths, then
 * palette quantisation) and sharp adds its own load time to a cold start; glyph outlines come
 * from the same font files the PDF embeds, so the preview needs no fontconfig either.
 *
 * Coverage is computed exactly per pixel by signed-area accumulation (the method of font-rs and
 * stb_truetype): each edge adds its covered area to the cells it crosses, a running sum along a
 * row gives the winding-weighted coverage, and |sum| clamped to 1 implements the non-zero fill
 * rule for the outlines fonts and rectangles produce.
 */
import { deflateSync, crc32 } from 'node:zlib';

/** A colour as 0xRRGGBB. */
export type Rgb = number;

/** [a, b, c, d, e, f]: device = (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = readonly [number, number, number, number, number, number];

export interface PathCommand {
  command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  args: readonly number[];
}

// Alpha is kept to 1/16 steps: invisible at preview size, and it bounds the number of distinct
// colours so that the image fits a 256-colour palette (a third of the bytes of RGB).
const alphaSteps = 16;
// Curves are flattened until no chord is further than this from the curve, in pixels.
const tolerance = 0.2;

/**
 * A canvas on an opaque background. Pixels are kept as palette indices while the image has at
 * most 256 colours (always, for a certificate), so that encoding needs no pass over every
 * pixel; past 256 colours the canvas turns into one 0xRRGGBB number per pixel.
 */
export class Canvas {
  private indices: Uint8Array | undefined;
  private rgb: Uint32Array | undefined;
  private readonly palette: number[] = [];
  private readonly paletteIndex = new Map<number, number>();
  // Coverage accumulation buffer, reused from fill to fill.
  private scratch = new Float32Array(0);

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.indices = new Uint8Array(width * height);
    this.palette.push(background);
    this.paletteIndex.set(background, 0);
  }

  private indexOf(color: Rgb): number {
    let index = this.paletteIndex.get(color);
    if (index === undefined) {
      if (this.palette.length === 256) return -1;
      index = this.palette.length;
      this.palette.push(color);
      this.paletteIndex.set(color, index);
    }
    return index;
  }

  // Palette index of (colour under, coverage step) → blended colour, for the current colour.
  private readonly blends = new Int16Array(256 * 32).fill(-1);
  private blendColor = -1;

  /** Paints `color` over one pixel at coverage `step` / 16 (1…16). */
  private cover(offset: number, color: Rgb, step: number): void {
    if (this.indices) {
      if (color !== this.blendColor) {
        this.blends.fill(-1);
        this.blendColor = color;
      }
      const under = this.indices[offset] as number;
      const key = (under << 5) | step;
      let index = this.blends[key] as number;
      if (index < 0) {
        index = this.indexOf(mix(this.palette[under] as number, color, step));
        if (index >= 0) this.blends[key] = index;
      }
      if (index >= 0) {
        this.indices[offset] = index;
        return;
      }
      // A 257th colour: from here on, one RGB number per pixel.
      const rgb = new Uint32Array(this.width * this.height);
      for (let i = 0; i < rgb.length; i++) {
        rgb[i] = this.palette[this.indices[i] as number] as number;
      }
      this.rgb = rgb;
      this.indices = undefined;
    }
    const pixels = this.rgb as Uint32Array;
    pixels[offset] = mix(pixels[offset] as number, color, step);
  }

  /** Fills an axis-aligned rectangle given in device pixels (fractional edges anti-aliased). */
  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    const x0 = Math.max(0, x);
    const y0 = Math.max(0, y);
    const x1 = Math.min(this.width, x + width);
    const y1 = Math.min(this.height, y + height);
    const solid = this.indices ? this.indexOf(color) : -1;
    if (color !== this.blendColor) {
      this.blends.fill(-1);
      this.blendColor = color;
    }
    const blends = this.blends;
    for (let row = Math.floor(y0); row < y1; row++) {
      const coverY = Math.min(row + 1, y1) - Math.max(row, y0);
      let column = Math.floor(x0);
      while (column < x1) {
        const coverX = Math.min(column + 1, x1) - Math.max(column, x0);
        if (coverX === 1 && coverY === 1 && solid >= 0 && this.indices) {
          // Whole pixels inside the rectangle: one fill for the run.
          const end = Math.floor(x1);
          this.indices.fill(solid, row * this.width + column, row * this.width + end);
          column = end;
          continue;
        }
        const step = Math.round(coverX * coverY * alphaSteps);
        const offset = row * this.width + column;
        column++;
        if (step === 0) continue;
        // Fast path, inlined as in fillLines: edge pixels are most of a cold first call's work.
        const indices = this.indices;
        if (indices) {
          const index = blends[((indices[offset] as number) << 5) | step] as number;
          if (index >= 0) {
            indices[offset] = index;
            continue;
          }
        }
        this.cover(offset, color, step);
      }
    }
  }

  /** Fills a path (non-zero rule) transformed by a matrix into device pixels. */
  fillPath(commands: readonly PathCommand[], matrix: Matrix, color: Rgb): void {
    this.fillLines(flatten(commands, matrix), 0, 0, color);
  }

  /**
   * Fills closed contours given as line segments (from {@link flatten}) moved by (dx, dy): a
   * glyph flattened once at a size is drawn wherever it occurs.
   */
  fillLines(lines: ArrayLike<number>, dx: number, dy: number, color: Rgb): void {
    if (lines.length === 0) return;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < lines.length; i += 2) {
      const x = (lines[i] as number) + dx;
      const y = (lines[i + 1] as number) + dy;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const left = Math.max(0, Math.floor(minX));
    const top = Math.max(0, Math.floor(minY));
    const right = Math.min(this.width, Math.ceil(maxX));
    const bottom = Math.min(this.height, Math.ceil(maxY));
    if (right <= left || bottom <= top) return;
    const width = right - left;
    const height = bottom - top;
    // Two spare columns: an edge on the right border writes one cell past it.
    const stride = width + 2;
    if (this.scratch.length < stride * height) {
      this.scratch = new Float32Array(Math.max(stride * height, this.scratch.length * 2));
    }
    const accumulator = this.scratch;
    accumulator.fill(0, 0, stride * height);
    for (let i = 0; i + 3 < lines.length; i += 4) {
      accumulate(
        accumulator,
        stride,
        height,
        (lines[i] as number) + dx - left,
        (lines[i + 1] as number) + dy - top,
        (lines[i + 2] as number) + dx - left,
        (lines[i + 3] as number) + dy - top,
      );
    }
    if (color !== this.blendColor) {
      this.blends.fill(-1);
      this.blendColor = color;
    }
    const blends = this.blends;
    for (let row = 0; row < height; row++) {
      let sum = 0;
      let offset = (top + row) * this.width + left;
      for (let column = 0; column < width; column++, offset++) {
        sum += accumulator[row * stride + column] as number;
        const step = Math.round(Math.min(1, Math.abs(sum)) * alphaSteps);
        if (step === 0) continue;
        // Fast path, inlined: an indexed canvas and a blend already in the table.
        const indices = this.indices;
        if (indices) {
          const index = blends[((indices[offset] as number) << 5) | step] as number;
          if (index >= 0) {
            indices[offset] = index;
            continue;
          }
        }
        this.cover(offset, color, step);
      }
    }
  }

  /** The canvas as PNG: indexed when it has at most 256 colours, RGB otherwise. */
  toPng(): Buffer {
    const { width, height } = this;
    const chunks: Buffer[] = [];
    let data: Buffer;
    let colorType: number;
    if (this.indices) {
      colorType = 3;
      // Each row starts with its filter type, 0 (none): indices compress well as they are.
      data = Buffer.alloc((width + 1) * height);
      for (let row = 0; row < height; row++) {
        data.set(this.indices.subarray(row * width, (row + 1) * width), row * (width + 1) + 1);
      }
      const plte = Buffer.alloc(this.palette.length * 3);
      this.palette.forEach((rgb, index) => plte.writeUIntBE(rgb, index * 3, 3));
      chunks.push(chunk('PLTE', plte));
    } else {
      colorType = 2;
      const pixels = this.rgb as Uint32Array;
      data = Buffer.alloc((width * 3 + 1) * height);
      for (let row = 0; row < height; row++) {
        let out = row * (width * 3 + 1) + 1;
        for (let column = 0; column < width; column++) {
          const rgb = pixels[row * width + column] as number;
          data[out++] = rgb >> 16;
          data[out++] = (rgb >> 8) & 0xff;
          data[out++] = rgb & 0xff;
        }
      }
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8; // bit depth
    header[9] = colorType;
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      ...chunks,
      // Level 3: a quarter of level 9's time here for 15 % more bytes, well under 60 KB.
      chunk('IDAT', deflateSync(data, { level: 3 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** `color` over `under` at coverage step / 16. */
function mix(under: Rgb, color: Rgb, step: number): Rgb {
  if (step >= alphaSteps) return color;
  const alpha = step / alphaSteps;
  const keep = 1 - alpha;
  return (
    (Math.round((under >> 16) * keep + (color >> 16) * alpha) << 16) |
    (Math.round(((under >> 8) & 0xff) * keep + ((color >> 8) & 0xff) * alpha) << 8) |
    Math.round((under & 0xff) * keep + (color & 0xff) * alpha)
  );
}

/** The path as line segments [x0, y0, x1, y1, …] in device space, every contour closed. */
export function flatten(commands: readonly PathCommand[], m: Matrix): number[] {
  const [a, b, c, d, e, f] = m;
  const lines: number[] = [];
  let startX = 0;
  let startY = 0;
  let x = 0;
  let y = 0;
  let open = false;
  for (const { command, args } of commands) {
    if (command === 'moveTo') {
      if (open && (x !== startX || y !== startY)) lines.push(x, y, startX, startY);
      const [px, py] = args as [number, number];
      x = startX = a * px + c * py + e;
      y = startY = b * px + d * py + f;
      open = true;
    } else if (command === 'lineTo') {
      const [px, py] = args as [number, number];
      const nx = a * px + c * py + e;
      const ny = b * px + d * py + f;
      lines.push(x, y, nx, ny);
      x = nx;
      y = ny;
    } else if (command === 'quadraticCurveTo') {
      const [p1, p2, p3, p4] = args as [number, number, number, number];
      const cx = a * p1 + c * p2 + e;
      const cy = b * p1 + d * p2 + f;
      const ex = a * p3 + c * p4 + e;
      const ey = b * p3 + d * p4 + f;
      const deviation = Math.hypot(x - 2 * cx + ex, y - 2 * cy + ey) / 4;
      const steps = Math.max(1, Math.ceil(Math.sqrt(deviation / tolerance)));
      const sx = x;
      const sy = y;
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        const nx = u * u * sx + 2 * u * t * cx + t * t * ex;
        const ny = u * u * sy + 2 * u * t * cy + t * t * ey;
        lines.push(x, y, nx, ny);
        x = nx;
        y = ny;
      }
    } else if (command === 'bezierCurveTo') {
      const [p1, p2, p3, p4, p5, p6] = args as [number, number, number, number, number, number];
      const c1x = a * p1 + c * p2 + e;
      const c1y = b * p1 + d * p2 + f;
      const c2x = a * p3 + c * p4 + e;
      const c2y = b * p3 + d * p4 + f;
      const ex = a * p5 + c * p6 + e;
      const ey = b * p5 + d * p6 + f;
      const deviation = Math.max(
        Math.hypot(x - 2 * c1x + c2x, y - 2 * c1y + c2y),
        Math.hypot(c1x - 2 * c2x + ex, c1y - 2 * c2y + ey),
      );
      const steps = Math.max(1, Math.ceil(Math.sqrt((deviation * 0.75) / tolerance)));
      const sx = x;
      const sy = y;
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        const k0 = u * u * u;
        const k1 = 3 * u * u * t;
        const k2 = 3 * u * t * t;
        const k3 = t * t * t;
        const nx = k0 * sx + k1 * c1x + k2 * c2x + k3 * ex;
        const ny = k0 * sy + k1 * c1y + k2 * c2y + k3 * ey;
        lines.push(x, y, nx, ny);
        x = nx;
        y = ny;
      }
    } else {
      if (open && (x !== startX || y !== startY)) lines.push(x, y, startX, startY);
      x = startX;
      y = startY;
      open = false;
    }
  }
  if (open && (x !== startX || y !== startY)) lines.push(x, y, startX, startY);
  return lines;
}

/** Adds one edge's signed area to the accumulation buffer (coordinates relative to it). */
function accumulate(
  acc: Float32Array,
  stride: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): void {
  if (y0 === y1) return;
  let direction = 1;
  if (y0 > y1) {
    direction = -1;
    [x0, y0, x1, y1] = [x1, y1, x0, y0];
  }
  const dxdy = (x1 - x0) / (y1 - y0);
  let x = x0;
  if (y0 < 0) {
    x -= y0 * dxdy;
    y0 = 0;
  }
  const yEnd = Math.min(y1, height);
  const maxX = stride - 2;
  for (let row = Math.floor(y0); row < yEnd; row++) {
    const base = row * stride;
    const dy = Math.min(row + 1, yEnd) - Math.max(row, y0);
    const xNext = x + dxdy * dy;
    const d = dy * direction;
    // Clamped to the buffer: the bounding box already contains the edge up to rounding.
    const xa = Math.min(Math.max(Math.min(x, xNext), 0), maxX);
    const xb = Math.min(Math.max(Math.max(x, xNext), 0), maxX);
    const xaFloor = Math.floor(xa);
    const xbCeil = Math.ceil(xb);
    if (xbCeil <= xaFloor + 1) {
      const middle = 0.5 * (xa + xb) - xaFloor;
      acc[base + xaFloor] = (acc[base + xaFloor] as number) + d - d * middle;
      acc[base + xaFloor + 1] = (acc[base + xaFloor + 1] as number) + d * middle;
    } else {
      const s = 1 / (xb - xa);
      const xaFrac = xa - xaFloor;
      const a0 = 0.5 * s * (1 - xaFrac) * (1 - xaFrac);
      const xbFrac = xb - xbCeil + 1;
      const am = 0.5 * s * xbFrac * xbFrac;
      acc[base + xaFloor] = (acc[base + xaFloor] as number) + d * a0;
      if (xbCeil === xaFloor + 2) {
        acc[base + xaFloor + 1] = (acc[base + xaFloor + 1] as number) + d * (1 - a0 - am);
      } else {
        const a1 = s * (1.5 - xaFrac);
        acc[base + xaFloor + 1] = (acc[base + xaFloor + 1] as number) + d * (a1 - a0);
        for (let column = xaFloor + 2; column < xbCeil - 1; column++) {
          acc[base + column] = (acc[base + column] as number) + d * s;
        }
        const a2 = a1 + (xbCeil - xaFloor - 3) * s;
        acc[base + xbCeil - 1] = (acc[base + xbCeil - 1] as number) + d * (1 - a2 - am);
      }
      acc[base + xbCeil] = (acc[base + xbCeil] as number) + d * am;
    }
    x = xNext;
  }
}
