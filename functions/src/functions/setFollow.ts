import { HttpsError } from 'firebase-functions/v2/https';
import { maxFollows } from '../domain/donor';
import { callable } from '../lib/callable';
import { regionDocs } from '../data/households';
import { donorDocs } from '../data/money';
import { followsView } from '../services/donors';

/** 爱心关注: follow or unfollow a region (any level); at most {@link maxFollows}. */
export const setFollow = callable({
  name: 'setFollow',
  roles: ['donor'],
  handler: async ({ regionCode, follow }, caller) => {
    const ref = donorDocs().doc(caller.uid);
    if (follow) {
      const region = await regionDocs().doc(regionCode).get();
      if (!region.exists) throw new HttpsError('not-found', '没有这个地区');
    }
    const current = (await ref.get()).data()?.follows ?? [];
    if (follow && !current.includes(regionCode) && current.length >= maxFollows) {
      throw new HttpsError('failed-precondition', `最多关注 ${maxFollows} 个地区`, {
        reason: 'too_many_follows',
      });
    }
    // The whole list, computed from what was read: a retried request writes the same list. (Not
    // arrayUnion: the local Firestore-protocol server cannot apply it to a missing field.)
    const follows = follow
      ? [...new Set([...current, regionCode])]
      : current.filter((code) => code !== regionCode);
    await ref.set({ follows }, { merge: true });
    return { follows: await followsView(follows) };
  },
});
