import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import type { DocumentSnapshot } from 'firebase-admin/firestore';
import { StoredDocumentInvalid } from '../data/converter';
import { donationOf, type StoredDonation } from '../data/money';
import { settlementStatuses } from '../domain/donation';
import { settleMoney, settleNeed } from '../services/settlement';
import { collections } from '../services/db';

/**
 * Fields only the platform's own follow-up writes change — a settlement's decision, the
 * certificate's serial. A write that changed nothing else brings nothing new to settle; settling
 * again on it would multiply events when many donors give at once.
 */
const followUpFields = new Set(['status', 'reason', 'settledAt', 'certificateSerial']);

function isFollowUp(before: StoredDonation, after: StoredDonation): boolean {
  if (!settlementStatuses.has(after.status)) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].every(
    (key) => followUpFields.has(key) || JSON.stringify(before[key]) === JSON.stringify(after[key]),
  );
}

/**
 * Both sides of the write, read through the donation's schema; undefined when either is of
 * another shape (its converter logged which): a retry would not change it, and settling on a
 * guess could move money.
 */
function sidesOf(event: { data?: { before: DocumentSnapshot; after: DocumentSnapshot } }) {
  try {
    return { before: donationOf(event.data?.before), after: donationOf(event.data?.after) };
  } catch (error) {
    if (error instanceof StoredDocumentInvalid) return undefined;
    throw error;
  }
}

/**
 * Settles on every donation write (services/settlement.ts). Money: a pending gift is decided
 * once, against the need as it is now — accepted while it fits in what the need lacks, declined
 * (`need_covered`, or `need_closed` on a need no longer open) otherwise; any other write of a
 * money donation (its decision, certificate, refund) has nothing to settle. Goods: the need's
 * pledges are recomputed, holding their quantities until shipped, handed over or expired. A
 * need is matched (对接) once covered. A second delivery finds the gift decided (money) or
 * nothing different to write (goods).
 */
export const onDonationWritten = onDocumentWritten(
  { document: `${collections.donations}/{donationId}`, retry: true },
  async (event) => {
    const sides = sidesOf(event);
    if (!sides) return;
    const { before, after } = sides;
    const needId = after?.needId ?? before?.needId;
    if (!needId) return;
    if ((after ?? before)?.kind !== 'goods') {
      if (after?.status === 'pending') await settleMoney(needId, event.params.donationId);
      return;
    }
    if (before && after && isFollowUp(before, after)) return;
    await settleNeed(needId, 'goods');
  },
);
