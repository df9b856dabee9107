import { HttpsError } from 'firebase-functions/v2/https';
import { donationDocs } from '../data/money';
import { evidencePhotoDocs, needDocs } from '../data/needs';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { receivePayment } from '../services/payments/receive';

/** The arrival's day, as the passbook shows it, at midnight Beijing time. */
function beijingDay(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * 登记到账: the village administrator records a direct transfer's arrival from the household's
 * passbook or bank SMS — the day, the amount as it arrived, the last four digits of the bank's
 * reference, a processed evidence photo of the passbook or SMS from this village, and the
 * household's confirmation. It is a proven payment like Alipay's (services/payments/receive.ts):
 * the pledge moves pledged → received with its receipt in one conditional batch, and the need's
 * hold becomes money raised. An amount that differs from the pledge is recorded as an
 * `amount_mismatch` exception as entered, never rounded, and the pledge stays 待到账. The
 * receipt or exception is keyed by the donation and the request id, so the same request sent
 * again is one record; a new record for a pledge already received answers `repeated`.
 */
export const recordTransferArrival = callable({
  name: 'recordTransferArrival',
  roles: ['village_admin'],
  handler: async (input, caller) => {
    const { donationId } = input;
    const donation = (await donationDocs().doc(donationId).get()).data();
    const need = donation ? (await needDocs().doc(donation.needId).get()).data() : undefined;
    if (!donation || donation.kind !== 'money' || need?.villageCode !== caller.region) {
      deny('recordTransferArrival', caller.uid);
    }
    if (donation.method !== 'transfer') {
      throw new HttpsError(
        'failed-precondition',
        '这笔捐助通过支付宝支付，到账由支付宝自动确认，无需登记',
        { method: donation.method ?? 'alipay' },
      );
    }
    const providerTradeNo = `transfer-${donationId}-${input.requestId}`;
    // Recorded before under another request (a second click, another cadre): one receipt only.
    if (donation.status === 'received' && donation.payment?.provider === 'transfer') {
      if (donation.payment.providerTradeNo !== providerTradeNo) {
        logs.transferArrivalRecorded(caller.uid, donationId, input.amountFen, 'repeated');
        return { donationId, outcome: 'repeated' as const };
      }
    }
    const photo = (await evidencePhotoDocs().doc(input.evidencePhotoId).get()).data();
    if (!photo || photo.villageCode !== caller.region) {
      throw new HttpsError(
        'invalid-argument',
        '找不到这张凭证照片，请重新拍摄或上传存折/银行短信照片',
        {
          issues: [{ path: 'evidencePhotoId', code: 'evidence_unknown' }],
        },
      );
    }
    if (photo.status !== 'processed') {
      throw new HttpsError(
        'invalid-argument',
        photo.status === 'quarantined'
          ? '这张凭证照片未通过检查，请重新拍摄存折/银行短信照片'
          : '凭证照片仍在处理中，请稍候几秒再提交',
        {
          issues: [
            {
              path: 'evidencePhotoId',
              code: photo.status === 'quarantined' ? 'evidence_quarantined' : 'evidence_processing',
            },
          ],
        },
      );
    }
    const outcome = await receivePayment({
      provider: 'transfer',
      outTradeNo: donationId,
      providerTradeNo,
      amountFen: input.amountFen,
      paidAt: beijingDay(input.arrivedOn),
      via: 'record',
      transfer: {
        arrivedOn: input.arrivedOn,
        referenceLast4: input.referenceLast4,
        evidencePhotoId: input.evidencePhotoId,
        householdConfirmed: input.householdConfirmed,
        recordedBy: caller.uid,
      },
    });
    if (outcome.outcome === 'exception') {
      logs.transferArrivalRecorded(
        caller.uid,
        donationId,
        input.amountFen,
        outcome.outcome,
        outcome.kind,
      );
      // amount_mismatch: the pledge stays 待到账 and the web tells the cadre to check the
      // passbook; not_pledged: lapsed or refunded meanwhile, on record for ops to reconcile.
      return {
        donationId,
        outcome: 'exception' as const,
        kind:
          outcome.kind === 'amount_mismatch'
            ? ('amount_mismatch' as const)
            : ('not_pledged' as const),
      };
    }
    logs.transferArrivalRecorded(caller.uid, donationId, input.amountFen, outcome.outcome);
    return { donationId, outcome: outcome.outcome };
  },
});
