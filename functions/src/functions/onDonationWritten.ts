import { FieldValue, type Timestamp } from 'firebase-admin/firestore';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { fundingOf } from '../domain/funding';
import { logs } from '../logs';
import { functionsRegion } from '../params';
import { collections, db } from '../services/db';
import { donationsCollection } from './donate';

/**
 * Settles a need's money donations from source on every donation write: accepts them in the order
 * made up to the target, declines the rest, and writes `raisedFen` — so `raised == Σ accepted
 * donations` at rest. The first accepted donation moves a published need to matched (对接).
 * Second delivery: a recomputation that writes only what differs, so it finds nothing to write.
 */
export const onDonationWritten = onDocumentWritten(
  { document: `${donationsCollection}/{donationId}`, region: functionsRegion, retry: true },
  async (event) => {
    const before = event.data?.before.data();
    const after = event.data?.after.data();
    const needId = (after?.needId ?? before?.needId) as string | undefined;
    if (!needId) return;
    // This function's own decisions (accepted / declined) change nothing it reads: settling again
    // on them would multiply events when many donors give at once.
    const ownDecision =
      before !== undefined &&
      after !== undefined &&
      before.amountFen === after.amountFen &&
      ['accepted', 'declined'].includes(String(after.status));
    if (ownDecision) return;
    // Without isolation a run that read fewer donations may commit after one that read more:
    // settle again until the donations read before and after a commit are the same set.
    for (let attempt = 0; attempt < 5; attempt++) {
      const settledIds = await settle(needId);
      const now = await db()
        .collection(donationsCollection)
        .where('needId', '==', needId)
        .where('kind', '==', 'money')
        .select()
        .get();
      const readNow = now.docs
        .map((doc) => doc.id)
        .sort()
        .join();
      if (readNow === settledIds) return;
    }
  },
);

/** One settlement of a need from its donations; returns the ids it read, sorted and joined. */
async function settle(needId: string): Promise<string> {
  const needRef = db().collection(collections.needs).doc(needId);
  const [need, donations] = await Promise.all([
    needRef.get(),
    db()
      .collection(donationsCollection)
      .where('needId', '==', needId)
      .where('kind', '==', 'money')
      .get(),
  ]);
  if (!need.exists) return '';
  const funding = fundingOf(
    Number(need.get('amountFen') ?? 0),
    donations.docs.map((doc) => ({
      id: doc.id,
      amountFen: Number(doc.get('amountFen')),
      madeAt: (doc.get('madeAt') as Timestamp | undefined)?.toMillis() ?? 0,
      status: String(doc.get('status')),
    })),
  );
  const batch = db().batch();
  let writes = 0;
  for (const doc of donations.docs) {
    const decision = funding.decisions.get(doc.id);
    if (decision && doc.get('status') !== decision) {
      batch.update(doc.ref, {
        status: decision,
        ...(decision === 'declined' ? { reason: 'need_covered' } : {}),
        settledAt: FieldValue.serverTimestamp(),
      });
      writes++;
    }
  }
  const needPatch: Record<string, unknown> = {};
  if (need.get('raisedFen') !== funding.raisedFen) needPatch.raisedFen = funding.raisedFen;
  if (need.get('acceptedDonations') !== funding.acceptedCount)
    needPatch.acceptedDonations = funding.acceptedCount;
  if (funding.acceptedCount > 0 && need.get('status') === 'published') {
    needPatch.status = 'matched';
    needPatch.matchedAt = FieldValue.serverTimestamp();
  }
  if (Object.keys(needPatch).length > 0) {
    batch.update(needRef, { ...needPatch, updatedAt: FieldValue.serverTimestamp() });
    writes++;
  }
  if (writes > 0) {
    await batch.commit();
    logs.needFunded(needId, funding.raisedFen, funding.acceptedCount, writes);
  }
  return donations.docs
    .map((doc) => doc.id)
    .sort()
    .join();
}
