import {
  canDonationMove,
  DonationMoveRefused,
  donationStatuses,
  earnsCertificate,
  giftColumns,
  giftOf,
  movedTo,
  nextDonationStatuses,
  refundableStatuses,
  settlementStatuses,
  type DonationActor,
  type DonationKind,
  type DonationStatus,
} from './donation';
import { lapsingStatuses, travellingStatuses } from './goods';

const actors: DonationActor[] = ['donor', 'village_admin', 'helper', 'ops', 'system'];

describe('the donation transition tables', () => {
  test.each<[DonationKind, DonationStatus | null, DonationStatus, DonationActor]>([
    ['money', null, 'pending', 'donor'],
    ['money', 'pending', 'pledged', 'system'],
    ['money', 'pending', 'declined', 'system'],
    ['money', 'pledged', 'received', 'system'],
    ['money', 'pledged', 'lapsed', 'system'],
    ['money', 'received', 'refunded', 'ops'],
    ['goods', null, 'pending', 'donor'],
    ['goods', 'pending', 'held', 'system'],
    ['goods', 'pending', 'shipped', 'system'],
    ['goods', 'pending', 'shipped', 'donor'],
    ['goods', 'pending', 'expired', 'system'],
    ['goods', 'pending', 'declined', 'system'],
    ['goods', 'held', 'shipped', 'donor'],
    ['goods', 'held', 'shipped', 'village_admin'],
    ['goods', 'held', 'expired', 'system'],
    ['goods', 'held', 'declined', 'system'],
    ['goods', 'held', 'delivered', 'helper'],
    ['goods', 'shipped', 'delivered', 'village_admin'],
    ['goods', 'shipped', 'delivered', 'donor'],
    ['goods', 'held', 'refunded', 'ops'],
    ['goods', 'shipped', 'refunded', 'ops'],
    ['goods', 'delivered', 'refunded', 'ops'],
  ])('a %s donation moves %s → %s by %s', (kind, from, to, actor) => {
    expect(canDonationMove(kind, from, to, actor)).toBe(true);
    expect(movedTo(kind, from, to, actor)).toBe(to);
  });

  test.each<[DonationKind, DonationStatus | null, DonationStatus, DonationActor, string]>([
    ['money', 'pledged', 'declined', 'system', 'a decision is never revisited'],
    ['money', 'declined', 'pledged', 'system', 'a decision is never revisited'],
    ['money', 'pending', 'pledged', 'donor', 'only settlement decides'],
    ['money', 'pending', 'received', 'system', 'money is pledged before it is received'],
    ['money', 'pledged', 'received', 'donor', 'only the proven payment receives it'],
    ['money', 'lapsed', 'received', 'system', 'a lapse is final'],
    ['money', 'received', 'lapsed', 'system', 'money received stays received'],
    ['money', 'pending', 'refunded', 'ops', 'only a received gift is refunded'],
    ['money', 'pledged', 'refunded', 'ops', 'only a received gift is refunded'],
    ['money', 'refunded', 'received', 'ops', 'a refund is final'],
    ['money', 'received', 'delivered', 'village_admin', 'money is not delivered'],
    ['money', null, 'received', 'donor', 'a gift starts pending'],
    ['goods', null, 'held', 'donor', 'a pledge starts pending'],
    ['goods', 'expired', 'held', 'system', 'a lapse is final'],
    ['goods', 'declined', 'held', 'system', 'a refusal is final'],
    ['goods', 'refunded', 'delivered', 'village_admin', 'a refund is final'],
    ['goods', 'delivered', 'shipped', 'system', 'delivered goods stay delivered'],
    ['goods', 'shipped', 'expired', 'system', 'goods on their way never lapse'],
    ['goods', 'pending', 'delivered', 'village_admin', 'a pledge still being settled'],
    ['goods', 'expired', 'shipped', 'donor', 'a lapsed pledge is not shipped'],
    ['goods', 'pending', 'refunded', 'ops', 'nothing to refund yet'],
    ['goods', 'held', 'delivered', 'ops', 'ops records no hand-over'],
    ['goods', 'pending', 'received', 'system', 'goods are never received as money'],
  ])('a %s donation does not move %s → %s by %s (%s)', (kind, from, to, actor) => {
    expect(canDonationMove(kind, from, to, actor)).toBe(false);
    expect(() => movedTo(kind, from, to, actor)).toThrow(DonationMoveRefused);
  });

  test.each(donationStatuses)(
    'an unknown status moves nowhere, and nothing moves to it (%s)',
    (to) => {
      for (const kind of ['money', 'goods'] as const) {
        for (const actor of actors) {
          expect(canDonationMove(kind, 'settled', to, actor)).toBe(false);
        }
      }
    },
  );

  test.each<[DonationKind, DonationStatus, DonationActor, DonationStatus[]]>([
    ['money', 'pending', 'system', ['pledged', 'declined']],
    ['money', 'pledged', 'system', ['received', 'lapsed']],
    ['money', 'received', 'ops', ['refunded']],
    ['goods', 'pending', 'donor', ['shipped']],
    ['goods', 'held', 'village_admin', ['shipped', 'delivered']],
    ['goods', 'shipped', 'donor', ['delivered']],
    ['goods', 'delivered', 'system', []],
  ])('from a %s donation %s, %s may move it to %j', (kind, from, actor, next) => {
    expect(nextDonationStatuses(kind, from, actor).sort()).toEqual([...next].sort());
  });
});

describe('the named sets of statuses', () => {
  it('settlement writes what the system rows reach: the follow-ups onDonationWritten skips', () => {
    expect([...settlementStatuses].sort()).toEqual(
      ['pledged', 'received', 'lapsed', 'declined', 'expired', 'held', 'shipped'].sort(),
    );
  });

  test.each<[DonationKind, DonationStatus[]]>([
    ['money', ['received']],
    ['goods', ['held', 'shipped', 'delivered']],
  ])('ops refunds a %s donation from %j', (kind, statuses) => {
    expect([...refundableStatuses[kind]].sort()).toEqual([...statuses].sort());
  });

  it('a pledge lapses while pending or held, and travels until delivered', () => {
    expect(lapsingStatuses).toEqual(['pending', 'held']);
    expect(travellingStatuses).toEqual(['pending', 'held', 'shipped']);
  });
});

describe('earnsCertificate', () => {
  test.each<[DonationKind, DonationStatus, boolean]>([
    ['money', 'received', true],
    ['money', 'pending', false],
    ['money', 'pledged', false],
    ['money', 'lapsed', false],
    ['money', 'declined', false],
    ['money', 'refunded', false],
    ['goods', 'delivered', true],
    ['goods', 'shipped', false],
    ['goods', 'held', false],
    ['goods', 'refunded', false],
  ])('a %s donation %s earns one: %s', (kind, status, earns) => {
    expect(earnsCertificate({ kind, status })).toBe(earns);
  });
});

describe('giftOf', () => {
  it('gives money as an amount, with both list columns present', () => {
    const gift = giftOf({ kind: 'money', amountFen: 12_300 });
    expect(gift).toEqual({ kind: 'money', amountFen: 12_300 });
    expect(giftColumns(gift)).toEqual({ kind: 'money', amountFen: 12_300, items: null });
  });

  it('gives goods as their lines, dropping what the pledge adds (item index)', () => {
    const gift = giftOf({
      kind: 'goods',
      items: [{ itemIndex: 1, name: '棉被', quantity: 2, unit: '床' } as never],
    });
    expect(gift).toEqual({ kind: 'goods', items: [{ name: '棉被', quantity: 2, unit: '床' }] });
    expect(giftColumns(gift)).toEqual({
      kind: 'goods',
      amountFen: null,
      items: [{ name: '棉被', quantity: 2, unit: '床' }],
    });
  });
});
