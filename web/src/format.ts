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
  // Free text may not carry an ID, bank or phone number, in any digits (全角、汉字数字…).
  reason_number: '不能填写身份证、银行卡或电话号码',
  address_number: '不能填写身份证、银行卡或电话号码',
  note_number: '不能填写身份证、银行卡或电话号码',
  item_name_number: '不能填写身份证、银行卡或电话号码',
  donor_number: '不能填写身份证、银行卡或电话号码',
  donor_unit_number: '不能填写身份证、银行卡或电话号码',
  reason_name: '理由中不要写户主姓名（捐赠人只看到隐去的姓名）',
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

const networkText = '网络不稳定，已保留您填写的内容，请稍后重试';

const errorTexts: Record<string, string> = {
  'functions/invalid-argument': '提交的内容有误',
  'functions/unauthenticated': '请先登录',
  'functions/permission-denied': '没有权限进行此操作',
  'functions/not-found': '没有找到',
  'functions/failed-precondition': '当前状态不能进行此操作',
  'functions/already-exists': '已经存在',
  'functions/resource-exhausted': '操作太频繁，请稍后再试',
  'functions/unavailable': networkText,
  'functions/deadline-exceeded': networkText,
  // The functions always send a Chinese sentence with `internal`; without one it was the network.
  'functions/internal': networkText,
};

/**
 * Failures after which the same request may simply be sent again: the SDK reports a dropped
 * connection as `internal` (HTTP status 0), a gateway's odd answer as `unknown`; the server makes a
 * repeated request id harmless.
 */
const retryable = new Set([
  'functions/unavailable',
  'functions/deadline-exceeded',
  'functions/internal',
  'functions/unknown',
  'functions/aborted',
  'functions/cancelled',
]);

/** True for failures after which the same request may simply be sent again. */
export function isRetryable(code: string | undefined): boolean {
  return code === undefined || retryable.has(code);
}

/**
 * The server's own message when it is a Chinese sentence (every HttpsError the functions throw
 * is), without the " [400]" the SDK appends; undefined for the SDK's English placeholders.
 */
export function serverMessage(message: string | undefined): string | undefined {
  const text = (message ?? '').replace(/\s*\[\d+\]$/, '').trim();
  return /[\u4e00-\u9fff]/.test(text) ? text : undefined;
}

/** A callable failure in Chinese: the server's sentence when it sent one, else by code. */
export function errorText(error: { code?: string; message?: string }): string {
  return serverMessage(error.message) ?? ((error.code && errorTexts[error.code]) || networkText);
}

const authTexts: Record<string, string> = {
  'auth/invalid-credential': '账号或密码不对',
  'auth/wrong-password': '账号或密码不对',
  'auth/user-not-found': '账号或密码不对',
  'auth/invalid-email': '账号格式不对',
  'auth/user-disabled': '该账号已停用，请联系上级管理员',
  'auth/too-many-requests': '尝试次数过多，请稍后再试',
  'auth/network-request-failed': '网络不稳定，请稍后重试',
  'auth/invalid-phone-number': '请输入正确的手机号',
  'auth/missing-phone-number': '请输入手机号',
  'auth/quota-exceeded': '今日短信已达上限，请明天再试',
  'auth/invalid-verification-code': '验证码不对',
  'auth/missing-verification-code': '请输入验证码',
  'auth/code-expired': '验证码已过期，请重新获取',
  'auth/captcha-check-failed': '人机验证未通过，请重新获取验证码',
};

/** A sign-in failure (`auth/…` code) in Chinese. */
export function authErrorText(
  code: string | undefined,
  fallback = '登录未成功，请稍后重试',
): string {
  return (code && authTexts[code]) || fallback;
}

/** A mainland mobile number as typed (138 0000 0001, +86…) → E.164, or undefined. */
export function e164(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '').replace(/^(\+?86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? `+86${digits}` : undefined;
}

/** The number a person would recognise: +8613800000001 → "138 0000 0001". */
export function phoneDisplay(number: string | null | undefined): string {
  const digits = (number ?? '').replace(/^\+86/, '');
  return /^1\d{10}$/.test(digits)
    ? `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`
    : (number ?? '');
}

/** An ISO time or epoch ms → the date in China (UTC+8), "2026-05-01". */
export function chinaDate(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at);
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Epoch ms → "2026-05-01 14:30" in China time. */
export function chinaDateTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
