/**
 * Online payment, first part: the production Alipay adapter against the local platform's payment
 * sandbox, and the alipayNotify function on the running functions host. A donor's payment is a
 * signed notification that makes exactly one receipt however often it comes; anything not signed
 * by "Alipay" for this application and seller, or altered after signing, is refused and writes
 * nothing; an order whose notification was lost is found by asking the provider; refunds answer
 * once per request number.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
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
import { adminDb, functionLogs, projectId, region } from '../support/platform';

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

const otherKey = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });

describe('Alipay payment through the local sandbox', () => {
  it('a paid order makes one receipt, and the same notification five times more still one', async () => {
    const outTradeNo = await openOrder(3000);
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
    });
    const paidAt = (receipt as unknown as { paidAt: FirebaseFirestore.Timestamp }).paidAt;
    expect(paidAt.toMillis()).toBe(beijingTime(order.gmtPayment as string).getTime());
    const receivedAt = (receipt as unknown as { receivedAt: FirebaseFirestore.Timestamp })
      .receivedAt;

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
  });

  it('refuses forged, altered and misdirected notifications, writing nothing, and then takes the true one', async () => {
    const outTradeNo = await openOrder(5000);
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

    // The genuine notification, unaltered, is taken: the refusals were for the alterations.
    expect(await postNotification(genuine)).toEqual({ status: 200, answer: 'success' });
    expect(await receiptsFor(outTradeNo)).toMatchObject([{ amountFen: 5000, id: order.tradeNo }]);
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
    const cancelled = await openOrder(100);
    await fetch(`${gateway}/sandbox/orders/${cancelled}/cancel`, { method: 'POST' });
    expect(await alipay.queryOrder(cancelled)).toMatchObject({ found: true, status: 'closed' });
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
