/** 采集需求: capturing a need (its seven elements) with evidence photos, kept as a draft. */
import { call } from '../../firebase';
import { base64Of, downscalePhoto, h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { fenFromYuanText } from '../../format';
import { needCategories } from '../../categories';
import { drafts, type KeptInput } from '../../submit';
import { showError } from '../../app';
import { header, submitSafely, tabs } from './shared';
import type { VillageHouseholdRow } from '../../../../functions/src/contract/households';
import {
  guaranteeLabels,
  guaranteeRules,
  type Guarantee,
  type NeedCategory,
} from '../../../../functions/src/domain/need/categories';

/** One goods line as typed. */
interface GoodsLineDraft {
  name: string;
  quantity: string;
  unit: string;
}

/** The household the need is for, as the picker showed it (kept so a reload needs no search). */
type ChosenHousehold = Pick<VillageHouseholdRow, 'id' | 'headName' | 'idLast4' | 'address'>;

/**
 * The capture form as typed, kept on the phone until it is sent (text fields as entered: not what
 * the server receives, which is submitNeed's input in the contract).
 */
interface CaptureDraft {
  draftId: string;
  household: ChosenHousehold;
  category: string;
  /** '' until the collector chooses: the rules ask for it, so nothing is chosen for them. */
  guarantee: string;
  kind: 'money' | 'goods';
  amountYuan: string;
  items: GoodsLineDraft[];
  idNumber: string;
  address: string;
  reason: string;
  bankAccount: string;
  adminName: string;
  photoIds: string[];
  /** Drafts kept before the picker searched and goods took several lines. */
  householdId?: string;
  itemName?: string;
  itemQuantity?: string;
  itemUnit?: string;
}

/**
 * submitNeed's limit (`maxGoodsItems` in domain/need/submission), not imported: that module
 * brings zod into the page. A larger list is refused by the server with the field named.
 */
const maxGoodsItems = 20;

/** Households offered before anything is typed: a helper's few, or the first of a village's. */
const pickerPageSize = 20;

export async function captureTab(): Promise<void> {
  const mount = pageMount();
  // Registered households only: a need is captured for a household that has registered.
  const overview = await call('getVillageOverview', { pageSize: pickerPageSize, registered: true });
  const kept = drafts.load<CaptureDraft>('capture') ?? {};
  const draft: Partial<CaptureDraft> & Pick<CaptureDraft, 'draftId' | 'items'> = {
    draftId: crypto.randomUUID(),
    kind: 'money',
    category: 'medical',
    guarantee: '',
    photoIds: [],
    ...kept,
    items: kept.items?.length
      ? kept.items
      : [
          {
            name: kept.itemName ?? '',
            quantity: kept.itemQuantity ?? '',
            unit: kept.itemUnit ?? '',
          },
        ],
  };
  if (!draft.household && draft.householdId) {
    draft.household = overview.households.find((row) => row.id === draft.householdId);
  }
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
  const formError = h('p', {
    class: 'warn',
    role: 'alert',
    'data-testid': 'capture-error',
    hidden: true,
  });
  const sayError = (message: string) => {
    formError.textContent = message;
    formError.hidden = false;
    toast(message);
  };

  const address = field(
    'address',
    h('input', { type: 'text', placeholder: '家庭住址', value: draft.address }),
  );
  const picker = householdPicker(overview, draft.household, (household) => {
    draft.household = household;
    if (!address.value) {
      address.value = household.address;
      draft.address = household.address;
    }
    formError.hidden = true;
    save();
  });

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
  const guarantee = field(
    'guarantee',
    h('select', { 'aria-label': '保障内容', 'data-testid': 'guarantee-select' }),
  );
  const guaranteeField = h('label', { class: 'stack' }, '这项需求保障的是（必选）', guarantee);
  // The four categories that imply no guarantee must name food or clothing (seed 000's rule);
  // the other three imply theirs, and the field is not shown.
  const showGuarantee = () => {
    const rule = guaranteeRules[category.value as NeedCategory];
    guaranteeField.hidden = rule.implied !== undefined;
    const keep = rule.allowed.includes(draft.guarantee as Guarantee) ? draft.guarantee : '';
    guarantee.replaceChildren(
      h('option', { value: '' }, '请选择'),
      ...rule.allowed.map((value) =>
        h('option', { value, selected: keep === value }, guaranteeLabels[value]),
      ),
    );
    guarantee.value = keep ?? '';
  };
  category.addEventListener('change', showGuarantee);
  showGuarantee();

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
  const goods = goodsLines(draft.items, save);
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
  const showKind = () => {
    moneyFields.hidden = kind.value !== 'money';
    goods.element.hidden = kind.value !== 'goods';
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
    const selected = draft.household;
    if (!selected) return sayError('请先搜索并选择贫困户');
    // The select offers only the categories.
    const chosen = category.value as NeedCategory;
    const rule = guaranteeRules[chosen];
    if (!rule.implied && !guarantee.value) {
      return sayError(
        `请选择这项需求保障的是“${rule.allowed.map((value) => guaranteeLabels[value]).join('”还是“')}”`,
      );
    }
    formError.hidden = true;
    const base = {
      householdId: selected.id,
      category: chosen,
      headName: selected.headName,
      idNumber: idNumber.value.trim(),
      address: address.value.trim(),
      reason: reason.value.trim(),
      evidencePhotoIds: draft.photoIds ?? [],
      adminName: adminName.value.trim(),
      // The select offers only the guarantees this category allows.
      ...(rule.implied ? {} : { guarantee: guarantee.value as Guarantee }),
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
        : { ...base, kind: 'goods', items: goods.items() };
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
      { class: 'card stack capture-form', 'data-testid': 'capture-form', onsubmit: submit },
      h('h2', {}, '采集贫困需求（七要素）'),
      picker,
      category,
      guaranteeField,
      kind,
      moneyFields,
      goods.element,
      idNumber,
      address,
      reason,
      h('label', { class: 'stack' }, '佐证照片（拍照或选择，自动压缩）', photoInput),
      thumbs,
      adminName,
      formError,
      h('button', { type: 'submit', 'data-testid': 'submit-need' }, '提交需求'),
      retryHost,
    ),
  );
  void showPhotos();
}

/**
 * The household picker: registered households found by the head's name or the last four of the
 * ID on the server (any household of a village of thousands), a page at a time; before anything
 * is typed, the first page of them.
 */
function householdPicker(
  first: { households: VillageHouseholdRow[]; matched: number; next: string | null },
  initial: ChosenHousehold | undefined,
  onChoose: (household: ChosenHousehold) => void,
): HTMLElement {
  const search = h('input', {
    type: 'search',
    placeholder: '搜索户主姓名或身份证后四位',
    'aria-label': '搜索贫困户',
    enterkeyhint: 'search',
    autocomplete: 'off',
    'data-testid': 'capture-household-search',
  });
  const options = h('div', { class: 'picker-options', 'data-testid': 'capture-household-options' });
  const note = h('p', { class: 'muted' });
  const more = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'capture-household-more', hidden: true },
    '更多…',
  );
  const chosenView = h('div', {
    class: 'picker-chosen',
    'data-testid': 'capture-household-chosen',
  });
  const showChosen = (household: ChosenHousehold | undefined) => {
    chosenView.hidden = household === undefined;
    chosenView.replaceChildren(
      household ? `已选：${household.headName}（尾号${household.idLast4}）` : '',
    );
  };
  showChosen(initial);

  const option = (row: VillageHouseholdRow) =>
    h(
      'button',
      {
        type: 'button',
        class: 'picker-option',
        'data-testid': 'capture-household-option',
        'data-id': row.id,
        onclick: () => {
          const household = {
            id: row.id,
            headName: row.headName,
            idLast4: row.idLast4,
            address: row.address,
          };
          showChosen(household);
          onChoose(household);
        },
      },
      h('strong', {}, row.headName),
      `（尾号${row.idLast4}）`,
      row.address ? h('span', { class: 'picker-address' }, row.address) : null,
    );

  let next = first.next;
  let query = '';
  // Typing on: only the answer for the latest text is shown.
  let generation = 0;
  const show = (
    page: { households: VillageHouseholdRow[]; matched: number; next: string | null },
    append: boolean,
  ) => {
    if (!append) options.replaceChildren();
    options.append(...page.households.map(option));
    next = page.next;
    more.hidden = next === null;
    note.textContent =
      page.households.length || append
        ? `共 ${page.matched} 户${next ? '，可输入姓名或身份证后四位缩小范围' : ''}`
        : query
          ? '没有找到已注册的贫困户：请核对姓名或身份证后四位，未注册的户请先在“建档立卡户”中注册'
          : '本村还没有已注册的贫困户，请先在“建档立卡户”中注册';
  };
  const find = async (after?: string) => {
    const mine = after ? generation : ++generation;
    try {
      const page = await call('getVillageOverview', {
        pageSize: pickerPageSize,
        registered: true,
        ...(query ? { search: query } : {}),
        ...(after ? { after } : {}),
      });
      if (mine === generation) show(page, after !== undefined);
    } catch (error) {
      if (mine === generation) showError(error);
    }
  };
  let timer: number | undefined;
  const searchNow = () => {
    window.clearTimeout(timer);
    const text = search.value.trim();
    if (text === query) return;
    query = text;
    void find();
  };
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(searchNow, 400);
  });
  // Enter searches; it must not send the need form.
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    searchNow();
  });
  more.addEventListener('click', () => {
    if (next) void find(next);
  });
  show(first, false);
  return h(
    'fieldset',
    { class: 'stack picker' },
    h('legend', {}, '贫困户（已注册）'),
    search,
    options,
    note,
    more,
    chosenView,
  );
}

/** 物品: one line per good (name, quantity, unit), lines added and removed, kept in the draft. */
function goodsLines(lines: GoodsLineDraft[], save: () => void) {
  const rows = h('div', { class: 'stack' });
  const add = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'add-goods-item' },
    '＋ 再加一种物品',
  );
  const refresh = () => {
    rows.replaceChildren(...lines.map(row));
    add.disabled = lines.length >= maxGoodsItems;
  };
  const row = (line: GoodsLineDraft, index: number) => {
    const input = (key: keyof GoodsLineDraft, props: Record<string, unknown>) => {
      const element = h('input', { ...props, value: line[key] });
      element.addEventListener('input', () => {
        line[key] = element.value;
        save();
      });
      return element;
    };
    return h(
      'div',
      { class: 'goods-item', 'data-testid': 'goods-item' },
      input('name', { type: 'text', placeholder: '物品名称', 'data-testid': 'goods-name' }),
      input('quantity', {
        type: 'number',
        min: '1',
        inputmode: 'numeric',
        placeholder: '数量',
        'data-testid': 'goods-quantity',
      }),
      input('unit', { type: 'text', placeholder: '单位（件、袋…）', 'data-testid': 'goods-unit' }),
      lines.length > 1
        ? h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-testid': 'remove-goods-item',
              'aria-label': `删除第${index + 1}种物品`,
              onclick: () => {
                lines.splice(index, 1);
                save();
                refresh();
              },
            },
            '删除',
          )
        : null,
    );
  };
  add.addEventListener('click', () => {
    if (lines.length >= maxGoodsItems) return;
    lines.push({ name: '', quantity: '', unit: '' });
    save();
    refresh();
    rows.querySelector<HTMLInputElement>('.goods-item:last-child input')?.focus();
  });
  refresh();
  return {
    element: h('div', { class: 'stack goods-items' }, rows, add),
    /** The lines to send: a line left wholly blank is dropped, a partly filled one goes for the server to name. */
    items: () =>
      lines
        .filter((line) => line.name.trim() || line.quantity.trim() || line.unit.trim())
        .map((line) => ({
          name: line.name.trim(),
          quantity: Number(line.quantity),
          unit: line.unit.trim(),
        })),
  };
}
