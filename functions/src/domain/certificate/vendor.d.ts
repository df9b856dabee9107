/**
 * The parts of untyped packages the certificate code uses. fontkit is pdfkit's own font engine
 * (one copy in node_modules), so the renderer parses a font once and hands the same object to
 * pdfkit and to the rasteriser.
 */
declare module 'fontkit' {
  export interface PathCommand {
    command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
    args: number[];
  }
  export interface Path {
    commands: PathCommand[];
  }
  export interface Glyph {
    id: number;
    advanceWidth: number;
    codePoints: number[];
    path: Path;
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    positions: GlyphPosition[];
    advanceWidth: number;
  }
  export interface Font {
    postscriptName: string;
    familyName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    numGlyphs: number;
    characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    getGlyph(id: number): Glyph;
    layout(text: string): GlyphRun;
    createSubset(): unknown;
  }
  export function create(buffer: Uint8Array): Font;
}

declare module 'wawoff2' {
  export function decompress(woff2: Uint8Array): Promise<Uint8Array>;
}

// The encoder alone: the package's main entry also loads its PNG, SVG and terminal renderers.
declare module 'qrcode/lib/core/qrcode' {
  export interface BitMatrix {
    size: number;
    get(row: number, col: number): number | boolean;
  }
  export function create(
    text: string,
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' },
  ): { modules: BitMatrix; version: number };
}
