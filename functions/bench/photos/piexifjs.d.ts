/** The part of piexifjs (no bundled types) that the photo benchmark and tests use. */
declare module 'piexifjs' {
  type IfdValue = number | string | number[] | Array<[number, number]>;
  export interface ExifObject {
    '0th'?: Record<number, IfdValue>;
    Exif?: Record<number, IfdValue>;
    GPS?: Record<number, IfdValue>;
  }
  export function dump(exif: ExifObject): string;
  /** Both arguments and the result are binary strings (latin1). */
  export function insert(exif: string, jpeg: string): string;
  export const ImageIFD: { Orientation: number; Make: number; Model: number };
  export const ExifIFD: { DateTimeOriginal: number };
  export const GPSIFD: {
    GPSLatitudeRef: number;
    GPSLatitude: number;
    GPSLongitudeRef: number;
    GPSLongitude: number;
  };
}
