/**
 * The public view of one need (`#/need/{id}`), for anyone signed in; donors also get 帮助TA:
 * an amount for a money need, or quantities and a delivery for goods. Both are retry-safe: the
 * request id is kept until the server answers.
 */
import { call, type CallError } from '../../firebase';
import { base64Of, downscalePhoto, errorCard, h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { chinaDateTime, yuan } from '../../format';
import {
  asksText,
  byTransfer,
  checkAmount,
  deliveryOf,
  giftStatusLabel,
  moneyNextStep,
  pledgeItems,
  remainingFen,
  remainingQuantity,
} from '../../giving';
import { pollUntil } from '../../poll';
import { drafts, pending, submitSafely } from '../../submit';
import { showError, type Session } from '../../app';
import { donorNav, progressView, setReturnTo, statusBadge } from './common';
import { payButton } from './pay';
import { transferAccountBlock } from './transfer';
import type { Courier, MyDonation } from '../../../../functions/src/contract/money';
import type { DonationMethod } from '../../../../functions/src/domain/donation';
import type { PublicNeed } from '../../../../functions/src/contract/needs';

const fieldLabels = { amountFen: '金额', items: '物品', delivery: '交付方式', needId: '需求' };

let couriers: Promise<Courier[]> | undefined;
/** The couriers for the selects, asked for once per page life. */
export function courierList(): Promise<Courier[]> {
  couriers ??= call('listCouriers', {}).then((answer) => answer.couriers);
  couriers.catch(() => (couriers = undefined));
  return couriers;
}

export function courierSelect(testId: string, list: Courier[], chosen = ''): HTMLSelectElement {
  return h(
    'select',
    { 'data-testid': testId, 'aria-label': '快递公司' },
    h('option', { value: '' }, '选择快递公司'),
    list.map((courier) =>
      h('option', { value: courier.id, selected: courier.id === chosen }, courier.label),
    ),
  );
}

/** The result line of a gift: `data-status` follows it (sending → pending → pledged …). */
function showResult(
  host: HTMLElement,
  status: string,
  text: string,
  donationId?: string,
  ...more: HTMLElement[]
): void {
  host.dataset.status = status;
  if (donationId) host.dataset.donationId = donationId;
  const settled = status !== 'sending' && status !== 'unconfirmed';
  host.replaceChildren(
    text,
    ...(settled ? [' ', h('a', { href: '#/mine' }, '查看我的捐助')] : []),
    ...more,
  );
}

/**
 * A money gift's line once settlement has spoken: 待支付 with its deadline and the pay button,
 * 已到账, or why it was not taken. Only the provider's notice makes it 已到账, never this page.
 */
function showMoneyResult(host: HTMLElement, donation: MyDonation, onLapsed: () => void): void {
  const amount = yuan(donation.amountFen ?? 0);
  if (donation.status === 'pledged' && donation.payBy && byTransfer(donation)) {
    showResult(
      host,
      'pledged',
      `待转账：${amount}，已为您保留。`,
      donation.id,
      h(
        'div',
        {},
        h(
          'span',
          { 'data-testid': 'pay-by', 'data-pay-by': String(donation.payBy) },
          `请在 ${chinaDateTime(donation.payBy)} 前转账到受助户的银行账户`,
        ),
        '，村里核对到账后即为已到账；逾期承诺的金额将释放给其他爱心人士。',
      ),
      transferAccountBlock(donation.id),
    );
    return;
  }
  if (donation.status === 'pledged' && donation.payBy) {
    const payBy = h(
      'span',
      { 'data-testid': 'pay-by', 'data-pay-by': String(donation.payBy) },
      `请在 ${chinaDateTime(donation.payBy)} 前完成支付`,
    );
    showResult(
      host,
      'pledged',
      `待支付：${amount}，已为您保留。`,
      donation.id,
      h('div', {}, payBy, '，逾期承诺的金额将释放给其他爱心人士。'),
      payButton(donation.id, onLapsed),
    );
    return;
  }
  const texts: Record<string, string> = {
    pending: '已提交，处理中。结果稍后可在“我的捐助”查看。',
    received: `已到账 ${amount}，感谢您的爱心！荣誉证书生成后可在“我的捐助”查看。`,
  };
  showResult(
    host,
    donation.status,
    texts[donation.status] ??
      `${giftStatusLabel(donation)}。${moneyNextStep({ ...donation, now: Date.now() }) ?? ''}`,
    donation.id,
  );
}

/** After a refusal for a missing profile: to the profile form, and back here once it is saved. */
function toProfileIfMissing(error: CallError, needId: string): boolean {
  if (error.details?.reason !== 'profile_missing') return false;
  setReturnTo(`#/need/${encodeURIComponent(needId)}`);
  toast('请先填写爱心人士资料，保存后回到这里继续');
  location.hash = '#/profile';
  return true;
}

/**
 * Back on a need with a gift still to pay: its line again, with the button (the pay button lives
 * on the pledge, not on the form, so it stays even when pledges now hold all the need lacks).
 * `lookAgain` when the pay button is refused; `whilePending` for a gift settlement has not
 * decided yet (the form keeps looking until it has).
 */
function showOwnPledge(
  host: HTMLElement,
  needId: string,
  lookAgain: (donationId: string) => void,
  whilePending?: (donationId: string) => void,
): void {
  void call('listMyDonations', {})
    .then(({ donations }) => {
      const mine = donations
        .filter((row) => row.needId === needId && row.kind === 'money')
        .find((row) => row.status === 'pledged' || row.status === 'pending');
      if (!mine || host.dataset.status) return;
      showMoneyResult(host, mine, () => lookAgain(mine.id));
      if (mine.status === 'pending') whilePending?.(mine.id);
    })
    .catch(() => undefined);
}

function moneyForm(need: PublicNeed, refresh: () => Promise<PublicNeed | undefined>): HTMLElement {
  const key = `donate.${need.id}`;
  const kept = pending.get<{ needId: string; amountFen: number; method?: DonationMethod }>(key);
  const draft = drafts.load<{ amount: string; method?: DonationMethod }>(key);
  let remaining = remainingFen(need);
  const amount = h('input', {
    type: 'text',
    inputmode: 'decimal',
    placeholder: `金额（元），最多 ${yuan(remaining)}`,
    'aria-label': '捐助金额（元）',
    'data-testid': 'donate-amount',
    value: kept ? (kept.data.amountFen / 100).toFixed(2) : draft.amount,
  });
  const chosenMethod = kept?.data.method ?? draft.method ?? 'alipay';
  const method = h(
    'select',
    { 'data-testid': 'donate-method', 'aria-label': '付款方式' },
    h('option', { value: 'alipay', selected: chosenMethod === 'alipay' }, '支付宝'),
    h(
      'option',
      { value: 'transfer', selected: chosenMethod === 'transfer' },
      '银行转账（直接转到受助户账户）',
    ),
  );
  const keepDraft = () =>
    drafts.save(key, {
      amount: amount.value,
      method: method.value === 'transfer' ? 'transfer' : 'alipay',
    });
  amount.addEventListener('input', keepDraft);
  method.addEventListener('change', keepDraft);
  const submit = h('button', { type: 'submit', 'data-testid': 'donate-submit' }, '确认捐助');
  const result = h('p', { class: 'result', 'data-testid': 'donate-result', 'aria-live': 'polite' });
  const retryHost = h('div');
  if (kept)
    showResult(result, 'unconfirmed', '上次提交未确认，可放心再点“确认捐助”，不会重复捐助。');

  const refreshRemaining = async () => {
    const latest = await refresh();
    if (latest) remaining = remainingFen(latest);
  };

  /** Money is pledged or declined by a trigger a moment after it is made: look a few times. */
  const settle = async (donationId: string, patient = false): Promise<void> => {
    try {
      const { value, settled } = await pollUntil(
        () => {
          if (!result.isConnected) throw new Error('page left');
          return call('listMyDonations', {});
        },
        ({ donations }) =>
          donations.some((row) => row.id === donationId && row.status !== 'pending'),
        patient ? { attempts: 10, delayMs: 3000 } : { attempts: 10, delayMs: 800 },
      );
      const donation = value.donations.find((row) => row.id === donationId);
      if (donation) showMoneyResult(result, donation, () => void settle(donationId));
      else
        showResult(result, 'pending', '已提交，处理中。结果稍后可在“我的捐助”查看。', donationId);
      await refreshRemaining();
      // A busy moment: keep looking, slower, so the pay button comes without a reload.
      if (!settled && !patient) await settle(donationId, true);
    } catch {
      // The gift is made; only the follow-up look failed.
      showResult(result, 'pending', '已提交，处理中。结果稍后可在“我的捐助”查看。', donationId);
    }
  };

  if (!kept) {
    const lookAgain = (donationId: string) => void settle(donationId);
    showOwnPledge(result, need.id, lookAgain, lookAgain);
  }

  const send = async (event: Event) => {
    event.preventDefault();
    const checked = checkAmount(amount.value, remaining);
    if ('error' in checked) return void toast(checked.error);
    submit.disabled = true;
    showResult(result, 'sending', '提交中…');
    await submitSafely(
      key,
      'donate',
      {
        needId: need.id,
        amountFen: checked.amountFen,
        // The select offers only the two methods.
        method: method.value === 'transfer' ? 'transfer' : 'alipay',
      },
      retryHost,
      async (answer) => {
        drafts.clear(key);
        showResult(result, 'pending', '已提交，处理中…', answer.donationId);
        await settle(answer.donationId);
      },
      (error) => {
        if (toProfileIfMissing(error, need.id)) return;
        const left = error.details?.remainingFen;
        if (typeof left === 'number') remaining = left;
        showResult(
          result,
          'refused',
          typeof left === 'number' ? `该需求目前还差 ${yuan(left)}。` : '未能提交。',
        );
      },
      fieldLabels,
    );
    submit.disabled = false;
    if (retryHost.childElementCount > 0)
      showResult(result, 'unconfirmed', '网络不稳定，尚未确认。');
  };

  return h(
    'form',
    { class: 'card stack', 'data-testid': 'donate-form', onsubmit: send },
    h('h2', {}, '帮助TA'),
    h(
      'p',
      { class: 'muted' },
      `还可捐助 ${yuan(remaining)}。确认后金额为您保留，请在显示的期限内通过支付宝付款或转账到受助户的银行账户；款项到账后才计入已到账并生成荣誉证书。`,
    ),
    amount,
    h('label', { class: 'stack' }, '付款方式', method),
    submit,
    result,
    retryHost,
  );
}

function goodsForm(need: PublicNeed, refresh: () => Promise<PublicNeed | undefined>): HTMLElement {
  const key = `pledge.${need.id}`;
  const items = need.items ?? [];
  const kept = pending.get<{
    items: Array<{ itemIndex: number; quantity: number }>;
    delivery: { method: string; courier?: string; trackingNumber?: string };
  }>(key);
  const quantities = items.map((item, index) => {
    const left = remainingQuantity(item);
    const keptQuantity = kept?.data.items.find((row) => row.itemIndex === index)?.quantity;
    return h('input', {
      type: 'number',
      inputmode: 'numeric',
      min: '0',
      max: String(left),
      step: '1',
      placeholder: left > 0 ? `最多 ${left}` : '已认捐满',
      disabled: left === 0,
      value: keptQuantity,
      'aria-label': `${item.name}数量`,
      'data-testid': 'pledge-quantity',
      'data-index': String(index),
    });
  });
  const method = h(
    'select',
    { 'data-testid': 'delivery-method', 'aria-label': '交付方式' },
    h('option', { value: 'express' }, '快递寄送'),
    h(
      'option',
      { value: 'in_person', selected: kept?.data.delivery.method === 'in_person' },
      '当面交接',
    ),
  );
  const courierHost = h('div', { class: 'stack' });
  let courier = courierSelect('courier-select', [], kept?.data.delivery.courier);
  const tracking = h('input', {
    type: 'text',
    placeholder: '快递单号（可寄出后再填）',
    'aria-label': '快递单号',
    autocomplete: 'off',
    value: kept?.data.delivery.trackingNumber,
    'data-testid': 'tracking-input',
  });
  courierHost.append(courier, tracking);
  void courierList()
    .then((list) => {
      const chosen = courier.value || kept?.data.delivery.courier;
      const filled = courierSelect('courier-select', list, chosen);
      courier.replaceWith(filled);
      courier = filled;
    })
    .catch((error) => showError(error));
  const showMethod = () => (courierHost.hidden = method.value !== 'express');
  method.addEventListener('change', showMethod);
  showMethod();

  const photo = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    capture: 'environment',
    'aria-label': '物品照片',
    'data-testid': 'pledge-photo',
  });
  /** The goods' photo follows the pledge; the request id makes a resend replace, not add. */
  const sendPhoto = async (donationId: string) => {
    const file = photo.files?.[0];
    if (!file) return;
    try {
      const small = await downscalePhoto(file);
      await call('attachGoodsPhoto', {
        requestId: crypto.randomUUID(),
        donationId,
        contentType: 'image/jpeg',
        dataBase64: await base64Of(small),
      });
      toast('物品照片已上传');
    } catch (error) {
      showError(error);
    }
  };
  const submit = h('button', { type: 'submit', 'data-testid': 'pledge-submit' }, '确认认捐');
  const result = h('p', { class: 'result', 'data-testid': 'donate-result', 'aria-live': 'polite' });
  const retryHost = h('div');
  if (kept)
    showResult(result, 'unconfirmed', '上次提交未确认，可放心再点“确认认捐”，不会重复认捐。');

  const send = async (event: Event) => {
    event.preventDefault();
    const chosen = pledgeItems(
      quantities.map((input) => input.value),
      items,
    );
    if ('error' in chosen) return void toast(chosen.error);
    const delivery = deliveryOf(method.value, courier.value, tracking.value);
    if ('error' in delivery) return void toast(delivery.error);
    submit.disabled = true;
    showResult(result, 'sending', '提交中…');
    await submitSafely(
      key,
      'pledgeGoods',
      { needId: need.id, items: chosen.items, delivery: delivery.delivery },
      retryHost,
      async (answer) => {
        // A new pledge is always pending (settlement holds or declines it a moment later).
        showResult(
          result,
          answer.status,
          delivery.delivery.method === 'in_person'
            ? `已认捐，物品为您保留至 ${chinaDateTime(answer.expiresAt)}，请与村里约定当面交接。`
            : `已认捐，物品为您保留至 ${chinaDateTime(answer.expiresAt)}，请在此前寄出，并在“我的捐助”填写快递单号。`,
          answer.donationId,
        );
        await sendPhoto(answer.donationId);
        await refresh();
      },
      (error) => {
        if (toProfileIfMissing(error, need.id)) return;
        showResult(result, 'refused', '未能提交。');
      },
      fieldLabels,
    );
    submit.disabled = false;
    if (retryHost.childElementCount > 0)
      showResult(result, 'unconfirmed', '网络不稳定，尚未确认。');
  };

  return h(
    'form',
    { class: 'card stack', 'data-testid': 'pledge-form', onsubmit: send },
    h('h2', {}, '帮助TA'),
    items.map((item, index) =>
      h(
        'label',
        { class: 'stack' },
        `${item.name}（还需 ${remainingQuantity(item)} ${item.unit}）`,
        quantities[index],
      ),
    ),
    h('label', { class: 'stack' }, '物品照片（可选）', photo),
    h('label', { class: 'stack' }, '交付方式', method),
    courierHost,
    h(
      'p',
      { class: 'muted' },
      '认捐的物品为您保留 72 小时，寄出（填写快递单号）或当面交接后生效。',
    ),
    submit,
    result,
    retryHost,
  );
}

/** 帮助TA for a donor; a covered need says so instead. */
function helpSection(
  need: PublicNeed,
  refresh: () => Promise<PublicNeed | undefined>,
): HTMLElement {
  const open =
    need.status !== 'fulfilled' &&
    (need.kind === 'money'
      ? remainingFen(need) > 0
      : (need.items ?? []).some((item) => remainingQuantity(item) > 0));
  if (!open) {
    // All it lacks may be held by pledges awaiting payment, one of them perhaps this donor's.
    const promised = need.kind === 'money' && need.status !== 'fulfilled' && need.heldFen > 0;
    const result = h('p', {
      class: 'result',
      'data-testid': 'donate-result',
      'aria-live': 'polite',
    });
    // Refused (the time ran out): the line again, as it is now, and the figures with it.
    const lookAgain = () => {
      delete result.dataset.status;
      result.replaceChildren();
      showOwnPledge(result, need.id, lookAgain);
      void refresh();
    };
    if (need.kind === 'money') showOwnPledge(result, need.id, lookAgain);
    return h(
      'section',
      { class: 'card stack', 'data-testid': 'need-covered' },
      h(
        'p',
        {},
        promised
          ? '该需求还差的金额已有爱心人士认捐，正在等待付款；如逾期未付，金额将重新开放。'
          : '该需求已有爱心人士帮助，感谢您的关注！',
      ),
      result,
      h('a', { href: '#/' }, '看看其他需求'),
    );
  }
  return need.kind === 'money' ? moneyForm(need, refresh) : goodsForm(need, refresh);
}

/**
 * A goods need's pledged quantities as they are now: a hold whose 72 hours ran out is free at
 * once, even before the published figures catch up. Left as published if the call fails.
 */
async function withLiveQuantities(need: PublicNeed): Promise<void> {
  if (need.kind !== 'goods' || !need.items) return;
  try {
    const live = await call('getGoodsAvailability', { needId: need.id });
    need.items.forEach((item, index) => {
      const now = live.items[index];
      if (now) Object.assign(item, now);
    });
  } catch {
    // The published figures are at most one settlement behind; the server checks every pledge.
  }
}

export async function publicNeedPage(needId: string, session?: Session): Promise<void> {
  const mount = pageMount();
  const donor = session?.role === 'donor';
  const nav = donor ? donorNav('browse') : null;
  mount(nav, h('p', { class: 'muted' }, '加载中…'));
  try {
    const need = await call('getPublicNeed', { needId });
    if (donor) await withLiveQuantities(need);
    const progress = h('div', {}, progressView(need));
    // After a gift: the figures again (the form stays as it is, with its result).
    const refresh = async () => {
      const latest = await call('getPublicNeed', { needId }).catch(() => undefined);
      if (latest) progress.replaceChildren(progressView(latest));
      return latest;
    };
    const photos = h(
      'div',
      { class: 'thumbs' },
      need.photos.map((photo) =>
        h(
          'a',
          { href: photo.displayUrl, target: '_blank', rel: 'noopener' },
          h('img', { src: photo.thumbUrl, alt: '佐证照片', 'data-testid': 'photo-thumb' }),
        ),
      ),
    );
    mount(
      nav,
      h(
        'section',
        { class: 'card', 'data-testid': 'public-need' },
        h('h1', { 'data-testid': 'masked-name' }, need.maskedName),
        h(
          'p',
          { class: 'muted' },
          `${need.villageName} · ${need.categoryLabel} · ${need.guaranteeLabel} `,
          statusBadge(need.status),
        ),
        h('p', { class: 'asks' }, asksText(need)),
        progress,
        h('p', {}, need.reason),
        photos,
        h('p', { class: 'muted' }, '本需求已由村级信息管理员入户核实。'),
      ),
      donor ? helpSection(need, refresh) : null,
    );
  } catch (error) {
    mount(
      nav,
      errorCard(showError(error), () => void publicNeedPage(needId, session)),
    );
  }
}
