import { docx, docxDocument, docxParagraph, pdfFlateBomb } from './documents.js';
import { scorm12Manifest } from './packages.js';
import { writeZip, ZipWriter } from './zip-writer.js';

// Packages built to hurt a service that trusts them. Each is written by the test or benchmark that
// uses it: none is kept in the repository.

const MiB = 1024 * 1024;

/** A package whose central directory is mostly entry comments, with names in an old code page. */
export async function writeCommentBomb(file: string, totalBytes = 150 * MiB): Promise<void> {
  const comment = Buffer.alloc(65_000, 0xe9);
  const writer = new ZipWriter(file);
  await writer.add({ name: 'imsmanifest.xml', data: scorm12Manifest('Comments', ['One']) });
  for (let i = 0; i * comment.length < totalBytes; i++) {
    // "pagé-<n>.html" without the UTF-8 flag: decoded as code page 437.
    await writer.add({ name: '', rawName: Buffer.concat([Buffer.from('pag'), Buffer.from([0x82]), Buffer.from(`-${i}.html`)]), data: '<p>x</p>', comment });
  }
  await writer.close();
}

/** One page and a DOCX whose text part declares 2 KB and inflates to `inflatedBytes`. */
export async function writeDocxBomb(file: string, inflatedBytes = 64 * MiB): Promise<void> {
  const paragraph = docxParagraph('This part lies about its size. '.repeat(20));
  const xml = docxDocument(paragraph.repeat(Math.ceil(inflatedBytes / paragraph.length)));
  const docxFile = `${file}.docx`;
  await docx(docxFile, { data: xml, deflate: true, declaredSize: 2048 });
  const { readFile, rm } = await import('node:fs/promises');
  const bytes = await readFile(docxFile);
  await rm(docxFile);
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('DOCX bomb', ['Welcome']) },
    { name: 'page1.html', data: '<h1>Welcome</h1><p>Read the handout.</p>' },
    { name: 'handout.docx', data: bytes },
  ]);
}

/** One page and a PDF whose content stream, deflated twice, decodes to `decodedBytes`. */
export async function writePdfBomb(file: string, decodedBytes = 512 * MiB): Promise<void> {
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('PDF bomb', ['Welcome']) },
    { name: 'page1.html', data: '<h1>Welcome</h1><p>Read the handout.</p>' },
    { name: 'handout.pdf', data: await pdfFlateBomb(decodedBytes) },
  ]);
}

/**
 * A SCORM 1.2 manifest of `items` items over `resources` resources: even resources launch one
 * shared page with different parameters, odd ones a page the package lacks.
 */
export function manifestOfItems(items: number, resources = items): string {
  const entries: string[] = [];
  const declared: string[] = [];
  for (let i = 0; i < items; i++) {
    entries.push(`<item identifier="i${i.toString(36)}" identifierref="r${(i % resources).toString(36)}"><title>T${i.toString(36)}</title></item>`);
  }
  for (let r = 0; r < resources; r++) {
    const n = r.toString(36);
    declared.push(`<resource identifier="r${n}" adlcp:scormtype="sco" href="${r % 2 === 0 ? `page.html?t=${n}` : `m/${n}.html`}"/>`);
  }
  return `<?xml version="1.0"?><manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><organizations default="o"><organization identifier="o"><title>Huge</title>${entries.join('')}</organization></organizations><resources>${declared.join('')}</resources></manifest>`;
}

export const SHARED_PAGE = '<html><body><h1>Shared topic page</h1><p>The same page serves every topic.</p></body></html>';

export async function writeManyItems(file: string, items = 250_000, resources = Math.min(items, 1000)): Promise<void> {
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: manifestOfItems(items, resources), deflate: true },
    { name: 'page.html', data: SHARED_PAGE },
  ]);
}

/**
 * A package of `pages` pages of `pageBytes` of distinct words each: a few megabytes zipped, a
 * result of hundreds of megabytes (the text is in the pages, their blocks, chunks and Markdown).
 */
export async function writeBigResult(file: string, pages = 66, pageBytes = MiB): Promise<void> {
  const titles = Array.from({ length: pages }, (_, i) => `Chapter ${i + 1}`);
  const writer = new ZipWriter(file);
  await writer.add({ name: 'imsmanifest.xml', data: scorm12Manifest('Big result', titles), deflate: true });
  for (let p = 0; p < pages; p++) {
    const paragraphs: string[] = [];
    let size = 0;
    for (let n = 0; size < pageBytes; n++) {
      const words = Array.from({ length: 60 }, (_, w) => `w${(p * 7919 + n * 60 + w) % 4999}`).join(' ');
      paragraphs.push(`<p>${words}.</p>`);
      size += words.length + 8;
    }
    await writer.add({ name: `page${p + 1}.html`, data: `<html><body><h1>${titles[p]}</h1>${paragraphs.join('')}</body></html>`, deflate: true });
  }
  await writer.close();
}
