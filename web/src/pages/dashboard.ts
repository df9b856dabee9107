/**
 * For township and higher offices: their region against the two targets, child regions lagging
 * first (drill down from county to township to village), the trend, and the report to export.
 */
import { call } from '../firebase';
import { download, h } from '../dom';
import { pageMount } from '../navigation';
import { chinaDate, percent } from '../format';
import { parentCode } from '../../../functions/src/domain/regions';
import { showError, type Session } from '../app';
import type { RatesDashboard, RegionFigures } from '../../../functions/src/contract/households';

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
    const childLink = (child: RegionFigures) =>
      child.level === 'village'
        ? h('span', {}, child.name)
        : h('a', { href: `#/region/${child.code}` }, child.name);
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
        ),
      ),
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
