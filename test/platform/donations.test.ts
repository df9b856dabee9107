/**
 * Money donations: retried requests, many donors at once on one need, and the need's policy
 * (refuse past the target) holding at rest with raised == Σ received donations. Each gift is
 * pledged, then paid through the local payment sandbox (test/support payPledge).
 */
import {
  adminDb,
  call,
  deliveredEvents,
  idle,
  newRequestId,
  payPledge,
  publishedNeedIn,
  redeliver,
  signIn,
  signInAsDonor,
  signInByPhone,
} from '../support/platform';

async function donationsOf(needId: string) {
  const page = await adminDb().collection('donations').where('needId', '==', needId).get();
  return page.docs.map((doc) => ({
    id: doc.id,
    amountFen: Number(doc.get('amountFen')),
    status: String(doc.get('status')),
  }));
}

describe('money donations', () => {
  it('makes one donation of a request retried with the same id, and keeps a partly funded need published', async () => {
    const need = await publishedNeedIn('520526105206', 'money');
    const donor = await signInByPhone('+8613800000002');
    const request = { requestId: newRequestId(), needId: need.id, amountFen: 10_000 };
    const [first, second] = await Promise.all([
      call('donate', request, donor),
      call('donate', request, donor),
    ]);
    expect(second.result).toEqual(first.result);
    await idle();
    const donationId = (first.result as { donationId: string }).donationId;
    expect(await payPledge(donor, donationId)).toBe('received');
    expect(await donationsOf(need.id)).toEqual([
      {
        id: donationId,
        amountFen: 10_000,
        status: 'received',
      },
    ]);
    const after = await adminDb().collection('needs').doc(need.id).get();
    // Matched (对接) means covered: a partial gift leaves the need findable.
    expect(after.get('status')).toBe('published');
    expect(after.get('raisedFen')).toBe(10_000);
    const listed = await call<{ needs: Array<{ id: string; raisedFen: number }> }>(
      'listPublicNeeds',
      { regionCode: '520526105206', pageSize: 50 },
      donor,
    );
    expect(listed.result?.needs.find((shown) => shown.id === need.id)?.raisedFen).toBe(10_000);

    // A second delivery of every donation event changes nothing.
    const before = after.updateTime;
    for (const event of await deliveredEvents({ fn: 'onDonationWritten' }))
      await redeliver('onDonationWritten', event.id);
    await idle();
    expect(
      (await adminDb().collection('needs').doc(need.id).get()).updateTime?.isEqual(
        before as FirebaseFirestore.Timestamp,
      ),
    ).toBe(true);
  });

  it('keeps raised == Σ received donations and never passes the target with 50 donors at once', async () => {
    const need = await publishedNeedIn('520526105207', 'money');
    const donors = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        signInAsDonor(`+86139${String(10000000 + i).padStart(8, '0')}`, { name: `爱心人士${i}` }),
      ),
    );
    const share = Math.ceil((need.targetFen * 1.5) / 50);
    const answers = await Promise.all(
      donors.map((token) =>
        call('donate', { requestId: newRequestId(), needId: need.id, amountFen: share }, token),
      ),
    );
    for (const answer of answers) expect(answer.result ?? answer.error?.status).toBeDefined();
    await idle();
    await Promise.all(
      answers.map((answer, i) => {
        const donationId = (answer.result as { donationId?: string } | undefined)?.donationId;
        return donationId ? payPledge(donors[i] as string, donationId) : undefined;
      }),
    );
    await idle();
    const donations = await donationsOf(need.id);
    const accepted = donations.filter((donation) => donation.status === 'received');
    const raised = Number(
      (await adminDb().collection('needs').doc(need.id).get()).get('raisedFen'),
    );
    expect(raised).toBe(accepted.reduce((sum, donation) => sum + donation.amountFen, 0));
    expect(raised).toBeLessThanOrEqual(need.targetFen);
    expect(raised).toBeGreaterThan(need.targetFen - share);
    expect(donations.every((donation) => ['received', 'declined'].includes(donation.status))).toBe(
      true,
    );
    expect(donations.some((donation) => donation.status === 'declined')).toBe(true);
    // More than it still lacks is refused at once.
    const late = await call(
      'donate',
      { requestId: newRequestId(), needId: need.id, amountFen: need.targetFen - raised + 1 },
      donors[0] as string,
    );
    expect(late.error?.status).toBe('FAILED_PRECONDITION');
  });

  it('counts a need as fulfilled once its receipt is confirmed, and only then', async () => {
    const need = await publishedNeedIn('520526105210', 'money');
    const donor = await signInByPhone('+8613800000003');
    const stats = async () => {
      const doc = await adminDb().collection('stats').doc('520526105210').get();
      return {
        matched: Number(doc.get('matchedNeeds')),
        fulfilled: Number(doc.get('fulfilledNeeds')),
      };
    };
    const before = await stats();
    const confirm = { needId: need.id, receivedOn: '2026-11-20' };
    const admin = await signIn('v10a@demo.fupin.cn');
    // A partial gift neither matches the need nor lets its receipt be confirmed.
    const part = await call<{ donationId: string }>(
      'donate',
      { requestId: newRequestId(), needId: need.id, amountFen: 5_000 },
      donor,
    );
    expect(await payPledge(donor, part.result?.donationId as string)).toBe('received');
    await idle();
    expect(await stats()).toEqual(before);
    const early = await call('confirmReceipt', { ...confirm, requestId: newRequestId() }, admin);
    expect(early.error?.status).toBe('FAILED_PRECONDITION');
    const rest = await call<{ donationId: string }>(
      'donate',
      { requestId: newRequestId(), needId: need.id, amountFen: need.targetFen - 5_000 },
      donor,
    );
    // Pledged is not matched: only the money received covers the need.
    await idle();
    expect(await stats()).toEqual(before);
    expect(await payPledge(donor, rest.result?.donationId as string)).toBe('received');
    await idle();
    expect(await stats()).toEqual({ matched: before.matched + 1, fulfilled: before.fulfilled });
    // A village administrator of another village cannot record it.
    const other = await call(
      'confirmReceipt',
      { ...confirm, requestId: newRequestId() },
      await signIn('v09a@demo.fupin.cn'),
    );
    expect(other.error?.status).toBe('PERMISSION_DENIED');
    const own = await call('confirmReceipt', { ...confirm, requestId: newRequestId() }, admin);
    expect(own.result).toEqual({ needId: need.id, status: 'fulfilled' });
    await idle();
    expect(await stats()).toEqual({ matched: before.matched + 1, fulfilled: before.fulfilled + 1 });
  });

  it('lets only donors give, and refuses coercible amounts', async () => {
    const need = await publishedNeedIn('520526105210', 'money');
    const donor = await signInByPhone('+8613800000003');
    for (const amountFen of ['100', 0.5, -1, 1e21, null]) {
      const { error } = await call(
        'donate',
        { requestId: newRequestId(), needId: need.id, amountFen },
        donor,
      );
      expect(error?.status).toBe('INVALID_ARGUMENT');
    }
    expect(await donationsOf(need.id)).toEqual([]);
  });

  it('asks a donor without a profile for one before taking the gift', async () => {
    const need = await publishedNeedIn('520526105210', 'money');
    const newcomer = await signInByPhone('+8613700000901');
    const refused = await call(
      'donate',
      { requestId: newRequestId(), needId: need.id, amountFen: 1_000 },
      newcomer,
    );
    expect(refused.error?.status).toBe('FAILED_PRECONDITION');
    expect(refused.error?.details).toEqual({ reason: 'profile_missing' });
    expect(await donationsOf(need.id)).toEqual([]);
  });
});
