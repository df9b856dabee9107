import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { callable } from '../lib/callable';
import { signedInRoles } from '../domain/roles';
import { publicNeedDocs, type PublicNeedDocument } from '../data/needs';
import { publicNeedFrom } from '../services/needs';

/**
 * Published needs for donors, filtered by region, category and search through equalities and one
 * array-contains, in the default order (longest waiting and villages furthest below the 60% match
 * target first; see domain/discovery.ts). Every combination has a declared index, and a page
 * costs its size + 1 reads (+ 1 for the cursor).
 */
export const listPublicNeeds = callable({
  name: 'listPublicNeeds',
  roles: signedInRoles,
  handler: async ({ regionCode, category, search, pageSize, after }) => {
    const collection = publicNeedDocs();
    let query: FirebaseFirestore.Query<PublicNeedDocument> = collection.where(
      'status',
      '==',
      'published',
    );
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
    const needs = page.docs.slice(0, pageSize).map((doc) => publicNeedFrom(doc.data()));
    return { needs, next: page.docs.length > pageSize ? (needs.at(-1)?.id ?? null) : null };
  },
});
