import { Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { donationDocs } from '../data/money';
import { logs } from '../logs';
import { alipayAppPrivateKey } from '../params';
import { paymentProvider } from '../services/payments';
import { receivePayment } from '../services/payments/receive';

/** Alipay notifies within seconds: an order opened this long ago and still unpaid here is asked. */
const quietMs = 10 * 60_000;

/** One run's share, oldest orders first; the rest wait for the next run. */
const maxPerRun = 100;

/**
 * The reconciliation query for payments whose notification never came (lost, or refused by an
 * outage of ours): every pledge whose Alipay order was opened more than ten minutes ago and is
 * still pledged is asked about at Alipay, and one found paid is received — the same receipt and
 * move a notification makes (services/payments/receive.ts), so a notification arriving later
 * changes nothing. Pledges past their time are lapsePledges' (which asks too).
 */
export const reconcilePayments = onSchedule(
  {
    schedule: 'every 30 minutes',
    timeoutSeconds: 300,
    retryCount: 0,
    secrets: [alipayAppPrivateKey],
  },
  async () => {
    const waiting = await donationDocs()
      .where('kind', '==', 'money')
      .where('status', '==', 'pledged')
      .where('paymentStartedAt', '<=', Timestamp.fromMillis(Date.now() - quietMs))
      .orderBy('paymentStartedAt')
      .limit(maxPerRun)
      .get();
    let received = 0;
    let failed = 0;
    for (const doc of waiting.docs) {
      try {
        const provider = await paymentProvider();
        const order = await provider.queryOrder(doc.id);
        if (!order.found || order.status !== 'paid') continue;
        const taken = await receivePayment({
          provider: provider.name,
          outTradeNo: order.outTradeNo,
          providerTradeNo: order.providerTradeNo,
          amountFen: order.amountFen,
          ...(order.paidAt ? { paidAt: order.paidAt } : {}),
          via: 'query',
        });
        if (taken.outcome === 'received') received++;
      } catch (error) {
        failed++;
        logs.paymentNotificationFailed('alipay', error);
      }
    }
    logs.paymentsReconciled(waiting.size, received, failed);
  },
);
