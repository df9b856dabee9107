/**
 * Starts the local platform once for the platform test project, exactly as `npm start` does
 * (the same command, a fresh data folder and its own ports), and waits for its READY line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { untilReady } from '../../functions/local/untilReady';

// Fixed ports far from `npm start`'s, so the tests run beside a developer's platform; settable for a second run.
export const testBasePort = Number(process.env.FUPIN_TEST_BASE_PORT ?? 7300);

export default async function globalSetup(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const dataDir = mkdtempSync(join(tmpdir(), 'fupin-test-'));
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      'functions/local/start.ts',
      '--data-dir',
      dataDir,
      '--base-port',
      String(testBasePort),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    },
  );
  (globalThis as { __platform?: typeof child }).__platform = child;
  const output = await untilReady(child).ready;
  const web = /^web: (\S+)/m.exec(output)?.[1];
  const functions = /^functions: (\S+?)\/demo-fupin/m.exec(output)?.[1];
  Object.assign(process.env, {
    FUPIN_TEST_DATA_DIR: dataDir,
    FUPIN_WEB_URL: web,
    FUPIN_FUNCTIONS_URL: functions,
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${testBasePort}`,
    FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${testBasePort + 1}`,
    GCLOUD_PROJECT: 'demo-fupin',
  });
}
