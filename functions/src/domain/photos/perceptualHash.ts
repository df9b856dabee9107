/**
 * A perceptual hash of an evidence photo, so that the same picture handed in again — re-encoded,
 * resized, slightly cropped or brightened — is recognised across the whole platform
 * (`bench:screening` measures it on real photos).
 *
 * Why not the `sharp-phash` package, which computes the same DCT hash on sharp: it answers a
 * 64-character bit string and nothing on how much the image holds, and a blank or nearly uniform
 * photo (a white wall, a dark room) has all its coefficients near zero, so its bits are noise and
 * it would "match" every other blank photo. Here the hash comes with its `detail` (the DCT energy
 * the bits were read from) and blank photos are never compared (perceptualHashBands.ts
 * `sameImage`). The hash itself follows pHash (grey, 32×32, 2-D DCT-II, one bit per coefficient
 * above the median) but reads the 64 lowest frequencies in zig-zag order, mean left out, instead
 * of pHash's 8×8 block from (1,1): a crop of a few percent shifts the picture, which turns the
 * phase of high frequencies much more than of low ones, and bench:screening found the zig-zag set
 * the most robust to crops at the same false-match rate.
 */
import sharp from 'sharp';

export const hashSide = 32;
/** The 64 lowest frequencies (u, v), diagonal by diagonal, the mean (0, 0) left out. */
const frequencies: Array<[number, number]> = [];
for (let sum = 1; frequencies.length < 64; sum++) {
  for (let u = 0; u <= sum && frequencies.length < 64; u++) frequencies.push([u, sum - u]);
}
const keep = 1 + Math.max(...frequencies.map(([u, v]) => Math.max(u, v)));

/** A 64-bit perceptual hash as 16 lowercase hex digits, with how much detail it was read from. */
export interface PerceptualHash {
  hex: string;
  /** Mean absolute value of the 64 coefficients, on 0–255 grey levels: ~0 for a blank image. */
  detail: number;
  /**
   * The 64 bit positions (0 = the hex's highest bit), those whose coefficient lies nearest the
   * median first: the bits a re-encoding or a crop flips most often, which a lookup probes.
   */
  weakBits: number[];
}

const cosines: number[][] = Array.from({ length: hashSide }, (_, k) =>
  Array.from({ length: hashSide }, (_, n) =>
    Math.cos(((2 * n + 1) * k * Math.PI) / (2 * hashSide)),
  ),
);

/**
 * The hash of a `hashSide`² grey image (row-major, one byte per pixel). Separable DCT: the rows,
 * then the columns, only for the frequencies kept.
 */
export function hashOfGrey(pixels: Uint8Array | Buffer): PerceptualHash {
  if (pixels.length !== hashSide * hashSide) {
    throw new Error(`expected ${hashSide}×${hashSide} grey pixels, got ${pixels.length}`);
  }
  // rows[y][v]: frequency v along row y.
  const rows: number[][] = [];
  for (let y = 0; y < hashSide; y++) {
    const row: number[] = [];
    for (let v = 0; v < keep; v++) {
      let sum = 0;
      const cos = cosines[v] as number[];
      for (let x = 0; x < hashSide; x++) sum += (pixels[y * hashSide + x] as number) * cos[x]!;
      row.push(sum);
    }
    rows.push(row);
  }
  const coefficients = frequencies.map(([u, v]) => {
    const cos = cosines[u] as number[];
    let sum = 0;
    for (let y = 0; y < hashSide; y++) sum += (rows[y] as number[])[v]! * cos[y]!;
    return (sum * 2) / hashSide;
  });
  const sorted = [...coefficients].sort((a, b) => a - b);
  const median = ((sorted[31] as number) + (sorted[32] as number)) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) {
      value = (value << 1) | ((coefficients[nibble * 4 + bit] as number) > median ? 1 : 0);
    }
    hex += value.toString(16);
  }
  const detail = coefficients.reduce((total, c) => total + Math.abs(c), 0) / coefficients.length;
  const margin = coefficients.map((c) => Math.abs(c - median));
  const weakBits = margin
    .map((_, bit) => bit)
    .sort((a, b) => (margin[a] as number) - (margin[b] as number) || a - b);
  return { hex, detail: Math.round(detail * 1000) / 1000, weakBits };
}

/**
 * The hash of an encoded image (JPEG, PNG, WebP): EXIF orientation applied, so a photo and its
 * upright copy agree; `fit: 'fill'` so the aspect ratio does not matter.
 */
export async function perceptualHash(image: Buffer): Promise<PerceptualHash> {
  const pixels = await sharp(image, { failOn: 'none' })
    .rotate()
    .greyscale()
    .resize(hashSide, hashSide, { fit: 'fill' })
    .raw()
    .toBuffer();
  return hashOfGrey(pixels);
}
