/**
 * The official Auth and Hosting emulators from firebase-tools, started as a child process with a
 * generated config (ports of this platform, the web client folder to serve). Neither needs Java.
 * Auth accounts are exported on exit and imported on the next start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface EmulatorOptions {
  projectId: string;
  dataDir: string;
  publicDir: string;
  authPort: number;
  hostingPort: number;
  /** Two more ports firebase-tools reserves (hub, logging). */
  hubPort: number;
  loggingPort: number;
  log: (line: string) => void;
}

export class OfficialEmulators {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly options: EmulatorOptions) {}

  async start(timeoutMs = 90_000): Promise<void> {
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
          auth: { host: '127.0.0.1', port: o.authPort },
          hosting: { host: '127.0.0.1', port: o.hostingPort },
          hub: { host: '127.0.0.1', port: o.hubPort },
          logging: { host: '127.0.0.1', port: o.loggingPort },
          ui: { enabled: false },
        },
      }),
    );
    const authData = join(o.dataDir, 'auth');
    await mkdir(authData, { recursive: true });
    const args = [
      require.resolve('firebase-tools/lib/bin/firebase.js'),
      'emulators:start',
      '--only',
      'auth,hosting',
      '--project',
      o.projectId,
      '--config',
      configFile,
      '--export-on-exit',
      authData,
    ];
    if (existsSync(join(authData, 'firebase-export-metadata.json')))
      args.push('--import', authData);
    const child = spawn(process.execPath, args, {
      cwd: o.dataDir,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', FIREBASE_CLI_EXPERIMENTS: '', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Never leave an orphaned emulator holding the ports if this process dies.
    process.once('exit', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdout?.on('data', (chunk: Buffer) => o.log(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => o.log(chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`firebase emulators exited with code ${child.exitCode}`);
      if (
        (await answers(`http://127.0.0.1:${o.authPort}/`)) &&
        (await answers(`http://127.0.0.1:${o.hostingPort}/`))
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the Auth and Hosting emulators did not answer in time');
  }

  /** Stops the emulators; Auth accounts are exported first. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGINT');
    const killer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(killer);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    return response.status < 500;
  } catch {
    return false;
  }
}
