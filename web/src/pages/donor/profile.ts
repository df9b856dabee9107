/**
 * 我的资料: the donor's profile (个人 or 企业, name, unit: what the honour certificate prints; the
 * village registered through, which reports the donor on its 爱心人士注册统计表), 爱心关注
 * (regions followed, the one picked on 找需求 followed from here), and the needs newly published
 * in those regions.
 */
import { call } from '../../firebase';
import { errorCard, h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { asksText, regionLevelNames } from '../../giving';
import { showError, type Session } from '../../app';
import { donorNav, pickedRegions, takeReturnTo } from './common';
import type { RegionItem } from '../../../../functions/src/contract/households';
import type {
  DonorProfile,
  FollowedNews,
  FollowedRegion,
} from '../../../../functions/src/contract/money';
import { ancestorsOf } from '../../../../functions/src/domain/regions';

const fieldLabels = { kind: '类型', name: '姓名或名称', unit: '单位', villageCode: '注册所在村' };

const regionCache = new Map<string, Promise<RegionItem[]>>();

/** The divisions under `parentCode` (provinces for ''), asked for once per page life. */
function regionsOf(parentCode: string): Promise<RegionItem[]> {
  let regions = regionCache.get(parentCode);
  if (!regions) {
    regions = call('listRegions', parentCode ? { parentCode } : {}).then(
      (answer) => answer.regions,
    );
    // A failure is not kept: the next pick asks again.
    regions.catch(() => regionCache.delete(parentCode));
    regionCache.set(parentCode, regions);
  }
  return regions;
}

/** A village chosen with cascading region selects, as the profile form (and others) use it. */
export interface VillagePicker {
  element: HTMLElement;
  /** The chosen village's code; null when none is chosen, undefined when the pick stops above a village. */
  value(): string | null | undefined;
}

/**
 * Cascading selects from the province down to a village (`profile-village-select`, data-level),
 * opened on `initialCode` when one is given, its full name shown (`profile-village-name`), and a
 * 清除 button (`profile-village-clear`) for no village.
 */
export function villagePicker(initialCode: string | null): VillagePicker {
  const pickers = h('div', { class: 'pickers village-pickers' });
  const chosenName = h(
    'p',
    { class: 'muted', 'data-testid': 'profile-village-name' },
    initialCode ? '加载中…' : '未选择',
  );
  let path: RegionItem[] = [];
  let picking = 0;

  const showChosen = () => {
    const village = path.at(-1)?.level === 'village';
    chosenName.textContent = village
      ? `注册所在村：${path.map((region) => region.name).join('')}`
      : path.length > 0
        ? '请继续选择到村（社区）'
        : '未选择';
  };

  const regionSelect = (regions: RegionItem[], chosen: string | undefined, depth: number) => {
    const level = regions[0]?.level ?? 'province';
    const label = regionLevelNames[level] ?? '';
    const select = h(
      'select',
      {
        'data-testid': 'profile-village-select',
        'data-level': level,
        'aria-label': `选择${label}`,
      },
      h('option', { value: '' }, `选择${label}`),
      regions.map((region) =>
        h('option', { value: region.code, selected: region.code === chosen }, region.name),
      ),
    );
    select.addEventListener('change', () => {
      const region = regions.find((candidate) => candidate.code === select.value);
      void pick(depth, region);
    });
    return select;
  };

  /** `region` (or nothing) picked at `depth`: deeper selects go, the next level comes. */
  const pick = async (depth: number, region: RegionItem | undefined) => {
    const token = ++picking;
    path = [...path.slice(0, depth), ...(region ? [region] : [])];
    while (pickers.children.length > depth + 1) pickers.lastElementChild?.remove();
    showChosen();
    if (!region || region.level === 'village') return;
    try {
      const children = await regionsOf(region.code);
      if (token === picking && children.length > 0) {
        pickers.append(regionSelect(children, undefined, depth + 1));
      }
    } catch (error) {
      showError(error);
    }
  };

  /** The selects down to `code`, each level's list asked for at once. */
  const open = async (code: string | null) => {
    const token = ++picking;
    const parents = ['', ...(code ? ancestorsOf(code).reverse() : [])];
    try {
      const levels = await Promise.all(parents.map((parent) => regionsOf(parent)));
      if (token !== picking) return;
      const selects: HTMLSelectElement[] = [];
      const opened: RegionItem[] = [];
      for (const [depth, regions] of levels.entries()) {
        if (regions.length === 0) break;
        const wanted = code?.slice(0, parents[depth + 1]?.length ?? code.length);
        const chosen = regions.find((region) => region.code === wanted);
        selects.push(regionSelect(regions, chosen?.code, depth));
        // A saved code no longer listed (divisions change): the pick stops there.
        if (!chosen) break;
        opened.push(chosen);
      }
      path = opened;
      pickers.replaceChildren(...selects);
      showChosen();
    } catch (error) {
      chosenName.textContent = showError(error);
    }
  };

  const clear = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'profile-village-clear' },
    '清除',
  );
  clear.addEventListener('click', () => void open(null));
  void open(initialCode);

  return {
    element: h(
      'div',
      { class: 'stack', 'data-testid': 'profile-village' },
      pickers,
      h('div', { class: 'village-chosen' }, chosenName, clear),
    ),
    value: () => {
      const last = path.at(-1);
      if (!last) return null;
      return last.level === 'village' ? last.code : undefined;
    },
  };
}

function profileForm(profile: DonorProfile | null): HTMLElement {
  const kind = h(
    'select',
    { 'data-testid': 'profile-kind', 'aria-label': '类型' },
    h('option', { value: 'person' }, '个人'),
    h('option', { value: 'enterprise', selected: profile?.kind === 'enterprise' }, '企业'),
  );
  const name = h('input', {
    type: 'text',
    maxlength: '50',
    autocomplete: 'name',
    'aria-label': '姓名或名称',
    value: profile?.name,
    'data-testid': 'profile-name',
  });
  const unit = h('input', {
    type: 'text',
    maxlength: '50',
    autocomplete: 'organization',
    'aria-label': '单位',
    value: profile?.unit ?? '',
    'data-testid': 'profile-unit',
  });
  const showKind = () => {
    const enterprise = kind.value === 'enterprise';
    name.placeholder = enterprise ? '联系人姓名' : '姓名（印在荣誉证书上）';
    unit.placeholder = enterprise ? '企业名称（必填）' : '工作单位（选填）';
  };
  kind.addEventListener('change', showKind);
  showKind();
  const village = villagePicker(profile?.villageCode ?? null);
  const save = h('button', { type: 'submit', 'data-testid': 'profile-save' }, '保存资料');
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'profile-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const data = {
          // The select offers these two.
          kind: kind.value === 'enterprise' ? ('enterprise' as const) : ('person' as const),
          name: name.value.trim(),
          unit: unit.value.trim(),
        };
        if (!data.name) return void toast('请填写姓名或名称');
        if (data.kind === 'enterprise' && !data.unit) return void toast('企业请填写单位名称');
        const villageCode = village.value();
        if (villageCode === undefined) {
          return void toast('注册所在村请选择到村（社区），不填请点“清除”');
        }
        save.disabled = true;
        try {
          // Saving the same profile twice is harmless: no request id needed.
          await call('saveDonorProfile', {
            kind: data.kind,
            name: data.name,
            ...(data.unit ? { unit: data.unit } : {}),
            // Left out, the server clears it: 清除 means no village.
            ...(villageCode ? { villageCode } : {}),
          });
          toast('资料已保存');
          const back = takeReturnTo();
          if (back) location.hash = back;
        } catch (error) {
          showError(error, fieldLabels);
        }
        save.disabled = false;
      },
    },
    h('h2', {}, '爱心人士资料'),
    profile
      ? h('p', { class: 'muted' }, `注册手机 ${profile.phoneMasked}`)
      : h('p', { class: 'warn' }, '捐助前请先填写资料：荣誉证书上将印有您的姓名或单位。'),
    h('label', { class: 'stack' }, '类型', kind),
    h('label', { class: 'stack' }, '姓名或名称', name),
    h('label', { class: 'stack' }, '单位', unit),
    h(
      'fieldset',
      { class: 'stack plain' },
      h('legend', {}, '注册所在村（选填）'),
      h(
        'p',
        { class: 'muted' },
        '经村（社区）干部帮助注册的，请选择该村：您将列入该村的爱心人士注册统计表。',
      ),
      village.element,
    ),
    save,
  );
}

function followSection(initial: FollowedRegion[]): HTMLElement {
  const picked = pickedRegions();
  const region = picked.at(-1);
  const host = h('section', { class: 'card stack' });
  const render = (follows: FollowedRegion[]) => {
    const followed = region && follows.some((follow) => follow.code === region.code);
    const follow = region
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            disabled: followed,
            'data-testid': 'follow-region',
            'data-code': region.code,
          },
          followed
            ? `已关注 ${picked.map((r) => r.name).join('')}`
            : `关注 ${picked.map((r) => r.name).join('')}`,
        )
      : h('p', { class: 'muted' }, '在“找需求”中选择地区后，可在这里关注该地区。');
    if (region && !followed) {
      follow.addEventListener('click', () => void change(region.code, true));
    }
    host.replaceChildren(
      h('h2', {}, '爱心关注'),
      follow,
      follows.length
        ? h(
            'ul',
            { class: 'rows' },
            follows.map((row) =>
              h(
                'li',
                { 'data-testid': 'follow-row', 'data-code': row.code },
                h('div', {}, row.name),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    'data-testid': 'unfollow',
                    onclick: () => void change(row.code, false),
                  },
                  '取消关注',
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '还没有关注的地区。'),
    );
  };
  const change = async (regionCode: string, follow: boolean) => {
    host.querySelectorAll('button').forEach((button) => (button.disabled = true));
    try {
      // Following twice is one follow, unfollowing twice none: a retry is harmless.
      const { follows } = await call('setFollow', {
        regionCode,
        follow,
      });
      toast(follow ? '已关注' : '已取消关注');
      render(follows);
    } catch (error) {
      showError(error);
      host.querySelectorAll('button').forEach((button) => (button.disabled = false));
    }
  };
  render(initial);
  return host;
}

function newsSection(news: FollowedNews[]): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '关注地区新需求'),
    news.length
      ? h(
          'ul',
          { class: 'rows needs' },
          news.map((need) =>
            h(
              'li',
              { 'data-testid': 'news-need', 'data-id': need.id },
              h(
                'a',
                { href: `#/need/${encodeURIComponent(need.id)}` },
                h('strong', {}, `${need.maskedName} · ${need.villageName}`),
                need.isNew ? h('span', { class: 'badge ok' }, '新') : null,
                h('div', {}, `${need.categoryLabel} · ${asksText(need)}`),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '关注地区暂无新需求。'),
  );
}

export async function profilePage(session: Session): Promise<void> {
  const mount = pageMount();
  const nav = donorNav('profile');
  mount(nav, h('p', { class: 'muted' }, '加载中…'));
  try {
    const { profile, follows, news } = await call('getDonorProfile', {});
    mount(nav, profileForm(profile), followSection(follows), newsSection(news));
  } catch (error) {
    mount(
      nav,
      errorCard(showError(error), () => void profilePage(session)),
    );
  }
}
