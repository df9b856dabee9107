/**
 * The public verification page behind the QR code on a printed certificate: `/verify/{serial}`.
 * Anyone, signed in or not, learns whether the certificate is genuine, revoked (why, and when)
 * or its record tampered with; shown before the sign-in state is even known.
 */
import { call, type CallError } from '../firebase';
import { errorCard, h, mount } from '../dom';
import { chinaDate, errorText } from '../format';
import { giftText, revocationLabel, verifyLabel, type VerifyStatus } from '../giving';
import { normalizeSerial } from '../../../functions/src/domain/certificate/serial';
import type { CertificateVerdict, ShownCertificate } from '../../../functions/src/contract/money';

function lookUpForm(serial: string): HTMLElement {
  const hint = h('p', { class: 'warn', 'data-testid': 'verify-typed-invalid', hidden: true });
  const input = h('input', {
    type: 'text',
    placeholder: 'FP-2026-XXXX-XXXX-XXXX',
    'aria-label': '证书编号',
    autocomplete: 'off',
    value: serial,
  });
  return h(
    'form',
    {
      class: 'card stack',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (!input.value.trim()) return;
        // Read as Crockford base-32 allows (O for 0, I or L for 1, full-width, no dashes), so
        // a serial typed from paper finds its certificate.
        const typed = normalizeSerial(input.value);
        if (!typed) {
          hint.textContent =
            '证书编号应为 FP-年份-XXXX-XXXX-XXXX（字母不含 U），请核对后重新输入。';
          hint.hidden = false;
          return;
        }
        location.assign(`/verify/${typed}`);
      },
    },
    h('h2', {}, '查验其他证书'),
    input,
    hint,
    h('button', { type: 'submit', class: 'secondary' }, '查验'),
  );
}

function statusCard(status: VerifyStatus, serial: string, detail: Node | null): HTMLElement {
  return h(
    'section',
    { class: `card verify verify-${status}` },
    h('p', { class: 'muted' }, '社会扶贫荣誉证书查验'),
    h('h1', { 'data-testid': 'verify-status', 'data-status': status }, verifyLabel(status)),
    h('p', { class: 'muted' }, '证书编号 ', h('span', { 'data-testid': 'verify-serial' }, serial)),
    detail,
  );
}

function recordList(record: ShownCertificate): HTMLElement {
  const row = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)];
  return h(
    'dl',
    { class: 'record' },
    row('捐赠人', h('span', { 'data-testid': 'verify-donor' }, record.donorName)),
    record.donorUnit ? row('单位', record.donorUnit) : null,
    row('受助户', record.householdMasked),
    row('所在村', record.villageName),
    row('捐赠内容', giftText(record.gift)),
    row('颁发日期', record.issuedAt),
  );
}

export async function verifyPage(typed: string): Promise<void> {
  const serial = normalizeSerial(typed) ?? typed;
  // Links in the header lead back into the app, not to `/verify/…#/`.
  document.querySelector('.brand')?.setAttribute('href', '/');
  if (!serial) return mount(lookUpForm(''));
  mount(h('p', { class: 'muted' }, '查验中…'));
  let verdict: CertificateVerdict;
  try {
    verdict = await call('verifyCertificate', { serial });
  } catch (error) {
    const code = (error as CallError).code;
    if (code === 'functions/not-found' || code === 'functions/invalid-argument') {
      return mount(
        statusCard('not_found', serial, h('p', {}, '请核对证书上的编号，或扫描证书上的二维码。')),
        lookUpForm(serial),
      );
    }
    return mount(errorCard(errorText(error as CallError), () => void verifyPage(typed)));
  }
  if (verdict.status === 'tampered') {
    // A tampered record shows nothing of itself, not even its serial.
    return mount(
      statusCard(
        'tampered',
        serial,
        h(
          'p',
          { class: 'warn' },
          '该证书的记录与签发时不一致，内容不可信。如有疑问请联系当地扶贫部门。',
        ),
      ),
      lookUpForm(''),
    );
  }
  const { record } = verdict;
  mount(
    statusCard(
      verdict.status,
      record.serial,
      h(
        'div',
        {},
        verdict.status === 'revoked'
          ? h(
              'p',
              { class: 'warn' },
              `撤销原因：${revocationLabel(verdict.revocation.reason)}（${chinaDate(verdict.revocation.revokedAt)}）`,
            )
          : null,
        recordList(record),
      ),
    ),
    lookUpForm(''),
  );
}
