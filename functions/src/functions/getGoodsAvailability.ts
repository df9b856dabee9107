import { HttpsError } from 'firebase-functions/v2/https';
import { goodsProgressOf } from '../domain/goods';
import { callable } from '../lib/callable';
import { needDocs } from '../data/needs';
import { anyLapsed, goodsDonationsOf, isNeedOpen, pledgesOf } from '../services/goods';
import { settleNeed } from '../services/settlement';

/**
 * How much of each item of a published goods need is pledged and delivered now, from the pledges
 * themselves: a hold past its time is free at once (the projection donors read catches up when
 * the lapse is written, which this does too). Counts only, for the need page's 帮助TA form.
 */
export const getGoodsAvailability = callable({
  name: 'getGoodsAvailability',
  roles: ['donor'],
  handler: async ({ needId }) => {
    const need = (await needDocs().doc(needId).get()).data();
    if (need?.kind !== 'goods' || !isNeedOpen(need.status)) {
      throw new HttpsError('not-found', '该需求未发布或已结束');
    }
    const nowMs = Date.now();
    const pledges = await goodsDonationsOf(needId);
    const progress = goodsProgressOf(need.items, pledgesOf(pledges), nowMs);
    if (anyLapsed(pledges, nowMs)) await settleNeed(needId, 'goods');
    return {
      items: progress.items.map(({ pledged, delivered }) => ({ pledged, delivered })),
    };
  },
});
