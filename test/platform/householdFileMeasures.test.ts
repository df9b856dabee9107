/**
 * The household's 帮扶措施 list what the platform itself did for it (seed 003's 帮扶措施; issue: "the
 * platform's own fulfilled needs and received donations, linked"): each gift of money received for
 * its needs, and goods that reached it, read from the seeded demo township.
 */
import { adminDb, call, signIn } from '../support/platform';

interface Measures {
  measures: Array<{
    date: string;
    kind: string;
    amountFen: number;
    source: string;
    link: string | null;
  }>;
}

it('lists received gifts of money and goods delivered among the measures, linked to their need', async () => {
  const township = await signIn('township@demo.fupin.cn');
  const needs = await adminDb().collection('needs').where('status', '==', 'fulfilled').get();
  const goods = needs.docs.find(
    (doc) => doc.get('kind') === 'goods' && doc.get('receipt.receivedOn'),
  );
  const money = needs.docs.find((doc) => doc.get('kind') === 'money');
  expect(goods && money).toBeTruthy();

  const goodsYear = Number(String(goods?.get('receipt.receivedOn')).slice(0, 4));
  const goodsFile = await call<Measures>(
    'getHouseholdFile',
    { householdId: goods?.get('householdId'), year: goodsYear },
    township,
  );
  expect(goodsFile.result?.measures).toContainEqual(
    expect.objectContaining({
      source: 'need',
      link: goods?.id,
      date: goods?.get('receipt.receivedOn'),
    }),
  );

  const gifts = await adminDb().collection('donations').where('needId', '==', money?.id).get();
  const received = gifts.docs.filter((doc) => doc.get('status') === 'received');
  const giftYear = (received[0]?.get('receivedAt') as FirebaseFirestore.Timestamp)
    .toDate()
    .getUTCFullYear();
  const moneyFile = await call<Measures>(
    'getHouseholdFile',
    { householdId: money?.get('householdId'), year: giftYear },
    township,
  );
  const listed = moneyFile.result?.measures.filter(
    (measure) => measure.source === 'donation' && measure.link === money?.id,
  );
  expect(listed).toHaveLength(received.length);
  expect(listed?.reduce((sum, measure) => sum + measure.amountFen, 0)).toBe(
    received.reduce((sum, doc) => sum + Number(doc.get('amountFen')), 0),
  );
});
