/**
 * What an XLSX file (a zip) unpacks to, measured before exceljs opens it. exceljs inflates every
 * entry whole into a string before parsing any of it, so a 1 MB entry of deflated spaces becomes a
 * gigabyte in memory and takes the instance down with it. Here each entry is inflated with a
 * budget (zlib stops at `maxOutputLength`), so the work is bounded by the budget, not by what the
 * file claims: sizes written in the zip are not trusted.
 */
import { inflateRawSync } from 'node:zlib';

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;

/**
 * The unpacked size of every entry together, or why it cannot be known within `budget` bytes.
 * `visit` sees each entry's unpacked bytes as they come (the reader takes the merged ranges from
 * them), so nothing is inflated twice and no entry is kept.
 */
export function unpackedSize(
  data: Uint8Array,
  budget: number,
  visit?: (path: string, bytes: Buffer) => void,
): number | 'too_large' | 'unreadable' {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  try {
    // The end-of-directory record is the last 22 bytes, unless a comment (≤ 65,535 bytes) follows.
    let end = -1;
    for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
      if (bytes.readUInt32LE(at) === endOfDirectory) {
        end = at;
        break;
      }
    }
    if (end < 0) return 'unreadable';
    const entries = bytes.readUInt16LE(end + 10);
    let at = bytes.readUInt32LE(end + 16);
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (bytes.readUInt32LE(at) !== directoryEntry) return 'unreadable';
      const method = bytes.readUInt16LE(at + 10);
      const packed = bytes.readUInt32LE(at + 20);
      const offset = bytes.readUInt32LE(at + 42);
      const path = bytes.toString('utf8', at + 46, at + 46 + bytes.readUInt16LE(at + 28));
      // ZIP64 (sizes past 4 GB) is never needed by a 5 MiB roster: its sizes would go unchecked.
      if (packed === 0xffffffff || offset === 0xffffffff) return 'unreadable';
      at +=
        46 +
        bytes.readUInt16LE(at + 28) +
        bytes.readUInt16LE(at + 30) +
        bytes.readUInt16LE(at + 32);
      if (bytes.readUInt32LE(offset) !== localHeader) return 'unreadable';
      const start = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
      const body = bytes.subarray(start, start + packed);
      let unpacked: Buffer;
      if (method === 0) unpacked = body;
      else if (method === 8) {
        const room = budget - total;
        if (room <= 0) return 'too_large';
        try {
          unpacked = inflateRawSync(body, { maxOutputLength: room });
        } catch (error) {
          if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return 'too_large';
          return 'unreadable';
        }
      } else return 'unreadable';
      total += unpacked.length;
      if (total > budget) return 'too_large';
      visit?.(path, unpacked);
    }
    return total;
  } catch {
    // A read past the end of the bytes: offsets that point nowhere.
    return 'unreadable';
  }
}
