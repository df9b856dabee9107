import { FieldValue, type Timestamp } from 'firebase-admin/firestore';
import { z } from 'zod';
import type { PublicNeedView } from '../domain/need/publicView';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { untypedCallable } from '../lib/callable';
import { collections, db } from '../services/db';
import { followsView, profileView } from '../services/donors';
import { publicNeedOf } from '../services/needs';

export const getDonorProfileInput = z.strictObject({});

/** How many new needs of the followed regions the profile page lists. */
const newsPageSize = 10;

/**
 * The donor's profile, followed regions (爱心关注) and what is new there: the latest published
 * needs of those regions, marked new when published since the donor last looked.
 */
export const getDonorProfile = untypedCallable({
  name: 'getDonorProfile',
  input: getDonorProfileInput,
  roles: ['donor'],
  handler: async (_input, caller) => {
    const ref = db().collection(collections.donors).doc(caller.uid);
    const doc = await ref.get();
    const codes: string[] = doc.get('follows') ?? [];
    const seenAt = (doc.get('newsSeenAt') as Timestamp | undefined)?.toMillis() ?? 0;
    const pages = await Promise.all(
      codes.map((code) =>
        db()
          .collection(collections.publicNeeds)
          .where(regionFieldNameOf(levelOfCode(code) as RegionLevel), '==', code)
          .where('status', '==', 'published')
          .orderBy('publishedAt', 'desc')
          .limit(newsPageSize)
          .get(),
      ),
    );
    const seen = new Set<string>();
    const news: Array<PublicNeedView & { isNew: boolean }> = pages
      .flatMap((page) => page.docs)
      .filter((need) => !seen.has(need.id) && seen.add(need.id))
      .map((need) => publicNeedOf(need))
      .sort((a, b) => b.publishedAt - a.publishedAt)
      .slice(0, newsPageSize)
      .map((need) => ({ ...need, isNew: need.publishedAt > seenAt }));
    if (doc.exists) await ref.update({ newsSeenAt: FieldValue.serverTimestamp() });
    return { profile: profileView(doc), follows: await followsView(codes), news };
  },
});
