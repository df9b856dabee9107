/**
 * 一户一册: a household's file (seed 003's six parts — 家庭基本情况、致贫原因、帮扶责任人、帮扶计划、
 * 帮扶措施、帮扶成效) for the year, with its contact card, what was handed over and when, the
 * corrections its visits made, the visits and their confirmations, and where it differs from the
 * national system's roster (三统一). Its printables download as PDFs. The village's staff act on
 * it; the offices above read it.
 */
import { call, type CallError } from '../../firebase';
import { download, h, toast } from '../../dom';
import { chinaDate, chinaDateTime, errorText, fenFromYuanText, yuan } from '../../format';
import { pageMount } from '../../navigation';
import { showError, type Session } from '../../app';
import { submitSafely } from '../../submit';
import type { HouseholdFile } from '../../../../functions/src/contract/householdFile';
import { householdStatusLabels } from '../../../../functions/src/domain/household';
import {
  measureKinds,
  type MeasureKind,
  confirmationLabels,
  confirmationParties,
  educationLabels,
  healthLabels,
  incomeLabels,
  incomeSources,
  labourLabels,
  livingChecks,
  livingLabels,
  measureLabels,
  relationLabels,
} from '../../../../functions/src/domain/householdFile';

export { sheetVisitPage, startKeptVisitSender } from './sheet';

/** Who walks the sheet and records what was handed over: the village's own staff. */
const villageStaff: readonly string[] = ['village_admin', 'helper'];

const confirmationKindLabels = { signature: '手机签名', photo: '纸质签字照片', none: '未签字' };

export async function householdFilePage(session: Session, householdId: string): Promise<void> {
  const mount = pageMount();
  mount(h('p', { class: 'muted' }, '加载中…'));
  let file: HouseholdFile;
  try {
    file = await call('getHouseholdFile', { householdId });
  } catch (error) {
    mount(
      h(
        'section',
        { class: 'card', 'data-testid': 'page-error' },
        h('p', {}, showError(error)),
        h('button', { onclick: () => void householdFilePage(session, householdId) }, '重试'),
      ),
    );
    return;
  }
  const acts = villageStaff.includes(session.role);
  const backHref =
    session.role === 'village_admin' || session.role === 'helper'
      ? '#/households'
      : `#/village/${file.villageCode}`;
  mount(
    h('a', { href: backHref, class: 'back-link', 'data-testid': 'file-back' }, '← 返回建档立卡户'),
    headCard(file, acts),
    printablesCard(file),
    basicsCard(file),
    causesCard(file),
    helperCard(file),
    handbookCard(file),
    acts && file.sheetCollected
      ? handbookForm(file, () => void householdFilePage(session, householdId))
      : null,
    acts ? distributionCard(file) : distributionText(file),
    differencesCard(file),
    changesCard(file),
    visitsCard(file),
  );
}

const section = (
  title: string,
  testId: string,
  ...children: Array<Node | Node[] | null | string>
) => h('section', { class: 'card stack', 'data-testid': testId }, h('h2', {}, title), ...children);

function headCard(file: HouseholdFile, acts: boolean): HTMLElement {
  const colour = file.card.colour;
  return h(
    'section',
    { class: 'card stack', 'data-testid': 'household-file', 'data-revision': file.revision },
    h(
      'h1',
      {},
      h('span', { 'data-testid': 'file-head-name' }, file.headName),
      colour
        ? h(
            'span',
            { class: `card-${colour}`, 'data-testid': 'file-card', 'data-colour': colour },
            colour === 'red' ? '红卡' : '蓝卡',
          )
        : null,
    ),
    h(
      'p',
      { class: 'muted' },
      `身份证尾号 ${file.idLast4} · ${householdStatusLabels[file.status]}${file.outYear ? `（${file.outYear}年脱贫）` : ''}`,
    ),
    h('p', { class: 'muted' }, file.address),
    h(
      'p',
      { class: 'muted small-left', 'data-testid': 'file-card-year' },
      file.card.cardYear
        ? `联系卡年度：${file.card.cardYear}年（乡镇设定）`
        : '联系卡年度：乡镇尚未设定',
    ),
    acts
      ? h(
          'a',
          { href: `#/visit/${file.householdId}`, class: 'button', 'data-testid': 'open-sheet' },
          '入户核实《贫困户信息表》',
        )
      : null,
  );
}

function printablesCard(file: HouseholdFile): HTMLElement {
  const button = (
    testId: string,
    label: string,
    fetch: () => Promise<{ filename: string; contentType: string; dataBase64: string }>,
  ) => {
    const element = h(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': testId },
      label,
    );
    element.addEventListener('click', async () => {
      element.disabled = true;
      try {
        const pdf = await fetch();
        download(pdf.filename, pdf.contentType, pdf.dataBase64);
      } catch (error) {
        showError(error);
      }
      element.disabled = false;
    });
    return element;
  };
  const { householdId, year } = file;
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '打印'),
    h(
      'div',
      { class: 'actions' },
      button('export-information-sheet', '贫困户信息表', () =>
        call('exportInformationSheet', { householdId, year }),
      ),
      button('export-handbook', '帮扶手册', () => call('exportHandbook', { householdId, year })),
      file.card.colour
        ? button('export-contact-card', '联系卡', () => call('exportContactCards', { householdId }))
        : null,
    ),
  );
}

function basicsCard(file: HouseholdFile): HTMLElement {
  const members = file.members.map((member) =>
    h(
      'li',
      { 'data-testid': 'file-member' },
      h('strong', {}, member.name),
      ` ${relationLabels[member.relation]} · ${member.sex === 'male' ? '男' : '女'} · ${member.age}岁 · 尾号${member.idLast4}`,
      h(
        'div',
        { class: 'muted' },
        `${healthLabels[member.health]} · ${educationLabels[member.education]} · ${labourLabels[member.labour]}`,
      ),
    ),
  );
  return section(
    `一、家庭基本情况（${file.members.length + 1}人）`,
    'file-basics',
    h(
      'ul',
      { class: 'plain' },
      members.length ? members : h('li', { class: 'muted' }, '户主一人（或成员尚未登记）'),
    ),
    file.living
      ? h(
          'ul',
          { class: 'plain checks' },
          livingChecks.map((check) =>
            h(
              'li',
              { class: file.living?.[check] ? 'yes' : 'no' },
              `${file.living?.[check] ? '✓' : '✗'} ${livingLabels[check]}`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, '尚未入户核实：生活条件与收入待填写。'),
    file.income
      ? h(
          'table',
          { class: 'plain-table' },
          incomeSources.map((source) =>
            h(
              'tr',
              {},
              h('td', {}, incomeLabels[source]),
              h('td', { 'data-testid': `file-income-${source}` }, yuan(file.income?.[source] ?? 0)),
            ),
          ),
          h(
            'tr',
            {},
            h('td', {}, '年人均纯收入'),
            h('td', { 'data-testid': 'file-per-capita' }, yuan(file.perCapitaIncomeFen ?? 0)),
          ),
        )
      : null,
  );
}

function causesCard(file: HouseholdFile): HTMLElement {
  return section('二、致贫原因', 'file-causes', h('p', {}, file.causes.join('、') || '未填写'));
}

function helperCard(file: HouseholdFile): HTMLElement {
  return section(
    '三、帮扶责任人',
    'file-helper',
    h(
      'p',
      {},
      file.helper
        ? `${file.helper.name}${file.helper.phone ? `（${file.helper.phone}）` : ''}`
        : '未分配',
    ),
  );
}

function handbookCard(file: HouseholdFile): HTMLElement {
  return h(
    'div',
    {},
    section(`四、帮扶计划（${file.year}年）`, 'file-plan', h('p', {}, file.plan || '未填写')),
    section(
      '五、帮扶措施',
      'file-measures',
      file.measures.length === 0
        ? h('p', { class: 'muted' }, '本年度暂无记录')
        : h(
            'ul',
            { class: 'plain' },
            file.measures.map((measure) =>
              h(
                'li',
                { 'data-testid': 'file-measure', 'data-source': measure.source },
                `${measure.date} ${measureLabels[measure.kind]}：`,
                measure.link
                  ? h('a', { href: `#/need/${measure.link}` }, measure.description)
                  : measure.description,
                measure.amountFen > 0 ? ` ${yuan(measure.amountFen)}` : '',
                measure.source === 'file' ? null : h('span', { class: 'badge ok' }, '平台记录'),
              ),
            ),
          ),
    ),
    section('六、帮扶成效', 'file-results', h('p', {}, file.results || '未填写')),
  );
}

function distributionText(file: HouseholdFile): HTMLElement {
  return section(
    '发放情况',
    'file-distribution',
    h(
      'p',
      {},
      `联系卡：${file.distribution.cardOn ?? '未发放'}；帮扶手册：${file.distribution.handbookOn ?? '未发放'}`,
    ),
  );
}

/** 一户一卡一册 handed to the household: each date once recorded stays. */
function distributionCard(file: HouseholdFile): HTMLElement {
  const today = chinaDate(Date.now());
  const dateField = (value: string | null, testId: string, label: string) =>
    h('input', {
      type: 'date',
      value: value ?? '',
      max: today,
      'aria-label': label,
      'data-testid': testId,
      disabled: value !== null,
    });
  const card = dateField(file.distribution.cardOn, 'distribution-card', '联系卡发放日期');
  const handbook = dateField(
    file.distribution.handbookOn,
    'distribution-handbook',
    '帮扶手册发放日期',
  );
  const host = h('div');
  const result = h('p', { class: 'muted small-left', 'data-testid': 'distribution-result' });
  const done = file.distribution.cardOn !== null && file.distribution.handbookOn !== null;
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'distribution-submit', disabled: done },
    '记录发放',
  );
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'file-distribution',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (!card.value && !handbook.value) return toast('请填写发放日期');
        submit.disabled = true;
        await submitSafely(
          `recordDistribution.${file.householdId}.${file.year}`,
          'recordDistribution',
          {
            householdId: file.householdId,
            year: file.year,
            cardOn: card.value || null,
            handbookOn: handbook.value || null,
          },
          host,
          (answer) => {
            card.value = answer.cardOn ?? '';
            handbook.value = answer.handbookOn ?? '';
            card.disabled = answer.cardOn !== null;
            handbook.disabled = answer.handbookOn !== null;
            result.textContent = '已记录发放';
            toast('已记录发放');
          },
          (error: CallError) => {
            result.textContent = errorText(error);
          },
        );
        submit.disabled = card.disabled && handbook.disabled;
      },
    },
    h('h2', {}, '发放情况（一户一卡一册）'),
    h('label', {}, '联系卡发放日期', card),
    h('label', {}, '帮扶手册发放日期', handbook),
    submit,
    result,
    host,
  );
}

function differencesCard(file: HouseholdFile): HTMLElement {
  return section(
    '三统一：与国扶系统名单比对',
    'file-differences',
    file.differences.length === 0
      ? h(
          'p',
          { class: 'muted' },
          file.sheetCollected ? '与名单一致' : '尚未入户核实，暂无可比对的信息',
        )
      : h(
          'ul',
          { class: 'plain' },
          file.differences.map((difference) =>
            h(
              'li',
              { 'data-testid': 'file-difference', 'data-field': difference.field },
              `${difference.label}：档案 ${difference.file}，名单 ${difference.roster}`,
            ),
          ),
        ),
  );
}

function changesCard(file: HouseholdFile): HTMLElement {
  return section(
    '更正记录',
    'file-changes',
    file.changes.length === 0
      ? h('p', { class: 'muted' }, '暂无更正')
      : h(
          'ul',
          { class: 'plain' },
          // Newest first: the latest visit's corrections are what the helper checks.
          [...file.changes]
            .reverse()
            .map((change) =>
              h(
                'li',
                { 'data-testid': 'file-change', 'data-field': change.field },
                h('strong', {}, change.label),
                `：${change.old || '（无）'} → ${change.new || '（移出）'}`,
                h(
                  'div',
                  { class: 'muted' },
                  `${change.byName} · ${change.at ? chinaDateTime(Date.parse(change.at)) : ''} · ${change.enteredAt ? '已录入国扶系统' : '待录入国扶系统'}`,
                ),
              ),
            ),
        ),
  );
}

function visitsCard(file: HouseholdFile): HTMLElement {
  return section(
    '入户核实记录',
    'file-visits',
    file.visits.length === 0
      ? h('p', { class: 'muted' }, '尚无入户核实')
      : h(
          'ul',
          { class: 'plain' },
          [...file.visits]
            .reverse()
            .map((visit) =>
              h(
                'li',
                { 'data-testid': 'file-visit', 'data-id': visit.id },
                `${visit.visitedOn} ${visit.byName}，更正 ${visit.changes} 处`,
                h(
                  'div',
                  { class: 'muted' },
                  confirmationParties
                    .map(
                      (party) =>
                        `${confirmationLabels[party]}：${confirmationKindLabels[visit.confirmations[party]]}`,
                    )
                    .join('；'),
                ),
              ),
            ),
        ),
  );
}

interface MeasureDraft {
  date: string;
  kind: MeasureKind;
  description: string;
  amount: string;
}

/**
 * The handbook's parts the helper writes for the year: 帮扶计划, the measures taken (the platform's
 * own gifts are listed above, never typed again) and 帮扶成效. Saved on the file's revision it
 * opened; a file changed meanwhile reloads the page.
 */
function handbookForm(file: HouseholdFile, reload: () => void): HTMLElement {
  const today = chinaDate(Date.now());
  const plan = h('textarea', {
    rows: 3,
    maxlength: 500,
    'aria-label': '帮扶计划',
    'data-testid': 'handbook-plan',
  });
  plan.value = file.plan;
  const results = h('textarea', {
    rows: 3,
    maxlength: 500,
    'aria-label': '帮扶成效',
    'data-testid': 'handbook-results',
  });
  results.value = file.results;
  const measures: MeasureDraft[] = file.measures
    .filter((measure) => measure.source === 'file')
    .map((measure) => ({
      date: measure.date,
      kind: measure.kind,
      description: measure.description,
      amount: measure.amountFen ? String(measure.amountFen / 100) : '',
    }));
  const list = h('div', { class: 'stack' });
  const render = () => {
    list.replaceChildren(
      ...measures.map((measure, index) => {
        const date = h('input', {
          type: 'date',
          value: measure.date,
          max: today,
          'aria-label': '日期',
          'data-testid': 'handbook-measure-date',
        });
        date.addEventListener('change', () => (measure.date = date.value));
        const kind = h(
          'select',
          { 'aria-label': '措施类别', 'data-testid': 'handbook-measure-kind' },
          ...measureKinds.map((value) =>
            h('option', { value, selected: value === measure.kind }, measureLabels[value]),
          ),
        );
        kind.addEventListener('change', () => (measure.kind = kind.value as MeasureKind));
        const description = h('input', {
          type: 'text',
          value: measure.description,
          maxlength: 200,
          placeholder: '措施内容',
          'aria-label': '措施内容',
          'data-testid': 'handbook-measure-description',
        });
        description.addEventListener('input', () => (measure.description = description.value));
        const amount = h('input', {
          type: 'text',
          inputmode: 'decimal',
          value: measure.amount,
          placeholder: '金额（元，可空）',
          'aria-label': '金额（元）',
          'data-testid': 'handbook-measure-amount',
        });
        amount.addEventListener('input', () => (measure.amount = amount.value));
        return h(
          'fieldset',
          { class: 'stack', 'data-testid': 'handbook-measure' },
          date,
          kind,
          description,
          amount,
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: () => {
                measures.splice(index, 1);
                render();
              },
            },
            '删除',
          ),
        );
      }),
    );
  };
  render();
  const add = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'handbook-measure-add' },
    '添加帮扶措施',
  );
  add.addEventListener('click', () => {
    measures.push({ date: today, kind: 'industry', description: '', amount: '' });
    render();
  });
  const host = h('div');
  const note = h('p', { class: 'warn', 'data-testid': 'handbook-error', hidden: true });
  const save = h('button', { type: 'submit', 'data-testid': 'handbook-save' }, '保存帮扶手册');
  return h(
    'form',
    {
      class: 'card stack sheet',
      'data-testid': 'handbook-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const typed = [];
        for (const measure of measures) {
          const amountFen = measure.amount.trim() === '' ? 0 : fenFromYuanText(measure.amount);
          if (amountFen === undefined || !measure.description.trim()) {
            note.textContent = '每项帮扶措施请填写内容，金额填元（可不填）';
            note.hidden = false;
            return;
          }
          typed.push({
            date: measure.date,
            kind: measure.kind,
            description: measure.description.trim(),
            amountFen,
          });
        }
        note.hidden = true;
        save.disabled = true;
        await submitSafely(
          `saveHandbook.${file.householdId}.${file.year}`,
          'saveHandbook',
          {
            householdId: file.householdId,
            year: file.year,
            baseRevision: file.revision,
            plan: plan.value.trim(),
            measures: typed,
            results: results.value.trim(),
          },
          host,
          () => {
            toast('帮扶手册已保存');
            reload();
          },
          (error: CallError) => {
            if (error.details?.reason === 'file_changed') {
              toast('该户档案已被他人更新，已重新打开');
              reload();
            }
          },
          { plan: '帮扶计划', results: '帮扶成效', measures: '帮扶措施' },
        );
        save.disabled = false;
      },
    },
    h('h2', {}, `填写帮扶手册（${file.year}年）`),
    h('label', {}, '帮扶计划', plan),
    h(
      'div',
      {},
      h('strong', {}, '帮扶措施'),
      h('p', { class: 'muted small-left' }, '平台记录的捐助已列在上方，无须重复填写。'),
    ),
    list,
    add,
    h('label', {}, '帮扶成效', results),
    note,
    save,
    host,
  );
}
