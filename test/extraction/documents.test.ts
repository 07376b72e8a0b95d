import { describe, expect, it } from 'vitest';
import { docxBlocks, pdfPages } from '../../src/extraction/content/documents.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import { ZipWriter } from '../support/zip-writer.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A minimal PDF whose pages each show one line of text, with a correct cross-reference table. */
function pdfWithPages(lines: string[]): Buffer {
  const objects: string[] = [];
  const pageIds = lines.map((_l, i) => 4 + i * 2);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${lines.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  lines.forEach((line, i) => {
    const stream = `BT /F1 12 Tf 72 720 Td (${line}) Tj ET`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageIds[i]! + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  });
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

async function docx(documentXml: string, extra: { name: string; data: Buffer | string; deflate?: boolean }[] = []): Promise<Buffer> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-docx-')), 'd.docx');
  const writer = new ZipWriter(file);
  await writer.add({
    name: '[Content_Types].xml',
    data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  });
  await writer.add({
    name: '_rels/.rels',
    data: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  });
  await writer.add({
    name: 'word/document.xml',
    data: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${documentXml}</w:body></w:document>`,
  });
  for (const entry of extra) await writer.add(entry);
  await writer.close();
  return fs.readFileSync(file);
}

const paragraph = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t>${text}</w:t></w:r></w:p>`;

describe('documents', () => {
  it('reads the text of each PDF page, leaving out pages without text', async () => {
    const pages = await pdfPages(pdfWithPages(['Safety first on every site.', 'Wear a helmet at all times.']));
    expect(pages).toEqual([
      { pageNumber: 1, blocks: [{ type: 'paragraph', text: 'Safety first on every site.' }] },
      { pageNumber: 2, blocks: [{ type: 'paragraph', text: 'Wear a helmet at all times.' }] },
    ]);
  });

  it('reads a DOCX with its headings and paragraphs', async () => {
    const bytes = await docx(paragraph('Fire drill', 'Heading1') + paragraph('Leave by the nearest exit.'));
    expect(await docxBlocks(bytes)).toEqual([
      { type: 'heading', level: 1, text: 'Fire drill' },
      { type: 'paragraph', text: 'Leave by the nearest exit.' },
    ]);
  });

  it('refuses a DOCX that is a zip bomb before inflating it', async () => {
    const bytes = await docx(paragraph('Hello'), [{ name: 'word/media/filler.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true }]);
    await expect(docxBlocks(bytes)).rejects.toBeInstanceOf(ExtractionError);
  });
});
