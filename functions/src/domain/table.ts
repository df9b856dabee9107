/**
 * A titled table as the offices exchange them: CSV for any spreadsheet, XLSX laid out for print.
 * Used by the reports that are one table (rates, the registration table); the need ledger has its
 * own form layout (roster/ledger.ts).
 */
import ExcelJS from 'exceljs';

export interface Table {
  title: string;
  /** The worksheet's name (≤ 31 characters in Excel). */
  sheet: string;
  header: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<string | number>>;
  /** Column widths in characters; 12 each when absent. */
  widths?: readonly number[];
  /** Lines printed under the table (a form's footer: who filled it, who checked it). */
  footer?: readonly string[];
}

// A cell starting with one of these is run as a formula by Excel and WPS; donor names and units
// are free text.
const formulaStart = /^[=+\-@\t\r]/;

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** UTF-8 with a BOM (Excel on Chinese Windows reads UTF-8 only with it), CRLF, RFC 4180 quoting. */
export function tableCsv(table: Table): Buffer {
  const lines = [
    [table.title],
    table.header,
    ...table.rows,
    ...(table.footer ?? []).map((line) => [line]),
  ].map((row) => row.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** One sheet: the title merged over the columns, a bold header, bordered cells, A4 fit to width. */
export async function tableXlsx(table: Table): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '中国社会扶贫网';
  const sheet = book.addWorksheet(table.sheet.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 },
  });
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  const titleRow = sheet.addRow([table.title]);
  titleRow.font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, table.header.length);
  sheet.addRow([...table.header]).eachCell((cell) => {
    cell.font = { bold: true };
    cell.border = border;
  });
  for (const values of table.rows) {
    // Strings stay strings: a phone or code typed as text must not become a number.
    sheet.addRow([...values]).eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
  }
  for (const line of table.footer ?? []) {
    const row = sheet.addRow([line]);
    sheet.mergeCells(row.number, 1, row.number, table.header.length);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  }
  table.header.forEach((_, index) => {
    sheet.getColumn(index + 1).width = table.widths?.[index] ?? 12;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

export type ExportFormat = 'csv' | 'xlsx';

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** An export as the callables answer it: `{name}.{format}`, its content type and base64 bytes. */
export function exportFile(name: string, format: ExportFormat, data: Buffer) {
  return {
    filename: `${name}.${format}`,
    contentType: contentTypes[format],
    dataBase64: data.toString('base64'),
  };
}

/** A table exported in the format asked for. */
export async function tableFile(table: Table, format: ExportFormat, name: string) {
  return exportFile(name, format, format === 'csv' ? tableCsv(table) : await tableXlsx(table));
}
