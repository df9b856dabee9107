import { getAuth } from 'firebase-admin/auth';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { effectiveStatus, pledgeClockOf, travellingStatuses } from '../domain/goods';
import { docIdSchema } from '../domain/validation/common';
import { untypedCallable } from '../lib/callable';
import { logs } from '../logs';
import { appendAudit } from '../services/audit';
import { collections, db } from '../services/db';
import { receivingOf } from '../services/goods';
import { needForAction } from '../services/needs';

export const getGoodsContactInput = z.strictObject({ donationId: docIdSchema });

/**
 * Who to send to or meet, disclosed only to the two sides of one live goods pledge and logged
 * like a reveal (auditLog, granted or denied): the donor gets the village office's receiving
 * address and contact (never the household's home); for a face-to-face hand-over the village's
 * administrator or the household's helper gets the donor's name and phone.
 */
export const getGoodsContact = untypedCallable({
  name: 'getGoodsContact',
  input: getGoodsContactInput,
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
    const donation = await db().collection(collections.donations).doc(donationId).get();
    const isGoods = donation.exists && donation.get('kind') === 'goods';
    if (caller.role === 'donor') {
      if (!isGoods || donation.get('donorUid') !== caller.uid) {
        return refuse(new HttpsError('not-found', '没有这笔物资捐助'));
      }
    } else {
      if (!isGoods) return refuse(new HttpsError('not-found', '没有这笔物资捐助'));
      try {
        await needForAction('getGoodsContact', caller, String(donation.get('needId')));
      } catch (error) {
        return refuse(error as HttpsError);
      }
      if (donation.get('delivery.method') !== 'in_person') {
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
    const method = String(donation.get('delivery.method'));
    if (caller.role === 'donor') {
      const { villageName, receiving } = await receivingOf(String(donation.get('villageCode')));
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
    const donorUid = String(donation.get('donorUid'));
    const profile = await db().collection(collections.donors).doc(donorUid).get();
    let phone = String(profile.get('phone') ?? '');
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
      donor: { name: String(donation.get('donorName') ?? ''), phone: phone.replace(/^\+86/, '') },
    };
  },
});
