/**
 * Build step: the certificate fonts, as TTF, in functions/assets/fonts (generated, gitignored).
 *
 * Source: the npm package @fontsource/noto-sans-sc (SIL OFL 1.1). It ships WOFF2 only, which
 * fontkit re-inflates on every use and libvips cannot read at all, so each file is decompressed
 * here once with wawoff2. Per weight (400 body, 700 title and names):
 * - the `chinese-simplified` file is the primary font (7,333 hanzi + Latin and punctuation);
 * - it lacks some characters people need — measured: 4 of the 3,755 GB 2312 level-1 hanzi
 *   (毖谰耪锨) and 1,042 level-2 ones — which fontsource keeps in its numbered unicode-range
 *   files, so every numbered file that adds a hanzi the primary lacks is converted too and listed
 *   in manifest.json as a fallback with the code points it covers. The renderer loads a fallback
 *   only when a text needs one of its characters.
 * The build fails if GB 2312 level 1 or the rare name characters are not all covered.
 *
 * Idempotent: manifest.json records a stamp of its inputs and is written last; when the stamp
 * matches and every listed file is present with its size, nothing is done. Each file is written
 * to a temporary name and renamed, so two builds running at once cannot leave a torn file.
 *
 * Run: `npx tsx functions/scripts/buildFont.ts [outDir]`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gb2312Level1, rareNameCharacters } from '../src/domain/certificate/charsets';
import type { FontManifest, FontWeight } from '../src/domain/certificate/fonts';
import { fontManifestFile } from '../src/domain/certificate/fonts';

const buildVersion = 1;
const weights: FontWeight[] = [400, 700];

// The package's `exports` map hides package.json; LICENSE is exported and sits at its root.
const packageDir = dirname(require.resolve('@fontsource/noto-sans-sc/LICENSE'));
const filesDir = join(packageDir, 'files');
const outDir = resolve(process.argv[2] ?? join(__dirname, '../assets/fonts'));

function writeAtomically(path: string, data: Buffer | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** Sorted code points as [first, last] ranges: a compact manifest. */
function toRanges(codePoints: number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const codePoint of [...codePoints].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && codePoint === last[1] + 1) last[1] = codePoint;
    else ranges.push([codePoint, codePoint]);
  }
  return ranges;
}

function stampOf(sources: string[]): string {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const hash = createHash('sha256').update(`v${buildVersion} ${version}\n`);
  for (const source of sources) hash.update(`${source} ${statSync(join(filesDir, source)).size}\n`);
  return hash.digest('hex');
}

function upToDate(stamp: string): boolean {
  const manifestPath = join(outDir, fontManifestFile);
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as FontManifest;
    if (manifest.stamp !== stamp) return false;
    return Object.entries(manifest.sizes).every(([file, size]) => {
      const path = join(outDir, file);
      return existsSync(path) && statSync(path).size === size;
    });
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const sources = readdirSync(filesDir)
    .filter((file) => /^noto-sans-sc-(chinese-simplified|\d+)-(400|700)-normal\.woff2$/.test(file))
    .sort();
  const stamp = stampOf(sources);
  if (upToDate(stamp)) {
    process.stdout.write(`fonts up to date in ${outDir}\n`);
    return;
  }
  // Imported here: an up-to-date check, the common case in `npm test`, needs neither.
  const { decompress } = await import('wawoff2');
  const fontkit = await import('fontkit');
  mkdirSync(outDir, { recursive: true });

  const manifest: FontManifest = { stamp, weights: {}, sizes: {} };
  const required = [...gb2312Level1(), ...rareNameCharacters];
  for (const weight of weights) {
    const convert = async (source: string, target: string) => {
      const ttf = Buffer.from(await decompress(readFileSync(join(filesDir, source))));
      writeAtomically(join(outDir, target), ttf);
      manifest.sizes[target] = ttf.length;
      return fontkit.create(ttf);
    };
    const primaryFile = `NotoSansSC-${weight}.ttf`;
    const primary = await convert(
      `noto-sans-sc-chinese-simplified-${weight}-normal.woff2`,
      primaryFile,
    );
    const covered = new Set(primary.characterSet);
    const fallbacks: FontManifest['weights'][string]['fallbacks'] = [];
    const numbered = sources.filter((file) =>
      new RegExp(`^noto-sans-sc-\\d+-${weight}-normal\\.woff2$`).test(file),
    );
    for (const source of numbered) {
      const ttf = Buffer.from(await decompress(readFileSync(join(filesDir, source))));
      const font = fontkit.create(ttf);
      // Only hanzi (and other CJK ideographs) are worth a file: the primary has the Latin,
      // punctuation and symbols a certificate prints.
      const adds = font.characterSet.filter((cp) => cp >= 0x3400 && !covered.has(cp));
      if (adds.length === 0) continue;
      const target = `NotoSansSC-${weight}-${/-(\d+)-/.exec(source)?.[1]}.ttf`;
      writeAtomically(join(outDir, target), ttf);
      manifest.sizes[target] = ttf.length;
      for (const cp of adds) covered.add(cp);
      fallbacks.push({ file: target, ranges: toRanges(adds) });
    }
    const missing = required.filter((char) => !covered.has(char.codePointAt(0) as number));
    if (missing.length > 0) {
      throw new Error(`weight ${weight} lacks ${missing.length} required characters: ${missing}`);
    }
    manifest.weights[String(weight)] = { primary: primaryFile, fallbacks };
    const primaryHanzi = primary.characterSet.filter((cp) => cp >= 0x3400).length;
    process.stdout.write(
      `weight ${weight}: primary ${primaryHanzi} hanzi, ${fallbacks.length} fallback files ` +
        `add ${covered.size - primary.characterSet.length} code points; ` +
        `GB 2312 level 1 + rare names: all ${required.length} covered\n`,
    );
  }
  // The OFL travels with the fonts it licenses.
  const licence = readFileSync(join(packageDir, 'LICENSE'));
  writeAtomically(join(outDir, 'OFL.txt'), licence);
  manifest.sizes['OFL.txt'] = licence.length;
  writeAtomically(join(outDir, fontManifestFile), `${JSON.stringify(manifest)}\n`);
  const bytes = Object.values(manifest.sizes).reduce((sum, size) => sum + size, 0);
  process.stdout.write(
    `fonts built in ${outDir}: ${Object.keys(manifest.sizes).length} files, ` +
      `${(bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
