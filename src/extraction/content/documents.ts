import mammoth from 'mammoth';
import { getDocumentProxy } from 'unpdf';
import { ZipArchive, type ArchiveLimits } from '../archive/zip-archive.js';
import { storedZip } from '../archive/stored-zip.js';
import { ExtractionError } from '../result/errors.js';
import type { Block } from '../result/extraction-result.js';
import { htmlToBlocks } from './html.js';
import { checkPdfLimits, DocumentTooLargeError } from './pdf-limits.js';
import { isFileName, isSentenceLike, normalizeSpace } from './text.js';

export { DocumentTooLargeError } from './pdf-limits.js';

export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
/** Pages of one PDF that are read; the rest are left out, with a warning. */
export const MAX_PDF_PAGES = 1000;

/** Paragraph blocks from extracted document text: blank lines separate paragraphs. */
function paragraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n|\n(?=[•\-–] )/)
    .map((p) => normalizeSpace(p))
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph' as const, text: p }));
}

export interface PdfText {
  pages: { pageNumber: number; blocks: Block[] }[];
  /** Pages the document has; only the first MAX_PDF_PAGES are read. */
  totalPages: number;
  /** The title the document's metadata gives, when it is a real one. */
  title: string | null;
}

/** What PDF writers put in the title field when the author wrote none. */
const DEFAULT_PDF_TITLE = /^(microsoft (word|powerpoint|excel)\b|untitled|document\s*\d*$|presentation\s*\d*$|slide\s*\d+$)/i;

function pdfTitle(info: unknown): string | null {
  const raw = info && typeof info === 'object' && 'Title' in info && typeof info.Title === 'string' ? normalizeSpace(info.Title) : '';
  return raw && isSentenceLike(raw) && !isFileName(raw) && !DEFAULT_PDF_TITLE.test(raw) ? raw : null;
}

/**
 * The text of each page of a PDF (up to MAX_PDF_PAGES); pages without text are left out. The file
 * is checked against the limits before pdf.js parses it, and pages past the limit are never parsed.
 */
export async function pdfPages(bytes: Buffer): Promise<PdfText> {
  checkPdfLimits(bytes);
  // Text needs no font files; verbosity 0 keeps pdf.js from warning about them on stdout.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, useSystemFonts: false, verbosity: 0 });
  try {
    const pages: PdfText['pages'] = [];
    for (let pageNumber = 1; pageNumber <= Math.min(pdf.numPages, MAX_PDF_PAGES); pageNumber++) {
      const page = await pdf.getPage(pageNumber);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      page.cleanup();
      const blocks = paragraphs(text);
      if (blocks.length > 0) pages.push({ pageNumber, blocks });
    }
    const metadata = await pdf.getMetadata().catch(() => null);
    return { pages, totalPages: pdf.numPages, title: pdfTitle(metadata?.info) };
  } finally {
    await pdf.destroy();
  }
}

/** Limits for the zip inside a DOCX. */
const DOCX_LIMITS: ArchiveLimits = {
  maxEntries: 5000,
  maxTotalUncompressedBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxDirectoryBytes: 1024 * 1024,
};
/** The archive's size limits (the rest, such as a damaged zip, leave a DOCX unreadable). */
const ARCHIVE_SIZE_LIMITS = new Set(['archive_too_large', 'archive_too_many_entries', 'archive_compression_ratio', 'archive_directory_too_large']);

/**
 * The text parts of a DOCX (everything but media) together. mammoth holds some 150 bytes of memory
 * per byte of XML (18 MB of paragraphs took 2.9 GB): 4 MiB keeps it near 600 MB. Long manuals
 * stay well below this; a bigger DOCX is left out with a warning.
 */
const MAX_DOCX_TEXT_BYTES = 4 * 1024 * 1024;

/**
 * The parts of a DOCX that hold its text, read through our own zip reader, which counts the bytes
 * it inflates: mammoth unzips on trust, so it is given a new, uncompressed zip of these parts.
 */
async function verifiedTextParts(bytes: Buffer): Promise<Buffer> {
  const archive = await ZipArchive.openBuffer(bytes, DOCX_LIMITS).catch((error: unknown) => {
    // A limit of the DOCX's zip is a limit of the document.
    throw error instanceof ExtractionError && ARCHIVE_SIZE_LIMITS.has(error.code) ? new DocumentTooLargeError(error.message.replace(/\.$/, '')) : error;
  });
  try {
    // Entries our reader skipped (links, encrypted, unknown methods) or saw twice could reach
    // mammoth's own unzipping unread: such a DOCX is not one a word processor wrote.
    if (archive.warnings.length > 0 || archive.duplicates > 0) throw new Error('the DOCX archive holds entries that cannot be read safely');
    const parts: { name: string; data: Buffer }[] = [];
    let total = 0;
    for (const entry of archive.entries) {
      if (/^word\/media\//i.test(entry.path)) continue;
      total += entry.size;
      if (total > MAX_DOCX_TEXT_BYTES) throw new DocumentTooLargeError(`its text parts are larger than ${MAX_DOCX_TEXT_BYTES} bytes`);
      parts.push({ name: entry.path, data: await archive.read(entry.path, MAX_DOCX_TEXT_BYTES) });
    }
    return storedZip(parts);
  } finally {
    archive.close();
  }
}

/** The text of a DOCX with its headings, lists and tables, as blocks (images only by alt text). */
export async function docxBlocks(bytes: Buffer): Promise<Block[]> {
  const { value } = await mammoth.convertToHtml(
    { buffer: await verifiedTextParts(bytes) },
    // Images become empty <img> (mammoth keeps their alt text): their bytes are never read.
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
  );
  return htmlToBlocks(value).blocks;
}
