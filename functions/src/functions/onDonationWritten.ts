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
    const needId = (event.data?.after.get('needId') ?? event.data?.before.get('needId')) as
      string | undefined;
    if (!needId) return;
    const needRef = db().collection(collections.needs).doc(needId);
    const [need, donations] = await Promise.all([
      needRef.get(),
      db()
        .collection(donationsCollection)
        .where('needId', '==', needId)
        .where('kind', '==', 'money')
        .get(),
    ]);
    if (!need.exists) return;
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
    if (writes === 0) return;
    await batch.commit();
    logs.needFunded(needId, funding.raisedFen, funding.acceptedCount, writes);
  },
);
