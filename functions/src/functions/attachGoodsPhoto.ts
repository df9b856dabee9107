import { HttpsError } from 'firebase-functions/v2/https';
import { travellingStatuses } from '../domain/goods';
import { processPhoto } from '../domain/photos/process';
import { reasonLabels } from '../domain/photos/sniff';
import { callable } from '../lib/callable';
import { objectStore } from '../services/objectStore';
import { ownGoodsDonation } from '../services/goods';
import { runOnce } from '../services/requests';

/**
 * The photo of the goods a donor pledged (what the village will receive). Processed at once by
 * the evidence pipeline's own code — screened, oriented, re-encoded without metadata (no GPS) —
 * and stored at one path per donation, so a retry or a second photo replaces the first.
 */
export const attachGoodsPhoto = callable({
  name: 'attachGoodsPhoto',
  roles: ['donor'],
  memory: '512MiB',
  handler: async ({ requestId, donationId, dataBase64 }, caller) => {
    const { result } = await runOnce('attachGoodsPhoto', caller.uid, requestId, async (batch) => {
      const { snapshot, donation } = await ownGoodsDonation(caller.uid, donationId);
      const ref = snapshot.ref;
      if (!(travellingStatuses as readonly string[]).includes(donation.status)) {
        throw new HttpsError('failed-precondition', '该捐助已结束，不能再添加照片', {
          status: donation.status,
        });
      }
      const processed = await processPhoto(Buffer.from(dataBase64, 'base64'));
      if (!processed.ok) {
        throw new HttpsError(
          'invalid-argument',
          `照片无法使用：${reasonLabels[processed.reason]}`,
          {
            issues: [{ path: 'dataBase64', code: `photo_${processed.reason}` }],
          },
        );
      }
      const base = `goods/${donationId}`;
      const paths = { displayPath: `${base}/display.jpg`, thumbPath: `${base}/thumb.jpg` };
      // Files before the record that points to them; a rerun rewrites the same two paths.
      await Promise.all([
        objectStore().write(paths.displayPath, processed.display.data, {
          contentType: processed.contentType,
        }),
        objectStore().write(paths.thumbPath, processed.thumb.data, {
          contentType: processed.contentType,
        }),
      ]);
      batch.update(ref, { photo: paths });
      return { donationId, photo: true as const };
    });
    return result;
  },
});
