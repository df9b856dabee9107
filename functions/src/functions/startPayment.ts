import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { donationDocs } from '../data/money';
import { needDocs } from '../data/needs';
import { openStatuses } from '../domain/need/status';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { alipayAppPrivateKey } from '../params';
import { paymentProvider } from '../services/payments';
import { notifyUrl, returnUrlFor, webOriginFor } from '../services/payments/urls';

/** Why a gift cannot be paid now, by its status: what the donor is told to do instead. */
const notPayable: Record<string, string> = {
  pending: '捐助正在确认中，请稍候再试',
  received: '这笔捐款已到账，无需再次支付',
  lapsed: '这笔捐助已失效（未在期限内支付），如仍想帮助，请重新捐助',
  declined: '这笔捐助未被接受，无需支付',
  refunded: '这笔捐助已退款',
};

/**
 * 去支付宝支付: opens the Alipay order for the donor's own pledged money gift and answers the
 * cashier page's URL. The order number is the donation's id, so calling again (the donor came
 * back, or the first page was closed) opens the same order for the same amount — Alipay takes a
 * re-submitted out_trade_no as the same trade, and one payment can only ever be one receipt. The
 * order closes at the pledge's payBy (time_expire), so nobody pays a pledge that has lapsed.
 */
export const startPayment = callable({
  name: 'startPayment',
  roles: ['donor'],
  secrets: [alipayAppPrivateKey],
  handler: async ({ donationId }, caller, request) => {
    const ref = donationDocs().doc(donationId);
    const donation = (await ref.get()).data();
    if (!donation || donation.donorUid !== caller.uid || donation.kind !== 'money') {
      throw new HttpsError('not-found', '没有这笔捐款');
    }
    if (donation.status !== 'pledged') {
      throw new HttpsError(
        'failed-precondition',
        notPayable[donation.status] ?? '这笔捐助不能支付',
        { status: donation.status },
      );
    }
    // A transfer goes to the household's own account; no Alipay order is ever opened for it.
    if (donation.method === 'transfer') {
      throw new HttpsError(
        'failed-precondition',
        '这笔捐助选择了银行转账，请在“我的捐助”中查看收款账户并转账，无需支付宝支付',
        { method: 'transfer' },
      );
    }
    const payByMs = donation.payBy?.toMillis() ?? 0;
    if (payByMs <= Date.now()) {
      throw new HttpsError(
        'failed-precondition',
        '已失效：支付期限已过，承诺的金额已释放，如仍想帮助，请重新捐助',
        {
          status: 'lapsed',
        },
      );
    }
    // A need taken down meanwhile (found false) takes no more money, pledged or not.
    const need = (await needDocs().doc(donation.needId).get()).data();
    if (!need || !(openStatuses as readonly string[]).includes(need.status)) {
      throw new HttpsError('failed-precondition', '该需求已结束，这笔捐助无需再支付', {
        status: donation.status,
      });
    }
    const provider = await paymentProvider();
    const origin = request.rawRequest.headers.origin;
    const { payUrl } = provider.createOrder({
      outTradeNo: donationId,
      amountFen: Number(donation.amountFen),
      subject: `爱心捐款·${donation.villageName ?? ''}${donation.maskedName ?? ''}`.slice(0, 128),
      notifyUrl: notifyUrl(),
      returnUrl: returnUrlFor(webOriginFor(typeof origin === 'string' ? origin : undefined)),
      expiresAt: new Date(payByMs),
    });
    // The order may now exist at the provider: the lapse job asks it before releasing the hold.
    if (!donation.paymentStartedAt) {
      await ref.update({ paymentStartedAt: FieldValue.serverTimestamp() });
    }
    logs.paymentStarted(provider.name, donationId, caller.uid);
    return { donationId, payUrl, payBy: payByMs };
  },
});
