import {
  checkTrackingNumber,
  courierIds,
  couriers,
  effectiveStatus,
  goodsPledgeInput,
  goodsProgressOf,
  normalizeContactPhone,
  normalizeTrackingNumber,
  pledgeHoldMs,
  s10CheckDigit,
  shipmentInput,
  villageReceivingInput,
  type CourierId,
  type GoodsPledgeLike,
  type GoodsPledgeStatus,
} from './goods';
import type { z } from 'zod';
import { issuesOf } from './validation/issues';

// ---------------------------------------------------------------------------------------------
// Couriers and tracking numbers

/** One real-looking number per courier (EMS ones carry a correct S10 check digit). */
const sample: Record<CourierId, string> = {
  sf: 'SF1234567890123',
  ems: 'EA123456785CN',
  jd: 'JDVA11408814483',
  zto: '78312345678901',
  yto: 'YT1234567890123',
  yunda: '462598779470531',
  sto: '773165231258960',
  jt: 'JT0006968326954',
  deppon: 'DPK364112047425',
};

describe('couriers', () => {
  it('lists every courier once, with a Chinese label and a hint', () => {
    expect(couriers.map((c) => c.id)).toEqual([...courierIds]);
    for (const courier of couriers) {
      expect(courier.label).toMatch(/\p{Script=Han}/u);
      expect(courier.hint.length).toBeGreaterThan(0);
    }
    expect(couriers.find((c) => c.id === 'sf')?.label).toBe('顺丰速运');
    expect(couriers.find((c) => c.id === 'ems')?.label).toBe('中国邮政/EMS');
  });

  it.each(courierIds)('accepts a number of %s', (id) => {
    expect(checkTrackingNumber(id, sample[id])).toEqual({ ok: true, value: sample[id] });
  });

  it('refuses an unknown courier', () => {
    expect(checkTrackingNumber('dhl', 'SF1234567890123')).toEqual({
      ok: false,
      code: 'courier_unknown',
    });
    expect(checkTrackingNumber('__proto__', '1234567890123')).toEqual({
      ok: false,
      code: 'courier_unknown',
    });
  });

  it('refuses another courier’s number wherever the formats do not overlap', () => {
    const lettered: CourierId[] = ['sf', 'ems', 'jd', 'yto', 'jt', 'deppon'];
    for (const id of courierIds) {
      for (const other of lettered) {
        if (other === id) continue;
        expect([id, other, checkTrackingNumber(id, sample[other]).ok]).toEqual([id, other, false]);
      }
    }
  });

  it('normalizes what input methods and waybills add', () => {
    expect(normalizeTrackingNumber(' ｓｆ １２３４-５６７８ ９０１２３\u3000')).toBe(
      'SF1234567890123',
    );
    expect(checkTrackingNumber('sf', 'sf 1234 5678 90123')).toEqual({
      ok: true,
      value: 'SF1234567890123',
    });
    expect(checkTrackingNumber('yto', 'ＹＴ１２３４５６７８９０１２３')).toEqual({
      ok: true,
      value: 'YT1234567890123',
    });
    expect(checkTrackingNumber('ems', 'ea 123 456 785 cn')).toEqual({
      ok: true,
      value: 'EA123456785CN',
    });
    expect(checkTrackingNumber('zto', '7831－2345－6789\u201001')).toEqual({
      ok: true,
      value: '78312345678901',
    });
  });

  it('refuses characters that are not part of any number, and oversized input', () => {
    expect(checkTrackingNumber('sf', 'SF12345678901.3').ok).toBe(false);
    expect(checkTrackingNumber('zto', '7831234567890\u200B1').ok).toBe(false);
    expect(checkTrackingNumber('zto', ' '.repeat(60) + '783123456789012').ok).toBe(false);
    expect(checkTrackingNumber('sf', '').ok).toBe(false);
  });

  describe('顺丰', () => {
    it.each(['SF123456789012', 'SF123456789012345'])('accepts %s', (n) => {
      expect(checkTrackingNumber('sf', n).ok).toBe(true);
    });
    it.each(['SF12345678901', 'SF1234567890123456', '1234567890123', 'SFA234567890123'])(
      'refuses %s',
      (n) => expect(checkTrackingNumber('sf', n)).toEqual({ ok: false, code: 'tracking_format' }),
    );
  });

  describe('中国邮政/EMS', () => {
    it('computes the UPU S10 check digit, 10 becoming 0 and 11 becoming 5', () => {
      // The worked example of the S10 standard: 47312482 → 9.
      expect(s10CheckDigit('47312482')).toBe(9);
      expect(s10CheckDigit('12345678')).toBe(5);
      expect(s10CheckDigit('10000014')).toBe(0); // 11 − 1 = 10 → 0
      expect(s10CheckDigit('10000002')).toBe(5); // 11 − 0 = 11 → 5
    });

    it.each(['RR473124829CN', 'EA100000140CN', 'EA100000025CN', 'LK123456785CN'])(
      'accepts %s',
      (n) => expect(checkTrackingNumber('ems', n).ok).toBe(true),
    );

    it('refuses a mistyped digit through the check digit', () => {
      expect(checkTrackingNumber('ems', 'EA123456784CN')).toEqual({
        ok: false,
        code: 'tracking_format',
      });
      // Two neighbouring digits swapped.
      expect(checkTrackingNumber('ems', 'EA213456785CN').ok).toBe(false);
    });

    it.each(['EA123456785US', 'E1123456785CN', 'EA12345678CN', 'EA1234567855CN'])(
      'refuses %s',
      (n) => expect(checkTrackingNumber('ems', n).ok).toBe(false),
    );

    it('accepts the 13-digit domestic waybills, with their prefixes only', () => {
      expect(checkTrackingNumber('ems', '1240921381750').ok).toBe(true);
      expect(checkTrackingNumber('ems', '9876543210123').ok).toBe(true);
      expect(checkTrackingNumber('ems', '4309597495550').ok).toBe(false);
      expect(checkTrackingNumber('ems', '124092138175').ok).toBe(false);
    });
  });

  describe('京东物流', () => {
    it.each(['JD0001234567890', 'JDX123456789012', 'JDV123456789012', 'JDVA1140881448312'])(
      'accepts %s',
      (n) => expect(checkTrackingNumber('jd', n).ok).toBe(true),
    );
    it.each(['JD000123456789', 'JD00012345678901234', 'JX0001234567890'])('refuses %s', (n) =>
      expect(checkTrackingNumber('jd', n).ok).toBe(false),
    );
  });

  describe('digit-only couriers', () => {
    it.each([
      ['zto', '783123456789', true],
      ['zto', '783123456789012', true],
      ['zto', '78312345678', false],
      ['zto', '7831234567890123', false],
      ['yunda', '4312345678901', true],
      ['yunda', '431234567890123', true],
      ['yunda', '43123456789012', false],
      ['sto', '268123456789', true],
      ['sto', '773123456789012', true],
      ['sto', '77312345678', false],
      ['sto', 'STO1234567890', false],
      ['deppon', '1234567890', true],
      ['deppon', '123456789', false],
      ['deppon', 'DPK36411204742', false],
    ] as const)('%s %s → %s', (id, n, ok) => {
      expect(checkTrackingNumber(id, n).ok).toBe(ok);
    });
  });

  describe('圆通 and 极兔', () => {
    it.each([
      ['yto', 'YT123456789012', false],
      ['yto', 'YT12345678901234', false],
      ['yto', 'JT1234567890123', false],
      ['jt', 'JT123456789012', false],
      ['jt', 'YT1234567890123', false],
    ] as const)('%s refuses %s', (id, n, ok) => {
      expect(checkTrackingNumber(id, n).ok).toBe(ok);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Callable inputs

const requestId = '7d444840-9dc0-41d1-8b7d-8ed6f2a0c9b1';
const validPledge = {
  requestId,
  needId: 'need_1',
  items: [
    { itemIndex: 0, quantity: 2 },
    { itemIndex: 1, quantity: 5 },
  ],
  delivery: { method: 'express', courier: 'sf', trackingNumber: 'sf 1234 5678 90123' },
};

const issues = (schema: z.ZodType, input: unknown) => issuesOf(schema.safeParse(input).error);

describe('goodsPledgeInput', () => {
  it('accepts a pledge and stores the tracking number normalized', () => {
    const parsed = goodsPledgeInput.parse(validPledge);
    expect(parsed.delivery).toEqual({
      method: 'express',
      courier: 'sf',
      trackingNumber: 'SF1234567890123',
    });
    expect(parsed.items).toEqual(validPledge.items);
  });

  it('accepts an express pledge without a number yet, and a face-to-face one', () => {
    expect(
      goodsPledgeInput.safeParse({
        ...validPledge,
        delivery: { method: 'express', courier: 'ems' },
      }).success,
    ).toBe(true);
    expect(
      goodsPledgeInput.safeParse({ ...validPledge, delivery: { method: 'in_person' } }).success,
    ).toBe(true);
  });

  it('refuses a number in another courier’s format, at the tracking number', () => {
    expect(
      issues(goodsPledgeInput, {
        ...validPledge,
        delivery: { method: 'express', courier: 'yto', trackingNumber: 'SF1234567890123' },
      }),
    ).toEqual([{ path: 'delivery.trackingNumber', code: 'tracking_format' }]);
  });

  it('refuses an EMS number whose check digit is wrong', () => {
    expect(
      issues(goodsPledgeInput, {
        ...validPledge,
        delivery: { method: 'express', courier: 'ems', trackingNumber: 'EA123456784CN' },
      }),
    ).toEqual([{ path: 'delivery.trackingNumber', code: 'tracking_format' }]);
  });

  it('refuses an unknown courier, and a tracking number for a face-to-face hand-over', () => {
    expect(
      issues(goodsPledgeInput, {
        ...validPledge,
        delivery: { method: 'express', courier: 'dhl', trackingNumber: '1234567890' },
      }).map((i) => i.path),
    ).toEqual(['delivery.courier']);
    expect(
      issues(goodsPledgeInput, {
        ...validPledge,
        delivery: { method: 'in_person', trackingNumber: 'SF1234567890123' },
      }),
    ).toEqual([{ path: 'delivery.trackingNumber', code: 'unrecognized_keys' }]);
    expect(
      issues(goodsPledgeInput, { ...validPledge, delivery: { method: 'post' } }).map((i) => i.path),
    ).toEqual(['delivery.method']);
  });

  it('refuses the same item twice, at the repeated line', () => {
    expect(
      issues(goodsPledgeInput, {
        ...validPledge,
        items: [
          { itemIndex: 1, quantity: 1 },
          { itemIndex: 0, quantity: 1 },
          { itemIndex: 1, quantity: 3 },
        ],
      }),
    ).toEqual([{ path: 'items.2', code: 'items_duplicate' }]);
  });

  it.each([
    [[], 'items'],
    [Array.from({ length: 21 }, (_, i) => ({ itemIndex: i, quantity: 1 })), 'items'],
    [[{ itemIndex: -1, quantity: 1 }], 'items.0.itemIndex'],
    [[{ itemIndex: 20, quantity: 1 }], 'items.0.itemIndex'],
    [[{ itemIndex: 0.5, quantity: 1 }], 'items.0.itemIndex'],
    [[{ itemIndex: 0, quantity: 0 }], 'items.0.quantity'],
    [[{ itemIndex: 0, quantity: 10_001 }], 'items.0.quantity'],
    [[{ itemIndex: 0, quantity: 1.5 }], 'items.0.quantity'],
    [[{ itemIndex: 0, quantity: '2' }], 'items.0.quantity'],
    [[{ itemIndex: 0, quantity: 1, note: 'x' }], 'items.0.note'],
  ])('refuses items %j at %s', (items, path) => {
    expect(issues(goodsPledgeInput, { ...validPledge, items }).map((i) => i.path)).toEqual([path]);
  });

  it('accepts the bounds of quantities and lines', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ itemIndex: i, quantity: 10_000 }));
    expect(goodsPledgeInput.safeParse({ ...validPledge, items }).success).toBe(true);
  });

  it('refuses unknown keys, bad ids and an oversized tracking number', () => {
    expect(issues(goodsPledgeInput, { ...validPledge, amountFen: 1 })).toEqual([
      { path: 'amountFen', code: 'unrecognized_keys' },
    ]);
    expect(
      issues(goodsPledgeInput, { ...validPledge, requestId: 'x', needId: 'a/b' }).map(
        (i) => i.path,
      ),
    ).toEqual(['requestId', 'needId']);
    expect(
      issues(goodsPledgeInput, {
        ...validPledge,
        delivery: { method: 'express', courier: 'sf', trackingNumber: 'S'.repeat(65) },
      }),
    ).toEqual([{ path: 'delivery.trackingNumber', code: 'too_big' }]);
  });
});

describe('shipmentInput', () => {
  const valid = {
    requestId,
    donationId: 'don_1',
    courier: 'jt',
    trackingNumber: 'jt 0006968326954',
  };

  it('accepts a number of the chosen courier, normalized', () => {
    expect(shipmentInput.parse(valid)).toEqual({ ...valid, trackingNumber: 'JT0006968326954' });
  });

  it('refuses a number of another courier at the tracking number', () => {
    expect(issues(shipmentInput, { ...valid, courier: 'sf' })).toEqual([
      { path: 'trackingNumber', code: 'tracking_format' },
    ]);
  });

  it('requires every field and refuses others', () => {
    expect(
      issues(shipmentInput, { requestId, donationId: 'don_1', courier: 'jt' }).map((i) => i.path),
    ).toEqual(['trackingNumber']);
    expect(issues(shipmentInput, { ...valid, needId: 'x' })).toEqual([
      { path: 'needId', code: 'unrecognized_keys' },
    ]);
    expect(issues(shipmentInput, { ...valid, courier: 'dhl' }).map((i) => i.path)).toEqual([
      'courier',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Which pledges a need keeps

const needItems = [
  { name: '棉被', quantity: 4, unit: '床' },
  { name: '大米', quantity: 100, unit: '斤' },
];

const hour = 3600_000;

function pledge(
  id: string,
  madeAt: number,
  items: [number, number][],
  status: GoodsPledgeStatus = 'pending',
  extra: Partial<GoodsPledgeLike> = {},
): GoodsPledgeLike {
  return {
    id,
    madeAt,
    status,
    items: items.map(([itemIndex, quantity]) => ({ itemIndex, quantity })),
    expiresAt: madeAt + pledgeHoldMs,
    ...extra,
  };
}

const decisionsOf = (progress: ReturnType<typeof goodsProgressOf>) =>
  Object.fromEntries(progress.decisions);

/** The stored pledges once every decision has been written. */
function applied(pledges: GoodsPledgeLike[], progress: ReturnType<typeof goodsProgressOf>) {
  return pledges.map((p) => ({ ...p, status: progress.decisions.get(p.id) ?? p.status }));
}

describe('goodsProgressOf', () => {
  it('holds a pledge for 72 hours', () => {
    expect(pledgeHoldMs).toBe(259_200_000);
  });

  it('holds a pledge that fits and reports partial quantities', () => {
    const progress = goodsProgressOf(
      needItems,
      [
        pledge('a', 1, [
          [0, 1],
          [1, 30],
        ]),
      ],
      10,
    );
    expect(decisionsOf(progress)).toEqual({ a: 'held' });
    expect(progress.items).toEqual([
      { name: '棉被', unit: '床', quantity: 4, pledged: 1, delivered: 0 },
      { name: '大米', unit: '斤', quantity: 100, pledged: 30, delivered: 0 },
    ]);
    expect(progress.fullyPledged).toBe(false);
    expect(progress.anyTaken).toBe(true);
    expect(progress.nextExpiryMs).toBe(1 + pledgeHoldMs);
  });

  it('reports nothing taken for a need with no pledges', () => {
    const progress = goodsProgressOf(needItems, [], 0);
    expect(progress.decisions.size).toBe(0);
    expect(progress.items.map((i) => i.pledged)).toEqual([0, 0]);
    expect(progress.fullyPledged).toBe(false);
    expect(progress.anyTaken).toBe(false);
    expect(progress.nextExpiryMs).toBeNull();
  });

  it('lets several donors each give part, until every item is covered', () => {
    const progress = goodsProgressOf(
      needItems,
      [
        pledge('a', 1, [[0, 2]]),
        pledge('b', 2, [
          [0, 2],
          [1, 60],
        ]),
        pledge('c', 3, [[1, 40]]),
      ],
      10,
    );
    expect(decisionsOf(progress)).toEqual({ a: 'held', b: 'held', c: 'held' });
    expect(progress.items.map((i) => i.pledged)).toEqual([4, 100]);
    expect(progress.fullyPledged).toBe(true);
  });

  it('keeps the earliest of two pledges racing for the last units and declines the other', () => {
    const pledges = [
      pledge('late', 6, [[0, 2]]),
      pledge('early', 5, [[0, 2]]),
      pledge('x', 1, [[0, 2]]),
    ];
    const progress = goodsProgressOf(needItems, pledges, 10);
    expect(decisionsOf(progress)).toEqual({ x: 'held', early: 'held', late: 'declined' });
    expect(progress.declineReasons.get('late')).toBe('quantity_taken');
    expect(progress.items[0]?.pledged).toBe(4);
  });

  it('breaks a tie in time by id, the same way wherever it is computed', () => {
    const progress = goodsProgressOf(
      needItems,
      [pledge('b', 5, [[0, 3]]), pledge('a', 5, [[0, 3]])],
      10,
    );
    expect(decisionsOf(progress)).toEqual({ a: 'held', b: 'declined' });
  });

  it('declines a whole pledge when one of its lines no longer fits, without taking the rest', () => {
    const progress = goodsProgressOf(
      needItems,
      [
        pledge('a', 1, [[0, 4]]),
        pledge('b', 2, [
          [1, 10],
          [0, 1],
        ]),
        pledge('c', 3, [[1, 100]]),
      ],
      10,
    );
    expect(decisionsOf(progress)).toEqual({ a: 'held', b: 'declined', c: 'held' });
    expect(progress.items.map((i) => i.pledged)).toEqual([4, 100]);
  });

  it('declines a pledge naming an item the need does not have', () => {
    const progress = goodsProgressOf(
      needItems,
      [
        pledge('a', 1, [[2, 1]]),
        pledge('b', 2, [
          [0, 1],
          [7, 1],
        ]),
        pledge('c', 3, [[0, 1]]),
      ],
      10,
    );
    expect(decisionsOf(progress)).toEqual({ a: 'declined', b: 'declined', c: 'held' });
    expect(progress.declineReasons.get('a')).toBe('item_unknown');
    expect(progress.declineReasons.get('b')).toBe('item_unknown');
    expect(progress.items[0]?.pledged).toBe(1);
  });

  it('declines stored pledges with impossible quantities or no lines', () => {
    const progress = goodsProgressOf(
      needItems,
      [
        pledge('a', 1, [[0, -1]]),
        pledge('b', 2, [[0, 1.5]]),
        pledge('c', 3, []),
        pledge('d', 4, [[0, 4]]),
      ],
      10,
    );
    expect(decisionsOf(progress)).toEqual({
      a: 'declined',
      b: 'declined',
      c: 'declined',
      d: 'held',
    });
    expect(progress.items[0]?.pledged).toBe(4);
  });

  it('lets an unshipped pledge lapse after 72 hours, and a later pledge take what it held', () => {
    const pledges = [pledge('a', 0, [[0, 4]]), pledge('b', 10 * hour, [[0, 3]])];
    const before = goodsProgressOf(needItems, pledges, 71 * hour);
    expect(decisionsOf(before)).toEqual({ a: 'held', b: 'declined' });

    // Had b been read only after a lapsed, it takes the quilts.
    const after = goodsProgressOf(needItems, pledges, 72 * hour);
    expect(decisionsOf(after)).toEqual({ a: 'expired', b: 'held' });
    expect(after.items[0]?.pledged).toBe(3);
    expect(after.nextExpiryMs).toBe(10 * hour + pledgeHoldMs);
  });

  it('lets a later pledge take what a lapsed one released, once it has been declared expired', () => {
    const first = goodsProgressOf(needItems, [pledge('a', 0, [[0, 4]])], 73 * hour);
    expect(decisionsOf(first)).toEqual({ a: 'expired' });
    expect(first.anyTaken).toBe(false);
    expect(first.nextExpiryMs).toBeNull();
    const stored = [
      ...applied([pledge('a', 0, [[0, 4]])], first),
      pledge('b', 74 * hour, [[0, 4]]),
    ];
    const second = goodsProgressOf(needItems, stored, 74 * hour);
    expect(decisionsOf(second)).toEqual({ a: 'expired', b: 'held' });
    expect(second.items[0]?.pledged).toBe(4);
  });

  it('never lets a pledge with a tracking number or hand-over lapse', () => {
    const pledges = [
      pledge('shipped', 0, [[0, 1]], 'shipped'),
      pledge('delivered', 0, [[0, 1]], 'delivered'),
      pledge('tracked', 1, [[0, 1]], 'held', { tracking: true }),
      pledge('fresh', 2, [[0, 1]], 'pending', { tracking: true }),
    ];
    const progress = goodsProgressOf(needItems, pledges, 1000 * hour);
    expect(decisionsOf(progress)).toEqual({
      shipped: 'shipped',
      delivered: 'delivered',
      tracked: 'shipped',
      fresh: 'shipped',
    });
    expect(progress.items[0]).toMatchObject({ pledged: 4, delivered: 1 });
    expect(progress.fullyPledged).toBe(false);
    expect(progress.nextExpiryMs).toBeNull();
  });

  it('counts goods already on their way before pledges that merely hold', () => {
    // A held pledge that sorts earlier but was read late cannot push out a parcel in transit.
    const progress = goodsProgressOf(
      needItems,
      [pledge('held', 1, [[0, 3]], 'held'), pledge('sent', 2, [[0, 3]], 'shipped')],
      10,
    );
    expect(decisionsOf(progress)).toEqual({ sent: 'shipped', held: 'declined' });
    expect(progress.items[0]?.pledged).toBe(3);
  });

  it('leaves final pledges alone and lets them hold nothing', () => {
    const pledges = [
      pledge('r', 0, [[0, 4]], 'refunded'),
      pledge('e', 0, [[0, 4]], 'expired'),
      pledge('d', 0, [[0, 4]], 'declined', { tracking: true }),
      pledge('n', 5, [[0, 4]]),
    ];
    const progress = goodsProgressOf(needItems, pledges, 10);
    expect(decisionsOf(progress)).toEqual({
      r: 'refunded',
      e: 'expired',
      d: 'declined',
      n: 'held',
    });
    expect(progress.declineReasons.size).toBe(0);
    expect(progress.items[0]?.pledged).toBe(4);
  });

  it('reports the earliest expiry among held pledges for the scheduler', () => {
    const progress = goodsProgressOf(
      needItems,
      [
        pledge('a', 5 * hour, [[1, 1]]),
        pledge('b', 2 * hour, [[1, 1]], 'held'),
        pledge('c', 1 * hour, [[1, 1]], 'held', { tracking: true }),
        pledge('d', 3 * hour, [[1, 1]], 'held', { expiresAt: 4 * hour }),
      ],
      4 * hour,
    );
    expect(decisionsOf(progress)).toEqual({ a: 'held', b: 'held', c: 'shipped', d: 'expired' });
    expect(progress.nextExpiryMs).toBe(2 * hour + pledgeHoldMs);
  });

  it('says the need is taken up while any pledge is kept, and not once all have lapsed', () => {
    const held = goodsProgressOf(needItems, [pledge('a', 0, [[1, 1]])], hour);
    expect(held.anyTaken).toBe(true);
    const lapsed = goodsProgressOf(
      needItems,
      [pledge('a', 0, [[1, 1]]), pledge('b', 1, [[5, 1]])],
      100 * hour,
    );
    expect(lapsed.anyTaken).toBe(false);
    const refunded = goodsProgressOf(
      needItems,
      [pledge('a', 0, [[1, 1]], 'refunded'), pledge('b', 0, [[1, 1]], 'declined')],
      hour,
    );
    expect(refunded.anyTaken).toBe(false);
    const delivered = goodsProgressOf(needItems, [pledge('a', 0, [[1, 1]], 'delivered')], hour);
    expect(delivered.anyTaken).toBe(true);
  });

  describe('as a recomputation', () => {
    const statuses: GoodsPledgeStatus[] = [
      'pending',
      'pending',
      'held',
      'shipped',
      'delivered',
      'refunded',
      'expired',
    ];
    // A deterministic spread of pledges over 10 days, many of them competing for the same units.
    const many = Array.from({ length: 60 }, (_, i) => {
      const status = statuses[i % 7] as GoodsPledgeStatus;
      const lines: [number, number][] =
        i % 5 === 0
          ? [
              [0, 1 + (i % 2)],
              [1, 5 + (i % 11)],
            ]
          : i % 13 === 0
            ? [[2, 1]]
            : [[i % 2, 1 + ((i * 7) % 9)]];
      return pledge(`p${String(i).padStart(2, '0')}`, (i % 17) * 6 * hour, lines, status, {
        tracking: i % 4 === 0,
      });
    });
    const items = [
      { name: '棉被', quantity: 10, unit: '床' },
      { name: '大米', quantity: 150, unit: '斤' },
    ];
    const now = 100 * hour;

    function shuffled<T>(values: T[], seed: number): T[] {
      const out = [...values];
      let state = seed;
      for (let i = out.length - 1; i > 0; i--) {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        const j = state % (i + 1);
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    }

    it('gives the same answer whatever order the pledges are read in', () => {
      const reference = goodsProgressOf(items, many, now);
      for (const seed of [1, 2, 3, 42, 2024]) {
        expect(goodsProgressOf(items, shuffled(many, seed), now)).toEqual(reference);
      }
      expect(goodsProgressOf(items, [...many].reverse(), now)).toEqual(reference);
    });

    it('exercises every outcome and never pledges beyond what live pledges hold', () => {
      const progress = goodsProgressOf(items, many, now);
      expect(new Set(progress.decisions.values())).toEqual(
        new Set(['held', 'shipped', 'delivered', 'expired', 'declined', 'refunded']),
      );
      const kept = many.filter((p) =>
        ['held', 'shipped', 'delivered'].includes(progress.decisions.get(p.id) ?? ''),
      );
      items.forEach((_, index) => {
        const sum = kept
          .flatMap((p) => p.items)
          .filter((line) => line.itemIndex === index)
          .reduce((acc, line) => acc + line.quantity, 0);
        expect(progress.items[index]?.pledged).toBe(sum);
      });
    });

    it('settles: writing its decisions and recomputing changes nothing', () => {
      const first = goodsProgressOf(items, many, now);
      expect(first.declineReasons.size).toBeGreaterThan(0);
      const second = goodsProgressOf(items, applied(many, first), now);
      // Nothing is declined anew: the reasons were stored with the first decisions.
      expect(second).toEqual({ ...first, declineReasons: new Map() });
      const third = goodsProgressOf(items, shuffled(applied(many, second), 7), now);
      expect(third).toEqual(second);
    });

    it('never tells a donor otherwise once a pledge is declined or has lapsed', () => {
      // Recomputed every 6 hours as pledges arrive, the way the triggers and scheduler run.
      let stored = many.map((p) => ({ ...p }));
      const final = new Map<string, GoodsPledgeStatus>();
      for (let t = 0; t <= now; t += 6 * hour) {
        const progress = goodsProgressOf(
          items,
          stored.filter((p) => p.madeAt <= t),
          t,
        );
        stored = applied(stored, progress);
        for (const p of stored) {
          const seen = final.get(p.id);
          if (seen) expect([p.id, p.status]).toEqual([p.id, seen]);
          if (['declined', 'expired', 'refunded'].includes(p.status)) final.set(p.id, p.status);
        }
      }
      expect(final.size).toBeGreaterThan(0);
      const last = goodsProgressOf(items, stored, now);
      expect(goodsProgressOf(items, applied(stored, last), now)).toEqual(last);
    });
  });
});

describe('effectiveStatus', () => {
  const made = Date.UTC(2026, 10, 20, 8);
  const expiresAt = made + pledgeHoldMs;

  it('calls a waiting pledge expired from the moment its time runs out, before any job writes it', () => {
    for (const status of ['pending', 'held']) {
      expect(effectiveStatus({ status, expiresAt }, expiresAt - 1)).toBe(status);
      expect(effectiveStatus({ status, expiresAt }, expiresAt)).toBe('expired');
      expect(effectiveStatus({ status, expiresAt }, expiresAt + 3600_000)).toBe('expired');
    }
  });

  it('leaves a pledge with a tracking number or hand-over, and every other status, as stored', () => {
    const late = expiresAt + 1;
    expect(effectiveStatus({ status: 'held', expiresAt, tracking: true }, late)).toBe('held');
    for (const status of ['shipped', 'delivered', 'declined', 'refunded', 'expired', 'accepted']) {
      expect(effectiveStatus({ status, expiresAt }, late)).toBe(status);
    }
    expect(effectiveStatus({ status: 'pending', expiresAt: null }, late)).toBe('pending');
  });

  it('agrees with settlement on which pledges lapsed', () => {
    const pledge = {
      id: 'p',
      madeAt: made,
      status: 'held' as const,
      items: [{ itemIndex: 0, quantity: 1 }],
      expiresAt,
    };
    for (const now of [expiresAt - 1, expiresAt, expiresAt + 1]) {
      const settled = goodsProgressOf([{ name: '棉被', quantity: 2, unit: '床' }], [pledge], now);
      expect(effectiveStatus(pledge, now)).toBe(settled.decisions.get('p'));
    }
  });
});

describe('the village office receiving goods', () => {
  it('takes a mobile or a landline with its area code, as typed', () => {
    expect(normalizeContactPhone('138 0013 8000')).toBe('13800138000');
    expect(normalizeContactPhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizeContactPhone('０８５７－６２０９０００')).toBe('0857-6209000');
    expect(normalizeContactPhone('08576209000')).toBe('0857-6209000');
    expect(normalizeContactPhone('010-62345678')).toBe('010-62345678');
    for (const bad of ['12345', '6209000', '23800138000', '0857-0209000', '010-6234567', 'x']) {
      expect(normalizeContactPhone(bad)).toBeNull();
    }
  });

  it('refuses a bad phone or an ID number in the address, with field paths', () => {
    const ok = villageReceivingInput.safeParse({
      requestId: '6f1f7c1e-2b7a-4c43-9a8e-1c1d2e3f4a5b',
      address: '石门乡开阳村村民委员会',
      contactName: '王信息',
      phone: '0857 6209000',
    });
    expect(ok.success && ok.data.phone).toBe('0857-6209000');
    const bad = villageReceivingInput.safeParse({
      requestId: '6f1f7c1e-2b7a-4c43-9a8e-1c1d2e3f4a5b',
      address: '开阳村 520526198001010016',
      contactName: '王信息',
      phone: '110',
    });
    expect(issuesOf(bad.error).map((issue) => issue.path)).toEqual(['address', 'phone']);
    expect(issuesOf(bad.error).find((issue) => issue.path === 'phone')?.code).toBe('phone_format');
  });
});
