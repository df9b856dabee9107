/**
 * Where evidence photos live and what the pipeline makes of them. Paths are deterministic from
 * the photo id (and, for what no one is served, the village and uploader), so a second run
 * writes the same objects again instead of new ones.
 */

/**
 * A photo record's status: `uploaded` until the Storage trigger has made its display image and
 * thumbnail (`processed`) or refused it with a reason (`quarantined`).
 */
export const evidencePhotoStatuses = ['uploaded', 'processed', 'quarantined'] as const;
export type EvidencePhotoStatus = (typeof evidencePhotoStatuses)[number];

/** Decoded upload size cap; the client sends ≤ 400 KB, this is only a guard. */
export const maxUploadBytes = 2 * 1024 * 1024;
/** Photos one uploader may attach to one need draft. */
export const maxPhotosPerDraft = 9;
/** Refused from the header before any decode; sharp's own default is 268 MP. */
export const maxInputPixels = 50_000_000;

export const displayLongEdge = 1600;
export const thumbLongEdge = 320;

/**
 * Output settings, chosen with functions/bench/photos.ts (see the README for its figures):
 * - JPEG, not WebP: it shows in every WeChat and Android WebView, and on these photos libwebp
 *   needed more bytes than JPEG for the same SSIM while taking twice the time.
 * - Display: the ImageMagick quantisation table (3) at q74 gives about 0.8× the extension's bytes
 *   at practically its SSIM; trellis quantisation saved 3% more but took 2.5× the time.
 * - Thumbnail: q85. On a 360 px phone a 320 px thumbnail is drawn at 2–3 device pixels per image
 *   pixel, so its artefacts are magnified, while the 1600 px display image is drawn shrunk; the
 *   thumbnail's few kilobytes buy more visible quality than the display image's.
 */
export const outputFormat = {
  format: 'jpeg',
  contentType: 'image/jpeg',
  extension: 'jpg',
  display: { quality: 74, quantisationTable: 3 },
  thumb: { quality: 85 },
} as const;

/**
 * libvips worker threads per image. sharp defaults to 1 on glibc (against heap fragmentation);
 * 2 lets the resize run beside the JPEG decode, which alone is sequential: 7% faster per photo
 * in bench:photos, whose peak-RSS figure is taken with this setting and two photos in flight.
 */
export const libvipsThreadsPerImage = 2;

export const acceptedContentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;

const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const incomingPattern = new RegExp(`^incoming/(\\d{12})/([A-Za-z0-9_-]{1,128})/(${uuidPattern})$`);

export interface IncomingObject {
  villageCode: string;
  uploaderUid: string;
  photoId: string;
}

export function incomingPath(villageCode: string, uid: string, photoId: string): string {
  return `incoming/${villageCode}/${uid}/${photoId}`;
}

/**
 * The trigger's guard: only uploads in the incoming area, named exactly as the upload callable
 * names them. Outputs and quarantined originals live elsewhere, so they never fire it again;
 * object metadata is not consulted, since whoever writes an object sets it.
 */
export function shouldProcess(objectName: string): IncomingObject | undefined {
  const match = incomingPattern.exec(objectName);
  if (!match) return undefined;
  return {
    villageCode: match[1] as string,
    uploaderUid: match[2] as string,
    photoId: match[3] as string,
  };
}

/**
 * Where the processed images live, keyed by the photo id alone: their signed links reach donors,
 * and a village's division code in the path would tell them the village's county, the first six
 * digits of every ID number there (README, privacy split).
 */
export function outputPaths(photoId: string) {
  const base = `evidence/${photoId}`;
  return {
    display: `${base}/display.${outputFormat.extension}`,
    thumb: `${base}/thumb.${outputFormat.extension}`,
  };
}

/** Where a refused original is kept for review (never served to anyone). */
export function quarantinePath(villageCode: string, uid: string, photoId: string): string {
  return `quarantine/${villageCode}/${uid}/${photoId}`;
}

/** Size that fits inside `longEdge` × `longEdge`, keeping the aspect ratio, never enlarging. */
export function fitInside(
  width: number,
  height: number,
  longEdge: number,
): { width: number; height: number } {
  const scale = Math.min(1, longEdge / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
