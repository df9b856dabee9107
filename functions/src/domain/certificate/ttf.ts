/**
 * A TrueType reader and subsetter for the certificate fonts: just what the layout, the PDF and
 * the preview need (cmap lookup, advances, vertical metrics, glyph outlines, a glyf-table subset).
 *
 * Why not fontkit: loading it (with pdfkit's other dependencies) took 150-250 ms of a cold
 * instance's first certificate, most of it decompressing Unicode and shaping tables and a
 * WOFF2 dictionary at require time that a horizontal CJK certificate never uses. The tables here
 * are read in place from the file's buffer, on demand.
 */
import type { PathCommand } from './raster';

interface TableRecord {
  offset: number;
  length: number;
}

/** A glyph as the layout and the renderers see it. */
export interface Glyph {
  id: number;
  /** In font units. */
  advanceWidth: number;
}

export class TrueTypeFont {
  readonly unitsPerEm: number;
  /** hhea ascender and descender, in font units (what fontkit reports as ascent/descent). */
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly xHeight: number;
  readonly italicAngle: number;
  readonly bbox: readonly [number, number, number, number];
  readonly numGlyphs: number;
  readonly postscriptName: string;
  private readonly tables = new Map<string, TableRecord>();
  private readonly view: DataView;
  private readonly longLoca: boolean;
  private readonly numberOfHMetrics: number;
  // None in a subset: a PDF's CID font maps CIDs to glyphs without one.
  private readonly cmap: { format: 4 | 12; offset: number } | undefined;
  private readonly glyphCache = new Map<number, number>();

  constructor(readonly data: Buffer) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const count = this.u16(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + 16 * i;
      this.tables.set(data.toString('latin1', record, record + 4), {
        offset: this.u32(record + 8),
        length: this.u32(record + 12),
      });
    }
    const head = this.table('head').offset;
    this.unitsPerEm = this.u16(head + 18);
    this.bbox = [
      this.i16(head + 36),
      this.i16(head + 38),
      this.i16(head + 40),
      this.i16(head + 42),
    ];
    this.longLoca = this.i16(head + 50) === 1;
    const hhea = this.table('hhea').offset;
    this.ascent = this.i16(hhea + 4);
    this.descent = this.i16(hhea + 6);
    this.numberOfHMetrics = this.u16(hhea + 34);
    this.numGlyphs = this.u16(this.table('maxp').offset + 4);
    const os2 = this.tables.get('OS/2');
    const os2Version = os2 ? this.u16(os2.offset) : 0;
    this.capHeight = os2 && os2Version >= 2 ? this.i16(os2.offset + 88) : this.ascent;
    this.xHeight = os2 && os2Version >= 2 ? this.i16(os2.offset + 86) : 0;
    const post = this.tables.get('post');
    this.italicAngle = post ? this.i32(post.offset + 4) / 65536 : 0;
    this.postscriptName = this.nameRecord(6) ?? 'Font';
    this.cmap = this.unicodeCmap();
  }

  private u16(offset: number): number {
    return this.view.getUint16(offset);
  }
  private i16(offset: number): number {
    return this.view.getInt16(offset);
  }
  private u32(offset: number): number {
    return this.view.getUint32(offset);
  }
  private i32(offset: number): number {
    return this.view.getInt32(offset);
  }

  private table(tag: string): TableRecord {
    const table = this.tables.get(tag);
    if (!table) throw new Error(`font ${this.postscriptName ?? ''} has no ${tag} table`);
    return table;
  }

  private nameRecord(nameId: number): string | undefined {
    const name = this.tables.get('name');
    if (!name) return undefined;
    const count = this.u16(name.offset + 2);
    const strings = name.offset + this.u16(name.offset + 4);
    for (let i = 0; i < count; i++) {
      const record = name.offset + 6 + 12 * i;
      if (this.u16(record + 6) !== nameId) continue;
      const platform = this.u16(record);
      const start = strings + this.u16(record + 10);
      const length = this.u16(record + 8);
      if (platform === 1) return this.data.toString('latin1', start, start + length);
      let text = '';
      for (let j = 0; j + 1 < length; j += 2) text += String.fromCharCode(this.u16(start + j));
      return text;
    }
    return undefined;
  }

  private unicodeCmap(): { format: 4 | 12; offset: number } | undefined {
    if (!this.tables.has('cmap')) return undefined;
    const cmap = this.table('cmap').offset;
    let best: { format: 4 | 12; offset: number; rank: number } | undefined;
    for (let i = 0; i < this.u16(cmap + 2); i++) {
      const record = cmap + 4 + 8 * i;
      const platform = this.u16(record);
      const encoding = this.u16(record + 2);
      const offset = cmap + this.u32(record + 4);
      const format = this.u16(offset);
      const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
      if (!unicode || (format !== 4 && format !== 12)) continue;
      // A format 12 table covers the astral planes as well.
      const rank = format === 12 ? 2 : 1;
      if (!best || rank > best.rank) best = { format, offset, rank };
    }
    if (!best) throw new Error(`font ${this.postscriptName} has no Unicode cmap`);
    return { format: best.format, offset: best.offset };
  }

  /** The glyph id of a code point, 0 (.notdef) when the font lacks it. */
  glyphIdFor(codePoint: number): number {
    let id = this.glyphCache.get(codePoint);
    if (id === undefined) {
      const cmap = this.cmap;
      if (!cmap) id = 0;
      else if (cmap.format === 4) id = this.lookup4(cmap.offset, codePoint);
      else id = this.lookup12(cmap.offset, codePoint);
      this.glyphCache.set(codePoint, id);
    }
    return id;
  }

  private lookup4(table: number, codePoint: number): number {
    if (codePoint > 0xffff) return 0;
    const segments = this.u16(table + 6) >> 1;
    const ends = table + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const rangeOffsets = deltas + 2 * segments;
    let low = 0;
    let high = segments - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (codePoint > this.u16(ends + 2 * middle)) low = middle + 1;
      else high = middle - 1;
    }
    if (low >= segments) return 0;
    const start = this.u16(starts + 2 * low);
    if (codePoint < start) return 0;
    const delta = this.u16(deltas + 2 * low);
    const rangeOffset = this.u16(rangeOffsets + 2 * low);
    if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
    const glyph = this.u16(rangeOffsets + 2 * low + rangeOffset + 2 * (codePoint - start));
    return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
  }

  private lookup12(table: number, codePoint: number): number {
    const groups = table + 16;
    let low = 0;
    let high = this.u32(table + 12) - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const group = groups + 12 * middle;
      if (codePoint < this.u32(group)) high = middle - 1;
      else if (codePoint > this.u32(group + 4)) low = middle + 1;
      else return this.u32(group + 8) + codePoint - this.u32(group);
    }
    return 0;
  }

  /** Every code point the cmap maps to a glyph, with its glyph id. */
  *codePoints(): Generator<[number, number]> {
    if (!this.cmap) return;
    const table = this.cmap.offset;
    if (this.cmap.format === 12) {
      for (let i = 0; i < this.u32(table + 12); i++) {
        const group = table + 16 + 12 * i;
        for (let cp = this.u32(group); cp <= this.u32(group + 4); cp++) {
          yield [cp, this.u32(group + 8) + cp - this.u32(group)];
        }
      }
      return;
    }
    const segments = this.u16(table + 6) >> 1;
    const starts = table + 14 + 2 * segments + 2;
    for (let i = 0; i < segments; i++) {
      const end = this.u16(table + 14 + 2 * i);
      for (let cp = this.u16(starts + 2 * i); cp <= end && cp !== 0xffff; cp++) {
        const id = this.lookup4(table, cp);
        if (id) yield [cp, id];
      }
    }
  }

  hasGlyphForCodePoint(codePoint: number): boolean {
    return this.glyphIdFor(codePoint) !== 0;
  }

  /** Advance width of a glyph, in font units. */
  advanceWidth(glyphId: number): number {
    const hmtx = this.table('hmtx').offset;
    return this.u16(hmtx + 4 * Math.min(glyphId, this.numberOfHMetrics - 1));
  }

  glyphForCodePoint(codePoint: number): Glyph {
    const id = this.glyphIdFor(codePoint);
    return { id, advanceWidth: this.advanceWidth(id) };
  }

  /** [start, end) of a glyph's record in the file. */
  private glyphRange(glyphId: number): [number, number] {
    const loca = this.table('loca').offset;
    const glyf = this.table('glyf').offset;
    if (glyphId >= this.numGlyphs) return [glyf, glyf];
    return this.longLoca
      ? [glyf + this.u32(loca + 4 * glyphId), glyf + this.u32(loca + 4 * glyphId + 4)]
      : [glyf + 2 * this.u16(loca + 2 * glyphId), glyf + 2 * this.u16(loca + 2 * glyphId + 2)];
  }

  /** Glyph ids a composite glyph refers to, with the byte offset of each reference. */
  private components(start: number): Array<{ id: number; at: number }> {
    const found: Array<{ id: number; at: number }> = [];
    let at = start + 10;
    for (;;) {
      const flags = this.u16(at);
      found.push({ id: this.u16(at + 2), at: at + 2 });
      at += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) at += 2;
      else if (flags & 0x0040) at += 4;
      else if (flags & 0x0080) at += 8;
      if (!(flags & 0x0020)) return found;
    }
  }

  /**
   * The glyph's outline as path commands in font units (y up), built the way fontkit builds
   * it from TrueType contours: implied on-curve points between consecutive off-curve ones.
   */
  outline(glyphId: number): PathCommand[] {
    const commands: PathCommand[] = [];
    this.appendOutline(glyphId, [1, 0, 0, 1, 0, 0], commands, 0);
    return commands;
  }

  private appendOutline(
    glyphId: number,
    m: [number, number, number, number, number, number],
    commands: PathCommand[],
    depth: number,
  ): void {
    const [start, end] = this.glyphRange(glyphId);
    if (end <= start || depth > 8) return;
    const contourCount = this.i16(start);
    if (contourCount < 0) {
      this.appendComposite(start, m, commands, depth);
      return;
    }
    const endPoints: number[] = [];
    for (let i = 0; i < contourCount; i++) endPoints.push(this.u16(start + 10 + 2 * i));
    const pointCount = contourCount ? (endPoints[contourCount - 1] as number) + 1 : 0;
    let at = start + 10 + 2 * contourCount;
    at += 2 + this.u16(at);
    const flags = new Uint8Array(pointCount);
    for (let i = 0; i < pointCount;) {
      const flag = this.data[at++] as number;
      flags[i++] = flag;
      if (flag & 0x08) {
        let repeat = this.data[at++] as number;
        while (repeat-- > 0 && i < pointCount) flags[i++] = flag;
      }
    }
    const xs = new Float64Array(pointCount);
    const ys = new Float64Array(pointCount);
    for (const [coords, short, same] of [
      [xs, 0x02, 0x10],
      [ys, 0x04, 0x20],
    ] as const) {
      let value = 0;
      for (let i = 0; i < pointCount; i++) {
        const flag = flags[i] as number;
        if (flag & short) {
          const delta = this.data[at++] as number;
          value += flag & same ? delta : -delta;
        } else if (!(flag & same)) {
          value += this.i16(at);
          at += 2;
        }
        coords[i] = value;
      }
    }
    const [a, b, c, d, e, f] = m;
    if (a !== 1 || b !== 0 || c !== 0 || d !== 1 || e !== 0 || f !== 0) {
      for (let i = 0; i < pointCount; i++) {
        const x = xs[i] as number;
        const y = ys[i] as number;
        xs[i] = a * x + c * y + e;
        ys[i] = b * x + d * y + f;
      }
    }
    // Plain loops over typed arrays, no closures: on a cold instance this runs interpreted.
    let first = 0;
    for (const last of endPoints) {
      const count = last - first + 1;
      // Start at an on-curve point; a contour of off-curve points only starts between two.
      let startK = 0;
      while (startK < count && !((flags[first + startK] as number) & 1)) startK++;
      const allOff = startK === count;
      const sx = allOff
        ? ((xs[last] as number) + (xs[first] as number)) / 2
        : (xs[first + startK] as number);
      const sy = allOff
        ? ((ys[last] as number) + (ys[first] as number)) / 2
        : (ys[first + startK] as number);
      commands.push({ command: 'moveTo', args: [sx, sy] });
      let cx = 0;
      let cy = 0;
      let control = false;
      // Round the contour back to the start point (only an on-curve start is visited twice).
      const from = allOff ? 0 : 1;
      const to = allOff ? count - 1 : count;
      for (let step = from; step <= to; step++) {
        const index = first + (allOff ? step : (startK + step) % count);
        const qx = xs[index] as number;
        const qy = ys[index] as number;
        if ((flags[index] as number) & 1) {
          if (control) commands.push({ command: 'quadraticCurveTo', args: [cx, cy, qx, qy] });
          else commands.push({ command: 'lineTo', args: [qx, qy] });
          control = false;
        } else {
          if (control) {
            commands.push({
              command: 'quadraticCurveTo',
              args: [cx, cy, (cx + qx) / 2, (cy + qy) / 2],
            });
          }
          cx = qx;
          cy = qy;
          control = true;
        }
      }
      if (control) commands.push({ command: 'quadraticCurveTo', args: [cx, cy, sx, sy] });
      commands.push({ command: 'closePath', args: [] });
      first = last + 1;
    }
  }

  private appendComposite(
    start: number,
    m: [number, number, number, number, number, number],
    commands: PathCommand[],
    depth: number,
  ): void {
    let at = start + 10;
    for (;;) {
      const flags = this.u16(at);
      const id = this.u16(at + 2);
      at += 4;
      let dx = 0;
      let dy = 0;
      if (flags & 0x0001) {
        dx = this.i16(at);
        dy = this.i16(at + 2);
        at += 4;
      } else {
        dx = this.view.getInt8(at);
        dy = this.view.getInt8(at + 1);
        at += 2;
      }
      let [ca, cb, cc, cd] = [1, 0, 0, 1];
      const f2dot14 = (offset: number) => this.i16(offset) / 16384;
      if (flags & 0x0008) {
        ca = cd = f2dot14(at);
        at += 2;
      } else if (flags & 0x0040) {
        ca = f2dot14(at);
        cd = f2dot14(at + 2);
        at += 4;
      } else if (flags & 0x0080) {
        [ca, cb, cc, cd] = [f2dot14(at), f2dot14(at + 2), f2dot14(at + 4), f2dot14(at + 6)];
        at += 8;
      }
      // Point-matched components (ARGS_ARE_XY_VALUES unset) do not occur in these fonts.
      if (!(flags & 0x0002)) [dx, dy] = [0, 0];
      const [a, b, c, d, e, f] = m;
      this.appendOutline(
        id,
        [
          a * ca + c * cb,
          b * ca + d * cb,
          a * cc + c * cd,
          b * cc + d * cd,
          a * dx + c * dy + e,
          b * dx + d * dy + f,
        ],
        commands,
        depth + 1,
      );
      if (!(flags & 0x0020)) return;
    }
  }

  /**
   * A TrueType font of the given glyphs, in that order (new id = index; the first should be 0,
   * .notdef): the tables a PDF FontFile2 needs (head, hhea, maxp, loca, glyf, hmtx and the
   * hinting tables), like fontkit's subsetter. Composite glyphs bring their components, appended
   * after the glyphs asked for; `glyphIds` is extended in place with them.
   */
  subset(glyphIds: number[]): Buffer {
    const newId = new Map<number, number>();
    glyphIds.forEach((id, index) => newId.set(id, index));
    const records: Buffer[] = [];
    for (let i = 0; i < glyphIds.length; i++) {
      const [start, end] = this.glyphRange(glyphIds[i] as number);
      let record = this.data.subarray(start, end);
      if (end > start && this.i16(start) < 0) {
        record = Buffer.from(record);
        for (const { id, at } of this.components(start)) {
          let mapped = newId.get(id);
          if (mapped === undefined) {
            mapped = glyphIds.length;
            glyphIds.push(id);
            newId.set(id, mapped);
          }
          record.writeUInt16BE(mapped, at - start);
        }
      }
      records.push(record);
    }
    const glyf: Buffer[] = [];
    const loca = Buffer.alloc(4 * (records.length + 1));
    let offset = 0;
    records.forEach((record, i) => {
      loca.writeUInt32BE(offset, 4 * i);
      glyf.push(record);
      // Glyph records stay 4-byte aligned.
      const padding = (4 - (record.length % 4)) % 4;
      if (padding) glyf.push(Buffer.alloc(padding));
      offset += record.length + padding;
    });
    loca.writeUInt32BE(offset, 4 * records.length);
    const hmtx = Buffer.alloc(4 * glyphIds.length);
    const hmtxTable = this.table('hmtx').offset;
    glyphIds.forEach((id, i) => {
      hmtx.writeUInt16BE(this.advanceWidth(id), 4 * i);
      // Left side bearing: from the long metrics, or the array that follows them.
      const lsb =
        id < this.numberOfHMetrics
          ? this.i16(hmtxTable + 4 * id + 2)
          : this.i16(hmtxTable + 4 * this.numberOfHMetrics + 2 * (id - this.numberOfHMetrics));
      hmtx.writeInt16BE(lsb, 4 * i + 2);
    });
    const copy = (tag: string) => {
      const { offset: start, length } = this.table(tag);
      return Buffer.from(this.data.subarray(start, start + length));
    };
    const head = copy('head');
    head.writeUInt32BE(0, 8); // checkSumAdjustment: not checked by PDF readers
    head.writeInt16BE(1, 50); // long loca
    const hhea = copy('hhea');
    hhea.writeUInt16BE(glyphIds.length, 34);
    const maxp = copy('maxp');
    maxp.writeUInt16BE(glyphIds.length, 4);
    const tables: Record<string, Buffer> = {
      head,
      hhea,
      loca,
      maxp,
      glyf: Buffer.concat(glyf),
      hmtx,
    };
    for (const tag of ['cvt ', 'fpgm', 'prep']) if (this.tables.has(tag)) tables[tag] = copy(tag);
    return fontFile(tables);
  }
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded =
    data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** An sfnt file of the given tables. */
function fontFile(tables: Record<string, Buffer>): Buffer {
  const tags = Object.keys(tables).sort();
  const header = Buffer.alloc(12 + 16 * tags.length);
  const entrySelector = Math.floor(Math.log2(tags.length));
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(tags.length, 4);
  header.writeUInt16BE(16 * 2 ** entrySelector, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(16 * tags.length - 16 * 2 ** entrySelector, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables[tag] as Buffer;
    const record = 12 + 16 * i;
    header.write(tag, record, 'latin1');
    header.writeUInt32BE(checksum(data), record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(data.length, record + 12);
    const padding = (4 - (data.length % 4)) % 4;
    parts.push(data);
    if (padding) parts.push(Buffer.alloc(padding));
    offset += data.length + padding;
  });
  return Buffer.concat(parts);
}
