/**
 * 识别 (建档立卡识别), the village administrator's tab: this year's rounds and their stages, and
 * the two ways a household enters one: a new-identification application (附件3 of seed 003) or
 * an exit / return proposal for a roster household (动态调整).
 */
import { call } from '../../firebase';
import { h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { chinaDate, fenFromYuanText } from '../../format';
import type { Session } from '../../app';
import { header, tabs } from '../village/shared';
import { povertyCauses } from '../../../../functions/src/domain/household';
import {
  applicationKindLabels,
  applicationStatusLabels,
  housingConditions,
  housingLabels,
  roundStageLabels,
} from '../../../../functions/src/domain/identification';
import type { MemberInput, RoundSummary } from '../../../../functions/src/contract/identification';
import type { VillageHouseholdRow } from '../../../../functions/src/contract/households';
import {
  chinaYear,
  educationLabels,
  FieldErrors,
  healthLabels,
  labourLabels,
  nextActionLabels,
  relationLabels,
  roundKindLabels,
} from './labels';
import { send } from './send';
import type { KeptInput } from '../../submit';

function options<T extends string>(
  labels: Record<T, string>,
  selected?: string,
): HTMLOptionElement[] {
  return (Object.keys(labels) as T[]).map((value) =>
    h('option', { value, selected: value === selected }, labels[value]),
  );
}

/** One round of the year: its kind, stage and counts, and the way into it. */
export function roundCard(round: RoundSummary, showVillage = false): HTMLElement {
  return h(
    'li',
    {
      class: 'round-row',
      'data-testid': 'round-row',
      'data-id': round.id,
      'data-stage': round.stage,
    },
    h(
      'div',
      {},
      h(
        'strong',
        {},
        showVillage ? `${round.villageName} · ` : '',
        `${round.year}年${roundKindLabels[round.kind]}`,
      ),
      h(
        'span',
        { class: `badge stage-${round.stage}`, 'data-testid': 'round-stage' },
        roundStageLabels[round.stage],
      ),
      h(
        'p',
        { class: 'muted' },
        `申请 ${round.applications} 户，名单上 ${round.listed} 户`,
        round.quota === null ? '，规模未下达' : `，规模 ${round.quota} 户`,
        round.openObjections ? `，待答复异议 ${round.openObjections} 件` : '',
      ),
      round.nextAction
        ? h(
            'p',
            { class: 'ok', 'data-testid': 'round-next' },
            `待办：${nextActionLabels[round.nextAction] ?? round.nextAction}`,
          )
        : null,
    ),
    h('a', { href: `#/round/${round.id}`, 'data-testid': 'round-open' }, '办理'),
  );
}

/** The rounds of a year as a list; an empty year says how a round begins. */
function roundsList(rounds: RoundSummary[]): HTMLElement {
  return rounds.length
    ? h(
        'ul',
        { class: 'rows', 'data-testid': 'round-list' },
        rounds.map((round) => roundCard(round)),
      )
    : h(
        'p',
        { class: 'muted', 'data-testid': 'round-list' },
        '本年度还没有识别工作：提交第一份申请即开始本年度的新识别（或动态调整）。',
      );
}

interface MemberFields {
  element: HTMLElement;
  value(): MemberInput;
}

function memberRow(errors: FieldErrors, index: number, onRemove: () => void): MemberFields {
  const name = h('input', {
    type: 'text',
    placeholder: '姓名',
    'aria-label': '成员姓名',
    'data-testid': 'member-name',
  });
  const id = h('input', {
    type: 'text',
    placeholder: '身份证号码（18位）',
    maxlength: '18',
    autocomplete: 'off',
    'aria-label': '成员身份证号码',
    'data-testid': 'member-id',
  });
  const select = (labels: Record<string, string>, label: string, testid: string) =>
    h('select', { 'aria-label': label, 'data-testid': testid }, options(labels));
  const relation = select(relationLabels, '与户主关系', 'member-relation');
  const health = select(healthLabels, '健康状况', 'member-health');
  const education = select(educationLabels, '文化程度', 'member-education');
  const labour = select(labourLabels, '劳动能力', 'member-labour');
  const at = `members.${index}`;
  const element = h(
    'fieldset',
    { class: 'stack member-row', 'data-testid': 'member-row' },
    h('legend', {}, `家庭成员 ${index + 1}`),
    ...errors.field(`${at}.name`, name),
    ...errors.field(`${at}.idNumber`, id),
    h(
      'div',
      { class: 'member-selects' },
      h('label', {}, '关系', relation),
      h('label', {}, '健康', health),
      h('label', {}, '文化', education),
      h('label', {}, '劳力', labour),
    ),
    h(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'remove-member', onclick: onRemove },
      '删除此成员',
    ),
  );
  errors.field(at, element);
  return {
    element,
    value: () => ({
      name: name.value.trim(),
      idNumber: id.value.trim().toUpperCase(),
      // The selects offer only these values.
      relation: relation.value as MemberInput['relation'],
      health: health.value as MemberInput['health'],
      education: education.value as MemberInput['education'],
      labour: labour.value as MemberInput['labour'],
    }),
  };
}

/** 新识别申请 (附件3): the household's head, members, income, housing and claimed cause. */
function entryForm(year: number, onFiled: () => void): HTMLElement {
  const errors = new FieldErrors();
  const input = (testid: string, props: Record<string, unknown>) =>
    h('input', { type: 'text', autocomplete: 'off', 'data-testid': testid, ...props });
  const headName = input('app-head-name', { placeholder: '户主姓名', 'aria-label': '户主姓名' });
  const headId = input('app-head-id', {
    placeholder: '户主身份证号码（18位）',
    maxlength: '18',
    'aria-label': '户主身份证号码',
  });
  const income = input('app-income', {
    inputmode: 'decimal',
    placeholder: '上年家庭纯收入（元）',
    'aria-label': '上年家庭纯收入（元）',
  });
  const housing = h(
    'select',
    { 'aria-label': '住房情况', 'data-testid': 'app-housing' },
    housingConditions.map((value) => h('option', { value }, housingLabels[value])),
  );
  const cause = h(
    'select',
    { 'aria-label': '主要致贫原因', 'data-testid': 'app-cause' },
    povertyCauses.map((value) => h('option', { value }, value)),
  );
  const situation = h('textarea', {
    rows: '3',
    placeholder: '家庭情况（申请人自述，不写身份证、银行卡、电话号码）',
    'aria-label': '家庭情况',
    'data-testid': 'app-situation',
  });
  const wubao = h('input', { type: 'checkbox', 'data-testid': 'app-wubao' });
  const today = chinaDate(Date.now());
  const appliedOn = h('input', {
    type: 'date',
    value: today,
    max: today,
    'aria-label': '申请日期',
    'data-testid': 'app-applied-on',
  });

  const members: MemberFields[] = [];
  const memberHost = h('div', { class: 'stack' });
  const redraw = () => {
    errors.forget('members');
    // Rebuilt so each row's error paths match its index; what was typed is kept.
    const values = members.map((member) => member.value());
    members.length = 0;
    values.forEach((value) => addMember(value));
  };
  const addMember = (value?: MemberInput) => {
    const index = members.length;
    const row = memberRow(errors, index, () => {
      members.splice(members.indexOf(row), 1);
      redraw();
    });
    if (value) {
      const fields = row.element.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
        'input, select',
      );
      const ordered = [
        value.name,
        value.idNumber,
        value.relation,
        value.health,
        value.education,
        value.labour,
      ];
      fields.forEach((field, i) => (field.value = ordered[i] ?? ''));
    }
    members.push(row);
    memberHost.replaceChildren(...members.map((member) => member.element));
  };
  const addButton = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-testid': 'add-member',
      onclick: () => (members.length < 19 ? addMember() : toast('最多19名家庭成员')),
    },
    '＋ 添加家庭成员',
  );

  const retryHost = h('div');
  const submitButton = h('button', { type: 'submit', 'data-testid': 'app-submit' }, '提交申请');
  const result = h('p', { class: 'ok', 'data-testid': 'app-result', hidden: true });
  const form = h(
    'form',
    {
      class: 'card stack application-form',
      'data-testid': 'application-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const data: KeptInput<'fileApplication'> = {
          kind: 'entry',
          year,
          headName: headName.value.trim(),
          headIdNumber: headId.value.trim().toUpperCase(),
          members: members.map((member) => member.value()),
          // An amount that does not read as yuan goes as typed: the server names the field.
          annualIncomeFen: (fenFromYuanText(income.value) ?? income.value) as number,
          housing: housing.value as (typeof housingConditions)[number],
          claimedCause: cause.value as (typeof povertyCauses)[number],
          situation: situation.value.trim(),
          wubao: wubao.checked,
          appliedOn: appliedOn.value,
        };
        submitButton.disabled = true;
        result.hidden = true;
        await send(
          `fileApplication.entry.${year}`,
          'fileApplication',
          data,
          retryHost,
          errors,
          (answer) => {
            result.hidden = false;
            result.dataset.applicationId = answer.applicationId;
            result.textContent = `${data.headName}户的申请已提交：${applicationStatusLabels[answer.status]}。`;
            toast('申请已提交');
            form.reset();
            appliedOn.value = today;
            members.length = 0;
            memberHost.replaceChildren();
            errors.forget('members');
            submitButton.disabled = false;
            onFiled();
          },
          () => (submitButton.disabled = false),
        );
        submitButton.disabled = false;
      },
    },
    h('h2', {}, '新识别申请（农户申请书）'),
    h(
      'p',
      { class: 'muted' },
      '农户本人申请或村干部代填；提交后进入入户调查。五保户、三无户转五保供养或低保，不参加评议。',
    ),
    ...errors.field('headName', h('label', { class: 'stack' }, '户主姓名', headName)),
    ...errors.field('headIdNumber', h('label', { class: 'stack' }, '户主身份证号码', headId)),
    ...errors.field('members', memberHost),
    addButton,
    ...errors.field(
      'annualIncomeFen',
      h('label', { class: 'stack' }, '上年家庭纯收入（元，各项收入合计）', income),
    ),
    ...errors.field('housing', h('label', { class: 'stack' }, '住房情况', housing)),
    ...errors.field('claimedCause', h('label', { class: 'stack' }, '主要致贫原因', cause)),
    ...errors.field('situation', situation),
    ...errors.field('wubao', h('label', { class: 'check' }, wubao, '五保户 / 三无户')),
    ...errors.field('appliedOn', h('label', { class: 'stack' }, '申请日期', appliedOn)),
    errors.formLine,
    submitButton,
    retryHost,
    result,
  );
  return form;
}

/** 动态调整: an exit (脱贫) or return (返贫) proposal for one of the village's roster households. */
function adjustmentForm(
  year: number,
  first: VillageHouseholdRow[],
  onFiled: () => void,
): HTMLElement {
  const errors = new FieldErrors();
  const kind = h(
    'select',
    { 'aria-label': '调整类型', 'data-testid': 'adjust-kind' },
    h('option', { value: 'exit' }, applicationKindLabels.exit),
    h('option', { value: 'return' }, applicationKindLabels.return),
  );
  const household = h('select', { 'aria-label': '贫困户', 'data-testid': 'adjust-household' });
  const fill = (rows: VillageHouseholdRow[]) =>
    household.replaceChildren(
      h('option', { value: '' }, rows.length ? '请选择贫困户' : '没有找到贫困户'),
      ...rows.map((row) =>
        h('option', { value: row.id }, `${row.headName}（尾号${row.idLast4}）${row.statusLabel}`),
      ),
    );
  fill(first);
  const search = h('input', {
    type: 'search',
    placeholder: '搜索户主姓名或身份证后四位',
    'aria-label': '搜索贫困户',
    'data-testid': 'adjust-search',
  });
  const find = async () => {
    const text = search.value.trim();
    try {
      const page = await call('getVillageOverview', {
        pageSize: 100,
        ...(text ? { search: text } : {}),
      });
      fill(page.households);
    } catch {
      toast('搜索未成功，请稍后重试');
    }
  };
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void find();
  });
  const situation = h('textarea', {
    rows: '3',
    placeholder: '理由：脱贫写明收入和“两不愁三保障”情况；返贫写明返贫原因',
    'aria-label': '理由',
    'data-testid': 'adjust-situation',
  });
  const today = chinaDate(Date.now());
  const appliedOn = h('input', {
    type: 'date',
    value: today,
    max: today,
    'aria-label': '申请日期',
    'data-testid': 'adjust-applied-on',
  });
  const retryHost = h('div');
  const submitButton = h('button', { type: 'submit', 'data-testid': 'adjust-submit' }, '提交');
  const form = h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'adjustment-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (!household.value) return errors.show([{ path: 'householdId', code: 'too_small' }]);
        const data: KeptInput<'fileApplication'> = {
          kind: kind.value === 'return' ? 'return' : 'exit',
          year,
          householdId: household.value,
          situation: situation.value.trim(),
          appliedOn: appliedOn.value,
        };
        submitButton.disabled = true;
        await send(
          `fileApplication.adjust.${year}`,
          'fileApplication',
          data,
          retryHost,
          errors,
          () => {
            toast(`${applicationKindLabels[data.kind]}申请已提交`);
            form.reset();
            appliedOn.value = today;
            onFiled();
          },
        );
        submitButton.disabled = false;
      },
    },
    h('h2', {}, '动态调整：脱贫退出 / 返贫'),
    h('label', { class: 'stack' }, '调整类型', kind),
    search,
    ...errors.field('householdId', household),
    ...errors.field('situation', situation),
    ...errors.field('appliedOn', h('label', { class: 'stack' }, '申请日期', appliedOn)),
    errors.formLine,
    submitButton,
    retryHost,
  );
  return form;
}

export async function identificationTab(session: Session): Promise<void> {
  const mount = pageMount();
  const year = chinaYear();
  const [overview, { rounds }] = await Promise.all([
    call('getVillageOverview', { pageSize: 100 }),
    call('listIdentificationRounds', { year }),
  ]);
  const listHost = h('div', {}, roundsList(rounds));
  const refresh = async () => {
    try {
      const again = await call('listIdentificationRounds', { year });
      listHost.replaceChildren(roundsList(again.rounds));
    } catch {
      // The list shown stays; the next visit reloads it.
    }
  };
  const mayFile = session.role === 'village_admin' || session.role === 'helper';
  mount(
    header(overview),
    tabs('identification'),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, `${year}年建档立卡识别`),
      h(
        'p',
        { class: 'muted' },
        '程序：农户申请 → 入户调查 → 民主评议 → 第一次公示 → 乡镇审核 → 第二次公示 → 县级审批 → 公告。',
      ),
      listHost,
    ),
    mayFile ? entryForm(year, () => void refresh()) : null,
    mayFile ? adjustmentForm(year, overview.households, () => void refresh()) : null,
  );
}
