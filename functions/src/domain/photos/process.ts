/**
 * The evidence-photo pipeline, pure (no Firebase): sniff, refuse from the header, then one decode
 * (with shrink-on-load) of the upload, streamed into the display image. sharp is imported
 * lazily: loading it roughly doubles a cold start for functions that never see a photo.
 */
import type { Sharp, SharpOptions } from 'sharp';
import {
  displayLongEdge,
  libvipsThreadsPerImage,
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
  /** JPEG only; sharp's default (true) is a second Huffman pass, smaller for a little time. */
  optimiseCoding?: boolean;
}

export interface OutputSettings {
  format: 'webp' | 'jpeg';
  display: EncodeSettings;
  thumb: EncodeSettings;
}

type SharpFactory = (input: Buffer, options?: SharpOptions) => Sharp;
let loaded: SharpFactory | undefined;

async function sharpFactory(): Promise<SharpFactory> {
  if (!loaded) {
    const sharp = (await import('sharp')).default;
    // Every upload is a different image: libvips' operation cache would only hold memory.
    sharp.cache(false);
    sharp.concurrency(libvipsThreadsPerImage);
    loaded = sharp as SharpFactory;
  }
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
  const { quality, effort, quantisationTable, trellisQuantisation, optimiseCoding } =
    settings[size];
  return settings.format === 'webp'
    ? image.webp({ quality, effort })
    : image.flatten({ background: '#ffffff' }).jpeg({
        quality,
        quantisationTable,
        trellisQuantisation,
        optimiseCoding,
        mozjpeg: false,
      });
}

/**
 * Screens, orients (EXIF orientation is applied to the pixels, then dropped) and re-encodes an
 * upload as a display image (long edge ≤ 1600) and a thumbnail (≤ 320). sharp writes no EXIF,
 * XMP, IPTC or ICC unless asked to, so GPS and every other metadata field are gone.
 *
 * The display image is one streaming pipeline: libvips encodes strips while later ones are still
 * being decoded, so the encode costs little beyond the decode. The thumbnail is then decoded from
 * the display image, which JPEG shrinks on load to a quarter, instead of decoding the upload
 * a second time (bench:photos measured both; see the README).
 */
export async function processPhoto(
  bytes: Buffer,
  options: { settings?: OutputSettings; maxBytes?: number } = {},
): Promise<Processed> {
  const settings = options.settings ?? outputFormat;
  const screened = await screen(bytes, options.maxBytes);
  if (!screened.ok) return screened;
  const sharp = await sharpFactory();
  const insideBox = { fit: 'inside', withoutEnlargement: true } as const;
  let display: { data: Buffer; info: { width: number; height: number } };
  try {
    display = await encode(
      sharp(bytes, decodeOptions).rotate().resize(displayLongEdge, displayLongEdge, insideBox),
      settings,
      'display',
    ).toBuffer({ resolveWithObject: true });
  } catch {
    // Truncated or corrupt pixel data only shows while decoding.
    return { ok: false, reason: 'corrupt' };
  }
  // Our own output: a failure here is a fault worth a retry, not the uploader's file.
  const thumb = await encode(
    sharp(display.data).resize(thumbLongEdge, thumbLongEdge, insideBox),
    settings,
    'thumb',
  ).toBuffer({ resolveWithObject: true });
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
