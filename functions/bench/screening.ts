/**
 * `npm run bench:screening`: the near-duplicate photo check of issue 18 on real photographs.
 *
 * Photos: Debian's wallpaper packages (fetched with apt-get download, unpacked with dpkg-deb -x,
 * nothing installed; cached under .data/bench-screening). They hold about a hundred distinct
 * pictures, fewer than the 1,000 asked for, so each picture is cut into non-overlapping tiles of at
 * least 640×480, each tile one photo (the output says so); tiles with almost no detail (a blank
 * sky, a flat gradient: the hash's `minDetail`) are not photos and are left out.
 *
 * Each photo goes the platform's way: sent as a JPEG of ≤ 1600 px, made into its 320 px thumbnail
 * by the production `renderFromUpload`, hashed from that as onEvidenceUploaded does. Its variants
 * are the copies a household could hand in again: re-encoded at JPEG q60–q90, resized to
 * 50–100 %, cropped (up to 10 % of the area removed, split at random between the edges),
 * brightness ±10 %, and all four at once.
 *
 * Recall and false matches use the production band keys and match decision over every lookup, in
 * memory (a map from band key to photos answers what `array-contains-any` answers). The reads per
 * lookup are measured with real Firestore queries through firebase-admin (services/photoHashes.ts
 * `findNearCopies`) against the local Firestore server the tests use (functions/local/firestore.ts,
 * started in this process on 127.0.0.1, port $FUPIN_TEST_BASE_PORT (default 7300) + 90), once with the 1,000 first
 * photos indexed and once after 99,000 random hashes are added; the same lookups must find the same
 * photos as the in-memory index. The last line is `RESULT {…}`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { displayLongEdge } from '../src/domain/photos/plan';
import { renderFromUpload } from '../src/domain/photos/process';
import { perceptualHash, type PerceptualHash } from '../src/domain/photos/perceptualHash';
import {
  bandKeys,
  bandScheme,
  matchDistance,
  minDetail,
  probeKeys,
  probeQueries,
  sameImage,
} from '../src/domain/photos/perceptualHashBands';
import { LocalFirestore } from '../local/firestore';

const root = resolve(__dirname, '../..');
const cacheDir = join(root, '.data/bench-screening');
const projectId = 'demo-bench-screening';
/** Beside the test platform's ports (base, base + 1, …), so a test run at the same time does not collide. */
const port = Number(process.env.FUPIN_TEST_BASE_PORT ?? 7300) + 90;

const packages = [
  'desktop-base',
  'gnome-backgrounds',
  'plasma-workspace-wallpapers',
  'mate-backgrounds',
  'ukui-wallpapers',
  'lomiri-wallpapers',
  'lomiri-wallpapers-16.04',
  'lomiri-wallpapers-20.04',
  'sway-backgrounds',
] as const;

/**
 * Files that are another copy of a picture already taken (a smaller size, a portrait cut, a
 * dark or light twin, a preview) or not a photograph (vector drawings, logos, boot splashes).
 */
const notAPicture =
  /screenshot|images_dark|\/gnome\/[^/]*-d\.|\/vnc-|\.svg$|Portrait|Sway_Wallpaper_Blue_(1136|1366|1920|768)|Elephants(_3840x2160)?\.jpg$|\/(1080x1920|720x1440|1622x2880)\./;

const transforms = ['reencode', 'resize', 'crop', 'brightness', 'all four'] as const;
type Transform = (typeof transforms)[number];

/** Regular files only: the packages' symbolic links point into the system, not into the cache. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

function pictureFiles(): string[] {
  const unpacked = join(cacheDir, 'unpacked');
  mkdirSync(unpacked, { recursive: true });
  for (const name of packages) {
    const marker = join(unpacked, `.${name}.done`);
    if (existsSync(marker)) continue;
    execFileSync('apt-get', ['download', name], { cwd: cacheDir, stdio: 'ignore' });
    const deb = readdirSync(cacheDir).find(
      (file) => file.startsWith(`${name}_`) && file.endsWith('.deb'),
    );
    if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
    execFileSync('dpkg-deb', ['-x', join(cacheDir, deb), unpacked]);
    execFileSync('touch', [marker]);
  }
  return filesUnder(unpacked)
    .filter((path) => /\/usr\/share\/(backgrounds|wallpapers)\//.test(path))
    .filter((path) => /\.(jpe?g|png|webp)$/i.test(path) && !notAPicture.test(path))
    .sort();
}

/** A deterministic generator, so that every run draws the same transforms. */
function randomFrom(seed: number) {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}
const random = randomFrom(18);
const between = (low: number, high: number) => low + random() * (high - low);

interface Photo {
  id: string;
  source: string;
  jpeg: Buffer;
  hash: PerceptualHash;
}

/** What the platform hashes: the production thumbnail of the upload. */
async function hashAsProcessed(upload: Buffer): Promise<PerceptualHash> {
  const thumb = await renderFromUpload(upload, 'thumb');
  return perceptualHash(thumb.data);
}

async function variantOf(jpeg: Buffer, transform: Transform): Promise<Buffer> {
  const all = transform === 'all four';
  let image = sharp(jpeg);
  const { width, height } = await image.metadata();
  let w = width as number;
  let h = height as number;
  if (transform === 'crop' || all) {
    // Up to 10 % of the area removed, shared at random between the two axes and their edges.
    const kept = between(0.9, 1);
    const share = random();
    const keepX = kept ** share;
    const keepY = kept ** (1 - share);
    const cw = Math.round(w * keepX);
    const ch = Math.round(h * keepY);
    const left = Math.round((w - cw) * random());
    const top = Math.round((h - ch) * random());
    image = sharp(
      await image
        .extract({ left, top, width: cw, height: ch })
        .png({ compressionLevel: 0 })
        .toBuffer(),
    );
    w = cw;
    h = ch;
  }
  if (transform === 'resize' || all) {
    const scale = between(0.5, 1);
    image = image.resize(Math.round(w * scale), Math.round(h * scale));
  }
  if (transform === 'brightness' || all) image = image.linear(between(0.9, 1.1), 0);
  const quality = transform === 'reencode' || all ? Math.round(between(60, 90)) : 85;
  return image.jpeg({ quality }).toBuffer();
}

/** The photos: non-overlapping tiles of each picture, as the web client would send them. */
async function loadPhotos(files: string[]): Promise<{ photos: Photo[]; blank: number }> {
  const photos: Photo[] = [];
  let blank = 0;
  for (const file of files) {
    const { data, info } = await sharp(file)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const across = Math.max(1, Math.floor(info.width / 640));
    const down = Math.max(1, Math.floor(info.height / 480));
    const tileWidth = Math.floor(info.width / across);
    const tileHeight = Math.floor(info.height / down);
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
    for (let x = 0; x < across; x++) {
      for (let y = 0; y < down; y++) {
        const jpeg = await sharp(data, raw)
          .extract({
            left: x * tileWidth,
            top: y * tileHeight,
            width: tileWidth,
            height: tileHeight,
          })
          .resize(displayLongEdge, displayLongEdge, { fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: 85 })
          .toBuffer();
        const hash = await hashAsProcessed(jpeg);
        if (hash.detail < minDetail) {
          blank++;
          continue;
        }
        const source = relative(join(cacheDir, 'unpacked'), file);
        photos.push({ id: `p${String(photos.length).padStart(5, '0')}`, source, jpeg, hash });
      }
    }
  }
  return { photos, blank };
}

/** What `array-contains-any` on the band keys answers, kept in memory. */
class BandIndex {
  private readonly byKey = new Map<string, Set<string>>();
  readonly hashes = new Map<string, PerceptualHash>();
  add(id: string, hash: PerceptualHash): void {
    this.hashes.set(id, hash);
    for (const key of bandKeys(hash.hex)) {
      let ids = this.byKey.get(key);
      if (!ids) this.byKey.set(key, (ids = new Set()));
      ids.add(id);
    }
  }
  /** The photos a lookup reports: band candidates within the match distance. */
  lookup(hash: PerceptualHash, except?: string): string[] {
    const candidates = new Set<string>();
    for (const key of probeKeys(hash)) {
      for (const id of this.byKey.get(key) ?? []) candidates.add(id);
    }
    candidates.delete(except as string);
    return [...candidates]
      .filter((id) => sameImage(hash, this.hashes.get(id) as PerceptualHash))
      .sort();
  }
}

function randomHex(): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

async function main(): Promise<void> {
  const began = performance.now();
  sharp.concurrency(1);
  const files = pictureFiles();
  const { photos, blank } = await loadPhotos(files);
  const pictures = new Set(photos.map((photo) => photo.source)).size;
  console.log(
    `packages: ${packages.join(', ')}\n${files.length} distinct pictures in them, fewer than 1,000: ` +
      `each cut into non-overlapping tiles of ≥ 640×480 → ${photos.length} photos from ${pictures} pictures ` +
      `(${blank} nearly blank tiles left out, detail < ${minDetail})`,
  );
  console.log(
    `hash: 64-bit zig-zag DCT of the 320 px thumbnail; bands ${JSON.stringify(bandScheme.widths)} probed with ` +
      `every combination of their ${bandScheme.weakFlips} weakest bits (${probeKeys(photos[0]!.hash).length} keys, ${probeQueries(photos[0]!.hash).length} queries); match ≤ ${matchDistance} bits`,
  );

  const index = new BandIndex();
  for (const photo of photos) index.add(photo.id, photo.hash);

  // Recall: each photo's variants must find it.
  const found = new Map<Transform, number>(transforms.map((t) => [t, 0]));
  const lookups: Array<{ id: string; hash: PerceptualHash }> = [];
  let variants = 0;
  for (const photo of photos) {
    for (const transform of transforms) {
      const hash = await hashAsProcessed(await variantOf(photo.jpeg, transform));
      variants++;
      if (index.lookup(hash).includes(photo.id))
        found.set(transform, (found.get(transform) ?? 0) + 1);
      if (lookups.length < 40 && random() < 0.02) lookups.push({ id: photo.id, hash });
    }
  }
  const recall = [...found.values()].reduce((sum, n) => sum + n, 0) / variants;
  console.log(
    `\nrecall over ${variants} variants (${transforms.length} per photo): ${recall.toFixed(4)}`,
  );
  for (const transform of transforms) {
    console.log(
      `  ${transform.padEnd(10)} ${((found.get(transform) ?? 0) / photos.length).toFixed(4)}`,
    );
  }

  // False matches: every photo looked up against all the others.
  let falsePairs = 0;
  let photosWithFalse = 0;
  for (const photo of photos) {
    const others = index.lookup(photo.hash, photo.id);
    falsePairs += others.length;
    if (others.length > 0) photosWithFalse++;
  }
  const pairs = (photos.length * (photos.length - 1)) / 2;
  // Each false pair is reported by both of its photos' lookups.
  const falseMatchRate = falsePairs / 2 / pairs;
  console.log(
    `false matches among ${photos.length} distinct photos: ${falsePairs / 2} of ${pairs} pairs ` +
      `(${(falseMatchRate * 100).toFixed(4)} %); ${photosWithFalse} photos' lookups report another photo ` +
      `(${((photosWithFalse / photos.length) * 100).toFixed(2)} %: mostly neighbouring tiles of one picture)`,
  );

  // Reads per lookup, with real Firestore queries.
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${port}`;
  process.env.GCLOUD_PROJECT = projectId;
  const server = new LocalFirestore(projectId);
  await server.start(port);
  const { initializeApp } = await import('firebase-admin/app');
  initializeApp({ projectId });
  const { getFirestore } = await import('firebase-admin/firestore');
  const { findNearCopies, indexPhotoHash } = await import('../src/services/photoHashes');
  const db = getFirestore();
  const write = async (entries: Array<{ id: string; hash: PerceptualHash }>) => {
    for (let at = 0; at < entries.length; at += 400) {
      const batch = db.batch();
      for (const { id, hash } of entries.slice(at, at + 400))
        indexPhotoHash(batch, id, hash, 'bench');
      await batch.commit();
    }
  };
  const firstThousand = photos.slice(0, 1000);
  const small = new BandIndex();
  for (const photo of firstThousand) small.add(photo.id, photo.hash);
  await write(firstThousand);
  const sample = lookups.filter((lookup) => small.hashes.has(lookup.id)).slice(0, 30);
  for (const photo of firstThousand.slice(0, 30 - sample.length)) sample.push(photo);
  const measure = async (label: string, expected: BandIndex) => {
    let reads = 0;
    const started = performance.now();
    for (const lookup of sample) {
      const result = await findNearCopies(lookup.hash, { attachments: false });
      reads += result.reads;
      const ids = result.copies.map((copy) => copy.photoId).sort();
      if (ids.join() !== expected.lookup(lookup.hash).join()) {
        throw new Error(
          `${label}: Firestore found ${ids.join()} but the band index ${expected.lookup(lookup.hash).join()}`,
        );
      }
    }
    const perLookup = reads / sample.length;
    console.log(
      `  ${label}: ${perLookup.toFixed(2)} reads per lookup over ${sample.length} lookups ` +
        `(${((performance.now() - started) / sample.length).toFixed(0)} ms each on the local server)`,
    );
    return perLookup;
  };
  console.log(`\nreads per lookup (firebase-admin → local Firestore server on 127.0.0.1:${port}):`);
  const reads1k = await measure(`index of ${firstThousand.length}`, small);
  const synthetic: Array<{ id: string; hash: PerceptualHash }> = [];
  for (let i = 0; synthetic.length + firstThousand.length < 100_000; i++) {
    const hash = { hex: randomHex(), detail: 10, weakBits: [] };
    synthetic.push({ id: `s${i}`, hash });
    small.add(`s${i}`, hash);
  }
  await write(synthetic);
  const reads100k = await measure(
    `index of ${firstThousand.length + synthetic.length} (${synthetic.length} random hashes)`,
    small,
  );
  await server.stop();

  console.log(`run took ${((performance.now() - began) / 1000).toFixed(0)} s`);
  const round = (value: number, digits: number) => Number(value.toFixed(digits));
  console.log(
    `RESULT ${JSON.stringify({
      recall: round(recall, 4),
      false_match_rate: round(falseMatchRate, 6),
      photos: photos.length,
      reads_per_lookup_1k: round(reads1k, 2),
      reads_per_lookup_100k: round(reads100k, 2),
    })}`,
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
