import type { RegionLevel } from '../domain/regions';
import { publicCallable } from '../lib/callable';
import { collections, db } from '../services/db';

/**
 * The divisions under a region (provinces when none is given), for the region pickers of the
 * donor's search and 爱心关注. Names and codes are public (the national division code table).
 */
export const listRegions = publicCallable({
  name: 'listRegions',
  handler: async ({ parentCode }) => {
    const page = await db()
      .collection(collections.regions)
      .where('parentCode', '==', parentCode ?? null)
      .orderBy('__name__')
      .limit(500)
      .get();
    return {
      regions: page.docs.map((doc) => ({
        code: doc.id,
        name: String(doc.get('name')),
        level: doc.get('level') as RegionLevel,
      })),
    };
  },
});
