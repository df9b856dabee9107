/**
 * The parts of untyped packages the certificate code uses. fontkit serves only the build step
 * (functions/scripts/buildFont.ts), which reads each converted file's character set; the renderer
 * reads fonts with ttf.ts.
 */
declare module 'fontkit' {
  export interface Font {
    characterSet: number[];
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
