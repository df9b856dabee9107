import {
  authErrorText,
  e164,
  errorText,
  fenFromYuanText,
  isRetryable,
  issueText,
  percent,
  phoneDisplay,
  serverMessage,
  yuan,
} from './format';
import { browserStorage, Drafts, PendingSubmissions, type KeyValueStorage } from './pending';

function memoryStorage(): KeyValueStorage & { size(): number } {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    size: () => map.size,
  };
}

/** A storage that refuses values over `limit` characters, as a full localStorage does. */
function smallStorage(limit: number): KeyValueStorage & { size(): number } {
  const inner = memoryStorage();
  return {
    ...inner,
    setItem: (key, value) => {
      if (value.length > limit) throw new Error('QuotaExceededError');
      inner.setItem(key, value);
    },
  };
}

describe('retry-safe submissions', () => {
  it('sends the same request id again until the server answers, and a new one for new data', () => {
    let n = 0;
    const storage = memoryStorage();
    const pending = new PendingSubmissions(storage, () => `id-${++n}`);
    const first = pending.prepare('need', { amount: 1 });
    expect(pending.prepare('need', { amount: 1 }).requestId).toBe(first.requestId);
    // A reload: a new instance over the same storage still holds it.
    expect(new PendingSubmissions(storage).prepare('need', { amount: 1 }).requestId).toBe(
      first.requestId,
    );
    expect(pending.prepare('need', { amount: 2 }).requestId).toBe('id-2');
    pending.settle('need');
    expect(storage.size()).toBe(0);
    expect(pending.prepare('need', { amount: 2 }).requestId).toBe('id-3');
  });

  it('keeps each household registration apart and tells the page which one is unconfirmed', () => {
    const storage = memoryStorage();
    const pending = new PendingSubmissions(storage);
    const a = pending.prepare('register.hA', { householdId: 'hA' });
    const b = pending.prepare('register.hB', { householdId: 'hB' });
    expect(a.requestId).not.toBe(b.requestId);
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    pending.settle('register.hA');
    const afterReload = new PendingSubmissions(storage);
    expect(afterReload.get('register.hA')).toBeUndefined();
    expect(afterReload.get('register.hB')).toEqual(b);
  });

  it('still reuses the request id on retry when the storage refuses a large submission', () => {
    let n = 0;
    const storage = smallStorage(200);
    const pending = new PendingSubmissions(storage, () => `id-${++n}`);
    const roster = { format: 'xlsx', dataBase64: 'A'.repeat(1000) };
    const first = pending.prepare('import', roster);
    expect(pending.prepare('import', roster).requestId).toBe(first.requestId);
    expect(storage.size()).toBe(0);
    pending.settle('import');
    expect(pending.prepare('import', roster).requestId).toBe('id-2');
  });

  it('ignores a damaged entry instead of sending a request without an id', () => {
    const storage = memoryStorage();
    storage.setItem('fupin.pending.need', '{"data":{"amount":1}}');
    storage.setItem('fupin.pending.other', 'not json');
    const pending = new PendingSubmissions(storage, () => 'fresh');
    expect(pending.get('other')).toBeUndefined();
    expect(pending.prepare('need', { amount: 1 }).requestId).toBe('fresh');
  });

  it('keeps a draft across reloads, and a full storage loses only the draft', () => {
    const storage = memoryStorage();
    new Drafts(storage).save('capture', { reason: '药费' });
    expect(new Drafts(storage).load('capture')).toEqual({ reason: '药费' });
    const full = new Drafts(smallStorage(5));
    expect(() => full.save('capture', { reason: '药费' })).not.toThrow();
    expect(full.load('capture')).toEqual({});
  });

  it('falls back to memory where the browser has no localStorage', () => {
    const storage = browserStorage();
    storage.setItem('k', 'v');
    expect(storage.getItem('k')).toBe('v');
  });
});

describe('formatting', () => {
  test.each([
    [0.4545, '45.5%'],
    [1, '100.0%'],
    [0, '0.0%'],
    [2 / 3, '66.7%'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('percent(%p) = %s', (rate, text) => expect(percent(rate)).toBe(text));

  it('formats and parses yuan without floating point', () => {
    expect(yuan(500_000)).toBe('5,000.00 元');
    expect(fenFromYuanText('5,000.5')).toBe(500_050);
    expect(fenFromYuanText('0.1')).toBe(10);
    expect(fenFromYuanText('1e3')).toBeUndefined();
    expect(fenFromYuanText('-1')).toBeUndefined();
  });

  test.each([
    ['138 0000 0001', '+8613800000001'],
    ['+86 138-0000-0001', '+8613800000001'],
    ['008613800000001', '+8613800000001'],
    ['12800000001', undefined],
    ['1380000000', undefined],
    ['', undefined],
  ])('e164(%p) = %p', (typed, number) => expect(e164(typed)).toBe(number));

  it('shows a mobile number in the groups people read it in', () => {
    expect(phoneDisplay('+8613800000001')).toBe('138 0000 0001');
    expect(phoneDisplay(null)).toBe('');
  });
});

describe('errors in Chinese', () => {
  it('names the field and the problem the server reported', () => {
    expect(issueText({ path: 'idNumber', code: 'id_check_char' }, { idNumber: '身份证号码' })).toBe(
      '身份证号码：身份证号码校验位不对，请核对',
    );
    expect(issueText({ path: 'items.0.quantity', code: 'too_small' }, { items: '物品' })).toBe(
      '物品：太短或太小',
    );
  });

  test.each([
    // What the SDK makes of the functions' HttpsError: the sentence plus " [status]".
    [
      { code: 'functions/failed-precondition', message: '该户不在建档立卡名单内 [400]' },
      '该户不在建档立卡名单内',
    ],
    [{ code: 'functions/permission-denied', message: '无权进行此操作 [403]' }, '无权进行此操作'],
    [
      { code: 'functions/permission-denied', message: 'permission-denied [403]' },
      '没有权限进行此操作',
    ],
    [{ code: 'functions/unauthenticated', message: 'unauthenticated [401]' }, '请先登录'],
    // A dropped connection: the SDK reports status 0 as `internal` with no sentence.
    [
      { code: 'functions/internal', message: 'internal [0]' },
      '网络不稳定，已保留您填写的内容，请稍后重试',
    ],
    [
      { code: 'functions/unavailable', message: 'unavailable [503]' },
      '网络不稳定，已保留您填写的内容，请稍后重试',
    ],
    [{}, '网络不稳定，已保留您填写的内容，请稍后重试'],
  ])('errorText(%p) = %s', (error, text) => expect(errorText(error)).toBe(text));

  it('keeps only Chinese server sentences', () => {
    expect(serverMessage('提交的内容有误，请检查标出的项目 [400]')).toBe(
      '提交的内容有误，请检查标出的项目',
    );
    expect(serverMessage('Backend error status: INTERNAL [500]')).toBeUndefined();
  });

  test.each([
    ['functions/unavailable', true],
    ['functions/deadline-exceeded', true],
    ['functions/internal', true],
    ['functions/unknown', true],
    [undefined, true],
    ['functions/permission-denied', false],
    ['functions/invalid-argument', false],
    ['functions/failed-precondition', false],
    ['functions/unauthenticated', false],
  ])('isRetryable(%p) = %p', (code, retry) => expect(isRetryable(code)).toBe(retry));

  it('explains sign-in failures', () => {
    expect(authErrorText('auth/invalid-credential')).toBe('账号或密码不对');
    expect(authErrorText('auth/invalid-verification-code')).toBe('验证码不对');
    expect(authErrorText('auth/something-new')).toBe('登录未成功，请稍后重试');
  });
});
