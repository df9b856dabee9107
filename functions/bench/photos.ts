/**
 * `npm run bench:photos`: the evidence-photo pipeline against an emulation of the Firebase Resize
 * Images extension on the same sharp, on ≥ 20 real photographs (Debian wallpaper packages,
 * fetched by this script), copies of some with GPS EXIF and orientation 6, and generated 3–12 MP
 * images. Prints a table per photo, medians, a settings sweep, peak memory per scenario (each in
 * its own process) and the pixel-bomb refusal time; the last line is `RESULT {…}`.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import sharp from 'sharp';
import { ssim } from 'ssim.js';
import {
  displayLongEdge,
  libvipsThreadsPerImage,
  outputFormat,
  thumbLongEdge,
} from '../src/domain/photos/plan';
import {
  processPhoto,
  renderFromUpload,
  screen,
  type OutputSettings,
} from '../src/domain/photos/process';
import { wallpaperFiles } from './photos/corpus';
import { median } from './stats';
import { photoLike, pngBomb, withGpsAndOrientation } from './photos/fixtures';

const root = resolve(__dirname, '../..');
const cacheDir = join(root, '.data/bench-photos');
const unlimited = Number.POSITIVE_INFINITY;
const runs = 3;
/**
 * The extension runs with sharp's defaults: one libvips thread per image on glibc (read here,
 * before our pipeline sets its own), and, as its index.ts does, no operation cache.
 */
const extensionThreads = sharp.concurrency();
sharp.cache(false);
const asExtension = () => sharp.concurrency(extensionThreads);
const asOurs = () => sharp.concurrency(libvipsThreadsPerImage);

/** The photographs among the wallpapers (the rest are drawings and gradients). */
const photoNames =
  /\/(nature\/[^/]+|Elephants[^/]*|calla\.png|goldfish\.png|the-mouse\.jpg|2004default\.jpg|firstgeneration\.jpg|rhythm\.jpg|string\.jpg)$/;

interface Input {
  name: string;
  kind: 'real' | 'real+exif' | 'generated';
  bytes: Buffer;
  format: string;
  width: number;
  height: number;
}

interface Row {
  time: number;
  bytes: number;
  dq: number;
  dDisplay: number;
  dThumb: number;
  floor: number;
  floorAlone: number;
  displayAlone: number;
  oursSsim: number;
  baseSsim: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    value = await work();
    times.push(performance.now() - started);
  }
  return { ms: median(times), value: value as T };
}

/**
 * The extension's pipeline as it is (storage-resize-images resize-image.ts): the original
 * downloaded to a temp file; per size, in parallel, `sharp(file).rotate().resize(…inside)
 * .toBuffer()` (input format, sharp defaults), then `sharp(buffer).toFile(tmp)` (decoded and
 * encoded again) and the temp file uploaded (read back here) and deleted.
 */
async function extensionBaseline(bytes: Buffer): Promise<{ display: Buffer; thumb: Buffer }> {
  asExtension();
  const original = join(tmpdir(), randomUUID());
  await writeFile(original, bytes);
  try {
    const [display, thumb] = await Promise.all(
      [displayLongEdge, thumbLongEdge].map(async (edge) => {
        const resized = await sharp(original, { failOnError: false })
          .rotate()
          .resize(edge, edge, { fit: 'inside', withoutEnlargement: true })
          .toBuffer();
        const modified = join(tmpdir(), randomUUID());
        try {
          await sharp(resized).toFile(modified);
          return await readFile(modified);
        } finally {
          await unlink(modified);
        }
      }),
    );
    return { display: display as Buffer, thumb: thumb as Buffer };
  } finally {
    await unlink(original);
  }
}

/**
 * The least work any pipeline must do: decode with shrink-on-load to display size, no encode,
 * with the libvips threads our pipeline has.
 */
async function decodeFloor(bytes: Buffer): Promise<void> {
  asOurs();
  await sharp(bytes)
    .rotate()
    .resize(displayLongEdge, displayLongEdge, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer();
}

/**
 * The display image alone, as our pipeline makes it (no screening, no thumbnail): what no choice
 * of thumbnail route can go below.
 */
async function displayAlone(bytes: Buffer): Promise<void> {
  asOurs();
  await renderFromUpload(bytes, 'display');
}

async function rgba(image: sharp.Sharp) {
  const { data, info } = await image
    .removeAlpha()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

/** SSIM of an output against a lossless resize of the original to the output's own size. */
async function quality(original: Buffer, output: Buffer): Promise<number> {
  const { width, height } = await sharp(output).metadata();
  const reference = await rgba(
    sharp(original).rotate().resize(width, height, { fit: 'fill', fastShrinkOnLoad: false }),
  );
  const candidate = await rgba(sharp(output));
  return ssim(reference, candidate).mssim;
}

async function loadInputs(): Promise<Input[]> {
  const real = wallpaperFiles(cacheDir).filter((path) => photoNames.test(path));
  const inputs: Input[] = [];
  const describe = async (name: string, kind: Input['kind'], bytes: Buffer) => {
    const { format, width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    inputs.push({
      name,
      kind,
      bytes,
      format: format as string,
      width: width as number,
      height: height as number,
    });
  };
  for (const path of real) await describe(basename(path), 'real', readFileSync(path));
  // Phone-like copies: the small and mid-size JPEGs with GPS EXIF and a sideways orientation.
  const jpegs = inputs.filter((input) => input.format === 'jpeg' && input.bytes.length < 1_500_000);
  for (const input of jpegs.slice(0, 6)) {
    await describe(`${input.name}+gps+o6`, 'real+exif', withGpsAndOrientation(input.bytes, 6));
  }
  for (const [width, height] of [
    [2048, 1536],
    [3000, 2000],
    [3264, 2448],
    [4000, 3000],
  ] as const) {
    await describe(
      `generated ${((width * height) / 1e6).toFixed(0)} MP`,
      'generated',
      await photoLike(width, height),
    );
  }
  return inputs;
}

function peakRss(scenario: string, files: string[]): number {
  const output = execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      join(__dirname, 'photos/rss.ts'),
      scenario,
      ...files,
    ],
    { encoding: 'utf8' },
  );
  return (JSON.parse(output.trim().split('\n').pop() as string) as { peakRssMb: number }).peakRssMb;
}

const jpegPair = (display: OutputSettings['display'], thumb: OutputSettings['thumb']) =>
  ({ format: 'jpeg', display, thumb }) as OutputSettings;
const jpegWith = (quality: number, extra: Partial<OutputSettings['display']> = {}) =>
  jpegPair({ quality, ...extra }, { quality, ...extra });
const webpWith = (quality: number, effort: number): OutputSettings => ({
  format: 'webp',
  display: { quality, effort },
  thumb: { quality, effort },
});

/** The settings considered; the chosen one is plan.ts `outputFormat`. */
const sweep: Array<[string, OutputSettings]> = [
  ['chosen: table 3 q74 / q85', outputFormat],
  ['table 3 q74 / q88', jpegPair({ quality: 74, quantisationTable: 3 }, { quality: 88 })],
  ['jpeg q80 (sharp default)', jpegWith(80)],
  ['table 3 q73 / q85', jpegPair({ quality: 73, quantisationTable: 3 }, { quality: 85 })],
  ['table 0 q74 / q85', jpegPair({ quality: 74 }, { quality: 85 })],
  [
    'table 3 q74, not optimised',
    jpegPair(
      { quality: 74, quantisationTable: 3, optimiseCoding: false },
      { quality: 85, optimiseCoding: false },
    ),
  ],
  ['table 3 q78 trellis', jpegWith(78, { quantisationTable: 3, trellisQuantisation: true })],
  ['webp q85 effort 0', webpWith(85, 0)],
  ['webp q75 effort 2', webpWith(75, 2)],
];

function summarise(rows: Row[]) {
  const time = median(rows.map((row) => row.time));
  const bytes = median(rows.map((row) => row.bytes));
  const dq = median(rows.map((row) => row.dq));
  const floor = median(rows.map((row) => row.floor));
  const line =
    `time ${time.toFixed(2)}× baseline, ${floor.toFixed(2)}× decode floor; bytes ${bytes.toFixed(2)}×; ` +
    `SSIM (mean of display and thumbnail) ours ${median(rows.map((r) => r.oursSsim)).toFixed(4)} vs baseline ${median(rows.map((r) => r.baseSsim)).toFixed(4)} (delta ${dq.toFixed(4)}; ` +
    `display ${median(rows.map((r) => r.dDisplay)).toFixed(4)}, thumbnail ${median(rows.map((r) => r.dThumb)).toFixed(4)}); ` +
    `against the baseline, the decode floor alone takes ${median(rows.map((r) => r.floorAlone)).toFixed(2)}×, the display image alone ${median(rows.map((r) => r.displayAlone)).toFixed(2)}×`;
  return { time, bytes, dq, floor, line };
}

/** The photo as web/src/dom.ts uploads it: long edge ≤ 1600 px, JPEG, EXIF orientation applied. */
async function clientSized(input: Input): Promise<Input> {
  const { data, info } = await sharp(input.bytes)
    .rotate()
    .resize(displayLongEdge, displayLongEdge, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return {
    ...input,
    name: `${input.name} @client`,
    bytes: data,
    width: info.width,
    height: info.height,
  };
}

async function main(): Promise<void> {
  const began = performance.now();
  // A private temp folder (libvips reads TMPDIR when it first needs one): files appearing there
  // while our pipeline runs would be ours; the baseline's own temp files go there too.
  const privateTmp = mkdtempSync(join(tmpdir(), 'bench-photos-'));
  process.env.TMPDIR = privateTmp;
  const inputs = await loadInputs();
  console.log(
    `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}; ${inputs.length} inputs; median of ${runs} runs each\n`,
  );
  const header = [
    'photo',
    'in',
    'size',
    'base ms',
    'ours ms',
    'floor ms',
    'disp ms',
    'base KB',
    'ours KB',
    'base ssim',
    'ours ssim',
    'ratio t',
    'ratio B',
  ];
  console.log(header.join('\t'));
  const tempBefore = readdirSync(tmpdir()).length;
  let tempDuringOurs = 0;
  const measure = async (input: Input): Promise<Row> => {
    const base = await timed(() => extensionBaseline(input.bytes));
    const before = readdirSync(tmpdir()).length;
    asOurs();
    const ours = await timed(() => processPhoto(input.bytes, { maxBytes: unlimited }));
    tempDuringOurs += readdirSync(tmpdir()).length - before;
    const floor = await timed(() => decodeFloor(input.bytes));
    const display = await timed(() => displayAlone(input.bytes));
    if (!ours.value.ok) throw new Error(`${input.name} refused: ${ours.value.reason}`);
    const baseBytes = base.value.display.length + base.value.thumb.length;
    const oursBytes = ours.value.display.bytes + ours.value.thumb.bytes;
    const [baseSsim, oursSsim, baseThumb, oursThumb] = await Promise.all([
      quality(input.bytes, base.value.display),
      quality(input.bytes, ours.value.display.data),
      quality(input.bytes, base.value.thumb),
      quality(input.bytes, ours.value.thumb.data),
    ]);
    const base2 = (baseSsim + baseThumb) / 2;
    const ours2 = (oursSsim + oursThumb) / 2;
    console.log(
      [
        input.name.slice(0, 28).padEnd(28),
        input.format,
        `${input.width}x${input.height}`,
        base.ms.toFixed(0),
        ours.ms.toFixed(0),
        floor.ms.toFixed(0),
        display.ms.toFixed(0),
        (baseBytes / 1024).toFixed(0),
        (oursBytes / 1024).toFixed(0),
        base2.toFixed(4),
        ours2.toFixed(4),
        (ours.ms / base.ms).toFixed(2),
        (oursBytes / baseBytes).toFixed(2),
      ].join('\t'),
    );
    return {
      time: ours.ms / base.ms,
      bytes: oursBytes / baseBytes,
      dq: ours2 - base2,
      dDisplay: oursSsim - baseSsim,
      dThumb: oursThumb - baseThumb,
      floor: ours.ms / floor.ms,
      floorAlone: floor.ms / base.ms,
      displayAlone: display.ms / base.ms,
      oursSsim: ours2,
      baseSsim: base2,
    };
  };
  const rows: Row[] = [];
  for (const input of inputs) rows.push(await measure(input));
  const medians = summarise(rows);
  console.log(`\nmedians: ${medians.line}`);
  // What the platform really receives: the web client sends JPEGs of at most display size.
  console.log('\nas the web client sends them (each real JPEG photo at 1600 px, q80):');
  const clientRows: Row[] = [];
  for (const input of inputs.filter((input) => input.kind === 'real' && input.format === 'jpeg')) {
    clientRows.push(await measure(await clientSized(input)));
  }
  console.log(`medians of client-sized uploads: ${summarise(clientRows).line}`);
  console.log(
    `temp files made by ours: ${tempDuringOurs}; left by the baseline after its cleanup: ${readdirSync(tmpdir()).length - tempBefore}`,
  );

  // Settings sweep on the JPEG inputs (what phones send), same single-decode pipeline.
  console.log('\nsettings sweep (real JPEG photos, same pipeline; against the baseline, medians):');
  const jpegInputs = inputs.filter((input) => input.format === 'jpeg' && input.kind === 'real');
  const baselines: Array<{ bytes: number; display: number; thumb: number }> = [];
  for (const input of jpegInputs) {
    const out = await extensionBaseline(input.bytes);
    baselines.push({
      bytes: out.display.length + out.thumb.length,
      display: await quality(input.bytes, out.display),
      thumb: await quality(input.bytes, out.thumb),
    });
  }
  asOurs();
  for (const [label, settings] of sweep) {
    const ratios: number[] = [];
    const displayDeltas: number[] = [];
    const thumbDeltas: number[] = [];
    const times: number[] = [];
    for (const [i, input] of jpegInputs.entries()) {
      const started = performance.now();
      const out = await processPhoto(input.bytes, { settings, maxBytes: unlimited });
      times.push(performance.now() - started);
      if (!out.ok) throw new Error(out.reason);
      const base = baselines[i] as (typeof baselines)[number];
      ratios.push((out.display.bytes + out.thumb.bytes) / base.bytes);
      displayDeltas.push((await quality(input.bytes, out.display.data)) - base.display);
      thumbDeltas.push((await quality(input.bytes, out.thumb.data)) - base.thumb);
    }
    console.log(
      `  ${label.padEnd(28)} bytes ${median(ratios).toFixed(3)}×  SSIM delta display ${median(displayDeltas).toFixed(4)}, thumbnail ${median(thumbDeltas).toFixed(4)}  ${median(times).toFixed(0)} ms`,
    );
  }

  // Peak memory, each scenario in its own process.
  mkdirSync(cacheDir, { recursive: true });
  const big = join(cacheDir, 'generated-50mp.jpg');
  if (!existsSync(big)) writeFileSync(big, await photoLike(8660, 5773));
  const realFiles = wallpaperFiles(cacheDir).filter((path) => photoNames.test(path));
  const rssTwo = peakRss('two-in-flight', realFiles);
  const rss50 = peakRss('one', [big]);
  console.log(
    `\npeak RSS: two photos in flight over the corpus ${rssTwo} MB; one 50 MP JPEG ${rss50} MB`,
  );

  // Pixel bomb: refused from the header, warm.
  const bomb = await pngBomb();
  await screen(bomb);
  const bombTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const verdict = await screen(bomb);
    bombTimes.push(performance.now() - started);
    if (verdict.ok || verdict.reason !== 'too_many_pixels')
      throw new Error('the bomb was not refused');
  }
  const bombMs = median(bombTimes);
  console.log(
    `pixel bomb (${(bomb.length / 1024).toFixed(0)} KB PNG, 20000x20000): refused in ${bombMs.toFixed(2)} ms, nothing decoded`,
  );
  console.log(
    `settings: ${JSON.stringify(outputFormat)}; run took ${((performance.now() - began) / 1000).toFixed(0)} s`,
  );

  rmSync(privateTmp, { recursive: true, force: true });
  const round = (value: number, digits: number) => Number(value.toFixed(digits));
  console.log(
    `RESULT ${JSON.stringify({
      time_ratio: round(medians.time, 3),
      bytes_ratio: round(medians.bytes, 3),
      quality_delta: round(medians.dq, 4),
      time_vs_floor: round(medians.floor, 3),
      peak_rss_mb: Math.max(rssTwo, rss50),
      bomb_reject_ms: round(bombMs, 3),
      photos: inputs.length,
    })}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
