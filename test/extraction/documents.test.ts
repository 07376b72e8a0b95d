import { describe, expect, it } from 'vitest';
import { docxBlocks, DocumentTooLargeError, pdfPages } from '../../src/extraction/content/documents.js';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { docx, docxDocument, docxParagraph as paragraph, pdfWithPages } from '../support/documents.js';
import { scorm12Manifest } from '../support/packages.js';
import { writeZip, type ZipEntrySpec } from '../support/zip-writer.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

async function docxBytes(documentXml: string, extra: ZipEntrySpec[] = []): Promise<Buffer> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-docx-')), 'd.docx');
  await docx(file, { data: docxDocument(documentXml) }, extra);
  return fs.readFileSync(file);
}

describe('documents', () => {
  it('reads the text of each PDF page, leaving out pages without text', async () => {
    const pdf = await pdfPages(pdfWithPages(['Safety first on every site.', '', 'Wear a helmet at all times.']));
    expect(pdf.totalPages).toBe(3);
    expect(pdf.title).toBeNull();
    expect(pdf.pages).toEqual([
      { pageNumber: 1, blocks: [{ type: 'paragraph', text: 'Safety first on every site.' }] },
      { pageNumber: 3, blocks: [{ type: 'paragraph', text: 'Wear a helmet at all times.' }] },
    ]);
  });

  it("gives the title a PDF's metadata holds, unless it is a writer's default", async () => {
    expect((await pdfPages(pdfWithPages(['Line one.'], 'Site Safety Handbook'))).title).toBe('Site Safety Handbook');
    expect((await pdfPages(pdfWithPages(['Line one.'], 'Microsoft Word - handbook_v3.docx'))).title).toBeNull();
    expect((await pdfPages(pdfWithPages(['Line one.'], 'handbook_v3.pdf'))).title).toBeNull();
    expect((await pdfPages(pdfWithPages(['Line one.']))).title).toBeNull();
  });

  it('reads a DOCX with its headings and paragraphs', async () => {
    const bytes = await docxBytes(paragraph('Fire drill', 'Heading1') + paragraph('Leave by the nearest exit.'));
    expect(await docxBlocks(bytes)).toEqual([
      { type: 'heading', level: 1, text: 'Fire drill' },
      { type: 'paragraph', text: 'Leave by the nearest exit.' },
    ]);
  });

  it('refuses a DOCX that is a zip bomb before inflating it', async () => {
    const bytes = await docxBytes(paragraph('Hello'), [{ name: 'word/media/filler.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true }]);
    await expect(docxBlocks(bytes)).rejects.toBeInstanceOf(DocumentTooLargeError);
  });
});

describe('documents stored under a hash for a name', () => {
  it('are titled by their first heading, not by the hash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-doc-titles-'));
    try {
      const named = path.join(dir, 'named.docx');
      await docx(named, { data: docxDocument(paragraph('Hedge planting guide', 'Heading1') + paragraph('Plant in late autumn.')) });
      const file = path.join(dir, 'course.zip');
      await writeZip(file, [
        { name: 'imsmanifest.xml', data: scorm12Manifest('Hedges', ['Hedges']) },
        { name: 'index.html', data: '<html><body><h1>Hedges</h1><p>See the guide for the planting season.</p></body></html>' },
        { name: 'assets/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b.docx', data: fs.readFileSync(named) },
        { name: 'assets/Pruning_notes.docx', data: fs.readFileSync(named) },
      ]);
      const result = await extractPackage(file);
      const titles = result.pages.filter((p) => p.kind === 'document').map((p) => p.title);
      expect(titles).toEqual(expect.arrayContaining(['Hedge planting guide', 'Pruning notes']));
      expect(titles.join(' ')).not.toMatch(/[0-9a-f]{16}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
