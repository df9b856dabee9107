import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { canRead } from '../domain/roles';
import type { Figure, ReconciliationFigures } from '../domain/reconciliation';
import { callable, deny } from '../lib/callable';
import { reconciliationOf, reconciliationRoles } from './getReconciliation';

const yuan = (fen: number) => (fen / 100).toFixed(2);
const columns = ['pledged', 'received', 'lapsed', 'refunded', 'declined', 'certified'] as const;
const labels = ['待到账', '已到账', '已失效', '已退款', '未成交', '已发证书'];
const header = [
  '序号',
  '村',
  ...labels.flatMap((label) => [`${label}笔数`, `${label}金额（元）`]),
  '需求已筹（元）',
];
const exceptionKinds: Record<string, string> = {
  amount_mismatch: '金额不符',
  not_pledged: '非待到账捐助',
  unknown_order: '未知订单',
};

const figureCells = (figures: ReconciliationFigures) => [
  ...columns.flatMap((column) => {
    const figure: Figure = figures[column];
    return [figure.count, yuan(figure.fen)];
  }),
  yuan(figures.raisedFen),
];

/** The reconciliation as a table: one row per village, the total, then each exception. */
export const exportReconciliation = callable({
  name: 'exportReconciliation',
  roles: reconciliationRoles,
  handler: async ({ regionCode, format }, caller) => {
    if (!canRead(caller, regionCode)) deny('exportReconciliation', caller.uid);
    const found = await reconciliationOf(caller, regionCode);
    const rows: Array<Array<string | number>> = found.rows.map((row, index) => [
      index + 1,
      row.villageName,
      ...figureCells(row),
    ]);
    rows.push(['', '合计', ...figureCells(found.total)]);
    rows.push([
      '',
      `Σ已到账 = 已筹：${found.invariants.receivedEqualsRaised ? '相符' : '不符'}；已发证书 ⊆ 已到账：${found.invariants.certifiedWithinReceived ? '相符' : '不符'}；已到账均有到账凭据：${found.invariants.receivedHaveReceipts ? '相符' : '不符'}`,
    ]);
    found.exceptions.forEach((exception, index) =>
      rows.push([
        `异常${index + 1}`,
        exceptionKinds[exception.kind] ?? exception.kind,
        `到账 ${yuan(exception.amountFen)} 元`,
        exception.donationAmountFen === null ? '' : `承诺 ${yuan(exception.donationAmountFen)} 元`,
        exception.donationId ?? '',
        exception.providerTradeNo,
        new Date(exception.recordedAt + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' '),
      ]),
    );
    const day = chinaDateOf();
    const title = `${found.regionName}捐款资金对账表（${day}）`;
    const table = { title, sheet: '资金对账', header, rows, widths: [8, 16] };
    return {
      ...(await tableFile(table, format, `${found.regionName}-资金对账-${day}`)),
      rows: found.rows.length,
    };
  },
});
