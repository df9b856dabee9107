/**
 * Online payment: the production Alipay adapter against the local platform's payment sandbox, and
 * the money a donor pledges moving only when "Alipay" proves it paid. A donor's payment is a
 * signed notification that makes exactly one receipt and one move of the pledge to received
 * however often it comes; anything not signed by "Alipay" for this application and seller, or
 * altered after signing, is refused and changes nothing; a payment of another amount, or for a
 * pledge no longer waiting, is an exception, not a receipt; an order whose notification was lost is
 * found by the lapse job's query; a pledge not paid in time lapses and another donor takes what it
 * held; many donors pledging and paying at once never push received or held past the target; a
 * refund goes back through Alipay and revokes the certificate; and at the end no donation that was
 * not received holds a standing certificate.
 */
import { generateKeyPairSync, randomInt, randomUUID } from 'node:crypto';
import {
  sandboxKeys,
  signNotification,
  type SandboxKeys,
  type SandboxOrder,
} from '../../functions/local/paymentSandbox';
import { AlipayProvider, beijingTime } from '../../functions/src/services/payments/alipay';
import { PaymentProviderError } from '../../functions/src/services/payments/provider';
import { collections } from '../../functions/src/services/db';
import { testBasePort } from '../support/globalSetup';
import {
  copyMoneyNeed,
  adminDb,
  call,
  donationStatus,
  functionLogs,
  idle,
  newRequestId,
  payPledge,
  projectId,
  region,
  runSchedule,
  signIn,
  signInAsDonor,
} from '../support/platform';

const gateway = `http://127.0.0.1:${testBasePort + 6}`;
const returnUrl = 'http://127.0.0.1:9/#/mine';
let keys: SandboxKeys;
let alipay: AlipayProvider;

beforeAll(() => {
  keys = sandboxKeys(process.env.FUPIN_TEST_DATA_DIR as string);
  alipay = new AlipayProvider({
    appId: keys.appId,
    appPrivateKey: keys.appPrivateKey,
    alipayPublicKey: keys.alipayPublicKey,
    gateway,
    sellerId: keys.sellerId,
  });
});

const notifyUrl = () => `${process.env.FUPIN_FUNCTIONS_URL}/${projectId}/${region}/alipayNotify`;

/** Creates an order with the adapter and opens its pay URL as the donor's browser would. */
async function openOrder(amountFen: number, provider = alipay): Promise<string> {
  const outTradeNo = `T${Date.now()}${randomUUID().slice(0, 8)}`;
  const { payUrl } = provider.createOrder({
    outTradeNo,
    amountFen,
    subject: '中国社会扶贫网 爱心捐款',
    notifyUrl: notifyUrl(),
    returnUrl,
  });
  const cashier = await fetch(payUrl);
  const html = await cashier.text();
  expect({ status: cashier.status, pay: html.includes('确认支付') }).toEqual({
    status: 200,
    pay: true,
  });
  return outTradeNo;
}

/** The donor clicks 确认支付; `notify: false` loses the notification on the way. */
async function pay(outTradeNo: string, { notify = true } = {}): Promise<SandboxOrder> {
  const clicked = await fetch(
    `${gateway}/sandbox/orders/${outTradeNo}/pay${notify ? '' : '?notify=skip'}`,
    { method: 'POST', redirect: 'manual' },
  );
  expect(clicked.status).toBe(303);
  expect(clicked.headers.get('location')).toContain(`out_trade_no=${outTradeNo}`);
  return sandboxOrder(outTradeNo);
}

async function sandboxOrder(outTradeNo: string): Promise<SandboxOrder> {
  return (await (await fetch(`${gateway}/sandbox/orders/${outTradeNo}`)).json()) as SandboxOrder;
}

async function postNotification(fields: Record<string, string>) {
  const response = await fetch(notifyUrl(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, answer: await response.text() };
}

async function receiptsFor(outTradeNo: string) {
  const found = await adminDb()
    .collection(collections.paymentReceipts)
    .where('outTradeNo', '==', outTradeNo)
    .get();
  return found.docs.map((doc) => ({ id: doc.id, ...doc.data() }));
}

async function refusalLogged(outTradeNo: string, reason: string): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const logs = await functionLogs();
    if (
      logs.some(
        (entry) =>
          entry.event === 'payment_notification_refused' &&
          entry.reason === reason &&
          entry.claimedOutTradeNo === outTradeNo &&
          entry.severity === 'WARNING',
      )
    )
      return true;
    await new Promise((done) => setTimeout(done, 200));
  }
  return false;
}

/** Village 205: the money races' village; needs here are copies of a seeded one, of their own. */
const moneyVillage = '520526105205';

/** A published money need of `amountFen` in the money races' village, nobody's yet. */
const freshNeed = async (amountFen: number): Promise<string> =>
  (await copyMoneyNeed(moneyVillage, amountFen, 'pay')).id;

let donorCount = 0;
/** A donor of their own, signed in by phone with a profile. */
const newDonor = () => {
  donorCount++;
  return signInAsDonor(`+861365${String(randomInt(10_000_000)).padStart(7, '0')}`, {
    name: `支付测试${donorCount}`,
  });
};

/** Gives money and waits for settlement: the donation's id and what it became. */
async function pledge(donor: string, needId: string, amountFen: number) {
  const made = await call<{ donationId: string }>(
    'donate',
    { requestId: newRequestId(), needId, amountFen },
    donor,
  );
  const donationId = made.result?.donationId as string;
  expect(donationId).toBeDefined();
  return { donationId, status: await donationStatus(donationId) };
}

/** The donor's startPayment, then the cashier page opened: the order exists at the sandbox. */
async function openPledge(donor: string, donationId: string) {
  const started = await call<{ payUrl: string; payBy: number }>(
    'startPayment',
    { donationId },
    donor,
  );
  expect(started.error).toBeUndefined();
  const cashier = await fetch(started.result?.payUrl as string);
  const html = await cashier.text();
  expect({ status: cashier.status, pay: html.includes('data-testid="sandbox-pay"') }).toEqual({
    status: 200,
    pay: true,
  });
  return started.result as { payUrl: string; payBy: number };
}

async function needFigures(needId: string) {
  const need = await adminDb().collection(collections.needs).doc(needId).get();
  return {
    status: need.get('status') as string,
    raisedFen: Number(need.get('raisedFen') ?? 0),
    heldFen: Number(need.get('heldFen') ?? 0),
    acceptedDonations: Number(need.get('acceptedDonations') ?? 0),
  };
}

async function exceptionFor(providerTradeNo: string) {
  return (
    await adminDb().collection(collections.paymentExceptions).doc(providerTradeNo).get()
  ).data();
}

/** A notification "Alipay" signs for an order, as the sandbox would for a payment of `yuan`. */
function alipayNotification(outTradeNo: string, yuan: string) {
  const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return signNotification(
    {
      notify_time: now,
      notify_type: 'trade_status_sync',
      notify_id: randomUUID().replaceAll('-', ''),
      charset: 'utf-8',
      version: '1.0',
      app_id: keys.appId,
      seller_id: keys.sellerId,
      trade_no: `2026${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`,
      out_trade_no: outTradeNo,
      trade_status: 'TRADE_SUCCESS',
      total_amount: yuan,
      gmt_payment: now,
    },
    keys.alipayPrivateKey,
  );
}

async function loggedEvents(event: string, match: Record<string, unknown>) {
  return (await functionLogs()).filter(
    (entry) =>
      entry.event === event && Object.entries(match).every(([key, value]) => entry[key] === value),
  );
}

const otherKey = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });

describe('Alipay payment through the local sandbox', () => {
  it('a pledge paid makes one receipt and one move to received, however often Alipay notifies', async () => {
    const donor = await newDonor();
    const needId = await freshNeed(10_000);
    const { donationId: outTradeNo, status } = await pledge(donor, needId, 3000);
    expect(status).toBe('pledged');
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 0, heldFen: 3000 });
    await openPledge(donor, outTradeNo);
    expect(await receiptsFor(outTradeNo)).toEqual([]);
    const order = await pay(outTradeNo);
    expect(order.deliveries.map((delivery) => delivery.answer)).toEqual(['success']);

    const [receipt, ...more] = await receiptsFor(outTradeNo);
    expect(more).toEqual([]);
    expect(receipt).toMatchObject({
      id: order.tradeNo,
      provider: 'alipay',
      providerTradeNo: order.tradeNo,
      outTradeNo,
      amountFen: 3000,
      donationId: outTradeNo,
      via: 'notification',
    });
    const paidAt = (receipt as unknown as { paidAt: FirebaseFirestore.Timestamp }).paidAt;
    expect(paidAt.toMillis()).toBe(beijingTime(order.gmtPayment as string).getTime());
    const receivedAt = (receipt as unknown as { receivedAt: FirebaseFirestore.Timestamp })
      .receivedAt;
    expect(await donationStatus(outTradeNo)).toBe('received');
    const moved = await needFigures(needId);
    expect(moved).toMatchObject({ raisedFen: 3000, heldFen: 0, acceptedDonations: 1 });

    for (let delivery = 0; delivery < 5; delivery++) {
      const again = await fetch(`${gateway}/sandbox/orders/${outTradeNo}/notify`, {
        method: 'POST',
      });
      expect(((await again.json()) as { delivery: { answer: string } }).delivery.answer).toBe(
        'success',
      );
    }
    const after = await receiptsFor(outTradeNo);
    expect(after).toHaveLength(1);
    expect(
      (after[0] as unknown as { receivedAt: FirebaseFirestore.Timestamp }).receivedAt.isEqual(
        receivedAt,
      ),
    ).toBe(true);
    // One move: the need counted the money once, and the donation was received once.
    expect(await needFigures(needId)).toEqual(moved);
    expect(await loggedEvents('donation_received', { donationId: outTradeNo })).toHaveLength(1);
    expect(await exceptionFor(order.tradeNo)).toBeUndefined();
    // The donor sees it arrived, and its certificate.
    const mine = await call<{
      donations: Array<{
        id: string;
        status: string;
        payBy: number | null;
        certificateSerial: string | null;
      }>;
    }>('listMyDonations', {}, donor);
    expect(mine.result?.donations.find((gift) => gift.id === outTradeNo)).toMatchObject({
      status: 'received',
      payBy: null,
      certificateSerial: expect.stringMatching(/^FP-/),
    });
  });

  it('refuses forged, altered and misdirected notifications, changing nothing, and then takes the true one', async () => {
    const donor = await newDonor();
    const needId = await freshNeed(10_000);
    const { donationId: outTradeNo } = await pledge(donor, needId, 5000);
    await openPledge(donor, outTradeNo);
    const order = await pay(outTradeNo, { notify: false });
    const genuine = order.notification as Record<string, string>;
    expect(genuine.total_amount).toBe('50.00');

    // A changed amount, re-signed with a key that is not Alipay's.
    const forged = signNotification(
      { ...genuine, total_amount: '50000.00' },
      otherKey().privateKey,
    );
    expect(await postNotification(forged)).toEqual({ status: 400, answer: 'fail' });
    expect(await refusalLogged(outTradeNo, 'bad_signature')).toBe(true);

    // Fields altered under Alipay's original signature.
    for (const altered of [
      { ...genuine, total_amount: '0.01' },
      { ...genuine, trade_no: `${genuine.trade_no}9` },
      { ...genuine, trade_status: 'TRADE_SUCCESS', subject: '改过的' },
    ])
      expect(await postNotification(altered)).toEqual({ status: 400, answer: 'fail' });
    // Without a signature at all.
    const { sign: _sign, ...unsigned } = genuine;
    expect(await postNotification(unsigned)).toEqual({ status: 400, answer: 'fail' });

    // Signed by Alipay's key, but for another application or another seller.
    const otherApp = signNotification(
      { ...genuine, app_id: '9021000000000001' },
      keys.alipayPrivateKey,
    );
    expect(await postNotification(otherApp)).toEqual({ status: 400, answer: 'fail' });
    expect(await refusalLogged(outTradeNo, 'wrong_app')).toBe(true);
    const otherSeller = signNotification(
      { ...genuine, seller_id: '2088000000000009' },
      keys.alipayPrivateKey,
    );
    expect(await postNotification(otherSeller)).toEqual({ status: 400, answer: 'fail' });
    expect(await refusalLogged(outTradeNo, 'wrong_seller')).toBe(true);

    expect(await receiptsFor(outTradeNo)).toEqual([]);
    const anyForged = await adminDb()
      .collection(collections.paymentReceipts)
      .where('amountFen', 'in', [5000000, 1])
      .get();
    expect(anyForged.size).toBe(0);
    // Nothing moved: the pledge waits, the need holds it and has raised nothing.
    expect(await donationStatus(outTradeNo)).toBe('pledged');
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 0, heldFen: 5000 });
    const certificates = await adminDb()
      .collection(collections.certificates)
      .where('donationId', '==', outTradeNo)
      .get();
    expect(certificates.size).toBe(0);

    // The genuine notification, unaltered, is taken: the refusals were for the alterations.
    expect(await postNotification(genuine)).toEqual({ status: 200, answer: 'success' });
    expect(await receiptsFor(outTradeNo)).toMatchObject([{ amountFen: 5000, id: order.tradeNo }]);
    expect(await donationStatus(outTradeNo)).toBe('received');
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 5000, heldFen: 0 });
  });

  it('answers only POST', async () => {
    const response = await fetch(notifyUrl());
    expect(response.status).toBe(405);
  });

  it('finds by query a paid order whose notification never came', async () => {
    const lost = await openOrder(12345);
    const order = await pay(lost, { notify: false });
    expect(order.deliveries).toEqual([]);
    expect(await receiptsFor(lost)).toEqual([]);

    const found = await alipay.queryOrder(lost);
    expect(found).toEqual({
      found: true,
      outTradeNo: lost,
      providerTradeNo: order.tradeNo,
      amountFen: 12345,
      status: 'paid',
      paidAt: beijingTime(order.gmtPayment as string),
    });

    const waiting = await openOrder(100);
    expect(await alipay.queryOrder(waiting)).toMatchObject({ found: true, status: 'waiting' });
    // 取消 at the cashier leaves the trade open (the donor may come back and pay it) ...
    const left = await openOrder(100);
    await fetch(`${gateway}/sandbox/orders/${left}/cancel`, { method: 'POST' });
    expect(await alipay.queryOrder(left)).toMatchObject({ found: true, status: 'waiting' });
    // ... until it is closed unpaid.
    await fetch(`${gateway}/sandbox/orders/${left}/close`, { method: 'POST' });
    expect(await alipay.queryOrder(left)).toMatchObject({ found: true, status: 'closed' });
    expect(await alipay.queryOrder('T-never-made')).toEqual({ found: false });
  });

  it('refunds once per request number, never beyond what was paid', async () => {
    const outTradeNo = await openOrder(5000);
    const order = await pay(outTradeNo);

    expect(await alipay.refund(outTradeNo, 2000, 'R1')).toEqual({
      outTradeNo,
      providerTradeNo: order.tradeNo,
      refundedFen: 2000,
      moneyMoved: true,
    });
    // The same request again (a retry) moves no more money.
    expect(await alipay.refund(outTradeNo, 2000, 'R1')).toMatchObject({
      refundedFen: 2000,
      moneyMoved: false,
    });
    await expect(alipay.refund(outTradeNo, 3001, 'R2')).rejects.toMatchObject({
      name: 'PaymentProviderError',
      code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
    });
    expect(await alipay.refund(outTradeNo, 3000, 'R3')).toMatchObject({
      refundedFen: 5000,
      moneyMoved: true,
    });
    expect(await alipay.queryOrder(outTradeNo)).toMatchObject({ status: 'closed' });
    await expect(alipay.refund('T-never-made', 100, 'R4')).rejects.toBeInstanceOf(
      PaymentProviderError,
    );
  });

  it('the sandbox takes nothing signed with another key, and the adapter believes no answer signed with another key', async () => {
    const stranger = otherKey();
    const impostor = new AlipayProvider({
      appId: keys.appId,
      appPrivateKey: stranger.privateKey,
      alipayPublicKey: keys.alipayPublicKey,
      gateway,
      sellerId: keys.sellerId,
    });
    const { payUrl } = impostor.createOrder({
      outTradeNo: `T${Date.now()}x`,
      amountFen: 100,
      subject: '伪造',
      notifyUrl: notifyUrl(),
      returnUrl,
    });
    const cashier = await fetch(payUrl);
    expect(cashier.status).toBe(400);
    expect(await cashier.text()).toContain('INVALID_SIGNATURE');
    await expect(impostor.queryOrder('T-any')).rejects.toMatchObject({
      code: 'invalid-signature',
    });

    const outTradeNo = await openOrder(100);
    const deceived = new AlipayProvider({
      appId: keys.appId,
      appPrivateKey: keys.appPrivateKey,
      alipayPublicKey: stranger.publicKey,
      gateway,
      sellerId: keys.sellerId,
    });
    await expect(deceived.queryOrder(outTradeNo)).rejects.toMatchObject({
      code: 'response-signature-verify-error',
    });
  });
});

describe('money that counts only once it arrives', () => {
  it('records a payment of another amount as an exception, not a receipt, and moves nothing', async () => {
    const donor = await newDonor();
    const needId = await freshNeed(10_000);
    const { donationId } = await pledge(donor, needId, 4000);
    const short = alipayNotification(donationId, '0.40');
    expect(await postNotification(short)).toEqual({ status: 200, answer: 'success' });
    // Delivered again: still one exception.
    expect(await postNotification(short)).toEqual({ status: 200, answer: 'success' });
    expect(await exceptionFor(short.trade_no as string)).toMatchObject({
      kind: 'amount_mismatch',
      outTradeNo: donationId,
      amountFen: 40,
      donationAmountFen: 4000,
      donationStatus: 'pledged',
    });
    expect(await receiptsFor(donationId)).toEqual([]);
    expect(await donationStatus(donationId)).toBe('pledged');
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 0, heldFen: 4000 });
    const alerts = await loggedEvents('payment_exception', {
      providerTradeNo: short.trade_no,
      kind: 'amount_mismatch',
    });
    expect(alerts.map((alert) => alert.severity)).toEqual(['ERROR']);
    // An order never opened here is one too.
    const stranger = alipayNotification(`T${Date.now()}never`, '1.00');
    expect(await postNotification(stranger)).toEqual({ status: 200, answer: 'success' });
    expect(await exceptionFor(stranger.trade_no as string)).toMatchObject({
      kind: 'unknown_order',
    });
  });

  it('lapses a pledge not paid in time, releasing its hold for another donor; paying it then is an exception', async () => {
    const [first, second] = await Promise.all([newDonor(), newDonor()]);
    const needId = await freshNeed(6000);
    const { donationId: lapsing } = await pledge(first, needId, 6000);
    // The need is fully promised: nobody else may pledge.
    const refused = await call(
      'donate',
      { requestId: newRequestId(), needId, amountFen: 100 },
      second,
    );
    expect(refused.error?.status).toBe('FAILED_PRECONDITION');
    const shown = await call<{ raisedFen: number; heldFen: number; remainingFen: number }>(
      'getPublicNeed',
      { needId },
      second,
    );
    expect(shown.result).toMatchObject({ raisedFen: 0, heldFen: 6000, remainingFen: 0 });

    // 48 hours pass without payment.
    await adminDb()
      .collection(collections.donations)
      .doc(lapsing)
      .update({ payBy: new Date(Date.now() - 1000) });
    const late = await call('startPayment', { donationId: lapsing }, first);
    expect(late.error).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(late.error?.message).toContain('已失效');
    await runSchedule('lapsePledges');
    await idle();
    expect(await donationStatus(lapsing)).toBe('lapsed');
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 0, heldFen: 0 });

    // Another donor takes what it held, and pays.
    const { donationId: taking, status } = await pledge(second, needId, 6000);
    expect(status).toBe('pledged');
    expect(await payPledge(second, taking)).toBe('received');
    expect(await needFigures(needId)).toMatchObject({
      status: 'matched',
      raisedFen: 6000,
      heldFen: 0,
    });

    // Money for the lapsed pledge arriving after all is no receipt of it: an exception for ops.
    const after = alipayNotification(lapsing, '60.00');
    expect(await postNotification(after)).toEqual({ status: 200, answer: 'success' });
    expect(await exceptionFor(after.trade_no as string)).toMatchObject({
      kind: 'not_pledged',
      donationStatus: 'lapsed',
    });
    expect(await donationStatus(lapsing)).toBe('lapsed');
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 6000, heldFen: 0 });
    const mine = await call<{ donations: Array<{ id: string; status: string }> }>(
      'listMyDonations',
      {},
      first,
    );
    expect(mine.result?.donations.find((gift) => gift.id === lapsing)?.status).toBe('lapsed');
  });

  it('finds a payment whose notification never came when the pledge falls due, and receives it once', async () => {
    const donor = await newDonor();
    const needId = await freshNeed(10_000);
    const { donationId } = await pledge(donor, needId, 2500);
    expect(await payPledge(donor, donationId, { notify: false })).toBe('pledged');
    await adminDb()
      .collection(collections.donations)
      .doc(donationId)
      .update({ payBy: new Date(Date.now() - 1000) });
    await runSchedule('lapsePledges');
    await idle();
    expect(await donationStatus(donationId)).toBe('received');
    const order = await sandboxOrder(donationId);
    expect(await receiptsFor(donationId)).toMatchObject([
      { id: order.tradeNo, via: 'query', amountFen: 2500 },
    ]);
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 2500, heldFen: 0 });
    // The notification arrives at last: nothing more.
    const late = await fetch(`${gateway}/sandbox/orders/${donationId}/notify`, { method: 'POST' });
    expect(((await late.json()) as { delivery: { answer: string } }).delivery.answer).toBe(
      'success',
    );
    expect(await receiptsFor(donationId)).toHaveLength(1);
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 2500, acceptedDonations: 1 });
    expect(await exceptionFor(order.tradeNo)).toBeUndefined();
  });

  it('finds by the reconciliation query a payment whose notification never came, before the pledge falls due', async () => {
    const donor = await newDonor();
    const needId = await freshNeed(10_000);
    const { donationId } = await pledge(donor, needId, 1800);
    expect(await payPledge(donor, donationId, { notify: false })).toBe('pledged');
    // Asked about only once Alipay has had time to notify.
    await runSchedule('reconcilePayments');
    expect(await donationStatus(donationId)).toBe('pledged');
    await adminDb()
      .collection(collections.donations)
      .doc(donationId)
      .update({ paymentStartedAt: new Date(Date.now() - 11 * 60_000) });
    await runSchedule('reconcilePayments');
    expect(await donationStatus(donationId)).toBe('received');
    expect(await receiptsFor(donationId)).toMatchObject([{ via: 'query', amountFen: 1800 }]);
    expect(await needFigures(needId)).toMatchObject({ raisedFen: 1800, heldFen: 0 });
  });

  it('never pushes received or held past the target with 50 donors pledging and paying at once', async () => {
    const targetFen = 30_000;
    const needId = await freshNeed(targetFen);
    const donors = await Promise.all(Array.from({ length: 50 }, () => newDonor()));
    const share = Math.ceil((targetFen * 1.5) / 50);
    const violations: string[] = [];
    let done = false;
    const sampling = (async () => {
      while (!done) {
        const { raisedFen, heldFen } = await needFigures(needId);
        if (raisedFen + heldFen > targetFen)
          violations.push(`raised ${raisedFen} + held ${heldFen} past ${targetFen}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const outcomes = await Promise.all(
      donors.map(async (donor) => {
        const made = await call<{ donationId: string }>(
          'donate',
          { requestId: newRequestId(), needId, amountFen: share },
          donor,
        );
        if (!made.result) return made.error?.status;
        return payPledge(donor, made.result.donationId);
      }),
    );
    done = true;
    await sampling;
    await idle();
    const donations = (
      await adminDb().collection(collections.donations).where('needId', '==', needId).get()
    ).docs.map((doc) => ({ status: doc.get('status') as string, amountFen: doc.get('amountFen') }));
    const received = donations.filter((donation) => donation.status === 'received');
    const figures = await needFigures(needId);
    expect(violations).toEqual([]);
    expect(figures.raisedFen).toBe(received.reduce((sum, d) => sum + Number(d.amountFen), 0));
    expect(figures.heldFen).toBe(0);
    expect(figures.raisedFen).toBeLessThanOrEqual(targetFen);
    expect(figures.raisedFen).toBeGreaterThan(targetFen - share);
    expect(figures.acceptedDonations).toBe(received.length);
    expect(donations.every((d) => ['received', 'declined'].includes(d.status))).toBe(true);
    expect(outcomes.filter((outcome) => outcome === 'received')).toHaveLength(received.length);
  });

  it('refunds a paid gift through Alipay: the money goes back, raised goes down, the certificate is revoked', async () => {
    const donor = await newDonor();
    const needId = await freshNeed(5000);
    const { donationId } = await pledge(donor, needId, 5000);
    expect(await payPledge(donor, donationId)).toBe('received');
    expect(await needFigures(needId)).toMatchObject({ status: 'matched', raisedFen: 5000 });
    await idle();
    const serial = (await adminDb().collection(collections.donations).doc(donationId).get()).get(
      'certificateSerial',
    ) as string;
    expect(serial).toMatch(/^FP-/);
    expect((await call<{ status: string }>('verifyCertificate', { serial })).result?.status).toBe(
      'genuine',
    );
    const ops = await signIn('ops@demo.fupin.cn');
    const refund = { requestId: newRequestId(), donationId, reason: 'donation_refunded' };
    expect((await call('refundDonation', refund, ops)).result).toEqual({
      donationId,
      status: 'refunded',
    });
    // A retry of the same refund moves no more money.
    expect((await call('refundDonation', refund, ops)).result).toEqual({
      donationId,
      status: 'refunded',
    });
    await idle();
    const order = await sandboxOrder(donationId);
    expect(order.refunds).toEqual([
      expect.objectContaining({ outRequestNo: donationId, refundAmount: '50.00' }),
    ]);
    expect(await needFigures(needId)).toMatchObject({
      status: 'published',
      raisedFen: 0,
      acceptedDonations: 0,
    });
    expect((await call<{ status: string }>('verifyCertificate', { serial })).result?.status).toBe(
      'revoked',
    );
    const refunded = (await adminDb().collection(collections.donations).doc(donationId).get()).get(
      'providerRefund',
    ) as { refundedFen: number };
    expect(refunded.refundedFen).toBe(5000);
  });

  it('refuses to open a payment for a gift not the donor’s own, or not awaiting payment', async () => {
    const [donor, other] = await Promise.all([newDonor(), newDonor()]);
    const needId = await freshNeed(3000);
    const { donationId } = await pledge(donor, needId, 1000);
    expect((await call('startPayment', { donationId }, other)).error?.status).toBe('NOT_FOUND');
    const opened = await openPledge(donor, donationId);
    // The same order again, until the same pay-by time.
    const again = await openPledge(donor, donationId);
    expect(again.payBy).toBe(opened.payBy);
    expect(opened.payBy).toBeGreaterThan(Date.now() + 47 * 3600_000);
    expect(new URL(opened.payUrl).searchParams.get('return_url')).toMatch(/\/#\/mine$/);
    expect(await payPledge(donor, donationId)).toBe('received');
    const paidAgain = await call('startPayment', { donationId }, donor);
    expect(paidAgain.error?.status).toBe('FAILED_PRECONDITION');
    expect(paidAgain.error?.message).toContain('已到账');
  });

  it('leaves no standing certificate on any donation that was not received or delivered (every donation of the run)', async () => {
    await idle();
    const [donations, certificates, revocations] = await Promise.all([
      adminDb().collection(collections.donations).get(),
      adminDb().collection(collections.certificates).get(),
      adminDb().collection(collections.certificateRevocations).get(),
    ]);
    const revoked = new Set(revocations.docs.map((doc) => doc.id));
    const byId = new Map(donations.docs.map((doc) => [doc.id, doc]));
    const violations: string[] = [];
    for (const certificate of certificates.docs) {
      const donation = byId.get(String(certificate.get('donationId')));
      const earned =
        (donation?.get('kind') === 'money' && donation.get('status') === 'received') ||
        (donation?.get('kind') === 'goods' && donation.get('status') === 'delivered');
      if (!earned && !revoked.has(certificate.id))
        violations.push(`${certificate.id}: ${donation?.get('kind')} ${donation?.get('status')}`);
    }
    for (const donation of donations.docs) {
      const status = donation.get('status');
      if (
        donation.get('kind') === 'money' &&
        ['pending', 'pledged', 'lapsed', 'declined'].includes(status) &&
        donation.get('certificateSerial')
      )
        violations.push(`${donation.id}: ${status} with a certificate`);
    }
    expect(violations).toEqual([]);
    expect(donations.size).toBeGreaterThan(0);
  });
});
