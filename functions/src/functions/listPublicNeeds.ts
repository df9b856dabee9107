import { z } from 'zod';
import { searchTokenOf } from '../domain/discovery';
import { regionCodeSchema } from '../domain/donor';
import { needCategories } from '../domain/need/categories';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { docIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { signedInRoles } from '../domain/roles';
import { db } from '../services/db';
import { publicNeedOf, publicNeedsCollection } from '../services/needs';

export const listPublicNeedsInput = z.strictObject({
  /** A division code prefix (2, 4, 6, 9 or 12 digits): one equality on that level's field. */
  regionCode: regionCodeSchema.optional(),
  category: z.enum(needCategories).optional(),
  /** A masked name (张*华), a surname (张) or a village name (新街村, 新街): matched exactly. */
  search: z
    .string()
    .max(30)
    .transform(searchTokenOf)
    .pipe(z.string().min(1, 'search_empty'))
    .optional(),
  pageSize: z.number().int().min(1).max(50).default(20),
  after: docIdSchema.optional(),
});

/**
 * Published needs for donors, filtered by region, category and search through equalities and one
 * array-contains, in the default order (longest waiting and villages furthest below the 60% match
 * target first; see domain/discovery.ts). Every combination has a declared index, and a page
 * costs its size + 1 reads (+ 1 for the cursor).
 */
export const listPublicNeeds = untypedCallable({
  name: 'listPublicNeeds',
  input: listPublicNeedsInput,
  roles: signedInRoles,
  handler: async ({ regionCode, category, search, pageSize, after }) => {
    const collection = db().collection(publicNeedsCollection);
    let query: FirebaseFirestore.Query = collection.where('status', '==', 'published');
    if (regionCode)
      query = query.where(
        regionFieldNameOf(levelOfCode(regionCode) as RegionLevel),
        '==',
        regionCode,
      );
    if (category) query = query.where('category', '==', category);
    if (search) query = query.where('searchTokens', 'array-contains', search);
    query = query
      .orderBy('rankAt', 'asc')
      .orderBy('__name__')
      .limit(pageSize + 1);
    if (after) {
      const cursor = await collection.doc(after).get();
      if (cursor.exists) query = query.startAfter(cursor);
    }
    const page = await query.get();
    const needs = page.docs.slice(0, pageSize).map(publicNeedOf);
    return { needs, next: page.docs.length > pageSize ? (needs.at(-1)?.id ?? null) : null };
  },
});
