import { once } from 'node:events';
import zlib from 'node:zlib';
import { ZipWriter, type ZipEntrySpec } from './zip-writer.js';

/** A PDF with a correct cross-reference table from objects given as text (numbered from 1). */
function pdfOf(objects: (string | Buffer)[], info?: number): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets = objects.map((object, i) => {
    const offset = length;
    const bytes = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), Buffer.from(object as never, 'latin1' as never), Buffer.from('\nendobj\n')]);
    parts.push(bytes);
    length += bytes.length;
    return offset;
  });
  const trailer = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${info ? ` /Info ${info} 0 R` : ''} >>\nstartxref\n${length}\n%%EOF\n`;
  return Buffer.concat([...parts, Buffer.from(trailer, 'latin1')]);
}

const streamObject = (dictionary: string, data: Buffer) =>
  Buffer.concat([Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);

/** A PDF whose pages each show one line of text, with the title its metadata gives, if any. */
export function pdfWithPages(lines: string[], title?: string): Buffer {
  const pageIds = lines.map((_l, i) => 4 + i * 2);
  const objects: (string | Buffer)[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${lines.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  lines.forEach((line, i) => {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageIds[i]! + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`);
    objects.push(streamObject('', Buffer.from(`BT /F1 12 Tf 72 720 Td (${line}) Tj ET`, 'latin1')));
  });
  if (title === undefined) return pdfOf(objects);
  objects.push(`<< /Title (${title}) /Producer (Writer) >>`);
  return pdfOf(objects, objects.length);
}

/** Deflates `size` bytes of a repeated pattern, a chunk at a time: the stream of a bomb. */
export async function deflateRepeated(size: number, pattern: Buffer | string, raw = false): Promise<Buffer> {
  const deflate = raw ? zlib.createDeflateRaw({ level: 9 }) : zlib.createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const unit = Buffer.from(pattern);
  const block = Buffer.alloc(Math.ceil((1024 * 1024) / unit.length) * unit.length, unit);
  for (let written = 0; written < size; written += block.length) {
    if (!deflate.write(block.subarray(0, Math.min(block.length, size - written)))) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat(chunks);
}

/** A one-page PDF whose content stream is deflated twice and decodes to `decodedBytes` of spaces. */
export async function pdfFlateBomb(decodedBytes: number): Promise<Buffer> {
  const twice = zlib.deflateSync(await deflateRepeated(decodedBytes, ' '), { level: 9 });
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
    streamObject('/Filter [/FlateDecode /FlateDecode]', twice),
  ]);
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELATIONSHIPS =
  '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

export const docxDocument = (body: string) =>
  `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;

export const docxParagraph = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t>${text}</w:t></w:r></w:p>`;

/** A DOCX with the given word/document.xml entry (its text, or a spec with a declared size that lies). */
export async function docx(file: string, document: Omit<ZipEntrySpec, 'name'>, extra: ZipEntrySpec[] = []): Promise<void> {
  const writer = new ZipWriter(file);
  await writer.add({ name: '[Content_Types].xml', data: CONTENT_TYPES });
  await writer.add({ name: '_rels/.rels', data: RELATIONSHIPS });
  await writer.add({ name: 'word/document.xml', ...document });
  for (const entry of extra) await writer.add(entry);
  await writer.close();
}
