import { reconcile, type ReconciledDonation } from './reconciliation';

const gift = (
  id: string,
  status: string,
  amountFen: number,
  { needId = 'n1', villageCode = 'v1', certified = false } = {},
): ReconciledDonation => ({
  id,
  needId,
  villageCode,
  status,
  amountFen,
  certified,
  receipted: status === 'received',
});

describe('reconcile', () => {
  it('counts each status per village and in the total, certified apart', () => {
    const result = reconcile(
      [
        gift('a', 'received', 3000, { certified: true }),
        gift('b', 'pledged', 2000),
        gift('c', 'lapsed', 1000),
        gift('d', 'refunded', 500),
        gift('e', 'declined', 700),
        gift('f', 'pending', 900),
        gift('g', 'received', 4000, { needId: 'n2', villageCode: 'v2' }),
      ],
      [
        { id: 'n1', villageCode: 'v1', raisedFen: 3000 },
        { id: 'n2', villageCode: 'v2', raisedFen: 4000 },
        { id: 'n3', villageCode: 'v3', raisedFen: 0 },
      ],
    );
    expect(result.rows.map((row) => row.villageCode)).toEqual(['v1', 'v2', 'v3']);
    expect(result.rows[0]).toMatchObject({
      pledged: { count: 1, fen: 2000 },
      received: { count: 1, fen: 3000 },
      lapsed: { count: 1, fen: 1000 },
      refunded: { count: 1, fen: 500 },
      declined: { count: 1, fen: 700 },
      certified: { count: 1, fen: 3000 },
      raisedFen: 3000,
    });
    expect(result.total).toMatchObject({
      received: { count: 2, fen: 7000 },
      certified: { count: 1, fen: 3000 },
      raisedFen: 7000,
    });
    expect(result.invariants).toEqual({
      receivedEqualsRaised: true,
      certifiedWithinReceived: true,
      receivedHaveReceipts: true,
    });
  });

  it('names the needs whose raised differs from what was received and the certified gifts not received', () => {
    const result = reconcile(
      [
        gift('a', 'received', 3000),
        gift('b', 'refunded', 2000, { certified: true }),
        gift('c', 'received', 100, { needId: 'elsewhere' }),
      ],
      [{ id: 'n1', villageCode: 'v1', raisedFen: 5000 }],
    );
    expect(result.invariants).toEqual({
      receivedEqualsRaised: false,
      certifiedWithinReceived: false,
      receivedHaveReceipts: true,
    });
    expect(result.broken).toEqual({
      needIds: ['elsewhere', 'n1'],
      donationIds: ['b'],
      unreceiptedIds: [],
    });
  });

  it('names money recorded as received that no payment receipt names', () => {
    const result = reconcile(
      [gift('a', 'received', 3000), { ...gift('b', 'received', 2000), receipted: false }],
      [{ id: 'n1', villageCode: 'v1', raisedFen: 5000 }],
    );
    expect(result.invariants).toEqual({
      receivedEqualsRaised: true,
      certifiedWithinReceived: true,
      receivedHaveReceipts: false,
    });
    expect(result.broken.unreceiptedIds).toEqual(['b']);
  });
});
