import { FieldValue } from 'firebase-admin/firestore';
import type { FollowedNews } from '../contract/money';
import { donorDocs } from '../data/money';
import { publicNeedDocs } from '../data/needs';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { callable } from '../lib/callable';
import { followsView, profileView } from '../services/donors';
import { publicNeedFrom } from '../services/needs';

/** How many new needs of the followed regions the profile page lists. */
const newsPageSize = 10;

/**
 * The donor's profile, followed regions (爱心关注) and what is new there: the latest published
 * needs of those regions, marked new when published since the donor last looked.
 */
export const getDonorProfile = callable({
  name: 'getDonorProfile',
  roles: ['donor'],
  handler: async (_input, caller) => {
    const ref = donorDocs().doc(caller.uid);
    const snapshot = await ref.get();
    const donor = snapshot.data();
    const codes = donor?.follows ?? [];
    const seenAt = donor?.newsSeenAt?.toMillis() ?? 0;
    const pages = await Promise.all(
      codes.map((code) =>
        publicNeedDocs()
          .where(regionFieldNameOf(levelOfCode(code) as RegionLevel), '==', code)
          .where('status', '==', 'published')
          .orderBy('publishedAt', 'desc')
          .limit(newsPageSize)
          .get(),
      ),
    );
    const seen = new Set<string>();
    const news: FollowedNews[] = pages
      .flatMap((page) => page.docs)
      .filter((need) => !seen.has(need.id) && seen.add(need.id))
      .map((need) => publicNeedFrom(need.data()))
      .sort((a, b) => b.publishedAt - a.publishedAt)
      .slice(0, newsPageSize)
      .map((need) => ({ ...need, isNew: need.publishedAt > seenAt }));
    if (snapshot.exists) await ref.update({ newsSeenAt: FieldValue.serverTimestamp() });
    return { profile: profileView(donor), follows: await followsView(codes), news };
  },
});
