/**
 * The benchmark's real photographs: Debian's wallpaper packages, fetched with apt-get download and
 * unpacked with dpkg -x (nothing is installed), cached under .data/bench-photos.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const wallpaperPackages = ['ukui-wallpapers', 'mate-backgrounds'] as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Downloads and unpacks the packages once; returns the paths of their JPEG and PNG files. */
export function wallpaperFiles(cacheDir: string): string[] {
  const unpacked = join(cacheDir, 'unpacked');
  mkdirSync(unpacked, { recursive: true });
  for (const name of wallpaperPackages) {
    const marker = join(unpacked, `.${name}.done`);
    if (existsSync(marker)) continue;
    execFileSync('apt-get', ['download', name], { cwd: cacheDir, stdio: 'ignore' });
    const deb = readdirSync(cacheDir).find(
      (file) => file.startsWith(`${name}_`) && file.endsWith('.deb'),
    );
    if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
    execFileSync('dpkg', ['-x', join(cacheDir, deb), unpacked]);
    execFileSync('touch', [marker]);
  }
  return filesUnder(unpacked)
    .filter((path) => /\.(jpe?g|png)$/i.test(path))
    .sort();
}
