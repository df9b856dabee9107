import { moneyCovered, refundGift, settleGifts, type NeedFunding } from './funding';

const need = (over: Partial<NeedFunding> = {}): NeedFunding => ({
  status: 'published',
  targetFen: 10_000,
  raisedFen: 0,
  acceptedDonations: 0,
  ...over,
});
const gift = (id: string, amountFen: number, madeAt: number) => ({ id, amountFen, madeAt });

describe('settling pending gifts', () => {
  it('accepts gifts in the order they were made while they fit, declining what would pass the target', () => {
    const settled = settleGifts(need(), [
      gift('c', 5_000, 3),
      gift('a', 4_000, 1),
      gift('b', 3_000, 2),
      gift('d', 1_000, 4),
    ]);
    expect(Object.fromEntries(settled.decisions)).toEqual({
      a: { status: 'accepted' },
      b: { status: 'accepted' },
      c: { status: 'declined', reason: 'need_covered' },
      d: { status: 'accepted' },
    });
    expect(settled.need).toEqual(need({ raisedFen: 8_000, acceptedDonations: 3 }));
  });

  it('decides against what the need already holds, and marks it matched once covered', () => {
    const settled = settleGifts(need({ raisedFen: 7_000, acceptedDonations: 2 }), [
      gift('a', 3_000, 1),
      gift('b', 1, 2),
    ]);
    expect(settled.decisions.get('a')).toEqual({ status: 'accepted' });
    expect(settled.decisions.get('b')).toEqual({ status: 'declined', reason: 'need_covered' });
    expect(settled.need).toEqual(
      need({ status: 'matched', raisedFen: 10_000, acceptedDonations: 3 }),
    );
  });

  it('keeps a partly funded need published: it is matched only when covered', () => {
    const settled = settleGifts(need(), [gift('a', 1, 1)]);
    expect(settled.need.status).toBe('published');
    expect(moneyCovered(settled.need)).toBe(false);
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
    const accepted = gifts.filter((g) => forward.decisions.get(g.id)?.status === 'accepted');
    expect(accepted.reduce((sum, g) => sum + g.amountFen, 0)).toBe(forward.need.raisedFen);
    expect(forward.need.raisedFen).toBeLessThanOrEqual(30_000);
  });

  it('declines an amount that is not a positive whole number of fen', () => {
    const settled = settleGifts(need(), [gift('a', 0.5, 1), gift('b', -1, 2)]);
    expect(settled.need.raisedFen).toBe(0);
    expect(settled.decisions.get('a')?.status).toBe('declined');
  });
});

describe('refunding an accepted gift', () => {
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
    expect(settled.decisions.get('c')).toEqual({ status: 'accepted' });
    expect(settled.need.status).toBe('matched');
  });
});
