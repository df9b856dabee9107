/** 需求审核: the village's needs, their review, the donations they received and hand-overs. */
import { call } from '../../firebase';
import type { NeedDonation, NeedRow } from '../../../../functions/src/contract/needs';
import type { DonationStatus } from '../../../../functions/src/domain/donation';
import type { KeptCallable, KeptInput } from '../../submit';
import { h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { chinaDateTime, yuan } from '../../format';
import { needStatusLabels, type NeedStatus } from '../../../../functions/src/domain/need/status';
import {
  rejectionReasonLabels,
  rejectionReasons,
} from '../../../../functions/src/domain/need/rejection';
import { showError, type Session } from '../../app';
import { dateUpToToday, header, submitSafely, tabs } from './shared';
import { recordArrivalBlock } from './arrival';
import { byTransfer } from '../../giving';

/** The server's reasons and their labels, as the ledger prints them; 其他 asks for a note. */
const rejectReasons = rejectionReasons.map(
  (code) =>
    [
      code,
      code === 'other'
        ? `${rejectionReasonLabels[code]}（请在备注写明）`
        : rejectionReasonLabels[code],
    ] as const,
);

/** The staff actions that move a need; each answers where it left the need. */
type NeedMove = Extract<
  KeptCallable,
  'startNeedReview' | 'reviewNeed' | 'withdrawNeed' | 'confirmReceipt' | 'closeNeed'
>;

/**
 * The queue's status filter: what waits for the administrator first (待审核), then the needs
 * donors see, those covered, and those sent back or withdrawn (with the ones re-validation found
 * wrong, which also wait for the data to be corrected).
 */
const statusFilters: ReadonlyArray<{
  id: string;
  label: string;
  statuses?: NeedStatus[];
}> = [
  { id: 'waiting', label: '待审核', statuses: ['submitted', 'under_review'] },
  { id: 'published', label: '已发布', statuses: ['published'] },
  { id: 'covered', label: '已对接/已完成', statuses: ['matched', 'fulfilled', 'closed'] },
  { id: 'returned', label: '已退回/已撤回', statuses: ['rejected', 'withdrawn', 'invalid'] },
  { id: 'all', label: '全部' },
];

/** The filter last chosen, kept while the page is open so that coming back shows the same list. */
let chosenFilter = 'waiting';

/** Needs a page: the queue is worked from the oldest submission, a page at a time. */
const pageSize = 30;

/**
 * 需求审核: the village's needs by status, oldest submission first. `villageCode` is an office's
 * look at one of its villages: the list without any action.
 */
export async function needsTab(session: Session, villageCode?: string): Promise<void> {
  const mount = pageMount();
  const office = villageCode !== undefined;
  const inVillage = villageCode ? { villageCode } : {};
  const overview = await call('getVillageOverview', { ...inVillage, pageSize: 1 });
  const list = h('ul', { class: 'rows needs' });
  const more = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'needs-more', hidden: true },
    '加载更多',
  );
  const filter = h(
    'select',
    { 'aria-label': '需求状态', 'data-testid': 'needs-status-filter' },
    statusFilters.map(({ id, label }) =>
      h('option', { value: id, selected: id === chosenFilter }, label),
    ),
  );
  // A filter changed again before the answer came: only the latest list is drawn.
  let generation = 0;
  let next: string | null = null;
  const load = async (after?: string) => {
    const mine = after ? generation : ++generation;
    const statuses = statusFilters.find(({ id }) => id === filter.value)?.statuses;
    more.disabled = true;
    // The rows of the previous filter go at once: no tap lands on a row about to be replaced.
    if (!after) {
      list.replaceChildren(h('li', { class: 'muted' }, '加载中…'));
      more.hidden = true;
    }
    try {
      const answer = await call('listNeeds', {
        ...inVillage,
        pageSize,
        ...(statuses ? { statuses } : {}),
        ...(after ? { after } : {}),
      });
      if (mine !== generation) return;
      if (!after) list.replaceChildren();
      for (const need of answer.needs) list.append(needRow(session, need, office));
      if (!list.childElementCount) list.append(h('li', { class: 'muted' }, '暂无需求'));
      next = answer.next;
      more.hidden = next === null;
    } finally {
      more.disabled = false;
    }
  };
  filter.addEventListener('change', () => {
    chosenFilter = filter.value;
    void load().catch((error) => list.replaceChildren(h('li', {}, showError(error))));
  });
  more.addEventListener('click', () => {
    if (next) void load(next).catch((error) => showError(error));
  });
  await load();
  mount(
    header(overview),
    tabs('needs', villageCode),
    h(
      'section',
      { class: 'card' },
      h('label', { class: 'filter' }, '状态 ', filter),
      office ? h('p', { class: 'muted' }, '只读：审核和处理由村级信息管理员进行') : null,
      list,
      more,
    ),
  );
}

function needRow(session: Session, need: NeedRow, office: boolean): HTMLElement {
  const actions = h('div', { class: 'actions' });
  const status = h(
    'span',
    { class: `badge status-${need.status}`, 'data-testid': 'need-status' },
    need.statusLabel,
  );
  const row = h(
    'li',
    { 'data-testid': 'need-row', 'data-id': need.id },
    h(
      'div',
      {},
      h('strong', {}, `${need.headName} · ${need.categoryLabel}`),
      ' ',
      status,
      h(
        'div',
        { class: 'muted' },
        need.kind === 'money'
          ? `资金 ${yuan(need.amountFen ?? 0)} · 账户尾号 ${need.bankLast4 ?? ''}${need.bankLuhnOk === false ? '（存折号，请核对）' : ''}`
          : (need.items ?? []).map((item) => `${item.name}${item.quantity}${item.unit}`).join('、'),
      ),
      h('div', {}, need.reason),
      need.problems.length
        ? h('div', { class: 'warn' }, `数据问题：${need.problems.join('，')}`)
        : null,
    ),
    actions,
  );
  if (['published', 'matched', 'fulfilled', 'closed'].includes(need.status)) {
    actions.append(h('a', { href: `#/need/${need.id}` }, '公开页面'));
    if (!office) actions.append(donationsOf(need));
  }
  if (office) return row;
  const move = async <N extends NeedMove>(name: N, data: KeptInput<N>) => {
    await submitSafely(`${name}.${need.id}`, name, data, actions, (result) => {
      toast('已更新');
      // The row shows where the need now is and what may follow, in place: a need moved out of
      // the chosen filter stays in sight until the list is loaded again.
      row.replaceWith(
        needRow(
          session,
          { ...need, status: result.status, statusLabel: needStatusLabels[result.status] },
          office,
        ),
      );
    });
  };
  if (session.role === 'village_admin' && need.status === 'submitted') {
    actions.append(
      h(
        'button',
        {
          'data-testid': 'start-review',
          onclick: () => void move('startNeedReview', { needId: need.id }),
        },
        '开始入户审核',
      ),
    );
  }
  if (session.role === 'village_admin' && need.status === 'under_review') {
    const date = dateUpToToday('入户审核日期');
    const reviewer = h('input', {
      type: 'text',
      placeholder: '审核人姓名',
      'aria-label': '审核人',
    });
    const reasons = rejectReasons.map(([code, label]) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', value: code }), label),
    );
    const note = h('input', { type: 'text', placeholder: '备注（选填）' });
    const review = (opinion: 'publish' | 'reject') => {
      const reasonCodes = rejectReasons
        .filter((_, index) => reasons[index]?.querySelector('input')?.checked)
        .map(([code]) => code);
      const common = {
        needId: need.id,
        reviewDate: date.value,
        reviewerName: reviewer.value.trim(),
      };
      const noted = note.value.trim() ? { note: note.value.trim() } : {};
      void move(
        'reviewNeed',
        opinion === 'publish'
          ? { ...common, opinion, ...noted }
          : { ...common, opinion, reasonCodes, ...noted },
      );
    };
    actions.append(
      h(
        'div',
        { class: 'stack review', 'data-testid': 'review-form' },
        h('strong', {}, '入户审核意见'),
        date,
        reviewer,
        note,
        h(
          'button',
          { 'data-testid': 'publish-button', onclick: () => review('publish') },
          '审核通过并发布',
        ),
        h(
          'details',
          {},
          h('summary', {}, '不予发布'),
          ...reasons,
          h(
            'button',
            { class: 'danger', 'data-testid': 'reject-button', onclick: () => review('reject') },
            '不予发布',
          ),
        ),
      ),
    );
  }
  if (
    ['submitted', 'under_review'].includes(need.status) ||
    (session.role === 'village_admin' && need.status === 'published')
  ) {
    actions.append(
      h(
        'button',
        {
          class: 'link',
          'data-testid': 'withdraw-button',
          onclick: () => void move('withdrawNeed', { needId: need.id }),
        },
        '撤回',
      ),
    );
  }
  if (need.status === 'matched') {
    const receivedOn = dateUpToToday('收到日期');
    actions.append(
      h(
        'details',
        { 'data-testid': 'receipt-form' },
        h('summary', {}, '登记受助户确认收到'),
        receivedOn,
        h(
          'button',
          {
            'data-testid': 'confirm-receipt',
            onclick: () =>
              void move('confirmReceipt', { needId: need.id, receivedOn: receivedOn.value }),
          },
          '受助户已确认收到',
        ),
      ),
    );
  }
  if (session.role === 'village_admin' && need.status === 'fulfilled') {
    actions.append(closeControl(() => move('closeNeed', { needId: need.id })));
  }
  return row;
}

/**
 * 结束需求 in two steps: the first tap says what closing means, the second sends it (a need once
 * closed is not reopened from here).
 */
function closeControl(close: () => Promise<void>): HTMLElement {
  const host = h('div', { class: 'stack close-need' });
  const start = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'close-need' },
    '结束需求',
  );
  start.addEventListener('click', () => {
    const confirm = h(
      'button',
      { type: 'button', class: 'danger', 'data-testid': 'close-need-confirm' },
      '确定结束',
    );
    const cancel = h('button', { type: 'button', class: 'link' }, '取消');
    confirm.addEventListener('click', () => {
      confirm.disabled = true;
      void close().finally(() => (confirm.disabled = false));
    });
    cancel.addEventListener('click', () => host.replaceChildren(start));
    host.replaceChildren(
      h(
        'p',
        { class: 'muted', 'data-testid': 'close-need-consequence' },
        '受助户已确认收到。结束后该需求不再需要处理，仍计入已对接和已完成，结束后不能恢复。',
      ),
      confirm,
      cancel,
    );
  });
  host.append(start);
  return host;
}

/** The staff's words for every status the server has (a status it adds fails to compile here). */
const donationLabels: Record<DonationStatus, string> = {
  pending: '处理中',
  pledged: '待到账',
  received: '已到账',
  declined: '未采纳（已筹满）',
  lapsed: '已失效',
  held: '已认捐，待交付',
  shipped: '已寄出',
  delivered: '已送达',
  expired: '认捐已过期',
  refunded: '已退回',
};

/** Money's own words where they differ: money given back is 已退款. */
const moneyDonationLabels: Partial<Record<DonationStatus, string>> = { refunded: '已退款' };

/** What a money row means for the village: promised is not arrived. */
function moneyNote(donation: NeedDonation): string | null {
  if (donation.status === 'pledged' && byTransfer(donation))
    return donation.payBy
      ? `捐助人选择银行转账到受助户账户，尚未登记到账；${chinaDateTime(donation.payBy)} 前未到账将自动失效。受助户收到后请核对存折或短信登记`
      : '捐助人选择银行转账到受助户账户，尚未登记到账';
  if (donation.status === 'pledged')
    return donation.payBy
      ? `捐助人已承诺，尚未付款；${chinaDateTime(donation.payBy)} 前未付款将自动失效`
      : '捐助人已承诺，尚未付款';
  if (donation.status === 'lapsed') return '未在期限内支付，承诺的金额已释放';
  if (donation.status === 'refunded') return '款项已退回捐助人，荣誉证书已作废';
  return null;
}

/** 捐助情况: what donors gave, loaded when opened; goods on their way get a hand-over form. */
function donationsOf(need: NeedRow): HTMLElement {
  const list = h('ul', { class: 'rows' });
  const load = async () => {
    list.replaceChildren(h('li', { class: 'muted' }, '加载中…'));
    try {
      const { donations } = await call('listNeedDonations', { needId: need.id });
      list.replaceChildren(
        ...(donations.length ? donations : []).map((donation) => donationRow(donation, load)),
      );
      if (!donations.length) list.append(h('li', { class: 'muted' }, '还没有捐助'));
    } catch (error) {
      list.replaceChildren(h('li', {}, showError(error)));
    }
  };
  const details = h(
    'details',
    { 'data-testid': 'need-donations' },
    h('summary', {}, '捐助情况'),
    list,
  );
  details.addEventListener('toggle', () => {
    if (details.open) void load();
  });
  return details;
}

function donationRow(donation: NeedDonation, reload: () => Promise<void>): HTMLElement {
  const what =
    donation.kind === 'money'
      ? `资金 ${yuan(donation.amountFen ?? 0)}`
      : (donation.items ?? []).map((item) => `${item.name}${item.quantity}${item.unit}`).join('、');
  const how =
    donation.delivery?.method === 'in_person'
      ? '当面交接'
      : donation.delivery
        ? `${donation.delivery.courier ?? '快递'} ${donation.delivery.trackingNumber ?? '（未填单号）'}`
        : '';
  const row = h(
    'li',
    { 'data-testid': 'need-donation', 'data-id': donation.id, 'data-status': donation.status },
    h(
      'strong',
      {},
      donation.donorUnit && donation.donorUnit !== donation.donorName
        ? `${donation.donorName}（${donation.donorUnit}）`
        : donation.donorName,
    ),
    ' ',
    h(
      'span',
      { class: `badge donation-${donation.status}` },
      (donation.kind === 'money' ? moneyDonationLabels[donation.status as DonationStatus] : null) ??
        donationLabels[donation.status] ??
        donation.status,
    ),
    h('div', {}, what),
    donation.kind === 'money' && moneyNote(donation)
      ? h('div', { class: 'muted', 'data-testid': 'need-donation-note' }, moneyNote(donation))
      : null,
    how ? h('div', { class: 'muted' }, how) : null,
    donation.photoUrl
      ? h('img', { src: donation.photoUrl, alt: '物品照片', class: 'thumb' })
      : null,
  );
  if (donation.kind === 'money' && donation.status === 'pledged' && byTransfer(donation))
    row.append(recordArrivalBlock(donation, reload));
  const inPerson = donation.delivery?.method === 'in_person';
  const live =
    donation.kind === 'goods' && ['pending', 'held', 'shipped'].includes(donation.status);
  const recipientDone = donation.handover?.recipientConfirmed === true;
  if (live && inPerson) {
    row.append(
      h(
        'div',
        { class: 'muted', 'data-testid': 'handover-state' },
        recipientDone
          ? '已登记受助户收到，等待捐赠人在“我的捐助”中确认交付'
          : donation.handover?.donorConfirmed
            ? '捐赠人已确认交付，请登记受助户收到'
            : '当面交接：受助户收到后请在此登记，捐赠人在“我的捐助”中自行确认',
      ),
      donorContactBlock(donation),
    );
  }
  if (live && !recipientDone) {
    const receivedOn = dateUpToToday('送达日期');
    const recipient = h('input', { type: 'checkbox', 'data-testid': 'recipient-confirmed' });
    const host = h('div');
    const submit = h('button', { type: 'submit', 'data-testid': 'record-handover' }, '登记送达');
    row.append(
      h(
        'form',
        {
          class: 'stack',
          onsubmit: async (event: Event) => {
            event.preventDefault();
            if (!recipient.checked) return void toast('请先确认受助户已收到物品');
            submit.disabled = true;
            await submitSafely(
              `recordHandover.${donation.id}`,
              'recordHandover',
              {
                donationId: donation.id,
                receivedOn: receivedOn.value,
                recipientConfirmed: true,
              },
              host,
              (result) => {
                toast(
                  result.status === 'delivered'
                    ? '已登记送达'
                    : '已登记受助户收到，等待捐赠人确认交付',
                );
                void reload();
              },
            );
            submit.disabled = false;
          },
        },
        receivedOn,
        h('label', { class: 'check' }, recipient, '受助户已确认收到'),
        submit,
        host,
      ),
    );
  }
  return row;
}

/**
 * The face-to-face donor's name and phone, asked for one donation at a time when the cadre needs
 * to arrange the meeting (each look is logged on the server like a reveal).
 */
function donorContactBlock(donation: NeedDonation): HTMLElement {
  const host = h('div', { 'data-testid': 'donor-contact' });
  const open = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'donor-contact-open' },
    '查看捐赠人联系方式',
  );
  open.addEventListener('click', async () => {
    open.disabled = true;
    try {
      const contact = await call('getGoodsContact', { donationId: donation.id });
      open.remove();
      host.append(
        contact.donor?.phone
          ? h(
              'span',
              {},
              `${contact.donor.name}　电话：`,
              h('a', { href: `tel:${contact.donor.phone}` }, contact.donor.phone),
            )
          : h('span', { class: 'muted' }, '捐赠人没有登记电话'),
      );
    } catch (error) {
      open.disabled = false;
      showError(error);
    }
  });
  host.append(open);
  return host;
}
