import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { incomingPath, maxPhotosPerDraft, maxUploadBytes } from '../domain/photos/plan';
import type { Caller } from '../domain/roles';
import type { UploadedEvidencePhoto } from '../contract/needs';
import {
  evidencePhotoDocs,
  evidencePhotoSeatDocs,
  type EvidencePhotoDocument,
} from '../data/needs';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { db, isAlreadyExists } from '../services/db';
import { objectStore } from '../services/objectStore';

const uidPattern = /^[A-Za-z0-9_-]{1,128}$/;

function resultOf(photoId: string, record: EvidencePhotoDocument): UploadedEvidencePhoto {
  return {
    photoId,
    status: record.status,
    ...(record.reason ? { reason: record.reason } : {}),
  };
}

/**
 * Reserves the next free seat of the caller's draft in the same batch as the photo record. Two
 * concurrent uploads that counted the same number of seats collide on the seat's `create()`; the
 * loser counts again.
 */
async function createRecord(
  caller: Caller,
  photoId: string,
  draftId: string,
): Promise<'created' | 'full' | 'exists'> {
  const records = evidencePhotoDocs();
  for (let attempt = 0; attempt < 5; attempt++) {
    const used = await evidencePhotoSeatDocs()
      .where('uploaderUid', '==', caller.uid)
      .where('draftId', '==', draftId)
      .count()
      .get();
    const seat = used.data().count;
    if (seat >= maxPhotosPerDraft) return 'full';
    const batch = db().batch();
    batch.create(records.doc(photoId), {
      villageCode: caller.region,
      uploaderUid: caller.uid,
      draftId,
      status: 'uploaded',
      createdAt: FieldValue.serverTimestamp(),
    });
    batch.create(evidencePhotoSeatDocs().doc(`${caller.uid}_${draftId}_${seat}`), {
      uploaderUid: caller.uid,
      draftId,
      photoId,
    });
    try {
      await batch.commit();
      return 'created';
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      if ((await records.doc(photoId).get()).exists) return 'exists';
    }
  }
  throw new HttpsError('aborted', '上传过于频繁，请稍后重试');
}

/**
 * Receives one evidence photo for a need being captured (`draftId`; the need may not exist yet).
 * Idempotent on `photoId`: a retry by the same uploader gets the existing record back and never
 * makes a second object. The record is created before the object is written, so the Storage
 * trigger always finds it; a retry after a failed write writes the object again.
 */
export const uploadEvidencePhoto = callable({
  name: 'uploadEvidencePhoto',
  roles: ['village_admin', 'helper'],
  memory: '512MiB',
  handler: async ({ photoId, draftId, contentType, dataBase64 }, caller) => {
    if (!uidPattern.test(caller.uid)) deny('uploadEvidencePhoto', caller.uid);
    const bytes = Buffer.from(dataBase64, 'base64');
    if (bytes.length > maxUploadBytes) {
      throw new HttpsError('invalid-argument', '照片过大', {
        issues: [{ path: 'dataBase64', code: 'too_big' }],
      });
    }
    const ref = evidencePhotoDocs().doc(photoId);
    let record = (await ref.get()).data();
    if (!record) {
      const outcome = await createRecord(caller, photoId, draftId);
      if (outcome === 'full') {
        throw new HttpsError('resource-exhausted', `每条需求最多上传 ${maxPhotosPerDraft} 张照片`);
      }
      record = (await ref.get()).data();
    }
    if (record?.uploaderUid !== caller.uid) deny('uploadEvidencePhoto', caller.uid);
    if (record.draftId !== draftId) {
      throw new HttpsError('failed-precondition', '该照片已用于另一条需求');
    }
    const path = incomingPath(caller.region, caller.uid, photoId);
    // Still 'uploaded' and no object: the first attempt failed between record and write.
    if (record.status === 'uploaded' && !(await objectStore().exists(path))) {
      await objectStore().write(path, bytes, { contentType });
      logs.evidencePhotoUploaded(photoId, caller.region, caller.uid, bytes.length);
    } else {
      logs.callableReplayed('uploadEvidencePhoto', caller.uid);
    }
    return resultOf(photoId, (await ref.get()).data() ?? record);
  },
});
