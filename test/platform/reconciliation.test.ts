/**
 * Reconciliation (资金对账): in a village no other test gives money in, a pledge paid, one left
 * pledged (and paid at "Alipay" with another amount: an exception, not a receipt) and one lapsed
 * each show in their column for the village and its township, the exception is listed, Σ received
 * = raised and certified ⊆ received hold, and the XLSX export holds the same rows. Figures are
 * compared with the village's before the test, so seeded gifts do not matter; the township's are
 * at least the village's. A donor and another village's administrator are refused.
 */
import { randomInt, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sandboxKeys, signNotification } from '../../functions/local/paymentSandbox';
import type { RegionReconciliation } from '../../functions/src/contract/money';
import { collections } from '../../functions/src/services/db';
import {
  copyMoneyNeed,
  adminDb,
  call,
  donationStatus,
  functionLogs,
  idle,
  newRequestId,
  payPledge,
  projectId,
  region,
  runSchedule,
  signIn,
  signInAsDonor,
} from '../support/platform';

/** 团结村 (v03): no other test gives money here. */
const village = '520526105203';
const township = '520526105';

/** A published money need of `amountFen` in the village, nobody's yet. */
const freshNeed = async (amountFen: number): Promise<string> =>
  (await copyMoneyNeed(village, amountFen, 'rec')).id;

async function pledge(donor: string, needId: string, amountFen: number): Promise<string> {
  const made = await call<{ donationId: string }>(
    'donate',
    { requestId: newRequestId(), needId, amountFen },
    donor,
  );
  const donationId = made.result?.donationId as string;
  expect(donationId).toBeDefined();
  await donationStatus(donationId);
  const stored = (await adminDb().collection(collections.donations).doc(donationId).get()).data();
  expect({ status: stored?.status, reason: stored?.reason }).toEqual({ status: 'pledged' });
  return donationId;
}

/** "Alipay" tells of a payment of `yuan` for the order, signed as the sandbox signs. */
async function notifyPaid(outTradeNo: string, yuan: string): Promise<string> {
  const keys = sandboxKeys(process.env.FUPIN_TEST_DATA_DIR as string);
  const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const tradeNo = `2026${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`;
  const fields = signNotification(
    {
      notify_time: now,
      notify_type: 'trade_status_sync',
      notify_id: randomUUID().replaceAll('-', ''),
      charset: 'utf-8',
      version: '1.0',
      app_id: keys.appId,
      seller_id: keys.sellerId,
      trade_no: tradeNo,
      out_trade_no: outTradeNo,
      trade_status: 'TRADE_SUCCESS',
      total_amount: yuan,
      gmt_payment: now,
    },
    keys.alipayPrivateKey,
  );
  const response = await fetch(
    `${process.env.FUPIN_FUNCTIONS_URL}/${projectId}/${region}/alipayNotify`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(fields as Record<string, string>).toString(),
    },
  );
  expect(await response.text()).toBe('success');
  return tradeNo;
}

async function reconciliation(token: string, regionCode: string) {
  const answer = await call<RegionReconciliation>('getReconciliation', { regionCode }, token);
  expect(answer.error).toBeUndefined();
  return answer.result as RegionReconciliation;
}

const rowOf = (found: RegionReconciliation) =>
  found.rows.find((row) => row.villageCode === village);

describe('reconciliation of a village and its township', () => {
  it('shows pledged, received, lapsed and certified money in their columns, lists the exception, and the invariants hold', async () => {
    const [admin, townshipAdmin, donor, late] = await Promise.all([
      signIn('v03a@demo.fupin.cn'),
      signIn('township@demo.fupin.cn'),
      signInAsDonor(`+861366${String(randomInt(10_000_000)).padStart(7, '0')}`, {
        name: '对账测试甲',
      }),
      signInAsDonor(`+861366${String(randomInt(10_000_000)).padStart(7, '0')}`, {
        name: '对账测试乙',
      }),
    ]);
    const before = rowOf(await reconciliation(admin, village));
    const was = (column: 'pledged' | 'received' | 'lapsed' | 'certified') =>
      before?.[column] ?? { count: 0, fen: 0 };

    const needId = await freshNeed(10_000);
    const paid = await pledge(donor, needId, 3000);
    expect(await payPledge(donor, paid)).toBe('received');
    const waiting = await pledge(donor, needId, 2000);
    const lapsing = await pledge(late, needId, 1000);
    await adminDb()
      .collection(collections.donations)
      .doc(lapsing)
      .update({ payBy: new Date(Date.now() - 1000) });
    await runSchedule('lapsePledges');
    await idle();
    expect(await donationStatus(lapsing)).toBe('lapsed');
    // "Alipay" says 0.20 yuan arrived for the 20-yuan pledge: an exception, the pledge waits on.
    const short = await notifyPaid(waiting, '0.20');
    expect(await donationStatus(waiting)).toBe('pledged');
    await idle();

    const found = await reconciliation(admin, village);
    const row = rowOf(found);
    expect(row).toBeDefined();
    expect({
      pledged: row?.pledged,
      received: row?.received,
      lapsed: row?.lapsed,
      certified: row?.certified,
    }).toEqual({
      pledged: { count: was('pledged').count + 1, fen: was('pledged').fen + 2000 },
      received: { count: was('received').count + 1, fen: was('received').fen + 3000 },
      lapsed: { count: was('lapsed').count + 1, fen: was('lapsed').fen + 1000 },
      certified: { count: was('certified').count + 1, fen: was('certified').fen + 3000 },
    });
    expect(row?.raisedFen).toBe((before?.raisedFen ?? 0) + 3000);
    expect(row?.villageName).toBe('团结村');
    expect(found.invariants).toEqual({
      receivedEqualsRaised: true,
      certifiedWithinReceived: true,
      receivedHaveReceipts: true,
    });
    expect(found.exceptions).toContainEqual(
      expect.objectContaining({
        providerTradeNo: short,
        kind: 'amount_mismatch',
        amountFen: 20,
        donationId: waiting,
        donationAmountFen: 2000,
        villageCode: village,
      }),
    );

    // A payment for an order never opened here belongs to no region: ops alone see it.
    const stranger = await notifyPaid(`T${Date.now()}rec`, '1.00');
    const forOps = await reconciliation(await signIn('ops@demo.fupin.cn'), township);
    expect(forOps.exceptions).toContainEqual(
      expect.objectContaining({
        providerTradeNo: stranger,
        kind: 'unknown_order',
        donationId: null,
      }),
    );
    expect(rowOf(forOps)).toEqual(row);

    const wider = await reconciliation(townshipAdmin, township);
    expect(rowOf(wider)).toEqual(row);
    expect(wider.total.received.fen).toBeGreaterThanOrEqual(row?.received.fen ?? 0);
    expect(wider.total.pledged.count).toBeGreaterThanOrEqual(row?.pledged.count ?? 0);
    expect(wider.total.lapsed.count).toBeGreaterThanOrEqual(row?.lapsed.count ?? 0);
    expect(wider.exceptions.map((exception) => exception.providerTradeNo)).toContain(short);
    expect(wider.exceptions.map((exception) => exception.providerTradeNo)).not.toContain(stranger);
    expect(wider.invariants).toEqual({
      receivedEqualsRaised: true,
      certifiedWithinReceived: true,
      receivedHaveReceipts: true,
    });
    expect(
      (await functionLogs()).filter((entry) => entry.event === 'reconciliation_broken'),
    ).toEqual([]);

    // The XLSX export opens with the village's row, the total and the exception.
    const exported = await call<{ filename: string; dataBase64: string; rows: number }>(
      'exportReconciliation',
      { regionCode: township, format: 'xlsx' },
      townshipAdmin,
    );
    expect(exported.error).toBeUndefined();
    expect(exported.result?.filename).toMatch(/资金对账.*\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      Buffer.from(exported.result?.dataBase64 as string, 'base64') as unknown as ArrayBuffer,
    );
    const sheet = book.worksheets[0];
    const cells: string[][] = [];
    sheet?.eachRow((line) =>
      cells.push((line.values as unknown[]).slice(1).map((value) => String(value ?? ''))),
    );
    const villageLine = cells.find((line) => line[1] === '团结村');
    expect(villageLine?.slice(2, 8)).toEqual([
      String(row?.pledged.count),
      (Number(row?.pledged.fen) / 100).toFixed(2),
      String(row?.received.count),
      (Number(row?.received.fen) / 100).toFixed(2),
      String(row?.lapsed.count),
      (Number(row?.lapsed.fen) / 100).toFixed(2),
    ]);
    expect(cells.some((line) => line[1] === '合计')).toBe(true);
    expect(cells.some((line) => line.includes(short) && line.includes(waiting))).toBe(true);

    // Raised moved by hand (a console edit) no longer equals Σ received: shown, and an ERROR.
    const needRef = adminDb().collection(collections.needs).doc(needId);
    await needRef.update({ raisedFen: 3001 });
    try {
      const broken = await reconciliation(admin, village);
      expect(broken.invariants).toEqual({
        receivedEqualsRaised: false,
        certifiedWithinReceived: true,
        receivedHaveReceipts: true,
      });
      const alerts = (await functionLogs()).filter(
        (entry) =>
          entry.event === 'reconciliation_broken' &&
          entry.regionCode === village &&
          Array.isArray(entry.ids) &&
          entry.ids.includes(needId),
      );
      expect(alerts.map((entry) => [entry.severity, entry.invariant])).toEqual([
        ['ERROR', 'received_equals_raised'],
      ]);
    } finally {
      await needRef.update({ raisedFen: 3000 });
    }
    expect((await reconciliation(admin, village)).invariants.receivedEqualsRaised).toBe(true);

    // Money recorded as arrived that no receipt names (the receipt gone, or the status set by
    // hand): listed as broken, and an ERROR naming the gift.
    const receipts = await adminDb()
      .collection(collections.paymentReceipts)
      .where('donationId', '==', paid)
      .get();
    expect(receipts.size).toBe(1);
    const receipt = receipts.docs[0] as (typeof receipts.docs)[number];
    await receipt.ref.delete();
    try {
      const unpaid = await reconciliation(admin, village);
      expect(unpaid.invariants.receivedHaveReceipts).toBe(false);
      const alerts = (await functionLogs()).filter(
        (entry) =>
          entry.event === 'reconciliation_broken' &&
          entry.invariant === 'received_have_receipts' &&
          Array.isArray(entry.ids) &&
          entry.ids.includes(paid),
      );
      expect(alerts.map((entry) => entry.severity)).toEqual(['ERROR']);
    } finally {
      await receipt.ref.set(receipt.data());
    }
    expect((await reconciliation(admin, village)).invariants.receivedHaveReceipts).toBe(true);
  });

  it('refuses a donor and another village’s administrator', async () => {
    const [donor, otherAdmin] = await Promise.all([
      signInAsDonor(`+861366${String(randomInt(10_000_000)).padStart(7, '0')}`, {
        name: '对账测试丙',
      }),
      signIn('v01a@demo.fupin.cn'),
    ]);
    for (const token of [donor, otherAdmin]) {
      const shown = await call('getReconciliation', { regionCode: village }, token);
      expect(shown.error?.status).toBe('PERMISSION_DENIED');
      const exported = await call(
        'exportReconciliation',
        { regionCode: village, format: 'xlsx' },
        token,
      );
      expect(exported.error?.status).toBe('PERMISSION_DENIED');
    }
    // Nor may a village administrator read the township.
    const ownTownship = await call(
      'getReconciliation',
      { regionCode: township },
      await signIn('v03a@demo.fupin.cn'),
    );
    expect(ownTownship.error?.status).toBe('PERMISSION_DENIED');
  });
});
