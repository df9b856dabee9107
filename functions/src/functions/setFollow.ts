import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { maxFollows, regionCodeSchema } from '../domain/donor';
import { untypedCallable } from '../lib/callable';
import { collections, db } from '../services/db';
import { followsView } from '../services/donors';

export const setFollowInput = z.strictObject({ regionCode: regionCodeSchema, follow: z.boolean() });

/** 爱心关注: follow or unfollow a region (any level); at most {@link maxFollows}. */
export const setFollow = untypedCallable({
  name: 'setFollow',
  input: setFollowInput,
  roles: ['donor'],
  handler: async ({ regionCode, follow }, caller) => {
    const ref = db().collection(collections.donors).doc(caller.uid);
    if (follow) {
      const region = await db().collection(collections.regions).doc(regionCode).get();
      if (!region.exists) throw new HttpsError('not-found', '没有这个地区');
    }
    const current: string[] = (await ref.get()).get('follows') ?? [];
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
