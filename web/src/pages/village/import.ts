/** 导入名单: roster import, the village's receiving address for goods, and the ledger export. */
import { call } from '../../firebase';
import { base64Of, download, h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { submitSafely as sendSafely } from '../../submit';
import { showError } from '../../app';
import { header, submitSafely, tabs } from './shared';
import type { RosterImportAnswer } from '../../../../functions/src/contract/households';
import { fileProblemText } from '../../../../functions/src/domain/roster/messages';

/**
 * Where donors send goods and whom they meet: the village office, never a household's home.
 * Shown to a donor only once they have pledged goods to this village.
 */
async function receivingCard(): Promise<HTMLElement> {
  const kept = await call('getVillageReceiving', {});
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
        await sendSafely(
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

export async function importTab(): Promise<void> {
  const mount = pageMount();
  const overview = await call('getVillageOverview', { pageSize: 1 });
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
      let preview: RosterImportAnswer;
      try {
        preview = await call('importRoster', {
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
    await submitSafely(
      `import.${mode}.${chosen.name}.${chosen.size}`,
      'importRoster',
      { format, dataBase64, mode },
      retryHost,
      (result) => showImport(result),
    );
    file.value = '';
  });
  const showImport = (result: RosterImportAnswer) => {
    const refused = result.report.filter((row) => row.status === 'refused');
    report.replaceChildren(
      h(
        'p',
        {},
        result.ok
          ? `已导入：新增 ${result.created} 户，更新 ${result.updated} 户${result.mode === 'full' ? `，移出名单 ${result.leftRoster} 户` : '（未移出任何户）'}`
          : result.fileProblems.length
            ? `未导入（整个文件未写入）：${result.fileProblems.map(fileProblemText).join('；')}`
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
      const file = await call('exportLedger', { format });
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
