import { FieldValue, type Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import {
  donorProfileInput,
  donorRegionFields,
  maskPhone,
  maxFollows,
  regionCodeSchema,
  type DonorKind,
} from '../domain/donor';
import type { PublicNeedView } from '../domain/need';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { untypedCallable } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { publicNeedsCollection, publicNeedOf } from '../services/needs';

export interface DonorProfileView {
  kind: DonorKind;
  name: string;
  unit: string | null;
  phoneMasked: string;
  villageCode: string | null;
}

function profileView(doc: FirebaseFirestore.DocumentSnapshot): DonorProfileView | null {
  if (!doc.exists || !doc.get('name')) return null;
  return {
    kind: doc.get('kind') as DonorKind,
    name: String(doc.get('name')),
    unit: doc.get('unit') ? String(doc.get('unit')) : null,
    phoneMasked: maskPhone(String(doc.get('phone') ?? '')),
    villageCode: doc.get('villageCode') ?? null,
  };
}

async function followsView(codes: readonly string[]) {
  if (codes.length === 0) return [];
  const regions = await db().getAll(
    ...codes.map((code) => db().collection(collections.regions).doc(code)),
  );
  return regions.map((region, index) => ({
    code: codes[index] as string,
    name: String(region.get('fullName') ?? region.get('name') ?? codes[index]),
  }));
}

/**
 * The donor's profile (person or enterprise, name, unit), as printed on honour certificates and
 * reported on the registration table. The phone comes from the verified sign-in, never the form.
 */
export const saveDonorProfile = untypedCallable({
  name: 'saveDonorProfile',
  input: donorProfileInput,
  roles: ['donor'],
  handler: async (profile, caller, request) => {
    const phone = request.auth?.token.phone_number;
    if (typeof phone !== 'string') {
      throw new HttpsError('failed-precondition', '请使用手机号登录后填写资料', {
        reason: 'phone_missing',
      });
    }
    if (profile.villageCode) {
      const village = await db().collection(collections.regions).doc(profile.villageCode).get();
      if (!village.exists || village.get('level') !== 'village') {
        throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', {
          issues: [{ path: 'villageCode', code: 'village_unknown' }],
        });
      }
    }
    const ref = db().collection(collections.donors).doc(caller.uid);
    await ref.set(
      {
        kind: profile.kind,
        name: profile.name,
        unit: profile.unit,
        phone,
        villageCode: FieldValue.delete(),
        townshipCode: FieldValue.delete(),
        countyCode: FieldValue.delete(),
        cityCode: FieldValue.delete(),
        provinceCode: FieldValue.delete(),
        ...donorRegionFields(profile.villageCode),
        updatedAt: FieldValue.serverTimestamp(),
      },
      { merge: true },
    );
    logs.donorProfileSaved(caller.uid, profile.kind);
    return { profile: profileView(await ref.get()) };
  },
});

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
          .collection(publicNeedsCollection)
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
