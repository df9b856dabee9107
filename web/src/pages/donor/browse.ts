/**
 * 找需求: published needs, filtered by region (cascading selects from the province down to a
 * township or village), category and a search (masked name, surname or village name). The
 * server orders them: the longest-waiting, and villages furthest below the match target, first.
 */
import { call } from '../../firebase';
import type { RegionItem } from '../../../../functions/src/contract/households';
import type { PublicNeed } from '../../../../functions/src/contract/needs';
import type { NeedCategory } from '../../../../functions/src/domain/need/categories';
import { h } from '../../dom';
import { pageMount } from '../../navigation';
import { phoneDisplay } from '../../format';
import { needCategories } from '../../categories';
import { asksText, regionLevelNames, waitedText } from '../../giving';
import { showError, type Session } from '../../app';
import { donorNav, keepPickedRegions, pickedRegions, progressView, statusBadge } from './common';

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

const pageSize = 20;

/** Filters kept while the donor moves between pages (search and category for this tab only). */
const filters: { category: NeedCategory | ''; search: string } = { category: '', search: '' };

export async function browsePage(session: Session): Promise<void> {
  const mount = pageMount();
  let path = pickedRegions();
  const pickers = h('div', { class: 'pickers' });
  const list = h('ul', { class: 'rows needs' });
  const status = h('p', { class: 'muted' }, '加载中…');
  const more = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'load-more-needs', hidden: true },
    '加载更多',
  );
  let next: string | null = null;
  // Each new filter starts a new listing; answers to older ones are dropped.
  let listing = 0;

  const regionSelect = (regions: RegionItem[], chosen: string | undefined, depth: number) => {
    const level = regions[0]?.level ?? 'province';
    const select = h(
      'select',
      {
        'data-testid': 'region-select',
        'data-level': level,
        'aria-label': `选择${regionLevelNames[level] ?? ''}`,
      },
      h('option', { value: '' }, depth === 0 ? '全国' : `全部${regionLevelNames[level] ?? ''}`),
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

  let picking = 0;
  /** The donor picked `region` (or 全部) at `depth`: deeper selects go, the next level comes. */
  const pick = async (depth: number, region: RegionItem | undefined) => {
    const token = ++picking;
    path = [...path.slice(0, depth), ...(region ? [region] : [])];
    keepPickedRegions(path);
    while (pickers.children.length > depth + 1) pickers.lastElementChild?.remove();
    void load(true);
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

  /** The selects of the kept path, each level's list asked for at once. */
  const restorePickers = async () => {
    const parents = ['', ...path.filter((region) => region.level !== 'village').map((r) => r.code)];
    const levels = await Promise.all(parents.map((code) => regionsOf(code)));
    const selects: HTMLSelectElement[] = [];
    for (const [depth, regions] of levels.entries()) {
      const chosen = path[depth];
      if (regions.length === 0) break;
      // A kept code no longer listed (divisions change): the path stops there.
      if (chosen && !regions.some((region) => region.code === chosen.code)) {
        path = path.slice(0, depth);
        selects.push(regionSelect(regions, undefined, depth));
        break;
      }
      selects.push(regionSelect(regions, chosen?.code, depth));
    }
    keepPickedRegions(path);
    pickers.replaceChildren(...selects);
  };

  const card = (need: PublicNeed) =>
    h(
      'li',
      { 'data-testid': 'need-card', 'data-id': need.id, 'data-kind': need.kind },
      h(
        'a',
        { href: `#/need/${encodeURIComponent(need.id)}` },
        h('strong', {}, `${need.maskedName} · ${need.villageName}`),
        ' ',
        need.status === 'published' ? null : statusBadge(need.status),
        h('div', {}, `${need.categoryLabel} · ${asksText(need)}`),
        progressView(need),
        h('div', { class: 'muted small-left' }, waitedText(need.publishedAt, Date.now())),
      ),
    );

  const load = async (reset: boolean) => {
    const token = reset ? ++listing : listing;
    if (reset) {
      next = null;
      list.replaceChildren();
      status.textContent = '加载中…';
      status.hidden = false;
      more.hidden = true;
    }
    more.disabled = true;
    const regionCode = path.at(-1)?.code;
    try {
      const page = await call('listPublicNeeds', {
        pageSize,
        ...(regionCode ? { regionCode } : {}),
        ...(filters.category ? { category: filters.category } : {}),
        ...(filters.search ? { search: filters.search } : {}),
        ...(!reset && next ? { after: next } : {}),
      });
      if (token !== listing) return;
      // A need can move between two pages while the donor reads: it is shown once.
      const shown = new Set(
        [...list.children].map((child) => (child as HTMLElement).dataset.id ?? ''),
      );
      const fresh = page.needs.filter((need) => !shown.has(need.id));
      list.append(...fresh.map(card));
      next = fresh.length > 0 ? page.next : null;
      status.hidden = list.children.length > 0;
      status.textContent = '没有符合条件的需求，换个地区或类别试试。';
    } catch (error) {
      if (token !== listing) return;
      status.hidden = false;
      status.textContent = showError(error);
    }
    more.disabled = false;
    more.hidden = !next;
  };
  more.addEventListener('click', () => void load(false));

  const category = h(
    'select',
    { 'data-testid': 'category-select', 'aria-label': '类别' },
    h('option', { value: '' }, '全部类别'),
    needCategories.map(([value, label]) =>
      h('option', { value, selected: filters.category === value }, label),
    ),
  );
  category.addEventListener('change', () => {
    // The select offers only the categories (and '' for all).
    filters.category = category.value as NeedCategory | '';
    void load(true);
  });
  const search = h('input', {
    type: 'search',
    placeholder: '姓氏、村名或 张*华',
    'aria-label': '搜索',
    maxlength: '20',
    value: filters.search,
    'data-testid': 'search-input',
  });
  const searchForm = h(
    'form',
    {
      class: 'search',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        filters.search = search.value.trim();
        void load(true);
      },
    },
    search,
    h('button', { type: 'submit', 'data-testid': 'search-submit' }, '搜索'),
  );

  mount(
    donorNav('browse'),
    h(
      'section',
      { class: 'card stack' },
      h('h1', {}, '帮助TA'),
      h(
        'p',
        { class: 'muted' },
        h('span', { 'data-testid': 'donor-phone' }, phoneDisplay(session.user.phoneNumber)),
        ' · 等待最久、对接率最低的村的需求在前',
      ),
      pickers,
      category,
      searchForm,
    ),
    h('section', { class: 'card' }, list, status, more),
  );
  try {
    await restorePickers();
  } catch (error) {
    showError(error);
    pickers.replaceChildren(
      h('button', { class: 'secondary', onclick: () => void browsePage(session) }, '重新加载地区'),
    );
  }
  void load(true);
}
