/**
 * Roster files as villages send them, for the roster readers' unit tests and the platform's
 * import tests: valid ID numbers, the national system's header and a good row, and the CSV and
 * XLSX bytes they make. Pure (no server), so unit tests beside the readers import it too.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { checkCharOf } from '../../functions/src/domain/idNumber';
import type { RosterResult } from '../../functions/src/domain/roster/result';

export const now = new Date('2026-11-23T03:00:00Z');
export const options = { latestYear: 2020, now };
export const id = (first17: string) => first17 + checkCharOf(first17);
export const idA = id('52052619700101003');
export const idB = id('52052619851231012');
export const idC = id('52052620100615021');
export const idX = '11010519491231002X';

export const header = [
  '户主姓名',
  '身份证号码',
  '家庭住址',
  '家庭人口',
  '致贫原因',
  '年人均纯收入(元)',
  '贫困户状态',
  '帮扶责任人',
];
export const goodRow = [
  '张国华',
  idA,
  '威宁县石门乡新街村1组10号',
  '4',
  '因病',
  '3200',
  '2019年脱贫',
  '帮扶干部一',
];

export const utf8 = (text: string) => new TextEncoder().encode(text);
export const csvOf = (rows: string[][]) =>
  rows
    .map((row) => row.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\r\n');

/** GB18030 bytes for a text (Node decodes GB18030 but has no encoder): the inverse of the decoder over the two-byte range. */
export function gb18030(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (!table.has(char)) table.set(char, [lead, trail]);
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else bytes.push(...(table.get(char) ?? []));
  }
  return new Uint8Array(bytes);
}

/** The bytes of a workbook built by `build`. */
export async function workbookBytes(
  build: (workbook: ExcelJS.Workbook) => void,
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A 6 KB workbook with a single cell, at the last row Excel has: what once kept importRoster busy for hours. */
export const lastRowWorkbook = () =>
  workbookBytes((workbook) => {
    workbook.addWorksheet('Sheet1').getCell('A1048576').value = '合计';
  });

export function expectRefused(
  result: RosterResult,
): asserts result is Extract<RosterResult, { ok: false }> {
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty('rows');
}

// CRC-32 (IEEE), which every zip entry carries; Node 20's zlib does not export it.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip of its entries, stored or deflated, as small as the format allows. */
export function zipOf(
  entries: Array<{ path: string; text: string | Uint8Array; deflate?: boolean }>,
): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8');
    const plain =
      typeof entry.text === 'string' ? Buffer.from(entry.text, 'utf8') : Buffer.from(entry.text);
    const crc = crc32(plain);
    const data = entry.deflate ? deflateRawSync(plain) : plain;
    const method = entry.deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(plain.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(plain.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const mainNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** XML-escaped text for a cell. */
export const xmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A workbook whose sheets are the given `<worksheet>` bodies (sheetData and what follows it),
 * written by hand: what no spreadsheet program would write (a merge over the whole sheet, a
 * cell at XFD1048576) is exactly what a hostile file holds.
 */
export function xlsxOfSheets(bodies: string[], deflate = false): Uint8Array {
  const sheets = bodies.map((_, i) => i + 1);
  return zipOf([
    {
      path: '[Content_Types].xml',
      text: `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((n) => `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
    },
    {
      path: '_rels/.rels',
      text: `${xmlHeader}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      path: 'xl/workbook.xml',
      text: `${xmlHeader}<workbook xmlns="${mainNs}" xmlns:r="${relNs}"><sheets>${sheets.map((n) => `<sheet name="Sheet${n}" sheetId="${n}" r:id="rId${n}"/>`).join('')}</sheets></workbook>`,
    },
    {
      path: 'xl/_rels/workbook.xml.rels',
      text: `${xmlHeader}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((n) => `<Relationship Id="rId${n}" Type="${relNs}/worksheet" Target="worksheets/sheet${n}.xml"/>`).join('')}</Relationships>`,
    },
    ...bodies.map((body, i) => ({
      path: `xl/worksheets/sheet${i + 1}.xml`,
      text: `${xmlHeader}<worksheet xmlns="${mainNs}" xmlns:r="${relNs}">${body}</worksheet>`,
      deflate,
    })),
  ]);
}

/** A row of inline-string cells starting at column A, for `xlsxOfSheets`. */
export function rowXml(rowNumber: number, texts: string[]): string {
  const cells = texts.map((text, i) => {
    const column = String.fromCharCode(65 + i);
    return `<c r="${column}${rowNumber}" t="inlineStr"><is><t>${xmlText(text)}</t></is></c>`;
  });
  return `<row r="${rowNumber}">${cells.join('')}</row>`;
}
