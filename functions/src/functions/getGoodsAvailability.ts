import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { goodsProgressOf } from '../domain/goods';
import type { GoodsItem } from '../domain/need/submission';
import { docIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { collections, db } from '../services/db';
import { anyLapsed, goodsDonationsOf, isNeedOpen, pledgeOf } from '../services/goods';
import { settleNeed } from '../services/settlement';

export const getGoodsAvailabilityInput = z.strictObject({ needId: docIdSchema });

/**
 * How much of each item of a published goods need is pledged and delivered now, from the pledges
 * themselves: a hold past its time is free at once (the projection donors read catches up when
 * the lapse is written, which this does too). Counts only, for the need page's 帮助TA form.
 */
export const getGoodsAvailability = untypedCallable({
  name: 'getGoodsAvailability',
  input: getGoodsAvailabilityInput,
  roles: ['donor'],
  handler: async ({ needId }) => {
    const need = await db().collection(collections.needs).doc(needId).get();
    if (!need.exists || need.get('kind') !== 'goods' || !isNeedOpen(need.get('status'))) {
      throw new HttpsError('not-found', '该需求未发布或已结束');
    }
    const nowMs = Date.now();
    const pledges = await goodsDonationsOf(needId);
    const progress = goodsProgressOf(
      need.get('items') as GoodsItem[],
      pledges.map(pledgeOf),
      nowMs,
    );
    if (anyLapsed(pledges, nowMs)) await settleNeed(needId, 'goods');
    return {
      items: progress.items.map(({ pledged, delivered }) => ({ pledged, delivered })),
    };
  },
});
