/**
 * 我的捐助: the donor's gifts with their status and next step; a pledged money gift is paid from
 * here (去支付宝支付, or by transfer to the account shown on request), a held goods pledge takes its courier and tracking number here; a gift with
 * a certificate opens its PDF and a preview. Money counts once the provider's payment notice has
 * arrived, and certificates are issued by a trigger a moment after money is received or goods
 * delivered, so the page looks again a few times (also right after the donor comes back from paying).
 */
import { chinaDate, chinaDateTime } from '../../format';
import { call } from '../../firebase';
import { errorCard, h, toast } from '../../dom';
import { navigationCheck, pageMount } from '../../navigation';
import {
  awaitingUpdate,
  byTransfer,
  donorMayConfirmHandover,
  giftStatusLabel,
  giftText,
  handoverText,
  mayPay,
  moneyNextStep,
  moneyStatusNote,
  returnedDonationId,
} from '../../giving';
import { pollUntil } from '../../poll';
import { pending, submitSafely } from '../../submit';
import { showError, type Session } from '../../app';
import { donorNav } from './common';
import type { MyDonation } from '../../../../functions/src/contract/money';
import type { CourierId } from '../../../../functions/src/domain/goods';
import { courierList, courierSelect } from './need';
import { payButton } from './pay';
import { transferAccountBlock } from './transfer';

const certificatePoll = { attempts: 10, delayMs: 1500 };

/**
 * Where to send the goods, or whom to meet: the village office's address and contact, shown
 * only for the donor's own live pledge and asked for when the donor wants it (each look is logged).
 */
function contactBlock(donation: MyDonation): HTMLElement {
  const host = h('div', { class: 'stack', 'data-testid': 'goods-contact' });
  const open = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'goods-contact-open' },
    donation.delivery === 'in_person' ? '查看交接地点和联系人' : '查看收件地址和联系人',
  );
  open.addEventListener('click', async () => {
    open.disabled = true;
    try {
      const contact = await call('getGoodsContact', {
        donationId: donation.id,
      });
      const receiving = contact.receiving;
      if (!receiving) throw new Error('村里还没有登记收件地址');
      open.remove();
      host.append(
        h(
          'div',
          { class: 'muted' },
          donation.delivery === 'in_person'
            ? `请到${contact.villageName ?? '村'}村委会与联系人当面交接：`
            : '请寄到以下地址（村委会代收，不是受助户家中）：',
        ),
        h('div', { 'data-testid': 'receiving-address' }, receiving.address),
        h(
          'div',
          { 'data-testid': 'receiving-contact' },
          `联系人：${receiving.contactName}　电话：`,
          h('a', { href: `tel:${receiving.phone.replace(/-/g, '')}` }, receiving.phone),
        ),
      );
    } catch (error) {
      open.disabled = false;
      showError(error);
    }
  });
  host.append(open);
  return host;
}

/** The donor's own confirmation of a face-to-face hand-over: a tap, never a cadre's tick. */
function confirmHandoverButton(donation: MyDonation, reload: () => void): HTMLElement {
  const retryHost = h('div');
  const button = h('button', { type: 'button', 'data-testid': 'confirm-handover' }, '我已当面交付');
  button.addEventListener('click', async () => {
    if (!window.confirm('确认您已把物品当面交给村里或受助户了吗？')) return;
    button.disabled = true;
    await submitSafely(
      `confirmHandover.${donation.id}`,
      'confirmHandover',
      { donationId: donation.id },
      retryHost,
      (result) => {
        toast(
          result.status === 'delivered'
            ? '双方已确认，交接完成，感谢您的爱心！'
            : '已确认，等待村里登记受助户收到',
        );
        reload();
      },
    );
    button.disabled = false;
  });
  return h('div', { class: 'stack' }, button, retryHost);
}

function certificateBlock(serial: string): HTMLElement {
  const files = h('div', { class: 'stack' });
  const open = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'certificate-open' },
    '查看荣誉证书',
  );
  open.addEventListener('click', async () => {
    open.disabled = true;
    try {
      // Short-lived links: asked for when the donor wants them, not with the list.
      const { pdfUrl, pngUrl } = await call('getCertificateFiles', { serial });
      open.remove();
      files.replaceChildren(
        h(
          'a',
          {
            href: pdfUrl,
            download: `荣誉证书-${serial}.pdf`,
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'certificate-pdf',
          },
          '下载荣誉证书（PDF）',
        ),
        h('img', {
          src: pngUrl,
          alt: `荣誉证书 ${serial}`,
          class: 'certificate',
          'data-testid': 'certificate-preview',
        }),
        h('a', { href: `/verify/${encodeURIComponent(serial)}` }, '在线查验'),
      );
    } catch (error) {
      open.disabled = false;
      showError(error);
    }
  });
  return h(
    'div',
    { class: 'stack' },
    h(
      'div',
      { class: 'muted' },
      '荣誉证书编号 ',
      h('span', { class: 'serial', 'data-testid': 'certificate-serial' }, serial),
    ),
    open,
    files,
  );
}

/** Courier and tracking number for goods the donor holds (72 h) and is about to send. */
function shipmentForm(donation: MyDonation, reload: () => void): HTMLElement {
  const key = `ship.${donation.id}`;
  const kept = pending.get<{ courier: string; trackingNumber: string }>(key);
  let courier = courierSelect('shipment-courier', [], kept?.data.courier);
  const tracking = h('input', {
    type: 'text',
    placeholder: '快递单号',
    'aria-label': '快递单号',
    autocomplete: 'off',
    value: kept?.data.trackingNumber,
    'data-testid': 'shipment-tracking',
  });
  void courierList()
    .then((list) => {
      const filled = courierSelect('shipment-courier', list, courier.value || kept?.data.courier);
      courier.replaceWith(filled);
      courier = filled;
    })
    .catch((error) => showError(error));
  const submit = h('button', { type: 'submit', 'data-testid': 'shipment-submit' }, '提交快递单号');
  const retryHost = h('div');
  return h(
    'form',
    {
      class: 'stack shipment',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const trackingNumber = tracking.value.replace(/\s/g, '');
        if (!courier.value) return void toast('请选择快递公司');
        if (!/^[A-Za-z0-9-]{6,40}$/.test(trackingNumber)) return void toast('请填写正确的快递单号');
        submit.disabled = true;
        await submitSafely(
          key,
          'recordShipment',
          {
            donationId: donation.id,
            // The select offers the server's couriers; the server checks the id.
            courier: courier.value as CourierId,
            trackingNumber,
          },
          retryHost,
          () => {
            toast('已登记寄出，感谢您的爱心！');
            reload();
          },
          undefined,
          { courier: '快递公司', trackingNumber: '快递单号' },
        );
        submit.disabled = false;
      },
    },
    h('strong', {}, '寄出后填写快递单号'),
    courier,
    tracking,
    submit,
    retryHost,
  );
}

/**
 * A money gift's state and next step: 待支付 with its deadline and the pay button, 已到账, 已失效,
 * 已退款… The certificate belongs to money received only (a refunded gift's is revoked).
 */
function moneyBlock(donation: MyDonation, reload: () => void): HTMLElement[] {
  const now = Date.now();
  const next = moneyNextStep({ ...donation, now });
  const transferOpen =
    byTransfer(donation) &&
    donation.status === 'pledged' &&
    donation.payBy !== null &&
    donation.payBy > now;
  return [
    next
      ? h(
          'p',
          {
            class: 'muted',
            'data-testid': donation.status === 'pledged' ? 'pay-by' : 'donation-next',
            'data-pay-by': donation.status === 'pledged' ? donation.payBy : null,
          },
          next,
        )
      : null,
    mayPay(donation, now) ? payButton(donation.id, reload) : null,
    transferOpen ? transferAccountBlock(donation.id) : null,
    ['lapsed', 'declined'].includes(donation.status)
      ? h('a', { href: `#/need/${encodeURIComponent(donation.needId)}` }, '回到需求页')
      : null,
    donation.status === 'received' && donation.certificateSerial
      ? certificateBlock(donation.certificateSerial)
      : null,
    donation.status === 'received' && !donation.certificateSerial
      ? h('p', { class: 'muted' }, '荣誉证书生成中…')
      : null,
  ].filter((node): node is HTMLElement => node !== null);
}

function donationRow(donation: MyDonation, reload: () => void): HTMLElement {
  const money = donation.kind === 'money';
  const waiting =
    donation.kind === 'goods' && (donation.status === 'held' || donation.status === 'pending');
  const live =
    donation.kind === 'goods' && ['pending', 'held', 'shipped'].includes(donation.status);
  const handover = handoverText(donation);
  const recipientDone = donation.handover?.recipientConfirmed === true;
  const earns = !money && !donation.certificateSerial && donation.status === 'delivered';
  const note = money ? moneyStatusNote(donation.status) : null;
  return h(
    'li',
    { 'data-testid': 'my-donation', 'data-id': donation.id, 'data-status': donation.status },
    h(
      'div',
      {},
      h(
        'a',
        { href: `#/need/${encodeURIComponent(donation.needId)}` },
        h('strong', {}, `${donation.maskedName} · ${donation.villageName}`),
      ),
      ' ',
      h(
        'span',
        {
          class: `badge donation-${donation.status}`,
          'data-testid': 'donation-status',
        },
        giftStatusLabel(donation),
      ),
      note ? h('span', { class: 'muted' }, note) : null,
      h('div', {}, giftText(donation)),
      h('div', { class: 'muted' }, chinaDate(donation.madeAt)),
    ),
    money ? moneyBlock(donation, reload) : null,
    waiting && donation.expiresAt && !recipientDone
      ? h(
          'p',
          { class: 'muted', 'data-testid': 'pledge-expires' },
          donation.delivery === 'in_person'
            ? `请在 ${chinaDateTime(donation.expiresAt)} 前与村里约定当面交接`
            : `请在 ${chinaDateTime(donation.expiresAt)} 前填写快递单号，逾期将释放给其他爱心人士`,
        )
      : null,
    live ? contactBlock(donation) : null,
    handover ? h('p', { class: 'muted', 'data-testid': 'handover-state' }, handover) : null,
    donorMayConfirmHandover(donation) ? confirmHandoverButton(donation, reload) : null,
    waiting && donation.delivery === 'express' ? shipmentForm(donation, reload) : null,
    !money && donation.certificateSerial ? certificateBlock(donation.certificateSerial) : null,
    earns ? h('p', { class: 'muted' }, '荣誉证书生成中…') : null,
  );
}

export async function minePage(session: Session): Promise<void> {
  const mount = pageMount();
  const nav = donorNav('mine');
  mount(nav, h('p', { class: 'muted' }, '加载中…'));
  const list = h('ul', { class: 'rows needs donations' });
  const note = h('p', { class: 'muted' });
  // An action's answer reloads the list only while the user is still on 我的捐助.
  const stillCurrent = navigationCheck();
  const reload = () => void (stillCurrent() && minePage(session));
  const rows = new Map<string, { key: string; row: HTMLElement }>();
  // Back from the provider's cashier: the gift just paid, and the signed return's fields out of
  // the address bar (the platform believes only the provider's notice, never this return).
  const justPaid = returnedDonationId(location.search);
  if (location.search) history.replaceState(null, '', `${location.pathname}${location.hash}`);

  /** Rows whose status or certificate changed are drawn again; the others keep what is open. */
  const render = (donations: MyDonation[]) => {
    for (const donation of donations) {
      const key = `${donation.status}|${donation.payBy}|${donation.certificateSerial ?? ''}|${donation.handover?.recipientConfirmed}|${donation.handover?.donorConfirmed}`;
      const shown = rows.get(donation.id);
      if (shown?.key === key) continue;
      const row = donationRow(donation, reload);
      if (shown) shown.row.replaceWith(row);
      else list.append(row);
      rows.set(donation.id, { key, row });
    }
  };

  /** Looks again until every certificate due has come, then a few more times, slower. */
  const awaitCertificates = async (round: number) => {
    const { value, settled } = await pollUntil(
      async () => {
        if (!list.isConnected) throw new Error('page left');
        return (await call('listMyDonations', {})).donations;
      },
      (donations) => {
        render(donations);
        return !awaitingUpdate(donations, justPaid);
      },
      certificatePoll,
    );
    render(value);
    if (settled) return void (note.textContent = '');
    note.textContent = value.some((row) => row.id === justPaid && row.status === 'pledged')
      ? '支付结果确认中，到账后会自动刷新。'
      : '荣誉证书仍在生成，稍后会自动刷新。';
    if (round < 3)
      window.setTimeout(() => void awaitCertificates(round + 1).catch(() => {}), 10_000);
  };

  try {
    const { donations } = await call('listMyDonations', {});
    render(donations);
    mount(
      nav,
      h(
        'section',
        { class: 'card' },
        h('h1', {}, '我的捐助'),
        donations.length
          ? list
          : h('p', { class: 'muted' }, '还没有捐助记录。', h('a', { href: '#/' }, '去找需求')),
        note,
      ),
    );
    if (awaitingUpdate(donations, justPaid)) void awaitCertificates(1).catch(() => undefined);
  } catch (error) {
    mount(nav, errorCard(showError(error), reload));
  }
}
