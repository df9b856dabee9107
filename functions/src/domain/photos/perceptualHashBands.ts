/**
 * Finding near copies of a perceptual hash with a Firestore query, not a scan: the 64 bits are cut
 * into `bands`; each stored hash lists its bands as `bandKeys` (`'0:1a2b3c'`), and a lookup asks
 * for every stored hash sharing a band with one of its probe keys, then keeps those within
 * `matchDistance` bits over all 64.
 *
 * The probe keys of a band are its value with every combination of its `weakFlips` weakest bits
 * flipped (the bits whose coefficient lay nearest the median, which a re-encoding or a crop turns
 * most often; perceptualHash.ts `weakBits`), and, if `probeRadius` is 1, every single bit flipped
 * too. bench:screening chose this over flipping any one or two bits: at the same number of keys
 * it finds more of the copies. The hash's bits run from low to high frequencies, so the first band
 * holds the bits that change least.
 *
 * The reads a lookup costs are its queries (30 keys each) plus the stored hashes that happen to
 * share a probed key; with b-bit bands an unrelated hash does so with probability
 * (probe keys) / 2^b, so wide bands keep that part near zero as the index grows to 100,000 photos,
 * where 8-bit bands would read a few percent of the whole index each time.
 */

export interface BandScheme {
  /** Band widths in bits, adding up to 64. */
  widths: readonly number[];
  /** How many of a band's weakest bits are flipped in every combination (2^n keys per band). */
  weakFlips: number;
  /** 1: every single bit of a band flipped as well; 0: not. */
  probeRadius: 0 | 1;
}

export const bandScheme: BandScheme = { widths: [22, 21, 21], weakFlips: 5, probeRadius: 0 };

/**
 * At most this many bits of 64 may differ for two photos to count as the same picture. Distinct
 * photos rarely come this close (bench:screening: the false-match rate among distinct photos).
 */
export const matchDistance = 14;

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

/** A lookup's hash: its bits and which of them are weakest. */
export interface ProbedHash {
  hex: string;
  weakBits: readonly number[];
}

/** The keys a lookup asks for, each band's own value first. */
export function probeKeys(hash: ProbedHash, scheme: BandScheme = bandScheme): string[] {
  const values = bandValues(hash.hex, scheme);
  let start = 0;
  return values.flatMap((value, band) => {
    const width = scheme.widths[band] as number;
    // Bit i of the hash (0 = highest) is bit (start + width − 1 − i) of its band's value.
    const masks = hash.weakBits
      .filter((bit) => bit >= start && bit < start + width)
      .slice(0, scheme.weakFlips)
      .map((bit) => 1 << (start + width - 1 - bit));
    start += width;
    const found = new Set<number>([value]);
    for (let subset = 1; subset < 1 << masks.length; subset++) {
      let near = value;
      masks.forEach((mask, i) => {
        if (subset & (1 << i)) near ^= mask;
      });
      found.add(near);
    }
    if (scheme.probeRadius === 1) {
      for (let bit = 0; bit < width; bit++) found.add(value ^ (1 << bit));
    }
    return [...found].map((near) => keyOf(band, near, width));
  });
}

/** Probe keys in groups that one `array-contains-any` query each can take. */
export function probeQueries(hash: ProbedHash, scheme: BandScheme = bandScheme): string[][] {
  const keys = probeKeys(hash, scheme);
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
