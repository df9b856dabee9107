import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { AlipayProvider, beijingTime, keyTypeOf } from './alipay';

/**
 * The adapter with keys in the shapes a deployment pastes in: Alipay's key tool gives the
 * application's private key as bare PKCS#8 base64 and shows Alipay's public key as bare base64.
 * The notifications are signed here as Alipay signs them (every field but sign and sign_type,
 * sorted, RSA-SHA256); the platform test runs the same against the local sandbox.
 */
const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
const app = pair();
const alipay = pair();
const pem = (der: Buffer, label: string) =>
  `-----BEGIN ${label}-----\n${der.toString('base64')}\n-----END ${label}-----`;

const config = {
  appId: '2021000000000001',
  sellerId: '2088000000000001',
  appPrivateKey: app.privateKey.toString('base64'),
  alipayPublicKey: alipay.publicKey.toString('base64'),
  gateway: 'https://openapi.alipay.com',
};
const provider = new AlipayProvider(config);

function alipaySigned(fields: Record<string, string>, key = pem(alipay.privateKey, 'PRIVATE KEY')) {
  const content = Object.keys(fields)
    .filter((name) => name !== 'sign' && name !== 'sign_type')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
  return {
    ...fields,
    sign_type: 'RSA2',
    sign: createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64'),
  };
}

const paid = {
  notify_time: '2026-11-30 20:00:05',
  notify_type: 'trade_status_sync',
  notify_id: 'ac05099524730693a8b330c5ecf72da9786',
  charset: 'utf-8',
  version: '1.0',
  app_id: config.appId,
  seller_id: config.sellerId,
  trade_no: '2026113022001412345678901234',
  out_trade_no: 'D20261130abc',
  trade_status: 'TRADE_SUCCESS',
  total_amount: '30.00',
  subject: '爱心捐款 + 测试 & 符号 = %',
  gmt_payment: '2026-11-30 20:00:04',
};

test('a notification Alipay signed for this application and seller is believed, in fen', () => {
  expect(provider.verifyNotification(alipaySigned(paid))).toEqual({
    ok: true,
    notification: {
      outTradeNo: 'D20261130abc',
      providerTradeNo: '2026113022001412345678901234',
      amountFen: 3000,
      status: 'paid',
      paidAt: new Date('2026-11-30T12:00:04Z'),
      notificationId: paid.notify_id,
    },
  });
});

test.each([
  ['TRADE_FINISHED', 'paid'],
  ['WAIT_BUYER_PAY', 'waiting'],
  ['TRADE_CLOSED', 'closed'],
])('trade status %s reads as %s', (trade_status, status) => {
  const check = provider.verifyNotification(alipaySigned({ ...paid, trade_status }));
  expect(check).toMatchObject({ ok: true, notification: { status } });
});

test.each([
  [
    'another key',
    alipaySigned({ ...paid, total_amount: '3000.00' }, pem(app.privateKey, 'PRIVATE KEY')),
    'bad_signature',
  ],
  [
    'an amount changed after signing',
    { ...alipaySigned(paid), total_amount: '0.01' },
    'bad_signature',
  ],
  ['a field added after signing', { ...alipaySigned(paid), passback_params: 'x' }, 'bad_signature'],
  ['another application', alipaySigned({ ...paid, app_id: '2021000000000002' }), 'wrong_app'],
  ['another seller', alipaySigned({ ...paid, seller_id: '2088000000000002' }), 'wrong_seller'],
  [
    'an amount that is not whole fen',
    alipaySigned({ ...paid, total_amount: '30.001' }),
    'malformed',
  ],
  ['an unknown trade status', alipaySigned({ ...paid, trade_status: 'PAID' }), 'malformed'],
  [
    'a trade number unfit for a document id',
    alipaySigned({ ...paid, trade_no: 'a/b' }),
    'malformed',
  ],
  ['SHA-1 signing', { ...alipaySigned(paid), sign_type: 'RSA' }, 'malformed'],
  ['no signature', (({ sign: _sign, ...rest }) => rest)(alipaySigned(paid)), 'malformed'],
  ['a nested field', { ...alipaySigned(paid), extra: { a: '1' } }, 'malformed'],
  ['no body', undefined, 'malformed'],
])('a notification with %s is refused', (_case, fields, refusal) => {
  expect(provider.verifyNotification(fields)).toEqual({ ok: false, refusal });
});

test('the pay URL is a GET of the page gateway, signed with the application key over what it carries', () => {
  const { payUrl } = provider.createOrder({
    outTradeNo: 'D20261130abc',
    amountFen: 12345,
    subject: '爱心捐款',
    notifyUrl: 'https://asia-east2-fupin.cloudfunctions.net/alipayNotify',
    returnUrl: 'https://fupin.web.app/#/mine',
  });
  const url = new URL(payUrl);
  expect(`${url.origin}${url.pathname}`).toBe('https://openapi.alipay.com/gateway.do');
  const fields = Object.fromEntries(url.searchParams);
  expect(fields).toMatchObject({
    method: 'alipay.trade.page.pay',
    app_id: config.appId,
    sign_type: 'RSA2',
    notify_url: 'https://asia-east2-fupin.cloudfunctions.net/alipayNotify',
  });
  expect(JSON.parse(fields.biz_content as string)).toEqual({
    out_trade_no: 'D20261130abc',
    total_amount: '123.45',
    subject: '爱心捐款',
    product_code: 'FAST_INSTANT_TRADE_PAY',
  });
  const { sign, ...signed } = fields;
  const content = Object.keys(signed)
    .sort()
    .map((name) => `${name}=${signed[name]}`)
    .join('&');
  expect(
    createVerify('RSA-SHA256')
      .update(content, 'utf8')
      .verify(pem(app.publicKey, 'PUBLIC KEY'), sign as string, 'base64'),
  ).toBe(true);
});

test('an order number unfit for Alipay or a document id, or an amount not whole fen, is refused', () => {
  const order = { subject: 's', notifyUrl: 'https://n', returnUrl: 'https://r' };
  expect(() => provider.createOrder({ ...order, outTradeNo: 'a/b', amountFen: 100 })).toThrow();
  expect(() => provider.createOrder({ ...order, outTradeNo: 'ab', amountFen: 1.5 })).toThrow(
    RangeError,
  );
});

test.each([
  [pem(app.privateKey, 'PRIVATE KEY'), 'PKCS8'],
  [app.privateKey.toString('base64'), 'PKCS8'],
  [
    generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey,
    'PKCS1',
  ],
])('key %#: %s', (key, type) => {
  expect(keyTypeOf(key)).toBe(type);
});

test("Alipay's times are Beijing time", () => {
  expect(beijingTime('2026-01-01 07:59:59').toISOString()).toBe('2025-12-31T23:59:59.000Z');
});
