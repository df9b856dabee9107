import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { docIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { signedInRoles } from '../domain/roles';
import { db } from '../services/db';
import { evidencePhotosCollection, publicNeedOf, publicNeedsCollection } from '../services/needs';
import { objectStore } from '../services/objectStore';

export const getPublicNeedInput = z.strictObject({ needId: docIdSchema });

/** Signed links to the published evidence last this long: enough to look, too short to share. */
const photoLinkTtlMs = 10 * 60_000;

/**
 * A published need as anyone signed in sees it (a donor, a cadre of another village): masked name,
 * village, category, reason, amounts, and short-lived links to the processed evidence photos
 * (re-encoded without metadata, so no GPS). Nothing else exists in the projection.
 */
export const getPublicNeed = untypedCallable({
  name: 'getPublicNeed',
  input: getPublicNeedInput,
  roles: signedInRoles,
  handler: async ({ needId }) => {
    const doc = await db().collection(publicNeedsCollection).doc(needId).get();
    if (!doc.exists) throw new HttpsError('not-found', '该需求未发布或已撤回');
    const view = publicNeedOf(doc);
    const records = view.evidencePhotoIds.length
      ? await db().getAll(
          ...view.evidencePhotoIds.map((id) => db().collection(evidencePhotosCollection).doc(id)),
        )
      : [];
    const photos = await Promise.all(
      records
        .filter(
          (record) =>
            record.get('status') === 'processed' &&
            record.get('needId') === needId &&
            record.get('thumbPath'),
        )
        .map(async (record) => ({
          thumbUrl: await objectStore().signedReadUrl(
            String(record.get('thumbPath')),
            photoLinkTtlMs,
          ),
          displayUrl: await objectStore().signedReadUrl(
            String(record.get('displayPath')),
            photoLinkTtlMs,
          ),
        })),
    );
    return { ...view, photos };
  },
});
