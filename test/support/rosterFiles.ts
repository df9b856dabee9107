/**
 * Roster files as villages send them, for the roster readers' unit tests and the platform's
 * import tests: valid ID numbers, the national system's header and a good row, and the CSV and
 * XLSX bytes they make. Pure (no server), so unit tests beside the readers import it too.
 */
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
