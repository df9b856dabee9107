/**
 * The official Auth and Hosting emulators from firebase-tools, started as a child process with a
 * generated config (ports of this platform, the web client folder to serve). Neither needs Java.
 *
 * Auth accounts are saved by this process, not by firebase-tools' export-on-exit:
 * - firebase-tools finds "the" running emulators of a project through a locator file
 *   `hub-<projectId>.json` in os.tmpdir(), so two instances of the platform (npm start beside
 *   npm test) exported each other's accounts; the child gets a TMPDIR of its own in the data folder;
 * - an export only on exit loses every sign-up of a killed process, so the accounts are read over
 *   the emulator's REST API every second and written when they changed (write, then rename);
 * - a save never replaces saved accounts with none: an emulator that answers with no accounts
 *   while accounts were imported has lost them, and saving that would lose them for good.
 * The saved folder keeps firebase-tools' export layout, so `firebase emulators:start --import`
 * reads it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface EmulatorOptions {
  projectId: string;
  dataDir: string;
  publicDir: string;
  /** Address the emulators listen on (127.0.0.1 unless the platform is exposed on purpose). */
  host: string;
  authPort: number;
  hostingPort: number;
  /** Two more ports firebase-tools reserves (hub, logging). */
  hubPort: number;
  loggingPort: number;
  log: (line: string) => void;
  /** Called once if the child exits while the platform still runs. */
  onUnexpectedExit?: (code: number | null) => void;
}

/**
 * Loaded into the emulator child before firebase-tools: the child ends with its parent even when
 * the parent is killed with SIGKILL and cannot stop it, so no orphan keeps holding the ports.
 * The parent holds the write end of the child's stdin; the kernel closes it when the parent dies.
 */
const parentGuard = `'use strict';
const parent = process.ppid;
const leave = () => process.kill(process.pid, 'SIGKILL');
process.stdin.on('end', leave);
process.stdin.on('close', leave);
process.stdin.on('error', leave);
process.stdin.resume();
setInterval(() => { if (process.ppid !== parent) leave(); }, 500).unref();
`;

export const authExportFolder = 'auth_export';

export class OfficialEmulators {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private lastSaved = '';
  /** Accounts known to exist (imported or saved): an answer with none means the state is lost. */
  private knownAccounts = 0;

  constructor(private readonly options: EmulatorOptions) {}

  private get authData(): string {
    return join(this.options.dataDir, 'auth');
  }

  private get authUrl(): string {
    return `http://${connectable(this.options.host)}:${this.options.authPort}`;
  }

  async start(timeoutMs = 180_000): Promise<void> {
    const o = this.options;
    const configFile = join(o.dataDir, 'firebase.local.json');
    await writeFile(
      configFile,
      JSON.stringify({
        // firebase-tools joins `public` to the config's folder, so it must be relative.
        hosting: {
          public: relative(o.dataDir, o.publicDir) || '.',
          rewrites: [{ source: '**', destination: '/index.html' }],
        },
        emulators: {
          auth: { host: o.host, port: o.authPort },
          hosting: { host: o.host, port: o.hostingPort },
          hub: { host: '127.0.0.1', port: o.hubPort },
          logging: { host: '127.0.0.1', port: o.loggingPort },
          ui: { enabled: false },
        },
      }),
    );
    const authData = this.authData;
    await mkdir(join(authData, authExportFolder), { recursive: true });
    const childTmp = join(o.dataDir, 'tmp');
    await rm(childTmp, { recursive: true, force: true });
    await mkdir(childTmp, { recursive: true });
    const guardFile = join(childTmp, 'parent-guard.cjs');
    await writeFile(guardFile, parentGuard);

    const accountsFile = join(authData, authExportFolder, 'accounts.json');
    this.lastSaved = existsSync(accountsFile) ? readFileSync(accountsFile, 'utf8') : '';
    this.knownAccounts = accountCount(this.lastSaved);
    const args = [
      '--require',
      guardFile,
      require.resolve('firebase-tools/lib/bin/firebase.js'),
      'emulators:start',
      '--only',
      'auth,hosting',
      '--project',
      o.projectId,
      '--config',
      configFile,
    ];
    if (existsSync(join(authData, 'firebase-export-metadata.json')))
      args.push('--import', authData);
    const child = spawn(process.execPath, args, {
      cwd: o.dataDir,
      env: {
        ...process.env,
        // The hub locator file and firebase-tools' temporary export folders stay in this
        // instance's data folder, where no other instance looks.
        TMPDIR: childTmp,
        TMP: childTmp,
        TEMP: childTmp,
        NO_UPDATE_NOTIFIER: '1',
        FIREBASE_CLI_EXPERIMENTS: '',
        CI: 'true',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in the terminal reaches the platform only, which saves the
      // accounts before it stops the child (the guard still ends the child with the platform).
      detached: true,
    });
    this.child = child;
    // A clean exit of this process (not SIGKILL, which the guard covers) ends the child at once.
    process.once('exit', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code) => {
      if (!this.stopping) o.onUnexpectedExit?.(code);
    });
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => o.log(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => o.log(chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`firebase emulators exited with code ${child.exitCode}`);
      if ((await this.authAnswers()) && (await answers(`${this.hostingUrl()}/local.json`))) {
        this.saveTimer = setInterval(() => void this.save(), 1000);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the Auth and Hosting emulators did not answer in time');
  }

  hostingUrl(): string {
    return `http://${connectable(this.options.host)}:${this.options.hostingPort}`;
  }

  /** The Auth emulator of this project answers (its config endpoint, not just any server). */
  async authAnswers(): Promise<boolean> {
    try {
      const response = await fetch(
        `${this.authUrl}/emulator/v1/projects/${this.options.projectId}/config`,
        { signal: AbortSignal.timeout(2000) },
      );
      return response.ok && 'signIn' in ((await response.json()) as object);
    } catch {
      return false;
    }
  }

  /** Saves the Auth accounts now (waits for a save already under way first). */
  save(): Promise<void> {
    this.saving = this.saving
      .then(() => this.saveOnce())
      .catch((error: unknown) => {
        this.options.log(`could not save the Auth accounts: ${String(error)}\n`);
      });
    return this.saving;
  }

  private async saveOnce(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const { projectId } = this.options;
    const owner = { headers: { Authorization: 'Bearer owner' }, signal: AbortSignal.timeout(5000) };
    const accountsResponse = await fetch(
      `${this.authUrl}/identitytoolkit.googleapis.com/v1/projects/${projectId}/accounts:batchGet?maxResults=-1`,
      owner,
    );
    if (!accountsResponse.ok) throw new Error(`batchGet answered ${accountsResponse.status}`);
    const accounts = await accountsResponse.text();
    if (accounts === this.lastSaved) return;
    const count = accountCount(accounts);
    if (count === 0 && this.knownAccounts > 0) {
      this.options.log(
        `the Auth emulator lists no accounts where ${this.knownAccounts} were saved: keeping the saved ones\n`,
      );
      return;
    }
    const configResponse = await fetch(
      `${this.authUrl}/emulator/v1/projects/${projectId}/config`,
      owner,
    );
    if (!configResponse.ok) throw new Error(`config answered ${configResponse.status}`);
    const config = await configResponse.text();

    const authData = this.authData;
    const exportDir = join(authData, authExportFolder);
    await mkdir(exportDir, { recursive: true });
    // Temporary files outside the export folder: firebase-tools imports every file there whose
    // name contains "accounts".
    await writeAtomically(authData, join(exportDir, 'config.json'), config);
    await writeAtomically(authData, join(exportDir, 'accounts.json'), accounts);
    const metadata = join(authData, 'firebase-export-metadata.json');
    if (!existsSync(metadata)) {
      const { version } = JSON.parse(
        readFileSync(require.resolve('firebase-tools/package.json'), 'utf8'),
      ) as { version: string };
      await writeAtomically(
        authData,
        metadata,
        JSON.stringify({ version, auth: { version, path: authExportFolder } }),
      );
    }
    this.lastSaved = accounts;
    this.knownAccounts = Math.max(this.knownAccounts, count);
  }

  /** Stops the emulators; Auth accounts are saved first. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.saveTimer) clearInterval(this.saveTimer);
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.save();
    this.child.kill('SIGINT');
    const killer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}

function accountCount(batchGetAnswer: string): number {
  if (!batchGetAnswer) return 0;
  try {
    return ((JSON.parse(batchGetAnswer) as { users?: unknown[] }).users ?? []).length;
  } catch {
    return 0;
  }
}

async function writeAtomically(tmpDir: string, path: string, data: string): Promise<void> {
  const temporary = join(tmpDir, `.saving-${process.pid}-${Date.now()}`);
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/** An address a client can connect to: a wildcard bind is reached through loopback here. */
export function connectable(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status < 500;
  } catch {
    return false;
  }
}
