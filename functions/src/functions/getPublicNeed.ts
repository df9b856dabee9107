import { z } from 'zod';
import { docIdSchema } from '../domain/validation/common';
import type { PublicNeedView } from '../domain/need';
import { HttpsError } from 'firebase-functions/v2/https';
import { callable } from '../lib/callable';
import { db } from '../services/db';
import { publicNeedsCollection } from '../services/needs';

export const getPublicNeedInput = z.strictObject({ needId: docIdSchema });

/**
 * A published need as anyone signed in sees it (a donor, a cadre of another village): masked name,
 * village, category, reason, amounts, evidence photo ids — nothing else exists in the projection.
 */
export const getPublicNeed = callable({
  name: 'getPublicNeed',
  input: getPublicNeedInput,
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
  handler: async ({ needId }) => {
    const doc = await db().collection(publicNeedsCollection).doc(needId).get();
    if (!doc.exists) throw new HttpsError('not-found', '该需求未发布或已撤回');
    return doc.get('view') as PublicNeedView;
  },
});
