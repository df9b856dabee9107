import { errorText, fenFromYuanText, isRetryable, issueText, percent, yuan } from './format';
import { Drafts, PendingSubmissions, type KeyValueStorage } from './pending';

function memoryStorage(): KeyValueStorage & { size(): number } {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    size: () => map.size,
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

  it('keeps a draft across reloads', () => {
    const storage = memoryStorage();
    new Drafts(storage).save('capture', { reason: '药费' });
    expect(new Drafts(storage).load('capture')).toEqual({ reason: '药费' });
  });
});

describe('formatting', () => {
  test.each([
    [0.4545, '45.5%'],
    [1, '100.0%'],
    [null, '—'],
  ])('percent(%p) = %s', (rate, text) => expect(percent(rate)).toBe(text));

  it('formats and parses yuan without floating point', () => {
    expect(yuan(500_000)).toBe('5,000.00 元');
    expect(fenFromYuanText('5,000.5')).toBe(500_050);
    expect(fenFromYuanText('0.1')).toBe(10);
    expect(fenFromYuanText('1e3')).toBeUndefined();
    expect(fenFromYuanText('-1')).toBeUndefined();
  });

  it('speaks Chinese for server problems and knows what to retry', () => {
    expect(issueText({ path: 'idNumber', code: 'id_check_char' }, { idNumber: '身份证号码' })).toBe(
      '身份证号码：身份证号码校验位不对，请核对',
    );
    expect(errorText({ code: 'functions/permission-denied' })).toBe('没有权限进行此操作');
    expect(isRetryable('functions/unavailable')).toBe(true);
    expect(isRetryable('functions/permission-denied')).toBe(false);
  });
});
