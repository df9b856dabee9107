import { Timestamp } from 'firebase-admin/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { donationDocs } from '../data/money';
import { logs } from '../logs';
import { alipayAppPrivateKey } from '../params';
import { paymentProvider } from '../services/payments';
import { lapsePledge, receivePayment } from '../services/payments/receive';

/** One run's share: the rest waits for the next run, a quarter of an hour later. */
const maxPerRun = 200;

/**
 * Releases money pledges not paid by their pay-by time (48 hours), so another donor can take
 * what they held. A pledge whose Alipay order was opened is first asked about at Alipay: paid
 * there (its notification lost), it is received instead — the same receipt and move a
 * notification makes. A pledge Alipay cannot answer for now stays pledged until the next run.
 */
export const lapsePledges = onSchedule(
  {
    schedule: 'every 15 minutes',
    timeoutSeconds: 300,
    retryCount: 0,
    secrets: [alipayAppPrivateKey],
  },
  async () => {
    const due = await donationDocs()
      .where('kind', '==', 'money')
      .where('status', '==', 'pledged')
      .where('payBy', '<=', Timestamp.now())
      .limit(maxPerRun)
      .get();
    let lapsed = 0;
    let received = 0;
    let failed = 0;
    for (const doc of due.docs) {
      try {
        const donation = doc.data();
        if (donation.paymentStartedAt) {
          const provider = await paymentProvider();
          const order = await provider.queryOrder(doc.id);
          if (order.found && order.status === 'paid') {
            const taken = await receivePayment({
              provider: provider.name,
              outTradeNo: order.outTradeNo,
              providerTradeNo: order.providerTradeNo,
              amountFen: order.amountFen,
              ...(order.paidAt ? { paidAt: order.paidAt } : {}),
              via: 'query',
            });
            if (taken.outcome === 'received') received++;
            // Paid at Alipay, whatever this run made of it: never released as unpaid.
            continue;
          }
        }
        if (await lapsePledge(doc.id)) lapsed++;
      } catch (error) {
        failed++;
        logs.paymentNotificationFailed('alipay', error);
      }
    }
    logs.pledgesLapsed(due.size, lapsed, received, failed);
  },
);
