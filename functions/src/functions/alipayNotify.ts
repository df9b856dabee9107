import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { onRequest } from 'firebase-functions/v2/https';
import { paymentReceipts } from '../data/payments';
import { logs } from '../logs';
import { alipayAppPrivateKey } from '../params';
import { isAlreadyExists } from '../services/db';
import { paymentProvider } from '../services/payments';

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
 * This first increment only records the receipt. The next one moves the donation whose order
 * this is from pledged to received (and checks the amount against the order), in the same
 * transaction as the receipt.
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
      try {
        await paymentReceipts()
          .doc(notification.providerTradeNo)
          .create({
            provider: provider.name,
            outTradeNo: notification.outTradeNo,
            providerTradeNo: notification.providerTradeNo,
            amountFen: notification.amountFen,
            paidAt: notification.paidAt
              ? Timestamp.fromDate(notification.paidAt)
              : FieldValue.serverTimestamp(),
            receivedAt: FieldValue.serverTimestamp(),
            notificationId: notification.notificationId,
          });
        logs.paymentReceived(
          provider.name,
          notification.providerTradeNo,
          notification.outTradeNo,
          notification.amountFen,
        );
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        logs.paymentNotificationRepeated(provider.name, notification.providerTradeNo);
      }
      response.status(200).type('text/plain').send('success');
    } catch (error) {
      logs.paymentNotificationFailed('alipay', error);
      response.status(500).type('text/plain').send('fail');
    }
  },
);
