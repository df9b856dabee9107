import { HttpsError } from 'firebase-functions/v2/https';
import { donationDocs } from '../data/money';
import { needDocs, needPrivateDocs } from '../data/needs';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { appendAudit, type AuditEntry } from '../services/audit';
import { collections } from '../services/db';

/**
 * 查看收款账户: the donor of a pledged transfer gets whom to pay — the household head's full
 * name and full bank account, the amount and the deadline. The account is one of the
 * household's seven elements, so every call is appended to the audit log like a reveal (granted,
 * denied, not found, or absent) before anything is answered, and only the pledge's own donor,
 * while it is pledged and before its deadline, is shown it. A caller out of scope gets the same
 * permission-denied whether or not the donation exists.
 */
export const getTransferAccount = callable({
  name: 'getTransferAccount',
  roles: ['donor'],
  handler: async ({ donationId }, caller) => {
    const resource = `${collections.donations}/${donationId}`;
    const audit = async (outcome: AuditEntry['outcome']) => {
      await appendAudit({
        uid: caller.uid,
        role: caller.role,
        action: 'transfer_account',
        resource,
        field: 'bankAccount',
        outcome,
      });
      logs.transferAccountShown(caller.uid, donationId, outcome);
    };
    const donation = (await donationDocs().doc(donationId).get()).data();
    if (!donation || donation.donorUid !== caller.uid || donation.kind !== 'money') {
      await audit(donation ? 'denied' : 'not_found');
      throw new HttpsError('permission-denied', '无权查看该收款账户');
    }
    if (donation.method !== 'transfer') {
      await audit('denied');
      throw new HttpsError(
        'failed-precondition',
        '这笔捐助选择了支付宝支付，请点击“去支付宝支付”完成付款',
        { method: donation.method ?? 'alipay' },
      );
    }
    const payByMs = donation.payBy?.toMillis() ?? 0;
    if (donation.status !== 'pledged' || payByMs <= Date.now()) {
      await audit('denied');
      throw new HttpsError(
        'failed-precondition',
        donation.status === 'received'
          ? '这笔捐款已到账，无需再次转账'
          : donation.status === 'pending'
            ? '捐助正在确认中，请稍候再查看收款账户'
            : '这笔捐助已不在待转账状态（已失效或已结束），请勿转账；如仍想帮助，请重新捐助',
        { status: donation.status },
      );
    }
    const [need, needPrivate] = await Promise.all([
      needDocs().doc(donation.needId).get(),
      needPrivateDocs().doc(donation.needId).get(),
    ]);
    const needData = need.data();
    const bankAccount = needPrivate.data()?.bankAccount;
    if (!needData || needData.kind !== 'money' || !bankAccount) {
      await audit('absent');
      throw new HttpsError(
        'failed-precondition',
        '该需求没有登记收款账户，无法转账，请联系村委会或改用支付宝重新捐助',
      );
    }
    await audit('granted');
    return {
      donationId,
      payeeName: needData.headName,
      bankAccount,
      amountFen: Number(donation.amountFen),
      payBy: payByMs,
    };
  },
});
