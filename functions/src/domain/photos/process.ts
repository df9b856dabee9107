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
import { jpegEntropyProblem } from './entropy';
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

/**
 * libjpeg reports a scan cut short by a marker (a file cut at 50–60 % with an EOI appended) and
 * codes that do not decode (bytes flipped in the scan) as warnings: it fills in grey or garbage
 * and goes on, so `failOn: 'error'` (and 'truncated', which catches only a file without its EOI)
 * published such images. So uploads are decoded with `failOn: 'warning'`, and a warning is sorted
 * by what it says: damage quarantines the photo, anything else (a camera's extraneous bytes before
 * a marker, an unknown JFIF or Adobe version) is decoded again at `failOn: 'error'`. Baseline
 * JPEGs, where libjpeg resynchronises after flipped bytes without a word, are also walked code by
 * code (entropy.ts).
 */
const decodeOptions: SharpOptions = { failOn: 'warning', limitInputPixels: maxInputPixels };
const lenientDecodeOptions: SharpOptions = { failOn: 'error', limitInputPixels: maxInputPixels };

/** Uploads up to this size (the web client sends ≤ 400 KB) have their JPEG codes walked. */
export const maxEntropyCheckBytes = 512 * 1024;

/** libjpeg's and libpng's messages for data cut short, and for data that does not decode. */
const truncatedMessages = /premature end|unexpected end|truncated|Not enough image data/i;
const corruptMessages =
  /bad Huffman code|instead of RST|Corrupt JPEG data: (?!\d+ extraneous bytes|bad ICC)|CRC error|invalid distance|too far back/i;

/** What a decoding error says about the upload: damaged, or a quirk a lenient decode accepts. */
export function decodeFailure(error: unknown): QuarantineReason | 'quirk' {
  const message = error instanceof Error ? error.message : String(error);
  if (truncatedMessages.test(message)) return 'truncated';
  if (corruptMessages.test(message)) return 'corrupt';
  return 'quirk';
}

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
  lenient = false,
): Promise<Encoded> {
  const sharp = await sharpFactory();
  const longEdge = longEdges[size];
  return encode(
    sharp(bytes, lenient ? lenientDecodeOptions : decodeOptions)
      .rotate()
      .resize(longEdge, longEdge, insideBox),
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
  const render = (lenient: boolean) =>
    Promise.all([
      renderFromUpload(bytes, 'display', settings, lenient),
      thumbFromUpload ? renderFromUpload(bytes, 'thumb', settings, lenient) : undefined,
    ]);
  const rendering = render(false);
  // Checked on this thread while libvips decodes on its own. Only up to what the web client
  // sends: the walk costs ≈ 7 ms on a 150 KB upload but ≈ 250 ms on a 12 MP camera file.
  const damaged =
    screened.format === 'jpeg' && bytes.length <= maxEntropyCheckBytes
      ? jpegEntropyProblem(bytes)
      : undefined;
  if (damaged) {
    await rendering.catch(() => undefined);
    return { ok: false, reason: damaged };
  }
  try {
    [display, thumb] = await rendering;
  } catch (error) {
    // Truncated or corrupt pixel data only shows while decoding. The two decodes side by side
    // share libvips' one error buffer, which sharp clears after reading it, so one's message can
    // come back empty (a cut progressive JPEG then passed as a quirk in about 1 run in 15): a
    // message that says nothing is asked again of one decode alone before it counts as a quirk.
    let failure = decodeFailure(error);
    if (failure === 'quirk') {
      failure = await renderFromUpload(bytes, 'display', settings).then(
        () => 'quirk' as const,
        decodeFailure,
      );
    }
    if (failure !== 'quirk') return { ok: false, reason: failure };
    try {
      [display, thumb] = await render(true);
    } catch {
      return { ok: false, reason: 'corrupt' };
    }
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
