/**
 * `photoHashes/{photoId}`: the perceptual hash of a processed evidence photo, written by
 * onEvidenceUploaded with the photo's processed status, and the band keys a near-copy lookup
 * queries (domain/photos/perceptualHashBands.ts). Keyed by the photo's id, so writing it again is
 * harmless. Read by the functions only.
 */
import { z } from 'zod';
import { collections } from '../services/db';
import { timestampField, typedCollection } from './converter';

export const photoHashDocumentSchema = z.looseObject({
  /** 16 lowercase hex digits (perceptualHash.ts). */
  hash: z.string(),
  /** How much detail the hash was read from: below `minDetail` the photo is never a match. */
  detail: z.number(),
  /** The hash's bits, weakest first (perceptualHash.ts), for a later lookup of this photo. */
  weakBits: z.array(z.number()),
  /** `'<band>:<hex>'`, one per band; queried with `array-contains-any`. */
  bandKeys: z.array(z.string()),
  villageCode: z.string(),
  indexedAt: timestampField.optional(),
});
export type PhotoHashDocument = z.output<typeof photoHashDocumentSchema>;

export const photoHashDocs = typedCollection(collections.photoHashes, photoHashDocumentSchema);
