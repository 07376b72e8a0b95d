import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import type { ExtractionResult } from '../../src/extraction/result/extraction-result.js';
import { docx, docxDocument, docxParagraph, pdfFlateBomb, pdfWithPages } from '../support/documents.js';
import { scorm12Manifest } from '../support/packages.js';
import { writeZip, type ZipEntrySpec } from '../support/zip-writer.js';

// Documents inside a package are parsed by libraries that trust what they are given: each limit
// here is checked on real bytes before the library sees the document.

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hostile-documents-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

/** A one-page SCORM package that also carries the given document. */
async function packageWith(document: ZipEntrySpec): Promise<ExtractionResult> {
  const file = path.join(dir, `package-${++counter}.zip`);
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('Site safety', ['Welcome']) },
    { name: 'page1.html', data: '<html><body><h1>Welcome</h1><p>Read the handout.</p></body></html>' },
    document,
  ]);
  return extractPackage(file);
}

async function docxFile(documentEntry: Omit<ZipEntrySpec, 'name'>): Promise<Buffer> {
  const file = path.join(dir, `document-${++counter}.docx`);
  await docx(file, documentEntry);
  return fs.readFileSync(file);
}

const warningsOf = (result: ExtractionResult) => result.warnings.map((w) => ({ code: w.code, path: w.path }));
const documentPages = (result: ExtractionResult) => result.pages.filter((p) => p.kind === 'document');

describe('documents inside a package', () => {
  it('leaves out a DOCX whose text part inflates past the size it declares, without inflating the rest', async () => {
    const body = docxParagraph('Lies about its size. '.repeat(40));
    const xml = docxDocument(body.repeat(Math.ceil((6 * MiB) / body.length)));
    const bytes = await docxFile({ data: xml, deflate: true, declaredSize: 2048 });
    const result = await packageWith({ name: 'handout.docx', data: bytes });
    expect(warningsOf(result)).toEqual([{ code: 'document_unreadable', path: 'handout.docx' }]);
    expect(result.warnings[0]?.message).toContain('2048 bytes');
    expect(documentPages(result)).toEqual([]);
    expect(result.pages.map((p) => p.title)).toEqual(['Welcome']);
  });

  it('leaves out a DOCX whose text is larger than the parser can hold, with document_too_large', async () => {
    const body = docxParagraph('An honest but enormous manual. '.repeat(40));
    const xml = docxDocument(body.repeat(Math.ceil((6 * MiB) / body.length)));
    const result = await packageWith({ name: 'manual.docx', data: await docxFile({ data: xml, deflate: true }) });
    expect(warningsOf(result)).toEqual([{ code: 'document_too_large', path: 'manual.docx' }]);
    expect(documentPages(result)).toEqual([]);
  });

  it('still reads an ordinary DOCX next to the page', async () => {
    const xml = docxDocument(docxParagraph('Ladders', 'Heading1') + docxParagraph('Face the ladder when you climb.'));
    const result = await packageWith({ name: 'ladders.docx', data: await docxFile({ data: xml, deflate: true }) });
    expect(warningsOf(result)).toEqual([]);
    expect(documentPages(result).map((p) => p.text)).toEqual(['Ladders\n\nFace the ladder when you climb.']);
  });

  it('leaves out a PDF whose streams decode past the budget (a FlateDecode bomb), with document_too_large', async () => {
    const result = await packageWith({ name: 'bomb.pdf', data: await pdfFlateBomb(300 * MiB) });
    expect(warningsOf(result)).toEqual([{ code: 'document_too_large', path: 'bomb.pdf' }]);
    expect(documentPages(result)).toEqual([]);
  });

  it('reads the first 1,000 pages of a 20,000-page PDF and says the rest were left out', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `Page line ${i + 1}`);
    const result = await packageWith({ name: 'huge.pdf', data: pdfWithPages(lines), deflate: true });
    expect(warningsOf(result)).toEqual([{ code: 'document_truncated', path: 'huge.pdf' }]);
    const pages = documentPages(result);
    expect(pages).toHaveLength(1000);
    expect(pages.at(-1)?.text).toBe('Page line 1000');
  }, 120_000);
});
