/**
 * `npm run bench:load`: mixed reads and writes against the local platform at a stated rate, as
 * donors browsing and giving would make them: listPublicNeeds (half), getPublicNeed (three in
 * ten) and donate (two in ten, one yuan to an open money need, a fresh request id each).
 *
 * By default it starts its own instance (`functions/local/start.ts`, ports from 7950, data in
 * .data/bench-load, seeded on its first run) and stops it at the end; `--web URL` targets a
 * running platform instead (its `local.json` names the Auth emulator and the functions host).
 * Requests are sent open-loop on a fixed schedule (a slow answer does not slow the sender), at
 * most --max-in-flight at once, each with a timeout; latencies are measured per call.
 *
 * Prints a table per callable, the platform's resident memory over the run, and a final
 * `RESULT {"rps":…,"p95_ms":…,"errors":…,"rss_growth_mb":…}`.
 *
 * Options: --rate 20 --duration 60 --donors 10 --base-port 7950 --data-dir DIR --fresh
 *          --web URL --max-in-flight 200 --timeout-ms 10000
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { holderOf } from '../local/platform';
import { untilReady } from '../local/untilReady';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '20' },
    duration: { type: 'string', default: '60' },
    donors: { type: 'string', default: '10' },
    'base-port': { type: 'string', default: '7950' },
    'data-dir': { type: 'string', default: resolve(__dirname, '../../.data/bench-load') },
    fresh: { type: 'boolean', default: false },
    web: { type: 'string' },
    'max-in-flight': { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '10000' },
  },
});
const rate = Number(values.rate);
const durationS = Number(values.duration);
const maxInFlight = Number(values['max-in-flight']);
const timeoutMs = Number(values['timeout-ms']);

interface Target {
  auth: string;
  functions: string;
  projectId: string;
  region: string;
  functionsPort: number;
  authPort: number;
}

type Op = 'listPublicNeeds' | 'getPublicNeed' | 'donate';
interface Sample {
  op: Op;
  ms: number;
  outcome: 'ok' | 'refused' | 'error';
  detail?: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Resident memory of a local process in MB (Linux /proc), or NaN. */
function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
  } catch {
    return NaN;
  }
}
/** CPU time (user + system) a local process has used, in ms, or NaN. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()?.trim().split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields?.[11]) + Number(fields?.[12])) * 10;
  } catch {
    return NaN;
  }
}
const pidOnPort = (port: number) => Number(/^(\d+)/.exec(holderOf(port) ?? '')?.[1]) || undefined;

async function startOwnPlatform(): Promise<{ child: ChildProcess; web: string }> {
  const root = resolve(__dirname, '../..');
  const args = [
    require.resolve('tsx/cli'),
    join(root, 'functions/local/start.ts'),
    '--data-dir',
    values['data-dir'] as string,
    '--base-port',
    values['base-port'] as string,
  ];
  if (values.fresh) args.push('--seed-only');
  if (values.fresh) {
    // --seed-only wipes, seeds and exits; the run then starts on the seeded folder.
    const seeding = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    const code = await new Promise((done) => seeding.once('exit', done));
    if (code !== 0) throw new Error('seeding failed');
    args.pop();
  }
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = await untilReady(child, 600_000).ready;
  return { child, web: /^web: (\S+)/m.exec(output)?.[1] as string };
}

async function targetOf(web: string): Promise<Target> {
  const local = (await (await fetch(`${web}/local.json`)).json()) as {
    projectId: string;
    region: string;
    authEmulatorUrl: string;
    functionsEmulator: { host: string; port: number };
  };
  return {
    auth: local.authEmulatorUrl,
    functions: `http://${local.functionsEmulator.host}:${local.functionsEmulator.port}`,
    projectId: local.projectId,
    region: local.region,
    functionsPort: local.functionsEmulator.port,
    authPort: Number(new URL(local.authEmulatorUrl).port),
  };
}

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

async function call<T>(
  target: Target,
  name: string,
  data: unknown,
  token: string,
): Promise<{ result?: T; error?: { status: string; message: string } }> {
  const response = await post(
    `${target.functions}/${target.projectId}/${target.region}/${name}`,
    { data },
    token,
  );
  return (await response.json()) as { result?: T; error?: { status: string; message: string } };
}

/** A donor as the web client makes one: phone sign-in with the emulator's SMS code, a profile. */
async function donorToken(target: Target, phoneNumber: string, name: string): Promise<string> {
  const base = `${target.auth}/identitytoolkit.googleapis.com/v1`;
  const sent = await post(`${base}/accounts:sendVerificationCode?key=demo-api-key`, {
    phoneNumber,
    recaptchaToken: 'bench',
  });
  const { sessionInfo } = (await sent.json()) as { sessionInfo: string };
  const codes = (await (
    await fetch(`${target.auth}/emulator/v1/projects/${target.projectId}/verificationCodes`)
  ).json()) as { verificationCodes: Array<{ sessionInfo: string; code: string }> };
  const code = codes.verificationCodes.find((entry) => entry.sessionInfo === sessionInfo)?.code;
  const signedIn = await post(`${base}/accounts:signInWithPhoneNumber?key=demo-api-key`, {
    sessionInfo,
    code,
  });
  const { idToken } = (await signedIn.json()) as { idToken?: string };
  if (!idToken) throw new Error(`cannot sign in ${phoneNumber}`);
  const saved = await call(target, 'saveDonorProfile', { kind: 'person', name }, idToken);
  if (saved.error)
    throw new Error(`cannot save the profile of ${phoneNumber}: ${saved.error.message}`);
  return idToken;
}

interface ListedNeed {
  id: string;
  kind?: string;
  amountFen?: number;
  raisedFen?: number;
  /** What a new pledge may still take (target − raised − held). */
  remainingFen?: number;
}

async function heapMb(target: Target): Promise<number> {
  try {
    const response = await fetch(`${target.functions}/__platform/memory`);
    return ((await response.json()) as { heapUsed: number }).heapUsed / 2 ** 20;
  } catch {
    return NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  let own: { child: ChildProcess; web: string } | undefined;
  if (!values.web) {
    if (!existsSync(values['data-dir'] as string))
      console.log('first run: the platform seeds the demo township (a few minutes)…');
    own = await startOwnPlatform();
  }
  const web = (values.web ?? own?.web) as string;
  try {
    await run(await targetOf(web), web);
  } finally {
    if (own && own.child.exitCode === null) {
      own.child.kill('SIGTERM');
      await new Promise((done) => own?.child.once('exit', done));
    }
  }
}

async function run(target: Target, web: string): Promise<void> {
  const donorCount = Number(values.donors);
  const phones = Array.from({ length: donorCount }, (_, index) =>
    index < 3
      ? `+861380000000${index + 1}` // the demo donors
      : `+86139500${String(index).padStart(5, '0')}`,
  );
  const tokens: string[] = [];
  for (const [index, phone] of phones.entries())
    tokens.push(await donorToken(target, phone, `压测爱心人士${index + 1}`));

  // What there is to browse and give to.
  const needs: ListedNeed[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    const listed = await call<{ needs: ListedNeed[]; next: string | null }>(
      target,
      'listPublicNeeds',
      { pageSize: 50, ...(after ? { after } : {}) },
      tokens[0] as string,
    );
    if (listed.error) throw new Error(`listPublicNeeds: ${listed.error.message}`);
    needs.push(...(listed.result?.needs ?? []));
    if (!listed.result?.next) break;
    after = listed.result.next;
  }
  const moneyNeeds = needs.filter(
    (need) =>
      need.kind === 'money' &&
      (need.remainingFen ?? (need.amountFen ?? 0) - (need.raisedFen ?? 0)) >= 10_000,
  );
  if (needs.length === 0 || moneyNeeds.length === 0)
    throw new Error('no published needs to browse or give to');
  const villages = Array.from(
    { length: 10 },
    (_, i) => `5205261052${String(i + 1).padStart(2, '0')}`,
  );
  const pick = <T>(list: T[], i: number) => list[i % list.length] as T;

  const platformPid = pidOnPort(target.functionsPort);
  const emulatorPid = pidOnPort(target.authPort);

  const send = async (i: number): Promise<Sample> => {
    const token = pick(tokens, i * 7);
    const slot = i % 10;
    const op: Op = slot < 5 ? 'listPublicNeeds' : slot < 8 ? 'getPublicNeed' : 'donate';
    const data =
      op === 'listPublicNeeds'
        ? [{}, { regionCode: '520526105' }, { regionCode: pick(villages, i) }, { pageSize: 50 }][
            i % 4
          ]
        : op === 'getPublicNeed'
          ? { needId: pick(needs, i * 13).id }
          : { requestId: randomUUID(), needId: pick(moneyNeeds, i * 17).id, amountFen: 100 };
    const started = performance.now();
    try {
      const answer = await call(target, op, data, token);
      const ms = performance.now() - started;
      if (!answer.error) return { op, ms, outcome: 'ok' };
      // A covered or closed need refuses a gift: a correct answer a donor would get.
      if (op === 'donate' && answer.error.status === 'FAILED_PRECONDITION')
        return { op, ms, outcome: 'refused' };
      return { op, ms, outcome: 'error', detail: answer.error.status };
    } catch (error) {
      const name = (error as Error).name;
      return {
        op,
        ms: performance.now() - started,
        outcome: 'error',
        detail: name === 'TimeoutError' ? 'timeout' : 'transport',
      };
    }
  };

  // Warm-up: the first calls of each function load code and fill caches.
  for (let i = 0; i < 20; i++) await send(i);
  await fetch(`${target.functions}/__platform/idle`, { method: 'POST' }).catch(() => undefined);
  const rssBefore = rssMb(platformPid);
  const emulatorBefore = rssMb(emulatorPid);
  const cpuBefore = cpuMs(platformPid);
  const heapBefore = await heapMb(target);
  const emulatorCpuBefore = cpuMs(emulatorPid);

  const total = Math.round(rate * durationS);
  const samples: Sample[] = [];
  const memory: Array<[number, number]> = [[0, rssBefore]];
  let inFlight = 0;
  let skipped = 0;
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  let nextMemory = 5000;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const elapsed = performance.now() - start;
    if (elapsed >= nextMemory) {
      memory.push([Math.round(elapsed / 1000), rssMb(platformPid)]);
      nextMemory += 5000;
    }
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    pending.push(
      send(i + 20).then((sample) => {
        inFlight--;
        samples.push(sample);
      }),
    );
  }
  await Promise.all(pending);
  const loadMs = performance.now() - start;
  const settleStart = performance.now();
  await fetch(`${target.functions}/__platform/idle`, {
    method: 'POST',
    signal: AbortSignal.timeout(300_000),
  }).catch(() => undefined);
  const settleMs = performance.now() - settleStart;
  const rssAfter = rssMb(platformPid);
  const heapAfter = await heapMb(target);
  const cpuPerRequest = (cpuMs(platformPid) - cpuBefore) / Math.max(1, samples.length);
  const emulatorCpuPerRequest =
    (cpuMs(emulatorPid) - emulatorCpuBefore) / Math.max(1, samples.length);
  memory.push([Math.round((performance.now() - start) / 1000), rssAfter]);

  const rows: string[][] = [
    ['call', 'sent', 'ok', 'refused', 'errors', 'p50 ms', 'p95 ms', 'max ms'],
  ];
  for (const op of ['listPublicNeeds', 'getPublicNeed', 'donate', 'all'] as const) {
    const of = samples.filter((sample) => op === 'all' || sample.op === op);
    const ms = of.map((sample) => sample.ms).sort((a, b) => a - b);
    rows.push([
      op,
      String(of.length),
      String(of.filter((s) => s.outcome === 'ok').length),
      String(of.filter((s) => s.outcome === 'refused').length),
      String(of.filter((s) => s.outcome === 'error').length),
      percentile(ms, 50).toFixed(0),
      percentile(ms, 95).toFixed(0),
      (ms.at(-1) ?? NaN).toFixed(0),
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log(`\n${web}: ${rate} requests/s for ${durationS} s, ${tokens.length} donors`);
  for (const row of rows)
    console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
  const errorKinds = new Map<string, number>();
  for (const sample of samples.filter((s) => s.outcome === 'error'))
    errorKinds.set(
      `${sample.op} ${sample.detail}`,
      (errorKinds.get(`${sample.op} ${sample.detail}`) ?? 0) + 1,
    );
  if (errorKinds.size > 0) console.log('errors:', Object.fromEntries(errorKinds));
  if (skipped > 0) console.log(`not sent (over ${maxInFlight} in flight): ${skipped}`);
  console.log(
    `platform RSS (MB) by second: ${memory.map(([s, mb]) => `${s}s ${mb.toFixed(0)}`).join(', ')}`,
  );
  console.log(
    `emulator child RSS: ${emulatorBefore.toFixed(0)} → ${rssMb(emulatorPid).toFixed(0)} MB; ` +
      `triggers settled ${settleMs.toFixed(0)} ms after the last answer`,
  );
  console.log(
    `platform heap used: ${heapBefore.toFixed(0)} → ${heapAfter.toFixed(0)} MB (after the triggers settled)`,
  );
  console.log(
    `CPU per request, triggers included: platform ${cpuPerRequest.toFixed(1)} ms, ` +
      `emulator child ${emulatorCpuPerRequest.toFixed(1)} ms ` +
      `(${rate} requests/s need ${((cpuPerRequest * rate) / 1000).toFixed(2)} of a core in the platform's one thread)`,
  );

  const all = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const answered = samples.filter((sample) => sample.outcome !== 'error').length;
  const result = {
    rps: Number((answered / (loadMs / 1000)).toFixed(1)),
    p95_ms: Math.round(percentile(all, 95)),
    errors: samples.length - answered + skipped,
    rss_growth_mb: Number((rssAfter - rssBefore).toFixed(1)),
    p50_ms: Math.round(percentile(all, 50)),
    requests: total,
    rate,
    duration_s: durationS,
    settle_ms: Math.round(settleMs),
    cpu_ms_per_request: Number(cpuPerRequest.toFixed(1)),
    rss_before_mb: Math.round(rssBefore),
    rss_after_mb: Math.round(rssAfter),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
