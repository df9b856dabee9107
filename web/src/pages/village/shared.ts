/**
 * What the village page's four tabs share: the village header with its figures, the tab bar,
 * the page's field names for error messages, and date fields.
 */
import { h } from '../../dom';
import { chinaDate, percent } from '../../format';
import type { CallableAnswer } from '../../../../functions/src/contract';
import type { VillageOverview } from '../../../../functions/src/contract/households';
import type { CallError } from '../../firebase';
import { submitSafely as sendSafely, type KeptCallable, type KeptInput } from '../../submit';

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
  arrivedOn: '到账日期',
  referenceLast4: '银行流水号后4位',
  evidencePhotoId: '存折或银行短信照片',
  householdConfirmed: '受助户确认',
};

/**
 * Retry-safe submissions (see submit.ts), with this page's field names in the errors. A final
 * refusal hands `onRefused` the server's error, so a page can react to its `details.reason`.
 */
export function submitSafely<N extends KeptCallable>(
  key: string,
  name: N,
  data: KeptInput<N>,
  retryHost: HTMLElement,
  onDone: (result: CallableAnswer<N>) => void | Promise<void>,
  onRefused?: (error: CallError) => void,
): Promise<void> {
  return sendSafely(key, name, data, retryHost, onDone, onRefused, fieldLabels);
}

/**
 * The tab bar. With `villageCode` (an office looking at one of its villages) only the two tabs an
 * office has, addressed to that village, and a way back to the township's dashboard.
 */
export function tabs(active: string, villageCode?: string): HTMLElement {
  const tab = (id: string, label: string, href = `#/${id}`) =>
    h(
      'a',
      { href, class: active === id ? 'tab active' : 'tab', 'data-testid': `tab-${id}` },
      label,
    );
  if (villageCode !== undefined) {
    return h(
      'div',
      {},
      h(
        'a',
        {
          href: `#/region/${villageCode.slice(0, 9)}`,
          class: 'back-link',
          'data-testid': 'back-dashboard',
        },
        '← 返回乡镇看板',
      ),
      h(
        'nav',
        { class: 'tabs' },
        tab('households', '建档立卡户', `#/village/${villageCode}`),
        tab('needs', '需求审核', `#/village/${villageCode}/needs`),
        tab('unification', '三统一', `#/village/${villageCode}/unification`),
      ),
    );
  }
  return h(
    'nav',
    { class: 'tabs' },
    tab('households', '建档立卡户'),
    tab('needs', '需求审核'),
    tab('capture', '采集需求'),
    tab('import', '导入名单'),
    tab('identification', '识别'),
    tab('unification', '三统一'),
  );
}

export function header(overview: VillageOverview, updating = false): HTMLElement {
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

/** A date field for something that happened today or earlier (China time), today by default. */
export function dateUpToToday(label: string): HTMLInputElement {
  const today = chinaDate(Date.now());
  return h('input', { type: 'date', value: today, max: today, 'aria-label': label });
}
