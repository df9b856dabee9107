/**
 * Finding near copies of a perceptual hash with a Firestore query, not a scan: the 64 bits are cut
 * into `bands`; each stored hash lists its bands as `bandKeys` (`'0:1a2b3c'`), and a lookup asks
 * for every stored hash sharing a band with any key within `probeRadius` bits of its own band
 * (multi-probe LSH), then keeps those within `matchDistance` bits over all 64.
 *
 * Why these numbers (bench:screening measures them): two hashes within Hamming distance
 * d ≤ bands × (probeRadius + 1) − 1 always share a band up to `probeRadius` bits (pigeonhole), so
 * every such pair is found; farther ones often are, as their differing bits are rarely spread
 * evenly; the hash's bits run from low to high frequencies, so the first band holds the bits
 * that re-encoding, resizing and cropping change least. The reads a lookup costs are the queries plus the stored hashes that happen to share a
 * probed key; with b-bit bands an unrelated hash shares one with probability
 * (probe keys) / 2^b, so wide bands keep the reads flat as the index grows to 100,000 photos and
 * beyond, where 8-bit bands would read a few percent of the whole index each time.
 */

export interface BandScheme {
  /** Band widths in bits, adding up to 64. */
  widths: readonly number[];
  /** Bits that may differ inside a band for the lookup still to find it. */
  probeRadius: number;
}

export const bandScheme: BandScheme = { widths: [22, 21, 21], probeRadius: 1 };

/**
 * At most this many bits of 64 may differ for two photos to count as the same picture. Distinct
 * photos rarely come this close (bench:screening: the false-match rate among distinct photos).
 */
export const matchDistance = 12;

/**
 * Below this `detail` (perceptualHash.ts) a photo is nearly blank and its bits are noise: it is
 * indexed but never reported as a copy, nor is anything reported as a copy of it.
 */
export const minDetail = 1;

/** The most values Firestore takes in one `array-contains-any`. */
export const maxKeysPerQuery = 30;

const hexPattern = /^[0-9a-f]{16}$/;

export function isHashHex(hex: string): boolean {
  return hexPattern.test(hex);
}

function bitsOf(hex: string): bigint {
  if (!isHashHex(hex)) throw new Error('a perceptual hash is 16 lowercase hex digits');
  return BigInt(`0x${hex}`);
}

/** The number of bits in which two hashes differ. */
export function hammingDistance(a: string, b: string): number {
  let x = bitsOf(a) ^ bitsOf(b);
  let count = 0;
  while (x > 0n) {
    x &= x - 1n;
    count++;
  }
  return count;
}

/** Each band's value, highest bits first. */
function bandValues(hex: string, scheme: BandScheme): number[] {
  const total = scheme.widths.reduce((sum, width) => sum + width, 0);
  if (total !== 64) throw new Error('band widths must add up to 64');
  const bits = bitsOf(hex);
  let shift = 64;
  return scheme.widths.map((width) => {
    shift -= width;
    return Number((bits >> BigInt(shift)) & ((1n << BigInt(width)) - 1n));
  });
}

function keyOf(band: number, value: number, width: number): string {
  return `${band}:${value.toString(16).padStart(Math.ceil(width / 4), '0')}`;
}

/** The keys stored with a hash: one per band. */
export function bandKeys(hex: string, scheme: BandScheme = bandScheme): string[] {
  return bandValues(hex, scheme).map((value, band) =>
    keyOf(band, value, scheme.widths[band] as number),
  );
}

/** Every value within `radius` bits of `value` in a `width`-bit band, `value` first. */
function neighbours(value: number, width: number, radius: number): number[] {
  const found = [value];
  const flip = (from: number, start: number, left: number) => {
    if (left === 0) return;
    for (let bit = start; bit < width; bit++) {
      const next = from ^ (1 << bit);
      found.push(next);
      flip(next, bit + 1, left - 1);
    }
  };
  flip(value, 0, radius);
  return found;
}

/** The keys a lookup asks for: every band's value and those within `probeRadius` of it. */
export function probeKeys(hex: string, scheme: BandScheme = bandScheme): string[] {
  return bandValues(hex, scheme).flatMap((value, band) => {
    const width = scheme.widths[band] as number;
    return neighbours(value, width, scheme.probeRadius).map((near) => keyOf(band, near, width));
  });
}

/** Probe keys in groups that one `array-contains-any` query each can take. */
export function probeQueries(hex: string, scheme: BandScheme = bandScheme): string[][] {
  const keys = probeKeys(hex, scheme);
  const groups: string[][] = [];
  for (let at = 0; at < keys.length; at += maxKeysPerQuery) {
    groups.push(keys.slice(at, at + maxKeysPerQuery));
  }
  return groups;
}

export interface HashedPhoto {
  hex: string;
  detail: number;
}

/** Whether two photos' hashes say they are the same picture. */
export function sameImage(a: HashedPhoto, b: HashedPhoto, distance = matchDistance): boolean {
  if (a.detail < minDetail || b.detail < minDetail) return false;
  return hammingDistance(a.hex, b.hex) <= distance;
}
