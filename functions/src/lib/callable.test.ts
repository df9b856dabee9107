import { docIdSchema } from '../domain/validation/common';
import { maxRequestDepth, rawRequestProblem } from './callable';

const json = { 'content-type': 'application/json; charset=utf-8' };
const request = (body: unknown, headers: Record<string, string> = json, method = 'POST') => ({
  method,
  headers,
  body,
});

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

describe('rawRequestProblem', () => {
  it('lets through what the web client sends', () => {
    expect(rawRequestProblem(request({ data: null }))).toBeUndefined();
    expect(rawRequestProblem(request({ data: { needId: 'a', tags: ['教育', '医疗'] } }))).toBe(
      undefined,
    );
    expect(rawRequestProblem(request({ data: { text: '扶贫 😀 emoji pairs' } }))).toBeUndefined();
    expect(rawRequestProblem(request({ data: nested(maxRequestDepth - 1) }))).toBeUndefined();
  });

  it('refuses what the SDK would log whole or choke on', () => {
    expect(rawRequestProblem(request({ idNumber: '11010519491231002X' }))).toBe('request_shape');
    expect(rawRequestProblem(request({ data: 1, uid: 'x' }))).toBe('request_shape');
    expect(rawRequestProblem(request([{ data: 1 }]))).toBe('request_shape');
    expect(rawRequestProblem(request('data'))).toBe('request_shape');
    expect(rawRequestProblem(request({ data: 1 }, { 'content-type': 'text/plain' }))).toBe(
      'request_content_type',
    );
    expect(rawRequestProblem(request({ data: 1 }, json, 'GET'))).toBe('request_method');
    expect(rawRequestProblem(request({ data: [{ a: { '@type': 'x', uid: 'forged' } }] }))).toBe(
      'request_type_key',
    );
    expect(rawRequestProblem(request(JSON.parse('{"data":{"__proto__":{"a":1}}}')))).toBe(
      'request_reserved_key',
    );
    expect(rawRequestProblem(request({ data: { search: '\ud800' } }))).toBe(
      'request_lone_surrogate',
    );
    expect(rawRequestProblem(request({ data: ['x\udc00'] }))).toBe('request_lone_surrogate');
    expect(rawRequestProblem(request({ data: { '\udbff': 1 } }))).toBe('request_lone_surrogate');
    expect(rawRequestProblem(request({ data: nested(maxRequestDepth + 1) }))).toBe(
      'request_too_deep',
    );
  });

  it('measures a million levels of nesting without overflowing its stack', () => {
    const body = JSON.parse(`{"data":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    expect(rawRequestProblem(request(body))).toBe('request_too_deep');
  });
});

describe('docIdSchema', () => {
  it.each(['__proto__', '__x__', '____', '__.*__', '.', '..', 'a/b', '', 'a'.repeat(65)])(
    'refuses %j',
    (id) => expect(docIdSchema.safeParse(id).success).toBe(false),
  );
  it.each(['abc', 'need_1', '__x', 'x__', '_', 'A-b_C'])('accepts %j', (id) =>
    expect(docIdSchema.safeParse(id).success).toBe(true),
  );
});
