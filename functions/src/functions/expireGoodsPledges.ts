import { Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { lapsingStatuses } from '../domain/goods';
import { donationDocs } from '../data/money';
import { settleNeed } from '../services/settlement';

/**
 * Releases goods pledges whose 72 hours ran out with no tracking number or hand-over, so that
 * others may give what they held. Settlement would also release them on the need's next donation
 * write; this makes it happen when nobody writes.
 */
export const expireGoodsPledges = onSchedule(
  { schedule: 'every 15 minutes', timeoutSeconds: 300, retryCount: 0 },
  async () => {
    const lapsed = await donationDocs()
      .where('kind', '==', 'goods')
      .where('status', 'in', lapsingStatuses)
      .where('expiresAt', '<=', Timestamp.now())
      .get();
    const needIds = [...new Set(lapsed.docs.map((doc) => doc.data().needId))];
    for (const needId of needIds) await settleNeed(needId, 'goods');
  },
);
