/**
 * The township's 一户一册一卡 tools on its dashboard: the year the contact cards follow (blue for
 * that year's inclusions and returns, red for its exits), the 工作进展情况表's footer and its
 * 工作开展情况及建议, the form exported as XLSX or PDF, and a village's contact cards as one PDF.
 */
import { call } from '../../firebase';
import { download, h, toast } from '../../dom';
import { chinaDate } from '../../format';
import { showError } from '../../app';

export function townshipFileTools(
  townshipCode: string,
  villages: Array<{ code: string; name: string }>,
): HTMLElement {
  const today = chinaDate(Date.now());
  const thisYear = Number(today.slice(0, 4));

  // 联系卡年度
  const cardYear = h('input', {
    type: 'number',
    min: 2017,
    max: thisYear + 1,
    value: thisYear,
    'aria-label': '联系卡年度',
    'data-testid': 'card-year',
  });
  const cardYearSave = h('button', { type: 'submit', 'data-testid': 'card-year-save' }, '设定');
  const cardYearForm = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'card-year-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        cardYearSave.disabled = true;
        try {
          const answer = await call('setCardYear', {
            townshipCode,
            cardYear: Number(cardYear.value),
          });
          toast(`联系卡年度已设为${answer.cardYear}年`);
        } catch (error) {
          showError(error);
        }
        cardYearSave.disabled = false;
      },
    },
    h('h3', {}, '联系卡年度'),
    h('p', { class: 'muted small-left' }, '该年度新识别、返贫的户发蓝卡，该年度脱贫的户发红卡。'),
    h('div', { class: 'search' }, cardYear, cardYearSave),
  );

  // 工作进展情况表：页脚与工作开展情况及建议
  const text = (label: string, testId: string, extra: Record<string, unknown> = {}) =>
    h('input', { type: 'text', 'aria-label': label, 'data-testid': testId, ...extra });
  const year = h('input', {
    type: 'number',
    min: 2017,
    max: thisYear,
    value: thisYear,
    'aria-label': '年度',
    'data-testid': 'progress-year',
  });
  const filledOn = h('input', {
    type: 'date',
    value: today,
    max: today,
    'aria-label': '填报日期',
    'data-testid': 'progress-filled-on',
  });
  const reviewer = text('审核人', 'progress-reviewer', { maxlength: 20 });
  const filler = text('填报人', 'progress-filler', { maxlength: 20 });
  const contact = text('联系方式', 'progress-contact', { inputmode: 'tel', maxlength: 20 });
  const summary = h('textarea', {
    rows: 4,
    maxlength: 500,
    'aria-label': '工作开展情况及建议',
    'data-testid': 'progress-summary',
  });
  const save = h('button', { type: 'submit', 'data-testid': 'progress-save' }, '保存');
  const exportAs = async (format: 'xlsx' | 'pdf', button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const file = await call('exportVisitProgress', {
        regionCode: townshipCode,
        year: Number(year.value),
        format,
      });
      download(file.filename, file.contentType, file.dataBase64);
    } catch (error) {
      showError(error);
    }
    button.disabled = false;
  };
  const exportButton = (format: 'xlsx' | 'pdf', label: string) => {
    const button = h(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': `export-progress-${format}` },
      label,
    );
    button.addEventListener('click', () => void exportAs(format, button));
    return button;
  };
  const progressForm = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'progress-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          await call('saveProgressReport', {
            townshipCode,
            year: Number(year.value),
            filledOn: filledOn.value,
            reviewer: reviewer.value.trim(),
            filler: filler.value.trim(),
            contact: contact.value.trim(),
            summary: summary.value.trim(),
          });
          toast('已保存，导出的进展表将带上页脚');
        } catch (error) {
          showError(error, {
            filledOn: '填报日期',
            reviewer: '审核人',
            filler: '填报人',
            contact: '联系方式',
            summary: '工作开展情况及建议',
          });
        }
        save.disabled = false;
      },
    },
    h('h3', {}, '“一户一册一卡”工作进展情况表'),
    h('label', {}, '年度', year),
    h('label', {}, '填报日期', filledOn),
    h('label', {}, '审核人', reviewer),
    h('label', {}, '填报人', filler),
    h('label', {}, '联系方式', contact),
    h('label', {}, '工作开展情况及建议', summary),
    save,
    h(
      'div',
      { class: 'actions' },
      exportButton('xlsx', '导出 Excel'),
      exportButton('pdf', '导出 PDF'),
    ),
  );

  // 一个村的联系卡
  const village = h(
    'select',
    { 'aria-label': '村', 'data-testid': 'contact-cards-village' },
    ...villages.map((item) => h('option', { value: item.code }, item.name)),
  );
  const cards = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'export-contact-cards' },
    '导出该村联系卡（PDF）',
  );
  cards.addEventListener('click', async () => {
    cards.disabled = true;
    try {
      const file = await call('exportContactCards', { villageCode: village.value });
      download(file.filename, file.contentType, file.dataBase64);
      toast(`共 ${file.cards} 张联系卡`);
    } catch (error) {
      showError(error);
    }
    cards.disabled = false;
  });

  return h(
    'section',
    { class: 'card stack', 'data-testid': 'township-file-tools' },
    h('h2', {}, '一户一册一卡'),
    cardYearForm,
    progressForm,
    h(
      'div',
      { class: 'stack' },
      h('h3', {}, '联系卡打印'),
      h('p', { class: 'muted small-left' }, '每页两张，按颜色打印。'),
      village,
      cards,
    ),
  );
}
