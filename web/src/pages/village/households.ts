/**
 * 建档立卡户: the village's households, found by name or the last four of the ID, filtered by
 * registration, status and 帮扶责任人; their registration, the home-visit record, the helper each
 * is paired with (结对帮扶) and a full ID shown for a written reason. An office (township and up)
 * opening one of its villages sees the same list without the village's own actions, and the
 * township and county record the city's sample (市级抽查) here.
 */
import { call, type CallError } from '../../firebase';
import { download, h, toast } from '../../dom';
import { chinaDate, errorText } from '../../format';
import { pageMount } from '../../navigation';
import { pending } from '../../submit';
import { pollUntil } from '../../poll';
import { showError, type Session } from '../../app';
import { dateUpToToday, header, submitSafely, tabs } from './shared';
import { canReveal, type Role } from '../../../../functions/src/domain/roles';
import {
  householdStatuses,
  householdStatusLabels,
  type HouseholdStatus,
} from '../../../../functions/src/domain/household';
import type {
  VillageHelperItem,
  VillageHouseholdRow,
  VillageOverview,
} from '../../../../functions/src/contract/households';

/** Registration figures are kept by a trigger: how long the page waits for them to move. */
const figuresPoll = { attempts: 8, delayMs: 400 };
const pageSize = 50;

/** Who may (re)assign a household's helper and list the village's helpers: as assignHelper allows. */
const assigners: readonly string[] = ['village_admin', 'township_admin'];
/** Who records the city's sample of a village (setSpotCheck). */
const spotCheckers: readonly string[] = ['township_admin', 'county_admin'];

/** What the list is filtered by; the village and roster membership always apply. */
interface Filters {
  search?: string;
  registered?: boolean;
  status?: HouseholdStatus;
  /** A helper's uid, or null for the unassigned. */
  helperUid?: string | null;
}

export async function householdsTab(session: Session, villageCode?: string): Promise<void> {
  const mount = pageMount();
  // An office looking at one of its villages: read-only for the households' own records.
  const office = villageCode !== undefined;
  const inVillage = villageCode ? { villageCode } : {};
  const mayAssign = assigners.includes(session.role);
  const [first, helpers] = await Promise.all([
    call('getVillageOverview', { ...inVillage, pageSize }),
    mayAssign
      ? call('listVillageHelpers', inVillage).then(
          (answer) => answer.helpers,
          // The list still works without names: rows say 已分配 and the picker says why it is empty.
          (): VillageHelperItem[] => [],
        )
      : Promise.resolve<VillageHelperItem[]>([]),
  ]);
  let overview: VillageOverview = first;
  const village = overview.village.code;
  const caller = { uid: session.user.uid, role: session.role as Role, region: session.region };
  const mayReveal = canReveal(caller, village);
  const helperNames = new Map(helpers.map((helper) => [helper.uid, helper.name]));
  const helperLabel = (row: { helperUid: string | null; helperName: string | null }) => {
    if (row.helperUid === null) return '未分配';
    if (row.helperUid === session.user.uid) return '本人';
    return helperNames.get(row.helperUid) ?? row.helperName ?? '已分配';
  };

  // The figures must reach at least the count on arrival plus what this page has registered
  // since (a household registered from another phone meanwhile only makes them higher).
  const baseline = overview.stats.registeredHouseholds;
  let registeredHere = 0;
  let followUps = 0;
  const figures = h('div', {}, header(overview));
  const list = h('ul', { class: 'rows' });

  const refreshFigures = async (): Promise<void> => {
    const expected = baseline + registeredHere;
    const { value, settled } = await pollUntil(
      () => call('getVillageOverview', { pageSize: 1 }),
      (latest) => latest.stats.registeredHouseholds >= expected,
      figuresPoll,
    );
    overview = value;
    // Still behind: say so, and look again a little later, a few times at most.
    const again = !settled && followUps < 3;
    figures.replaceChildren(header(overview, again));
    if (again) {
      followUps += 1;
      window.setTimeout(() => void refreshFigures().catch(() => undefined), 5000);
    }
  };

  const registeredBadge = () => h('span', { class: 'badge ok' }, '已注册');

  const registerButton = (householdId: string, slot: HTMLElement, kept: boolean) => {
    const button = h(
      'button',
      { type: 'button', 'data-testid': 'register-button' },
      kept ? '继续注册' : '注册',
    );
    button.addEventListener('click', () => void register(householdId, slot, button));
    return kept
      ? [
          button,
          h(
            'span',
            { class: 'muted small', 'data-testid': 'register-pending' },
            '上次提交未确认，可放心再点',
          ),
        ]
      : [button];
  };

  const register = async (householdId: string, slot: HTMLElement, button: HTMLButtonElement) => {
    button.disabled = true;
    const row = slot.closest('li');
    await submitSafely(
      `register.${householdId}`,
      'registerHousehold',
      { householdId },
      slot,
      async (result) => {
        slot.replaceChildren(registeredBadge());
        row?.setAttribute('data-registered', 'true');
        toast(result.alreadyRegistered ? '该户此前已注册' : '已注册');
        if (!result.alreadyRegistered) registeredHere += 1;
        followUps = 0;
        await refreshFigures().catch(() => {
          figures.replaceChildren(header(overview, true));
        });
      },
      () => slot.replaceChildren(...registerButton(householdId, slot, false)),
    );
  };

  /** The household as the server has it now (after a refused reassignment), found by its last four. */
  const reloadRow = async (household: VillageHouseholdRow): Promise<VillageHouseholdRow | null> => {
    const page = await call('getVillageOverview', {
      ...inVillage,
      pageSize: 100,
      search: household.idLast4,
    });
    return page.households.find((candidate) => candidate.id === household.id) ?? null;
  };

  /** 帮扶责任人 of one row: who it is, and for the village's and township's cadres a picker. */
  const helperLine = (household: VillageHouseholdRow, row: HTMLElement): HTMLElement => {
    // What the row shows is what assignHelper expects: a change by someone else meanwhile is refused.
    const state = { helperUid: household.helperUid, helperName: household.helperName };
    const name = h('span', { 'data-testid': 'household-helper' }, helperLabel(state));
    const panel = h('div', { class: 'household-panel' });
    const show = () => {
      name.textContent = helperLabel(state);
      row.setAttribute('data-helper', state.helperUid ?? '');
    };
    show();

    const openPicker = () => {
      const select = h(
        'select',
        { 'data-testid': 'assign-helper-select', 'aria-label': '帮扶责任人' },
        ...helpers.map((helper) =>
          h(
            'option',
            { value: helper.uid, selected: helper.uid === state.helperUid },
            helper.phone ? `${helper.name}（${helper.phone}）` : helper.name,
          ),
        ),
        h('option', { value: '' }, '取消分配'),
      );
      const note = h('p', { class: 'warn small-left', 'data-testid': 'assign-helper-error' });
      note.hidden = true;
      const retryHost = h('div');
      const submit = h('button', { type: 'submit', 'data-testid': 'assign-helper-submit' }, '确定');
      const form = h(
        'form',
        {
          class: 'stack',
          onsubmit: async (event: Event) => {
            event.preventDefault();
            submit.disabled = true;
            note.hidden = true;
            const chosen = select.value === '' ? null : select.value;
            await submitSafely(
              `assignHelper.${household.id}`,
              'assignHelper',
              { householdId: household.id, helperUid: chosen, expectedHelperUid: state.helperUid },
              retryHost,
              (result) => {
                state.helperUid = result.helperUid;
                state.helperName = result.helperName;
                show();
                panel.replaceChildren();
                toast(
                  !result.changed
                    ? '该户帮扶责任人未变'
                    : result.helperUid
                      ? '已分配帮扶责任人'
                      : '已取消分配',
                );
              },
              (error: CallError) => {
                submit.disabled = false;
                note.textContent = errorText(error);
                note.hidden = false;
                // Someone else changed it first: show what the household has now, so the
                // next choice is made, and checked, against that.
                void reloadRow(household).then(
                  (fresh) => {
                    if (!fresh) return;
                    state.helperUid = fresh.helperUid;
                    state.helperName = fresh.helperName;
                    show();
                    select.value = fresh.helperUid ?? '';
                    note.textContent = `${errorText(error)}（现为：${helperLabel(state)}）`;
                  },
                  () => undefined,
                );
              },
            );
            submit.disabled = false;
          },
        },
        helpers.length === 0
          ? h('p', { class: 'muted' }, '本村还没有在任的帮扶责任人，请镇级管理员先任命。')
          : null,
        select,
        h(
          'div',
          { class: 'actions' },
          submit,
          h(
            'button',
            { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() },
            '收起',
          ),
        ),
        note,
        retryHost,
      );
      panel.replaceChildren(form);
    };

    const openReveal = () => {
      const reason = h('input', {
        type: 'text',
        maxlength: 200,
        placeholder: '查看原因（必填），如：核对低保申请材料',
        'aria-label': '查看原因',
        'data-testid': 'reveal-reason',
      });
      const result = h('div', { 'data-testid': 'reveal-result' });
      const submit = h('button', { type: 'submit', 'data-testid': 'reveal-submit' }, '查看');
      const form = h(
        'form',
        {
          class: 'stack',
          onsubmit: async (event: Event) => {
            event.preventDefault();
            const why = reason.value.trim();
            if (!why) {
              result.replaceChildren(
                h('p', { class: 'warn', 'data-testid': 'reveal-error' }, '请填写查看原因'),
              );
              reason.focus();
              return;
            }
            submit.disabled = true;
            try {
              const answer = await call('revealSensitive', {
                resource: { kind: 'household', id: household.id },
                field: 'idNumber',
                reason: why,
              });
              result.replaceChildren(
                h(
                  'p',
                  {},
                  '身份证号码：',
                  h('strong', { 'data-testid': 'revealed-value' }, answer.value),
                ),
                h('p', { class: 'muted small-left' }, '本次查看及原因已记入审计日志。'),
              );
            } catch (error) {
              const text = errorText(error as CallError);
              toast(text);
              result.replaceChildren(
                h('p', { class: 'warn', 'data-testid': 'reveal-error' }, text),
              );
            }
            submit.disabled = false;
          },
        },
        h(
          'p',
          { class: 'muted small-left' },
          '查看完整号码须写明原因，谁、何时、为何查看都记入审计日志。',
        ),
        reason,
        h(
          'div',
          { class: 'actions' },
          submit,
          h(
            'button',
            { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() },
            '收起',
          ),
        ),
        result,
      );
      panel.replaceChildren(form);
      reason.focus();
    };

    return h(
      'div',
      { class: 'household-tools' },
      h(
        'div',
        { class: 'household-helper-line' },
        h('span', { class: 'muted' }, '帮扶责任人：'),
        name,
        mayAssign
          ? h(
              'button',
              {
                type: 'button',
                class: 'link',
                'data-testid': 'assign-helper',
                onclick: openPicker,
              },
              '分配',
            )
          : null,
        mayReveal
          ? h(
              'button',
              { type: 'button', class: 'link', 'data-testid': 'reveal-id', onclick: openReveal },
              '查看完整身份证号',
            )
          : null,
      ),
      panel,
    );
  };

  // Rows already on the page: a household whose registration changed between two pages can
  // come back in the next one; it is shown once. Returns how many rows were new.
  let shown = new Set<string>();
  const render = (rows: VillageHouseholdRow[]): number => {
    const fresh = rows.filter((household) => !shown.has(household.id));
    for (const household of fresh) {
      shown.add(household.id);
      // The button and, after a network failure, its retry offer live in their own slot.
      const slot = h('div', { class: 'slot' });
      if (office) {
        slot.append(
          household.registered ? registeredBadge() : h('span', { class: 'badge' }, '未注册'),
        );
      } else {
        // Registered although a request is still kept: its answer was lost on the way back.
        if (household.registered) pending.settle(`register.${household.id}`);
        slot.append(
          ...(household.registered
            ? [registeredBadge()]
            : registerButton(
                household.id,
                slot,
                pending.get(`register.${household.id}`) !== undefined,
              )),
        );
      }
      const row = h(
        'li',
        {
          class: 'household',
          'data-testid': 'household-row',
          'data-id': household.id,
          'data-registered': String(household.registered),
        },
        h(
          'div',
          {},
          h('strong', {}, household.headName),
          household.cardColour
            ? h(
                'span',
                { class: `card-${household.cardColour}` },
                household.cardColour === 'red' ? '红卡' : '蓝卡',
              )
            : null,
          h(
            'div',
            { class: 'muted' },
            `身份证尾号 ${household.idLast4} · ${household.members}人 · ${household.statusLabel}`,
          ),
        ),
        slot,
        fileLinks(household.id, office),
        // The sheet visit (入户核实) replaces the checkbox record for helpers.
        office || session.role === 'helper' ? null : visitForm(household.id),
      );
      row.append(helperLine(household, row));
      list.append(row);
    }
    return fresh.length;
  };

  // ---- The filters and paging: every answer belongs to the filters it was asked with. ----
  let filters: Filters = {};
  let asked = 0;
  let next: string | null = null;
  const matched = h('p', { class: 'muted', 'data-testid': 'household-matched' });
  const empty = h('p', { class: 'muted', 'data-testid': 'households-empty' });
  const more = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'load-more' },
    '加载更多',
  );
  const moreHost = h('div');
  // Busy while a list for new filters is on its way (tests and screen readers wait on it).
  const listCard = h(
    'section',
    { class: 'card', 'data-testid': 'household-list', 'aria-busy': 'false' },
    matched,
    list,
    empty,
    moreHost,
  );
  const filtered = () => Object.keys(filters).length > 0;
  const query = (after?: string) => ({
    ...inVillage,
    pageSize,
    ...(after ? { after } : {}),
    ...(filters.search ? { search: filters.search } : {}),
    ...(filters.registered !== undefined ? { registered: filters.registered } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.helperUid !== undefined ? { helperUid: filters.helperUid } : {}),
  });
  const showPage = (page: VillageOverview, firstPage: boolean) => {
    if (firstPage) {
      shown = new Set();
      list.replaceChildren();
      // A page with nothing new would only repeat itself: stop offering more.
      next = page.next;
    }
    const added = render(page.households);
    if (!firstPage) next = added > 0 ? page.next : null;
    matched.textContent = filtered() ? `符合条件 ${page.matched} 户` : `共 ${page.matched} 户`;
    empty.textContent =
      list.childElementCount > 0
        ? ''
        : filtered()
          ? '没有符合条件的建档立卡户，请换个姓名、身份证后四位或筛选条件。'
          : office
            ? '该村还没有建档立卡户。'
            : '本村还没有建档立卡户，请先在“导入名单”中导入。';
    empty.hidden = list.childElementCount > 0;
    moreHost.replaceChildren(...(next ? [more] : []));
  };
  showPage(overview, true);

  more.addEventListener('click', async () => {
    const mine = asked;
    more.disabled = true;
    more.textContent = '加载中…';
    try {
      const page = await call('getVillageOverview', query(next ?? undefined));
      if (mine === asked) showPage(page, false);
    } catch (error) {
      showError(error);
    }
    more.disabled = false;
    more.textContent = '加载更多';
  });

  const apply = async (wanted: Filters) => {
    asked += 1;
    const mine = asked;
    filters = wanted;
    matched.textContent = '查询中…';
    listCard.setAttribute('aria-busy', 'true');
    try {
      const page = await call('getVillageOverview', query());
      // A slower answer for filters the user has changed since is dropped.
      if (mine === asked) showPage(page, true);
    } catch (error) {
      if (mine === asked) matched.textContent = '';
      showError(error, { search: '姓名或身份证后四位' });
    }
    if (mine === asked) listCard.setAttribute('aria-busy', 'false');
  };

  mount(
    figures,
    tabs('households', villageCode),
    filterCard(session.role, helpers, apply),
    office && spotCheckers.includes(session.role) ? spotCheckCard(overview) : null,
    session.role === 'village_admin' || office ? donorRegistryCard(village) : null,
    listCard,
  );
}

/** 一户一册: the household's file, and for the village's own staff its home visit (入户核实). */
function fileLinks(householdId: string, office: boolean): HTMLElement {
  return h(
    'div',
    { class: 'file-links' },
    h('a', { href: `#/file/${householdId}`, 'data-testid': 'open-file' }, '档案'),
    office
      ? null
      : h('a', { href: `#/visit/${householdId}`, 'data-testid': 'open-sheet-visit' }, '入户核实'),
    !office && pending.get(`sheetVisit.${householdId}`)
      ? h('span', { class: 'badge', 'data-testid': 'sheet-kept' }, '核实结果待发送')
      : null,
  );
}

/** Search (name or the last four of the ID) and filters; a helper's list is always their own. */
function filterCard(
  role: string,
  helpers: VillageHelperItem[],
  apply: (filters: Filters) => Promise<void>,
): HTMLElement {
  const search = h('input', {
    type: 'search',
    maxlength: 30,
    placeholder: '姓名或身份证后四位',
    'aria-label': '搜索姓名或身份证后四位',
    'data-testid': 'household-search',
  });
  const option = (value: string, label: string) => h('option', { value }, label);
  const registered = h(
    'select',
    { 'aria-label': '注册情况', 'data-testid': 'household-filter-registered' },
    option('', '注册：全部'),
    option('false', '未注册'),
    option('true', '已注册'),
  );
  const status = h(
    'select',
    { 'aria-label': '脱贫状态', 'data-testid': 'household-filter-status' },
    option('', '状态：全部'),
    ...householdStatuses.map((value) => option(value, householdStatusLabels[value])),
  );
  const helper =
    role === 'helper'
      ? null
      : h(
          'select',
          { 'aria-label': '帮扶责任人', 'data-testid': 'household-filter-helper' },
          option('', '帮扶责任人：全部'),
          option('none', '未分配帮扶人'),
          ...helpers.map((item) => option(`uid:${item.uid}`, item.name)),
        );
  const submit = h('button', { type: 'submit', 'data-testid': 'household-search-submit' }, '查询');
  const wanted = (): Filters => {
    const text = search.value.trim();
    const filters: Filters = {};
    if (text) filters.search = text;
    if (registered.value) filters.registered = registered.value === 'true';
    if (status.value) filters.status = status.value as HouseholdStatus;
    if (helper?.value === 'none') filters.helperUid = null;
    else if (helper?.value) filters.helperUid = helper.value.slice('uid:'.length);
    return filters;
  };
  const send = async () => {
    submit.disabled = true;
    await apply(wanted());
    submit.disabled = false;
  };
  for (const select of [registered, status, helper]) {
    select?.addEventListener('change', () => void send());
  }
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'household-filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void send();
      },
    },
    h('div', { class: 'search' }, search, submit),
    h('div', { class: 'pickers' }, registered, status),
    helper,
  );
}

/** 市级抽查: whether the city sampled this village this year and how many households (seed 004). */
function spotCheckCard(overview: VillageOverview): HTMLElement {
  const thisYear = Number(chinaDate(Date.now()).slice(0, 4));
  const year = h('input', {
    type: 'number',
    min: 2017,
    max: thisYear,
    value: thisYear,
    'aria-label': '年度',
    'data-testid': 'spot-check-year',
  });
  const sampled = h('input', { type: 'checkbox', 'data-testid': 'spot-check-sampled' });
  const households = h('input', {
    type: 'number',
    min: 0,
    max: 10000,
    value: 0,
    inputmode: 'numeric',
    'aria-label': '抽查户数',
    'data-testid': 'spot-check-households',
  });
  const result = h('p', { class: 'muted', 'data-testid': 'spot-check-result' });
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'spot-check-submit' },
    '保存抽查情况',
  );
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'spot-check-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        result.textContent = '';
        try {
          const answer = await call('setSpotCheck', {
            villageCode: overview.village.code,
            year: Number(year.value),
            sampled: sampled.checked,
            households: sampled.checked ? Number(households.value || 0) : 0,
          });
          result.textContent = answer.sampled
            ? `已记录：${overview.village.name}${answer.year}年被市级抽查，抽查 ${answer.households} 户。`
            : `已记录：${overview.village.name}${answer.year}年未被市级抽查。`;
          toast('抽查情况已保存');
        } catch (error) {
          result.textContent = showError(error, {
            year: '年度',
            households: '抽查户数',
          });
        }
        submit.disabled = false;
      },
    },
    h('h2', {}, '市级抽查'),
    h('label', {}, '年度', year),
    h('label', { class: 'check' }, sampled, '本年度被市级抽查'),
    h('label', {}, '抽查户数', households),
    submit,
    result,
  );
}

/** 爱心人士注册统计表 (annex 4 of seed 000): the donors who registered through this village. */
function donorRegistryCard(villageCode: string): HTMLElement {
  const exportAs = async (format: 'csv' | 'xlsx', button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const file = await call('exportDonorRegistry', { regionCode: villageCode, format });
      download(file.filename, file.contentType, file.dataBase64);
      toast(`已导出 ${file.rows} 位爱心人士`);
    } catch (error) {
      showError(error);
    }
    button.disabled = false;
  };
  const button = (format: 'csv' | 'xlsx', testId: string, label: string) => {
    const element = h(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': testId },
      label,
    );
    element.addEventListener('click', () => void exportAs(format, element));
    return element;
  };
  return h(
    'section',
    { class: 'card donor-registry', title: '经本村注册的爱心人士：姓名、单位、注册电话' },
    h('strong', {}, '爱心人士注册统计表'),
    button('xlsx', 'export-donor-registry', 'Excel'),
    button('csv', 'export-donor-registry-csv', 'CSV'),
  );
}

/**
 * 入户登记 without the sheet (一户一册一卡, seed 004): who signed a paper sheet at a visit. A visit
 * that corrects the sheet is 入户核实 (the household's sheet page), which records each correction.
 */
function visitForm(householdId: string): HTMLElement {
  const visitedOn = dateUpToToday('入户日期');
  const box = (testId: string) => h('input', { type: 'checkbox', 'data-testid': testId });
  const signed = {
    household: box('visit-household'),
    helper: box('visit-helper'),
    cadre: box('visit-cadre'),
  };
  const host = h('div');
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        await submitSafely(
          `recordHomeVisit.${householdId}`,
          'recordHomeVisit',
          {
            householdId,
            visitedOn: visitedOn.value,
            signedBy: {
              household: signed.household.checked,
              helper: signed.helper.checked,
              cadre: signed.cadre.checked,
            },
          },
          host,
          (result) => {
            toast(result.completed ? '入户登记已完成' : '已记录，待三方签字后完成');
            (form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
          },
        );
      },
    },
    visitedOn,
    h('p', { class: 'muted' }, '信息有误需要修改的，请用"入户核实"逐项修改，修改会逐条记录。'),
    h('label', { class: 'check' }, signed.household, '贫困户已签字'),
    h('label', { class: 'check' }, signed.helper, '帮扶联系人已签字'),
    h('label', { class: 'check' }, signed.cadre, '村干已签字'),
    h('button', { type: 'submit', 'data-testid': 'visit-submit' }, '保存入户登记'),
    host,
  );
  return h('details', { 'data-testid': 'home-visit' }, h('summary', {}, '入户登记'), form);
}
