/**
 * A platform of a test file's own, started `--empty` (the division table only, no demo township)
 * on ports from the run's base + `offset`, for tests whose data would change what the shared
 * platform's tests count (another village in the demo township moves its rates and lists). While
 * it runs, the helpers of ./platform (call, signInByPhone, adminDb…) talk to it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { untilReady } from '../../functions/local/untilReady';
import { testBasePort } from './globalSetup';
import { call, newRequestId, signInByPhone } from './platform';

const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');

export interface OwnPlatform {
  base: number;
  dataDir: string;
  /** What the platform printed up to READY. */
  output: string;
  /** A documented admin command (`npm run admin:<command> -- …`) run against this platform. */
  admin(command: 'first' | 'regions', args: string[]): { status: number | null; output: string };
  stop(): Promise<void>;
}

export async function startOwnPlatform(offset: number): Promise<OwnPlatform> {
  const base = testBasePort + offset;
  const dataDir = mkdtempSync(join(tmpdir(), 'fupin-own-'));
  const savedEnv = { ...process.env };
  const child = spawn(
    process.execPath,
    [tsx, 'functions/local/start.ts', '--empty', '--data-dir', dataDir, '--base-port', `${base}`],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: savedEnv },
  );
  const output = await untilReady(child).ready;
  Object.assign(process.env, {
    FUPIN_FUNCTIONS_URL: `http://127.0.0.1:${base + 2}`,
    FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${base + 1}`,
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${base}`,
  });
  return {
    base,
    dataDir,
    output,
    admin(command, args) {
      const run = spawnSync(
        process.execPath,
        [tsx, 'functions/scripts/admin.ts', command, '--local', '--base-port', `${base}`, ...args],
        { cwd: root, env: savedEnv, encoding: 'utf8', timeout: 60_000 },
      );
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        process.kill(-(child.pid as number), 'SIGTERM');
        await exited;
      }
      process.env = savedEnv;
    },
  };
}

export interface StaffToAppoint {
  phone: string;
  name: string;
  role: 'county_admin' | 'township_admin' | 'village_admin' | 'helper';
  regionCode: string;
}

const appointedBy: Record<StaffToAppoint['role'], StaffToAppoint['role'] | undefined> = {
  county_admin: undefined,
  township_admin: 'county_admin',
  village_admin: 'township_admin',
  helper: 'township_admin',
};

/**
 * Staff from nothing, as a real roll-out makes them: the first by `admin:first`, each next one
 * appointed (appointStaff) by the first listed of the office above it. Each one's ID token, by phone.
 */
export async function staffFromNothing(
  platform: OwnPlatform,
  [first, ...rest]: [StaffToAppoint, ...StaffToAppoint[]],
): Promise<Record<string, string>> {
  const made = platform.admin('first', [
    '--role',
    first.role,
    '--region',
    first.regionCode,
    '--phone',
    first.phone,
    '--name',
    first.name,
  ]);
  if (made.status !== 0) throw new Error(made.output);
  const tokens: Record<string, string> = { [first.phone]: await signInByPhone(first.phone) };
  const byRole: Partial<Record<StaffToAppoint['role'], string>> = {
    [first.role]: tokens[first.phone],
  };
  for (const staff of rest) {
    const appointer = byRole[appointedBy[staff.role] ?? staff.role];
    const { error } = await call(
      'appointStaff',
      { requestId: newRequestId(), ...staff },
      appointer,
    );
    if (error) throw new Error(`cannot appoint ${staff.role}: ${error.status} ${error.message}`);
    tokens[staff.phone] = await signInByPhone(staff.phone);
    byRole[staff.role] ??= tokens[staff.phone];
  }
  return tokens;
}
