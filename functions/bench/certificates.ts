/**
 * `npm run bench:certificates`: the honour-certificate renderer (PDF with a subset CJK font +
 * PNG preview) against a baseline that embeds the FULL font, in the same run.
 *
 * Baseline: the very same document with the renderer's subset replaced, per font, by the whole
 * TTF file as the font program (CIDs = the font's own glyph ids, widths and ToUnicode for every
 * glyph) — what a PDF library's "embed, don't subset" produces. Its PDF is opened with pdftotext to show it is a real PDF.
 *
 * Measures: warm median ms per certificate (renderCertificate: PDF + PNG), warm PDF-only ms for
 * ours and the baseline, the first call in a fresh process (font loading and the lazy imports
 * included; the renderer compiled to CommonJS as the deploy build does, run with plain node),
 * bytes and the bytes ratio to the baseline, and glyph coverage of GB 2312 level 1 + rare name
 * characters checked by rasterising (see certificates/coverage.ts). Last line: `RESULT {…}`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import {
  certificateTitle,
  layoutCertificate,
  type PageLayout,
} from '../src/domain/certificate/layout';
import { gb2312Level1, rareNameCharacters } from '../src/domain/certificate/charsets';
import { defaultFontDir, fontSet, type Font, type FontSet } from '../src/domain/certificate/fonts';
import type { FontEmbedding } from '../src/domain/certificate/pdf';
import { certificateRecordSchema, type CertificateRecord } from '../src/domain/certificate/record';
import {
  drawPdf,
  metricsOf,
  qrModules,
  renderCertificate,
  verificationUrl,
} from '../src/domain/certificate/render';
import { checkCoverage } from './certificates/coverage';
import { benchRecords } from './certificates/records';
import { median } from './stats';

const root = resolve(__dirname, '../..');
const workDir = join(root, '.data/bench-certificates');
const origin = 'https://fupin.web.app';
const warmCertificates = 40;
const baselineCertificates = 8;
const freshProcesses = 5;

const targets = { median_ms: 60, first_ms: 300, bytes: 50_000, bytes_ratio: 0.02, missing: 0 };

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function pageOf(record: CertificateRecord, fonts: FontSet): Promise<PageLayout> {
  const url = verificationUrl(origin, record.serial);
  return layoutCertificate(record, url, await qrModules(url), metricsOf(fonts));
}

const pdfInfo = (record: CertificateRecord) => ({
  title: `${certificateTitle} ${record.serial}`,
  date: new Date(`${record.issuedAt}T00:00:00+08:00`),
});

/**
 * The full embedding: the whole TTF file as the font program, CIDs = the font's own glyph ids,
 * and widths and ToUnicode entries for every glyph (the first code point the cmap maps to it;
 * U+FFFD for glyphs no code point reaches), as a PDF library's "embed, don't subset" writes.
 */
function embedFullFont(font: Font, fontId: string): FontEmbedding {
  return {
    cid: (glyphId) => glyphId,
    finish() {
      const firstCodePoint = new Map<number, number>();
      for (const [codePoint, glyphId] of font.codePoints()) {
        if (!firstCodePoint.has(glyphId)) firstCodePoint.set(glyphId, codePoint);
      }
      return {
        program: readFileSync(join(defaultFontDir, fontId)),
        glyphs: Array.from({ length: font.numGlyphs }, (_, glyphId) => ({
          cid: glyphId,
          glyphId,
          codePoint: firstCodePoint.get(glyphId) ?? 0xfffd,
        })),
      };
    },
  };
}

/**
 * The renderer compiled to CommonJS (TypeScript's transpiler, as `tsc` builds for deploy) into
 * .data, so that a fresh `node` loads it as production does: `await import()` becomes require.
 */
function compileForNode(): { script: string } {
  const out = join(workDir, 'compiled');
  rmSync(out, { recursive: true, force: true });
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) {
        sources.push(path);
      }
    }
  };
  walk(join(root, 'functions/src/domain'));
  sources.push(join(__dirname, 'certificates/first.ts'));
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(out, relative(root, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return { script: join(out, 'functions/bench/certificates/first.js') };
}

interface FirstRun {
  importMs: number;
  firstMs: number;
  firstCpuMs: number;
  secondMs: number;
  pdfBytes: number;
  pngBytes: number;
}

async function main(): Promise<void> {
  // Reported with the figures: wall times on a shared machine include waiting for a core.
  const loadBefore = loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  mkdirSync(workDir, { recursive: true });
  execFileSync(
    process.execPath,
    [require.resolve('tsx/cli'), join(__dirname, '../scripts/buildFont.ts')],
    {
      stdio: 'inherit',
    },
  );

  // First call, each in a fresh process.
  const { script } = compileForNode();
  const firstRuns: FirstRun[] = [];
  for (let i = 0; i < freshProcesses; i++) {
    const output = execFileSync(process.execPath, [script, defaultFontDir], { encoding: 'utf8' });
    firstRuns.push(JSON.parse(output.trim().split('\n').pop() as string) as FirstRun);
  }
  const firstMs = median(firstRuns.map((run) => run.firstMs));

  // Warm: every certificate rendered once after a warm-up.
  const records = benchRecords(warmCertificates).map((record) =>
    certificateRecordSchema.parse(record),
  );
  for (const record of records.slice(0, 5)) await renderCertificate(record, { origin });
  const warmMs: number[] = [];
  const pdfBytes: number[] = [];
  const pngBytes: number[] = [];
  let missingInCertificates = 0;
  for (const record of records) {
    const started = performance.now();
    const { pdf, png, missingCharacters } = await renderCertificate(record, { origin });
    warmMs.push(performance.now() - started);
    pdfBytes.push(pdf.length);
    pngBytes.push(png.length);
    missingInCertificates += missingCharacters.length;
  }

  // PDF only, ours and the full-font baseline, on the same pages.
  const fonts = await fontSet();
  const baselineRecords = records.slice(0, baselineCertificates);
  const pages = await Promise.all(baselineRecords.map((record) => pageOf(record, fonts)));
  const oursPdfMs: number[] = [];
  const baselinePdfMs: number[] = [];
  const baselineBytes: number[] = [];
  const oursBytesSame: number[] = [];
  await drawPdf(pages[0]!, fonts, pdfInfo(baselineRecords[0]!), embedFullFont);
  for (const [i, page] of pages.entries()) {
    const info = pdfInfo(baselineRecords[i]!);
    let started = performance.now();
    const ours = await drawPdf(page, fonts, info);
    oursPdfMs.push(performance.now() - started);
    oursBytesSame.push(ours.length);
    started = performance.now();
    const baseline = await drawPdf(page, fonts, info, embedFullFont);
    baselinePdfMs.push(performance.now() - started);
    baselineBytes.push(baseline.length);
    if (i === 0) {
      const path = join(workDir, 'baseline.pdf');
      writeFileSync(path, baseline);
      const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      if (!text.includes(baselineRecords[0]!.serial) || !text.includes(certificateTitle)) {
        throw new Error('the baseline PDF does not read back: the comparison would be void');
      }
      writeFileSync(join(workDir, 'ours.pdf'), ours);
    }
  }

  // Coverage by rasterising, both weights.
  const required = [...gb2312Level1(), ...rareNameCharacters];
  const coverage = [];
  for (const weight of [400, 700] as const) {
    coverage.push(await checkCoverage(required, weight, fonts, workDir));
  }
  if (!coverage.every((result) => result.controlsCaught)) {
    throw new Error('the coverage check did not see the missing-glyph box of the controls');
  }
  const missingGlyphs = coverage.reduce((sum, result) => sum + result.missingPdf.length, 0);

  const bytes = median(pdfBytes);
  const bytesRatio = median(oursBytesSame) / median(baselineBytes);
  const medianMs = median(warmMs);

  const rows: Array<[string, string, string]> = [
    ['warm ms / certificate (PDF + PNG), median', `${round(medianMs)}`, `≤ ${targets.median_ms}`],
    [
      'warm ms, p90',
      `${round([...warmMs].sort((a, b) => a - b)[Math.floor(warmMs.length * 0.9)]!)}`,
      '',
    ],
    ['first call ms, fresh process, median', `${round(firstMs)}`, `≤ ${targets.first_ms}`],
    [
      '  CPU ms of the first call, median',
      `${round(median(firstRuns.map((run) => run.firstCpuMs)))}`,
      '',
    ],
    ['  first calls (each process)', firstRuns.map((run) => round(run.firstMs, 0)).join(' '), ''],
    [
      '  module import ms before it, median',
      `${round(median(firstRuns.map((run) => run.importMs)))}`,
      '',
    ],
    [
      '  second call ms, same process, median',
      `${round(median(firstRuns.map((run) => run.secondMs)))}`,
      '',
    ],
    ['PDF bytes, median', `${bytes}`, `≤ ${targets.bytes}`],
    ['PNG preview bytes, median', `${median(pngBytes)}`, '≤ 60000'],
    ['PDF-only ms, ours, median', `${round(median(oursPdfMs))}`, ''],
    ['PDF-only ms, full-font baseline, median', `${round(median(baselinePdfMs))}`, ''],
    ['baseline PDF bytes, median', `${median(baselineBytes)}`, ''],
    ['bytes ratio ours / baseline', `${round(bytesRatio, 4)}`, `≤ ${targets.bytes_ratio}`],
    ...coverage.map((result): [string, string, string] => [
      `weight ${result.weight}: missing of ${result.checked} (pdftoppm / preview)`,
      `${result.missingPdf.length} / ${result.missingPng.length}${result.missingPdf.length ? ` ${result.missingPdf.join('')}` : ''}`,
      '0',
    ]),
    ['characters reported missing while rendering', `${missingInCertificates}`, '0'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`load average before the run: ${loadBefore}`);
  console.log(
    `certificates: ${warmCertificates} warm, ${baselineCertificates} against the baseline, ${freshProcesses} fresh processes`,
  );
  for (const [label, value, target] of rows) {
    console.log(`${label.padEnd(width)}  ${value.padStart(12)}  ${target}`);
  }
  console.log(
    `RESULT ${JSON.stringify({
      median_ms: round(medianMs),
      first_ms: round(firstMs),
      bytes,
      bytes_ratio: round(bytesRatio, 4),
      missing_glyphs: missingGlyphs,
      certificates: warmCertificates,
    })}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
