/**
 * The evidence-photo pipeline, pure (no Firebase): sniff, refuse from the header, then one decode
 * (with shrink-on-load) to display size, from which both outputs are encoded. sharp is imported
 * lazily: loading it roughly doubles a cold start for functions that never see a photo.
 */
import type { Sharp, SharpOptions } from 'sharp';
import {
  displayLongEdge,
  maxInputPixels,
  maxUploadBytes,
  outputFormat,
  thumbLongEdge,
} from './plan';
import { sniff, type ImageFormat, type QuarantineReason } from './sniff';

export interface Rendition {
  data: Buffer;
  width: number;
  height: number;
  bytes: number;
}

export type Processed =
  | {
      ok: true;
      inputFormat: ImageFormat;
      format: OutputSettings['format'];
      contentType: string;
      display: Rendition;
      thumb: Rendition;
    }
  | { ok: false; reason: QuarantineReason };

export interface EncodeSettings {
  quality: number;
  /** WebP only. */
  effort?: number;
  /** JPEG only. */
  quantisationTable?: number;
  trellisQuantisation?: boolean;
}

export interface OutputSettings {
  format: 'webp' | 'jpeg';
  display: EncodeSettings;
  thumb: EncodeSettings;
}

type SharpFactory = (input: Buffer, options?: SharpOptions) => Sharp;
let loaded: SharpFactory | undefined;

async function sharpFactory(): Promise<SharpFactory> {
  loaded ??= (await import('sharp')).default as SharpFactory;
  return loaded;
}

// 'error' also fails on truncated pixel data; 'warning' would refuse common camera quirks.
const decodeOptions: SharpOptions = { failOn: 'error', limitInputPixels: maxInputPixels };

/**
 * Refuses what is not worth decoding: wrong format, hostile structure, or too many pixels
 * according to the header (read in well under a millisecond; nothing is decoded).
 */
export async function screen(
  bytes: Buffer,
  maxBytes = maxUploadBytes,
): Promise<{ ok: true; format: ImageFormat } | { ok: false; reason: QuarantineReason }> {
  if (bytes.length > maxBytes) return { ok: false, reason: 'too_large' };
  const sniffed = sniff(bytes);
  if (!sniffed.ok) return sniffed;
  const sharp = await sharpFactory();
  let width: number | undefined;
  let height: number | undefined;
  let format: string | undefined;
  try {
    // No pixel limit here: metadata() reads the header only, and the limit is checked just below
    // so that a bomb gets its own reason rather than 'corrupt'.
    ({ width, height, format } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  if (format !== sniffed.format || !width || !height) return { ok: false, reason: 'corrupt' };
  if (width * height > maxInputPixels) return { ok: false, reason: 'too_many_pixels' };
  return sniffed;
}

function encode(image: Sharp, settings: OutputSettings, size: 'display' | 'thumb'): Sharp {
  const { quality, effort, quantisationTable, trellisQuantisation } = settings[size];
  return settings.format === 'webp'
    ? image.webp({ quality, effort })
    : image
        .flatten({ background: '#ffffff' })
        .jpeg({ quality, quantisationTable, trellisQuantisation, mozjpeg: false });
}

/**
 * Screens, orients (EXIF orientation is applied to the pixels, then dropped) and re-encodes an
 * upload as a display image (long edge ≤ 1600) and a thumbnail (≤ 320). sharp writes no EXIF,
 * XMP, IPTC or ICC unless asked to, so GPS and every other metadata field are gone.
 */
export async function processPhoto(
  bytes: Buffer,
  options: { settings?: OutputSettings; maxBytes?: number } = {},
): Promise<Processed> {
  const settings = options.settings ?? outputFormat;
  const screened = await screen(bytes, options.maxBytes);
  if (!screened.ok) return screened;
  const sharp = await sharpFactory();
  let pixels: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    // One decode: JPEG and WebP shrink on load to the nearest size above 1600; the thumbnail is
    // made from these pixels rather than by decoding the original a second time.
    pixels = await sharp(bytes, decodeOptions)
      .rotate()
      .resize(displayLongEdge, displayLongEdge, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  const raw = {
    raw: {
      width: pixels.info.width,
      height: pixels.info.height,
      channels: pixels.info.channels as 1 | 2 | 3 | 4,
    },
  };
  const [display, thumb] = await Promise.all([
    encode(sharp(pixels.data, raw), settings, 'display').toBuffer({ resolveWithObject: true }),
    encode(
      sharp(pixels.data, raw).resize(thumbLongEdge, thumbLongEdge, {
        fit: 'inside',
        withoutEnlargement: true,
      }),
      settings,
      'thumb',
    ).toBuffer({ resolveWithObject: true }),
  ]);
  const rendition = (out: typeof display): Rendition => ({
    data: out.data,
    width: out.info.width,
    height: out.info.height,
    bytes: out.data.length,
  });
  return {
    ok: true,
    inputFormat: screened.format,
    format: settings.format,
    contentType: `image/${settings.format}`,
    display: rendition(display),
    thumb: rendition(thumb),
  };
}
