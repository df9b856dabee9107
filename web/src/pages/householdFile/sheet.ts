/**
 * 入户核实《贫困户信息表》 on the phone (seed 004): the helper opens the household's sheet as the
 * file has it, walks it item by item with the household (members, 两不愁三保障 and living
 * conditions, income by source, causes), corrects what is wrong, and collects the three
 * confirmations — a signature drawn on the phone, a photo of the signed paper sheet, or 暂未签字.
 *
 * Weak signal: everything typed and drawn is kept on the phone as it is entered (keyed by
 * household), with the file it started from, so a lost connection or a reload loses nothing; a
 * visit sent without a network is kept with its request id and sent once the network returns
 * (the server answers a repeated request id with the first result: it arrives once).
 */
import { call, type CallError } from '../../firebase';
import { base64Of, downscalePhoto, h, toast } from '../../dom';
import { chinaDate, errorText, fenFromYuanText, isRetryable } from '../../format';
import { pageMount } from '../../navigation';
import { drafts, pending } from '../../submit';
import type { KeptInput } from '../../submit';
import type { HouseholdFile } from '../../../../functions/src/contract/householdFile';
import { povertyCauses, type PovertyCause } from '../../../../functions/src/domain/household';
import {
  confirmationLabels,
  confirmationParties,
  educationLabels,
  healthLabels,
  incomeLabels,
  incomeSources,
  labourLabels,
  livingChecks,
  livingLabels,
  memberEducation,
  memberHealth,
  memberLabour,
  memberRelations,
  relationLabels,
  type ConfirmationParty,
  type IncomeSource,
  type LivingCheck,
  type MemberEducation,
  type MemberHealth,
  type MemberLabour,
  type MemberRelation,
} from '../../../../functions/src/domain/householdFile';
import { signaturePad } from './signature';

type VisitData = KeptInput<'recordSheetVisit'>;

interface DraftMember {
  /** Index in the file's members (kept by the server with its ID number); absent for a new one. */
  existing?: number;
  /** Typed only for a member added at this visit. */
  idNumber?: string;
  idLast4: string;
  name: string;
  relation: MemberRelation;
  health: MemberHealth;
  education: MemberEducation;
  labour: MemberLabour;
}

type DraftConfirmation =
  | { kind: 'signature'; pngBase64: string | null }
  | { kind: 'photo'; photoId: string | null }
  | { kind: 'none' };

interface SheetDraft {
  householdId: string;
  baseRevision: number;
  /** The evidence pipeline's draft id for the signed-sheet photos of this visit. */
  photoDraftId: string;
  visitedOn: string;
  members: DraftMember[];
  living: Record<LivingCheck, boolean>;
  /** As typed, in yuan. */
  income: Record<IncomeSource, string>;
  causes: PovertyCause[];
  confirmations: Record<ConfirmationParty, DraftConfirmation>;
}

const draftKey = (householdId: string) => `sheet.${householdId}`;
const fileKey = (householdId: string) => `sheetFile.${householdId}`;
const pendingKey = (householdId: string) => `sheetVisit.${householdId}`;
/** A photo of the signed sheet taken without a network: its bytes wait here for the upload. */
const photoKey = (photoId: string) => `sheetPhoto.${photoId}`;

const yuanOf = (fen: number) => (fen / 100).toFixed(2).replace(/\.?0+$/, '');

function draftOf(file: HouseholdFile): SheetDraft {
  return {
    householdId: file.householdId,
    baseRevision: file.revision,
    photoDraftId: crypto.randomUUID(),
    visitedOn: chinaDate(Date.now()),
    members: file.members.map((member, index) => ({
      existing: index,
      idLast4: member.idLast4,
      name: member.name,
      relation: member.relation,
      health: member.health,
      education: member.education,
      labour: member.labour,
    })),
    living:
      file.living ??
      (Object.fromEntries(livingChecks.map((check) => [check, true])) as Record<
        LivingCheck,
        boolean
      >),
    income: Object.fromEntries(
      incomeSources.map((source) => [source, file.income ? yuanOf(file.income[source]) : '']),
    ) as Record<IncomeSource, string>,
    causes: [...file.causes],
    confirmations: {
      household: { kind: 'signature', pngBase64: null },
      helper: { kind: 'signature', pngBase64: null },
      cadre: { kind: 'signature', pngBase64: null },
    },
  };
}

/** What the server receives, or the first problem in Chinese. */
function visitDataOf(draft: SheetDraft): { data: VisitData } | { problem: string } {
  const income = {} as Record<IncomeSource, number>;
  for (const source of incomeSources) {
    const text = draft.income[source].trim();
    const fen = text === '' ? 0 : fenFromYuanText(text);
    if (fen === undefined) return { problem: `${incomeLabels[source]}请填写金额（元），如 3200` };
    income[source] = fen;
  }
  if (draft.causes.length === 0) return { problem: '请至少选择一项致贫原因' };
  if (draft.causes.length > 4) return { problem: '致贫原因最多选四项' };
  const members: VisitData['sheet']['members'] = [];
  for (const member of draft.members) {
    const fields = {
      name: member.name.trim(),
      relation: member.relation,
      health: member.health,
      education: member.education,
      labour: member.labour,
    };
    if (!fields.name) return { problem: '请填写每位家庭成员的姓名' };
    if (member.existing !== undefined) {
      members.push({ ...fields, existing: member.existing });
    } else {
      const idNumber = (member.idNumber ?? '').trim().toUpperCase();
      if (!/^\d{17}[\dX]$/.test(idNumber)) {
        return { problem: `请填写新增成员${fields.name}的18位身份证号码` };
      }
      members.push({ ...fields, idNumber });
    }
  }
  const confirmations = {} as VisitData['confirmations'];
  for (const party of confirmationParties) {
    const confirmation = draft.confirmations[party];
    if (confirmation.kind === 'signature') {
      if (!confirmation.pngBase64) {
        return { problem: `${confirmationLabels[party]}尚未签名：请签名，或选择“暂未签字”` };
      }
      confirmations[party] = { kind: 'signature', pngBase64: confirmation.pngBase64 };
    } else if (confirmation.kind === 'photo') {
      if (!confirmation.photoId) {
        return { problem: `请拍摄${confirmationLabels[party]}签字的纸质信息表，或选择其他方式` };
      }
      confirmations[party] = { kind: 'photo', photoId: confirmation.photoId };
    } else {
      confirmations[party] = { kind: 'none' };
    }
  }
  return {
    data: {
      householdId: draft.householdId,
      visitedOn: draft.visitedOn,
      baseRevision: draft.baseRevision,
      sheet: { members, living: draft.living, income, causes: draft.causes },
      confirmations,
    },
  };
}

// ---- Sending: one request id per visit, kept until the server answers. ----

type Outcome =
  | { kind: 'sent'; changes: number; completed: boolean }
  | { kind: 'kept' }
  | { kind: 'refused'; error: CallError };

const sending = new Map<string, Promise<Outcome>>();
const listeners = new Set<(householdId: string, outcome: Outcome) => void>();

/** Uploads the signed-sheet photos taken offline (the photo id makes a repeat harmless). */
async function uploadKeptPhotos(data: VisitData, photoDraftId: string): Promise<void> {
  for (const party of confirmationParties) {
    const confirmation = data.confirmations[party];
    if (confirmation.kind !== 'photo') continue;
    const kept = drafts.load<{ dataBase64: string }>(photoKey(confirmation.photoId));
    if (!kept.dataBase64) continue;
    await call('uploadEvidencePhoto', {
      photoId: confirmation.photoId,
      draftId: photoDraftId,
      contentType: 'image/jpeg',
      dataBase64: kept.dataBase64,
    });
    drafts.clear(photoKey(confirmation.photoId));
  }
}

/** Sends the visit kept for a household, once at a time; the kept request id goes with it. */
function sendKept(householdId: string): Promise<Outcome> {
  const running = sending.get(householdId);
  if (running) return running;
  const attempt = (async (): Promise<Outcome> => {
    const request = pending.get<VisitData & { photoDraftId: string }>(pendingKey(householdId));
    if (!request) return { kind: 'kept' };
    const { photoDraftId, ...data } = request.data;
    try {
      await uploadKeptPhotos(data, photoDraftId);
      const result = await call('recordSheetVisit', { ...data, requestId: request.requestId });
      pending.settle(pendingKey(householdId));
      drafts.clear(draftKey(householdId));
      drafts.clear(fileKey(householdId));
      return { kind: 'sent', changes: result.changes, completed: result.completed };
    } catch (error) {
      const failure = error as CallError;
      if (isRetryable(failure.code)) return { kind: 'kept' };
      pending.settle(pendingKey(householdId));
      return { kind: 'refused', error: failure };
    }
  })();
  sending.set(householdId, attempt);
  void attempt.then((outcome) => {
    sending.delete(householdId);
    for (const listener of listeners) listener(householdId, outcome);
  });
  return attempt;
}

/** Every household with a visit kept on this phone. */
function keptHouseholds(): string[] {
  const prefix = `fupin.pending.${pendingKey('')}`;
  const ids: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) ids.push(key.slice(prefix.length));
    }
  } catch {
    // No storage: nothing was kept across reloads.
  }
  return ids;
}

let senderStarted = false;
/** Sends every kept visit when the network returns, and now and then while any is kept. */
export function startKeptVisitSender(): void {
  if (senderStarted) return;
  senderStarted = true;
  const flush = () => {
    for (const householdId of keptHouseholds()) void sendKept(householdId);
  };
  window.addEventListener('online', flush);
  // Weak signal often says "online" while requests fail: try again every half minute.
  window.setInterval(() => navigator.onLine && flush(), 30_000);
  flush();
}

// ---- The page ----

export async function sheetVisitPage(householdId: string): Promise<void> {
  const mount = pageMount();
  startKeptVisitSender();
  const status = h('div', { class: 'card sheet-status', 'data-testid': 'sheet-status' });
  const back = h(
    'a',
    { href: `#/file/${householdId}`, class: 'back-link', 'data-testid': 'sheet-back' },
    '← 返回档案',
  );

  const showKept = (note = '') => {
    status.setAttribute('data-state', 'kept');
    status.replaceChildren(
      h('strong', {}, '核实结果已保存在本机'),
      h(
        'p',
        {},
        note ||
          '网络恢复后会自动发送，只发送一次，不会重复提交。请勿清除浏览器数据；可以先去下一户。',
      ),
    );
  };
  const showSent = (changes: number, completed: boolean) => {
    status.setAttribute('data-state', 'sent');
    status.replaceChildren(
      h('strong', {}, '核实结果已送达'),
      h(
        'p',
        {},
        `${changes > 0 ? `记录更正 ${changes} 处` : '信息无变化'}；${completed ? '三方已确认，入户登记完成。' : '尚有未签字的一方，签字后请再次核实。'}`,
      ),
      h('a', { href: `#/file/${householdId}`, 'data-testid': 'sheet-open-file' }, '查看档案'),
    );
  };
  const listener = (id: string, outcome: Outcome) => {
    if (id !== householdId || !status.isConnected) return;
    if (outcome.kind === 'sent') {
      showSent(outcome.changes, outcome.completed);
      toast('入户核实已送达');
    } else if (outcome.kind === 'refused') {
      void reopen(outcome.error);
    }
  };
  listeners.add(listener);

  /** A refusal: a file changed by another visit is opened afresh and the helper told why. */
  const reopen = async (error: CallError) => {
    drafts.clear(draftKey(householdId));
    drafts.clear(fileKey(householdId));
    const changed = error.details?.reason === 'file_changed';
    await open(
      changed
        ? '该户的信息表已被他人更新，已重新打开最新的信息表：请与农户重新核对并签字后再提交。'
        : `未能保存：${errorText(error)}`,
    );
  };

  const open = async (notice = ''): Promise<void> => {
    // A visit already kept on the phone: show that, and try to send it now.
    if (pending.get(pendingKey(householdId))) {
      showKept();
      mount(back, h('h1', { class: 'page-title' }, '入户核实《贫困户信息表》'), status);
      void sendKept(householdId);
      return;
    }
    let file: HouseholdFile | undefined;
    try {
      file = await call('getHouseholdFile', { householdId });
      drafts.save(fileKey(householdId), file);
    } catch (error) {
      // Offline: the file as it was when the helper opened it here last.
      const kept = drafts.load<HouseholdFile>(fileKey(householdId));
      if (kept.householdId !== householdId) throw error;
      file = kept as HouseholdFile;
      notice ||= '当前无网络：显示的是上次打开时的信息表，可照常核实，提交后联网自动发送。';
    }
    const kept = drafts.load<SheetDraft>(draftKey(householdId));
    let draft: SheetDraft;
    if (kept.householdId === householdId && kept.baseRevision === file.revision) {
      draft = kept as SheetDraft;
    } else {
      if (kept.householdId === householdId) {
        notice ||= '该户档案已更新，草稿作废：已按最新信息表重新打开。';
      }
      draft = draftOf(file);
    }
    status.removeAttribute('data-state');
    status.replaceChildren(...(notice ? [h('p', { class: 'warn' }, notice)] : []));
    status.hidden = notice === '';
    mount(
      back,
      h('h1', { class: 'page-title' }, '入户核实《贫困户信息表》'),
      status,
      sheetForm(file, draft, async (data) => {
        // The visit's request id is made here, once: every later send repeats it.
        pending.prepare(pendingKey(householdId), { ...data, photoDraftId: draft.photoDraftId });
        status.hidden = false;
        status.setAttribute('data-state', 'sending');
        status.replaceChildren(h('strong', {}, '正在发送…'));
        const outcome = await sendKept(householdId);
        if (outcome.kind === 'kept') {
          showKept();
          mount(back, h('h1', { class: 'page-title' }, '入户核实《贫困户信息表》'), status);
        } else if (outcome.kind === 'sent') {
          mount(back, h('h1', { class: 'page-title' }, '入户核实《贫困户信息表》'), status);
        }
      }),
    );
  };
  await open();
}

function sheetForm(
  file: HouseholdFile,
  draft: SheetDraft,
  submit: (data: VisitData) => Promise<void>,
): HTMLElement {
  const save = () => drafts.save(draftKey(file.householdId), draft);
  const problem = h('p', { class: 'warn', 'data-testid': 'sheet-error', hidden: true });

  const select = <T extends string>(
    values: readonly T[],
    labels: Record<T, string>,
    current: T,
    testId: string,
    label: string,
    onChange: (value: T) => void,
  ) => {
    const element = h(
      'select',
      { 'data-testid': testId, 'aria-label': label },
      ...values.map((value) => h('option', { value, selected: value === current }, labels[value])),
    );
    element.addEventListener('change', () => {
      onChange(element.value as T);
      save();
    });
    return h('label', {}, label, element);
  };

  // 一、家庭成员
  const memberList = h('div', { class: 'stack' });
  const renderMembers = () => {
    memberList.replaceChildren(
      ...draft.members.map((member, index) => {
        const name = h('input', {
          type: 'text',
          value: member.name,
          maxlength: 20,
          'aria-label': '姓名',
          'data-testid': 'sheet-member-name',
        });
        name.addEventListener('input', () => {
          member.name = name.value;
          save();
        });
        const id =
          member.existing === undefined
            ? h('input', {
                type: 'text',
                value: member.idNumber ?? '',
                maxlength: 18,
                inputmode: 'text',
                placeholder: '18位身份证号码',
                'aria-label': '身份证号码',
                'data-testid': 'sheet-member-id',
              })
            : null;
        id?.addEventListener('input', () => {
          member.idNumber = id.value;
          member.idLast4 = id.value.trim().slice(-4);
          save();
        });
        return h(
          'fieldset',
          { class: 'sheet-member', 'data-testid': 'sheet-member', 'data-index': index },
          h(
            'legend',
            {},
            member.existing === undefined ? '新增成员' : `成员（身份证尾号 ${member.idLast4}）`,
          ),
          h('label', {}, '姓名', name),
          id ? h('label', {}, '身份证号码', id) : null,
          h(
            'div',
            { class: 'member-selects' },
            select(
              memberRelations,
              relationLabels,
              member.relation,
              'sheet-member-relation',
              '与户主关系',
              (v) => (member.relation = v),
            ),
            select(
              memberHealth,
              healthLabels,
              member.health,
              'sheet-member-health',
              '健康状况',
              (v) => (member.health = v),
            ),
            select(
              memberEducation,
              educationLabels,
              member.education,
              'sheet-member-education',
              '文化程度',
              (v) => (member.education = v),
            ),
            select(
              memberLabour,
              labourLabels,
              member.labour,
              'sheet-member-labour',
              '劳动能力',
              (v) => (member.labour = v),
            ),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-testid': 'sheet-member-remove',
              onclick: () => {
                if (!confirm(`确认${member.name || '该成员'}已不在本户（迁出、死亡等）？`)) return;
                draft.members.splice(index, 1);
                save();
                renderMembers();
              },
            },
            '移出本户',
          ),
        );
      }),
    );
  };
  renderMembers();
  const addMember = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-testid': 'sheet-member-add',
      onclick: () => {
        draft.members.push({
          idLast4: '',
          idNumber: '',
          name: '',
          relation: 'child',
          health: 'healthy',
          education: 'none',
          labour: 'none',
        });
        save();
        renderMembers();
      },
    },
    '新增家庭成员',
  );

  // 二、两不愁三保障及生活条件
  const living = livingChecks.map((check) => {
    const box = h('input', {
      type: 'checkbox',
      checked: draft.living[check],
      'data-testid': `sheet-living-${check}`,
    });
    box.addEventListener('change', () => {
      draft.living[check] = box.checked;
      save();
    });
    return h('label', { class: 'check' }, box, livingLabels[check]);
  });

  // 三、收入
  const income = incomeSources.map((source) => {
    const input = h('input', {
      type: 'text',
      inputmode: 'decimal',
      value: draft.income[source],
      placeholder: '0',
      'aria-label': `${incomeLabels[source]}（元）`,
      'data-testid': `sheet-income-${source}`,
    });
    input.addEventListener('input', () => {
      draft.income[source] = input.value;
      save();
    });
    return h('label', { class: 'income-line' }, `${incomeLabels[source]}（元/年）`, input);
  });

  // 四、致贫原因
  const causes = povertyCauses.map((cause) => {
    const box = h('input', {
      type: 'checkbox',
      checked: draft.causes.includes(cause),
      'data-testid': 'sheet-cause',
      'data-cause': cause,
    });
    box.addEventListener('change', () => {
      draft.causes = box.checked
        ? [...draft.causes.filter((c) => c !== cause), cause]
        : draft.causes.filter((c) => c !== cause);
      save();
    });
    return h('label', { class: 'check' }, box, cause);
  });

  // 五、三方确认
  const confirmations = confirmationParties.map((party) => {
    const current = draft.confirmations[party];
    const body = h('div', { class: 'stack' });
    const kinds = [
      ['signature', '手机签名'],
      ['photo', '拍纸质签字表'],
      ['none', '暂未签字'],
    ] as const;
    const choice = h(
      'select',
      {
        'data-testid': `sheet-confirm-${party}`,
        'aria-label': `${confirmationLabels[party]}确认方式`,
      },
      ...kinds.map(([value, label]) =>
        h('option', { value, selected: value === current.kind }, label),
      ),
    );
    const showBody = () => {
      const confirmation = draft.confirmations[party];
      if (confirmation.kind === 'signature') {
        const pad = signaturePad(`signature-${party}`, confirmation.pngBase64, (png) => {
          confirmation.pngBase64 = png;
          save();
        });
        body.replaceChildren(pad.element);
      } else if (confirmation.kind === 'photo') {
        body.replaceChildren(photoField(draft, party, save));
      } else {
        body.replaceChildren(
          h('p', { class: 'muted small-left' }, '记为未签字：入户登记待补签后完成。'),
        );
      }
    };
    choice.addEventListener('change', () => {
      const kind = choice.value as DraftConfirmation['kind'];
      draft.confirmations[party] =
        kind === 'signature'
          ? { kind, pngBase64: null }
          : kind === 'photo'
            ? { kind, photoId: null }
            : { kind };
      save();
      showBody();
    });
    showBody();
    return h(
      'fieldset',
      { class: 'sheet-confirm', 'data-testid': 'sheet-confirmation', 'data-party': party },
      h('legend', {}, `${confirmationLabels[party]}确认`),
      choice,
      body,
    );
  });

  const visitedOn = h('input', {
    type: 'date',
    value: draft.visitedOn,
    max: chinaDate(Date.now()),
    'aria-label': '入户日期',
    'data-testid': 'sheet-date',
  });
  visitedOn.addEventListener('change', () => {
    draft.visitedOn = visitedOn.value;
    save();
  });

  const send = h('button', { type: 'submit', 'data-testid': 'sheet-submit' }, '提交核实结果');
  const section = (title: string, ...children: Array<Node | Node[] | null>) =>
    h('section', { class: 'card stack' }, h('h2', {}, title), ...children);
  return h(
    'form',
    {
      class: 'sheet',
      'data-testid': 'sheet-form',
      'data-revision': file.revision,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const built = visitDataOf(draft);
        if ('problem' in built) {
          problem.textContent = built.problem;
          problem.hidden = false;
          toast(built.problem);
          return;
        }
        problem.hidden = true;
        send.disabled = true;
        await submit(built.data);
        send.disabled = false;
      },
    },
    section(
      '户主',
      h(
        'p',
        {},
        h('strong', { 'data-testid': 'sheet-head' }, file.headName),
        `（身份证尾号 ${file.idLast4}）`,
      ),
      h('p', { class: 'muted' }, file.address),
      h('label', {}, '入户日期', visitedOn),
      file.sheetCollected
        ? null
        : h(
            'p',
            { class: 'muted small-left' },
            '该户尚未入户核实过：生活条件、收入请逐项询问填写。',
          ),
    ),
    section('一、家庭成员（户主以外）', memberList, addMember),
    section('二、两不愁三保障及生活条件（符合的打勾）', living),
    section('三、家庭年收入', income),
    section('四、致贫原因（最多四项）', h('div', { class: 'cause-list' }, causes)),
    section('五、三方确认', confirmations),
    h('section', { class: 'card stack' }, problem, send),
  );
}

/** A photo of the signed paper sheet, through the evidence pipeline (downscaled on the phone). */
function photoField(draft: SheetDraft, party: ConfirmationParty, save: () => void): HTMLElement {
  const confirmation = draft.confirmations[party] as { kind: 'photo'; photoId: string | null };
  const note = h(
    'p',
    { class: 'muted small-left', 'data-testid': `sheet-photo-note-${party}` },
    confirmation.photoId ? '已拍照' : '',
  );
  const input = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    capture: 'environment',
    'data-testid': `sheet-photo-${party}`,
  });
  input.addEventListener('change', async () => {
    const picked = input.files?.[0];
    if (!picked) return;
    try {
      const small = await downscalePhoto(picked);
      const photoId = crypto.randomUUID();
      const dataBase64 = await base64Of(small);
      confirmation.photoId = photoId;
      try {
        await call('uploadEvidencePhoto', {
          photoId,
          draftId: draft.photoDraftId,
          contentType: 'image/jpeg',
          dataBase64,
        });
        note.textContent = `已上传（${Math.round(small.size / 1024)} KB）`;
      } catch (error) {
        if (!isRetryable((error as CallError).code)) throw error;
        // No network: the photo waits on the phone and goes up before the visit is sent.
        drafts.save(photoKey(photoId), { dataBase64 });
        note.textContent = '已拍照，联网后随核实结果上传';
      }
      save();
    } catch (error) {
      confirmation.photoId = null;
      note.textContent = errorText(error as CallError);
      toast(note.textContent);
    }
  });
  return h('div', { class: 'stack' }, input, note);
}
