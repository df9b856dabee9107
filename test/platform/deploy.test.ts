/**
 * functions/ deploys on its own: `firebase deploy` uploads the folder (minus firebase.json's
 * `ignore`) and Cloud Build installs it with NODE_ENV=production (firebase-tools sets
 * GOOGLE_NODE_RUN_SCRIPTS empty, so no build script runs there) from functions/package-lock.json.
 * This test takes the same file list firebase-tools takes, builds lib/ as the predeploy step does,
 * installs production dependencies only (from the npm cache when it has them) in a temporary
 * folder and loads the entry point: every exported function must come out of it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import {
  functionsLockfile,
  functionsLockPath,
  npmEnv,
} from '../../functions/scripts/writeFunctionsLock';

const root = resolve(__dirname, '../..');
const functionsDir = join(root, 'functions');

/** What firebase deploy uploads: firebase-tools' own walk with firebase.json's ignore list. */
async function uploadedFiles(): Promise<string[]> {
  const config = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8')) as {
    functions: Array<{ source: string; ignore: string[] }>;
  };
  const codebase = config.functions.find((entry) => entry.source === 'functions');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readdirRecursive } = require('firebase-tools/lib/fsAsync') as {
    readdirRecursive(options: {
      path: string;
      ignoreStrings: string[];
    }): Promise<Array<{ name: string }>>;
  };
  const files = await readdirRecursive({
    path: functionsDir,
    ignoreStrings: [...(codebase?.ignore ?? []), 'firebase-debug.log', 'firebase-debug.*.log'],
  });
  return files.map((file) => relative(functionsDir, file.name)).sort();
}

function run(command: string, args: string[], cwd: string, env = npmEnv()) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

describe('functions/ deployed on its own', () => {
  it('has a lockfile derived from the root one (else: npm run lock:functions)', () => {
    expect(existsSync(functionsLockPath)).toBe(true);
    const current = readFileSync(functionsLockPath, 'utf8');
    // A plain boolean: a 1,000-package diff would bury the one line that matters.
    expect({ current: current === functionsLockfile() }).toEqual({ current: true });
  });

  it('installs production dependencies from its own lockfile and loads every function', async () => {
    const started = Date.now();
    const files = await uploadedFiles();
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'assets/fonts/manifest.json']),
    );
    expect(files.filter((file) => /^(src|local|bench|scripts)\/|\.test\.ts$/.test(file))).toEqual(
      [],
    );

    const dir = mkdtempSync(join(tmpdir(), 'functions-deploy-'));
    try {
      for (const file of files.filter((name) => !name.startsWith('lib/'))) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        copyFileSync(join(functionsDir, file), join(dir, file));
      }
      // The predeploy build (`npm run build` in functions/), into the copy rather than the tree.
      run(
        process.execPath,
        [
          require.resolve('typescript/bin/tsc'),
          '-p',
          join(functionsDir, 'tsconfig.json'),
          '--outDir',
          join(dir, 'lib'),
        ],
        root,
      );
      run(
        'npm',
        ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--workspaces=false'],
        dir,
        { ...npmEnv(), NODE_ENV: 'production' },
      );
      // Build and test tools stay out of production.
      for (const devOnly of ['fontkit', 'firebase-tools', '@firestore-emulator/server', 'tsx'])
        expect({ devOnly, installed: existsSync(join(dir, 'node_modules', devOnly)) }).toEqual({
          devOnly,
          installed: false,
        });

      const loaded = run(
        process.execPath,
        [
          '-e',
          `const m = require('./lib/index.js');
           const names = Object.keys(m).filter((name) => m[name] && m[name].__endpoint);
           process.stdout.write('\\nexported: ' + JSON.stringify(names.sort()));`,
        ],
        dir,
        {
          PATH: process.env.PATH,
          GCLOUD_PROJECT: 'demo-fupin',
          FIREBASE_CONFIG: JSON.stringify({
            projectId: 'demo-fupin',
            storageBucket: 'demo-fupin.appspot.com',
          }),
        },
      );
      const index = readFileSync(join(functionsDir, 'src/index.ts'), 'utf8');
      const exported = [...index.matchAll(/^export \{([^}]+)\} from/gm)]
        .flatMap((match) => (match[1] as string).split(','))
        .map((name) => name.trim())
        .filter(Boolean)
        .sort();
      expect(exported.length).toBeGreaterThan(40);
      const names = /^exported: (.*)$/m.exec(loaded)?.[1] ?? '[]';
      expect(JSON.parse(names) as string[]).toEqual(exported);
      process.stdout.write(`deploy check: ${Math.round((Date.now() - started) / 1000)} s\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
