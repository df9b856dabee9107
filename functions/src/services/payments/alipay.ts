/**
 * The Alipay adapter, on the official `alipay-sdk` (v4): the page-pay order is the SDK's signed
 * `pageExecute` URL, notifications are checked by the SDK's `checkNotifySignV2` against Alipay's
 * public key, and query and refund go through the SDK's `curl` (OpenAPI v3), which signs the
 * request with the application's private key and verifies Alipay's signature on every answer.
 * Nothing here signs or verifies by hand. This module loads the SDK (about half a second), so it is
 * imported only when a payment is handled (services/payments/index.ts), never at cold start.
 */
import { createPrivateKey } from 'node:crypto';
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { z } from 'zod';
import {
  PaymentProviderError,
  type CreatedPaymentOrder,
  type NotificationCheck,
  type OrderQueryResult,
  type PaymentOrderRequest,
  type PaymentProvider,
  type RefundResult,
  type TradeStatus,
} from './provider';
import { fenOfYuan, yuanOfFen } from './yuan';

export interface AlipayConfig {
  appId: string;
  /** The application's RSA2 private key: PEM (PKCS#1 or PKCS#8) or the bare base64 Alipay's key tool gives. */
  appPrivateKey: string;
  /** Alipay's public key for this application ("支付宝公钥"), PEM or bare base64. */
  alipayPublicKey: string;
  /** The OpenAPI origin, `https://openapi.alipay.com` in production (the page gateway is its /gateway.do). */
  gateway: string;
  /** The merchant's Alipay user id (2088…); when set, a notification for another seller is refused. */
  sellerId?: string;
}

/** Our order numbers and Alipay's trade numbers: also safe as Firestore document ids. */
const tradeNumber = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

const tradeStatuses: Record<string, TradeStatus> = {
  WAIT_BUYER_PAY: 'waiting',
  TRADE_SUCCESS: 'paid',
  TRADE_FINISHED: 'paid',
  TRADE_CLOSED: 'closed',
};
const tradeStatus = z.string().refine((status) => status in tradeStatuses);
const yuanAmount = z.string().refine((yuan) => fenOfYuan(yuan) !== undefined);
/** Alipay's times: `yyyy-MM-dd HH:mm:ss`, Beijing time. */
const alipayTime = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

/** A page-pay notification as posted: form fields, every value a string. */
const notificationSchema = z.looseObject({
  notify_id: z.string().min(1).max(128),
  app_id: z.string(),
  seller_id: z.string().optional(),
  trade_no: tradeNumber,
  out_trade_no: tradeNumber,
  trade_status: tradeStatus,
  total_amount: yuanAmount,
  gmt_payment: alipayTime.optional(),
  /** Alipay signs this application's notifications with RSA2 (SHA-256); nothing weaker is taken. */
  sign_type: z.literal('RSA2'),
  sign: z.string().min(1),
});

const tradeQueryAnswer = z.looseObject({
  trade_no: tradeNumber,
  out_trade_no: tradeNumber,
  trade_status: tradeStatus,
  total_amount: yuanAmount,
  send_pay_date: alipayTime.optional(),
});

const refundAnswer = z.looseObject({
  trade_no: tradeNumber,
  out_trade_no: tradeNumber,
  refund_fee: yuanAmount,
  fund_change: z.enum(['Y', 'N']),
});

export function beijingTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+08:00`);
}

/** A moment as Alipay writes times: `yyyy-MM-dd HH:mm:ss`, Beijing time. */
export function alipayTimeOf(moment: Date): string {
  return new Date(moment.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The SDK reads PKCS#1 unless told: which one a key is, from its PEM header or its DER. */
export function keyTypeOf(privateKey: string): 'PKCS1' | 'PKCS8' {
  if (privateKey.includes('BEGIN PRIVATE KEY')) return 'PKCS8';
  if (privateKey.includes('BEGIN RSA PRIVATE KEY')) return 'PKCS1';
  try {
    createPrivateKey({
      key: Buffer.from(privateKey.replace(/\s+/g, ''), 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    return 'PKCS8';
  } catch {
    return 'PKCS1';
  }
}

export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  private readonly sdk: AlipaySdk;

  constructor(private readonly config: AlipayConfig) {
    const origin = config.gateway.replace(/\/+$/, '');
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: config.appPrivateKey,
      keyType: keyTypeOf(config.appPrivateKey),
      alipayPublicKey: config.alipayPublicKey,
      signType: 'RSA2',
      gateway: `${origin}/gateway.do`,
      endpoint: origin,
      timeout: 10_000,
    });
  }

  createOrder(order: PaymentOrderRequest): CreatedPaymentOrder {
    tradeNumber.parse(order.outTradeNo);
    const payUrl = this.sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: {
        out_trade_no: order.outTradeNo,
        total_amount: yuanOfFen(order.amountFen),
        subject: order.subject,
        product_code: 'FAST_INSTANT_TRADE_PAY',
        ...(order.expiresAt ? { time_expire: alipayTimeOf(order.expiresAt) } : {}),
      },
      notifyUrl: order.notifyUrl,
      returnUrl: order.returnUrl,
    });
    return { payUrl };
  }

  verifyNotification(fields: unknown): NotificationCheck {
    // Form fields only: a nested value (qs parses `a[b]=c`) is not something Alipay sends.
    const flat = z.record(z.string(), z.string()).safeParse(fields);
    if (!flat.success) return { ok: false, refusal: 'malformed' };
    const parsed = notificationSchema.safeParse(flat.data);
    if (!parsed.success) return { ok: false, refusal: 'malformed' };
    if (!this.sdk.checkNotifySignV2(flat.data)) return { ok: false, refusal: 'bad_signature' };
    const notification = parsed.data;
    if (notification.app_id !== this.config.appId) return { ok: false, refusal: 'wrong_app' };
    if (this.config.sellerId && notification.seller_id !== this.config.sellerId)
      return { ok: false, refusal: 'wrong_seller' };
    const status = tradeStatuses[notification.trade_status] as TradeStatus;
    return {
      ok: true,
      notification: {
        outTradeNo: notification.out_trade_no,
        providerTradeNo: notification.trade_no,
        amountFen: fenOfYuan(notification.total_amount) as number,
        status,
        ...(status === 'paid' && notification.gmt_payment
          ? { paidAt: beijingTime(notification.gmt_payment) }
          : {}),
        notificationId: notification.notify_id,
      },
    };
  }

  async queryOrder(outTradeNo: string): Promise<OrderQueryResult> {
    tradeNumber.parse(outTradeNo);
    const data = await this.call('/v3/alipay/trade/query', { out_trade_no: outTradeNo }, [
      'ACQ.TRADE_NOT_EXIST',
    ]);
    if (data === undefined) return { found: false };
    const answer = tradeQueryAnswer.safeParse(data);
    if (!answer.success) throw new PaymentProviderError('malformed_answer');
    const status = tradeStatuses[answer.data.trade_status] as TradeStatus;
    return {
      found: true,
      outTradeNo: answer.data.out_trade_no,
      providerTradeNo: answer.data.trade_no,
      amountFen: fenOfYuan(answer.data.total_amount) as number,
      status,
      ...(status === 'paid' && answer.data.send_pay_date
        ? { paidAt: beijingTime(answer.data.send_pay_date) }
        : {}),
    };
  }

  async refund(
    outTradeNo: string,
    amountFen: number,
    refundRequestNo: string,
  ): Promise<RefundResult> {
    tradeNumber.parse(outTradeNo);
    tradeNumber.parse(refundRequestNo);
    const data = await this.call('/v3/alipay/trade/refund', {
      out_trade_no: outTradeNo,
      refund_amount: yuanOfFen(amountFen),
      out_request_no: refundRequestNo,
    });
    const answer = refundAnswer.safeParse(data);
    if (!answer.success) throw new PaymentProviderError('malformed_answer');
    return {
      outTradeNo: answer.data.out_trade_no,
      providerTradeNo: answer.data.trade_no,
      refundedFen: fenOfYuan(answer.data.refund_fee) as number,
      moneyMoved: answer.data.fund_change === 'Y',
    };
  }

  /**
   * One OpenAPI v3 call; the SDK has verified Alipay's signature on the answer before it returns.
   * A business refusal whose code is in `absentCodes` reads as undefined; any other refusal or
   * failure becomes a PaymentProviderError carrying Alipay's code only (its message may quote
   * the request).
   */
  private async call(
    path: string,
    body: Record<string, string>,
    absentCodes: string[] = [],
  ): Promise<unknown> {
    try {
      return (await this.sdk.curl('POST', path, { body })).data;
    } catch (error) {
      if (error instanceof AlipayRequestError) {
        if (error.code && absentCodes.includes(error.code)) return undefined;
        throw new PaymentProviderError(error.code ?? 'request_failed', error.responseHttpStatus);
      }
      throw error;
    }
  }
}
