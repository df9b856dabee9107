import {
  lapseGift,
  moneyCovered,
  openFen,
  receiveGift,
  refundGift,
  settleGifts,
  type NeedFunding,
} from './funding';

const need = (over: Partial<NeedFunding> = {}): NeedFunding => ({
  status: 'published',
  targetFen: 10_000,
  raisedFen: 0,
  heldFen: 0,
  acceptedDonations: 0,
  ...over,
});
const gift = (id: string, amountFen: number, madeAt: number) => ({ id, amountFen, madeAt });

describe('settling pending gifts', () => {
  it('pledges gifts in the order they were made while they fit, declining what would pass the target', () => {
    const settled = settleGifts(need(), [
      gift('c', 5_000, 3),
      gift('a', 4_000, 1),
      gift('b', 3_000, 2),
      gift('d', 1_000, 4),
    ]);
    expect(Object.fromEntries(settled.decisions)).toEqual({
      a: { status: 'pledged' },
      b: { status: 'pledged' },
      c: { status: 'declined', reason: 'need_covered' },
      d: { status: 'pledged' },
    });
    // Held, not raised: a pledge is a promise until the money arrives.
    expect(settled.need).toEqual(need({ heldFen: 8_000 }));
  });

  it('decides against what the need already raised and holds, and never matches it by pledges', () => {
    const settled = settleGifts(need({ raisedFen: 4_000, heldFen: 3_000, acceptedDonations: 1 }), [
      gift('a', 3_000, 1),
      gift('b', 1, 2),
    ]);
    expect(settled.decisions.get('a')).toEqual({ status: 'pledged' });
    expect(settled.decisions.get('b')).toEqual({ status: 'declined', reason: 'need_covered' });
    expect(settled.need).toEqual(need({ raisedFen: 4_000, heldFen: 6_000, acceptedDonations: 1 }));
    expect(openFen(settled.need)).toBe(0);
  });

  it.each(['withdrawn', 'invalid', 'submitted', 'under_review', 'rejected', 'fulfilled', 'closed'])(
    'declines every gift of a %s need as need_closed and moves nothing',
    (status) => {
      const before = need({ status, raisedFen: 2_000, acceptedDonations: 1 });
      const settled = settleGifts(before, [gift('a', 100, 1), gift('b', 200, 2)]);
      expect([...settled.decisions.values()]).toEqual([
        { status: 'declined', reason: 'need_closed' },
        { status: 'declined', reason: 'need_closed' },
      ]);
      expect(settled.need).toEqual(before);
    },
  );

  it('gives the same answer whatever order the gifts are read in', () => {
    const gifts = Array.from({ length: 50 }, (_, i) =>
      gift(`d${i}`, 1_000 + ((i * 37) % 500), 1000 + (i % 7)),
    );
    const forward = settleGifts(need({ targetFen: 30_000 }), gifts);
    const backward = settleGifts(need({ targetFen: 30_000 }), [...gifts].reverse());
    expect(backward).toEqual(forward);
    const pledged = gifts.filter((g) => forward.decisions.get(g.id)?.status === 'pledged');
    expect(pledged.reduce((sum, g) => sum + g.amountFen, 0)).toBe(forward.need.heldFen);
    expect(forward.need.heldFen).toBeLessThanOrEqual(30_000);
  });

  it('declines an amount that is not a positive whole number of fen', () => {
    const settled = settleGifts(need(), [gift('a', 0.5, 1), gift('b', -1, 2)]);
    expect(settled.need.heldFen).toBe(0);
    expect(settled.decisions.get('a')?.status).toBe('declined');
  });
});

describe('a pledge received or lapsed', () => {
  it('turns the hold into money raised, and matches the need once the money received covers it', () => {
    const partly = receiveGift(need({ heldFen: 10_000 }), 4_000);
    expect(partly).toEqual(need({ raisedFen: 4_000, heldFen: 6_000, acceptedDonations: 1 }));
    expect(moneyCovered(partly)).toBe(false);
    expect(receiveGift(partly, 6_000)).toEqual(
      need({ status: 'matched', raisedFen: 10_000, heldFen: 0, acceptedDonations: 2 }),
    );
  });

  it('releases a lapsed hold for another donor', () => {
    const lapsed = lapseGift(need({ raisedFen: 2_000, heldFen: 8_000 }), 8_000);
    expect(lapsed).toEqual(need({ raisedFen: 2_000, heldFen: 0 }));
    expect(settleGifts(lapsed, [gift('e', 8_000, 9)]).decisions.get('e')).toEqual({
      status: 'pledged',
    });
  });
});

describe('refunding a received gift', () => {
  it('takes the money out and returns an uncovered need to published', () => {
    for (const status of ['matched', 'fulfilled', 'closed']) {
      expect(refundGift(need({ status, raisedFen: 10_000, acceptedDonations: 2 }), 4_000)).toEqual(
        need({ status: 'published', raisedFen: 6_000, acceptedDonations: 1 }),
      );
    }
  });

  it('leaves a withdrawn need withdrawn and never goes below zero', () => {
    expect(
      refundGift(need({ status: 'withdrawn', raisedFen: 100, acceptedDonations: 1 }), 500),
    ).toEqual(need({ status: 'withdrawn', raisedFen: 0, acceptedDonations: 0 }));
  });

  it('frees room for a gift made after it (the refund then a new gift settle in turn)', () => {
    const refunded = refundGift(
      need({ status: 'matched', raisedFen: 10_000, acceptedDonations: 2 }),
      5_000,
    );
    const settled = settleGifts(refunded, [gift('c', 5_000, 9)]);
    expect(settled.decisions.get('c')).toEqual({ status: 'pledged' });
    expect(receiveGift(settled.need, 5_000).status).toBe('matched');
  });
});
