import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { ZipArchive, type ArchiveLimits } from '../archive/zip-archive.js';
import type { Block } from '../result/extraction-result.js';
import { htmlToBlocks } from './html.js';
import { normalizeSpace } from './text.js';

export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
const MAX_PDF_PAGES = 1000;

/** Paragraph blocks from extracted document text: blank lines separate paragraphs. */
function paragraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n|\n(?=[•\-–] )/)
    .map((p) => normalizeSpace(p))
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph' as const, text: p }));
}

/** The text of each page of a PDF (up to 1,000 pages); pages without text are left out. */
export async function pdfPages(bytes: Buffer): Promise<{ pageNumber: number; blocks: Block[] }[]> {
  // Text needs no font files; verbosity 0 keeps pdf.js from warning about them on stdout.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, useSystemFonts: false, verbosity: 0 });
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text
      .slice(0, MAX_PDF_PAGES)
      .map((pageText, index) => ({ pageNumber: index + 1, blocks: paragraphs(pageText) }))
      .filter((page) => page.blocks.length > 0);
  } finally {
    await pdf.destroy();
  }
}

/** Limits for the zip inside a DOCX, checked before mammoth inflates anything. */
const DOCX_LIMITS: ArchiveLimits = { maxEntries: 5000, maxTotalUncompressedBytes: 256 * 1024 * 1024, maxCompressionRatio: 200 };

/** The text of a DOCX with its headings, lists and tables, as blocks (images only by alt text). */
export async function docxBlocks(bytes: Buffer): Promise<Block[]> {
  (await ZipArchive.openBuffer(bytes, DOCX_LIMITS)).close();
  const { value } = await mammoth.convertToHtml(
    { buffer: bytes },
    // Images become empty <img> (mammoth keeps their alt text): no base64 data reaches the text.
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
  );
  return htmlToBlocks(value).blocks;
}
