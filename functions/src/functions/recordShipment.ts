import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { canDonationMove, movedTo } from '../domain/donation';
import { effectiveStatus, pledgeClockOf } from '../domain/goods';
import { callable } from '../lib/callable';
import { assertNeedOpen, ownGoodsDonation } from '../services/goods';
import { runOnce } from '../services/requests';

/** The donor adds the courier and tracking number of a pledge: it is shipped and stops expiring. */
export const recordShipment = callable({
  name: 'recordShipment',
  roles: ['donor'],
  handler: async ({ requestId, donationId, courier, trackingNumber }, caller) => {
    const { result } = await runOnce('recordShipment', caller.uid, requestId, async (batch) => {
      const { snapshot, donation } = await ownGoodsDonation(caller.uid, donationId);
      const ref = snapshot.ref;
      // A late scheduler must not let a lapsed pledge take back quantities given to others.
      const status = effectiveStatus(pledgeClockOf(donation), Date.now());
      if (!canDonationMove('goods', status, 'shipped', 'donor')) {
        throw new HttpsError(
          'failed-precondition',
          status === 'expired'
            ? '该认捐已过期，物品已释放给其他爱心人士，请不要寄出；如仍想帮助，请重新认捐'
            : '该捐助已处理，不能再填写快递单号',
          { status },
        );
      }
      await assertNeedOpen(donation.needId);
      batch.update(ref, {
        delivery: { method: 'express', courier, trackingNumber },
        tracking: true,
        status: movedTo('goods', status, 'shipped', 'donor'),
        shippedAt: FieldValue.serverTimestamp(),
      });
      return { donationId, status: 'shipped' as const };
    });
    return result;
  },
});
