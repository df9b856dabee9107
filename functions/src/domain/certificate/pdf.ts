/**
 * A small PDF writer for the certificate (one page) and the printables (several pages sharing
 * their fonts): rectangles and text in embedded CID TrueType fonts
 * (Type0, Identity-H, with a ToUnicode map so that text can be searched and copied).
 *
 * Why not pdfkit: requiring it (it loads fontkit, AES and hashing for encryption, a line breaker
 * and a PNG decoder at the top of its bundle) was most of the first certificate's time on a cold
 * instance, for a page that needs a dozen operators. Nothing here is loaded that the page does
 * not use.
 */
import { deflateSync } from 'node:zlib';
import type { TrueTypeFont } from './ttf';

/** How one font goes into the PDF: which CID prints a glyph, and the font program. */
export interface FontEmbedding {
  /** The CID that prints a glyph, recording its use (and the character it stands for). */
  cid(glyphId: number, codePoint: number): number;
  /** Called once, after the page: the program and, per CID, its glyph and character. */
  finish(): {
    program: Buffer;
    glyphs: Array<{ cid: number; glyphId: number; codePoint?: number }>;
  };
}

/**
 * The default embedding: a subset of the glyphs used, renumbered from 0 (.notdef) in order of
 * first use, so that the CIDs are the subset's own glyph ids.
 */
export function subsetEmbedding(font: TrueTypeFont): FontEmbedding {
  const glyphIds = [0];
  const cids = new Map<number, number>([[0, 0]]);
  const codePoints: Array<number | undefined> = [undefined];
  return {
    cid(glyphId, codePoint) {
      let cid = cids.get(glyphId);
      if (cid === undefined) {
        cid = glyphIds.length;
        glyphIds.push(glyphId);
        cids.set(glyphId, cid);
        codePoints[cid] = codePoint;
      }
      return cid;
    },
    finish() {
      const program = font.subset(glyphIds);
      return {
        program,
        glyphs: glyphIds.map((glyphId, cid) => ({ cid, glyphId, codePoint: codePoints[cid] })),
      };
    },
  };
}

/** A number as PDF prints it: at most 4 decimals, no trailing zeros. */
export function num(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = value.toFixed(4).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** A text string in UTF-16BE with its byte-order mark, as a hex string. */
function textString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

/** D:YYYYMMDDHHmmSSZ, in UTC. */
function pdfDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `(D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z)`
  );
}

/** UTF-16BE hex of one code point. */
function utf16Hex(codePoint: number): string {
  return String.fromCodePoint(codePoint)
    .split('')
    .map((unit) => unit.charCodeAt(0).toString(16).padStart(4, '0'))
    .join('');
}

export interface PdfFontUse {
  /** Resource name in the content stream, e.g. F1. */
  name: string;
  font: TrueTypeFont;
  embedding: FontEmbedding;
}

export interface PdfPageInput {
  width: number;
  height: number;
  /** The content stream, uncompressed. */
  content: string;
  fonts: PdfFontUse[];
  info: { title: string; author: string; creator: string; date: Date };
  lang: string;
}

/** A document of several pages of one size, drawing from one set of embedded fonts. */
export interface PdfDocumentInput extends Omit<PdfPageInput, 'content'> {
  /** Each page's content stream, uncompressed, in order. */
  pages: Array<{ content: string }>;
}

/** Writes the one-page document. Deterministic: the same input gives the same bytes. */
export function writePdf(page: PdfPageInput): Buffer {
  const { content, ...rest } = page;
  return writePdfPages({ ...rest, pages: [{ content }] });
}

/**
 * Writes a document of one or more pages. Deterministic; one page gives the bytes `writePdf`
 * always gave (the objects keep their order: a certificate's file does not change).
 */
export function writePdfPages(page: PdfDocumentInput): Buffer {
  if (page.pages.length === 0) throw new Error('a PDF needs at least one page');
  const objects: Buffer[] = [];
  const add = (body: string | Buffer): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const reserve = (): number => add('');
  const set = (ref: number, body: string) => {
    objects[ref - 1] = Buffer.from(body, 'latin1');
  };
  const stream = (dictionary: string, data: Buffer): number => {
    const compressed = deflateSync(data);
    return add(
      Buffer.concat([
        Buffer.from(
          `<<${dictionary} /Length ${compressed.length} /Filter /FlateDecode>>\nstream\n`,
          'latin1',
        ),
        compressed,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  };

  const catalog = reserve();
  const pages = reserve();
  const fontRefs: string[] = [];
  page.fonts.forEach(({ name, font, embedding }, index) => {
    const { program, glyphs } = embedding.finish();
    const scale = 1000 / font.unitsPerEm;
    // A subset font's name carries a six-letter tag; derived from its order, not random.
    const tag = `CERT${String.fromCharCode(65 + (Math.floor(index / 26) % 26), 65 + (index % 26))}`;
    const baseFont = `/${tag}+${font.postscriptName.replace(/[^!-~]|[/()<>[\]{}%#]/g, '')}`;
    const file = stream(` /Length1 ${program.length}`, program);
    const [xMin, yMin, xMax, yMax] = font.bbox.map((value) => num(value * scale));
    const descriptor = add(
      `<</Type /FontDescriptor /FontName ${baseFont} /Flags 4` +
        ` /FontBBox [${xMin} ${yMin} ${xMax} ${yMax}] /ItalicAngle ${num(font.italicAngle)}` +
        ` /Ascent ${num(font.ascent * scale)} /Descent ${num(font.descent * scale)}` +
        ` /CapHeight ${num(font.capHeight * scale)} /XHeight ${num(font.xHeight * scale)}` +
        ` /StemV 0 /FontFile2 ${file} 0 R>>`,
    );
    const sorted = [...glyphs].sort((a, b) => a.cid - b.cid);
    // Widths in runs of consecutive CIDs: [first [w w …] first [w …] …].
    let widths = '';
    for (let i = 0; i < sorted.length;) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1]!.cid === sorted[j]!.cid + 1) j++;
      const run = sorted
        .slice(i, j + 1)
        .map(({ glyphId }) => num(font.advanceWidth(glyphId) * scale));
      widths += `${sorted[i]!.cid} [${run.join(' ')}] `;
      i = j + 1;
    }
    const cidFont = add(
      `<</Type /Font /Subtype /CIDFontType2 /BaseFont ${baseFont}` +
        ` /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>>` +
        ` /FontDescriptor ${descriptor} 0 R /W [${widths.trim()}] /CIDToGIDMap /Identity>>`,
    );
    const mapped = sorted.filter((glyph) => glyph.codePoint !== undefined);
    let cmap =
      '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
      '/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n' +
      '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
      '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
    // At most 100 entries per block, as the CMap format requires.
    for (let i = 0; i < mapped.length; i += 100) {
      const block = mapped.slice(i, i + 100);
      cmap += `${block.length} beginbfchar\n`;
      for (const { cid, codePoint } of block) {
        cmap += `<${cid.toString(16).padStart(4, '0')}> <${utf16Hex(codePoint as number)}>\n`;
      }
      cmap += 'endbfchar\n';
    }
    cmap += 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';
    const toUnicode = stream('', Buffer.from(cmap, 'latin1'));
    const type0 = add(
      `<</Type /Font /Subtype /Type0 /BaseFont ${baseFont} /Encoding /Identity-H` +
        ` /DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R>>`,
    );
    fontRefs.push(`/${name} ${type0} 0 R`);
  });

  const kids = page.pages.map(({ content: text }) => {
    const content = stream('', Buffer.from(text, 'latin1'));
    return add(
      `<</Type /Page /Parent ${pages} 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}]` +
        ` /Resources <</Font <<${fontRefs.join(' ')}>>>> /Contents ${content} 0 R>>`,
    );
  });
  set(
    pages,
    `<</Type /Pages /Kids [${kids.map((ref) => `${ref} 0 R`).join(' ')}] /Count ${kids.length}>>`,
  );
  set(
    catalog,
    `<</Type /Catalog /Pages ${pages} 0 R /Lang (${page.lang})` +
      ` /ViewerPreferences <</DisplayDocTitle true>>>>`,
  );
  const { title, author, creator, date } = page.info;
  const info = add(
    `<</Title ${textString(title)} /Author ${textString(author)} /Creator ${textString(creator)}` +
      ` /CreationDate ${pdfDate(date)} /ModDate ${pdfDate(date)}>>`,
  );

  // A binary comment after the header: transfer tools then treat the file as binary.
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const object = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(object);
    offset += object.length;
  });
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) xref += `${String(at).padStart(10, '0')} 00000 n \n`;
  xref +=
    `trailer\n<</Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R>>\n` +
    `startxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}
