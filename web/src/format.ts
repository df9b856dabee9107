/** Display helpers shared by the pages; pure, so they are unit-tested in node. */

/** 0.4545 → "45.5%"; no rate yet → "—". */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** Integer fen → "5,000.00 元". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')} 元`;
}

/** "5000" or "5000.5" yuan typed by a person → integer fen, or undefined when it is not an amount. */
export function fenFromYuanText(text: string): number | undefined {
  const trimmed = text.trim().replace(/[,，\s]/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(trimmed)) return undefined;
  const [whole, fraction = ''] = trimmed.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const issueLabels: Record<string, string> = {
  invalid_type: '格式不对',
  invalid_format: '格式不对',
  too_small: '太短或太小',
  too_big: '太长或太大',
  unrecognized_keys: '多余的项目',
  id_format: '身份证号码应为18位',
  id_birth_date: '身份证号码中的出生日期不对',
  id_check_char: '身份证号码校验位不对，请核对',
  household_id_mismatch: '身份证号码与建档立卡档案不一致',
  household_name_mismatch: '姓名与建档立卡档案不一致',
  household_stably_out: '该户已稳定脱贫，需求原则上不发布',
  household_not_registered: '该户尚未在平台注册',
  household_not_on_roster: '该户不在建档立卡名单内',
  name_bidi: '姓名含有不可见的控制字符',
  name_chars: '姓名含有不允许的字符',
  money_not_integer: '金额最多两位小数',
  money_too_small: '金额必须大于零',
  money_too_large: '金额过大',
  bank_format: '银行账号只能是数字',
  bank_length: '银行账号应为12到19位',
  evidence_unknown: '佐证照片未上传成功',
  evidence_quarantined: '佐证照片未通过检查',
  need_outside_guarantees: '只发布“两不愁三保障”范围内的需求',
  need_guarantee_mismatch: '需求类别与保障内容不符',
  date_future: '日期不能晚于今天',
  review_before_submission: '入户审核日期不能早于提交日期',
  note_required: '请写明理由',
};

/** A field problem `{ path, code }` from the server, in Chinese. */
export function issueText(
  issue: { path: string; code: string },
  fieldLabels: Record<string, string> = {},
): string {
  const field = fieldLabels[issue.path.split('.')[0] ?? ''] ?? issue.path;
  return `${field ? `${field}：` : ''}${issueLabels[issue.code] ?? issue.code}`;
}

const errorTexts: Record<string, string> = {
  'functions/unauthenticated': '请先登录',
  'functions/permission-denied': '没有权限进行此操作',
  'functions/not-found': '没有找到',
  'functions/failed-precondition': '当前状态不能进行此操作',
  'functions/already-exists': '已经存在',
  'functions/resource-exhausted': '操作太频繁，请稍后再试',
  'functions/unavailable': '网络不稳定，已保留您填写的内容，请稍后重试',
  'functions/deadline-exceeded': '网络不稳定，已保留您填写的内容，请稍后重试',
  'functions/internal': '服务暂时不可用，请稍后重试',
};

/** True for failures after which the same request may simply be sent again. */
export function isRetryable(code: string | undefined): boolean {
  return (
    code === 'functions/unavailable' ||
    code === 'functions/deadline-exceeded' ||
    code === 'functions/internal' ||
    code === undefined
  );
}

export function errorText(error: { code?: string; message?: string }): string {
  if (
    error.code === 'functions/invalid-argument' ||
    error.code === 'functions/failed-precondition'
  ) {
    return error.message || errorTexts[error.code] || '提交的内容有误';
  }
  return (error.code && errorTexts[error.code]) || '网络不稳定，已保留您填写的内容，请稍后重试';
}
