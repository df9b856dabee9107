import { z } from 'zod';
import { evidencePhotosCollection } from '../domain/photos/plan';
import { canRead, staffRoles } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { db } from '../services/db';
import { objectStore } from '../services/objectStore';

/** Long enough to load a page of photos, short enough that a forwarded link soon stops working. */
export const photoUrlTtlMs = 10 * 60 * 1000;

export const getEvidencePhotoUrlsInput = z.strictObject({
  photoIds: z.array(z.uuid()).min(1).max(9),
});

export type EvidencePhotoUrls =
  | {
      photoId: string;
      status: 'processed';
      displayUrl: string;
      thumbUrl: string;
      width: number;
      height: number;
    }
  | { photoId: string; status: 'uploaded' }
  | { photoId: string; status: 'quarantined'; reason: string };

/**
 * Short-lived signed URLs of evidence photos' display images and thumbnails, for staff whose
 * region contains the photo's village. A photo that does not exist and one out of scope get the
 * same permission-denied, and the whole request fails with it. Every URL issued is logged.
 */
export const getEvidencePhotoUrls = callable({
  name: 'getEvidencePhotoUrls',
  input: getEvidencePhotoUrlsInput,
  roles: staffRoles,
  handler: async ({ photoIds }, caller) => {
    const unique = [...new Set(photoIds)];
    const records = await db().getAll(
      ...unique.map((id) => db().collection(evidencePhotosCollection).doc(id)),
    );
    for (const record of records) {
      const villageCode = record.get('villageCode') as unknown;
      if (!record.exists || typeof villageCode !== 'string' || !canRead(caller, villageCode)) {
        deny('getEvidencePhotoUrls', caller.uid);
      }
    }
    const photos = await Promise.all(
      records.map(async (record): Promise<EvidencePhotoUrls> => {
        const status = record.get('status') as string;
        if (status === 'quarantined') {
          return { photoId: record.id, status, reason: String(record.get('reason')) };
        }
        if (status !== 'processed') return { photoId: record.id, status: 'uploaded' };
        const [displayUrl, thumbUrl] = await Promise.all([
          objectStore().signedReadUrl(record.get('displayPath') as string, photoUrlTtlMs),
          objectStore().signedReadUrl(record.get('thumbPath') as string, photoUrlTtlMs),
        ]);
        logs.evidencePhotoAccessed(caller.uid, caller.role, record.id);
        return {
          photoId: record.id,
          status,
          displayUrl,
          thumbUrl,
          width: record.get('width') as number,
          height: record.get('height') as number,
        };
      }),
    );
    return { photos, expiresInSeconds: photoUrlTtlMs / 1000 };
  },
});
