/** What the donor pages share: the nav, progress bars, the picked regions. */
import { h } from '../../dom';
import { browserStorage } from '../../pending';
import type { RegionItem } from '../../../../functions/src/contract/households';
import {
  heldFen,
  heldShare,
  needStatusLabel,
  progressLines,
  progressShare,
  remainingFen,
  type Progress,
} from '../../giving';

/** 找需求 / 我的捐助 / 我的资料. */
export function donorNav(active: 'browse' | 'mine' | 'profile'): HTMLElement {
  const tab = (id: string, href: string, label: string) =>
    h(
      'a',
      { href, class: active === id ? 'tab active' : 'tab', 'data-testid': `nav-${id}` },
      label,
    );
  return h(
    'nav',
    { class: 'tabs', 'aria-label': '爱心人士' },
    tab('browse', '#/', '找需求'),
    tab('mine', '#/mine', '我的捐助'),
    tab('profile', '#/profile', '我的资料'),
  );
}

/**
 * The progress of a need: a bar and a line of text per money target or item. Money that has
 * arrived fills the bar; money pledged and not yet paid shows beside it, lighter.
 */
export function progressView(need: Progress): HTMLElement {
  const share = progressShare(need);
  const held = heldShare(need);
  return h(
    'div',
    {
      class: 'progress',
      'data-testid': 'need-progress',
      'data-remaining': need.kind === 'money' ? remainingFen(need) : null,
      'data-raised': need.kind === 'money' ? need.raisedFen : null,
      'data-held': need.kind === 'money' ? heldFen(need) : null,
    },
    h(
      'div',
      {
        class: 'meter',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(Math.round(share * 100)),
      },
      h('span', { style: `width:${(share * 100).toFixed(1)}%` }),
      held > 0 ? h('span', { class: 'held', style: `width:${(held * 100).toFixed(1)}%` }) : null,
    ),
    progressLines(need).map((line) => h('div', { class: 'muted small-left' }, line)),
  );
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status}` }, needStatusLabel(status));
}

const storage = browserStorage();
const regionKey = 'fupin.donor.region';
const returnKey = 'fupin.donor.returnTo';

/** The region path picked on the browse page (province → … → village), kept across pages. */
export function pickedRegions(): RegionItem[] {
  try {
    const kept = JSON.parse(storage.getItem(regionKey) ?? '[]') as unknown;
    return Array.isArray(kept)
      ? kept.filter(
          (region): region is RegionItem =>
            typeof region?.code === 'string' && typeof region?.name === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export function keepPickedRegions(path: RegionItem[]): void {
  try {
    storage.setItem(regionKey, JSON.stringify(path));
  } catch {
    // Storage full: the pick is only lost after a reload.
  }
}

/** Where to go back to once the profile is saved (a donation refused for a missing profile). */
export function setReturnTo(hash: string | null): void {
  try {
    if (hash) storage.setItem(returnKey, hash);
    else storage.removeItem(returnKey);
  } catch {
    // Nothing kept: the donor finds the need again from the list.
  }
}

export function takeReturnTo(): string | null {
  try {
    const hash = storage.getItem(returnKey);
    storage.removeItem(returnKey);
    return hash && /^#\/need\/[^/]+$/.test(hash) ? hash : null;
  } catch {
    return null;
  }
}
