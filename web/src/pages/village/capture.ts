/** 采集需求: capturing a need (its seven elements) with evidence photos, kept as a draft. */
import { call } from '../../firebase';
import { base64Of, downscalePhoto, h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { fenFromYuanText } from '../../format';
import { needCategories } from '../../categories';
import { drafts, type KeptInput } from '../../submit';
import { showError } from '../../app';
import { header, submitSafely, tabs } from './shared';
import {
  guaranteeRules,
  type NeedCategory,
} from '../../../../functions/src/domain/need/categories';

/**
 * The capture form as typed, kept on the phone until it is sent (text fields as entered: not what
 * the server receives, which is submitNeed's input in the contract).
 */
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

export async function captureTab(): Promise<void> {
  const mount = pageMount();
  const overview = await call('getVillageOverview', { pageSize: 100 });
  const draft: Partial<CaptureDraft> & Pick<CaptureDraft, 'draftId'> = {
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
      const { photos } = await call('getEvidencePhotoUrls', { photoIds: ids });
      thumbs.replaceChildren(
        ...photos.map((photo) =>
          photo.status === 'processed'
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
      await call('uploadEvidencePhoto', {
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
    // The select offers only the categories.
    const chosen = category.value as NeedCategory;
    const base = {
      householdId: selected.id,
      category: chosen,
      headName: selected.headName,
      idNumber: idNumber.value.trim(),
      address: address.value.trim(),
      reason: reason.value.trim(),
      evidencePhotoIds: draft.photoIds ?? [],
      adminName: adminName.value.trim(),
      // A category that implies no guarantee serves food here (the domain's rule, seed 000).
      ...(guaranteeRules[chosen].implied ? {} : { guarantee: 'food' as const }),
    };
    const data: KeptInput<'submitNeed'> =
      kind.value === 'money'
        ? {
            ...base,
            kind: 'money',
            // An amount that does not read as yuan goes as typed: the server names the field.
            amountFen: (fenFromYuanText(amount.value) ?? amount.value) as number,
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
    await submitSafely('submitNeed', 'submitNeed', data, retryHost, () => {
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
