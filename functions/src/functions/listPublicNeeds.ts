import { z } from 'zod';
import { needCategories, type PublicNeedView } from '../domain/need';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { docIdSchema } from '../domain/validation/common';
import { callable } from '../lib/callable';
import { db } from '../services/db';
import { publicNeedsCollection } from '../services/needs';

export const listPublicNeedsInput = z.strictObject({
  /** A division code prefix (2, 4, 6, 9 or 12 digits): one equality on that level's field. */
  regionCode: z
    .string()
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/)
    .optional(),
  category: z.enum(needCategories).optional(),
  pageSize: z.number().int().min(1).max(50).default(20),
  after: docIdSchema.optional(),
});

/**
 * Published needs for donors, those that have waited longest first, filtered by region and
 * category through indexed equalities; a page costs its size + 1 reads.
 */
export const listPublicNeeds = callable({
  name: 'listPublicNeeds',
  input: listPublicNeedsInput,
  roles: [
    'donor',
    'village_admin',
    'helper',
    'township_admin',
    'county_admin',
    'city_admin',
    'province_admin',
    'ops',
  ],
  handler: async ({ regionCode, category, pageSize, after }) => {
    const collection = db().collection(publicNeedsCollection);
    let query: FirebaseFirestore.Query = collection.where('status', '==', 'published');
    if (regionCode)
      query = query.where(
        regionFieldNameOf(levelOfCode(regionCode) as RegionLevel),
        '==',
        regionCode,
      );
    if (category) query = query.where('category', '==', category);
    query = query
      .orderBy('publishedAt', 'asc')
      .orderBy('__name__')
      .limit(pageSize + 1);
    if (after) {
      const cursor = await collection.doc(after).get();
      if (cursor.exists) query = query.startAfter(cursor);
    }
    const page = await query.get();
    const needs = page.docs.slice(0, pageSize).map((doc) => doc.get('view') as PublicNeedView);
    return { needs, next: page.docs.length > pageSize ? (needs.at(-1)?.id ?? null) : null };
  },
});
