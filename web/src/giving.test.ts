import { needCategories } from './categories';
import { chinaDate, chinaDateTime } from './format';
import {
  asksText,
  awaitingCertificate,
  awaitingUpdate,
  giftStatusLabel,
  heldFen,
  heldShare,
  mayPay,
  moneyNextStep,
  moneyStatusNote,
  returnedDonationId,
  checkAmount,
  deliveryOf,
  donationStatuses,
  donationStatusLabel,
  donorMayConfirmHandover,
  giftText,
  handoverText,
  needStatusLabel,
  pledgeItems,
  progressLines,
  progressShare,
  remainingFen,
  revocationLabel,
  verifyLabel,
  waitedText,
} from './giving';

const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

describe('labels for donors', () => {
  it('names every donation status in Chinese, each differently', () => {
    const labels = donationStatuses.map(donationStatusLabel);
    for (const label of labels) expect(hasChinese(label)).toBe(true);
    expect(new Set(labels).size).toBe(donationStatuses.length);
    expect(donationStatusLabel('received')).toBe('已到账');
    expect(donationStatusLabel('pledged')).toBe('待支付');
    expect(donationStatusLabel('lapsed')).toBe('已失效');
    expect(donationStatusLabel('accepted')).toBe('accepted');
    expect(donationStatusLabel('held')).toBe('已认捐，待寄出');
    expect(donationStatusLabel('brand_new')).toBe('brand_new');
  });

  it('names public need statuses, revocation reasons and verdicts', () => {
    for (const status of ['published', 'matched', 'fulfilled'])
      expect(hasChinese(needStatusLabel(status))).toBe(true);
    expect(revocationLabel('donation_refunded')).toBe('捐助已退回');
    expect(revocationLabel('need_found_false')).toBe('经核查该需求信息不实');
    expect(verifyLabel('genuine')).toBe('真实有效');
    expect(verifyLabel('revoked')).toBe('已撤销');
    expect(verifyLabel('tampered')).toBe('记录被篡改，不可信');
    expect(verifyLabel('not_found')).toBe('未找到该证书');
  });

  it('offers the seven categories', () => {
    expect(needCategories.map(([code]) => code)).toEqual([
      'education',
      'medical',
      'housing',
      'industry',
      'employment',
      'skills',
      'necessities',
    ]);
  });

  it('gives dates and times in China time', () => {
    expect(chinaDate('2026-04-30T17:00:00Z')).toBe('2026-05-01');
    expect(chinaDate(Date.UTC(2026, 3, 30, 15, 59))).toBe('2026-04-30');
    expect(chinaDate('not a date')).toBe('not a date');
    expect(chinaDateTime(Date.UTC(2026, 3, 30, 17, 5))).toBe('2026-05-01 01:05');
    const now = Date.UTC(2026, 4, 10);
    expect(waitedText(now - 3_600_000, now)).toBe('今天发布');
    expect(waitedText(now - 3 * 86_400_000 - 1, now)).toBe('已等待 3 天');
  });
});

describe('progress of a need', () => {
  const money = { kind: 'money' as const, amountFen: 300_000, raisedFen: 100_000, items: null };
  const goods = {
    kind: 'goods' as const,
    amountFen: null,
    raisedFen: 0,
    items: [
      { name: '大米', quantity: 10, unit: '袋', pledged: 2, delivered: 1 },
      { name: '棉被', quantity: 2, unit: '床', pledged: 2, delivered: 0 },
    ],
  };

  it('tells what money is raised and what remains', () => {
    expect(remainingFen(money)).toBe(200_000);
    expect(remainingFen({ ...money, raisedFen: 400_000 })).toBe(0);
    expect(progressShare(money)).toBeCloseTo(1 / 3);
    expect(progressLines(money)).toEqual(['已到账 1,000.00 元 / 目标 3,000.00 元']);
    expect(asksText(money)).toBe('需要资金 3,000.00 元');
  });

  it('tells what goods are pledged and delivered, item by item', () => {
    expect(progressShare(goods)).toBeCloseTo(4 / 12);
    expect(progressLines(goods)).toEqual([
      '大米：已认捐 2/10 袋，已送达 1 袋',
      '棉被：已认捐 2/2 床，已送达 0 床',
    ]);
    expect(asksText(goods)).toBe('需要 大米10袋、棉被2床');
  });

  it('describes a gift', () => {
    expect(giftText({ kind: 'money', amountFen: 50_050 })).toBe('资金 500.50 元');
    expect(giftText({ kind: 'goods', items: [{ name: '书包', quantity: 3, unit: '个' }] })).toBe(
      '书包 3 个',
    );
  });
});

describe('what a donor types', () => {
  test.each([
    ['100', 10_000],
    [' 1,000.5 ', 100_050],
    ['0.01', 1],
    ['2000', 200_000],
  ])('amount %p → %p fen', (text, fen) =>
    expect(checkAmount(text, 200_000)).toEqual({ amountFen: fen }),
  );

  test.each([
    ['', '请输入金额（元），最多两位小数'],
    ['abc', '请输入金额（元），最多两位小数'],
    ['1.234', '请输入金额（元），最多两位小数'],
    ['-5', '请输入金额（元），最多两位小数'],
    ['0', '金额必须大于零'],
    ['2000.01', '该需求还差 2,000.00 元，请不要超过'],
  ])('amount %p is refused: %s', (text, error) =>
    expect(checkAmount(text, 200_000)).toEqual({ error }),
  );

  const items = [
    { name: '大米', quantity: 10, unit: '袋', pledged: 2 },
    { name: '棉被', quantity: 2, unit: '床', pledged: 2 },
  ];

  it('turns typed quantities into the items to pledge', () => {
    expect(pledgeItems(['3', ''], items)).toEqual({ items: [{ itemIndex: 0, quantity: 3 }] });
    expect(pledgeItems([' 8 ', '0'], items)).toEqual({ items: [{ itemIndex: 0, quantity: 8 }] });
    expect(pledgeItems(['', ''], items)).toEqual({ error: '请至少填写一种物品的数量' });
    expect(pledgeItems(['9', ''], items)).toEqual({ error: '大米：最多还需 8 袋' });
    expect(pledgeItems(['', '1'], items)).toEqual({ error: '棉被：最多还需 0 床' });
    expect(pledgeItems(['1.5', ''], items)).toEqual({ error: '大米：数量应为整数' });
    expect(pledgeItems(['-1', ''], items)).toEqual({ error: '大米：数量应为整数' });
  });

  it('builds the delivery: express needs a courier, the tracking number may come later', () => {
    expect(deliveryOf('in_person', 'sf', '123')).toEqual({ delivery: { method: 'in_person' } });
    expect(deliveryOf('express', 'sf', '')).toEqual({
      delivery: { method: 'express', courier: 'sf' },
    });
    expect(deliveryOf('express', 'sf', ' SF 1234 5678 90 ')).toEqual({
      delivery: { method: 'express', courier: 'sf', trackingNumber: 'SF1234567890' },
    });
    expect(deliveryOf('express', '', '')).toEqual({ error: '请选择快递公司' });
    expect(deliveryOf('express', 'sf', '12')).toEqual({ error: '快递单号格式不对' });
    expect(deliveryOf('drone', 'sf', '')).toEqual({ error: '请选择交付方式' });
  });
});

describe('waiting for certificates', () => {
  const row = (kind: string, status: string, certificateSerial: string | null = null) => ({
    kind,
    status,
    certificateSerial,
  });

  it('waits while money is pending or received money and delivered goods lack a serial', () => {
    expect(awaitingCertificate([])).toBe(false);
    expect(awaitingCertificate([row('money', 'pending')])).toBe(true);
    expect(awaitingCertificate([row('money', 'received')])).toBe(true);
    expect(awaitingCertificate([row('money', 'received', 'FP-2026-AAAA-BBBB-CCCC')])).toBe(false);
    // A pledge waits for its payment (up to 48 h), not for a certificate.
    expect(awaitingCertificate([row('money', 'pledged'), row('money', 'lapsed')])).toBe(false);
    expect(awaitingCertificate([row('goods', 'delivered')])).toBe(true);
    expect(awaitingCertificate([row('goods', 'held'), row('goods', 'shipped')])).toBe(false);
    expect(awaitingCertificate([row('money', 'declined'), row('money', 'refunded')])).toBe(false);
  });
});

describe('a face-to-face hand-over', () => {
  const pledge = (status: string, recipientConfirmed: boolean, donorConfirmed: boolean) => ({
    kind: 'goods',
    status,
    delivery: 'in_person',
    handover: { recipientConfirmed, donorConfirmed },
  });

  it('asks the donor for their own tap until they have given it', () => {
    expect(donorMayConfirmHandover(pledge('held', false, false))).toBe(true);
    expect(donorMayConfirmHandover(pledge('shipped', true, false))).toBe(true);
    expect(donorMayConfirmHandover(pledge('shipped', false, true))).toBe(false);
    expect(donorMayConfirmHandover(pledge('expired', false, false))).toBe(false);
    expect(donorMayConfirmHandover({ ...pledge('held', false, false), delivery: 'express' })).toBe(
      false,
    );
  });

  it('says in Chinese which side is still to confirm', () => {
    expect(handoverText(pledge('shipped', true, false))).toContain('请您点击');
    expect(handoverText(pledge('held', false, true))).toContain('等待村里登记');
    expect(handoverText(pledge('delivered', true, true))).toBeNull();
    expect(hasChinese(handoverText(pledge('held', false, false)) ?? '')).toBe(true);
  });
});

describe('money that is promised before it arrives', () => {
  const hour = 3_600_000;
  const now = Date.UTC(2026, 4, 10, 2, 0);
  const money = { kind: 'money' as const, amountFen: 300_000, raisedFen: 100_000, items: null };

  it('keeps what pledges hold apart from what arrived, and off what a donor may pledge', () => {
    const held = { ...money, heldFen: 50_000 };
    expect(heldFen(held)).toBe(50_000);
    expect(remainingFen(held)).toBe(150_000);
    expect(remainingFen({ ...held, heldFen: 250_000 })).toBe(0);
    expect(progressShare(held)).toBeCloseTo(1 / 3);
    expect(heldShare(held)).toBeCloseTo(1 / 6);
    expect(heldShare(money)).toBe(0);
    expect(heldShare({ ...money, raisedFen: 250_000, heldFen: 100_000 })).toBeCloseTo(1 / 6);
    expect(progressLines(held)).toEqual([
      '已到账 1,000.00 元 / 目标 3,000.00 元',
      '待支付 500.00 元（爱心人士已承诺，等待付款）',
    ]);
    expect(heldFen({ kind: 'goods', amountFen: null, raisedFen: 0, items: [], heldFen: 5 })).toBe(
      0,
    );
  });

  it('names each money state with its next step in Chinese', () => {
    expect(giftStatusLabel({ kind: 'money', status: 'refunded' })).toBe('已退款');
    expect(giftStatusLabel({ kind: 'goods', status: 'refunded' })).toBe('已退回');
    expect(giftStatusLabel({ kind: 'money', status: 'received' })).toBe('已到账');
    expect(moneyStatusNote('lapsed')).toBe('（未在期限内支付，承诺的金额已释放）');
    expect(moneyStatusNote('received')).toBeNull();
    const payBy = Date.UTC(2026, 4, 11, 16, 30);
    expect(moneyNextStep({ status: 'pledged', payBy, now })).toBe(
      '请在 2026-05-12 00:30 前完成支付，逾期承诺的金额将释放给其他爱心人士。',
    );
    expect(moneyNextStep({ status: 'pledged', payBy: now - 1, now })).toContain('已过支付期限');
    for (const status of ['pending', 'received', 'lapsed', 'declined', 'refunded'])
      expect(hasChinese(moneyNextStep({ status, payBy: null, now }) ?? '')).toBe(true);
    expect(moneyNextStep({ status: 'held', payBy: null, now })).toBeNull();
  });

  it('offers payment only for a pledge before its deadline', () => {
    const pledge = { kind: 'money', status: 'pledged', payBy: now + hour };
    expect(mayPay(pledge, now)).toBe(true);
    expect(mayPay({ ...pledge, payBy: now }, now)).toBe(false);
    expect(mayPay({ ...pledge, payBy: null }, now)).toBe(false);
    expect(mayPay({ ...pledge, status: 'received' }, now)).toBe(false);
    expect(mayPay({ ...pledge, status: 'lapsed' }, now)).toBe(false);
    expect(mayPay({ ...pledge, kind: 'goods' }, now)).toBe(false);
  });

  it('finds the gift just paid in the provider return, and keeps looking until it arrives', () => {
    expect(returnedDonationId('?charset=utf-8&out_trade_no=abcDEF123_-x&total_amount=1.00')).toBe(
      'abcDEF123_-x',
    );
    expect(returnedDonationId('')).toBeNull();
    expect(returnedDonationId('?out_trade_no=a%2Fb')).toBeNull();
    const rows = [
      { id: 'a', kind: 'money', status: 'pledged', certificateSerial: null },
      { id: 'b', kind: 'money', status: 'lapsed', certificateSerial: null },
    ];
    expect(awaitingUpdate(rows, null)).toBe(false);
    expect(awaitingUpdate(rows, 'a')).toBe(true);
    expect(awaitingUpdate(rows, 'b')).toBe(false);
    expect(awaitingUpdate([{ ...rows[0]!, status: 'received' }], 'a')).toBe(true);
    expect(
      awaitingUpdate([{ ...rows[0]!, status: 'received', certificateSerial: 'FP-1' }], 'a'),
    ).toBe(false);
  });
});
