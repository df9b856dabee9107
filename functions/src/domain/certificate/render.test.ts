/**
 * The renderer against real readers: poppler's pdftotext, pdffonts and pdftoppm for the PDF,
 * sharp for the PNG preview. The poppler tools are required: without them these tests fail
 * with the command to install them, they are not skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { gb2312Level1, rareNameCharacters } from './charsets';
import { fontSet } from './fonts';
import { layoutCertificate, type QrShape } from './layout';
import { serialFor, type CertificateRecord } from './record';
import { metricsOf, qrModules, renderCertificate, verificationUrl } from './render';

const key = 'test-only-certificate-signing-key-0123456789';
const origin = 'https://fupin.example.cn';
const record: CertificateRecord = {
  serial: serialFor('donation-123', '2026-11-23', key),
  donorName: '王赟犇',
  donorUnit: '北京某某科技有限公司',
  householdMasked: '张*华',
  villageName: '十八洞村',
  gift: { kind: 'money', amountFen: 123450 },
  issuedAt: '2026-11-23',
  donationId: 'donation-123',
  needId: 'need-9',
};
const goods: CertificateRecord = {
  ...record,
  donorUnit: undefined,
  gift: {
    kind: 'goods',
    items: [
      { name: '棉被', quantity: 2, unit: '床' },
      { name: '大米', quantity: 50, unit: '斤' },
    ],
  },
};

let work: string;

function poppler(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install poppler-utils`);
    }
    throw error;
  }
}

function writePdf(name: string, pdf: Buffer): string {
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

/** Text of a PDF as pdftotext reads it, without the spaces and breaks of the layout. */
const pdfText = (path: string) => poppler('pdftotext', [path, '-']).replace(/\s+/g, '');

/** The dark modules read back from a raster at `scale` px per pt, by sampling module centres. */
async function readQr(image: Buffer, qr: QrShape, scale: number): Promise<boolean[][]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const size = qr.modules.length;
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, column) => {
      const x = Math.floor((qr.x + (column + 0.5) * qr.moduleSize) * scale);
      const y = Math.floor((qr.y + (row + 0.5) * qr.moduleSize) * scale);
      return (data[(y * info.width + x) * info.channels] as number) < 128;
    }),
  );
}

/** The QR code of a text as the qrcode package's public API encodes it, modules[row][column]. */
function expectedQr(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, column) => Boolean(modules.get(row, column))),
  );
}

async function qrShapeOf(subject: CertificateRecord): Promise<QrShape> {
  const fonts = await fontSet();
  const url = verificationUrl(origin, subject.serial);
  const page = layoutCertificate(subject, url, await qrModules(url), metricsOf(fonts));
  return page.shapes.find((shape): shape is QrShape => shape.kind === 'qr') as QrShape;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'certificate-'));
  // The fonts are a build product: build them (a no-op when up to date).
  execFileSync(process.execPath, [
    require.resolve('tsx/cli'),
    resolve(__dirname, '../../../scripts/buildFont.ts'),
  ]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the PDF in a real PDF reader', () => {
  test('pdftotext reads the title, donor, household, amount, date, serial and link', async () => {
    const { pdf, verifyUrl } = await renderCertificate(record, { origin });
    expect(verifyUrl).toBe(`${origin}/verify/${record.serial}`);
    const text = pdfText(writePdf('money', pdf));
    for (const expected of [
      '社会扶贫荣誉证书',
      '王赟犇',
      '北京某某科技有限公司',
      '十八洞村张*华户',
      '人民币1,234.50元',
      '壹仟贰佰叁拾肆元伍角整',
      '2026年11月23日',
      `证书编号：${record.serial}`,
      '中国社会扶贫网',
      verifyUrl,
    ]) {
      expect(text).toContain(expected);
    }
  });

  test('a goods certificate names each item with its quantity', async () => {
    const { pdf } = await renderCertificate(goods, { origin });
    expect(pdfText(writePdf('goods', pdf))).toContain('捐赠棉被×2床、大米×50斤');
  });

  test('the fonts are embedded as subsets, the whole file small', async () => {
    const { pdf } = await renderCertificate(record, { origin });
    const fonts = poppler('pdffonts', [writePdf('fonts', pdf)])
      .split('\n')
      .slice(2)
      .filter(Boolean);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const line of fonts) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(pdf.length).toBeLessThan(50_000);
  });

  test('pdftoppm renders it, and the QR code on the page is that of the verification link', async () => {
    const { pdf, verifyUrl } = await renderCertificate(record, { origin });
    const path = writePdf('page', pdf);
    poppler('pdftoppm', ['-png', '-r', '96', '-singlefile', path, join(work, 'page')]);
    const page = readFileSync(join(work, 'page.png'));
    const { width, height } = await sharp(page).metadata();
    expect([width, height]).toEqual([1123, 794]);
    const qr = await qrShapeOf(record);
    expect(await readQr(page, qr, 96 / 72)).toEqual(expectedQr(verifyUrl));
  });
});

describe('the PNG preview', () => {
  test('decodes at 1123 × 794, small, with the QR code of the verification link', async () => {
    const { png, verifyUrl } = await renderCertificate(record, { origin });
    const { width, height, format } = await sharp(png).metadata();
    expect([format, width, height]).toEqual(['png', 1123, 794]);
    expect(png.length).toBeLessThan(60_000);
    const qr = await qrShapeOf(record);
    expect(await readQr(png, qr, 4 / 3)).toEqual(expectedQr(verifyUrl));
  });

  test('another origin gives another QR code', async () => {
    const { png } = await renderCertificate(record, { origin: 'https://fupin.web.app' });
    const qr = await qrShapeOf(record);
    expect(await readQr(png, qr, 4 / 3)).not.toEqual(
      expectedQr(verificationUrl(origin, record.serial)),
    );
  });

  test('the preview shows the title in red ink where the layout puts it', async () => {
    const { png } = await renderCertificate(record, { origin });
    const { data, info } = await sharp(png)
      .extract({ left: 280, top: 110, width: 560, height: 60 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    let red = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      if ((data[i] as number) > 150 && (data[i + 1] as number) < 80) red++;
    }
    expect(red).toBeGreaterThan(2000);
  });
});

describe('characters', () => {
  test('rare name characters and GB 2312 characters from fallback files print and extract', async () => {
    const rare = { ...record, donorName: `${rareNameCharacters.join('')}毖谰` };
    const { pdf, missingCharacters } = await renderCertificate(rare, { origin });
    expect(missingCharacters).toEqual([]);
    const path = writePdf('rare', pdf);
    expect(pdfText(path)).toContain(rare.donorName);
    // 毖 and 谰 are not in the chinese-simplified file: their fallback fonts are embedded too.
    expect(poppler('pdffonts', [path]).split('\n').length - 3).toBeGreaterThan(2);
  });

  test('a character no shipped font has is reported, not silently dropped', async () => {
    const { missingCharacters } = await renderCertificate(
      { ...record, donorName: '王\u{20000}' },
      { origin },
    );
    expect(missingCharacters).toEqual(['\u{20000}']);
  });

  test.each([400, 700] as const)(
    'weight %i covers GB 2312 level 1 and the rare name characters',
    async (weight) => {
      const fonts = await fontSet();
      const missing = [...gb2312Level1(), ...rareNameCharacters].filter((char) =>
        fonts.isMissing(char.codePointAt(0) as number, weight),
      );
      expect(missing).toEqual([]);
    },
  );
});

describe('rendering', () => {
  test('is deterministic: the same record gives the same bytes', async () => {
    const first = await renderCertificate(record, { origin });
    const second = await renderCertificate(record, { origin });
    expect(second.pdf.equals(first.pdf)).toBe(true);
    expect(second.png.equals(first.png)).toBe(true);
  });

  test('refuses an invalid record and an origin with a path', async () => {
    await expect(
      renderCertificate({ ...record, householdMasked: '张三华' }, { origin }),
    ).rejects.toThrow();
    await expect(renderCertificate(record, { origin: `${origin}/app` })).rejects.toThrow(/origin/);
  });
});
