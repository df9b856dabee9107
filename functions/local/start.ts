/**
 * `npm start`: the platform locally, offline. Prints the URLs, the demo logins and `READY` once
 * everything answers. `--seed-only` (npm run seed) wipes the local data, seeds the demo township
 * and exits. Options: --data-dir DIR (default .data/local), --base-port N.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { parseArgs } from 'node:util';
import { startPlatform } from './platform';
import { demoAccounts, demoPassword } from './demoTownship';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: resolve(__dirname, '../../.data/local') },
      'base-port': { type: 'string' },
      'seed-only': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const seedOnly = values['seed-only'] === true;
  const dataDir = values['data-dir'] as string;
  const functionLog = join(dataDir, 'functions.log');
  if (!values.verbose) routeFunctionLogs(dataDir, functionLog);
  const platform = await startPlatform({
    dataDir,
    basePort: values['base-port'] ? Number(values['base-port']) : undefined,
    seed: seedOnly ? 'fresh' : 'if-empty',
    log: values.verbose ? (line) => process.stderr.write(line) : undefined,
  });
  if (seedOnly) {
    await platform.stop();
    console.log(`seeded the demo township into ${values['data-dir']}`);
    return;
  }
  console.log(`web: ${platform.urls.web}`);
  console.log(`functions: ${platform.urls.functions}/demo-fupin/asia-east2/{name}`);
  console.log(`auth emulator: ${platform.urls.auth}   firestore: ${platform.urls.firestore}`);
  if (!values.verbose)
    console.log(`function logs (structured, as in Cloud Logging): ${functionLog}`);
  console.log(platform.seeded ? 'seeded the demo township (first start)' : 'loaded saved data');
  console.log(`demo logins (password ${demoPassword}):`);
  for (const account of demoAccounts()) {
    console.log(
      `  ${account.email ?? `${account.phone} (SMS code shown on the sign-in page)`}  ${account.label}`,
    );
  }
  console.log('READY');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping: saving data…');
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
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
  console.error(error);
  process.exit(1);
});
