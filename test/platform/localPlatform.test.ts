/**
 * The local platform as a process: what it answers to malformed requests, where it listens, and
 * what survives when it is stopped, killed, or run twice on one machine. Besides the shared
 * platform of the test run, these tests start their own instances (ports from the run's base
 * + 20, empty data folders, no demo seed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testBasePort } from '../support/globalSetup';
import { holderOf } from '../../functions/local/platform';
import { untilReady } from '../../functions/local/untilReady';

const root = resolve(__dirname, '../..');
const functionsUrl = () => process.env.FUPIN_FUNCTIONS_URL as string;

interface Instance {
  child: ChildProcess;
  basePort: number;
  dataDir: string;
  output: () => string;
  ready: Promise<string>;
  exited: Promise<number | null>;
}

function startInstance(basePort: number, dataDir: string, launcher: 'node' | 'sh' = 'node') {
  const command = [
    process.execPath,
    join(root, 'node_modules/tsx/dist/cli.mjs'),
    'functions/local/start.ts',
    '--data-dir',
    dataDir,
    '--base-port',
    String(basePort),
    '--no-seed',
  ];
  // `sh -c 'true && …'` keeps the shell between, as npm's script shell does.
  const child =
    launcher === 'sh'
      ? spawn('sh', ['-c', `true && ${command.map((part) => `'${part}'`).join(' ')}`], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(command[0] as string, command.slice(1), {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const { ready, output } = untilReady(child);
  return { child, basePort, dataDir, output, ready, exited } as Instance;
}

const freshDir = () => mkdtempSync(join(tmpdir(), 'fupin-lifecycle-'));
const authBase = (instance: Instance) =>
  `http://127.0.0.1:${instance.basePort + 1}/identitytoolkit.googleapis.com/v1`;

async function signUp(instance: Instance, email: string): Promise<void> {
  const response = await fetch(`${authBase(instance)}/accounts:signUp?key=demo-api-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'secret-123', returnSecureToken: true }),
  });
  if (!response.ok) throw new Error(`sign-up of ${email} answered ${response.status}`);
}

async function signsIn(instance: Instance, email: string): Promise<boolean> {
  const response = await fetch(`${authBase(instance)}/accounts:signInWithPassword?key=x`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'secret-123', returnSecureToken: true }),
  });
  return response.ok && Boolean(((await response.json()) as { idToken?: string }).idToken);
}

function savedEmails(dataDir: string): string[] {
  const file = join(dataDir, 'auth/auth_export/accounts.json');
  if (!existsSync(file)) return [];
  const { users = [] } = JSON.parse(readFileSync(file, 'utf8')) as {
    users?: Array<{ email?: string }>;
  };
  return users.map((user) => user.email ?? '').sort();
}

const portFree = (port: number) =>
  new Promise<boolean>((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

async function waitFor(condition: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

async function stopped(instance: Instance, signal: NodeJS.Signals = 'SIGTERM') {
  if (instance.child.exitCode !== null) return instance.exited;
  instance.child.kill(signal);
  return instance.exited;
}

describe('the functions host', () => {
  it('answers malformed JSON with a callable JSON error, never a stack trace or a path', async () => {
    for (const path of ['/demo-fupin/asia-east2/donate', '/no/such/function']) {
      const response = await fetch(`${functionsUrl()}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"data": {"needId": ',
      });
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({
        error: { status: 'INVALID_ARGUMENT', message: expect.any(String) },
      });
      expect(text).not.toMatch(/node_modules|\/work\/|\.ts:\d|\bat \w+ \(|<html|<pre/i);
    }
    const unknown = await fetch(`${functionsUrl()}/demo-fupin/asia-east2/noSuchFunction`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"data":{}}',
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { status: string } }).error.status).toBe(
      'NOT_FOUND',
    );
  });
});

describe('where the platform listens', () => {
  it('listens on loopback only, on every port of the platform', () => {
    const ports = new Set([0, 1, 2, 3, 4, 5].map((offset) => testBasePort + offset));
    const listening: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const [, local, , state] = line.trim().split(/\s+/);
        const [address, portHex] = (local ?? '').split(':');
        if (state === '0A' && ports.has(parseInt(portHex ?? '', 16))) listening.push(address ?? '');
      }
    }
    expect(listening.length).toBeGreaterThanOrEqual(6);
    const loopback = ['0100007F', '00000000000000000000000001000000'];
    expect(listening.filter((address) => !loopback.includes(address))).toEqual([]);
  });
});

describe('instances, stops and kills', () => {
  jest.setTimeout(420_000);
  const started: Instance[] = [];
  afterAll(async () => {
    for (const instance of started) await stopped(instance, 'SIGKILL');
  });

  it('keeps the Auth accounts of two instances apart, whichever way each is stopped', async () => {
    const first = startInstance(testBasePort + 20, freshDir());
    // The second runs under a shell, as npm runs it; killing that launcher must stop it cleanly.
    const second = startInstance(testBasePort + 30, freshDir(), 'sh');
    started.push(first, second);
    await Promise.all([first.ready, second.ready]);
    await signUp(first, 'first@lifecycle.test');
    await signUp(second, 'second@lifecycle.test');

    expect(await stopped(first)).toBe(0);
    second.child.kill('SIGKILL');
    // The platform under the killed shell notices and stops, saving, freeing its ports.
    expect(await waitFor(() => portFree(second.basePort + 2), 30_000)).toBe(true);
    expect(await waitFor(() => portFree(second.basePort + 1), 5_000)).toBe(true);

    expect(savedEmails(first.dataDir)).toEqual(['first@lifecycle.test']);
    expect(savedEmails(second.dataDir)).toEqual(['second@lifecycle.test']);
  });

  it('keeps the accounts made before a kill -9, and is READY only when every part answers', async () => {
    const dataDir = freshDir();
    const basePort = testBasePort + 40;
    const before = startInstance(basePort, dataDir);
    started.push(before);
    await before.ready;
    const emails = Array.from({ length: 5 }, (_, index) => `donor${index}@lifecycle.test`);
    for (const email of emails) await signUp(before, email);
    // "At most the last second of sign-ups" may be lost: wait out that second.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const platformPid = Number(/^(\d+)/.exec(holderOf(basePort + 2) ?? '')?.[1]);
    expect(platformPid).toBeGreaterThan(0);
    process.kill(platformPid, 'SIGKILL');
    await before.exited;
    // The emulator child goes with its killed parent instead of holding the Auth port.
    expect(await waitFor(() => portFree(basePort + 1), 5_000)).toBe(true);

    const after = startInstance(basePort, dataDir);
    started.push(after);
    await after.ready;
    // READY means Auth answers now, not eventually.
    for (const email of emails) expect(await signsIn(after, email)).toBe(true);
    expect(await stopped(after)).toBe(0);
    expect(savedEmails(dataDir)).toEqual(emails.sort());
  });

  it('refuses to start, naming the port, when another process holds one of its ports', async () => {
    const basePort = testBasePort + 50;
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(basePort + 1, '127.0.0.1', done));
    try {
      const refused = startInstance(basePort, freshDir());
      started.push(refused);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(`端口 ${basePort + 1}`);
      expect(refused.output()).toContain(`port ${basePort + 1} is in use`);
      expect(refused.output()).not.toMatch(/^READY$/m);
    } finally {
      squatter.close();
    }
  });
});
