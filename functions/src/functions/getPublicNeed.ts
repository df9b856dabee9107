import { HttpsError } from 'firebase-functions/v2/https';
import { getAllOf } from '../data/converter';
import { evidencePhotoDocs, publicNeedDocs } from '../data/needs';
import { callable } from '../lib/callable';
import { signedInRoles } from '../domain/roles';
import { publicNeedFrom } from '../services/needs';
import { objectStore } from '../services/objectStore';

/** Signed links to the published evidence last this long: enough to look, too short to share. */
const photoLinkTtlMs = 10 * 60_000;

/**
 * A published need as anyone signed in sees it (a donor, a cadre of another village): masked name,
 * village, category, reason, amounts, and short-lived links to the processed evidence photos
 * (re-encoded without metadata, so no GPS). Nothing else exists in the projection.
 */
export const getPublicNeed = callable({
  name: 'getPublicNeed',
  roles: signedInRoles,
  handler: async ({ needId }) => {
    const stored = (await publicNeedDocs().doc(needId).get()).data();
    if (!stored) throw new HttpsError('not-found', '该需求未发布或已撤回');
    const view = publicNeedFrom(stored);
    const records = await getAllOf(view.evidencePhotoIds.map((id) => evidencePhotoDocs().doc(id)));
    const photos = await Promise.all(
      records
        .map((record) => record.data())
        .flatMap((record) =>
          record?.status === 'processed' &&
          record.needId === needId &&
          record.thumbPath &&
          record.displayPath
            ? [{ thumbPath: record.thumbPath, displayPath: record.displayPath }]
            : [],
        )
        .map(async ({ thumbPath, displayPath }) => ({
          thumbUrl: await objectStore().signedReadUrl(thumbPath, photoLinkTtlMs),
          displayUrl: await objectStore().signedReadUrl(displayPath, photoLinkTtlMs),
        })),
    );
    return { ...view, photos };
  },
});
