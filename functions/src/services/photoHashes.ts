/**
 * The platform-wide index of evidence-photo hashes: a processed photo is indexed under its id, and
 * a lookup finds the photos that are near copies of a hash, wherever they were uploaded, with the
 * needs and households they belong to. Lookups are `array-contains-any` queries on the band keys
 * (domain/photos/perceptualHashBands.ts), so their reads do not grow with the index.
 */
import { FieldValue, type WriteBatch } from 'firebase-admin/firestore';
import type { PerceptualHash } from '../domain/photos/perceptualHash';
import {
  bandKeys,
  hammingDistance,
  probeQueries,
  sameImage,
} from '../domain/photos/perceptualHashBands';
import { getAllOf } from '../data/converter';
import { evidencePhotoDocs, needDocs } from '../data/needs';
import { photoHashDocs, type PhotoHashDocument } from '../data/photoHashes';

/** Adds a photo's hash to `batch` (set, so a second delivery writes the same document again). */
export function indexPhotoHash(
  batch: WriteBatch,
  photoId: string,
  hash: PerceptualHash,
  villageCode: string,
): void {
  batch.set(photoHashDocs().doc(photoId), {
    hash: hash.hex,
    detail: hash.detail,
    weakBits: hash.weakBits,
    bandKeys: bandKeys(hash.hex),
    villageCode,
    indexedAt: FieldValue.serverTimestamp() as unknown as FirebaseFirestore.Timestamp,
  });
}

export interface NearCopy {
  photoId: string;
  /** Bits of 64 in which the hashes differ. */
  distance: number;
  villageCode: string;
  /** The need the photo was submitted with, when it was. */
  needId?: string;
  householdId?: string;
}

export interface NearCopyLookup {
  copies: NearCopy[];
  /** Documents the lookup read, each query counting at least one (as Firestore bills them). */
  reads: number;
  /** Stored hashes the band queries returned, before the distance check. */
  candidates: number;
}

/**
 * The indexed photos that are near copies of `hash`, nearest first; `exceptPhotoId` (the photo
 * itself) is left out. Only the candidates that match are followed to their need and household.
 */
export async function findNearCopies(
  hash: PerceptualHash,
  options: { exceptPhotoId?: string; attachments?: boolean } = {},
): Promise<NearCopyLookup> {
  const groups = probeQueries(hash);
  const results = await Promise.all(
    groups.map((keys) => photoHashDocs().where('bandKeys', 'array-contains-any', keys).get()),
  );
  let reads = results.reduce((total, snapshot) => total + Math.max(1, snapshot.size), 0);
  const candidates = new Map<string, PhotoHashDocument>();
  for (const snapshot of results) {
    for (const doc of snapshot.docs) candidates.set(doc.id, doc.data());
  }
  const copies: NearCopy[] = [];
  for (const [photoId, stored] of candidates) {
    if (photoId === options.exceptPhotoId) continue;
    if (!sameImage(hash, { hex: stored.hash, detail: stored.detail })) continue;
    copies.push({
      photoId,
      distance: hammingDistance(hash.hex, stored.hash),
      villageCode: stored.villageCode,
    });
  }
  copies.sort((a, b) => a.distance - b.distance || a.photoId.localeCompare(b.photoId));
  if (options.attachments !== false && copies.length > 0) {
    const photos = await getAllOf(copies.map((copy) => evidencePhotoDocs().doc(copy.photoId)));
    reads += photos.length;
    const needIds = new Set<string>();
    copies.forEach((copy, index) => {
      const needId = photos[index]?.data()?.needId;
      if (needId) {
        copy.needId = needId;
        needIds.add(needId);
      }
    });
    const needs = await getAllOf([...needIds].map((needId) => needDocs().doc(needId)));
    reads += needs.length;
    const householdOf = new Map(
      needs.flatMap((snapshot) => {
        const need = snapshot.data();
        return need ? [[snapshot.id, need.householdId] as const] : [];
      }),
    );
    for (const copy of copies) {
      const householdId = copy.needId ? householdOf.get(copy.needId) : undefined;
      if (householdId) copy.householdId = householdId;
    }
  }
  return { copies, reads, candidates: candidates.size };
}
