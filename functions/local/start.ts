/**
 * `npm start`: the platform locally, offline. Prints the URLs, the demo logins and `READY` once
 * everything answers. `--seed-only` (npm run seed) wipes the local data, seeds the demo township
 * and exits. Options: --data-dir DIR (default .data/local), --base-port N, --host ADDR (default
 * 127.0.0.1; 0.0.0.0 exposes the platform to the network), --no-seed (never seed: an empty data
 * dir stays empty, saved data is loaded as it is). `--empty` is a deployment started from nothing:
 * its own data dir (default .data/empty, so the demo's is left alone) holding, on its first start,
 * only the division table of the demo area; no accounts, households or needs. The first account
 * is then made with `npm run admin:first -- --local …`.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { defaultFontDir, fontManifestFile } from '../src/domain/certificate/fonts';
import { PortInUseError, startPlatform, type Platform } from './platform';
import { demoAccounts, demoPassword } from './demoTownship';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'base-port': { type: 'string' },
      'seed-only': { type: 'boolean', default: false },
      'no-seed': { type: 'boolean', default: false },
      empty: { type: 'boolean', default: false },
      host: { type: 'string', default: '127.0.0.1' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const seedOnly = values['seed-only'] === true;
  const empty = values.empty === true;
  const dataDir =
    values['data-dir'] ?? resolve(__dirname, '../../.data', empty ? 'empty' : 'local');
  const functionLog = join(dataDir, 'functions.log');
  ensureFonts();
  if (!values.verbose) routeFunctionLogs(dataDir, functionLog);
  const ancestors = ancestorsOf(process.pid);
  const running: { platform?: Platform } = {};
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('stopping: saving data…');
    const killer = setTimeout(() => process.exit(code || 1), 20_000);
    killer.unref();
    // Before READY there is nothing to stop in order: the emulator child ends with this process.
    await running.platform?.stop().catch((error: unknown) => console.error(error));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stop(0));
  // npm and tsx run this process under two or three parents; `kill` of npm or `kill -9` of any of
  // them would leave it running and holding the ports. It stops, saving, when one of them goes.
  setInterval(() => {
    if (ancestors.some((pid) => !alive(pid))) void stop(0);
  }, 500).unref();
  const platform = await startPlatform({
    dataDir,
    basePort: values['base-port'] ? Number(values['base-port']) : undefined,
    host: values.host as string,
    seed: seedOnly ? 'fresh' : values['no-seed'] ? 'never' : 'if-empty',
    empty,
    log: values.verbose ? (line) => process.stderr.write(line) : undefined,
    onBroken: (reason) => {
      console.error(`ERROR ${reason}: stopping the platform`);
      void stop(1);
    },
  });
  running.platform = platform;
  if (seedOnly) {
    await platform.stop();
    console.log(`seeded the demo township into ${dataDir}`);
    return;
  }
  if (platform.host !== '127.0.0.1' && platform.host !== '::1')
    console.log(
      `WARNING listening on ${platform.host}: anyone on the network can reach this platform, which has no security rules and demo accounts with a known password`,
    );
  console.log(`web: ${platform.urls.web}`);
  console.log(`functions: ${platform.urls.functions}/demo-fupin/asia-east2/{name}`);
  console.log(`auth emulator: ${platform.urls.auth}   firestore: ${platform.urls.firestore}`);
  console.log(`payment sandbox (stands in for Alipay): ${platform.urls.payments}`);
  if (!values.verbose)
    console.log(`function logs (structured, as in Cloud Logging): ${functionLog}`);
  if (empty) {
    console.log(
      platform.seeded
        ? `started from nothing in ${dataDir}: the division table only, no demo township`
        : `loaded saved data from ${dataDir} (no demo township)`,
    );
    console.log(
      `first account: npm run admin:first -- --local${values['base-port'] ? ` --base-port ${values['base-port']}` : ''} --role county_admin --region 520526 --phone +86138xxxxxxxx --name 姓名`,
    );
  } else {
    console.log(platform.seeded ? 'seeded the demo township (first start)' : 'loaded saved data');
    console.log(`demo logins (password ${demoPassword}):`);
    for (const account of demoAccounts()) {
      console.log(
        `  ${account.email ?? `${account.phone} (SMS code shown on the sign-in page)`}  ${account.label}`,
      );
    }
  }
  console.log('READY');
}

/**
 * The certificate fonts are generated (gitignored), and without them no gift ever gets its
 * certificate: `npm install && npm start` must build them, as `npm test` does.
 */
function ensureFonts(): void {
  if (existsSync(join(defaultFontDir, fontManifestFile))) return;
  console.log('building the certificate fonts (first start)…');
  const built = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), resolve(__dirname, '../scripts/buildFont.ts')],
    { stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error('could not build the certificate fonts');
}

/**
 * The processes that launched this one for `npm start` (tsx, the script's `sh -c`, npm), nearest
 * first, up to the first that is something else (the user's shell, a supervisor), which may
 * legitimately exit and leave the platform running in the background.
 */
function ancestorsOf(pid: number): number[] {
  const chain: number[] = [];
  let current = pid;
  for (let depth = 0; depth < 6; depth++) {
    const stat = `/proc/${current}/stat`;
    if (!existsSync(stat)) break;
    // Fields after the command (which may hold spaces) start after the last ')'.
    const parent = Number(readFileSync(stat, 'utf8').split(')').pop()?.trim().split(' ')[1]);
    if (!parent || parent <= 1 || !isLauncher(parent)) break;
    chain.push(parent);
    current = parent;
  }
  if (chain.length === 0 && !existsSync('/proc') && process.ppid > 1) chain.push(process.ppid);
  return chain;
}

function isLauncher(pid: number): boolean {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (comm === 'node' || comm.startsWith('npm') || comm.startsWith('tsx')) return true;
    return /(^|\/)(sh|dash|bash)$/.test(argv[0] ?? '') && argv[1] === '-c';
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The functions' structured logs (one JSON object a line, as Cloud Logging receives them) go to a
 * file, so the terminal keeps the platform's own lines. firebase-functions keeps the console
 * methods it finds when it loads, so this runs before the functions are loaded.
 */
function routeFunctionLogs(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true });
  const sink = createWriteStream(file, { flags: 'a' });
  for (const method of ['debug', 'info', 'log', 'warn', 'error'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const line = format(...args);
      if (line.startsWith('{') && line.includes('"severity"')) sink.write(`${line}\n`);
      else original(...args);
    };
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof PortInUseError ? `ERROR ${error.message}` : error);
  process.exit(1);
});
