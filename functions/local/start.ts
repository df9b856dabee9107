/**
 * `npm start`: the platform locally, offline. Prints the URLs, the demo logins and `READY` once
 * everything answers. `--seed-only` (npm run seed) wipes the local data, seeds the demo township
 * and exits. Options: --data-dir DIR (default .data/local), --base-port N.
 */
import { resolve } from 'node:path';
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
  const platform = await startPlatform({
    dataDir: values['data-dir'] as string,
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
  console.log(platform.seeded ? 'seeded the demo township (first start)' : 'loaded saved data');
  console.log(`demo logins (password ${demoPassword}):`);
  for (const account of demoAccounts()) {
    console.log(`  ${account.label.padEnd(24, '　')} ${account.email ?? `${account.phone}（短信验证码见登录页）`}`);
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
