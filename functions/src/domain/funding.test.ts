import { fundingOf } from './funding';

const donation = (id: string, amountFen: number, madeAt: number, status = 'pending') => ({
  id,
  amountFen,
  madeAt,
  status,
});

describe('need funding', () => {
  it('accepts donations in the order they were made until the target, declining what would pass it', () => {
    const funding = fundingOf(10_000, [
      donation('c', 5_000, 3),
      donation('a', 4_000, 1),
      donation('b', 3_000, 2),
      donation('d', 1_000, 4),
    ]);
    expect(Object.fromEntries(funding.decisions)).toEqual({
      a: 'accepted',
      b: 'accepted',
      c: 'declined',
      d: 'accepted',
    });
    expect(funding.raisedFen).toBe(8_000);
    expect(funding.acceptedCount).toBe(3);
  });

  it('gives the same answer whatever order the donations are read in', () => {
    const donations = Array.from({ length: 50 }, (_, i) =>
      donation(`d${i}`, 1_000 + ((i * 37) % 500), 1000 + (i % 7), 'pending'),
    );
    const forward = fundingOf(30_000, donations);
    const backward = fundingOf(30_000, [...donations].reverse());
    expect(backward).toEqual(forward);
    expect(forward.raisedFen).toBeLessThanOrEqual(30_000);
    const accepted = donations.filter((d) => forward.decisions.get(d.id) === 'accepted');
    expect(accepted.reduce((sum, d) => sum + d.amountFen, 0)).toBe(forward.raisedFen);
  });

  it('leaves refunded donations out of the total', () => {
    const funding = fundingOf(10_000, [
      donation('a', 6_000, 1, 'refunded'),
      donation('b', 6_000, 2),
    ]);
    expect(funding.raisedFen).toBe(6_000);
    expect(funding.decisions.has('a')).toBe(false);
  });
});
