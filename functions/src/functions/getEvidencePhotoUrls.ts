import type { EvidencePhotoUrls } from '../contract/needs';
import { canRead, staffRoles, type Caller } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { getAllOf } from '../data/converter';
import { evidencePhotoDocs, needDocs, type EvidencePhotoDocument } from '../data/needs';
import { objectStore } from '../services/objectStore';

/** Long enough to load a page of photos, short enough that a forwarded link soon stops working. */
export const photoUrlTtlMs = 10 * 60 * 1000;

/**
 * A helper sees the needs they submitted (listNeeds), for the households assigned to them
 * (submitNeed), not the whole village: so a photo only if they uploaded it (a need still being
 * captured) or it belongs to a need they submitted. Anything else is the same permission-denied
 * as a photo that does not exist.
 */
async function assertHelperScope(caller: Caller, records: EvidencePhotoDocument[]): Promise<void> {
  const others = records.filter((record) => record.uploaderUid !== caller.uid);
  const needIds = [...new Set(others.map((record) => record.needId))];
  if (needIds.some((id) => id === undefined || id === '')) {
    deny('getEvidencePhotoUrls', caller.uid);
  }
  if (needIds.length === 0) return;
  const needs = await getAllOf(needIds.map((id) => needDocs().doc(id ?? '')));
  if (needs.some((need) => need.data()?.submittedBy !== caller.uid)) {
    deny('getEvidencePhotoUrls', caller.uid);
  }
}

/**
 * Short-lived signed URLs of evidence photos' display images and thumbnails, for staff whose
 * region contains the photo's village (helpers: only their own, see assertHelperScope). A photo that does not exist and one out of scope get the
 * same permission-denied, and the whole request fails with it. Every URL issued is logged.
 */
export const getEvidencePhotoUrls = callable({
  name: 'getEvidencePhotoUrls',
  roles: staffRoles,
  handler: async ({ photoIds }, caller) => {
    const unique = [...new Set(photoIds)];
    const snapshots = await getAllOf(unique.map((id) => evidencePhotoDocs().doc(id)));
    const records = snapshots.map((snapshot) => {
      const record = snapshot.data();
      if (record && canRead(caller, record.villageCode)) return { id: snapshot.id, record };
      return deny('getEvidencePhotoUrls', caller.uid);
    });
    if (caller.role === 'helper')
      await assertHelperScope(
        caller,
        records.map(({ record }) => record),
      );
    const photos = await Promise.all(
      records.map(async ({ id, record }): Promise<EvidencePhotoUrls> => {
        const { status, displayPath, thumbPath, width, height } = record;
        if (status === 'quarantined') {
          return { photoId: id, status, reason: String(record.reason) };
        }
        // Processed but with no outputs recorded (a record written by hand): nothing to link to.
        if (
          status !== 'processed' ||
          displayPath === undefined ||
          thumbPath === undefined ||
          width === undefined ||
          height === undefined
        ) {
          return { photoId: id, status: 'uploaded' };
        }
        const [displayUrl, thumbUrl] = await Promise.all([
          objectStore().signedReadUrl(displayPath, photoUrlTtlMs),
          objectStore().signedReadUrl(thumbPath, photoUrlTtlMs),
        ]);
        logs.evidencePhotoAccessed(caller.uid, caller.role, id);
        return { photoId: id, status, displayUrl, thumbUrl, width, height };
      }),
    );
    return { photos, expiresInSeconds: photoUrlTtlMs / 1000 };
  },
});
