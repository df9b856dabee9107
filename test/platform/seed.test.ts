/**
 * The demo township as `npm start` seeds it agrees with what need states mean: a matched (对接),
 * fulfilled or closed need is covered by the demo donors' gifts, settled and certified by the
 * real triggers, and a published one is not.
 */
import { demoHouseholds, demoNeeds } from '../../functions/local/demoTownship';
import { adminDb, idle } from '../support/platform';

const township = '520526105';
const kept = ['held', 'shipped', 'delivered'];

type Doc = FirebaseFirestore.QueryDocumentSnapshot;

describe('the seeded demo township', () => {
  let needs: Doc[];
  const giftsOf = new Map<string, Doc[]>();

  beforeAll(async () => {
    await idle();
    // Only the seed's needs: other tests add needs of their own to the same township.
    const seededIds = new Set(demoNeeds(demoHouseholds()).map((need) => need.id));
    const [allNeeds, donations] = await Promise.all([
      adminDb().collection('needs').where('townshipCode', '==', township).get(),
      adminDb().collection('donations').where('townshipCode', '==', township).get(),
    ]);
    needs = allNeeds.docs.filter((doc) => seededIds.has(doc.id));
    for (const doc of donations.docs) {
      const needId = String(doc.get('needId'));
      giftsOf.set(needId, [...(giftsOf.get(needId) ?? []), doc]);
    }
  });

  it('has matched, fulfilled and closed needs of money and of goods', () => {
    const shown = new Set(needs.map((doc) => `${doc.get('kind')}:${doc.get('status')}`));
    for (const kind of ['money', 'goods'])
      for (const status of ['matched', 'fulfilled', 'closed'])
        expect(shown).toContain(`${kind}:${status}`);
  });

  it('covers every matched, fulfilled and closed money need with received, certified gifts', () => {
    const covered = needs.filter(
      (doc) =>
        doc.get('kind') === 'money' &&
        ['matched', 'fulfilled', 'closed'].includes(doc.get('status')),
    );
    const wrong = covered.flatMap((doc) => {
      const accepted = (giftsOf.get(doc.id) ?? []).filter(
        (gift) => gift.get('status') === 'received',
      );
      const sum = accepted.reduce((total, gift) => total + Number(gift.get('amountFen')), 0);
      const amountFen = Number(doc.get('amountFen'));
      const problems = [
        doc.get('raisedFen') !== amountFen && `raisedFen ${doc.get('raisedFen')} of ${amountFen}`,
        sum !== amountFen && `received gifts sum to ${sum} of ${amountFen}`,
        doc.get('acceptedDonations') !== accepted.length &&
          `acceptedDonations ${doc.get('acceptedDonations')}, ${accepted.length} received`,
        accepted.some((gift) => !/^FP-/.test(String(gift.get('certificateSerial')))) &&
          'a received gift without its certificate',
        doc.get('status') !== 'matched' && !doc.get('receipt') && 'no receipt recorded',
      ].filter(Boolean);
      return problems.map((problem) => `${doc.id} (${doc.get('status')}): ${problem}`);
    });
    expect(wrong).toEqual([]);
  });

  it('covers every matched goods need with kept pledges, and has every item of fulfilled and closed ones delivered', () => {
    const covered = needs.filter(
      (doc) =>
        doc.get('kind') === 'goods' &&
        ['matched', 'fulfilled', 'closed'].includes(doc.get('status')),
    );
    const wrong = covered.flatMap((doc) => {
      const arrived = doc.get('status') !== 'matched';
      const items = doc.get('items') as Array<{ name: string; quantity: number }>;
      const progress = (doc.get('itemProgress') ?? []) as Array<{
        pledged: number;
        delivered: number;
      }>;
      const pledges = (giftsOf.get(doc.id) ?? []).filter((gift) =>
        kept.includes(gift.get('status')),
      );
      return items.flatMap((item, index) => {
        const lines = pledges.flatMap((gift) =>
          (gift.get('items') as Array<{ itemIndex: number; quantity: number }>)
            .filter((line) => line.itemIndex === index)
            .map((line) => ({ quantity: line.quantity, status: gift.get('status') })),
        );
        const pledged = lines.reduce((total, line) => total + line.quantity, 0);
        const delivered = lines
          .filter((line) => line.status === 'delivered')
          .reduce((total, line) => total + line.quantity, 0);
        const problems = [
          pledged !== item.quantity && `kept pledges give ${pledged} of ${item.quantity}`,
          progress[index]?.pledged !== item.quantity &&
            `itemProgress pledged ${progress[index]?.pledged} of ${item.quantity}`,
          arrived && delivered !== item.quantity && `delivered ${delivered} of ${item.quantity}`,
          arrived &&
            progress[index]?.delivered !== item.quantity &&
            `itemProgress delivered ${progress[index]?.delivered} of ${item.quantity}`,
          progress[index] &&
            progress[index].delivered !== delivered &&
            `itemProgress delivered ${progress[index].delivered}, pledges ${delivered}`,
        ].filter(Boolean);
        return problems.map(
          (problem) => `${doc.id} (${doc.get('status')}) ${item.name}: ${problem}`,
        );
      });
    });
    expect(wrong).toEqual([]);
    // Delivered goods earn their certificate too.
    const delivered = covered.flatMap((doc) =>
      (giftsOf.get(doc.id) ?? []).filter((gift) => gift.get('status') === 'delivered'),
    );
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.filter((gift) => !/^FP-/.test(String(gift.get('certificateSerial'))))).toEqual(
      [],
    );
  });

  it('leaves every published money need short of its target', () => {
    const full = needs.filter(
      (doc) =>
        doc.get('kind') === 'money' &&
        doc.get('status') === 'published' &&
        Number(doc.get('raisedFen') ?? 0) >= Number(doc.get('amountFen')),
    );
    expect(full.map((doc) => doc.id)).toEqual([]);
  });

  it('gave no demo gift that the settlement declined', () => {
    const declined = [...giftsOf.values()]
      .flat()
      .filter((gift) => gift.id.startsWith('demo-gift-') && gift.get('status') === 'declined');
    expect(declined.map((gift) => gift.id)).toEqual([]);
  });
});
