/**
 * One identification round (`#/round/{roundId}`), for every office that sees it: its stage, its
 * applications with their survey and appraisal, its notices and objections, and the record of
 * every step. Each form or button is offered only when the round's stage lets the signed-in role
 * make that move (the domain's table; the server checks the same table again).
 */
import { call } from '../../firebase';
import { base64Of, download, downscalePhoto, h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { chinaDate, yuan } from '../../format';
import { showError, type Session } from '../../app';
import { tabs } from '../village/shared';
import {
  applicationKindLabels,
  applicationStatusLabels,
  appraisalBodies,
  appraisalBodyLabels,
  housingLabels,
  noticeStageLabels,
  openApplicationStatuses,
  presentLimits,
  roundStageLabels,
  stepLabels,
  surveyAspectLabels,
  surveyAspects,
  type AppraisalBody,
} from '../../../../functions/src/domain/identification';
import type {
  ApplicationRow,
  NoticeRow,
  ObjectionRow,
  RoundDetail,
} from '../../../../functions/src/contract/identification';
import { canMove, decisionText, FieldErrors, roundKindLabels } from './labels';
import { send } from './send';

const villageRoles = ['village_admin', 'helper'];

/** A date field for today or earlier (China time). */
function pastDate(label: string, testid: string): HTMLInputElement {
  const today = chinaDate(Date.now());
  return h('input', {
    type: 'date',
    value: today,
    max: today,
    'aria-label': label,
    'data-testid': testid,
  });
}

function reasonsBox(placeholder: string, testid: string): HTMLTextAreaElement {
  return h('textarea', {
    rows: '2',
    placeholder,
    'aria-label': placeholder,
    'data-testid': testid,
  });
}

/** Downloads an export, the button busy meanwhile. */
async function exportFile(
  button: HTMLButtonElement,
  fetchFile: () => Promise<{ filename: string; contentType: string; dataBase64: string }>,
): Promise<void> {
  button.disabled = true;
  try {
    const file = await fetchFile();
    download(file.filename, file.contentType, file.dataBase64);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

/** 入户调查: the 五比五看 findings, the working group's conclusion, the visit's date. */
function surveyForm(application: ApplicationRow, reload: () => void): HTMLElement {
  const errors = new FieldErrors();
  const visitedOn = pastDate('入户调查日期', 'survey-date');
  const aspects = surveyAspects.map((aspect) => {
    const agrees = h('input', {
      type: 'checkbox',
      checked: true,
      'data-testid': `survey-agrees-${aspect}`,
    });
    const note = h('input', {
      type: 'text',
      placeholder: '核实情况（必填）',
      'aria-label': `${surveyAspectLabels[aspect]}：核实情况`,
      'data-testid': `survey-note-${aspect}`,
    });
    return {
      aspect,
      agrees,
      note,
      element: h(
        'div',
        { class: 'stack survey-aspect' },
        h('label', { class: 'check' }, agrees, `${surveyAspectLabels[aspect]}：与申请相符`),
        ...errors.field(`findings.${aspect}`, note),
      ),
    };
  });
  const eligible = h(
    'select',
    { 'aria-label': '调查结论', 'data-testid': 'survey-eligible' },
    h('option', { value: 'yes' }, '符合条件，提交评议'),
    h('option', { value: 'no' }, '不符合条件（由评议决定）'),
  );
  // Photos go through the evidence pipeline as the need capture's do; the application they
  // belong to is recorded with the survey.
  const draftId = crypto.randomUUID();
  const photoIds: string[] = [];
  const thumbs = h('div', { class: 'thumbs' });
  const showPhotos = async () => {
    if (photoIds.length === 0) return void thumbs.replaceChildren();
    try {
      const { photos } = await call('getEvidencePhotoUrls', { photoIds });
      thumbs.replaceChildren(
        ...photos.map((photo) =>
          photo.status === 'processed'
            ? h('img', { src: photo.thumbUrl, alt: '入户调查照片', 'data-testid': 'survey-thumb' })
            : h(
                'span',
                { class: 'badge' },
                photo.status === 'quarantined' ? `未通过：${photo.reason}` : '处理中…',
              ),
        ),
      );
      if (photos.some((photo) => photo.status === 'uploaded')) {
        setTimeout(() => void showPhotos(), 1000);
      }
    } catch (error) {
      showError(error);
    }
  };
  const photoInput = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    capture: 'environment',
    'aria-label': '入户调查照片',
    'data-testid': 'survey-photo',
  });
  photoInput.addEventListener('change', async () => {
    const file = photoInput.files?.[0];
    if (!file) return;
    if (photoIds.length >= 6) return void toast('最多6张照片');
    try {
      const small = await downscalePhoto(file);
      const photoId = crypto.randomUUID();
      // The photo id is the upload's request id: a retry never makes a second photo.
      await call('uploadEvidencePhoto', {
        photoId,
        draftId,
        contentType: 'image/jpeg',
        dataBase64: await base64Of(small),
      });
      photoIds.push(photoId);
      photoInput.value = '';
      void showPhotos();
    } catch (error) {
      showError(error);
    }
  });
  const retryHost = h('div');
  const submit = h('button', { type: 'submit', 'data-testid': 'survey-submit' }, '保存入户调查');
  return h(
    'form',
    {
      class: 'stack',
      'data-testid': 'survey-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        await send(
          `recordSurvey.${application.id}`,
          'recordSurvey',
          {
            applicationId: application.id,
            visitedOn: visitedOn.value,
            findings: Object.fromEntries(
              aspects.map((item) => [
                item.aspect,
                { agrees: item.agrees.checked, note: item.note.value.trim() },
              ]),
            ) as Record<(typeof surveyAspects)[number], { agrees: boolean; note: string }>,
            eligible: eligible.value === 'yes',
            photoIds: [...photoIds],
          },
          retryHost,
          errors,
          () => {
            toast('入户调查已保存');
            reload();
          },
        );
        submit.disabled = false;
      },
    },
    h('strong', {}, '入户调查（五比五看）'),
    ...errors.field('visitedOn', h('label', { class: 'stack' }, '调查日期', visitedOn)),
    aspects.map((item) => item.element),
    ...errors.field('eligible', h('label', { class: 'stack' }, '工作组结论', eligible)),
    ...errors.field(
      'photoIds',
      h('label', { class: 'stack' }, '现场照片（拍照或选择，自动压缩，最多6张）', photoInput),
    ),
    thumbs,
    errors.formLine,
    submit,
    retryHost,
  );
}

/** 移出名单: the village withdraws an application, with its reasons (collecting or returned). */
function withdrawForm(application: ApplicationRow, reload: () => void): HTMLElement {
  const errors = new FieldErrors();
  const reasons = reasonsBox('移出理由（必填）', 'withdraw-reasons');
  const retryHost = h('div');
  const submit = h(
    'button',
    { type: 'submit', class: 'danger', 'data-testid': 'withdraw-submit' },
    '移出名单',
  );
  return h(
    'form',
    {
      class: 'stack',
      'data-testid': 'withdraw-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        await send(
          `withdrawApplication.${application.id}`,
          'withdrawApplication',
          { applicationId: application.id, reasons: reasons.value.trim() },
          retryHost,
          errors,
          () => {
            toast(`${application.headName}户已移出名单`);
            reload();
          },
        );
        submit.disabled = false;
      },
    },
    ...errors.field('reasons', reasons),
    errors.formLine,
    submit,
    retryHost,
  );
}

function applicationItem(
  session: Session,
  detail: RoundDetail,
  application: ApplicationRow,
  reload: () => void,
): HTMLElement {
  const { round } = detail;
  const village = session.role === 'village_admin';
  const mayWithdraw =
    village &&
    canMove('withdraw', round.stage, session.role, round.kind) &&
    openApplicationStatuses.includes(application.status);
  // A survey is recorded while the list is being made (or remade after a return).
  const maySurvey =
    villageRoles.includes(session.role) &&
    application.status === 'filed' &&
    (round.stage === 'collecting' || round.stage === 'returned');
  const xlsx = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'export-file-xlsx' },
    '档案（Excel）',
  );
  const pdf = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'export-file-pdf' },
    '档案（PDF）',
  );
  xlsx.addEventListener(
    'click',
    () =>
      void exportFile(xlsx, () =>
        call('exportIdentificationFile', { applicationId: application.id, format: 'xlsx' }),
      ),
  );
  pdf.addEventListener(
    'click',
    () =>
      void exportFile(pdf, () =>
        call('exportIdentificationFile', { applicationId: application.id, format: 'pdf' }),
      ),
  );
  const facts = [
    `${application.members}口人`,
    application.claimedCause ? `致贫原因：${application.claimedCause}` : '',
    application.housing ? housingLabels[application.housing] : '',
    application.annualIncomeFen === null ? '' : `上年纯收入 ${yuan(application.annualIncomeFen)}`,
    `申请日期 ${application.appliedOn}`,
  ].filter(Boolean);
  return h(
    'li',
    {
      class: 'application',
      'data-testid': 'application-row',
      'data-id': application.id,
      'data-status': application.status,
    },
    h(
      'div',
      {},
      h('strong', { 'data-testid': 'application-name' }, application.headName),
      `（尾号${application.idLast4}）`,
      h('span', { class: 'badge' }, applicationKindLabels[application.kind]),
      h(
        'span',
        { class: 'badge', 'data-testid': 'application-status' },
        applicationStatusLabels[application.status],
      ),
      h('p', { class: 'muted' }, facts.join('；')),
      h('p', { class: 'small-left' }, application.situation),
      application.survey
        ? h(
            'p',
            { class: 'small-left' },
            `入户调查 ${application.survey.visitedOn}：${application.survey.eligible ? '符合条件' : '不符合条件'}；`,
            surveyAspects
              .filter((aspect) => !application.survey?.findings[aspect]?.agrees)
              .map((aspect) => `${surveyAspectLabels[aspect]}不符`)
              .join('、') || '五项均与申请相符',
          )
        : null,
      application.appraisal
        ? h(
            'p',
            { class: 'small-left' },
            `民主评议：赞成 ${application.appraisal.votesFor}，反对 ${application.appraisal.votesAgainst}，排序第 ${application.appraisal.rank}`,
          )
        : null,
      application.statusReason ? h('p', { class: 'warn' }, application.statusReason) : null,
    ),
    maySurvey
      ? h(
          'details',
          { 'data-testid': 'survey-details' },
          h('summary', {}, '录入入户调查'),
          surveyForm(application, reload),
        )
      : null,
    mayWithdraw
      ? h(
          'details',
          {},
          h('summary', { 'data-testid': 'withdraw-open' }, '移出名单…'),
          withdrawForm(application, reload),
        )
      : null,
    h('div', { class: 'actions' }, xlsx, pdf),
  );
}

/** 民主评议: the meeting, who was there, and each surveyed household's votes and rank. */
function appraisalForm(detail: RoundDetail, reload: () => void): HTMLElement {
  const errors = new FieldErrors();
  const heldOn = pastDate('评议日期', 'appraisal-date');
  const body = h(
    'select',
    { 'aria-label': '评议组织', 'data-testid': 'appraisal-body' },
    appraisalBodies.map((value) => h('option', { value }, appraisalBodyLabels[value])),
  );
  const limits = h('p', { class: 'muted' });
  const showLimits = () => {
    const limit = presentLimits[body.value as AppraisalBody];
    limits.textContent = `参会人数 ${limit.min}–${limit.max} 人；赞成票过半数为通过，通过的按排序在规模内列入名单。`;
  };
  body.addEventListener('change', showLimits);
  showLimits();
  const present = h('textarea', {
    rows: '3',
    placeholder: '参会人员姓名，用顿号、逗号或换行分开',
    'aria-label': '参会人员',
    'data-testid': 'appraisal-present',
  });
  const candidates = detail.applications.filter((application) => application.status === 'surveyed');
  const rows = candidates.map((application, index) => {
    const number = (testid: string, label: string, value = '') =>
      h('input', {
        type: 'number',
        min: '0',
        inputmode: 'numeric',
        value,
        'aria-label': `${application.headName}：${label}`,
        'data-testid': testid,
      });
    const votesFor = number('appraisal-for', '赞成票');
    const votesAgainst = number('appraisal-against', '反对票');
    const rank = number('appraisal-rank', '排序', String(index + 1));
    return {
      application,
      votesFor,
      votesAgainst,
      rank,
      element: errors.field(
        `results.${index}`,
        h(
          'div',
          { class: 'appraisal-row', 'data-testid': 'appraisal-row', 'data-id': application.id },
          h('strong', {}, application.headName),
          h('label', {}, '赞成', votesFor),
          h('label', {}, '反对', votesAgainst),
          h('label', {}, '排序', rank),
        ),
      ),
    };
  });
  const retryHost = h('div');
  const submit = h('button', { type: 'submit', 'data-testid': 'appraisal-submit' }, '保存评议结果');
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'appraisal-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        await send(
          `recordAppraisal.${detail.round.id}`,
          'recordAppraisal',
          {
            roundId: detail.round.id,
            heldOn: heldOn.value,
            body: body.value as AppraisalBody,
            present: present.value
              .split(/[、，,;；\s]+/)
              .map((name) => name.trim())
              .filter(Boolean),
            results: rows.map((row) => ({
              applicationId: row.application.id,
              votesFor: Number(row.votesFor.value || NaN),
              votesAgainst: Number(row.votesAgainst.value || 0),
              rank: Number(row.rank.value || NaN),
            })),
          },
          retryHost,
          errors,
          (answer) => {
            toast(
              `评议结果已保存：列入名单 ${answer.listed} 户，未通过 ${answer.notPassed} 户，超出规模 ${answer.overQuota} 户`,
            );
            reload();
          },
        );
        submit.disabled = false;
      },
    },
    h('h2', {}, '民主评议'),
    candidates.length
      ? null
      : h('p', { class: 'warn' }, '还没有完成入户调查的申请：先在下面的申请中录入入户调查。'),
    ...errors.field('heldOn', h('label', { class: 'stack' }, '评议日期', heldOn)),
    ...errors.field('body', h('label', { class: 'stack' }, '评议组织', body)),
    limits,
    ...errors.field('present', present),
    ...errors.field(
      'results',
      h(
        'div',
        { class: 'stack' },
        rows.flatMap((row) => row.element),
      ),
    ),
    errors.formLine,
    submit,
    retryHost,
  );
}

/** 张榜公示: the notice goes up for 7 days with the township office's phone for objections. */
function postNoticeForm(detail: RoundDetail, reload: () => void): HTMLElement {
  const errors = new FieldErrors();
  const phone = h('input', {
    type: 'tel',
    placeholder: '乡镇扶贫办电话（如 0857-1234567）',
    'aria-label': '乡镇联系电话',
    'data-testid': 'notice-phone',
  });
  const retryHost = h('div');
  const second = detail.round.stage === 'township_approved';
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'notice-submit' },
    second ? '张贴第二次公示' : '张贴第一次公示',
  );
  return h(
    'form',
    {
      class: 'card stack',
      'data-testid': 'notice-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        await send(
          `postNotice.${detail.round.id}.${detail.round.stage}`,
          'postNotice',
          { roundId: detail.round.id, contactPhone: phone.value.trim() },
          retryHost,
          errors,
          (answer) => {
            toast(`公示已张贴，公示期至 ${chinaDate(answer.closesAt)}`);
            reload();
          },
        );
        submit.disabled = false;
      },
    },
    h('h2', {}, second ? '第二次公示' : '第一次公示'),
    h('p', { class: 'muted' }, '公示7天。公示页面可在网上查看和提出异议，打印版张贴在村务公开栏。'),
    ...errors.field('contactPhone', phone),
    errors.formLine,
    submit,
    retryHost,
  );
}

function noticeItem(notice: NoticeRow): HTMLElement {
  const pdf = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'notice-pdf' },
    '下载打印版（PDF）',
  );
  pdf.addEventListener(
    'click',
    () => void exportFile(pdf, () => call('exportNoticePdf', { noticeId: notice.id })),
  );
  return h(
    'li',
    { 'data-testid': 'notice-row', 'data-id': notice.id, 'data-stage': notice.stage },
    h(
      'div',
      {},
      h('strong', {}, noticeStageLabels[notice.stage]),
      h(
        'p',
        { class: 'muted' },
        notice.closesAt
          ? `公示期 ${chinaDate(notice.opensAt)} 至 ${chinaDate(notice.closesAt)}，${notice.entries} 户`
          : `${chinaDate(notice.opensAt)} 公告，${notice.entries} 户`,
      ),
      h(
        'a',
        { href: `/notice/${notice.id}`, target: '_blank', 'data-testid': 'notice-link' },
        '公示页面',
      ),
    ),
    pdf,
  );
}

/** An objection; one still open is answered here by whoever answers its notice's objections. */
function objectionItem(session: Session, objection: ObjectionRow, reload: () => void): HTMLElement {
  const mayAnswer = objection.status === 'open' && objection.answeredBy === session.role;
  let form: HTMLElement | null = null;
  if (mayAnswer) {
    const errors = new FieldErrors();
    const reasons = reasonsBox('核实情况和答复理由（必填）', 'objection-reasons');
    const retryHost = h('div');
    const answer = (decision: 'upheld' | 'dismissed') => async () => {
      await send(
        `answerObjection.${objection.id}`,
        'answerObjection',
        { objectionId: objection.id, decision, reasons: reasons.value.trim() },
        retryHost,
        errors,
        () => {
          toast(decision === 'upheld' ? '异议成立，该户移出名单' : '异议不成立，已答复');
          reload();
        },
      );
    };
    form = h(
      'div',
      { class: 'stack', 'data-testid': 'objection-answer' },
      ...errors.field('reasons', reasons),
      errors.formLine,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'data-testid': 'objection-uphold',
            onclick: answer('upheld'),
          },
          '异议成立（移出名单）',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': 'objection-dismiss',
            onclick: answer('dismissed'),
          },
          '异议不成立',
        ),
      ),
      retryHost,
    );
  }
  const statusText = { open: '待答复', upheld: '异议成立', dismissed: '异议不成立' }[
    objection.status
  ];
  return h(
    'li',
    { 'data-testid': 'objection-row', 'data-id': objection.id, 'data-status': objection.status },
    h(
      'div',
      {},
      h('strong', {}, `关于 ${objection.headName} 户`),
      h('span', { class: 'badge' }, `${noticeStageLabels[objection.stage]} · ${statusText}`),
      h('p', {}, objection.text),
      h('p', { class: 'muted' }, `${chinaDate(objection.filedAt)} 收到`),
      objection.reasons ? h('p', { class: 'small-left' }, `答复：${objection.reasons}`) : null,
      objection.status === 'open' && !mayAnswer
        ? h(
            'p',
            { class: 'muted' },
            objection.answeredBy === 'village_admin' ? '由村里答复' : '由乡镇答复',
          )
        : null,
    ),
    form,
  );
}

/** 上报 and the reviews: the buttons the stage allows this role. */
function decisionCard(
  session: Session,
  detail: RoundDetail,
  reload: () => void,
): HTMLElement | null {
  const { round } = detail;
  const role = session.role;
  const maySubmit = canMove('submit', round.stage, role, round.kind);
  const mayReview =
    canMove('approve', round.stage, role, round.kind) ||
    canMove('return', round.stage, role, round.kind);
  if (!maySubmit && !mayReview) return null;
  const errors = new FieldErrors();
  const retryHost = h('div');
  const parts: Array<HTMLElement | null> = [];
  if (maySubmit) {
    // The window that must be over first: the notice the round stands in (none after a return).
    const noticeStage =
      round.stage === 'first_notice' ? 'first' : round.stage === 'second_notice' ? 'second' : null;
    const current = noticeStage
      ? detail.notices.filter((notice) => notice.stage === noticeStage).at(-1)
      : undefined;
    const closesAt = current?.closesAt ? Date.parse(current.closesAt) : 0;
    const stillOpen = closesAt > Date.now();
    const open = detail.objections.filter((objection) => objection.status === 'open').length;
    const button = h(
      'button',
      { type: 'button', 'data-testid': 'submit-list', disabled: stillOpen || open > 0 },
      role === 'township_admin' ? '上报县级审批' : '上报乡镇审核',
    );
    button.addEventListener('click', async () => {
      button.disabled = true;
      await send(
        `submitList.${round.id}.${round.stage}`,
        'submitList',
        { roundId: round.id },
        retryHost,
        errors,
        (answer) => {
          toast(`已上报：${roundStageLabels[answer.stage]}`);
          reload();
        },
      );
      button.disabled = false;
    });
    parts.push(
      h(
        'p',
        { class: 'muted', 'data-testid': 'submit-hint' },
        stillOpen
          ? `公示期至 ${chinaDate(closesAt)}，期满后才能上报。`
          : open > 0
            ? `还有 ${open} 件异议未答复，答复后才能上报。`
            : round.stage === 'returned'
              ? '按退回意见修改后重新上报。'
              : '公示期已满，可以上报。',
      ),
      button,
    );
  }
  if (mayReview) {
    const reasons = reasonsBox('审核意见（退回时必填）', 'review-reasons');
    const decide = (decision: 'approve' | 'return') => async () => {
      const text = reasons.value.trim();
      const data =
        decision === 'approve'
          ? { roundId: round.id, decision, ...(text ? { reasons: text } : {}) }
          : { roundId: round.id, decision, reasons: text };
      await send(
        `reviewList.${round.id}.${round.stage}`,
        'reviewList',
        data,
        retryHost,
        errors,
        (answer) => {
          toast(
            `${decision === 'approve' ? '已审核通过' : '已退回村里'}：${roundStageLabels[answer.stage]}`,
          );
          reload();
        },
      );
    };
    parts.push(
      ...errors.field('reasons', reasons),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', 'data-testid': 'review-approve', onclick: decide('approve') },
          role === 'county_admin' ? '审批通过并公告' : '审核通过',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'data-testid': 'review-return',
            onclick: decide('return'),
          },
          '退回修改',
        ),
      ),
    );
  }
  return h(
    'section',
    { class: 'card stack', 'data-testid': 'decision-card' },
    h('h2', {}, mayReview ? (role === 'county_admin' ? '县级审批' : '乡镇审核') : '上报'),
    ...parts,
    errors.formLine,
    retryHost,
  );
}

function roundView(
  session: Session,
  detail: RoundDetail,
  reload: () => void,
): Array<HTMLElement | null> {
  const { round } = detail;
  const role = session.role;
  const village = role === 'village_admin';
  const steps = h(
    'ol',
    { class: 'steps', 'data-testid': 'step-list' },
    [...detail.steps].reverse().map((step) => {
      const about = step.applicationId
        ? detail.applications.find((application) => application.id === step.applicationId)?.headName
        : undefined;
      return h(
        'li',
        { 'data-testid': 'step-row', 'data-kind': step.kind },
        `${chinaDate(step.at)} ${stepLabels[step.kind]}`,
        about ? `（${about}户）` : '',
        ` · ${step.byName}`,
        step.decision ? ` · ${decisionText(step.decision)}` : '',
        step.reasons ? h('p', { class: 'muted' }, step.reasons) : null,
      );
    }),
  );
  return [
    h(
      'section',
      {
        class: 'card',
        'data-testid': 'round-view',
        'data-id': round.id,
        'data-stage': round.stage,
      },
      h('h1', {}, `${round.villageName} ${round.year}年${roundKindLabels[round.kind]}`),
      h(
        'p',
        {},
        h('span', { class: 'badge', 'data-testid': 'round-stage' }, roundStageLabels[round.stage]),
      ),
      h(
        'p',
        { class: 'muted' },
        `申请 ${round.applications} 户，名单上 ${round.listed} 户；`,
        round.quota === null ? '规模未下达' : `本村规模 ${round.quota} 户`,
        round.openObjections ? `；待答复异议 ${round.openObjections} 件` : '',
      ),
      detail.returnReasons
        ? h(
            'p',
            { class: 'warn', 'data-testid': 'return-reasons' },
            `退回意见：${detail.returnReasons}`,
          )
        : null,
    ),
    village && canMove('appraise', round.stage, role, round.kind)
      ? appraisalForm(detail, reload)
      : null,
    village && canMove('post_notice', round.stage, role, round.kind)
      ? postNoticeForm(detail, reload)
      : null,
    decisionCard(session, detail, reload),
    detail.objections.length
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, '异议'),
          h(
            'ul',
            { class: 'rows' },
            detail.objections.map((objection) => objectionItem(session, objection, reload)),
          ),
        )
      : null,
    detail.notices.length
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, '公示'),
          h('ul', { class: 'rows' }, detail.notices.map(noticeItem)),
        )
      : null,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '申请'),
      detail.applications.length
        ? h(
            'ul',
            { class: 'rows applications' },
            detail.applications.map((application) =>
              applicationItem(session, detail, application, reload),
            ),
          )
        : h('p', { class: 'muted' }, '还没有申请。'),
    ),
    h('section', { class: 'card' }, h('h2', {}, '办理记录'), steps),
  ];
}

export async function roundPage(session: Session, roundId: string): Promise<void> {
  const mount = pageMount();
  mount(h('p', { class: 'muted' }, '加载中…'));
  const detail = await call('getIdentificationRound', { roundId });
  const reload = () => {
    // The page is drawn again from the server's answer: what each role may do next has moved.
    void roundPage(session, roundId).catch((error: unknown) => showError(error));
  };
  const back = villageRoles.includes(session.role)
    ? tabs('identification')
    : h('a', { href: '#/', class: 'back-link', 'data-testid': 'back-dashboard' }, '← 返回看板');
  mount(
    back,
    ...roundView(session, detail, reload).filter((node): node is HTMLElement => node !== null),
  );
}
