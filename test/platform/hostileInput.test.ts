/**
 * Malformed and hostile requests, as an attacker sends them over HTTP: refused with the callable
 * protocol's INVALID_ARGUMENT before firebase-functions decodes them, never a 500, never a hang,
 * and nothing of the body in the function log (the SDK logged a body without `data` whole and
 * copied an `@type` object's keys into the top level of an ERROR entry).
 */
import {
  functionLogs,
  newRequestId,
  projectId,
  region,
  signIn,
  signInByPhone,
} from '../support/platform';

const fakeIdNumber = '11010519491231002X';

/** Posts a raw body (already JSON text) to a callable; the answer's HTTP status and JSON. */
async function post(name: string, body: string, token?: string) {
  const response = await fetch(
    `${process.env.FUPIN_FUNCTIONS_URL}/${projectId}/${region}/${name}`,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body,
    },
  );
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as { error?: { status?: string } } };
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** One payload of each class the fuzz run found answering 500 or hanging. */
const hostile: Array<[string, string]> = [
  ['no data wrapper', JSON.stringify({ needId: 'x' })],
  ['a body that is an array', '[{"data":{}}]'],
  ['extra top-level fields', JSON.stringify({ data: {}, uid: 'forged' })],
  ['@type at depth', JSON.stringify({ data: { needId: { '@type': 'x', value: '1' } } })],
  [
    'Int64 @type',
    JSON.stringify({
      data: { '@type': 'type.googleapis.com/google.protobuf.Int64Value', value: '1' },
    }),
  ],
  ['nesting 10,000 deep', `{"data":{"needId":${deep(10_000)}}}`],
  ['a lone high surrogate', '{"data":{"search":"\\ud800"}}'],
  ['a lone low surrogate in a key', '{"data":{"\\udc00":1}}'],
  ['a __proto__ key', '{"data":{"__proto__":{"needId":"x"}}}'],
  ['a reserved document id', JSON.stringify({ data: { needId: '__proto__' } })],
  ['a reserved id __x__', JSON.stringify({ data: { needId: '__x__' } })],
  ['the id ..', JSON.stringify({ data: { needId: '..' } })],
  ['an id with a slash', JSON.stringify({ data: { needId: 'a/b' } })],
];

describe('hostile input to callables', () => {
  let donor: string;
  let cadre: string;
  beforeAll(async () => {
    donor = await signInByPhone('+8613800000001');
    cadre = await signIn('v01a@demo.fupin.cn');
  });

  it('keeps personal data and forged fields of a malformed request out of the function log', async () => {
    const before = (await functionLogs()).length;
    const withoutData = await post(
      'listPublicNeeds',
      JSON.stringify({ idNumber: fakeIdNumber, name: '张三', phone: '13800138000' }),
      donor,
    );
    const typed = await post(
      'getPublicNeed',
      JSON.stringify({
        data: {
          needId: {
            '@type': 'type.googleapis.com/forged',
            event: 'forged_event',
            uid: 'forged-uid',
            idNumber: fakeIdNumber,
          },
        },
      }),
      donor,
    );
    // A key the schema does not know is the caller's text: it is named in the answer, not logged.
    const unknownKey = await post('listRegions', JSON.stringify({ data: { [fakeIdNumber]: 1 } }));
    expect(unknownKey.status).toBe(400);
    expect(withoutData).toEqual({
      status: 400,
      body: { error: expect.objectContaining({ status: 'INVALID_ARGUMENT' }) },
    });
    expect(typed).toEqual({
      status: 400,
      body: { error: expect.objectContaining({ status: 'INVALID_ARGUMENT' }) },
    });

    // The log is written by a stream: wait until both refusals are there.
    let entries: Array<Record<string, unknown>> = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      entries = (await functionLogs()).slice(before);
      if (
        entries.filter((entry) => entry.event === 'callable_malformed').length >= 2 &&
        entries.some((entry) => entry.fn === 'listRegions')
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Other test files share the platform and its log: look for these requests' entries.
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event: 'callable_malformed',
          fn: 'listPublicNeeds',
          code: 'request_shape',
        }),
        expect.objectContaining({
          event: 'callable_malformed',
          fn: 'getPublicNeed',
          code: 'request_type_key',
        }),
      ]),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ event: 'callable_rejected', fn: 'listRegions', paths: ['?'] }),
    );
    const text = entries.map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).not.toContain(fakeIdNumber);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('张三');
    expect(entries.filter((entry) => entry.event === 'forged_event')).toEqual([]);
    expect(entries.filter((entry) => entry.uid === 'forged-uid')).toEqual([]);
    // The SDK's own entries for such requests, which carried the body or the forged keys.
    const sdkEntries = entries.filter((entry) =>
      /Request body is missing data|Data cannot be decoded|Invalid request/.test(
        String(entry.message),
      ),
    );
    expect(sdkEntries).toEqual([]);
  });

  it.each(hostile)('refuses %s with INVALID_ARGUMENT, never a 500', async (_what, body) => {
    const answers = await Promise.all([
      post('getPublicNeed', body, donor),
      post('listPublicNeeds', body, donor),
      post('verifyCertificate', body),
      post('withdrawNeed', body, cadre),
    ]);
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 400,
        body: { error: expect.objectContaining({ status: 'INVALID_ARGUMENT' }) },
      });
    }
  });

  it('answers ids named like Object.prototype members as ids (not found), not INTERNAL', async () => {
    for (const id of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const answer = await post('getPublicNeed', JSON.stringify({ data: { needId: id } }), donor);
      expect(answer).toEqual({
        status: 404,
        body: { error: expect.objectContaining({ status: 'NOT_FOUND' }) },
      });
    }
  });

  it('refuses reserved document ids where the schema names a document', async () => {
    for (const id of ['__proto__', '__x__', '__.*__', '.', '..', 'a/b']) {
      const answers = await Promise.all([
        post('getPublicNeed', JSON.stringify({ data: { needId: id } }), donor),
        post(
          'withdrawNeed',
          JSON.stringify({ data: { requestId: newRequestId(), needId: id, reason: '重复提交' } }),
          cadre,
        ),
        post('listPublicNeeds', JSON.stringify({ data: { after: id } }), donor),
      ]);
      for (const answer of answers) expect(answer.status).toBe(400);
    }
  });
});
