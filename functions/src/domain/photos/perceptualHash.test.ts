import sharp from 'sharp';
import { hashOfGrey, hashSide, perceptualHash } from './perceptualHash';
import {
  bandKeys,
  hammingDistance,
  matchDistance,
  maxKeysPerQuery,
  probeKeys,
  probeQueries,
  sameImage,
  type BandScheme,
} from './perceptualHashBands';

describe('hammingDistance', () => {
  test.each([
    ['0000000000000000', '0000000000000000', 0],
    ['0000000000000000', '0000000000000001', 1],
    ['ffffffffffffffff', '0000000000000000', 64],
    ['8000000000000001', '0000000000000000', 2],
    ['f0f0f0f0f0f0f0f0', '0f0f0f0f0f0f0f0f', 64],
  ])('%s vs %s: %i bits', (a, b, bits) => {
    expect(hammingDistance(a, b)).toBe(bits);
    expect(hammingDistance(b, a)).toBe(bits);
  });

  test('refuses what is not 16 hex digits', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow();
    expect(() => hammingDistance('000000000000000G', '0000000000000000')).toThrow();
  });
});

describe('band keys and probes', () => {
  const scheme: BandScheme = { widths: [22, 21, 21], weakFlips: 0, probeRadius: 1 };
  const noWeakBits = (hex: string) => ({ hex, weakBits: [] });

  test('one key per band, numbered, values in fixed-width hex', () => {
    expect(bandKeys('ffffffffffffffff', scheme)).toEqual(['0:3fffff', '1:1fffff', '2:1fffff']);
    expect(bandKeys('0000000000000000', scheme)).toEqual(['0:000000', '1:000000', '2:000000']);
  });

  test('radius 1 probes every single bit of each band, its own value first', () => {
    const keys = probeKeys(noWeakBits('0000000000000000'), scheme);
    expect(keys).toHaveLength(23 + 22 + 22);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe('0:000000');
    expect(keys).toContain('0:200000');
    expect(keys).toContain('2:000001');
  });

  test('weak flips probe every combination of the weakest bits of each band', () => {
    // Bands: bits 0–21, 22–42, 43–63. Bits 0 and 1 are the two highest of band 0, 63 the lowest
    // of band 2; bit 30 is bit 22 + 21 − 1 − 30 = 12 of band 1's value, bit 40 its bit 2.
    const hash = { hex: '0000000000000000', weakBits: [0, 63, 1, 30, 2, 40] };
    const keys = probeKeys(hash, { widths: [22, 21, 21], weakFlips: 2, probeRadius: 0 });
    expect(keys).toEqual([
      '0:000000',
      '0:200000',
      '0:100000',
      '0:300000',
      '1:000000',
      '1:001000',
      '1:000004',
      '1:001004',
      '2:000000',
      '2:000001',
    ]);
  });

  test('queries hold at most the keys Firestore takes in one array-contains-any', () => {
    const hash = { hex: '0123456789abcdef', weakBits: [...Array(64).keys()] };
    const groups = probeQueries(hash);
    expect(groups.every((group) => group.length <= maxKeysPerQuery)).toBe(true);
    expect(groups.flat()).toEqual(probeKeys(hash));
  });

  // Pigeonhole: within bands × 2 − 1 bits, some band differs by at most one bit.
  test('at radius 1 every hash within 5 bits is found, whichever bits differ', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 300; trial++) {
      let bits = 0n;
      for (let i = 0; i < 64; i++) if (random() < 0.5) bits |= 1n << BigInt(i);
      const original = bits.toString(16).padStart(16, '0');
      let near = bits;
      const flips = new Set<number>();
      while (flips.size < 1 + Math.floor(random() * 5)) flips.add(Math.floor(random() * 64));
      for (const flip of flips) near ^= 1n << BigInt(flip);
      const nearHex = near.toString(16).padStart(16, '0');
      const stored = new Set(bandKeys(original, scheme));
      expect(probeKeys(noWeakBits(nearHex), scheme).some((key) => stored.has(key))).toBe(true);
    }
  });

  test('a copy whose flipped bits are among its weakest is found', () => {
    const original = '0123456789abcdef';
    // Bits 3 and 9 of band 0, 25 of band 1, 50 of band 2 flipped: no band is exact.
    let near = BigInt(`0x${original}`);
    for (const bit of [3, 9, 25, 50]) near ^= 1n << BigInt(63 - bit);
    const copy = { hex: near.toString(16).padStart(16, '0'), weakBits: [9, 25, 3, 50] };
    const stored = new Set(bandKeys(original));
    expect(hammingDistance(original, copy.hex)).toBe(4);
    expect(probeKeys(copy).some((key) => stored.has(key))).toBe(true);
    expect(probeKeys({ ...copy, weakBits: [] }).some((key) => stored.has(key))).toBe(false);
  });
});

describe('sameImage', () => {
  const a = { hex: '0123456789abcdef', detail: 20 };
  test('within the match distance', () => {
    expect(sameImage(a, { hex: '0123456789abcdee', detail: 20 })).toBe(true);
    expect(sameImage(a, { hex: 'fedcba9876543210', detail: 20 })).toBe(false);
    expect(matchDistance).toBeLessThan(16);
  });
  test('a blank photo is never a copy, nor has copies', () => {
    expect(sameImage(a, { hex: a.hex, detail: 0.1 })).toBe(false);
    expect(sameImage({ ...a, detail: 0 }, a)).toBe(false);
  });
});

/** A picture with structure at several scales: shapes of different greys on a gradient. */
function scene(width: number, height: number, shapes: number): Buffer {
  let seed = shapes;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const parts: string[] = [];
  for (let i = 0; i < shapes; i++) {
    const grey = Math.floor(random() * 255);
    const fill = `rgb(${grey},${255 - grey},${Math.floor(random() * 255)})`;
    const x = random() * width;
    const y = random() * height;
    const size = (0.05 + random() * 0.25) * width;
    parts.push(
      random() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${size / 2}" fill="${fill}"/>`
        : `<rect x="${x}" y="${y}" width="${size}" height="${size * 0.6}" fill="${fill}"/>`,
    );
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#3a6b35"/><stop offset="1" stop-color="#e3c565"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${parts.join('')}</svg>`,
  );
}

describe('perceptualHash', () => {
  test('a flat image has no detail', () => {
    const hash = hashOfGrey(new Uint8Array(hashSide * hashSide).fill(128));
    expect(hash.detail).toBe(0);
  });

  test('lists every bit once, weakest first', async () => {
    const hash = await perceptualHash(
      await sharp(scene(400, 300, 12))
        .png()
        .toBuffer(),
    );
    expect([...hash.weakBits].sort((a, b) => a - b)).toEqual([...Array(64).keys()]);
  });

  test('refuses pixels of another size', () => {
    expect(() => hashOfGrey(new Uint8Array(10))).toThrow();
  });

  test('a photo re-encoded, resized to 90 %, brightened and cropped by 3 % stays a copy; another picture does not', async () => {
    const photo = await sharp(scene(1200, 900, 40))
      .jpeg({ quality: 85 })
      .toBuffer();
    const original = await perceptualHash(photo);
    expect(original.detail).toBeGreaterThan(1);
    const copy = await sharp(photo)
      .extract({ left: 18, top: 14, width: 1164, height: 873 })
      .resize(1048)
      .linear(1.08, 0)
      .jpeg({ quality: 62 })
      .toBuffer();
    expect(sameImage(original, await perceptualHash(copy))).toBe(true);
    const other = await perceptualHash(
      await sharp(scene(1200, 900, 41))
        .jpeg()
        .toBuffer(),
    );
    expect(sameImage(original, other)).toBe(false);
  });
});
