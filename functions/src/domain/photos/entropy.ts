/**
 * Checks the entropy-coded data of a sequential (baseline) JPEG the way a decoder reads it,
 * without decoding pixels. libjpeg resynchronises silently after most bytes flipped in a baseline
 * scan and paints garbage, so even sharp's `failOn: 'warning'` misses them; walking the Huffman
 * codes finds what a decoder papers over:
 * - a marker before the last MCU: the scan was cut (`truncated`);
 * - a bit sequence that is no code of the table, a coefficient run past the 64th, a DC value no
 *   8-bit image produces, restart markers out of sequence, bytes left over at the end of a scan,
 *   padding that is not all ones (`corrupt`).
 * Progressive, 12-bit and arithmetic-coded files are left to the decoder (undefined).
 */

export type EntropyProblem = 'truncated' | 'corrupt';

interface HuffmanTable {
  /** For codes of up to `lookupBits` bits: (length << 8) | symbol, or 0 when none. */
  lookup: Uint16Array;
  /** Per code length 1–16: the largest code of that length (−1 when none). */
  maxCode: Int32Array;
  /** Per code length: index into `symbols` of its first code, minus that code. */
  offset: Int32Array;
  symbols: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
}

interface Frame {
  width: number;
  height: number;
  components: Component[];
}

const lookupBits = 9;

class Damaged extends Error {
  constructor(readonly problem: EntropyProblem) {
    super(problem);
  }
}

function buildTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable {
  const lookup = new Uint16Array(1 << lookupBits);
  const maxCode = new Int32Array(17).fill(-1);
  const offset = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] as number;
    offset[length] = index - code;
    for (let i = 0; i < count; i++) {
      if (length <= lookupBits) {
        const shift = lookupBits - length;
        const entry = (length << 8) | (symbols[index] as number);
        for (let fill = 0; fill < 1 << shift; fill++) lookup[(code << shift) | fill] = entry;
      }
      code++;
      index++;
    }
    if (count > 0) maxCode[length] = code - 1;
    // More codes than a length can hold: the table itself is impossible.
    if (code > 1 << length) throw new Damaged('corrupt');
    code <<= 1;
  }
  return { lookup, maxCode, offset, symbols };
}

/** Reads entropy-coded bits, unstuffing FF00, stopping at the first marker. */
class BitReader {
  private acc = 0;
  private bits = 0;
  /** Zero bits fed past a marker (as a decoder does): using one means the data ran out. */
  private phantom = 0;
  constructor(
    private readonly bytes: Buffer,
    public at: number,
  ) {}

  private fill(): void {
    while (this.bits <= 24) {
      let byte = 0;
      if (this.phantom > 0 || this.at >= this.bytes.length) {
        this.phantom += 8;
      } else {
        byte = this.bytes[this.at] as number;
        if (byte !== 0xff) this.at++;
        else if (this.bytes[this.at + 1] === 0x00) this.at += 2;
        else {
          byte = 0;
          this.phantom += 8;
        }
      }
      this.acc = ((this.acc << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  /** The next `n` (≤ 16) bits, consumed. */
  read(n: number): number {
    if (this.bits < n) this.fill();
    this.bits -= n;
    if (this.bits < this.phantom) throw new Damaged('truncated');
    return (this.acc >>> this.bits) & ((1 << n) - 1);
  }

  decode(table: HuffmanTable): number {
    if (this.bits < 16) this.fill();
    const entry = table.lookup[
      (this.acc >>> (this.bits - lookupBits)) & ((1 << lookupBits) - 1)
    ] as number;
    if (entry !== 0) {
      this.bits -= entry >> 8;
      if (this.bits < this.phantom) throw new Damaged('truncated');
      return entry & 0xff;
    }
    for (let length = lookupBits + 1; length <= 16; length++) {
      const code = (this.acc >>> (this.bits - length)) & ((1 << length) - 1);
      if (code <= (table.maxCode[length] as number)) {
        this.bits -= length;
        if (this.bits < this.phantom) throw new Damaged('truncated');
        return table.symbols[code + (table.offset[length] as number)] as number;
      }
    }
    // Running into the end of the data explains a missing code better than damage does.
    throw new Damaged(this.bits - 16 < this.phantom ? 'truncated' : 'corrupt');
  }

  /**
   * The end of a scan or restart interval: what is left of the last byte must be 1-bits of
   * padding, and the next thing in the file a marker. Returns where that marker is.
   */
  finish(): number {
    const real = this.bits - this.phantom;
    if (real >= 8) throw new Damaged('corrupt');
    if (real > 0 && ((this.acc >>> this.phantom) & ((1 << real) - 1)) !== (1 << real) - 1) {
      throw new Damaged('corrupt');
    }
    if (this.phantom === 0 && !(this.bytes[this.at] === 0xff && this.bytes[this.at + 1] !== 0)) {
      throw new Damaged('corrupt');
    }
    return this.at;
  }
}

const extend = (value: number, size: number): number =>
  value < 1 << (size - 1) ? value - (1 << size) + 1 : value;

interface ScanComponent {
  component: Component;
  dc: HuffmanTable;
  ac: HuffmanTable;
  predictor: number;
}

function checkScan(
  bytes: Buffer,
  start: number,
  frame: Frame,
  scan: ScanComponent[],
  restartInterval: number,
): number {
  const hMax = Math.max(...frame.components.map((c) => c.h));
  const vMax = Math.max(...frame.components.map((c) => c.v));
  let mcus: number;
  let blocks: Array<{ scan: ScanComponent; count: number }>;
  if (scan.length === 1) {
    const only = scan[0] as ScanComponent;
    const columns = Math.ceil(Math.ceil((frame.width * only.component.h) / hMax) / 8);
    const rows = Math.ceil(Math.ceil((frame.height * only.component.v) / vMax) / 8);
    mcus = columns * rows;
    blocks = [{ scan: only, count: 1 }];
  } else {
    mcus = Math.ceil(frame.width / (8 * hMax)) * Math.ceil(frame.height / (8 * vMax));
    blocks = scan.map((s) => ({ scan: s, count: s.component.h * s.component.v }));
  }
  let reader = new BitReader(bytes, start);
  let expectedRestart = 0;
  for (let mcu = 0; mcu < mcus; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      const at = reader.finish();
      if (bytes[at + 1] !== 0xd0 + expectedRestart) {
        throw new Damaged(bytes[at + 1] === 0xd9 ? 'truncated' : 'corrupt');
      }
      expectedRestart = (expectedRestart + 1) % 8;
      for (const s of scan) s.predictor = 0;
      reader = new BitReader(bytes, at + 2);
    }
    for (const { scan: s, count } of blocks) {
      for (let block = 0; block < count; block++) {
        const dcSize = reader.decode(s.dc);
        if (dcSize > 11) throw new Damaged('corrupt');
        if (dcSize > 0) s.predictor += extend(reader.read(dcSize), dcSize);
        // An 8-bit image's DC coefficient lies within ±1024 even before quantisation.
        if (s.predictor > 1024 || s.predictor < -1024) throw new Damaged('corrupt');
        for (let k = 1; k < 64;) {
          const symbol = reader.decode(s.ac);
          const size = symbol & 0x0f;
          if (size === 0) {
            if (symbol === 0xf0) {
              k += 16;
              if (k > 64) throw new Damaged('corrupt');
              continue;
            }
            if (symbol !== 0) throw new Damaged('corrupt');
            break;
          }
          if (size > 10) throw new Damaged('corrupt');
          k += symbol >> 4;
          if (k > 63) throw new Damaged('corrupt');
          reader.read(size);
          k++;
        }
      }
    }
  }
  return reader.finish();
}

/**
 * Why the entropy-coded data of this JPEG (already walked by `sniff`, so its segments are in
 * bounds) cannot be what its encoder wrote, or undefined when it can, or when it is not an 8-bit
 * sequential Huffman-coded JPEG.
 */
export function jpegEntropyProblem(bytes: Buffer): EntropyProblem | undefined {
  const dcTables: Array<HuffmanTable | undefined> = [];
  const acTables: Array<HuffmanTable | undefined> = [];
  let frame: Frame | undefined;
  let restartInterval = 0;
  let at = 2;
  try {
    while (at + 2 <= bytes.length) {
      if (bytes[at] !== 0xff) return 'corrupt';
      const marker = bytes[at + 1] as number;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker === 0xd9) return frame ? undefined : 'corrupt';
      if (at + 4 > bytes.length) return 'truncated';
      const length = bytes.readUInt16BE(at + 2);
      const body = bytes.subarray(at + 4, at + 2 + length);
      if (marker === 0xc0 || marker === 0xc1) {
        // 12-bit precision, or a height announced later by a DNL marker: left to the decoder.
        if (body[0] !== 8 || body.readUInt16BE(1) === 0) return undefined;
        const components: Component[] = [];
        for (let i = 0; i < (body[5] as number); i++) {
          const sampling = body[7 + i * 3] as number;
          components.push({ id: body[6 + i * 3] as number, h: sampling >> 4, v: sampling & 15 });
        }
        if (components.some((c) => c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4)) return 'corrupt';
        frame = { width: body.readUInt16BE(3), height: body.readUInt16BE(1), components };
      } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8) {
        return undefined; // progressive, lossless or arithmetic-coded
      } else if (marker === 0xc4) {
        for (let p = 0; p < body.length;) {
          const counts = body.subarray(p + 1, p + 17);
          const total = counts.reduce((sum, n) => sum + n, 0);
          if (counts.length < 16 || p + 17 + total > body.length) return 'corrupt';
          const table = buildTable(counts, body.subarray(p + 17, p + 17 + total));
          const classAndId = body[p] as number;
          (classAndId >> 4 === 0 ? dcTables : acTables)[classAndId & 0x0f] = table;
          p += 17 + total;
        }
      } else if (marker === 0xdd) {
        restartInterval = body.readUInt16BE(0);
      } else if (marker === 0xda) {
        if (!frame) return 'corrupt';
        const scan: ScanComponent[] = [];
        for (let i = 0; i < (body[0] as number); i++) {
          const tables = body[2 + i * 2] as number;
          const component = frame.components.find((c) => c.id === body[1 + i * 2]);
          const dc = dcTables[tables >> 4];
          const ac = acTables[tables & 0x0f];
          if (!component || !dc || !ac) return 'corrupt';
          scan.push({ component, dc, ac, predictor: 0 });
        }
        at = checkScan(bytes, at + 2 + length, frame, scan, restartInterval);
        continue;
      }
      at += 2 + length;
    }
    return 'truncated';
  } catch (error) {
    if (error instanceof Damaged) return error.problem;
    throw error;
  }
}
