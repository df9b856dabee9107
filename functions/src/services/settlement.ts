/**
 * Settling a need from its donations, from source, with no transaction to lean on: every run
 * reads all the need's donations, decides with a pure function (domain/funding.ts for money,
 * domain/goods.ts for goods), and writes only what differs — so concurrent runs and repeated
 * deliveries converge, and `raised == Σ accepted` (or pledged == Σ kept pledges) at rest.
 */
import { FieldValue, type Timestamp } from 'firebase-admin/firestore';
import { fundingOf } from '../domain/funding';
import { goodsProgressOf, type GoodsPledgeLike, type GoodsPledgeStatus } from '../domain/goods';
import { logs } from '../logs';
import { collections, db } from './db';

const millis = (value: unknown): number => (value as Timestamp | undefined)?.toMillis() ?? 0;

function donationsOf(needId: string, kind: 'money' | 'goods') {
  return db()
    .collection(collections.donations)
    .where('needId', '==', needId)
    .where('kind', '==', kind);
}

/** The ids a settlement read, sorted and joined: compared with a fresh read to detect a race. */
const idsOf = (docs: FirebaseFirestore.QueryDocumentSnapshot[]) =>
  docs
    .map((doc) => doc.id)
    .sort()
    .join();

/** The first accepted donation or kept pledge moves a published need to matched (对接). */
function matchPatch(need: FirebaseFirestore.DocumentSnapshot, taken: boolean) {
  return taken && need.get('status') === 'published'
    ? { status: 'matched', matchedAt: FieldValue.serverTimestamp() }
    : {};
}

async function settleMoney(needId: string): Promise<string> {
  const needRef = db().collection(collections.needs).doc(needId);
  const [need, donations] = await Promise.all([needRef.get(), donationsOf(needId, 'money').get()]);
  if (!need.exists) return '';
  const funding = fundingOf(
    Number(need.get('amountFen') ?? 0),
    donations.docs.map((doc) => ({
      id: doc.id,
      amountFen: Number(doc.get('amountFen')),
      madeAt: millis(doc.get('madeAt')),
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
  const needPatch: Record<string, unknown> = matchPatch(need, funding.acceptedCount > 0);
  if (need.get('raisedFen') !== funding.raisedFen) needPatch.raisedFen = funding.raisedFen;
  if (need.get('acceptedDonations') !== funding.acceptedCount)
    needPatch.acceptedDonations = funding.acceptedCount;
  if (Object.keys(needPatch).length > 0) {
    batch.update(needRef, { ...needPatch, updatedAt: FieldValue.serverTimestamp() });
    writes++;
  }
  if (writes > 0) {
    await batch.commit();
    logs.needFunded(needId, funding.raisedFen, funding.acceptedCount, writes);
  }
  return idsOf(donations.docs);
}

async function settleGoods(needId: string, nowMs: number): Promise<string> {
  const needRef = db().collection(collections.needs).doc(needId);
  const [need, pledges] = await Promise.all([needRef.get(), donationsOf(needId, 'goods').get()]);
  if (!need.exists || need.get('kind') !== 'goods') return '';
  const progress = goodsProgressOf(
    need.get('items') as Array<{ name: string; quantity: number; unit: string }>,
    pledges.docs.map((doc): GoodsPledgeLike => ({
      id: doc.id,
      madeAt: millis(doc.get('madeAt')),
      status: doc.get('status') as GoodsPledgeStatus,
      items: (doc.get('items') as Array<{ itemIndex: number; quantity: number }>).map(
        ({ itemIndex, quantity }) => ({ itemIndex, quantity }),
      ),
      expiresAt: millis(doc.get('expiresAt')),
      tracking: doc.get('tracking') === true,
    })),
    nowMs,
  );
  const batch = db().batch();
  let writes = 0;
  let expired = 0;
  for (const doc of pledges.docs) {
    const decision = progress.decisions.get(doc.id);
    if (!decision || doc.get('status') === decision) continue;
    if (decision === 'expired') expired++;
    const reason = progress.declineReasons.get(doc.id);
    batch.update(doc.ref, {
      status: decision,
      ...(reason ? { reason } : {}),
      settledAt: FieldValue.serverTimestamp(),
    });
    writes++;
  }
  const itemProgress = progress.items.map(({ pledged, delivered }) => ({ pledged, delivered }));
  const needPatch: Record<string, unknown> = matchPatch(need, progress.anyTaken);
  if (JSON.stringify(need.get('itemProgress') ?? null) !== JSON.stringify(itemProgress))
    needPatch.itemProgress = itemProgress;
  if (Object.keys(needPatch).length > 0) {
    batch.update(needRef, { ...needPatch, updatedAt: FieldValue.serverTimestamp() });
    writes++;
  }
  if (writes > 0) {
    await batch.commit();
    logs.goodsSettled(needId, writes, expired);
  }
  return idsOf(pledges.docs);
}

/**
 * Settles a need's donations of one kind until the donations read before and after a commit are
 * the same set: without isolation, a run that read fewer may commit after one that read more.
 */
export async function settleNeed(needId: string, kind: 'money' | 'goods'): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const settled =
      kind === 'money' ? await settleMoney(needId) : await settleGoods(needId, Date.now());
    const now = await donationsOf(needId, kind).select().get();
    if (idsOf(now.docs) === settled) return;
  }
}
