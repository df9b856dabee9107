/** Donors: published needs to browse, and the public view of one need. */
import { call } from '../firebase';
import { h, mount } from '../dom';
import { phoneDisplay, yuan } from '../format';
import { showError, type Session } from '../app';

interface PublicNeed {
  id: string;
  maskedName: string;
  villageName: string;
  categoryLabel: string;
  guaranteeLabel: string;
  reason: string;
  kind: 'money' | 'goods';
  amountFen: number | null;
  items: Array<{ name: string; quantity: number; unit: string }> | null;
  evidencePhotoIds: string[];
  status: string;
  photos?: Array<{ thumbUrl: string; displayUrl: string }>;
}

function asks(need: PublicNeed): string {
  return need.kind === 'money'
    ? `需要资金 ${yuan(need.amountFen ?? 0)}`
    : `需要 ${(need.items ?? []).map((item) => `${item.name}${item.quantity}${item.unit}`).join('、')}`;
}

export async function donorPage(session: Session): Promise<void> {
  mount(h('p', { class: 'muted' }, '加载中…'));
  try {
    const { needs } = await call<{ needs: PublicNeed[] }>('listPublicNeeds', { pageSize: 20 });
    mount(
      h(
        'section',
        { class: 'card' },
        h('h1', {}, '帮助TA'),
        h(
          'p',
          { class: 'muted' },
          h('span', { 'data-testid': 'donor-phone' }, phoneDisplay(session.user.phoneNumber)),
          ' · 等待最久的需求在前',
        ),
      ),
      needs.length === 0 ? h('p', { class: 'card muted' }, '目前没有等待帮助的需求。') : null,
      h(
        'ul',
        { class: 'rows card', hidden: needs.length === 0 },
        needs.map((need) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/need/${need.id}` },
              h('strong', {}, `${need.maskedName} · ${need.villageName}`),
              h('div', {}, `${need.categoryLabel} · ${asks(need)}`),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    mount(
      h(
        'section',
        { class: 'card' },
        h('p', {}, showError(error)),
        h('button', { onclick: () => void donorPage(session) }, '重试'),
      ),
    );
  }
}

export async function publicNeedPage(needId: string): Promise<void> {
  mount(h('p', { class: 'muted' }, '加载中…'));
  try {
    const need = await call<PublicNeed>('getPublicNeed', { needId });
    const photos = h('div', { class: 'thumbs' });
    mount(
      h(
        'section',
        { class: 'card', 'data-testid': 'public-need' },
        h('h1', { 'data-testid': 'masked-name' }, need.maskedName),
        h(
          'p',
          { class: 'muted' },
          `${need.villageName} · ${need.categoryLabel} · ${need.guaranteeLabel}`,
        ),
        h('p', { class: 'asks' }, asks(need)),
        h('p', {}, need.reason),
        photos,
        h('p', { class: 'muted' }, '本需求已由村级信息管理员入户核实。'),
      ),
    );
    photos.replaceChildren(
      ...(need.photos ?? []).map((photo) =>
        h(
          'a',
          { href: photo.displayUrl, target: '_blank', rel: 'noopener' },
          h('img', { src: photo.thumbUrl, alt: '佐证照片', 'data-testid': 'photo-thumb' }),
        ),
      ),
    );
  } catch (error) {
    mount(h('section', { class: 'card' }, h('p', {}, showError(error))));
  }
}
