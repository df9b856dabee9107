import ExcelJS from 'exceljs';
import { utf8, zipOf } from '../../../../test/support/rosterFiles';
import { unpackedSize } from './unpacked';

describe('unpackedSize', () => {
  it('adds up the entries of a workbook as exceljs writes it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('花名册').addRow(['户主姓名', '身份证号码']);
    const size = unpackedSize(new Uint8Array(await workbook.xlsx.writeBuffer()), 1 << 20);
    expect(typeof size).toBe('number');
    expect(size).toBeGreaterThan(1000);
  });

  it('hands each entry to the visitor as it is unpacked', () => {
    const zip = zipOf([
      { path: 'xl/workbook.xml', text: '<workbook/>', deflate: true },
      { path: 'xl/worksheets/sheet1.xml', text: '<worksheet/>' },
    ]);
    const seen: Array<[string, string]> = [];
    expect(unpackedSize(zip, 1 << 20, (path, bytes) => seen.push([path, bytes.toString()]))).toBe(
      23,
    );
    expect(seen).toEqual([
      ['xl/workbook.xml', '<workbook/>'],
      ['xl/worksheets/sheet1.xml', '<worksheet/>'],
    ]);
  });

  it('stops at the budget, whatever sizes the zip claims', () => {
    const bomb = zipOf([{ path: 'a.xml', text: ' '.repeat(2_000_000), deflate: true }]);
    expect(bomb.byteLength).toBeLessThan(5000);
    expect(unpackedSize(bomb, 1_000_000)).toBe('too_large');
    expect(unpackedSize(bomb, 3_000_000)).toBe(2_000_000);
    // The same entry claiming to unpack to 10 bytes: the claim is not what is counted.
    const lying = Buffer.from(bomb);
    const directory = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(10, directory + 24);
    expect(unpackedSize(lying, 1_000_000)).toBe('too_large');
  });

  test.each([
    ['no zip at all', utf8('<html>not a workbook</html>')],
    ['nothing', new Uint8Array(0)],
    ['a zip cut short', zipOf([{ path: 'a.xml', text: 'x'.repeat(100) }]).subarray(0, 60)],
    [
      'a ZIP64 size',
      (() => {
        const zip = Buffer.from(zipOf([{ path: 'a.xml', text: 'x' }]));
        zip.writeUInt32LE(0xffffffff, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 20);
        return new Uint8Array(zip);
      })(),
    ],
  ])('finds %s unreadable', (_label, bytes) => {
    expect(unpackedSize(bytes, 1 << 20)).toBe('unreadable');
  });
});
