import { regionDocs } from '../data/households';
import { publicCallable } from '../lib/callable';

/**
 * The divisions under a region (provinces when none is given), for the region pickers of the
 * donor's search and 爱心关注. Names and codes are public (the national division code table).
 */
export const listRegions = publicCallable({
  name: 'listRegions',
  handler: async ({ parentCode }) => {
    const page = await regionDocs()
      .where('parentCode', '==', parentCode ?? null)
      .orderBy('__name__')
      .limit(500)
      .get();
    return {
      regions: page.docs.map((doc) => {
        const { name, level } = doc.data();
        return { code: doc.id, name, level };
      }),
    };
  },
});
