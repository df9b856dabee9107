import { z } from 'zod';
import { regionCodeSchema } from '../domain/donor';
import { untypedPublicCallable } from '../lib/callable';
import { collections, db } from '../services/db';

export const listRegionsInput = z.strictObject({ parentCode: regionCodeSchema.optional() });

/**
 * The divisions under a region (provinces when none is given), for the region pickers of the
 * donor's search and 爱心关注. Names and codes are public (the national division code table).
 */
export const listRegions = untypedPublicCallable({
  name: 'listRegions',
  input: listRegionsInput,
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
        level: String(doc.get('level')),
      })),
    };
  },
});
