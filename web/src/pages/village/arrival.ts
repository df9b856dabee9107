/**
 * 登记到账: the village administrator records a donor's bank transfer from the household's
 * passbook or bank SMS — the date, the amount as it shows (never rounded to the pledge), the last
 * four digits of the bank's reference, a photo of the passbook through the evidence pipeline, and
 * the household's confirmation. Only then is the gift 已到账 and a certificate issued; an amount
 * that differs is recorded as an exception and the pledge stays 待到账.
 */
import { call } from '../../firebase';
import { base64Of, downscalePhoto, h, toast } from '../../dom';
import { fenFromYuanText, yuan } from '../../format';
import { pollUntil } from '../../poll';
import { showError } from '../../app';
import type { NeedDonation } from '../../../../functions/src/contract/needs';
import { dateUpToToday, submitSafely } from './shared';

/** The passbook photo: uploaded as soon as it is picked, and ready once the pipeline processed it. */
interface ArrivalPhoto {
  photoId: string;
  ready: boolean;
}

/** The button and, once tapped, the form; `reload` draws 捐助情况 again after a recording. */
export function recordArrivalBlock(
  donation: NeedDonation,
  reload: () => Promise<void>,
): HTMLElement {
  const host = h('div', { class: 'stack' });
  const open = h('button', { type: 'button', 'data-testid': 'record-arrival' }, '登记转账到账');
  open.addEventListener('click', () => {
    open.remove();
    host.append(arrivalForm(donation, reload));
  });
  host.append(open);
  return host;
}

function arrivalForm(donation: NeedDonation, reload: () => Promise<void>): HTMLElement {
  const pledged = donation.amountFen ?? 0;
  const arrivedOn = dateUpToToday('到账日期');
  arrivedOn.dataset.testid = 'arrival-date';
  const amount = h('input', {
    type: 'text',
    inputmode: 'decimal',
    placeholder: `到账金额（元），按存折或短信填写`,
    'aria-label': '到账金额（元）',
    'data-testid': 'arrival-amount',
  });
  const reference = h('input', {
    type: 'text',
    inputmode: 'numeric',
    maxlength: '4',
    placeholder: '银行流水号后4位',
    'aria-label': '银行流水号后4位',
    autocomplete: 'off',
    'data-testid': 'arrival-reference',
  });
  const photoInput = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    capture: 'environment',
    'aria-label': '存折或银行短信照片',
    'data-testid': 'arrival-photo',
  });
  const photoState = h('div', { class: 'thumbs', 'data-testid': 'arrival-photo-state' });
  const confirmed = h('input', { type: 'checkbox', 'data-testid': 'arrival-confirmed' });
  const submit = h('button', { type: 'submit', 'data-testid': 'arrival-submit' }, '登记到账');
  const outcome = h('p', {
    class: 'result',
    'data-testid': 'arrival-result',
    'aria-live': 'polite',
  });
  const retryHost = h('div');
  // One draft per form: the photo belongs to this recording only.
  const draftId = crypto.randomUUID();
  let photo: ArrivalPhoto | undefined;

  /** The pipeline checks and shrinks the photo a moment after upload: look until it has. */
  const awaitProcessed = async (photoId: string) => {
    const { value } = await pollUntil(
      () => call('getEvidencePhotoUrls', { photoIds: [photoId] }),
      ({ photos }) => photos.some((shown) => shown.status !== 'uploaded'),
      { attempts: 20, delayMs: 1000 },
    );
    const shown = value.photos[0];
    if (photo?.photoId !== photoId) return;
    if (shown?.status === 'processed') {
      photo.ready = true;
      photoState.replaceChildren(
        h('img', { src: shown.thumbUrl, alt: '存折照片', 'data-testid': 'arrival-photo-thumb' }),
      );
    } else if (shown?.status === 'quarantined') {
      photo = undefined;
      photoState.replaceChildren(
        h('span', { class: 'warn' }, `照片未通过检查（${shown.reason}），请重新拍摄`),
      );
    } else {
      photoState.replaceChildren(h('span', { class: 'badge' }, '照片处理中，请稍候再登记'));
    }
  };

  photoInput.addEventListener('change', async () => {
    const file = photoInput.files?.[0];
    if (!file) return;
    photo = undefined;
    photoState.replaceChildren(h('span', { class: 'badge' }, '照片上传中…'));
    try {
      const small = await downscalePhoto(file);
      const photoId = crypto.randomUUID();
      // The photo id is the request id: a retry of the same upload never makes a second photo.
      await call('uploadEvidencePhoto', {
        photoId,
        draftId,
        contentType: 'image/jpeg',
        dataBase64: await base64Of(small),
      });
      photo = { photoId, ready: false };
      photoState.replaceChildren(h('span', { class: 'badge' }, '照片处理中…'));
      await awaitProcessed(photoId);
    } catch (error) {
      photoState.replaceChildren();
      showError(error);
    }
  });

  const send = async (event: Event) => {
    event.preventDefault();
    const amountFen = fenFromYuanText(amount.value);
    if (amountFen === undefined || amountFen <= 0)
      return void toast('请按存折或银行短信填写到账金额（元），最多两位小数');
    const last4 = reference.value.trim();
    if (!/^\d{4}$/.test(last4)) return void toast('请填写银行流水号的后4位数字');
    if (!photo) return void toast('请拍摄存折或银行短信的照片');
    if (!photo.ready) return void toast('照片还在处理中，请稍候再登记');
    if (!confirmed.checked) return void toast('请先向受助户确认款项已到账');
    submit.disabled = true;
    outcome.textContent = '';
    delete outcome.dataset.status;
    await submitSafely(
      `recordTransferArrival.${donation.id}`,
      'recordTransferArrival',
      {
        donationId: donation.id,
        arrivedOn: arrivedOn.value,
        amountFen,
        referenceLast4: last4,
        evidencePhotoId: photo.photoId,
        householdConfirmed: true,
      },
      retryHost,
      async (answer) => {
        outcome.dataset.status = answer.outcome;
        if (answer.outcome === 'exception') {
          outcome.textContent =
            answer.kind === 'amount_mismatch'
              ? `登记的到账金额 ${yuan(amountFen)} 与捐助人承诺的 ${yuan(pledged)} 不一致，已按实际金额记录为异常，该笔捐助仍为待到账。请核对存折或银行短信，并报乡镇核查处理。`
              : '该笔承诺已失效或已通过其他方式到账，本次到账已记录为异常，请报乡镇核查处理。';
          outcome.dataset.kind = answer.kind ?? '';
          return;
        }
        toast(answer.outcome === 'repeated' ? '这笔到账已登记过' : '已登记到账');
        await reload();
      },
    );
    submit.disabled = false;
  };

  return h(
    'form',
    { class: 'stack arrival', 'data-testid': 'arrival-form', onsubmit: send },
    h('strong', {}, `登记转账到账（承诺 ${yuan(pledged)}）`),
    h('label', { class: 'stack' }, '到账日期', arrivedOn),
    h('label', { class: 'stack' }, '到账金额（元）', amount),
    h('label', { class: 'stack' }, '银行流水号后4位', reference),
    h('label', { class: 'stack' }, '存折或银行短信照片', photoInput),
    photoState,
    h('label', { class: 'check' }, confirmed, '受助户已确认'),
    h('p', { class: 'muted' }, '按存折或短信上的实际金额填写，不要凑整；金额不一致会记录为异常。'),
    submit,
    outcome,
    retryHost,
  );
}
