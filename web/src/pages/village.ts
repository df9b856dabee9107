/**
 * The village page, for village information administrators and helpers: households and their
 * registration, the need review queue, need capture with evidence photos, and roster import.
 */
import { untypedCall } from '../firebase';
import { base64Of, download, downscalePhoto, errorCard, h, mount, toast } from '../dom';
import { chinaDate, fenFromYuanText, percent, yuan } from '../format';
import { needCategories } from '../categories';
import { drafts, pending, submitSafely as sendSafely } from '../submit';
import { pollUntil } from '../poll';
import type { VillageTab } from '../router';
import { showError, type Session } from '../app';

interface Overview {
  village: { code: string; name: string; fullName: string };
  stats: {
    rosterHouseholds: number;
    registeredHouseholds: number;
    registrationRate: number | null;
  };
  households: Array<{
    id: string;
    headName: string;
    idLast4: string;
    address: string;
    members: number;
    status: string;
    statusLabel: string;
    cardColour: 'blue' | 'red' | null;
    onRoster: boolean;
    registered: boolean;
  }>;
  next: string | null;
}

interface NeedRow {
  id: string;
  householdId: string;
  headName: string;
  idLast4: string;
  categoryLabel: string;
  kind: 'money' | 'goods';
  amountFen: number | null;
  items: Array<{ name: string; quantity: number; unit: string }> | null;
  bankLast4: string | null;
  bankLuhnOk: boolean | null;
  reason: string;
  status: string;
  statusLabel: string;
  evidencePhotoIds: string[];
  problems: string[];
}

const rejectReasons: Array<[string, string]> = [
  ['outside_guarantees', '不属于两不愁三保障'],
  ['stably_out', '已稳定脱贫'],
  ['duplicate', '重复申报'],
  ['information_false', '信息不实'],
  ['evidence_insufficient', '佐证材料不足'],
  ['elements_incomplete', '要素不全'],
  ['other', '其他（请在备注写明）'],
];

const fieldLabels: Record<string, string> = {
  householdId: '贫困户',
  headName: '户主姓名',
  idNumber: '身份证号码',
  address: '家庭住址',
  reason: '需求理由',
  evidencePhotoIds: '佐证照片',
  bankAccount: '银行账户',
  adminName: '管理员姓名',
  amountFen: '金额',
  items: '物品',
  category: '类别',
  guarantee: '保障内容',
  reviewDate: '入户审核日期',
  reviewerName: '审核人',
  reasonCodes: '不通过理由',
  note: '备注',
};

/** Retry-safe submissions (see submit.ts), with this page's field names in the errors. */
function submitSafely<T>(
  key: string,
  name: string,
  data: Record<string, unknown>,
  retryHost: HTMLElement,
  onDone: (result: T) => void | Promise<void>,
  onRefused?: () => void,
): Promise<void> {
  return sendSafely<T>(key, name, data, retryHost, onDone, onRefused, fieldLabels);
}

function tabs(active: string): HTMLElement {
  const tab = (id: string, label: string) =>
    h(
      'a',
      { href: `#/${id}`, class: active === id ? 'tab active' : 'tab', 'data-testid': `tab-${id}` },
      label,
    );
  return h(
    'nav',
    { class: 'tabs' },
    tab('households', '建档立卡户'),
    tab('needs', '需求审核'),
    tab('capture', '采集需求'),
    tab('import', '导入名单'),
  );
}

function header(overview: Overview, updating = false): HTMLElement {
  return h(
    'section',
    { class: 'card village' },
    h('h1', { 'data-testid': 'village-name' }, overview.village.name),
    h('p', { class: 'muted' }, overview.village.fullName),
    updating
      ? h('p', { class: 'badge', 'data-testid': 'figures-updating' }, '更新中：统计数字稍后刷新')
      : null,
    h(
      'div',
      { class: 'figures' },
      h(
        'div',
        {},
        h('strong', { 'data-testid': 'registered-count' }, overview.stats.registeredHouseholds),
        h('span', {}, '已注册'),
      ),
      h(
        'div',
        {},
        h('strong', { 'data-testid': 'roster-count' }, overview.stats.rosterHouseholds),
        h('span', {}, '建档立卡户'),
      ),
      h(
        'div',
        {},
        h(
          'strong',
          { 'data-testid': 'registration-rate' },
          percent(overview.stats.registrationRate),
        ),
        h('span', {}, '注册率（目标100%）'),
      ),
    ),
  );
}

/** Registration figures are kept by a trigger: how long the page waits for them to move. */
const figuresPoll = { attempts: 8, delayMs: 400 };

async function householdsTab(): Promise<void> {
  let overview = await untypedCall<Overview>('getVillageOverview', { pageSize: 50 });
  // The figures must reach at least the count on arrival plus what this page has registered
  // since (a household registered from another phone meanwhile only makes them higher).
  const baseline = overview.stats.registeredHouseholds;
  let registeredHere = 0;
  let followUps = 0;
  const figures = h('div', {}, header(overview));
  const list = h('ul', { class: 'rows' });

  const refreshFigures = async (): Promise<void> => {
    const expected = baseline + registeredHere;
    const { value, settled } = await pollUntil(
      () => untypedCall<Overview>('getVillageOverview', { pageSize: 1 }),
      (latest) => latest.stats.registeredHouseholds >= expected,
      figuresPoll,
    );
    overview = value;
    // Still behind: say so, and look again a little later, a few times at most.
    const again = !settled && followUps < 3;
    figures.replaceChildren(header(overview, again));
    if (again) {
      followUps += 1;
      window.setTimeout(() => void refreshFigures().catch(() => undefined), 5000);
    }
  };

  const registeredBadge = () => h('span', { class: 'badge ok' }, '已注册');

  const registerButton = (householdId: string, slot: HTMLElement, kept: boolean) => {
    const button = h(
      'button',
      { type: 'button', 'data-testid': 'register-button' },
      kept ? '继续注册' : '注册',
    );
    button.addEventListener('click', () => void register(householdId, slot, button));
    return kept
      ? [
          button,
          h(
            'span',
            { class: 'muted small', 'data-testid': 'register-pending' },
            '上次提交未确认，可放心再点',
          ),
        ]
      : [button];
  };

  const register = async (householdId: string, slot: HTMLElement, button: HTMLButtonElement) => {
    button.disabled = true;
    const row = slot.closest('li');
    await submitSafely<{ registered: boolean; alreadyRegistered: boolean }>(
      `register.${householdId}`,
      'registerHousehold',
      { householdId },
      slot,
      async (result) => {
        slot.replaceChildren(registeredBadge());
        row?.setAttribute('data-registered', 'true');
        toast(result.alreadyRegistered ? '该户此前已注册' : '已注册');
        if (!result.alreadyRegistered) registeredHere += 1;
        followUps = 0;
        await refreshFigures().catch(() => {
          figures.replaceChildren(header(overview, true));
        });
      },
      () => slot.replaceChildren(...registerButton(householdId, slot, false)),
    );
  };

  // Rows already on the page: a household whose registration changed between two pages can
  // come back in the next one; it is shown once. Returns how many rows were new.
  const shown = new Set<string>();
  const render = (rows: Overview['households']): number => {
    const fresh = rows.filter((household) => !shown.has(household.id));
    for (const household of fresh) {
      shown.add(household.id);
      // The button and, after a network failure, its retry offer live in their own slot.
      const slot = h('div', { class: 'slot' });
      // Registered although a request is still kept: its answer was lost on the way back.
      if (household.registered) pending.settle(`register.${household.id}`);
      slot.append(
        ...(household.registered
          ? [registeredBadge()]
          : registerButton(
              household.id,
              slot,
              pending.get(`register.${household.id}`) !== undefined,
            )),
      );
      list.append(
        h(
          'li',
          {
            'data-testid': 'household-row',
            'data-id': household.id,
            'data-registered': String(household.registered),
          },
          h(
            'div',
            {},
            h('strong', {}, household.headName),
            household.cardColour
              ? h(
                  'span',
                  { class: `card-${household.cardColour}` },
                  household.cardColour === 'red' ? '红卡' : '蓝卡',
                )
              : null,
            h(
              'div',
              { class: 'muted' },
              `身份证尾号 ${household.idLast4} · ${household.members}人 · ${household.statusLabel}`,
            ),
          ),
          slot,
          visitForm(household.id),
        ),
      );
    }
    return fresh.length;
  };
  render(overview.households);

  let next = overview.next;
  const more = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'load-more' },
    '加载更多',
  );
  more.addEventListener('click', async () => {
    more.disabled = true;
    more.textContent = '加载中…';
    try {
      const page = await untypedCall<Overview>('getVillageOverview', {
        pageSize: 50,
        ...(next ? { after: next } : {}),
      });
      // A page with nothing new would only repeat itself: stop offering more.
      next = render(page.households) > 0 ? page.next : null;
    } catch (error) {
      showError(error);
    }
    more.disabled = false;
    more.textContent = '加载更多';
    if (!next) more.remove();
  });
  mount(
    figures,
    tabs('households'),
    h(
      'section',
      { class: 'card' },
      overview.households.length
        ? list
        : h('p', { class: 'muted' }, '本村还没有建档立卡户，请先在“导入名单”中导入。'),
      next ? more : null,
    ),
  );
}

/** A date field for something that happened today or earlier (China time), today by default. */
function dateUpToToday(label: string): HTMLInputElement {
  const today = chinaDate(Date.now());
  return h('input', { type: 'date', value: today, max: today, 'aria-label': label });
}

/**
 * 入户登记 (一户一册一卡, seed 004): after checking the household's information sheet in person,
 * record whether anything was corrected and who signed; the township's progress table counts it.
 */
function visitForm(householdId: string): HTMLElement {
  const visitedOn = dateUpToToday('入户日期');
  const box = (testId: string) => h('input', { type: 'checkbox', 'data-testid': testId });
  const corrected = box('visit-corrected');
  const signed = {
    household: box('visit-household'),
    helper: box('visit-helper'),
    cadre: box('visit-cadre'),
  };
  const host = h('div');
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        await submitSafely<{ completed: boolean }>(
          `recordHomeVisit.${householdId}`,
          'recordHomeVisit',
          {
            householdId,
            visitedOn: visitedOn.value,
            corrected: corrected.checked,
            signedBy: {
              household: signed.household.checked,
              helper: signed.helper.checked,
              cadre: signed.cadre.checked,
            },
          },
          host,
          (result) => {
            toast(result.completed ? '入户登记已完成' : '已记录，待三方签字后完成');
            (form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
          },
        );
      },
    },
    visitedOn,
    h('label', { class: 'check' }, corrected, '信息有误，已修改更新'),
    h('label', { class: 'check' }, signed.household, '贫困户已签字'),
    h('label', { class: 'check' }, signed.helper, '帮扶联系人已签字'),
    h('label', { class: 'check' }, signed.cadre, '村干已签字'),
    h('button', { type: 'submit', 'data-testid': 'visit-submit' }, '保存入户登记'),
    host,
  );
  return h('details', { 'data-testid': 'home-visit' }, h('summary', {}, '入户登记'), form);
}

async function needsTab(session: Session): Promise<void> {
  const [overview, { needs }] = await Promise.all([
    untypedCall<Overview>('getVillageOverview', { pageSize: 1 }),
    untypedCall<{ needs: NeedRow[] }>('listNeeds', { pageSize: 100 }),
  ]);
  const list = h('ul', { class: 'rows needs' });
  for (const need of needs) list.append(needRow(session, need));
  mount(
    header(overview),
    tabs('needs'),
    h('section', { class: 'card' }, needs.length ? list : h('p', { class: 'muted' }, '暂无需求')),
  );
}

function needRow(session: Session, need: NeedRow): HTMLElement {
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
  const move = async (name: string, data: Record<string, unknown>) => {
    await submitSafely<{ status: string }>(
      `${name}.${need.id}`,
      name,
      { needId: need.id, ...data },
      actions,
      () => {
        toast('已更新');
        void needsTab(session);
      },
    );
  };
  if (session.role === 'village_admin' && need.status === 'submitted') {
    actions.append(
      h(
        'button',
        { 'data-testid': 'start-review', onclick: () => void move('startNeedReview', {}) },
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
      const reasonCodes = reasons
        .map((label) => label.querySelector('input') as HTMLInputElement)
        .filter((box) => box.checked)
        .map((box) => box.value);
      void move('reviewNeed', {
        reviewDate: date.value,
        reviewerName: reviewer.value.trim(),
        opinion,
        ...(opinion === 'reject' ? { reasonCodes } : {}),
        ...(note.value.trim() ? { note: note.value.trim() } : {}),
      });
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
          onclick: () => void move('withdrawNeed', {}),
        },
        '撤回',
      ),
    );
  }
  if (['published', 'matched', 'fulfilled', 'closed'].includes(need.status)) {
    actions.append(h('a', { href: `#/need/${need.id}` }, '公开页面'));
    actions.append(donationsOf(need));
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
            onclick: () => void move('confirmReceipt', { receivedOn: receivedOn.value }),
          },
          '受助户已确认收到',
        ),
      ),
    );
  }
  return row;
}

interface NeedDonation {
  id: string;
  kind: 'money' | 'goods';
  status: string;
  donorName: string;
  donorUnit: string;
  amountFen: number | null;
  items: Array<{ name: string; quantity: number; unit: string }> | null;
  delivery: {
    method: 'express' | 'in_person';
    courier: string | null;
    trackingNumber: string | null;
  } | null;
  photoUrl: string | null;
  handover?: { recipientConfirmed: boolean; donorConfirmed: boolean };
}

const donationLabels: Record<string, string> = {
  pending: '处理中',
  accepted: '已到账',
  declined: '未采纳（已筹满）',
  held: '已认捐，待交付',
  shipped: '已寄出',
  delivered: '已送达',
  expired: '认捐已过期',
  refunded: '已退回',
};

/** 捐助情况: what donors gave, loaded when opened; goods on their way get a hand-over form. */
function donationsOf(need: NeedRow): HTMLElement {
  const list = h('ul', { class: 'rows' });
  const load = async () => {
    list.replaceChildren(h('li', { class: 'muted' }, '加载中…'));
    try {
      const { donations } = await untypedCall<{ donations: NeedDonation[] }>('listNeedDonations', {
        needId: need.id,
      });
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
    h('span', { class: 'badge' }, donationLabels[donation.status] ?? donation.status),
    h('div', {}, what),
    how ? h('div', { class: 'muted' }, how) : null,
    donation.photoUrl
      ? h('img', { src: donation.photoUrl, alt: '物品照片', class: 'thumb' })
      : null,
  );
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
            await submitSafely<{ status: string; awaiting: string | null }>(
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
      const contact = await untypedCall<{ donor: { name: string; phone: string } | null }>(
        'getGoodsContact',
        { donationId: donation.id },
      );
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

interface CaptureDraft {
  draftId: string;
  householdId: string;
  category: string;
  kind: 'money' | 'goods';
  amountYuan: string;
  itemName: string;
  itemQuantity: string;
  itemUnit: string;
  idNumber: string;
  address: string;
  reason: string;
  bankAccount: string;
  adminName: string;
  photoIds: string[];
}

async function captureTab(): Promise<void> {
  const overview = await untypedCall<Overview>('getVillageOverview', { pageSize: 100 });
  const draft: Partial<CaptureDraft> = {
    draftId: crypto.randomUUID(),
    kind: 'money',
    category: 'medical',
    photoIds: [],
    ...drafts.load<CaptureDraft>('capture'),
  };
  const save = () => drafts.save('capture', draft);
  const field = (
    key: keyof CaptureDraft,
    input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  ) => {
    input.addEventListener('input', () => {
      (draft as Record<string, unknown>)[key] = input.value;
      save();
    });
    return input;
  };
  const eligible = overview.households.filter(
    (household) => household.registered && household.onRoster,
  );
  const household = field(
    'householdId',
    h(
      'select',
      { 'aria-label': '贫困户' },
      h('option', { value: '' }, '选择已注册的贫困户'),
      eligible.map((row) =>
        h(
          'option',
          { value: row.id, selected: draft.householdId === row.id },
          `${row.headName}（尾号${row.idLast4}）`,
        ),
      ),
    ),
  );
  const category = field(
    'category',
    h(
      'select',
      { 'aria-label': '类别' },
      needCategories.map(([value, label]) =>
        h('option', { value, selected: draft.category === value }, label),
      ),
    ),
  );
  const kind = field(
    'kind',
    h(
      'select',
      { 'aria-label': '需求方式' },
      h('option', { value: 'money', selected: draft.kind === 'money' }, '资金'),
      h('option', { value: 'goods', selected: draft.kind === 'goods' }, '物品'),
    ),
  );
  const amount = field(
    'amountYuan',
    h('input', {
      type: 'text',
      inputmode: 'decimal',
      placeholder: '金额（元）',
      value: draft.amountYuan,
    }),
  );
  const itemName = field(
    'itemName',
    h('input', { type: 'text', placeholder: '物品名称', value: draft.itemName }),
  );
  const itemQuantity = field(
    'itemQuantity',
    h('input', { type: 'number', min: '1', placeholder: '数量', value: draft.itemQuantity }),
  );
  const itemUnit = field(
    'itemUnit',
    h('input', { type: 'text', placeholder: '单位（件、袋…）', value: draft.itemUnit }),
  );
  const address = field(
    'address',
    h('input', { type: 'text', placeholder: '家庭住址', value: draft.address }),
  );
  household.addEventListener('change', () => {
    const chosen = eligible.find((row) => row.id === household.value);
    if (chosen && !address.value) {
      address.value = chosen.address;
      draft.address = chosen.address;
      save();
    }
  });
  const idNumber = field(
    'idNumber',
    h('input', {
      type: 'text',
      placeholder: '户主身份证号码（18位）',
      maxlength: '18',
      autocomplete: 'off',
      value: draft.idNumber,
    }),
  );
  const reason = field(
    'reason',
    h('textarea', { rows: '3', placeholder: '需求理由（两不愁三保障范围内）' }, draft.reason ?? ''),
  );
  const bank = field(
    'bankAccount',
    h('input', {
      type: 'text',
      inputmode: 'numeric',
      placeholder: '银行账户（资金需求必填）',
      autocomplete: 'off',
      value: draft.bankAccount,
    }),
  );
  const adminName = field(
    'adminName',
    h('input', { type: 'text', placeholder: '管理员姓名', value: draft.adminName }),
  );
  const moneyFields = h('div', { class: 'stack' }, amount, bank);
  const goodsFields = h('div', { class: 'stack' }, itemName, itemQuantity, itemUnit);
  const showKind = () => {
    moneyFields.hidden = kind.value !== 'money';
    goodsFields.hidden = kind.value !== 'goods';
  };
  kind.addEventListener('change', showKind);
  showKind();

  const thumbs = h('div', { class: 'thumbs' });
  const showPhotos = async () => {
    const ids = draft.photoIds ?? [];
    if (ids.length === 0) return thumbs.replaceChildren();
    try {
      const { photos } = await untypedCall<{
        photos: Array<{ photoId: string; status: string; thumbUrl?: string; reason?: string }>;
      }>('getEvidencePhotoUrls', { photoIds: ids });
      thumbs.replaceChildren(
        ...photos.map((photo) =>
          photo.thumbUrl
            ? h('img', { src: photo.thumbUrl, alt: '佐证照片', 'data-testid': 'photo-thumb' })
            : h(
                'span',
                { class: 'badge' },
                photo.status === 'quarantined' ? `未通过：${photo.reason}` : '处理中…',
              ),
        ),
      );
      if (photos.some((photo) => photo.status === 'uploaded'))
        setTimeout(() => void showPhotos(), 1000);
    } catch (error) {
      showError(error);
    }
  };
  const photoInput = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    capture: 'environment',
    'data-testid': 'photo-input',
  });
  photoInput.addEventListener('change', async () => {
    const file = photoInput.files?.[0];
    if (!file) return;
    try {
      const small = await downscalePhoto(file);
      const photoId = crypto.randomUUID();
      const dataBase64 = await base64Of(small);
      // The photo id is the request id: a retry of the same upload never makes a second photo.
      await untypedCall('uploadEvidencePhoto', {
        photoId,
        draftId: draft.draftId,
        contentType: 'image/jpeg',
        dataBase64,
      });
      draft.photoIds = [...(draft.photoIds ?? []), photoId];
      save();
      toast(`照片已上传（${Math.round(small.size / 1024)} KB）`);
      void showPhotos();
    } catch (error) {
      showError(error);
    }
  });
  const retryHost = h('div');
  const submit = async (event: Event) => {
    event.preventDefault();
    const selected = eligible.find((row) => row.id === household.value);
    if (!selected) return toast('请选择贫困户');
    const base = {
      householdId: selected.id,
      category: category.value,
      headName: selected.headName,
      idNumber: idNumber.value.trim(),
      address: address.value.trim(),
      reason: reason.value.trim(),
      evidencePhotoIds: draft.photoIds ?? [],
      adminName: adminName.value.trim(),
      ...(['necessities', 'industry', 'employment', 'skills'].includes(category.value)
        ? { guarantee: 'food' }
        : {}),
    };
    const data =
      kind.value === 'money'
        ? {
            ...base,
            kind: 'money',
            amountFen: fenFromYuanText(amount.value) ?? amount.value,
            bankAccount: bank.value.trim(),
          }
        : {
            ...base,
            kind: 'goods',
            items: [
              {
                name: itemName.value.trim(),
                quantity: Number(itemQuantity.value),
                unit: itemUnit.value.trim(),
              },
            ],
          };
    await submitSafely<{ needId: string }>('submitNeed', 'submitNeed', data, retryHost, () => {
      drafts.clear('capture');
      toast('需求已提交，等待入户审核');
      location.hash = '#/needs';
    });
  };
  mount(
    header(overview),
    tabs('capture'),
    h(
      'form',
      { class: 'card stack', 'data-testid': 'capture-form', onsubmit: submit },
      h('h2', {}, '采集贫困需求（七要素）'),
      household,
      category,
      kind,
      moneyFields,
      goodsFields,
      idNumber,
      address,
      reason,
      h('label', { class: 'stack' }, '佐证照片（拍照或选择，自动压缩）', photoInput),
      thumbs,
      adminName,
      h('button', { type: 'submit', 'data-testid': 'submit-need' }, '提交需求'),
      retryHost,
    ),
  );
  void showPhotos();
}

/** What importRoster answers: counts, and per row its status and problems. */
interface ImportAnswer {
  ok: boolean;
  accepted: number;
  refused: number;
  created?: number;
  updated?: number;
  leftRoster?: number;
  mode?: 'partial' | 'full';
  report: Array<{
    row: number;
    status: string;
    problems: Array<{ column: string; code: string }>;
  }>;
}

/**
 * Where donors send goods and whom they meet: the village office, never a household's home.
 * Shown to a donor only once they have pledged goods to this village.
 */
async function receivingCard(): Promise<HTMLElement> {
  const kept = await untypedCall<{ address: string; contactName: string; phone: string }>(
    'getVillageReceiving',
    {},
  );
  const field = (placeholder: string, value: string, testId: string) =>
    h('input', {
      type: 'text',
      placeholder,
      'aria-label': placeholder,
      value,
      'data-testid': testId,
    });
  const address = field('收件地址（村委会或村级服务中心）', kept.address, 'receiving-address');
  const contactName = field('联系人姓名', kept.contactName, 'receiving-contact-name');
  const phone = field('联系电话（手机或带区号的座机）', kept.phone, 'receiving-phone');
  const host = h('div');
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'receiving-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (!address.value.trim() || !contactName.value.trim() || !phone.value.trim())
          return void toast('请填写收件地址、联系人和电话');
        await sendSafely<{ saved: boolean }>(
          'setVillageReceiving',
          'setVillageReceiving',
          { address: address.value, contactName: contactName.value, phone: phone.value },
          host,
          () => void toast('已保存，认捐物资的爱心人士将看到此地址'),
          undefined,
          { address: '收件地址', contactName: '联系人', phone: '联系电话' },
        );
      },
    },
    h('h2', {}, '物资收件信息'),
    h(
      'p',
      { class: 'muted' },
      '爱心人士认捐物资后才能看到：快递寄到这里，当面交接也在这里。请填写村委会的地址，不要填写受助户家庭住址。',
    ),
    address,
    contactName,
    phone,
    h('button', { type: 'submit', 'data-testid': 'receiving-save' }, '保存'),
    host,
  );
}

async function importTab(): Promise<void> {
  const overview = await untypedCall<Overview>('getVillageOverview', { pageSize: 1 });
  const file = h('input', { type: 'file', accept: '.csv,.xlsx', 'data-testid': 'import-file' });
  const whole = h('input', { type: 'checkbox', 'data-testid': 'import-full' });
  const report = h('div', { 'data-testid': 'import-report' });
  const retryHost = h('div');
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    const format = chosen.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
    const dataBase64 = await base64Of(chosen);
    const mode = whole.checked ? 'full' : 'partial';
    if (mode === 'full') {
      // Removals are named before anything is written: the dry run answers the same counts.
      let preview: ImportAnswer;
      try {
        preview = await untypedCall<ImportAnswer>('importRoster', {
          requestId: crypto.randomUUID(),
          format,
          dataBase64,
          mode,
          dryRun: true,
        });
      } catch (error) {
        file.value = '';
        return void showError(error);
      }
      if (!preview.ok) {
        file.value = '';
        return showImport(preview);
      }
      const sure = window.confirm(
        `按完整名单导入后，本村有 ${preview.leftRoster ?? 0} 户不在文件中，将被移出建档立卡名单（新增 ${preview.created} 户，更新 ${preview.updated} 户）。确定导入吗？`,
      );
      if (!sure) {
        file.value = '';
        return void toast('未导入。如只想新增和更新，请取消勾选“完整名单”后重新选择文件。');
      }
    }
    await submitSafely<ImportAnswer>(
      `import.${mode}.${chosen.name}.${chosen.size}`,
      'importRoster',
      { format, dataBase64, mode },
      retryHost,
      (result) => showImport(result),
    );
    file.value = '';
  });
  const showImport = (result: ImportAnswer) => {
    const refused = result.report.filter((row) => row.status === 'refused');
    report.replaceChildren(
      h(
        'p',
        {},
        result.ok
          ? `已导入：新增 ${result.created} 户，更新 ${result.updated} 户${result.mode === 'full' ? `，移出名单 ${result.leftRoster} 户` : '（未移出任何户）'}`
          : `未导入：${result.refused} 行有问题，请改正后重新导入（整个文件未写入）`,
      ),
      refused.length
        ? h(
            'ul',
            { class: 'rows' },
            refused.map((row) =>
              h(
                'li',
                {},
                `第 ${row.row} 行：${row.problems.map((p) => `${p.column} ${p.code}`).join('，')}`,
              ),
            ),
          )
        : '',
    );
  };
  const receiving = await receivingCard();
  const exportLedger = async (format: 'csv' | 'xlsx') => {
    try {
      const file = await untypedCall<{ filename: string; contentType: string; dataBase64: string }>(
        'exportLedger',
        { format },
      );
      download(file.filename, file.contentType, file.dataBase64);
    } catch (error) {
      showError(error);
    }
  };
  mount(
    header(overview),
    tabs('import'),
    h(
      'section',
      { class: 'card stack' },
      h('h2', {}, '导入建档立卡名单'),
      h(
        'p',
        { class: 'muted' },
        '支持全国扶贫开发信息系统导出的 CSV 或 Excel（.xlsx）。有任何一行不合格时整个文件都不会导入，并逐行说明原因。',
      ),
      h(
        'label',
        { class: 'check' },
        whole,
        '此文件是本村完整的建档立卡名单（文件中没有的户将移出名单）',
      ),
      h(
        'p',
        { class: 'muted' },
        '不勾选时只新增和更新文件中的户，不移出任何户。勾选后，导入前会先告诉您将移出多少户，确认后才导入。',
      ),
      file,
      report,
      retryHost,
    ),
    receiving,
    h(
      'section',
      { class: 'card stack' },
      h('h2', {}, '贫困需求采集台账'),
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'secondary', onclick: () => void exportLedger('xlsx') }, '导出 Excel'),
        h('button', { class: 'secondary', onclick: () => void exportLedger('csv') }, '导出 CSV'),
      ),
    ),
  );
}

export async function villagePage(session: Session, page: VillageTab): Promise<void> {
  mount(h('p', { class: 'muted' }, '加载中…'));
  try {
    if (page === 'needs') return await needsTab(session);
    if (page === 'capture') return await captureTab();
    if (page === 'import') return await importTab();
    return await householdsTab();
  } catch (error) {
    mount(errorCard(showError(error), () => void villagePage(session, page)));
  }
}
