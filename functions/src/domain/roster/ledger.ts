/**
 * The need collection ledger (贫困需求采集台账) of a village, in the layout of annex 3 of seed 000:
 * a title, the village, collector and date, a table of 序号 / 姓名 / 身份证号码 / 贫困需求, and
 * the village review group's opinion and signature underneath.
 *
 * A staff export: it holds full ID numbers only when the caller has revealed them (through the
 * audited reveal), otherwise the last four; the caller says which for each row.
 */
import ExcelJS from 'exceljs';
import type { NeedCategory } from '../need/categories';
import { describeNeed } from '../need/publicView';
import { rejectionReasonLabels, type RejectionReason } from '../need/rejection';
import type { GoodsItem } from '../need/submission';

/** How a row shows the ID number: in full (revealed) or as its last four characters. */
export type IdDisplay = { kind: 'full'; idNumber: string } | { kind: 'last4'; last4: string };

export interface LedgerEntry {
  headName: string;
  id: IdDisplay;
  need:
    | { category: NeedCategory; kind: 'money'; amountFen: number }
    | { category: NeedCategory; kind: 'goods'; items: readonly GoodsItem[] };
  /** The review group's decision on this need, once made. */
  decision?:
    { opinion: 'publish' } | { opinion: 'reject'; reasonCodes: readonly RejectionReason[] };
}

export interface LedgerInput {
  /** The township whose name heads the title (马家镇“中国社会扶贫网”贫困需求采集台账). */
  townshipName: string;
  villageName: string;
  collector: string;
  /** The collection date, `YYYY-MM-DD`. */
  date: string;
  entries: readonly LedgerEntry[];
  /** The review group's opinion in its own words; by default a summary of the decisions. */
  reviewOpinion?: string;
}

export const ledgerHeader = ['序号', '姓名', '身份证号码', '贫困需求'] as const;
export const ledgerOpinionLabel =
  '村审核小组意见：（同意发布或不同意发布，如不同意要简单列举原因）';
export const ledgerSignatureLabel = '村审核小组签字：';

/** The ledger's content, in order, before it is laid out as CSV or XLSX. */
export interface LedgerLayout {
  title: string;
  info: string;
  header: readonly string[];
  rows: string[][];
  opinion: string;
  signature: string;
}

/** `2026-11-23` → `2026年11月23日`. */
function chineseDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error('ledger date must be YYYY-MM-DD');
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** The ID as the row shows it: 18 characters, or 14 asterisks and the last four. */
export function idDisplayText(id: IdDisplay): string {
  if (id.kind === 'full') {
    if (!/^\d{17}[\dX]$/.test(id.idNumber)) throw new Error('a full ID must be canonical');
    return id.idNumber;
  }
  if (!/^\d{3}[\dX]$/.test(id.last4)) throw new Error('last4 must be four ID characters');
  return '*'.repeat(14) + id.last4;
}

function summaryOpinion(entries: readonly LedgerEntry[]): string {
  const publish: number[] = [];
  const reject: string[] = [];
  const pending: number[] = [];
  entries.forEach((entry, index) => {
    const n = index + 1;
    if (!entry.decision) pending.push(n);
    else if (entry.decision.opinion === 'publish') publish.push(n);
    else {
      const why = entry.decision.reasonCodes.map((code) => rejectionReasonLabels[code]).join('、');
      reject.push(`${n}（${why}）`);
    }
  });
  const parts: string[] = [];
  if (publish.length) parts.push(`同意发布：序号${publish.join('、')}`);
  if (reject.length) parts.push(`不同意发布：序号${reject.join('；')}`);
  if (pending.length) parts.push(`待审核：序号${pending.join('、')}`);
  return parts.join('；');
}

/** The ledger's title, header line, rows and footer (annex 3). */
export function ledgerRows(input: LedgerInput): LedgerLayout {
  return {
    title: `${input.townshipName}“中国社会扶贫网”贫困需求采集台账`,
    info: `村（社区）：${input.villageName}　　采集人：${input.collector}　　采集时间：${chineseDate(input.date)}`,
    header: ledgerHeader,
    rows: input.entries.map((entry, index) => [
      String(index + 1),
      entry.headName,
      idDisplayText(entry.id),
      describeNeed(entry.need),
    ]),
    opinion: input.reviewOpinion ?? summaryOpinion(input.entries),
    signature: ledgerSignatureLabel,
  };
}

/** The layout as a grid of cells, four columns wide: what the CSV holds line by line. */
export function ledgerGrid(layout: LedgerLayout): string[][] {
  const line = (first: string) => [first, '', '', ''];
  return [
    line(layout.title),
    line(layout.info),
    [...layout.header],
    ...layout.rows,
    line(`${ledgerOpinionLabel}${layout.opinion}`),
    line(layout.signature),
  ];
}

// Spreadsheet formula injection: a cell starting with one of these is run as a formula by Excel
// and WPS. Names and IDs cannot start so, but a need's item names are free text.
const formulaStart = /^[=+\-@\t\r]/;

function csvField(value: string, column: number): string {
  let text = formulaStart.test(value) ? `'${value}` : value;
  // Excel reads 18 digits as a number and rounds it (1.10105E+17): a leading tab keeps an ID as
  // text when the CSV is opened, the usual remedy in Chinese government exports.
  if (column === 2 && /^\d{15,}[\dX]?$/.test(text)) text = `\t${text}`;
  return /[",\r\n\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The ledger as CSV: UTF-8 with a BOM (Excel on Chinese Windows reads UTF-8 only with it),
 * CRLF line ends, RFC 4180 quoting.
 */
export function ledgerCsv(input: LedgerInput): Buffer {
  const grid = ledgerGrid(ledgerRows(input));
  const body = grid.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}

/** The ledger as an XLSX workbook laid out like the printed form (A4, bordered table). */
export async function ledgerXlsx(input: LedgerInput): Promise<Buffer> {
  const layout = ledgerRows(input);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '中国社会扶贫网';
  const sheet = workbook.addWorksheet('贫困需求采集台账', {
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  sheet.columns = [
    { width: 6 },
    { width: 12 },
    { width: 22, style: { numFmt: '@' } },
    { width: 48 },
  ];
  const font = { name: '宋体', size: 11 };
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };

  const merged = (text: string, style: Partial<ExcelJS.Style>, height?: number) => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, 4);
    const cell = row.getCell(1);
    Object.assign(cell, style);
    if (height) row.height = height;
    return row;
  };

  merged(
    layout.title,
    {
      font: { ...font, size: 16, bold: true },
      alignment: { horizontal: 'center', vertical: 'middle' },
    },
    30,
  );
  merged(layout.info, { font, alignment: { horizontal: 'left', vertical: 'middle' } }, 22);
  const header = sheet.addRow([...layout.header]);
  header.eachCell((cell) => {
    cell.font = { ...font, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.border = border;
  });
  for (const values of layout.rows) {
    const row = sheet.addRow(values);
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.font = font;
      cell.border = border;
      cell.alignment = {
        vertical: 'middle',
        horizontal: column === 4 ? 'left' : 'center',
        wrapText: column === 4,
      };
    });
  }
  merged(
    `${ledgerOpinionLabel}${layout.opinion}`,
    {
      font,
      alignment: { vertical: 'top', horizontal: 'left', wrapText: true },
    },
    60,
  );
  merged(layout.signature, { font, alignment: { vertical: 'middle', horizontal: 'left' } }, 30);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
