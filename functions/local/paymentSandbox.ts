/**
 * The local platform's stand-in for Alipay, as the Auth emulator stands in for Auth: it speaks
 * Alipay's protocol for what the platform uses, with RSA2 keys of its own made on the first start
 * and kept in the data folder, so the production adapter (functions/src/services/payments/alipay.ts)
 * runs against it unchanged and verifies what it sends with the same code as in production.
 *
 * - `GET|POST /gateway.do?method=alipay.trade.page.pay…`: the signed page-pay order the adapter's
 *   `createOrder` builds (its signature checked with the application's public key); it answers a
 *   small cashier page where the donor clicks 确认支付 or 取消.
 * - `POST /sandbox/orders/{outTradeNo}/pay`: 确认支付. The trade becomes TRADE_SUCCESS, the
 *   asynchronous notification is signed with the sandbox's "Alipay" private key and posted to the
 *   order's notify_url, and the browser is sent back to return_url. `notify=skip` (a form field or
 *   query parameter) pays without notifying: the lost notification a reconciliation must find.
 * - `POST /sandbox/orders/{outTradeNo}/cancel`: 取消, the buyer leaving the cashier; the trade stays
 *   open, as at Alipay. `POST /sandbox/orders/{outTradeNo}/close` (tests): closed unpaid.
 * - `POST /sandbox/orders/{outTradeNo}/notify`: delivers the stored notification again, as Alipay
 *   does until it hears `success`. `GET /sandbox/orders/{outTradeNo}`: the order as the sandbox
 *   holds it, with the notification it signed and every delivery's answer (for tests).
 * - `POST /v3/alipay/trade/query` and `/v3/alipay/trade/refund`: OpenAPI v3 calls, the request's
 *   signature checked, the answer signed in the alipay-signature headers the SDK verifies.
 *
 * An order's `time_expire` (the pledge's pay-by time) closes it unpaid once passed, as Alipay does.
 * It is not Alipay: no buyer accounts, no balance, no money, no other timeouts, no retries on its own, no notification for refunds, no certificate mode. Loopback only, like the
 * rest of the local platform.
 */
import { createSign, generateKeyPairSync, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import type { AlipaySdk } from 'alipay-sdk';
import { fenOfYuan, yuanOfFen } from '../src/services/payments/yuan';

/** The sandbox's identities and keys: the application's pair and "Alipay's" pair. */
export interface SandboxKeys {
  appId: string;
  sellerId: string;
  /** PKCS#1 PEM, as the functions host is given it (ALIPAY_APP_PRIVATE_KEY). */
  appPrivateKey: string;
  appPublicKey: string;
  /** Signs notifications and answers; never leaves the sandbox except to tests. */
  alipayPrivateKey: string;
  /** SPKI PEM, as the functions host is given it (ALIPAY_PUBLIC_KEY). */
  alipayPublicKey: string;
}

export interface SandboxDelivery {
  at: string;
  httpStatus: number;
  /** The first characters of the answer: Alipay stops only on exactly `success`. */
  answer: string;
}

export interface SandboxOrder {
  outTradeNo: string;
  tradeNo: string;
  totalAmount: string;
  subject: string;
  notifyUrl?: string;
  returnUrl?: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  gmtCreate: string;
  /** `yyyy-MM-dd HH:mm:ss` Beijing time: unpaid past it, the trade closes. */
  timeExpire?: string;
  gmtPayment?: string;
  refunds: Array<{ outRequestNo: string; refundAmount: string; gmtRefund: string }>;
  /** The signed notification, once paid: re-sent as it is. */
  notification?: Record<string, string>;
  deliveries: SandboxDelivery[];
}

export interface PaymentSandbox {
  /** The gateway origin: what ALIPAY_GATEWAY is set to. */
  url: string;
  keys: SandboxKeys;
  stop(): Promise<void>;
}

/** The sandbox's files under the platform's data folder. */
export const sandboxDir = (dataDir: string): string => join(dataDir, 'paymentSandbox');

/** The keys of the sandbox in `dataDir`, made on the first start and kept. */
export function sandboxKeys(dataDir: string): SandboxKeys {
  const dir = sandboxDir(dataDir);
  const file = join(dir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SandboxKeys;
  mkdirSync(dir, { recursive: true });
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
  const app = pair();
  const alipay = pair();
  const keys: SandboxKeys = {
    // Alipay's sandbox application ids begin 9021…, its user ids 2088….
    appId: `9021${String(randomInt(1e11)).padStart(12, '0')}`,
    sellerId: `2088${String(randomInt(1e11)).padStart(12, '0')}`,
    appPrivateKey: app.privateKey,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
  };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/**
 * Alipay's notification signature: every field but `sign` and `sign_type`, sorted by name,
 * `name=value` joined by `&`, RSA-SHA256 with Alipay's private key. (This is the provider's side;
 * the platform verifies with the SDK.) Exported so tests can re-sign a forged notification.
 */
export function signNotification(
  fields: Record<string, string>,
  privateKey: string,
): Record<string, string> {
  const content = Object.keys(fields)
    .filter((key) => key !== 'sign' && key !== 'sign_type' && fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
  const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
  return { ...fields, sign_type: 'RSA2', sign };
}

/** `yyyy-MM-dd HH:mm:ss`, Beijing time, as Alipay writes times. */
export function alipayTimeOf(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · 支付宝（本地沙箱）</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}
.note{background:#fff7e6;border:1px solid #ffd591;padding:.5rem .75rem;font-size:.9rem}
.amount{font-size:2rem;color:#1677ff}button{font-size:1.1rem;padding:.5rem 1.5rem;margin:.25rem}
form{display:inline}</style></head><body>
<p class="note">本地支付沙箱：模拟支付宝，不会真实扣款。(local payment sandbox: no money moves)</p>
${body}</body></html>`;
}

const tradeNumber = /^[0-9A-Za-z_-]{1,64}$/;

export async function startPaymentSandbox(options: {
  dataDir: string;
  port: number;
  /** Address to bind. */
  host: string;
  /** Origin clients reach the sandbox at (the gateway URL the functions are given). */
  origin: string;
  /** Identifies this run in `/sandbox/health`, for the platform's readiness check. */
  instance?: string;
  log?: (line: string) => void;
}): Promise<PaymentSandbox> {
  const log = options.log ?? (() => undefined);
  const keys = sandboxKeys(options.dataDir);
  const ordersFile = join(sandboxDir(options.dataDir), 'orders.json');
  const orders = new Map<string, SandboxOrder>(
    existsSync(ordersFile)
      ? (JSON.parse(readFileSync(ordersFile, 'utf8')) as SandboxOrder[]).map((order) => [
          order.outTradeNo,
          order,
        ])
      : [],
  );
  const save = () => writeFileSync(ordersFile, JSON.stringify([...orders.values()], null, 2));

  // The SDK from Alipay's side: its "Alipay public key" is the application's, so its checks
  // verify what the application signed.
  const { AlipaySdk } = await import('alipay-sdk');
  const asAlipay: AlipaySdk = new AlipaySdk({
    appId: keys.appId,
    privateKey: keys.alipayPrivateKey,
    alipayPublicKey: keys.appPublicKey,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false }));

  const errorPage = (response: Response, status: number, code: string, message: string) => {
    response
      .status(status)
      .type('html')
      .send(page('错误', `<h1>支付请求有误</h1><p>${escapeHtml(message)}</p><p>${code}</p>`));
  };

  app.all('/gateway.do', (request: Request, response: Response) => {
    const fields: Record<string, string> = {};
    for (const source of [request.query, request.body ?? {}])
      for (const [key, value] of Object.entries(source as Record<string, unknown>))
        if (typeof value === 'string') fields[key] = value;
    if (fields.method !== 'alipay.trade.page.pay' && fields.method !== 'alipay.trade.wap.pay')
      return errorPage(response, 400, 'INVALID_METHOD', '不支持的接口');
    if (fields.app_id !== keys.appId)
      return errorPage(response, 400, 'ILLEGAL_APP_ID', '应用 ID 不存在');
    if (!asAlipay.checkNotifySignV2(fields))
      return errorPage(response, 400, 'INVALID_SIGNATURE', '验签出错，请确认应用私钥与公钥匹配');
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(fields.biz_content ?? '') as Record<string, unknown>;
    } catch {
      return errorPage(response, 400, 'INVALID_PARAMETER', 'biz_content 不是 JSON');
    }
    const outTradeNo = String(biz.out_trade_no ?? '');
    const totalAmount = String(biz.total_amount ?? '');
    const fen = fenOfYuan(totalAmount);
    if (!tradeNumber.test(outTradeNo) || fen === undefined || fen < 1)
      return errorPage(response, 400, 'INVALID_PARAMETER', '订单号或金额无效');
    let order = orders.get(outTradeNo);
    if (order) closeIfExpired(order);
    if (order && fenOfYuan(order.totalAmount) !== fen)
      return errorPage(response, 400, 'TRADE_DATA_MATCH_ERROR', '交易信息被篡改：金额与原订单不符');
    if (order && order.status !== 'WAIT_BUYER_PAY')
      return errorPage(
        response,
        400,
        'TRADE_HAS_CLOSE_OR_SUCCESS',
        order.status === 'TRADE_SUCCESS' ? '该订单已支付' : '该订单已关闭',
      );
    const now = new Date();
    order ??= {
      outTradeNo,
      tradeNo: `${alipayTimeOf(now).slice(0, 10).replaceAll('-', '')}22001${String(randomInt(1e11)).padStart(11, '0')}`,
      totalAmount: yuanOfFen(fen),
      subject: String(biz.subject ?? ''),
      status: 'WAIT_BUYER_PAY',
      gmtCreate: alipayTimeOf(now),
      refunds: [],
      deliveries: [],
      ...(typeof biz.time_expire === 'string' ? { timeExpire: biz.time_expire } : {}),
    };
    order.notifyUrl = fields.notify_url || undefined;
    order.returnUrl = fields.return_url || undefined;
    orders.set(outTradeNo, order);
    save();
    const action = `/sandbox/orders/${encodeURIComponent(outTradeNo)}`;
    response
      .type('html')
      .send(
        page(
          '收银台',
          `<h1>支付宝收银台</h1><p>${escapeHtml(order.subject)}</p>` +
            `<p class="amount">¥${escapeHtml(order.totalAmount)}</p>` +
            `<p>订单号 ${escapeHtml(outTradeNo)}</p>` +
            `<form method="post" action="${action}/pay"><button type="submit" data-testid="sandbox-pay">确认支付</button></form>` +
            `<form method="post" action="${action}/cancel"><button type="submit" data-testid="sandbox-cancel">取消</button></form>`,
        ),
      );
  });

  const deliver = async (order: SandboxOrder): Promise<SandboxDelivery | undefined> => {
    if (!order.notifyUrl || !order.notification) return undefined;
    let delivery: SandboxDelivery;
    try {
      const answer = await fetch(order.notifyUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(order.notification).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      delivery = {
        at: new Date().toISOString(),
        httpStatus: answer.status,
        answer: (await answer.text()).slice(0, 100),
      };
    } catch (error) {
      delivery = { at: new Date().toISOString(), httpStatus: 0, answer: String(error) };
    }
    order.deliveries.push(delivery);
    save();
    if (delivery.answer !== 'success')
      log(`payment sandbox: ${order.outTradeNo} notification answered ${delivery.httpStatus}\n`);
    return delivery;
  };

  const closeIfExpired = (order: SandboxOrder) => {
    if (
      order.status === 'WAIT_BUYER_PAY' &&
      order.timeExpire &&
      Date.now() > new Date(`${order.timeExpire.replace(' ', 'T')}+08:00`).getTime()
    ) {
      order.status = 'TRADE_CLOSED';
      save();
    }
  };

  const orderOf = (request: Request) => orders.get(String(request.params.outTradeNo ?? ''));

  app.post('/sandbox/orders/:outTradeNo/pay', async (request, response) => {
    const order = orderOf(request);
    if (!order) return errorPage(response, 404, 'TRADE_NOT_EXIST', '交易不存在');
    closeIfExpired(order);
    if (order.status !== 'WAIT_BUYER_PAY')
      return errorPage(response, 409, 'TRADE_STATUS_ERROR', '该订单已支付或已关闭');
    const now = alipayTimeOf(new Date());
    order.status = 'TRADE_SUCCESS';
    order.gmtPayment = now;
    order.notification = signNotification(
      {
        notify_time: now,
        notify_type: 'trade_status_sync',
        notify_id: randomUUID().replaceAll('-', ''),
        charset: 'utf-8',
        version: '1.0',
        app_id: keys.appId,
        auth_app_id: keys.appId,
        trade_no: order.tradeNo,
        out_trade_no: order.outTradeNo,
        buyer_id: '2088102177846880',
        buyer_logon_id: 'don***@sandbox.com',
        seller_id: keys.sellerId,
        trade_status: 'TRADE_SUCCESS',
        total_amount: order.totalAmount,
        receipt_amount: order.totalAmount,
        invoice_amount: order.totalAmount,
        buyer_pay_amount: order.totalAmount,
        point_amount: '0.00',
        subject: order.subject,
        gmt_create: order.gmtCreate,
        gmt_payment: now,
        fund_bill_list: JSON.stringify([
          { amount: order.totalAmount, fundChannel: 'ALIPAYACCOUNT' },
        ]),
      },
      keys.alipayPrivateKey,
    );
    save();
    const skip = request.query.notify === 'skip' || request.body?.notify === 'skip';
    if (!skip) await deliver(order);
    if (!order.returnUrl) return response.type('html').send(page('支付成功', '<h1>支付成功</h1>'));
    // The synchronous return, signed like Alipay's (the platform trusts only the notification).
    const back = new URL(order.returnUrl);
    const returned = signNotification(
      {
        charset: 'utf-8',
        out_trade_no: order.outTradeNo,
        method: 'alipay.trade.page.pay.return',
        total_amount: order.totalAmount,
        trade_no: order.tradeNo,
        auth_app_id: keys.appId,
        version: '1.0',
        app_id: keys.appId,
        seller_id: keys.sellerId,
        timestamp: now,
      },
      keys.alipayPrivateKey,
    );
    for (const [key, value] of Object.entries(returned)) back.searchParams.set(key, value);
    response.redirect(303, back.toString());
  });

  // 取消 is the buyer leaving the cashier: as at Alipay, the trade stays open until its
  // time_expire, so the donor can come back and pay the same pledge (the same out_trade_no).
  app.post('/sandbox/orders/:outTradeNo/cancel', (request, response) => {
    const order = orderOf(request);
    if (!order) return errorPage(response, 404, 'TRADE_NOT_EXIST', '交易不存在');
    const back = order.returnUrl
      ? `<p><a href="${escapeHtml(order.returnUrl)}">返回商户页面</a></p>`
      : '';
    response
      .type('html')
      .send(
        page(
          '未支付',
          `<h1>未支付</h1><p>订单仍然有效，可在期限前回到“我的捐助”继续支付。</p>${back}`,
        ),
      );
  });

  // For tests: the trade closed unpaid, as alipay.trade.close or the expiry closes it.
  app.post('/sandbox/orders/:outTradeNo/close', (request, response) => {
    const order = orderOf(request);
    if (!order) return response.status(404).json({ error: 'no such order' });
    if (order.status === 'WAIT_BUYER_PAY') {
      order.status = 'TRADE_CLOSED';
      save();
    }
    response.json({ status: order.status });
  });

  app.post('/sandbox/orders/:outTradeNo/notify', async (request, response) => {
    const order = orderOf(request);
    if (!order?.notification) return response.status(404).json({ error: 'no notification' });
    response.json({ delivery: await deliver(order) });
  });

  app.get('/sandbox/health', (_request, response) => {
    response.json({ ok: true, instance: options.instance });
  });

  app.get('/sandbox/orders/:outTradeNo', (request, response) => {
    const order = orderOf(request);
    if (!order) return response.status(404).json({ error: 'no such order' });
    response.json(order);
  });

  const signedAnswer = (response: Response, data: unknown) => {
    const body = JSON.stringify(data);
    const timestamp = String(Date.now());
    const nonce = randomUUID();
    const signature = createSign('RSA-SHA256')
      .update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8')
      .sign(keys.alipayPrivateKey, 'base64');
    response
      .status(200)
      .set({
        'content-type': 'application/json; charset=utf-8',
        'alipay-timestamp': timestamp,
        'alipay-nonce': nonce,
        'alipay-signature': signature,
        'alipay-trace-id': randomUUID().replaceAll('-', ''),
      })
      .send(body);
  };
  const refusal = (response: Response, status: number, code: string, message: string) =>
    response.status(status).json({ code, message });

  app.post('/v3/alipay/trade/:action', express.text({ type: '*/*' }), (request, response) => {
    // Authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…
    const authorization = request.get('authorization') ?? '';
    const prefix = 'ALIPAY-SHA256withRSA ';
    const signAt = authorization.lastIndexOf(',sign=');
    if (!authorization.startsWith(prefix) || signAt < 0)
      return refusal(response, 401, 'invalid-auth', '缺少签名');
    const authString = authorization.slice(prefix.length, signAt);
    const signature = authorization.slice(signAt + ',sign='.length);
    const body = typeof request.body === 'string' ? request.body : '';
    const signed = `${authString}\n${request.method}\n${request.originalUrl}\n${body}\n`;
    const auth = new Map(
      authString
        .split(',')
        .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]),
    );
    if (auth.get('app_id') !== keys.appId)
      return refusal(response, 401, 'invalid-app-id', '应用 ID 不存在');
    if (!asAlipay.rsaCheck(signed, signature, 'RSA2'))
      return refusal(response, 401, 'invalid-signature', '验签出错');
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return refusal(response, 400, 'INVALID_PARAMETER', '请求不是 JSON');
    }
    const order = orders.get(String(input.out_trade_no ?? ''));
    if (!order) return refusal(response, 400, 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    closeIfExpired(order);
    const refundedFen = () =>
      order.refunds.reduce((sum, refund) => sum + (fenOfYuan(refund.refundAmount) ?? 0), 0);

    if (request.params.action === 'query') {
      return signedAnswer(response, {
        trade_no: order.tradeNo,
        out_trade_no: order.outTradeNo,
        buyer_logon_id: 'don***@sandbox.com',
        trade_status: order.status,
        total_amount: order.totalAmount,
        ...(order.gmtPayment ? { send_pay_date: order.gmtPayment } : {}),
      });
    }
    if (request.params.action === 'refund') {
      const outRequestNo = String(input.out_request_no ?? '');
      const amount = fenOfYuan(String(input.refund_amount ?? ''));
      if (!tradeNumber.test(outRequestNo) || amount === undefined || amount < 1)
        return refusal(response, 400, 'ACQ.INVALID_PARAMETER', '退款请求号或金额无效');
      const answer = (fundChange: 'Y' | 'N', gmtRefund: string) =>
        signedAnswer(response, {
          trade_no: order.tradeNo,
          out_trade_no: order.outTradeNo,
          buyer_logon_id: 'don***@sandbox.com',
          refund_fee: yuanOfFen(refundedFen()),
          fund_change: fundChange,
          gmt_refund_pay: gmtRefund,
        });
      const earlier = order.refunds.find((refund) => refund.outRequestNo === outRequestNo);
      if (earlier) return answer('N', earlier.gmtRefund);
      if (order.status !== 'TRADE_SUCCESS')
        return refusal(response, 400, 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      const totalFen = fenOfYuan(order.totalAmount) ?? 0;
      if (refundedFen() + amount > totalFen)
        return refusal(response, 400, 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
      const gmtRefund = alipayTimeOf(new Date());
      order.refunds.push({ outRequestNo, refundAmount: yuanOfFen(amount), gmtRefund });
      if (refundedFen() === totalFen) order.status = 'TRADE_CLOSED';
      save();
      return answer('Y', gmtRefund);
    }
    return refusal(response, 404, 'not-found', '接口不存在');
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host, () => resolve(listening));
    listening.on('error', reject);
  });
  return {
    url: options.origin,
    keys,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}
