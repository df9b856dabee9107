/**
 * The TrueType reader against fontkit (a mature reader, kept for the build step) on the shipped
 * fonts: the same glyph for every mapped code point, the same advances and metrics, outlines
 * with the same control box, and a subset that fontkit reads back glyph for glyph.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as fontkitModule from 'fontkit';
import { defaultFontDir } from './fonts';
import { TrueTypeFont } from './ttf';

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  path: { cbox: { minX: number; minY: number; maxX: number; maxY: number } };
}
interface FontkitFont {
  characterSet: number[];
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  numGlyphs: number;
  postscriptName: string;
  glyphForCodePoint(codePoint: number): FontkitGlyph;
  getGlyph(id: number): FontkitGlyph;
}
// vendor.d.ts declares only what the build step uses.
const fontkit = fontkitModule as unknown as { create(buffer: Buffer): FontkitFont };

/** Box of the points of path commands (control points included, as fontkit's cbox). */
function boxOf(commands: Array<{ args: readonly number[] }>) {
  const xs = commands.flatMap(({ args }) => args.filter((_, i) => i % 2 === 0));
  const ys = commands.flatMap(({ args }) => args.filter((_, i) => i % 2 === 1));
  return {
    minX: Math.min(...xs),
    minY: Math.min(...ys),
    maxX: Math.max(...xs),
    maxY: Math.max(...ys),
  };
}

beforeAll(() => {
  execFileSync(process.execPath, [
    require.resolve('tsx/cli'),
    resolve(__dirname, '../../../scripts/buildFont.ts'),
  ]);
});

describe.each(['NotoSansSC-400.ttf', 'NotoSansSC-700.ttf', 'NotoSansSC-400-22.ttf'])(
  '%s',
  (file) => {
    const data = () => readFileSync(join(defaultFontDir, file));

    test('maps every code point to the glyph fontkit maps it to, with its advance', () => {
      const ours = new TrueTypeFont(data());
      const reference = fontkit.create(data());
      expect([ours.unitsPerEm, ours.ascent, ours.descent, ours.capHeight, ours.numGlyphs]).toEqual([
        reference.unitsPerEm,
        reference.ascent,
        reference.descent,
        reference.capHeight,
        reference.numGlyphs,
      ]);
      expect(ours.postscriptName).toBe(reference.postscriptName);
      for (const codePoint of reference.characterSet) {
        const glyph = reference.glyphForCodePoint(codePoint);
        expect(ours.glyphForCodePoint(codePoint)).toEqual({
          id: glyph.id,
          advanceWidth: glyph.advanceWidth,
        });
      }
      expect([...ours.codePoints()].map(([codePoint]) => codePoint)).toEqual(
        // fontkit also lists U+FFFF, from the segment that ends every format 4 table.
        reference.characterSet.filter((cp) => cp !== 0xffff).sort((a, b) => a - b),
      );
      expect(ours.hasGlyphForCodePoint(0x20000)).toBe(false);
    });

    test('outlines have the control points of fontkit’s paths', () => {
      const ours = new TrueTypeFont(data());
      const reference = fontkit.create(data());
      for (let id = 1; id < ours.numGlyphs; id += 37) {
        const commands = ours.outline(id);
        if (commands.length === 0) continue;
        const box = reference.getGlyph(id).path.cbox;
        const ourBox = boxOf(commands);
        for (const key of ['minX', 'minY', 'maxX', 'maxY'] as const) {
          expect(ourBox[key]).toBeCloseTo(box[key], 6);
        }
      }
    });

    test('a subset reads back glyph for glyph, renumbered in the order asked', () => {
      const ours = new TrueTypeFont(data());
      const picked = [0, ...[...ours.codePoints()].slice(5, 60).map(([, id]) => id)];
      const unique = [...new Set(picked)];
      const subset = new TrueTypeFont(ours.subset([...unique]));
      expect(subset.numGlyphs).toBe(unique.length);
      unique.forEach((id, newId) => {
        expect(subset.advanceWidth(newId)).toBe(ours.advanceWidth(id));
        expect(subset.outline(newId)).toEqual(ours.outline(id));
      });
      // fontkit, a reader with its own checks, accepts the file too.
      const reread = fontkit.create(ours.subset([...unique]));
      expect(reread.numGlyphs).toBe(unique.length);
      expect(reread.getGlyph(unique.length - 1).advanceWidth).toBe(
        ours.advanceWidth(unique[unique.length - 1] as number),
      );
    });
  },
);
