/**
 * 人员, for offices (township and up): their staff and the staff of every region below them
 * (removed ones too), appointing the level directly below, and removing (停用) those they appoint.
 * Appointed staff sign in with the phone number given here and an SMS code.
 */
import { call, type CallError } from '../firebase';
import { h, toast } from '../dom';
import { pageMount } from '../navigation';
import { e164, errorText, issueText, phoneDisplay } from '../format';
import { regionLevelNames } from '../giving';
import { submitSafely } from '../submit';
import { roleLabel, showError, type Session } from '../app';
import {
  adminLevelOf,
  appointableRoles,
  type Role,
  type StaffRole,
} from '../../../functions/src/domain/roles';
import { levelOfCode, parentCode, regionLevels } from '../../../functions/src/domain/regions';
import type { RegionItem, StaffItem } from '../../../functions/src/contract/households';

const pageSize = 50;

const fieldLabels: Record<string, string> = {
  name: '姓名',
  phone: '手机号',
  role: '职务',
  regionCode: '地区',
};

const regionCache = new Map<string, Promise<RegionItem[]>>();

/** The divisions under `parent` (provinces for ''), asked for once per page life. */
function regionsUnder(parent: string): Promise<RegionItem[]> {
  let regions = regionCache.get(parent);
  if (!regions) {
    regions = call('listRegions', parent ? { parentCode: parent } : {}).then(
      (answer) => answer.regions,
    );
    // A failure is not kept: the next look-up asks again.
    regions.catch(() => regionCache.delete(parent));
    regionCache.set(parent, regions);
  }
  return regions;
}

/** A region's name, looked up among its parent's divisions; its code when that fails. */
async function regionName(code: string): Promise<string> {
  if (code === '') return '全国';
  try {
    const siblings = await regionsUnder(parentCode(code) ?? '');
    return siblings.find((region) => region.code === code)?.name ?? code;
  } catch {
    return code;
  }
}

/** `{region}_{role}_2` → "第 2 席". */
function seatText(seat: string | null): string {
  const n = seat?.split('_').at(-1);
  return n ? `第 ${n} 席` : '';
}

/** A refusal in Chinese, as showError words it (field problems listed), without a second toast. */
function refusalText(error: CallError): string {
  const issues = error.details?.issues ?? [];
  return issues.length > 0
    ? issues.map((issue) => issueText(issue, fieldLabels)).join('；')
    : errorText(error);
}

export async function staffPage(session: Session): Promise<void> {
  const mount = pageMount();
  mount(h('p', { class: 'muted' }, '加载中…'));
  const roles = (appointableRoles[session.role as Role] ?? []) as readonly Exclude<
    StaffRole,
    'ops'
  >[];
  const ownName = await regionName(session.region);

  // ---- The list ----
  const list = h('ul', {
    class: 'rows staff-list',
    'data-testid': 'staff-list',
    'aria-busy': 'true',
  });
  const listStatus = h('p', { class: 'muted' }, '加载中…');
  const more = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'staff-more', hidden: true },
    '加载更多',
  );
  let next: string | null = null;
  // A refresh starts a new listing; answers to an older one are dropped.
  let listing = 0;

  /** Those this office appointed or could have: the roles it appoints, never itself. */
  const removable = (item: StaffItem) =>
    item.status === 'active' && item.uid !== session.user.uid && roles.some((r) => r === item.role);

  const rowOf = (item: StaffItem, where: string): HTMLLIElement => {
    const row = h('li', {
      class: 'staff-row',
      'data-testid': 'staff-row',
      'data-uid': item.uid,
      'data-role': item.role,
      'data-region': item.regionCode,
      'data-status': item.status,
    });
    const actions = h('div', { class: 'staff-actions' });
    const offerRemove = () => {
      const remove = h(
        'button',
        { type: 'button', class: 'secondary', 'data-testid': 'staff-remove' },
        '停用',
      );
      remove.addEventListener('click', () => confirmRemove());
      actions.replaceChildren(remove);
    };
    // What else changes, said before it happens: the seat, or a helper's households.
    const consequence = item.seat
      ? `，${seatText(item.seat)}随即空出，可另行任命`
      : item.role === 'helper'
        ? '，其结对的贫困户转为“未分配帮扶人”，由村级信息管理员重新指定'
        : '';
    const confirmRemove = () => {
      const confirm = h(
        'button',
        { type: 'button', class: 'danger', 'data-testid': 'staff-remove-confirm' },
        `确认停用${item.name}：此人将不能再登录和办理业务${consequence}`,
      );
      const cancel = h(
        'button',
        { type: 'button', class: 'secondary', 'data-testid': 'staff-remove-cancel' },
        '取消',
      );
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        cancel.disabled = true;
        try {
          await call('removeStaff', { uid: item.uid });
          toast(`已停用：${item.name}`);
          row.replaceWith(rowOf({ ...item, status: 'removed', seat: null }, where));
        } catch (error) {
          showError(error);
          confirm.disabled = false;
          cancel.disabled = false;
        }
      });
      cancel.addEventListener('click', () => {
        row.classList.remove('confirming');
        offerRemove();
      });
      row.classList.add('confirming');
      actions.replaceChildren(h('div', { class: 'stack staff-confirm' }, confirm, cancel));
    };
    if (removable(item)) offerRemove();
    row.append(
      h(
        'div',
        {},
        h('strong', {}, item.name),
        ' ',
        h(
          'span',
          { class: item.status === 'active' ? 'badge ok' : 'badge', 'data-testid': 'staff-status' },
          item.status === 'active' ? '在岗' : '已停用',
        ),
        h(
          'div',
          { class: 'muted' },
          [
            roleLabel(item.role),
            where,
            item.seat ? seatText(item.seat) : '',
            item.phone ?? '无手机号（邮箱登录）',
          ]
            .filter(Boolean)
            .join(' · '),
        ),
      ),
      actions,
    );
    return row;
  };

  // One region below the office at a time: a township's helpers alone can run to hundreds.
  const filter = h(
    'select',
    { 'data-testid': 'staff-filter', 'aria-label': '查看哪个地区的人员' },
    h('option', { value: '' }, `全部（${ownName}及下级）`),
  );
  regionsUnder(session.region).then(
    (regions) =>
      filter.append(...regions.map((region) => h('option', { value: region.code }, region.name))),
    // Without the list of regions the filter offers 全部 only; the staff list still loads.
    () => undefined,
  );
  filter.addEventListener('change', () => void load(true));

  const load = async (fresh: boolean) => {
    const mine = fresh ? ++listing : listing;
    more.disabled = true;
    list.setAttribute('aria-busy', 'true');
    if (fresh) listStatus.textContent = '加载中…';
    try {
      const page = await call('listStaff', {
        pageSize,
        ...(filter.value ? { regionCode: filter.value } : {}),
        ...(fresh || !next ? {} : { after: next }),
      });
      const names = await Promise.all(page.staff.map((item) => regionName(item.regionCode)));
      if (mine !== listing) return;
      const rows = page.staff.map((item, i) => rowOf(item, names[i] ?? item.regionCode));
      if (fresh) list.replaceChildren(...rows);
      else list.append(...rows);
      next = page.next;
      more.hidden = next === null;
      listStatus.textContent = list.childElementCount === 0 ? '还没有人员' : '';
    } catch (error) {
      if (mine === listing) listStatus.textContent = showError(error);
    } finally {
      if (mine === listing) {
        more.disabled = false;
        list.setAttribute('aria-busy', 'false');
      }
    }
  };
  more.addEventListener('click', () => void load(false));

  // ---- Appointing ----
  const role = h(
    'select',
    { 'data-testid': 'appoint-role', 'aria-label': '职务' },
    roles.map((value) => h('option', { value }, roleLabel(value))),
  );
  const pickers = h('div', { class: 'stack' });
  const name = h('input', {
    type: 'text',
    placeholder: '姓名',
    'aria-label': '姓名',
    autocomplete: 'off',
    'data-testid': 'appoint-name',
  });
  const phone = h('input', {
    type: 'tel',
    inputmode: 'numeric',
    placeholder: '手机号（本人用它和短信验证码登录）',
    'aria-label': '手机号',
    autocomplete: 'off',
    'data-testid': 'appoint-phone',
  });
  const problem = h('p', {
    class: 'result',
    'data-status': 'refused',
    'data-testid': 'appoint-error',
  });
  const result = h('p', {
    class: 'result',
    'data-status': 'accepted',
    'data-testid': 'appoint-result',
  });
  const retryHost = h('div');
  const submit = h('button', { type: 'submit', 'data-testid': 'appoint-submit' }, '任命');

  /** The levels from just below the office down to the one the chosen role is bound to. */
  const levelsFor = (chosen: string) => {
    const own = levelOfCode(session.region);
    const first = own ? regionLevels.indexOf(own) + 1 : 0;
    const target = adminLevelOf[chosen as Role];
    return target ? regionLevels.slice(first, regionLevels.indexOf(target) + 1) : [];
  };

  let picking = 0;
  /** Shows the select for `levels[depth]`, the divisions under `parent`; deeper ones go. */
  const showPicker = async (levels: readonly string[], depth: number, parent: string) => {
    const token = ++picking;
    while (pickers.childElementCount > depth) pickers.lastElementChild?.remove();
    const level = levels[depth] as (typeof regionLevels)[number];
    let regions: RegionItem[];
    try {
      regions = await regionsUnder(parent);
    } catch (error) {
      showError(error);
      return;
    }
    if (token !== picking) return;
    const label = regionLevelNames[level];
    const select = h(
      'select',
      { 'data-testid': 'appoint-region', 'data-level': level, 'aria-label': `选择${label}` },
      h('option', { value: '' }, regions.length > 0 ? `选择${label}` : `没有可选的${label}`),
      regions.map((region) => h('option', { value: region.code }, region.name)),
    );
    select.addEventListener('change', () => {
      problem.textContent = '';
      if (depth + 1 < levels.length && select.value)
        void showPicker(levels, depth + 1, select.value);
      else while (pickers.childElementCount > depth + 1) pickers.lastElementChild?.remove();
    });
    pickers.append(select);
  };
  const resetPickers = () => {
    pickers.replaceChildren();
    const levels = levelsFor(role.value);
    if (levels.length > 0) void showPicker(levels, 0, session.region);
  };
  role.addEventListener('change', resetPickers);

  /** The chosen region when the pickers reach the role's level, with its name. */
  const chosenRegion = (): { code: string; name: string } | undefined => {
    const selects = [...pickers.querySelectorAll('select')];
    const last = selects.at(-1);
    const levels = levelsFor(role.value);
    if (!last || selects.length !== levels.length || !last.value) return undefined;
    return { code: last.value, name: last.selectedOptions[0]?.textContent ?? last.value };
  };

  const refuse = (text: string) => {
    problem.textContent = text;
    toast(text);
  };

  const appoint = async (event: Event) => {
    event.preventDefault();
    problem.textContent = '';
    result.textContent = '';
    const chosenRole = role.value as Exclude<StaffRole, 'ops'>;
    const levels = levelsFor(chosenRole);
    const region = chosenRegion();
    if (!region) return refuse(`请选择${regionLevelNames[levels.at(-1) ?? 'village']}`);
    const personName = name.value.trim();
    if (!personName) return refuse('请填写姓名');
    const number = e164(phone.value);
    if (!number) return refuse('请填写11位手机号，如 139 1234 5678');
    submit.disabled = true;
    try {
      await submitSafely(
        'appointStaff',
        'appointStaff',
        { role: chosenRole, regionCode: region.code, name: personName, phone: number },
        retryHost,
        async (answer) => {
          const seat = answer.seat ? `（${seatText(answer.seat)}）` : '';
          result.textContent = `已任命 ${personName} 为${region.name}${roleLabel(answer.role)}${seat}。请告知本人：今后用手机号 ${phoneDisplay(number)} 和短信验证码登录。`;
          name.value = '';
          phone.value = '';
          await load(true);
        },
        (error) => {
          problem.textContent = refusalText(error);
        },
        fieldLabels,
      );
    } finally {
      submit.disabled = false;
    }
  };

  const form = h(
    'form',
    { class: 'card stack', 'data-testid': 'appoint-form', onsubmit: appoint },
    h('h2', {}, '任命人员'),
    h(
      'p',
      { class: 'muted' },
      '任命下一级的管理员或帮扶责任人。被任命人用这里填写的手机号和短信验证码登录。',
    ),
    role,
    pickers,
    name,
    phone,
    submit,
    retryHost,
    problem,
    result,
  );

  const shown = mount(
    h('h1', { class: 'page-title' }, `${ownName} · 人员`),
    roles.length > 0 ? form : null,
    h('section', { class: 'card' }, h('h2', {}, '本级及下级人员'), filter, listStatus, list, more),
  );
  if (!shown) return;
  resetPickers();
  await load(true);
}
