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
): Promise<
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; reason: QuarantineReason }
> {
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
  return { ...sniffed, width, height };
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

type Encoded = { data: Buffer; info: { width: number; height: number } };

const insideBox = { fit: 'inside', withoutEnlargement: true } as const;
const longEdges = { display: displayLongEdge, thumb: thumbLongEdge } as const;

/**
 * One output decoded straight from an upload that `screen` passed: oriented, fitted inside its
 * long edge, encoded. Throws on pixel data that only shows as corrupt while decoding.
 */
export async function renderFromUpload(
  bytes: Buffer,
  size: 'display' | 'thumb',
  settings: OutputSettings = outputFormat,
): Promise<Encoded> {
  const sharp = await sharpFactory();
  const longEdge = longEdges[size];
  return encode(
    sharp(bytes, decodeOptions).rotate().resize(longEdge, longEdge, insideBox),
    settings,
    size,
  ).toBuffer({ resolveWithObject: true });
}

/**
 * Screens, orients (EXIF orientation is applied to the pixels, then dropped) and re-encodes an
 * upload as a display image (long edge ≤ 1600) and a thumbnail (≤ 320). sharp writes no EXIF,
 * XMP, IPTC or ICC unless asked to, so GPS and every other metadata field are gone.
 *
 * The display image is one streaming pipeline: libvips encodes strips while later ones are still
 * being decoded, so the encode costs little beyond the decode. Where the thumbnail comes from
 * depends on the upload's size (bench:photos measured both ways):
 * - larger than the display image: from the display image, which JPEG shrinks on load to a
 *   quarter; a second decode of a large upload would cost more than that;
 * - at most display size, which is what the web client sends: from the upload, decoded a second
 *   time side by side with the first, one per core. Waiting for the display image and decoding it
 *   again took 0.64× the extension's time on such uploads; side by side, 0.53×.
 */
export async function processPhoto(
  bytes: Buffer,
  options: { settings?: OutputSettings; maxBytes?: number } = {},
): Promise<Processed> {
  const settings = options.settings ?? outputFormat;
  const screened = await screen(bytes, options.maxBytes);
  if (!screened.ok) return screened;
  const thumbFromUpload = Math.max(screened.width, screened.height) <= displayLongEdge;
  let display: Encoded;
  let thumb: Encoded | undefined;
  try {
    [display, thumb] = await Promise.all([
      renderFromUpload(bytes, 'display', settings),
      thumbFromUpload ? renderFromUpload(bytes, 'thumb', settings) : undefined,
    ]);
  } catch {
    // Truncated or corrupt pixel data only shows while decoding.
    return { ok: false, reason: 'corrupt' };
  }
  // From our own output, a failure is a fault worth a retry, not the uploader's file: it throws.
  const sharp = await sharpFactory();
  thumb ??= await encode(
    sharp(display.data).resize(thumbLongEdge, thumbLongEdge, insideBox),
    settings,
    'thumb',
  ).toBuffer({ resolveWithObject: true });
  const rendition = (out: Encoded): Rendition => ({
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
