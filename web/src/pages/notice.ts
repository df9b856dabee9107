/**
 * The public page of a notice (公示), `/notice/{noticeId}`: anyone, signed in or not, sees the
 * village's list (names masked on the web; the printed notice on the village board names in full),
 * the window and how to object. During the window an objection is filed here by someone whose
 * mobile number an SMS code has verified (no account or profile beyond that); a closed notice
 * shows no form.
 */
import { onAuthStateChanged, type User } from 'firebase/auth';
import { auth, call, type CallError } from '../firebase';
import { errorCard, h, mount, toast } from '../dom';
import { chinaDate, errorText } from '../format';
import { phoneSignIn } from './phone';
import {
  applicationKindLabels,
  noticeStageLabels,
} from '../../../functions/src/domain/identification';
import type { PublicNotice } from '../../../functions/src/contract/identification';
import { contactPhoneDisplay, FieldErrors } from './identification/labels';
import { send } from './identification/send';

/** The phone form of 手机号登录, worded for verifying an objector's number. */
function phoneVerification(): HTMLElement {
  const form = phoneSignIn();
  form.dataset.testid = 'objection-phone';
  const title = form.querySelector('h2');
  if (title) title.textContent = '验证手机号';
  const intro = form.querySelector('h2 + p');
  if (intro) {
    intro.textContent =
      '提出异议需先用短信验证码验证手机号（不需注册），以便乡村核实时与您联系；号码不公开。';
  }
  const button = form.querySelector('[data-testid="phone-sign-in"]');
  if (button) button.textContent = '验证';
  form.querySelector('.chips')?.remove();
  return form;
}

function objectionForm(notice: PublicNotice): HTMLElement {
  const errors = new FieldErrors();
  const household = h(
    'select',
    { 'aria-label': '对哪一户有异议', 'data-testid': 'objection-household' },
    h('option', { value: '' }, '请选择对哪一户有异议'),
    notice.entries.map((entry) => h('option', { value: entry.applicationId }, entry.name)),
  );
  const text = h('textarea', {
    rows: '4',
    placeholder: '异议内容：您了解到的情况（不写身份证、银行卡号码）',
    'aria-label': '异议内容',
    'data-testid': 'objection-text',
  });
  const verified = h('p', { class: 'ok', 'data-testid': 'objection-verified', hidden: true });
  const phoneHost = h('div');
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'objection-submit', disabled: true },
    '提交异议',
  );
  const retryHost = h('div');
  const receipt = h('section', {
    class: 'card ok',
    'data-testid': 'objection-receipt',
    hidden: true,
  });
  let user: User | null = null;
  const showUser = (current: User | null) => {
    user = current;
    submit.disabled = !current;
    verified.hidden = !current;
    verified.textContent = current?.phoneNumber
      ? `手机号已验证：${current.phoneNumber.replace(/^\+86(\d{3})\d{4}(\d{4})$/, '$1****$2')}`
      : current
        ? '已登录'
        : '';
    phoneHost.replaceChildren(current ? '' : phoneVerification());
  };
  onAuthStateChanged(auth, showUser);
  const form = h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'objection-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (!user) return void toast('请先验证手机号');
        if (!household.value) {
          return void errors.show([{ path: 'applicationId', code: 'too_small' }]);
        }
        submit.disabled = true;
        await send(
          `fileObjection.${notice.id}`,
          'fileObjection',
          { noticeId: notice.id, applicationId: household.value, text: text.value.trim() },
          retryHost,
          errors,
          (answer) => {
            form.hidden = true;
            receipt.hidden = false;
            receipt.replaceChildren(
              h('h2', {}, '异议已收到'),
              h(
                'p',
                {},
                '回执编号：',
                h('strong', { 'data-testid': 'objection-receipt-number' }, answer.receipt),
              ),
              h(
                'p',
                { class: 'muted' },
                `请保存回执编号。村（乡镇）将在公示期内核实并答复；也可拨打 ${contactPhoneDisplay(notice.contactPhone)} 查询。`,
              ),
            );
          },
        );
        submit.disabled = !user;
      },
    },
    h('h2', {}, '提出异议'),
    ...errors.field('applicationId', household),
    ...errors.field('text', text),
    phoneHost,
    verified,
    errors.formLine,
    submit,
    retryHost,
  );
  return h('div', {}, form, receipt);
}

function noticeCard(notice: PublicNotice): HTMLElement {
  const period = notice.closesAt
    ? `公示期：${chinaDate(notice.opensAt)} 至 ${chinaDate(notice.closesAt)}（7天）`
    : `公告日期：${chinaDate(notice.opensAt)}`;
  return h(
    'section',
    {
      class: 'card public-notice',
      'data-testid': 'public-notice',
      'data-open': String(notice.open),
    },
    h('p', { class: 'muted' }, notice.placeName),
    h(
      'h1',
      { 'data-testid': 'notice-title' },
      `${notice.villageName}${notice.year}年${notice.kind === 'entry' ? '建档立卡贫困户识别' : '扶贫对象动态调整'}${noticeStageLabels[notice.stage]}`,
    ),
    h('p', { 'data-testid': 'notice-window' }, period),
    notice.open
      ? null
      : h(
          'p',
          { class: 'warn', 'data-testid': 'notice-closed' },
          notice.closesAt ? '公示期已结束，不再受理异议。' : '本公告不受理异议。',
        ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'data-testid': 'notice-list' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, '户主'),
            h('th', {}, '类别'),
            h('th', {}, '人口'),
            h('th', {}, '致贫原因'),
          ),
        ),
        h(
          'tbody',
          {},
          notice.entries.map((entry) =>
            h(
              'tr',
              { 'data-testid': 'notice-entry', 'data-id': entry.applicationId },
              h('td', {}, entry.name),
              h('td', {}, applicationKindLabels[entry.kind]),
              h('td', {}, String(entry.members)),
              h('td', {}, entry.cause ?? '—'),
            ),
          ),
        ),
      ),
    ),
    h('p', { class: 'muted' }, '网上公示隐去部分姓名；村务公开栏张贴的公示载明全名。'),
    h(
      'p',
      {},
      '对名单有异议的，可在公示期内拨打乡镇扶贫工作站电话 ',
      h(
        'a',
        { href: `tel:${notice.contactPhone}`, 'data-testid': 'notice-phone-number' },
        contactPhoneDisplay(notice.contactPhone),
      ),
      notice.open ? '，或在下方提出。' : '。',
    ),
  );
}

export async function noticePage(noticeId: string): Promise<void> {
  // Links in the header lead back into the app, not to `/notice/…#/`.
  document.querySelector('.brand')?.setAttribute('href', '/');
  if (!noticeId) {
    return mount(h('section', { class: 'card' }, h('p', {}, '请从公示的二维码或链接打开。')));
  }
  mount(h('p', { class: 'muted' }, '加载中…'));
  let notice: PublicNotice;
  try {
    notice = await call('getPublicNotice', { noticeId });
  } catch (error) {
    const code = (error as CallError).code;
    if (code === 'functions/not-found' || code === 'functions/invalid-argument') {
      return mount(
        h(
          'section',
          { class: 'card', 'data-testid': 'notice-not-found' },
          h('h1', {}, '没有找到这份公示'),
          h('p', {}, '请核对链接，或向村委会询问。'),
        ),
      );
    }
    return mount(errorCard(errorText(error as CallError), () => void noticePage(noticeId)));
  }
  mount(noticeCard(notice), notice.open ? objectionForm(notice) : null);
}
