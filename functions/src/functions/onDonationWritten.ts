import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { functionsRegion } from '../params';
import { settleNeed } from '../services/settlement';
import { donationsCollection } from './donate';

/**
 * Fields only the platform's own follow-up writes change — a settlement's decision, the
 * certificate's serial. A write that changed nothing else brings nothing new to settle; settling
 * again on it would multiply events when many donors give at once.
 */
const followUpFields = new Set(['status', 'reason', 'settledAt', 'certificateSerial']);
const settledStatuses = new Set(['accepted', 'declined', 'held', 'shipped', 'expired']);

function isFollowUp(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  if (!settledStatuses.has(String(after.status))) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].every(
    (key) => followUpFields.has(key) || JSON.stringify(before[key]) === JSON.stringify(after[key]),
  );
}

/**
 * Settles a need from its donations on every donation write (services/settlement.ts): money is
 * accepted in the order given up to the target and the rest declined; goods pledges hold their
 * quantities until shipped, handed over or expired. The first accepted donation or kept pledge
 * moves a published need to matched (对接). A second delivery recomputes and finds nothing to
 * write.
 */
export const onDonationWritten = onDocumentWritten(
  { document: `${donationsCollection}/{donationId}`, region: functionsRegion, retry: true },
  async (event) => {
    const before = event.data?.before.data();
    const after = event.data?.after.data();
    const needId = (after?.needId ?? before?.needId) as string | undefined;
    if (!needId) return;
    if (before && after && isFollowUp(before, after)) return;
    await settleNeed(needId, (after ?? before)?.kind === 'goods' ? 'goods' : 'money');
  },
);
