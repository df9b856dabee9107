/**
 * 我的资料: the donor's profile (个人 or 企业, name, unit: what the honour certificate prints),
 * 爱心关注 (regions followed, the one picked on 找需求 followed from here), and the needs newly
 * published in those regions.
 */
import { call } from '../../firebase';
import { errorCard, h, mount, toast } from '../../dom';
import { asksText } from '../../giving';
import { showError, type Session } from '../../app';
import { donorNav, pickedRegions, takeReturnTo } from './common';
import type {
  DonorProfile,
  FollowedNews,
  FollowedRegion,
} from '../../../../functions/src/contract/money';

const fieldLabels = { kind: '类型', name: '姓名或名称', unit: '单位' };

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
        save.disabled = true;
        try {
          // Saving the same profile twice is harmless: no request id needed.
          await call('saveDonorProfile', {
            kind: data.kind,
            name: data.name,
            ...(data.unit ? { unit: data.unit } : {}),
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
