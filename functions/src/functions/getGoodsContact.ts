import { getAuth } from 'firebase-admin/auth';
import { HttpsError } from 'firebase-functions/v2/https';
import { effectiveStatus, pledgeClockOf, travellingStatuses } from '../domain/goods';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { appendAudit } from '../services/audit';
import { donationDocs, donorDocs } from '../data/money';
import { collections } from '../services/db';
import { receivingOf } from '../services/goods';
import { needForAction } from '../services/needs';

/**
 * Who to send to or meet, disclosed only to the two sides of one live goods pledge and logged
 * like a reveal (auditLog, granted or denied): the donor gets the village office's receiving
 * address and contact (never the household's home); for a face-to-face hand-over the village's
 * administrator or the household's helper gets the donor's name and phone.
 */
export const getGoodsContact = callable({
  name: 'getGoodsContact',
  roles: ['donor', 'village_admin', 'helper'],
  handler: async ({ donationId }, caller) => {
    const resource = `${collections.donations}/${donationId}`;
    const field = caller.role === 'donor' ? 'receivingContact' : 'donorContact';
    const audit = (outcome: 'granted' | 'denied') =>
      appendAudit({
        uid: caller.uid,
        role: caller.role,
        action: 'reveal',
        resource,
        field,
        reason: 'goods_pledge',
        outcome,
      });
    const refuse = async (error: HttpsError): Promise<never> => {
      await audit('denied');
      logs.revealDenied(caller.uid, resource, field);
      throw error;
    };
    const donation = (await donationDocs().doc(donationId).get()).data();
    if (caller.role === 'donor') {
      if (donation?.kind !== 'goods' || donation.donorUid !== caller.uid) {
        return refuse(new HttpsError('not-found', '没有这笔物资捐助'));
      }
    } else {
      if (donation?.kind !== 'goods') {
        return refuse(new HttpsError('not-found', '没有这笔物资捐助'));
      }
      try {
        await needForAction('getGoodsContact', caller, donation.needId);
      } catch (error) {
        return refuse(error as HttpsError);
      }
      if (donation.delivery?.method !== 'in_person') {
        return refuse(
          new HttpsError('failed-precondition', '快递寄出的物品无需联系捐赠人，请按快递单号查收'),
        );
      }
    }
    const status = effectiveStatus(pledgeClockOf(donation), Date.now());
    if (!(travellingStatuses as readonly string[]).includes(status)) {
      return refuse(
        new HttpsError(
          'failed-precondition',
          status === 'delivered'
            ? '物品已送达，联系方式不再显示'
            : '这笔认捐已过期或已结束，联系方式不再显示',
          { status },
        ),
      );
    }
    // Every pledge names how its goods travel (pledgeGoods' input requires it).
    const method = donation.delivery?.method ?? 'express';
    if (caller.role === 'donor') {
      const { villageName, receiving } = await receivingOf(donation.villageCode);
      if (!receiving) {
        await audit('denied');
        logs.revealDenied(caller.uid, resource, field);
        throw new HttpsError(
          'failed-precondition',
          '村里还没有登记收件地址，请稍后再查看，或在需求页面联系平台客服',
          { reason: 'receiving_missing' },
        );
      }
      await audit('granted');
      logs.revealGranted(caller.uid, resource, field);
      return { method, villageName, receiving, donor: null };
    }
    const donorUid = donation.donorUid;
    const profile = (await donorDocs().doc(donorUid).get()).data();
    let phone = profile?.phone ?? '';
    if (!phone)
      phone =
        (
          await getAuth()
            .getUser(donorUid)
            .catch(() => null)
        )?.phoneNumber ?? '';
    await audit('granted');
    logs.revealGranted(caller.uid, resource, field);
    return {
      method,
      villageName: null,
      receiving: null,
      donor: { name: donation.donorName ?? '', phone: phone.replace(/^\+86/, '') },
    };
  },
});
