/**
 * `npm run lock:functions`: writes functions/package-lock.json, the lockfile Cloud Build installs
 * from when `firebase deploy` uploads functions/ on its own (the workspace's lockfile is at the
 * root, which is not uploaded). It is derived from the root package-lock.json — the root's entries
 * under functions/package.json as the root package, pruned by npm without any download — so
 * production installs exactly the versions the tests ran. `--check` only says whether the committed
 * file is current; firebase.json's predeploy runs the script, and test/platform/deploy.test.ts
 * fails when the file is stale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
export const functionsLockPath = join(root, 'functions/package-lock.json');

interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, Record<string, unknown>>;
}

/** The workspaces and their links: entries of the root project, not of functions/. */
const workspaceEntries = new Set([
  '',
  'functions',
  'web',
  'node_modules/functions',
  'node_modules/web',
]);

/** The lockfile functions/ should have, computed from the root lockfile (about 3 s, offline). */
export function functionsLockfile(): string {
  const manifest = JSON.parse(readFileSync(join(root, 'functions/package.json'), 'utf8')) as {
    name: string;
    version: string;
    [key: string]: unknown;
  };
  const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const packages: Lockfile['packages'] = {};
  packages[''] = Object.fromEntries(
    ['name', 'version', 'dependencies', 'devDependencies', 'engines']
      .filter((key) => manifest[key] !== undefined)
      .map((key) => [key, manifest[key]]),
  );
  for (const [path, entry] of Object.entries(rootLock.packages)) {
    if (!workspaceEntries.has(path)) packages[path] = entry;
  }
  const draft: Lockfile = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: rootLock.lockfileVersion,
    requires: true,
    packages,
  };
  const dir = mkdtempSync(join(tmpdir(), 'functions-lock-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(draft, null, 2));
    // npm drops what functions/ does not reach and recomputes the dev/optional flags; every
    // entry it keeps is already resolved, so it needs neither the registry nor the cache.
    const npm = spawnSync(
      'npm',
      [
        'install',
        '--package-lock-only',
        '--offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--workspaces=false',
      ],
      { cwd: dir, encoding: 'utf8', env: npmEnv() },
    );
    if (npm.status !== 0) {
      throw new Error(`npm could not derive functions/package-lock.json:\n${npm.stderr}`);
    }
    return readFileSync(join(dir, 'package-lock.json'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment without what `npm run` passes down about the workspace it runs in. */
export function npmEnv(): NodeJS.ProcessEnv {
  const kept = /^npm_config_(cache|registry|userconfig|globalconfig|proxy|https_proxy|noproxy)$/i;
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || kept.test(key)),
  );
}

function main(): void {
  const expected = functionsLockfile();
  let current = '';
  try {
    current = readFileSync(functionsLockPath, 'utf8');
  } catch {
    // Not written yet.
  }
  if (process.argv.includes('--check')) {
    if (current !== expected) {
      process.stderr.write('functions/package-lock.json is stale: run `npm run lock:functions`\n');
      process.exit(1);
    }
    return;
  }
  if (current !== expected) writeFileSync(functionsLockPath, expected);
  const count = Object.keys((JSON.parse(expected) as Lockfile).packages).length - 1;
  process.stdout.write(`functions/package-lock.json: ${count} packages\n`);
}

if (require.main === module) main();
