/**
 * `npm run fuzz`: sends generated malformed payloads to every callable of the local platform, as
 * an attacker would over HTTP, and counts what must never happen: a 500 INTERNAL, an answer
 * slower than a second (or none), and a document changed. By default it starts a platform of its
 * own (fresh data folder, its own ports); `--functions-url` targets a running one instead.
 *
 * Options: --payloads N malformed per callable (1000), --accepted N hostile but schema-valid
 * per callable (100, sent after the write count), --concurrency N (6), --seed N, --only a,b,
 * --base-port N (default: the first free run of seven from 7900), --functions-url URL
 * --auth-host H:P --firestore-host H:P (a running platform's), --slow-ms N.
 * Prints a table per callable and `RESULT {...}`; exits 1 if anything INTERNAL, slow or written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import type { z } from 'zod';
import { untilReady } from '../local/untilReady';

const projectId = 'demo-fupin';
const region = 'asia-east2';
const root = resolve(__dirname, '../..');
const demoPassword = 'fupin-demo-2026';

const { values: options } = parseArgs({
  options: {
    payloads: { type: 'string', default: '1000' },
    accepted: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '6' },
    seed: { type: 'string', default: '20261130' },
    only: { type: 'string' },
    'base-port': { type: 'string' },
    'functions-url': { type: 'string' },
    'auth-host': { type: 'string', default: '127.0.0.1:9099' },
    'firestore-host': { type: 'string', default: '127.0.0.1:8080' },
    'slow-ms': { type: 'string', default: '1000' },
  },
});
const payloadsPerCallable = Number(options.payloads);
const acceptedPerCallable = Number(options.accepted);
const concurrency = Number(options.concurrency);
const seed = Number(options.seed);
const slowMs = Number(options['slow-ms']);
/** An answer not there after this is a hang, and the request is abandoned. */
const hangMs = 20_000;

// ---------------------------------------------------------------------------------------------
// The platform

interface Target {
  functionsUrl: string;
  authHost: string;
  firestoreHost: string;
  stop: () => Promise<void>;
}

/** The first of seven consecutive free ports from `from` on, in steps of ten. */
async function freeBasePort(from: number): Promise<number> {
  const { createServer } = await import('node:net');
  const free = (port: number) =>
    new Promise<boolean>((answer) => {
      const server = createServer();
      server.once('error', () => answer(false));
      server.listen(port, '127.0.0.1', () => server.close(() => answer(true)));
    });
  for (let base = from; base < from + 1000; base += 10) {
    const ports = Array.from({ length: 7 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base;
  }
  throw new Error('no seven free consecutive ports');
}

async function startOwnPlatform(): Promise<Target> {
  const basePort = options['base-port'] ? Number(options['base-port']) : await freeBasePort(7900);
  const dataDir = mkdtempSync(join(tmpdir(), 'fupin-fuzz-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      'functions/local/start.ts',
      '--data-dir',
      dataDir,
      '--base-port',
      String(basePort),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = await untilReady(child).ready;
  const functionsUrl = /^functions: (\S+?)\/demo-fupin/m.exec(output)?.[1];
  if (!functionsUrl) throw new Error('the platform printed no functions URL');
  return {
    functionsUrl,
    authHost: `127.0.0.1:${basePort + 1}`,
    firestoreHost: `127.0.0.1:${basePort}`,
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 30_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Callers

async function signInByEmail(authHost: string, email: string): Promise<string> {
  const response = await fetch(
    `http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: demoPassword, returnSecureToken: true }),
    },
  );
  const { idToken } = (await response.json()) as { idToken?: string };
  if (!idToken) throw new Error(`cannot sign in as ${email}`);
  return idToken;
}

async function signInByPhone(authHost: string, phoneNumber: string): Promise<string> {
  const base = `http://${authHost}/identitytoolkit.googleapis.com/v1`;
  const post = (path: string, body: unknown) =>
    fetch(`${base}/${path}?key=demo-api-key`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then((response) => response.json() as Promise<Record<string, unknown>>);
  const { sessionInfo } = await post('accounts:sendVerificationCode', {
    phoneNumber,
    recaptchaToken: 'fuzz',
  });
  const codes = (await (
    await fetch(`http://${authHost}/emulator/v1/projects/${projectId}/verificationCodes`)
  ).json()) as { verificationCodes: Array<{ sessionInfo: string; code: string }> };
  const code = codes.verificationCodes.find((entry) => entry.sessionInfo === sessionInfo)?.code;
  const { idToken } = await post('accounts:signInWithPhoneNumber', { sessionInfo, code });
  if (typeof idToken !== 'string') throw new Error(`cannot sign in ${phoneNumber} by phone`);
  return idToken;
}

/** One caller of each kind: anonymous, a donor, and staff from the village up to ops. */
async function callers(authHost: string): Promise<Array<{ role: string; token?: string }>> {
  return [
    { role: 'anonymous' },
    { role: 'donor', token: await signInByPhone(authHost, '+8613800000001') },
    { role: 'helper', token: await signInByEmail(authHost, 'helper1@demo.fupin.cn') },
    { role: 'village_admin', token: await signInByEmail(authHost, 'v01a@demo.fupin.cn') },
    { role: 'township_admin', token: await signInByEmail(authHost, 'township@demo.fupin.cn') },
    { role: 'county_admin', token: await signInByEmail(authHost, 'county@demo.fupin.cn') },
    { role: 'ops', token: await signInByEmail(authHost, 'ops@demo.fupin.cn') },
  ];
}

// ---------------------------------------------------------------------------------------------
// Payloads

interface Payload {
  kind: string;
  /** The body's text, made when sent: huge values stay shared until then. */
  body: () => string;
  contentType?: string;
  /** Refused by construction, whatever the schema: no need to parse it to know. */
  refused?: boolean;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
};

/** Stands for nesting too deep to build as a value (JSON.stringify would overflow): see `render`. */
const deepMarker = (levels: number) => `\u0000deep:${levels}\u0000`;

function render(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000deep:(\d+)\\u0000"/g, (_match, levels) => {
    const n = Number(levels);
    return n % 2 ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

const reservedIds = ['__proto__', '__x__', '__.*__', '____', '.', '..', 'a/b', '/', '__name__'];
const nanish = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  ' 1 ',
  '１２３',
  '1_000',
  '',
];
const personalLooking = [
  '11010519491231002X',
  '13800138000',
  '１３８００１３８０００',
  '6222020200112233445',
];
const hostileStrings = [
  ...reservedIds,
  ...nanish,
  ...personalLooking,
  'constructor',
  'prototype',
  'toString',
  '\u0000',
  '\u202e反向',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '${7*7}',
  '%00',
  '😀'.repeat(40),
  ' ',
  '\n\t',
];

const loneSurrogate = fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\ude00b', '扶贫\udbff贫');
const hugeString = fc.constantFrom(
  'x'.repeat(10_000),
  '9'.repeat(100_000),
  '扶'.repeat(300_000),
  'a'.repeat(1_000_000),
);

/** A value that a field must not accept, or that must not hurt if it does. */
const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...hostileStrings), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  {
    arbitrary: fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, 2 ** 31),
    weight: 2,
  },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constant({}), weight: 1 },
  { arbitrary: fc.constant([]), weight: 1 },
  { arbitrary: fc.array(fc.constantFrom(...hostileStrings), { maxLength: 4 }), weight: 1 },
  {
    arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
    weight: 1,
  },
);

/** A value a field might accept, so that other fields' checks and the handler are reached. */
function plausible(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.string({ maxLength: 12 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices?.length) return fc.oneof(...choices.map((choice) => plausible(choice, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid({ version: 4 });
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern));
        } catch {
          // A pattern fast-check cannot generate from: fall through to free text.
        }
      }
      return fc.oneof(
        fc.constantFrom('王小明', '测试', '村委会', '2026-11-01', 'abc'),
        fc.string({ maxLength: Math.min(schema.maxLength ?? 20, 20) }),
      );
    }
    case 'integer':
    case 'number':
      return fc.integer({
        min: Math.max(schema.minimum ?? 0, -1e9),
        max: Math.min(schema.maximum ?? 1e6, 1e9),
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(plausible(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
      return objectOf(schema, depth);
    default:
      return fc.string({ maxLength: 12 });
  }
}

function objectOf(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, value] of Object.entries(properties)) record[key] = plausible(value, depth + 1);
  return fc.record(record, { requiredKeys: schema.required ?? [] });
}

/** The top-level object schemas a callable accepts (one per variant of a union). */
function variantsOf(schema: JsonSchema): JsonSchema[] {
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices?.length) return choices.flatMap(variantsOf);
  return schema.type === 'object' ? [schema] : [];
}

/** Replaces one field (at any depth of plausible objects) by `value`, or adds it at the top. */
function withField(
  base: unknown,
  path: number,
  value: unknown,
  extraKey = 'unknownField',
): unknown {
  if (base === null || typeof base !== 'object' || Array.isArray(base))
    return { [extraKey]: value };
  const keys = Object.keys(base);
  if (keys.length === 0) return { [extraKey]: value };
  const key = keys[path % keys.length] as string;
  const inner = (base as Record<string, unknown>)[key];
  const copy = { ...(base as Record<string, unknown>) };
  copy[key] =
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) && path % 3 === 0
      ? withField(inner, Math.floor(path / 3), value, extraKey)
      : value;
  return copy;
}

function payloadsFor(schema: JsonSchema | undefined): fc.Arbitrary<Payload> {
  const variants = schema ? variantsOf(schema) : [];
  const base: fc.Arbitrary<Record<string, unknown>> =
    variants.length > 0
      ? fc.oneof(...variants.map((variant) => objectOf(variant, 0)))
      : fc.constant({});
  const data = (kind: string, value: fc.Arbitrary<unknown>) =>
    value.map((data) => ({ kind, body: () => render({ data }) }));
  const field = (kind: string, value: fc.Arbitrary<unknown>) =>
    data(
      kind,
      fc
        .tuple(base, fc.nat(), value)
        .map(([object, path, hostile]) => withField(object, path, hostile)),
    );
  return fc.oneof(
    { arbitrary: field('hostile field', hostileScalar), weight: 10 },
    {
      arbitrary: field('reserved id', fc.constantFrom(...reservedIds)),
      weight: 3,
    },
    { arbitrary: field('NaN-ish', fc.constantFrom(...nanish)), weight: 2 },
    {
      arbitrary: data(
        'unknown keys',
        fc
          .tuple(base, fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), hostileScalar))
          .map(([object, extra]) => ({ ...extra, ...object, ['x-' + randomKey(extra)]: 1 })),
      ),
      weight: 2,
    },
    {
      arbitrary: data('wrong type', fc.oneof(hostileScalar, fc.array(base, { maxLength: 2 }))),
      weight: 3,
    },
    {
      arbitrary: field(
        '@type',
        fc.record({
          '@type': fc.constantFrom(
            'type.googleapis.com/google.protobuf.Int64Value',
            'type.googleapis.com/forged',
            'x',
          ),
          value: fc.constantFrom('1', 'NaN', '11010519491231002X'),
          event: fc.constant('forged_event'),
          uid: fc.constant('forged-uid'),
        }),
      ),
      weight: 2,
    },
    {
      arbitrary: field(
        '__proto__',
        fc
          .constantFrom('{"__proto__":{"role":"ops"}}', '{"constructor":{"prototype":{"x":1}}}')
          .map((text) => JSON.parse(text) as unknown),
      ),
      weight: 2,
    },
    {
      arbitrary: field('deep nesting', fc.constantFrom(62, 63, 64, 65, 100).map(deepMarker)),
      weight: 1,
    },
    {
      // Deeper than the SDK's decoding could go: refused by the guard whatever the field.
      arbitrary: field(
        'very deep nesting',
        fc.constantFrom(3_000, 8_000, 20_000, 200_000).map(deepMarker),
      ).map((payload) => ({ ...payload, refused: true })),
      weight: 1,
    },
    {
      arbitrary: fc.oneof(
        field('huge string', hugeString),
        field(
          'huge array',
          fc.constantFrom(10_000, 100_000).map((n) => Array.from({ length: n }, () => 'x')),
        ),
      ),
      weight: 1,
    },
    { arbitrary: field('lone surrogate', loneSurrogate), weight: 2 },
    {
      arbitrary: base.map((object) => ({
        kind: 'lone surrogate key',
        body: () => render({ data: { ...object, '\ud800': 1 } }),
      })),
      weight: 1,
    },
    { arbitrary: envelope(base), weight: 3 },
  );
}

function randomKey(object: Record<string, unknown>): string {
  return String(Object.keys(object).length);
}

/** Bodies that are not `{ data }`: what the SDK logged whole. */
function envelope(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Payload> {
  return fc.oneof(
    base.map((object) => ({
      kind: 'no data',
      body: () => render({ ...object, idNumber: '11010519491231002X' }),
    })),
    base.map((object) => ({
      kind: 'extra fields',
      body: () => render({ data: object, uid: 'forged' }),
    })),
    base.map((object) => ({ kind: 'array body', body: () => render([{ data: object }]) })),
    fc.constantFrom('null', '"data"', '42', 'true', '[]', '{}').map((body) => ({
      kind: 'scalar body',
      body: () => body,
    })),
    fc.constantFrom('{"data":', '{"data":{}}}', "{'data':1}", '{"data":NaN}', '').map((body) => ({
      kind: 'invalid JSON',
      body: () => body,
    })),
    base.map((object) => ({
      kind: 'wrong content type',
      body: () => render({ data: object }),
      contentType: 'text/plain; 11010519491231002X',
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Every collection the functions can write: the only ones a request could change. */
function collectionNames(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/\w*[Cc]ollection\w* = '([A-Za-z]+)'/g))
          names.add(match[1] as string);
        for (const match of text.matchAll(/collection(?:Group)?\('([A-Za-z]+)'\)/g))
          names.add(match[1] as string);
        for (const match of text.matchAll(/doc\('([A-Za-z]+)\//g)) names.add(match[1] as string);
      }
    }
  };
  walk(join(root, 'functions/src'));
  const db = readFileSync(join(root, 'functions/src/services/db.ts'), 'utf8');
  const block = /collections = \{([^}]*)\}/.exec(db)?.[1] ?? '';
  for (const match of block.matchAll(/'([A-Za-z]+)'/g)) names.add(match[1] as string);
  return [...names].sort();
}

/** Bookkeeping of scheduled jobs, which run on their own clock during a fuzz run. */
const scheduledOnly = new Set(['rollupState']);

async function documentHashes(names: string[]): Promise<Map<string, string>> {
  const { getFirestore } = await import('firebase-admin/firestore');
  const db = getFirestore();
  const hashes = new Map<string, string>();
  for (const name of names) {
    if (scheduledOnly.has(name)) continue;
    const page = await db.collectionGroup(name).get();
    for (const doc of page.docs) {
      hashes.set(
        doc.ref.path,
        createHash('sha256').update(JSON.stringify(doc.data())).digest('hex'),
      );
    }
  }
  return hashes;
}

function changedDocuments(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [path, hash] of after) if (before.get(path) !== hash) changed.add(path);
  for (const path of before.keys()) if (!after.has(path)) changed.add(path);
  return [...changed].sort();
}

// ---------------------------------------------------------------------------------------------
// The run

interface Answer {
  callable: string;
  phase: 'malformed' | 'accepted';
  kind: string;
  role: string;
  token: string | undefined;
  payload: Payload;
  status: number;
  errorStatus: string;
  ms: number;
  /** The time of the same request sent again alone, when the first answer was late. */
  retryMs?: number;
}

async function send(
  url: string,
  payload: Payload,
  token: string | undefined,
): Promise<{ status: number; errorStatus: string; ms: number }> {
  const answer = await sendOnce(url, payload, token);
  // A kept-alive socket the server closed meanwhile fails at once: that is no answer of the
  // function's, so the request goes again on a fresh socket.
  return answer.status === 0 && answer.ms < hangMs ? sendOnce(url, payload, token) : answer;
}

async function sendOnce(
  url: string,
  payload: Payload,
  token: string | undefined,
): Promise<{ status: number; errorStatus: string; ms: number }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': payload.contentType ?? 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: payload.body(),
      signal: AbortSignal.timeout(hangMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let errorStatus = '';
    try {
      errorStatus = String(
        (JSON.parse(text) as { error?: { status?: string } }).error?.status ?? '',
      );
    } catch {
      errorStatus = 'not JSON';
    }
    return { status: response.status, errorStatus, ms };
  } catch {
    return { status: 0, errorStatus: 'no answer', ms: performance.now() - started };
  }
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

// A command-line program: stdout is its interface (the lint rule is for functions' code).
const print = (line: string) => process.stdout.write(`${line}\n`);

function table(rows: Array<Record<string, string | number>>): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [
    line(columns),
    ...rows.map((row) => line(columns.map((column) => String(row[column])))),
  ].join('\n');
}

async function main(): Promise<void> {
  const target: Target = options['functions-url']
    ? {
        functionsUrl: options['functions-url'].replace(/\/$/, ''),
        authHost: options['auth-host'] as string,
        firestoreHost: options['firestore-host'] as string,
        stop: async () => undefined,
      }
    : await startOwnPlatform();
  try {
    await run(target);
  } finally {
    await target.stop();
  }
  // firebase-admin's channels would keep the process alive.
  process.exit(process.exitCode ?? 0);
}

interface Plan {
  name: string;
  url: string;
  admitted: Array<{ role: string; token?: string }>;
  /** Refused by the guard or the schema: none of these may change a document. */
  malformed: Payload[];
  /** Accepted by the schema though hostile (`constructor` as an id…): they reach the handler. */
  accepted: Payload[];
}

/** Whether the callable's own checks (the raw-request guard, then its schema) refuse a payload. */
function refusedUpFront(
  payload: Payload,
  schema: z.ZodType | undefined,
  guard: (request: { method: string; headers: Record<string, string>; body: unknown }) => unknown,
): boolean {
  if (payload.refused) return true;
  let body: unknown;
  try {
    body = JSON.parse(payload.body());
  } catch {
    return true;
  }
  const headers = { 'content-type': payload.contentType ?? 'application/json' };
  if (guard({ method: 'POST', headers, body })) return true;
  if (!schema) return false;
  try {
    return !schema.safeParse((body as { data: unknown }).data).success;
  } catch {
    return false;
  }
}

async function run(target: Target): Promise<void> {
  process.env.GCLOUD_PROJECT = projectId;
  process.env.FIRESTORE_EMULATOR_HOST = target.firestoreHost;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = target.authHost;
  process.env.METADATA_SERVER_DETECTION = 'none';
  // The functions module lists the callables and their schemas; it initialises firebase-admin,
  // which the document snapshots then use.
  const index = (await import('../src/index')) as Record<string, unknown>;
  const { rawRequestProblem } = await import('../src/lib/callable');
  const { callableInputSchemas } = await import('../src/contract');
  const { z } = await import('zod');
  const only = options.only?.split(',');
  const names = Object.entries(index)
    .filter(
      ([, fn]) =>
        (fn as { __endpoint?: { callableTrigger?: unknown } }).__endpoint?.callableTrigger,
    )
    .map(([name]) => name)
    .filter((name) => !only || only.includes(name))
    .sort();
  const everyone = await callers(target.authHost);

  const plans: Plan[] = [];
  for (const [position, name] of names.entries()) {
    const url = `${target.functionsUrl}/${projectId}/${region}/${name}`;
    // Callers the role check lets through reach validation and the handler; the others are
    // still sent a share of payloads.
    const probes = await Promise.all(
      everyone.map((caller) =>
        send(url, { kind: 'probe', body: () => '{"data":{}}' }, caller.token),
      ),
    );
    const admitted = everyone.filter((_caller, i) => ![401, 403].includes(probes[i]?.status ?? 0));
    const schema: z.ZodType | undefined =
      callableInputSchemas[name as keyof typeof callableInputSchemas];
    let jsonSchema: JsonSchema | undefined;
    try {
      jsonSchema = schema
        ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
        : undefined;
    } catch {
      jsonSchema = undefined;
    }
    const planStarted = performance.now();
    const plan: Plan = { name, url, admitted, malformed: [], accepted: [] };
    for (let round = 0; plan.malformed.length < payloadsPerCallable && round < 5; round++) {
      const sample = fc.sample(payloadsFor(jsonSchema), {
        numRuns: payloadsPerCallable,
        seed: seed + position * 10 + round,
      });
      for (const payload of sample) {
        if (refusedUpFront(payload, schema, rawRequestProblem)) {
          if (plan.malformed.length < payloadsPerCallable) plan.malformed.push(payload);
        } else if (plan.accepted.length < acceptedPerCallable) plan.accepted.push(payload);
      }
    }
    plans.push(plan);
    process.stderr.write(
      `planned ${name}: ${plan.malformed.length} malformed, ${plan.accepted.length} accepted ` +
        `(${Math.round(performance.now() - planStarted)} ms)\n`,
    );
  }

  const collections = collectionNames();
  const control = async (path: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(`${target.functionsUrl}/__platform/${path}`, { method: 'POST' });
      } catch (error) {
        if (attempt === 2) throw error;
      }
    }
  };
  const idle = () => control('idle');
  // The minutely roll-up of the seeded figures must not be mistaken for a write of the run.
  await control('schedule/rollupRates');
  await idle();
  const before = await documentHashes(collections);

  const answers: Answer[] = [];
  const sendAll = async (phase: 'malformed' | 'accepted') => {
    for (const plan of plans) {
      const payloads = plan[phase];
      await pool(
        payloads.map((payload, index) => ({ payload, index })),
        concurrency,
        async ({ payload, index }) => {
          const callers = plan.admitted.length > 0 && index % 5 !== 0 ? plan.admitted : everyone;
          const caller = callers[index % callers.length] as (typeof everyone)[number];
          const answer = await send(plan.url, payload, caller.token);
          answers.push({
            callable: plan.name,
            phase,
            kind: payload.kind,
            role: caller.role,
            token: caller.token,
            payload,
            ...answer,
          });
        },
      );
      const mine = answers.filter((a) => a.callable === plan.name && a.phase === phase);
      process.stderr.write(
        `${plan.name} (${phase}): ${mine.length} sent, ` +
          `${mine.filter((a) => a.status >= 500).length} internal, ` +
          `${mine.filter((a) => a.ms > slowMs).length} slow\n`,
      );
    }
  };

  const started = performance.now();
  await sendAll('malformed');
  await idle();
  const afterMalformed = await documentHashes(collections);
  const changed = changedDocuments(before, afterMalformed);
  await sendAll('accepted');
  await idle();
  const acceptedChanged = changedDocuments(afterMalformed, await documentHashes(collections));
  const seconds = (performance.now() - started) / 1000;

  // On a busy machine an answer can be late for reasons of its own: a slow answer counts when it
  // is slow again sent alone.
  const firstTrySlow = answers.filter((answer) => answer.ms > slowMs || answer.status === 0);
  for (const answer of firstTrySlow) {
    const again = await send(
      `${target.functionsUrl}/${projectId}/${region}/${answer.callable}`,
      answer.payload,
      answer.token,
    );
    answer.retryMs = again.ms;
    if (again.status === 0) answer.status = 0;
  }

  const isInternal = (answer: Answer) => answer.status >= 500 || answer.errorStatus === 'INTERNAL';
  const isSlow = (answer: Answer) =>
    answer.status === 0 || (answer.ms > slowMs && (answer.retryMs ?? 0) > slowMs);
  const rows = names.map((name) => {
    const mine = answers.filter((answer) => answer.callable === name);
    const count = (test: (answer: Answer) => boolean) => mine.filter(test).length;
    return {
      callable: name,
      malformed: count((a) => a.phase === 'malformed'),
      accepted: count((a) => a.phase === 'accepted'),
      'HTTP 400': count((a) => a.status === 400),
      '401/403': count((a) => a.status === 401 || a.status === 403),
      '404/409/412': count((a) => [404, 409, 412].includes(a.status)),
      '2xx': count((a) => a.status >= 200 && a.status < 300),
      other: count(
        (a) => ![200, 400, 401, 403, 404, 409, 412].includes(a.status) && !isInternal(a),
      ),
      internal: count(isInternal),
      'late once': count((a) => a.ms > slowMs),
      slow: count(isSlow),
      'max ms': Math.round(Math.max(0, ...mine.map((a) => a.retryMs ?? a.ms))),
    };
  });
  print(table(rows));
  const bad = answers.filter((answer) => isInternal(answer) || isSlow(answer));
  for (const answer of bad.slice(0, 30)) {
    print(
      `${isInternal(answer) ? 'INTERNAL' : 'SLOW'} ${answer.callable} as ${answer.role} ` +
        `[${answer.kind}] ${answer.status} ${answer.errorStatus} ${Math.round(answer.ms)} ms` +
        `${answer.retryMs === undefined ? '' : ` (alone ${Math.round(answer.retryMs)} ms)`}: ` +
        JSON.stringify(answer.payload.body().slice(0, 160)),
    );
  }
  for (const path of changed.slice(0, 20)) print(`CHANGED by a malformed payload: ${path}`);
  const kinds = new Map<string, number>();
  for (const answer of answers) kinds.set(answer.kind, (kinds.get(answer.kind) ?? 0) + 1);
  print(`payload kinds: ${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  print(
    `${answers.length} requests in ${seconds.toFixed(0)} s at concurrency ${concurrency}; ` +
      `${firstTrySlow.length} answers over ${slowMs} ms at first, ` +
      `${answers.filter(isSlow).length} again when sent alone; ` +
      `documents changed by accepted payloads (legitimate requests): ${acceptedChanged.length}`,
  );
  const result = {
    callables: names.length,
    payloads: answers.length,
    internal: answers.filter(isInternal).length,
    slow: answers.filter(isSlow).length,
    writes: changed.length,
  };
  print(`RESULT ${JSON.stringify(result)}`);
  if (result.internal > 0 || result.slow > 0 || result.writes > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
