/**
 * 三统一 (seed 004's 查漏补缺): for a village and year, the households whose file differs from the
 * national system's roster field by field, those not visited, visits lacking a confirmation, and
 * the corrections not yet entered into the national system — which the village administrator
 * ticks and marks entered. The township (and above) opens the same report for one of its villages.
 */
import { call } from '../../firebase';
import { download, h, toast } from '../../dom';
import { chinaDate } from '../../format';
import { pageMount } from '../../navigation';
import { showError, type Session } from '../../app';
import { tabs } from '../village/shared';
import type { UnificationReport } from '../../../../functions/src/contract/householdFile';

/** Who reads the report (getUnificationReport's roles); only the village administrator marks. */
const readers: readonly string[] = ['village_admin', 'township_admin', 'county_admin', 'ops'];

export async function unificationTab(session: Session, villageCode?: string): Promise<void> {
  const mount = pageMount();
  if (!readers.includes(session.role)) {
    mount(
      tabs('unification', villageCode),
      h(
        'section',
        { class: 'card', 'data-testid': 'unification-denied' },
        h('p', {}, '三统一报表由村级信息管理员和乡镇查看；帮扶责任人请在“建档立卡户”中入户核实。'),
      ),
    );
    return;
  }
  const village = villageCode ?? session.region;
  const thisYear = Number(chinaDate(Date.now()).slice(0, 4));
  const yearInput = h('input', {
    type: 'number',
    min: 2017,
    max: thisYear,
    value: thisYear,
    'aria-label': '年度',
    'data-testid': 'unification-year',
  });
  const body = h('div', { 'data-testid': 'unification-report', 'aria-busy': 'true' });
  const mayMark = session.role === 'village_admin';

  const load = async () => {
    body.setAttribute('aria-busy', 'true');
    try {
      const report = await call('getUnificationReport', {
        villageCode: village,
        year: Number(yearInput.value),
      });
      body.replaceChildren(...reportView(report, mayMark, load));
    } catch (error) {
      body.replaceChildren(h('p', { class: 'warn' }, showError(error)));
    }
    body.setAttribute('aria-busy', 'false');
  };
  const exportAs = async (format: 'csv' | 'xlsx', button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const file = await call('exportUnificationReport', {
        villageCode: village,
        year: Number(yearInput.value),
        format,
      });
      download(file.filename, file.contentType, file.dataBase64);
    } catch (error) {
      showError(error);
    }
    button.disabled = false;
  };
  const exportButton = (format: 'csv' | 'xlsx', label: string) => {
    const button = h(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': `export-unification-${format}` },
      label,
    );
    button.addEventListener('click', () => void exportAs(format, button));
    return button;
  };
  yearInput.addEventListener('change', () => void load());
  mount(
    tabs('unification', villageCode),
    h(
      'section',
      { class: 'card stack' },
      h('h1', {}, '三统一（查漏补缺）'),
      h(
        'p',
        { class: 'muted small-left' },
        '帮扶手册、国扶办系统数据与农户实际情况一致：下列各项请逐户核实、补签、录入系统。',
      ),
      h('label', {}, '年度', yearInput),
      h(
        'div',
        { class: 'actions' },
        exportButton('xlsx', '导出 Excel'),
        exportButton('csv', '导出 CSV'),
      ),
    ),
    body,
  );
  await load();
}

function reportView(
  report: UnificationReport,
  mayMark: boolean,
  reload: () => Promise<void>,
): HTMLElement[] {
  const { totals } = report;
  const summary = h(
    'section',
    { class: 'card' },
    h(
      'div',
      { class: 'figures four' },
      figure(totals.differing, '与名单不一致', 'unification-differing'),
      figure(totals.notVisited, '未入户', 'unification-not-visited'),
      figure(totals.unconfirmed, '缺签字', 'unification-unconfirmed'),
      figure(totals.pendingChanges, '待录入更正', 'unification-pending'),
    ),
    h('p', { class: 'muted' }, `共 ${report.households} 户`),
  );
  const ticked = new Set<string>();
  const markButton = h(
    'button',
    { type: 'button', 'data-testid': 'mark-entered', disabled: true },
    '标记已录入国扶系统',
  );
  const updateButton = () => {
    markButton.disabled = ticked.size === 0;
    markButton.textContent =
      ticked.size > 0 ? `标记已录入国扶系统（${ticked.size}条）` : '标记已录入国扶系统';
  };
  markButton.addEventListener('click', async () => {
    markButton.disabled = true;
    try {
      const answer = await call('markCorrectionsEntered', {
        requestId: crypto.randomUUID(),
        changeIds: [...ticked],
      });
      toast(`已标记 ${answer.entered + answer.alreadyEntered} 条更正为已录入`);
      await reload();
    } catch (error) {
      showError(error);
      updateButton();
    }
  });
  const rows = report.rows.map((row) =>
    h(
      'li',
      { class: 'unification-row', 'data-testid': 'unification-row', 'data-id': row.householdId },
      h(
        'div',
        {},
        h('a', { href: `#/file/${row.householdId}` }, h('strong', {}, row.headName)),
        h('span', { class: 'muted' }, ` 帮扶人：${row.helperName ?? '未分配'}`),
      ),
      row.visited
        ? null
        : h('span', { class: 'badge', 'data-testid': 'unification-unvisited' }, '本年度未入户'),
      row.unconfirmedVisits > 0
        ? h(
            'span',
            { class: 'badge', 'data-testid': 'unification-unsigned' },
            `${row.unconfirmedVisits}次核实缺签字`,
          )
        : null,
      row.differences.length > 0
        ? h(
            'ul',
            { class: 'plain' },
            row.differences.map((difference) =>
              h(
                'li',
                { 'data-testid': 'unification-difference', 'data-field': difference.field },
                `${difference.label}：档案 ${difference.file}，名单 ${difference.roster}`,
              ),
            ),
          )
        : null,
      row.pendingChanges.length > 0
        ? h(
            'ul',
            { class: 'plain' },
            row.pendingChanges.map((change) => {
              const box = mayMark
                ? h('input', {
                    type: 'checkbox',
                    'data-testid': 'pending-change-check',
                    'data-id': change.id,
                  })
                : null;
              box?.addEventListener('change', () => {
                if (box.checked) ticked.add(change.id);
                else ticked.delete(change.id);
                updateButton();
              });
              return h(
                'li',
                { 'data-testid': 'pending-change', 'data-id': change.id },
                h(
                  'label',
                  { class: 'check' },
                  box,
                  `${change.label}：${change.old || '（无）'} → ${change.new || '（移出）'}`,
                ),
              );
            }),
          )
        : null,
    ),
  );
  return [
    summary,
    h(
      'section',
      { class: 'card' },
      rows.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'unification-clear' }, '本年度无待查漏补缺的户')
        : h('ul', { class: 'rows' }, rows),
      mayMark && totals.pendingChanges > 0 ? h('div', { class: 'actions' }, markButton) : null,
    ),
  ];
}

function figure(value: number, label: string, testId: string): HTMLElement {
  return h('div', {}, h('strong', { 'data-testid': testId }, value), h('span', {}, label));
}
