import { onRequest } from 'firebase-functions/v2/https';
import { logs } from '../logs';
import { alipayAppPrivateKey } from '../params';
import { paymentProvider } from '../services/payments';
import { receivePayment } from '../services/payments/receive';

/**
 * Alipay's asynchronous payment notification (异步通知), posted as form fields to the notify_url
 * an order named. Alipay stops re-delivering only when the answer is the bare text `success`, and
 * re-delivers a notification up to eight times over a day: so a notification that is refused
 * (not signed by Alipay's key, altered after signing, for another application or seller) answers
 * `fail` and writes nothing, and a proven payment answers `success` whether it was recorded now or
 * by an earlier delivery. Second delivery: the receipt is keyed by Alipay's trade_no and written
 * with `create()`, so five deliveries make one receipt; a failure to write answers 500 and Alipay
 * delivers again.
 *
 * A proven payment is taken by services/payments/receive.ts: the pledge whose order it is moves
 * to received with the need's figures and the receipt, in one conditional batch; a payment of
 * another amount, or for a pledge no longer waiting or an order never opened, is recorded as an
 * exception (ERROR log) and moves nothing.
 */
export const alipayNotify = onRequest(
  { cors: false, secrets: [alipayAppPrivateKey] },
  async (request, response) => {
    if (request.method !== 'POST') {
      response.status(405).type('text/plain').send('fail');
      return;
    }
    try {
      const provider = await paymentProvider();
      const fields: unknown = request.body;
      const check = provider.verifyNotification(fields);
      if (!check.ok) {
        const claimed = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<
          string,
          unknown
        >;
        logs.paymentNotificationRefused(provider.name, check.refusal, {
          outTradeNo: claimed.out_trade_no,
          providerTradeNo: claimed.trade_no,
          notificationId: claimed.notify_id,
        });
        response.status(400).type('text/plain').send('fail');
        return;
      }
      const { notification } = check;
      if (notification.status !== 'paid') {
        // A trade that waits or closed unpaid is no receipt; Alipay is told it was heard.
        logs.paymentNotificationNotPaid(
          provider.name,
          notification.providerTradeNo,
          notification.status,
        );
        response.status(200).type('text/plain').send('success');
        return;
      }
      const taken = await receivePayment({
        provider: provider.name,
        outTradeNo: notification.outTradeNo,
        providerTradeNo: notification.providerTradeNo,
        amountFen: notification.amountFen,
        ...(notification.paidAt ? { paidAt: notification.paidAt } : {}),
        via: 'notification',
        notificationId: notification.notificationId,
      });
      if (taken.outcome === 'repeated')
        logs.paymentNotificationRepeated(provider.name, notification.providerTradeNo);
      // An exception was proven by Alipay all the same: it is recorded (and alerted), and Alipay
      // is told it was heard so that it stops re-sending.
      response.status(200).type('text/plain').send('success');
    } catch (error) {
      logs.paymentNotificationFailed('alipay', error);
      response.status(500).type('text/plain').send('fail');
    }
  },
);
