import { FieldValue } from 'firebase-admin/firestore';
import { onObjectFinalized } from 'firebase-functions/v2/storage';
import {
  outputPaths,
  quarantinePath,
  shouldProcess,
  type EvidencePhotoStatus,
  type IncomingObject,
} from '../domain/photos/plan';
import type { QuarantineReason } from '../domain/photos/sniff';
import { logs } from '../logs';
import { evidencePhotoDocs } from '../data/needs';
import { objectStore } from '../services/objectStore';
import { db } from '../services/db';
import { indexPhotoHash } from '../services/photoHashes';

/** Outputs are immutable at their path until the photo is replaced, which it never is. */
const outputCacheControl = 'private, max-age=86400';
/** Past this age a failing delivery stops retrying and the upload is marked as failed. */
const maxEventAgeMs = 30 * 60 * 1000;

const finalStatuses = new Set<EvidencePhotoStatus>(['processed', 'quarantined']);

async function quarantine(
  target: IncomingObject,
  bytes: Buffer,
  reason: QuarantineReason,
): Promise<void> {
  const { villageCode, uploaderUid, photoId } = target;
  await objectStore().write(quarantinePath(villageCode, uploaderUid, photoId), bytes, {
    contentType: 'application/octet-stream',
  });
  await evidencePhotoDocs().doc(photoId).set(
    {
      villageCode,
      uploaderUid,
      status: 'quarantined',
      reason,
      quarantinedAt: FieldValue.serverTimestamp(),
    },
    { merge: true },
  );
  logs.evidencePhotoQuarantined(photoId, reason);
}

/**
 * Turns an upload in `incoming/` into a display image and a thumbnail without metadata, or
 * quarantines it with a reason the uploader sees.
 *
 * Second delivery: the record already says processed or quarantined, so nothing is done; a
 * delivery that races the first writes the same bytes to the same deterministic paths and the
 * same record fields. Outputs and quarantined originals live outside `incoming/`, so writing them
 * never fires this function again.
 *
 * retry: true, because a throw here means Storage or Firestore failed, which is transient; hostile
 * or broken files are recorded as quarantined and never thrown, and an event older than
 * `maxEventAgeMs` is marked failed instead of retried, so no upload retries forever.
 */
export const onEvidenceUploaded = onObjectFinalized(
  {
    memory: '1GiB',
    // Two vCPUs: a lone photo decodes on one while its resize runs on the other
    // (plan.ts libvipsThreadsPerImage); two photos in flight keep both busy. More in flight would
    // only queue inside libvips and raise peak memory (bench:photos measures it with two).
    cpu: 2,
    concurrency: 2,
    retry: true,
    timeoutSeconds: 60,
  },
  async (event) => {
    const target = shouldProcess(event.data.name);
    if (!target) return;
    const started = performance.now();
    const ref = evidencePhotoDocs().doc(target.photoId);
    const status = (await ref.get()).data()?.status;
    const incoming = event.data.name;
    if (status && finalStatuses.has(status)) {
      // The original may outlive a delivery that failed after recording: remove it now.
      await objectStore().delete(incoming);
      logs.triggerDuplicate('onEvidenceUploaded', event.id);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await objectStore().read(incoming);
    } catch (error) {
      // Gone: a concurrent delivery finished and removed it (its record says so).
      if (!(await objectStore().exists(incoming))) {
        return logs.triggerDuplicate('onEvidenceUploaded', event.id);
      }
      throw error;
    }
    if (Date.now() - Date.parse(event.time) > maxEventAgeMs) {
      await quarantine(target, bytes, 'processing_failed');
      await objectStore().delete(incoming);
      return;
    }
    const { processPhoto } = await import('../domain/photos/process');
    const result = await processPhoto(bytes);
    if (!result.ok) {
      await quarantine(target, bytes, result.reason);
      await objectStore().delete(incoming);
      return;
    }
    const paths = outputPaths(target.photoId);
    await Promise.all([
      objectStore().write(paths.display, result.display.data, {
        contentType: result.contentType,
        cacheControl: outputCacheControl,
      }),
      objectStore().write(paths.thumb, result.thumb.data, {
        contentType: result.contentType,
        cacheControl: outputCacheControl,
      }),
    ]);
    // Record first, then delete: if the delete fails, the retry finds the record final and the
    // original is only an orphan in incoming/, never a lost photo. The photo's perceptual hash is
    // indexed in the same commit (keyed by photo id, so a racing delivery writes the same), from
    // the thumbnail: the 32×32 the hash reads is the same from either output, the thumbnail is
    // cheaper to decode.
    const { perceptualHash } = await import('../domain/photos/perceptualHash');
    const hash = await perceptualHash(result.thumb.data);
    const batch = db().batch();
    batch.set(
      ref,
      {
        villageCode: target.villageCode,
        uploaderUid: target.uploaderUid,
        status: 'processed',
        format: result.format,
        width: result.display.width,
        height: result.display.height,
        bytes: result.display.bytes,
        thumbWidth: result.thumb.width,
        thumbHeight: result.thumb.height,
        thumbBytes: result.thumb.bytes,
        displayPath: paths.display,
        thumbPath: paths.thumb,
        processedAt: FieldValue.serverTimestamp(),
      },
      { merge: true },
    );
    indexPhotoHash(batch, target.photoId, hash, target.villageCode);
    await batch.commit();
    await objectStore().delete(incoming);
    logs.evidencePhotoProcessed(
      target.photoId,
      Math.round(performance.now() - started),
      bytes.length,
      result.display.bytes + result.thumb.bytes,
    );
  },
);
