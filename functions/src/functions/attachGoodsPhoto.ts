import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { travellingStatuses } from '../domain/goods';
import { acceptedContentTypes, maxUploadBytes } from '../domain/photos/plan';
import { processPhoto } from '../domain/photos/process';
import { reasonLabels } from '../domain/photos/sniff';
import { docIdSchema, requestIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { objectStore } from '../services/objectStore';
import { ownGoodsDonation } from '../services/goods';
import { runOnce } from '../services/requests';

const maxPhotoBase64 = Math.ceil(maxUploadBytes / 3) * 4;

export const attachGoodsPhotoInput = z.strictObject({
  requestId: requestIdSchema,
  donationId: docIdSchema,
  contentType: z.enum(acceptedContentTypes),
  dataBase64: z
    .string()
    .min(4)
    .max(maxPhotoBase64)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

/**
 * The photo of the goods a donor pledged (what the village will receive). Processed at once by
 * the evidence pipeline's own code — screened, oriented, re-encoded without metadata (no GPS) —
 * and stored at one path per donation, so a retry or a second photo replaces the first.
 */
export const attachGoodsPhoto = untypedCallable({
  name: 'attachGoodsPhoto',
  input: attachGoodsPhotoInput,
  roles: ['donor'],
  memory: '512MiB',
  handler: async ({ requestId, donationId, dataBase64 }, caller) => {
    const { result } = await runOnce('attachGoodsPhoto', caller.uid, requestId, async (batch) => {
      const donation = await ownGoodsDonation(caller.uid, donationId);
      const ref = donation.ref;
      if (!(travellingStatuses as readonly string[]).includes(donation.get('status'))) {
        throw new HttpsError('failed-precondition', '该捐助已结束，不能再添加照片', {
          status: donation.get('status'),
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
      return { donationId, photo: true };
    });
    return result;
  },
});
