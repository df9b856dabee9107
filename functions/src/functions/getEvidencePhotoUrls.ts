import { z } from 'zod';
import { evidencePhotosCollection } from '../domain/photos/plan';
import { canRead, staffRoles, type Caller } from '../domain/roles';
import { untypedCallable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
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
 * A helper sees the needs they submitted (listNeeds), for the households assigned to them
 * (submitNeed), not the whole village: so a photo only if they uploaded it (a need still being
 * captured) or it belongs to a need they submitted. Anything else is the same permission-denied
 * as a photo that does not exist.
 */
async function assertHelperScope(
  caller: Caller,
  records: FirebaseFirestore.DocumentSnapshot[],
): Promise<void> {
  const others = records.filter((record) => record.get('uploaderUid') !== caller.uid);
  const needIds = [...new Set(others.map((record) => record.get('needId') as unknown))];
  if (needIds.some((id) => typeof id !== 'string' || id === '')) {
    deny('getEvidencePhotoUrls', caller.uid);
  }
  if (needIds.length === 0) return;
  const needs = await db().getAll(
    ...needIds.map((id) =>
      db()
        .collection(collections.needs)
        .doc(id as string),
    ),
  );
  if (needs.some((need) => !need.exists || need.get('submittedBy') !== caller.uid)) {
    deny('getEvidencePhotoUrls', caller.uid);
  }
}

/**
 * Short-lived signed URLs of evidence photos' display images and thumbnails, for staff whose
 * region contains the photo's village (helpers: only their own, see assertHelperScope). A photo that does not exist and one out of scope get the
 * same permission-denied, and the whole request fails with it. Every URL issued is logged.
 */
export const getEvidencePhotoUrls = untypedCallable({
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
    if (caller.role === 'helper') await assertHelperScope(caller, records);
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
