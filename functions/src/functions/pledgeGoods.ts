import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { movedTo } from '../domain/donation';
import { goodsProgressOf, pledgeHoldMs } from '../domain/goods';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { donationDocs } from '../data/money';
import { needOpenForGift } from '../services/donations';
import { anyLapsed, goodsDonationsOf, pledgesOf } from '../services/goods';
import { runOnce } from '../services/requests';
import { settleNeed } from '../services/settlement';

/**
 * 帮助TA with goods: what and how many of a goods need's items (partial quantities allowed), sent
 * by express or handed over face to face. The pledge holds its quantities for 72 hours until a
 * tracking number or the hand-over arrives; onDonationWritten settles it against the other
 * pledges (earliest first) and expireGoodsPledges releases it when the time runs out. A quantity
 * beyond what is still free is refused at once with `failed-precondition`.
 */
export const pledgeGoods = callable({
  name: 'pledgeGoods',
  roles: ['donor'],
  handler: async ({ requestId, needId, items, delivery }, caller) => {
    let lapsedSeen = false;
    const { result } = await runOnce('pledgeGoods', caller.uid, requestId, async (batch) => {
      const { need, giver } = await needOpenForGift(needId, 'goods', caller.uid);
      const asked = need.items;
      // What is free now, from the pledges themselves: one whose time ran out frees its quantity
      // at once, not when the 15-minute job or the next settlement writes it.
      const nowMs = Date.now();
      const pledges = await goodsDonationsOf(needId);
      const progress = goodsProgressOf(asked, pledgesOf(pledges), nowMs);
      lapsedSeen = anyLapsed(pledges, nowMs);
      const lines = items.map(({ itemIndex, quantity }, index) => {
        const item = asked[itemIndex];
        if (!item) {
          throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', {
            issues: [{ path: `items.${index}.itemIndex`, code: 'item_unknown' }],
          });
        }
        const remaining = item.quantity - (progress.items[itemIndex]?.pledged ?? 0);
        if (quantity > remaining) {
          throw new HttpsError(
            'failed-precondition',
            remaining > 0
              ? `${item.name}只还缺 ${remaining}${item.unit}，请减少数量后再认捐`
              : `${item.name}已有爱心人士认捐，请选择其他物品或需求`,
            {
              itemIndex,
              remaining: Math.max(0, remaining),
            },
          );
        }
        return { itemIndex, name: item.name, unit: item.unit, quantity };
      });
      const expiresAt = Timestamp.fromMillis(Date.now() + pledgeHoldMs);
      const ref = donationDocs().doc();
      const tracked = delivery.method === 'express' && delivery.trackingNumber !== undefined;
      batch.create(ref, {
        needId,
        donorUid: caller.uid,
        kind: 'goods',
        items: lines,
        delivery,
        tracking: tracked,
        status: movedTo('goods', null, 'pending', 'donor'),
        expiresAt,
        ...giver,
        villageCode: need.villageCode,
        townshipCode: need.townshipCode,
        madeAt: FieldValue.serverTimestamp(),
      });
      logs.goodsPledged(ref.id, needId, caller.uid, lines.length);
      return {
        donationId: ref.id,
        needId,
        status: 'pending' as const,
        expiresAt: expiresAt.toMillis(),
      };
    });
    // The lapse is written now, so the need's public progress shows the freed quantity too.
    if (lapsedSeen) await settleNeed(needId, 'goods');
    return result;
  },
});
