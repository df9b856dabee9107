/**
 * Idempotency records expire (Firestore TTL on `expireAt`, firestore.indexes.json) but not before
 * a retry could still come: a replayed request finds its stored result, and the stored result and
 * the trigger's event marker carry `expireAt` one retention period from their write.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { collections } from '../../functions/src/services/db';
import { idempotencyRetentionDays } from '../../functions/src/services/requests';
import { adminDb, call, deliveredEvents, idle, newRequestId, signIn } from '../support/platform';

const village = '520526105205'; // 年丰村 (v05)
const dayMs = 24 * 60 * 60 * 1000;

function uidOf(idToken: string): string {
  const payload = JSON.parse(
    Buffer.from(idToken.split('.')[1] as string, 'base64url').toString('utf8'),
  ) as { user_id: string };
  return payload.user_id;
}

/** `expireAt` is the retention from the moment of the write, give or take the test's own time. */
function expectExpiry(expireAt: unknown, writtenAfter: number, writtenBefore: number): void {
  expect(expireAt).toBeInstanceOf(Timestamp);
  const at = (expireAt as Timestamp).toMillis();
  expect(at).toBeGreaterThanOrEqual(writtenAfter + idempotencyRetentionDays * dayMs);
  expect(at).toBeLessThanOrEqual(writtenBefore + idempotencyRetentionDays * dayMs);
}

describe('idempotency records and their retention', () => {
  it('replays a stored result, and the result and the event marker expire after the retention', async () => {
    expect(idempotencyRetentionDays).toBeGreaterThanOrEqual(7 + 7); // Eventarc retries for 7 days
    const admin = await signIn('v05a@demo.fupin.cn');
    await idle();
    const page = await adminDb()
      .collection(collections.households)
      .where('villageCode', '==', village)
      .where('registered', '==', false)
      .limit(1)
      .get();
    const householdId = page.docs[0]?.id as string;
    expect(householdId).toBeDefined();

    const requestId = newRequestId();
    const writtenAfter = Date.now();
    const first = await call('registerHousehold', { householdId, requestId }, admin);
    await idle();
    const writtenBefore = Date.now();
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ householdId, registered: true, alreadyRegistered: false });

    const replayed = await call('registerHousehold', { householdId, requestId }, admin);
    expect(replayed).toEqual(first);

    const stored = await adminDb()
      .collection(collections.requests)
      .doc(`${uidOf(admin)}_registerHousehold_${requestId}`)
      .get();
    expect(stored.get('result')).toEqual(first.result);
    expectExpiry(stored.get('expireAt'), writtenAfter, writtenBefore);

    const event = (
      await deliveredEvents({ fn: 'onHouseholdWritten', document: `households/${householdId}` })
    ).at(-1);
    const marker = await adminDb()
      .collection(collections.eventMarkers)
      .doc(`onHouseholdWritten_${event?.id}`)
      .get();
    expect(marker.exists).toBe(true);
    expectExpiry(marker.get('expireAt'), writtenAfter, writtenBefore);
  });
});
