/**
 * For township and higher offices: their region against the two targets, child regions lagging
 * first (drill down from county to township, and into a village's own pages), the trend, the
 * reports to export (rates, 一户一册一卡 progress, 爱心人士注册统计表), its money reconciled
 * (资金对账), and for ops the refund of a donation.
 */
import { call } from '../firebase';
import { download, h, toast } from '../dom';
import { pageMount } from '../navigation';
import { chinaDate, errorText, percent, yuan } from '../format';
import { submitSafely } from '../submit';
import { parentCode } from '../../../functions/src/domain/regions';
import type { RevocationReason } from '../../../functions/src/domain/certificate/signing';
import { showError, type Session } from '../app';
import type { RatesDashboard, RegionFigures } from '../../../functions/src/contract/households';
import type { RegionReconciliation } from '../../../functions/src/contract/money';
import { identificationSection } from './identification/office';
import { townshipFileTools } from './householdFile/township';

/** Why ops refunds, and what each reason sets going, as ops reads it before confirming. */
const refundReasons: Record<RevocationReason, { label: string; consequence: string }> = {
  donation_refunded: {
    label: '捐款已退回捐助人',
    consequence:
      '这笔捐助将标记为已退款：通过支付宝付款的将原路退回捐助人；金额从需求的已到账款中扣除，已筹满的需求重新开放接受捐助；荣誉证书作废，核验页显示“已撤销（捐助已退回）”。此操作不能撤回。',
  },
  need_found_false: {
    label: '经核查需求信息不实',
    consequence:
      '这笔捐助将标记为已退款，荣誉证书作废（核验页显示“已撤销”）；该需求随即撤下，不再接受捐助。该需求的其他捐助仍需逐笔退款。此操作不能撤回。',
  },
};

/** The ops card: a donation id and a reason, a second step stating what follows, then the refund. */
function refundCard(): HTMLElement {
  const donationId = h('input', {
    type: 'text',
    maxlength: '128',
    autocomplete: 'off',
    'aria-label': '捐助编号',
    placeholder: '捐助编号',
    'data-testid': 'refund-donation-id',
  });
  const reason = h(
    'select',
    { 'aria-label': '退款原因', 'data-testid': 'refund-reason' },
    (Object.keys(refundReasons) as RevocationReason[]).map((value) =>
      h('option', { value }, refundReasons[value].label),
    ),
  );
  const submit = h('button', { type: 'submit', 'data-testid': 'refund-submit' }, '退款…');
  const confirmHost = h('div', { class: 'stack' });
  const retryHost = h('div', {});
  const result = h('p', { 'data-testid': 'refund-result', hidden: true });
  const reset = () => {
    confirmHost.replaceChildren();
    submit.disabled = false;
    donationId.disabled = false;
    reason.disabled = false;
  };

  const refund = async (id: string, why: RevocationReason) => {
    confirmHost.replaceChildren();
    await submitSafely(
      `refundDonation.${id}`,
      'refundDonation',
      { donationId: id, reason: why },
      retryHost,
      (answer) => {
        result.hidden = false;
        result.className = 'ok';
        result.textContent = `捐助 ${answer.donationId} 已退款（${refundReasons[why].label}），荣誉证书随即作废。`;
        toast('已退款');
        donationId.value = '';
        reset();
      },
      (error) => {
        result.hidden = false;
        result.className = 'warn';
        result.textContent =
          error.code === 'functions/not-found'
            ? `没有编号为 ${id} 的捐助，请核对编号。`
            : error.code === 'functions/failed-precondition'
              ? `捐助 ${id} 当前状态不能退款（可能已退款，或款项尚未到账）。`
              : `退款未完成：${errorText(error)}`;
        reset();
      },
      { donationId: '捐助编号', reason: '退款原因' },
    );
  };

  const form = h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'refund-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const id = donationId.value.trim();
        if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) return void toast('请填写捐助编号');
        // The select offers only the reasons above.
        const why = reason.value as RevocationReason;
        submit.disabled = true;
        donationId.disabled = true;
        reason.disabled = true;
        result.hidden = true;
        const confirm = h(
          'button',
          { type: 'button', class: 'danger', 'data-testid': 'refund-confirm' },
          '确认退款',
        );
        confirm.addEventListener('click', () => {
          confirm.disabled = true;
          void refund(id, why);
        });
        confirmHost.replaceChildren(
          h(
            'div',
            { class: 'confirm-box stack', role: 'alert' },
            h('strong', {}, `确认为捐助 ${id} 退款？`),
            h('p', { 'data-testid': 'refund-consequence' }, refundReasons[why].consequence),
            h(
              'div',
              { class: 'actions' },
              confirm,
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  'data-testid': 'refund-cancel',
                  onclick: reset,
                },
                '取消',
              ),
            ),
          ),
        );
      },
    },
    h('h2', {}, '捐款退款'),
    h(
      'p',
      { class: 'muted' },
      '捐款退回捐助人或需求经核查不实时，在此登记退款。捐助编号见捐助人的“我的捐助”或村级的捐助记录。',
    ),
    h('label', { class: 'stack' }, '捐助编号', donationId),
    h('label', { class: 'stack' }, '退款原因', reason),
    submit,
    confirmHost,
    retryHost,
    result,
  );
  return form;
}

function rateCell(rate: number | null, target: number): HTMLElement {
  const below = rate !== null && rate < target;
  return h('td', { class: below ? 'below' : rate === null ? '' : 'met' }, percent(rate));
}

async function chart(host: HTMLElement, history: RatesDashboard['history']): Promise<void> {
  if (history.length === 0) {
    host.replaceChildren(h('p', { class: 'muted' }, '暂无历史数据（每日 23:50 记录）'));
    return;
  }
  // Loaded only here, so the village pages stay light on a cheap phone.
  const echarts = await import('echarts/core');
  const { LineChart } = await import('echarts/charts');
  const { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } =
    await import('echarts/components');
  const { SVGRenderer } = await import('echarts/renderers');
  echarts.use([
    LineChart,
    GridComponent,
    LegendComponent,
    TooltipComponent,
    MarkLineComponent,
    SVGRenderer,
  ]);
  const instance = echarts.init(host, undefined, { renderer: 'svg', height: 240 });
  const series = (name: string, key: 'registrationRate' | 'matchRate' | 'fulfilledRate') => ({
    name,
    type: 'line' as const,
    data: history.map((point) =>
      point[key] === null ? null : Math.round((point[key] as number) * 1000) / 10,
    ),
  });
  instance.setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 12, top: 32, bottom: 24 },
    xAxis: {
      type: 'category',
      data: history.map((point) => `${point.day.slice(4, 6)}-${point.day.slice(6)}`),
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      series('注册率', 'registrationRate'),
      series('对接率', 'matchRate'),
      series('已完成', 'fulfilledRate'),
    ],
  });
}

const reconciliationColumns = [
  ['pledged', '待到账'],
  ['received', '已到账'],
  ['lapsed', '已失效'],
  ['refunded', '已退款'],
  ['declined', '未成交'],
  ['certified', '已发证书'],
] as const;
const exceptionLabels: Record<string, string> = {
  amount_mismatch: '到账金额与承诺不符',
  not_pledged: '付款时捐助已不在待到账',
  unknown_order: '未知订单的付款',
};

// Eight columns on a phone: each cell keeps its lines whole and the table scrolls sideways.
const nowrap = 'white-space: nowrap';
const figureCell = (column: string, figure: { count: number; fen: number }) =>
  h(
    'td',
    { 'data-column': column, style: nowrap },
    `${figure.count} 笔`,
    h('br'),
    yuan(figure.fen),
  );

/**
 * 资金对账: the region's money per village, what was paid but is not a receipt, and whether the
 * figures agree (Σ 已到账 = 已筹, certificates only for money received). Loaded after the page so
 * a slow count does not hold the rates back.
 */
function reconciliationCard(regionCode: string): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  const exportButton = h(
    'button',
    { class: 'secondary', 'data-testid': 'export-reconciliation' },
    '导出资金对账表（Excel）',
  );
  exportButton.addEventListener('click', () => {
    exportButton.disabled = true;
    call('exportReconciliation', { regionCode, format: 'xlsx' })
      .then((file) => download(file.filename, file.contentType, file.dataBase64))
      .catch((error: unknown) => showError(error))
      .finally(() => (exportButton.disabled = false));
  });
  const show = (found: RegionReconciliation) => {
    const agrees =
      found.invariants.receivedEqualsRaised &&
      found.invariants.certifiedWithinReceived &&
      found.invariants.receivedHaveReceipts;
    body.replaceChildren(
      h(
        'p',
        { 'data-testid': 'reconciliation-invariants', 'data-ok': String(agrees) },
        agrees
          ? '账实相符：已到账合计等于各需求已筹，证书只发给已到账的捐款。'
          : `账实不符：${found.invariants.receivedEqualsRaised ? '' : '已到账合计与需求已筹不一致；'}${found.invariants.certifiedWithinReceived ? '' : '有证书的捐助未到账；'}${found.invariants.receivedHaveReceipts ? '' : '有记为已到账的捐助没有到账凭据；'}已通知运维核查。`,
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { style: nowrap }, '村'),
              reconciliationColumns.map(([, label]) => h('th', { style: nowrap }, label)),
              h('th', { style: nowrap }, '需求已筹'),
            ),
          ),
          h(
            'tbody',
            {},
            found.rows.map((row) =>
              h(
                'tr',
                { 'data-testid': 'reconciliation-row', 'data-code': row.villageCode },
                h('td', { style: nowrap }, row.villageName),
                reconciliationColumns.map(([column]) => figureCell(column, row[column])),
                h('td', { style: nowrap }, yuan(row.raisedFen)),
              ),
            ),
            h(
              'tr',
              { 'data-testid': 'reconciliation-total' },
              h('th', { style: nowrap }, '合计'),
              reconciliationColumns.map(([column]) => figureCell(column, found.total[column])),
              h('td', { style: nowrap }, yuan(found.total.raisedFen)),
            ),
          ),
        ),
      ),
      h('h3', {}, `异常（${found.exceptions.length}）`),
      found.exceptions.length === 0
        ? h('p', { class: 'muted' }, '没有异常付款。')
        : h(
            'ul',
            {},
            found.exceptions.map((exception) =>
              h(
                'li',
                { 'data-testid': 'reconciliation-exception', 'data-kind': exception.kind },
                `${exceptionLabels[exception.kind] ?? exception.kind}：到账 ${yuan(exception.amountFen)}`,
                exception.donationAmountFen === null
                  ? ''
                  : `，承诺 ${yuan(exception.donationAmountFen)}`,
                `（${chinaDate(exception.recordedAt)}，交易号 ${exception.providerTradeNo}${exception.donationId ? `，捐助 ${exception.donationId}` : ''}）`,
                exception.resolved ? ' 已处理' : '',
              ),
            ),
          ),
    );
  };
  call('getReconciliation', { regionCode })
    .then(show)
    .catch((error: unknown) => body.replaceChildren(h('p', {}, showError(error))));
  return h(
    'section',
    { class: 'card', 'data-testid': 'reconciliation' },
    h('h2', {}, '资金对账'),
    body,
    h('div', { class: 'actions' }, exportButton),
  );
}

export async function dashboardPage(
  session: Session,
  regionCode: string | undefined,
): Promise<void> {
  const mount = pageMount();
  mount(h('p', { class: 'muted' }, '加载中…'));
  try {
    const dashboard = await call('getRatesDashboard', regionCode ? { regionCode } : {});
    const { region, targets } = dashboard;
    const chartHost = h('div', { class: 'chart' });
    const exportReport = async (format: 'csv' | 'xlsx') => {
      try {
        const file = await call('exportRatesReport', { regionCode: region.code, format });
        download(file.filename, file.contentType, file.dataBase64);
      } catch (error) {
        showError(error);
      }
    };
    const exportDonorRegistry = async (button: HTMLButtonElement) => {
      button.disabled = true;
      try {
        const file = await call('exportDonorRegistry', { regionCode: region.code, format: 'xlsx' });
        download(file.filename, file.contentType, file.dataBase64);
      } catch (error) {
        showError(error);
      }
      button.disabled = false;
    };
    const exportVisitProgress = async () => {
      try {
        const file = await call('exportVisitProgress', {
          regionCode: region.code,
          year: Number(chinaDate(Date.now()).slice(0, 4)),
          format: 'xlsx',
        });
        download(file.filename, file.contentType, file.dataBase64);
      } catch (error) {
        showError(error);
      }
    };
    // A village opens its own pages (households, needs); a larger region its dashboard.
    const childLink = (child: RegionFigures) =>
      child.level === 'village'
        ? h(
            'a',
            { href: `#/village/${child.code}`, 'data-testid': 'dashboard-village-link' },
            child.name,
          )
        : h('a', { href: `#/region/${child.code}` }, child.name);
    const donorRegistryButton = h(
      'button',
      { class: 'secondary', 'data-testid': 'export-donor-registry' },
      '导出爱心人士注册统计表',
    );
    donorRegistryButton.addEventListener(
      'click',
      () => void exportDonorRegistry(donorRegistryButton),
    );
    mount(
      h(
        'section',
        { class: 'card' },
        h('h1', { 'data-testid': 'dashboard-region' }, region.name),
        h(
          'div',
          { class: 'figures' },
          h(
            'div',
            {},
            h('strong', {}, percent(region.registrationRate)),
            h('span', {}, `注册率（目标${percent(targets.registration)}）`),
          ),
          h(
            'div',
            {},
            h('strong', {}, percent(region.matchRate)),
            h('span', {}, `对接率（目标≥${percent(targets.match)}）`),
          ),
          h('div', {}, h('strong', {}, percent(region.fulfilledRate)), h('span', {}, '已完成')),
        ),
        h(
          'p',
          { class: 'muted' },
          `建档立卡 ${region.rosterHouseholds} 户，已注册 ${region.registeredHouseholds} 户；已发布需求 ${region.publishedNeeds} 个，已对接 ${region.matchedNeeds} 个，已完成 ${region.fulfilledNeeds} 个。村级数据实时，乡镇及以上每分钟汇总。`,
        ),
        region.code !== session.region && region.code.length > session.region.length
          ? h(
              'a',
              {
                href: parentCode(region.code) ? `#/region/${parentCode(region.code)}` : '#/',
              },
              '← 返回上级',
            )
          : null,
      ),
      h('section', { class: 'card' }, h('h2', {}, '趋势'), chartHost),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, '各地情况（落后的在前）'),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, '地区'),
                h('th', {}, '注册率'),
                h('th', {}, '对接率'),
                h('th', {}, '已完成'),
              ),
            ),
            h(
              'tbody',
              {},
              dashboard.children.map((child) =>
                h(
                  'tr',
                  { 'data-testid': 'dashboard-row', 'data-code': child.code },
                  h('td', {}, childLink(child)),
                  rateCell(child.registrationRate, targets.registration),
                  rateCell(child.matchRate, targets.match),
                  h('td', {}, percent(child.fulfilledRate)),
                ),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              class: 'secondary',
              'data-testid': 'export-report',
              onclick: () => void exportReport('xlsx'),
            },
            '导出报表（Excel）',
          ),
          h('button', { class: 'secondary', onclick: () => void exportReport('csv') }, '导出 CSV'),
          region.level === 'township'
            ? h(
                'button',
                {
                  class: 'secondary',
                  'data-testid': 'export-visit-progress',
                  onclick: () => void exportVisitProgress(),
                },
                '导出“一户一册一卡”进展表',
              )
            : null,
          // Asked of a region: the whole country (ops at the top) has no code to ask for.
          region.level === 'national' ? null : donorRegistryButton,
        ),
      ),
      // The whole country (ops at the top) is reconciled region by region.
      region.level === 'national' ? null : reconciliationCard(region.code),
      identificationSection(session, region),
      session.role === 'township_admin' && region.level === 'township'
        ? townshipFileTools(
            region.code,
            dashboard.children.filter((child) => child.level === 'village'),
          )
        : null,
      session.role === 'ops' ? refundCard() : null,
    );
    void chart(chartHost, dashboard.history);
  } catch (error) {
    mount(
      h(
        'section',
        { class: 'card' },
        h('p', {}, showError(error)),
        h('button', { onclick: () => void dashboardPage(session, regionCode) }, '重试'),
      ),
    );
  }
}
