/**
 * The roster import's caps, over HTTP as the village page calls it: a 6 KB workbook with one cell
 * at A1048576 (which once kept importRoster busy for hours) is refused with its reason and writes
 * nothing, and a workbook that reaches just inside the caps imports as any other.
 */
import ExcelJS from 'exceljs';
import { adminDb, call, idle, newRequestId, rosterRowOf, signIn } from '../support/platform';
import { header as rosterHeader, id } from '../support/rosterFiles';

const village = '520526105206'; // v06, whose roster no other test imports
const adminEmail = 'v06b@demo.fupin.cn';
/** The roster's columns, with the exit year the 2,000-row files carry. */
const header = [...rosterHeader, '脱贫年度'];

interface ImportAnswer {
  ok: boolean;
  fileProblems?: Array<{ code: string; limit?: number }>;
  created?: number;
  updated?: number;
  leftRoster?: number;
}

async function importXlsx(build: (sheet: ExcelJS.Worksheet) => void) {
  const workbook = new ExcelJS.Workbook();
  build(workbook.addWorksheet('花名册'));
  const dataBase64 = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
  const requestId = newRequestId();
  const token = await signIn(adminEmail);
  const answer = await call<ImportAnswer>(
    'importRoster',
    { requestId, format: 'xlsx', dataBase64 },
    token,
  );
  return { ...answer, requestId };
}

describe('importRoster within its caps', () => {
  it('refuses a workbook with a cell at A1048576, and writes nothing', async () => {
    const newcomer = id('52052619910509077');
    const before = await adminDb()
      .collection('householdsPrivate')
      .where('idNumber', '==', newcomer)
      .get();
    expect(before.size).toBe(0);

    const { result, error, requestId } = await importXlsx((sheet) => {
      sheet.addRow(header);
      sheet.addRow(['杨新户', newcomer, '新街村1组', '3', '因病', '3200', '未脱贫', '', '']);
      sheet.getCell('A1048576').value = '合计';
    });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      ok: false,
      fileProblems: [{ code: 'table_too_long', limit: 10_000 }],
    });

    await idle();
    const after = await adminDb()
      .collection('householdsPrivate')
      .where('idNumber', '==', newcomer)
      .get();
    expect(after.size).toBe(0);
    const record = await adminDb().collection('rosterImports').doc(`demo-v06b_${requestId}`).get();
    expect(record.exists).toBe(false);
  });

  it('imports a workbook that reaches just inside the caps', async () => {
    const page = await adminDb()
      .collection('households')
      .where('villageCode', '==', village)
      .where('onRoster', '==', true)
      .limit(3)
      .get();
    const rows = await Promise.all(page.docs.map((doc) => rosterRowOf(doc.id)));
    const { result, error } = await importXlsx((sheet) => {
      sheet.addRow(header);
      // A remark in the last column read and a total in the last row read.
      sheet.getCell(1, 256).value = '备注';
      for (const row of rows) sheet.addRow(row.split(','));
      sheet.getCell('A10000').value = '合计';
    });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, created: 0, updated: 3, leftRoster: 0 });
  });
});
