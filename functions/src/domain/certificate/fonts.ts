/**
 * The certificate fonts built by functions/scripts/buildFont.ts: per weight a primary TTF and
 * fallback TTFs for the hanzi it lacks. Read once per instance, on first use (not at import),
 * by our own TrueType reader (see ttf.ts), which reads tables in place as it needs them.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { TrueTypeFont } from './ttf';

export type Font = TrueTypeFont;

export type FontWeight = 400 | 700;

/** manifest.json, written last by the build step. */
export interface FontManifest {
  /** Hash of the build inputs: an unchanged stamp means the build has nothing to do. */
  stamp: string;
  weights: Record<
    string,
    { primary: string; fallbacks: Array<{ file: string; ranges: Array<[number, number]> }> }
  >;
  /** Every file written, with its size in bytes. */
  sizes: Record<string, number>;
}

export const fontManifestFile = 'manifest.json';

/** functions/assets/fonts, from src/domain/certificate and from lib/domain/certificate alike. */
export const defaultFontDir = resolve(__dirname, '../../../assets/fonts');

/**
 * The fonts are not there (not built, or not deployed): nothing can be printed until they are.
 * `missing` names the file looked for, relative to the functions folder — a path, never data.
 */
export class FontsMissingError extends Error {
  constructor(readonly missing: string) {
    super(`certificate fonts missing (${missing}): run \`npx tsx functions/scripts/buildFont.ts\``);
    this.name = 'FontsMissingError';
  }
}

/** Where a file of the font folder is, as the log names it: from the functions folder. */
function shownPath(dir: string, file: string): string {
  return relative(resolve(__dirname, '../../..'), join(dir, file)) || file;
}

/** One font that can print a run of text, named by its file. */
export interface LoadedFont {
  id: string;
  font: Font;
}

/**
 * The fonts of one folder. `fontFor` picks, per code point, the primary font of the weight or
 * the fallback file that holds the character; a character no file has stays with the primary
 * (which prints its .notdef box) and is reported by `isMissing`.
 */
export class FontSet {
  private readonly loaded = new Map<string, LoadedFont>();
  private readonly advances = new Map<string, number>();

  private constructor(
    private readonly dir: string,
    private readonly manifest: FontManifest,
  ) {}

  /** Reads the manifest and both primary fonts. */
  static async open(dir: string): Promise<FontSet> {
    let manifest: FontManifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, fontManifestFile), 'utf8')) as FontManifest;
    } catch {
      throw new FontsMissingError(shownPath(dir, fontManifestFile));
    }
    const set = new FontSet(dir, manifest);
    for (const weight of [400, 700] as const) set.primary(weight);
    return set;
  }

  private load(file: string): LoadedFont {
    let loaded = this.loaded.get(file);
    if (!loaded) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(this.dir, file));
      } catch {
        throw new FontsMissingError(shownPath(this.dir, file));
      }
      loaded = { id: file, font: new TrueTypeFont(bytes) };
      this.loaded.set(file, loaded);
    }
    return loaded;
  }

  private entry(weight: FontWeight) {
    const entry = this.manifest.weights[String(weight)];
    if (!entry) throw new Error(`no certificate font of weight ${weight}`);
    return entry;
  }

  /** The primary font of a weight. */
  primary(weight: FontWeight): LoadedFont {
    return this.load(this.entry(weight).primary);
  }

  private fallbackFile(codePoint: number, weight: FontWeight): string | undefined {
    for (const { file, ranges } of this.entry(weight).fallbacks) {
      // Ranges are sorted: binary search.
      let low = 0;
      let high = ranges.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const [first, last] = ranges[middle] as [number, number];
        if (codePoint < first) high = middle - 1;
        else if (codePoint > last) low = middle + 1;
        else return file;
      }
    }
    return undefined;
  }

  /** The font that prints a code point in a weight. */
  fontFor(codePoint: number, weight: FontWeight): LoadedFont {
    const primary = this.primary(weight);
    if (primary.font.hasGlyphForCodePoint(codePoint)) return primary;
    const file = this.fallbackFile(codePoint, weight);
    return file ? this.load(file) : primary;
  }

  /** Whether no font of the weight has a glyph for the code point. */
  isMissing(codePoint: number, weight: FontWeight): boolean {
    return !this.fontFor(codePoint, weight).font.hasGlyphForCodePoint(codePoint);
  }

  /** Advance width of a character at size 1 (in ems). */
  advance(char: string, weight: FontWeight): number {
    const key = `${weight}${char}`;
    let advance = this.advances.get(key);
    if (advance === undefined) {
      const codePoint = char.codePointAt(0) as number;
      const { font } = this.fontFor(codePoint, weight);
      advance = font.glyphForCodePoint(codePoint).advanceWidth / font.unitsPerEm;
      this.advances.set(key, advance);
    }
    return advance;
  }

  /** Font by id, for a renderer that was handed a layout. */
  byId(id: string): Font {
    return this.load(id).font;
  }

  /** Ascent of the primary font of a weight, at size 1. */
  ascent(weight: FontWeight): number {
    const { font } = this.primary(weight);
    return font.ascent / font.unitsPerEm;
  }
}

const openSets = new Map<string, Promise<FontSet>>();

/** The font set of a folder, opened once per instance and shared by every render. */
export function fontSet(dir: string = defaultFontDir): Promise<FontSet> {
  let set = openSets.get(dir);
  if (!set) {
    set = FontSet.open(dir);
    // A failed open (fonts not built yet) is not cached: a later call may find them.
    set.catch(() => openSets.delete(dir));
    openSets.set(dir, set);
  }
  return set;
}
