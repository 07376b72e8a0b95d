import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { defaultArchiveLimits, ZipArchive, type ArchiveLimits } from './archive/zip-archive.js';
import { blocksToText } from './content/blocks.js';
import { docxBlocks, DocumentTooLargeError, MAX_DOCUMENT_BYTES, MAX_PDF_PAGES, pdfPages } from './content/documents.js';
import { htmlToText, looksLikeHtml } from './content/html.js';
import { cleanText } from './content/text.js';
import { mediaType } from './content/media.js';
import { buildMediaInventory } from './inventory.js';
import { ExtractionError, type Warning } from './result/errors.js';
import {
  FORMAT_VERSION,
  type Assessment,
  type ExtractionResult,
  type Page,
  type PackageFacts,
} from './result/extraction-result.js';
import { chunkAssessments, chunkPages } from './result/chunks.js';
import { courseLanguage } from './result/language.js';
import { buildPages, shortHash } from './result/pages.js';
import { FolderSource } from './source/folder-source.js';
import type { PackageSource } from './source/package-source.js';
import { PackageView } from './source/package-view.js';
import { defaultOrganizationOf, flattenItems, itemRefs, readCourseStructure } from './structure.js';
import { extractGeneric } from './tools/generic.js';
import { detectTool } from './tools/registry.js';
import type { PageDraft, ToolOutput } from './tools/tool.js';
import type { CourseStructure } from './manifest/course-structure.js';

export interface ExtractOptions {
  limits?: ArchiveLimits;
  /** Called as the extraction moves on: a step name, and how far it is (0 to 1). */
  onProgress?: (step: string, fraction: number) => void;
}

const WORDS_PER_MINUTE = 200;
/** Manifest titles that tools put in place of the course's own. */
const GENERIC_TITLE = /^(captivate e-learning course|untitled|course|new course|title|my course|scorm package)$/i;
/** What a tool writes where the author wrote no description ("Course Description.", "Description"). */
const PLACEHOLDER_DESCRIPTION = /^((course|module|package|project) )?(description|summary)\.?$|^(enter|add|type) (a |the |your )?(course )?description\b/i;
/** A description as a reader sees it (manifests may hold HTML or escaped characters), or none when it is a placeholder. */
function realDescription(text: string | null | undefined): string | null {
  const plain = text && (looksLikeHtml(text) ? htmlToText(text) : cleanText(text));
  return plain && !PLACEHOLDER_DESCRIPTION.test(plain.trim()) ? plain : null;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** A bare descriptor (a cmi5.xml with absolute AU URLs) as a package of one file. */
function singleFileSource(name: string, bytes: Buffer): PackageSource {
  return {
    entries: [{ path: name, size: bytes.length }],
    has: (p) => p === name,
    read: async (p, max) => {
      if (p !== name) throw new ExtractionError('archive_entry_missing', `${p} is not in the package.`);
      if (bytes.length > max) throw new ExtractionError('archive_entry_too_large', `${p} is larger than ${max} bytes.`);
      return bytes;
    },
    readHead: async (p, n) => (p === name ? bytes.subarray(0, n) : Buffer.alloc(0)),
    close: () => undefined,
  };
}

const MAX_BARE_DESCRIPTOR_BYTES = 32 * 1024 * 1024;

/** Opens what the user gave: a zip, an unpacked folder, or a bare cmi5.xml / tincan.xml. */
export async function openPackage(input: string, limits: ArchiveLimits = defaultArchiveLimits): Promise<PackageSource> {
  const stat = await fs.promises.stat(input).catch(() => {
    throw new ExtractionError('input_not_found', `${input} does not exist.`);
  });
  if (stat.isDirectory()) return FolderSource.open(input, limits.maxEntries);
  const head = Buffer.alloc(256);
  const handle = await fs.promises.open(input, 'r');
  await handle.read(head, 0, head.length, 0).finally(() => handle.close());
  if (!head.subarray(0, 2).equals(Buffer.from('PK')) && /^\s*(\ufeff)?\s*<(\?xml|courseStructure|tincan)/i.test(head.toString('utf8'))) {
    if (stat.size > MAX_BARE_DESCRIPTOR_BYTES) {
      throw new ExtractionError('archive_entry_too_large', `The descriptor is larger than ${MAX_BARE_DESCRIPTOR_BYTES} bytes.`);
    }
    const bytes = await fs.promises.readFile(input);
    const name = /<tincan/i.test(bytes.toString('utf8', 0, 4096)) ? 'tincan.xml' : 'cmi5.xml';
    return singleFileSource(name, bytes);
  }
  return ZipArchive.open(input, limits);
}

/** Size and sha256 of the input: of the file, or for a folder of its listing (path and size of each file). */
async function fingerprint(input: string, source: PackageSource): Promise<{ size: number; sha256: string }> {
  if (source instanceof FolderSource) {
    const hash = createHash('sha256');
    for (const entry of source.entries) hash.update(`${entry.path}\0${entry.size}\n`);
    return { size: source.entries.reduce((n, e) => n + e.size, 0), sha256: hash.digest('hex') };
  }
  const [stat, sha256] = await Promise.all([fs.promises.stat(input), sha256File(input)]);
  return { size: stat.size, sha256 };
}

/** Text of every PDF and DOCX of the course as document pages, one per PDF page. */
async function readDocuments(view: PackageView, onProgress: (fraction: number) => void): Promise<PageDraft[]> {
  const files = view.files().filter((f) => /\.(pdf|docx)$/i.test(f) && !/(^|\/)(lib|libraries|scormdriver)\//i.test(f));
  const pages: PageDraft[] = [];
  for (const [index, file] of files.entries()) {
    onProgress(index / Math.max(1, files.length));
    // A file's name as its reader sees it in a download list: "Safety_Manual_v2.pdf" reads "Safety Manual v2".
    // A name that is a hash or an id (tools store uploads as "3fa2…c9.docx") names nothing: the document's first heading does.
    const name = path.posix.basename(file).replace(/\.(pdf|docx)$/i, '').replace(/_+/g, ' ').trim();
    const named = !/^[0-9a-f]{16,}$|^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(name);
    const title = named ? name : null;
    try {
      const bytes = await view.bytes(file, MAX_DOCUMENT_BYTES);
      if (/\.pdf$/i.test(file)) {
        const pdf = await pdfPages(bytes);
        if (pdf.totalPages > MAX_PDF_PAGES) {
          view.warn('document_truncated', `${file} has ${pdf.totalPages} pages; the first ${MAX_PDF_PAGES} were read.`, file);
        }
        for (const page of pdf.pages) {
          pages.push({
            title: pdf.title ?? title ? `${pdf.title ?? title} (page ${page.pageNumber})` : `Page ${page.pageNumber}`,
            kind: 'document',
            source: file,
            pageNumber: page.pageNumber,
            blocks: page.blocks,
          });
        }
      } else {
        const blocks = await docxBlocks(bytes);
        const heading = blocks.find((b) => b.type === 'heading');
        pages.push({ title: title ?? (heading && 'text' in heading ? heading.text : null), kind: 'document', source: file, blocks });
      }
    } catch (error) {
      if (error instanceof DocumentTooLargeError || (error instanceof ExtractionError && error.code === 'archive_entry_too_large')) {
        view.warn('document_too_large', `${file} was not read: ${error.message.replace(/\.$/, '')}.`, file);
      } else view.warn('document_unreadable', `${file} could not be read: ${(error as Error).message}`, file);
    }
  }
  return pages;
}

/** Five-word sequences of a text, to compare texts that differ in punctuation and line breaks. */
function shingles(text: string): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.slice(4).map((_w, i) => words.slice(i, i + 5).join(' '));
}

/**
 * Transcript pages whose words are not already there: tools often show a transcript on the page,
 * and a caption file and an inline transcript of one video usually say the same.
 */
function newTranscripts(toolPages: PageDraft[], transcripts: PageDraft[]): PageDraft[] {
  const shown = new Set(toolPages.flatMap((p) => shingles(blocksToText(p.blocks))));
  return transcripts.filter((transcript) => {
    const own = shingles(blocksToText(transcript.blocks));
    const repeated = own.filter((s) => shown.has(s)).length;
    if (own.length > 0 && repeated / own.length >= 0.8) return false;
    for (const s of own) shown.add(s);
    return true;
  });
}

/**
 * An image source as a path inside the package. Decoders give them as found: relative to the page
 * (HTML `src`), or already package paths (tool data).
 */
function imagePath(view: PackageView, pageSource: string, src: string): string {
  if (view.has(src)) return src;
  const resolved = view.resolve(pageSource, src);
  return resolved && view.has(resolved) ? resolved : src;
}

/** Files the descriptor lists (resource files and launch files) that the package lacks. */
function missingFiles(view: PackageView, structure: CourseStructure): string[] {
  const listed = new Set<string>();
  for (const resource of structure.resources) {
    for (const file of [resource.href, ...resource.files]) {
      const resolved = file ? view.resolve('', file) : null;
      if (resolved) listed.add(resolved);
    }
  }
  for (const item of view.items) if (item.launch) listed.add(item.launch);
  const missing = [...listed].filter((file) => !view.has(file));
  for (const file of missing) view.warn('file_missing', `${file} is referenced by the package but not in it.`, file);
  return missing;
}

function assessmentsOf(output: ToolOutput, structure: CourseStructure, pageOf: Map<PageDraft, Page>): Assessment[] {
  const assessments: Assessment[] = output.assessments
    .filter((a) => a.questions.length > 0)
    .map((draft, index) => {
      const pageDraft = draft.pageIndex === null || draft.pageIndex === undefined ? undefined : output.pages[draft.pageIndex];
      const page = pageDraft ? pageOf.get(pageDraft) : undefined;
      return {
        id: `a-${shortHash(draft.source, index)}`,
        title: draft.title,
        item_id: draft.itemId ?? page?.item_id ?? null,
        page_id: page?.id ?? null,
        source: draft.source,
        passing_score: draft.passingScore ?? null,
        questions_per_attempt: draft.questionsPerAttempt && draft.questionsPerAttempt < draft.questions.length ? draft.questionsPerAttempt : null,
        questions: draft.questions,
      };
    });
  // The descriptor's own interactions (xAPI) fill in only when the tool's data had no questions.
  if (assessments.length === 0 && structure.interactions.length > 0) {
    assessments.push({
      id: `a-${shortHash(structure.descriptorPath, 0)}`,
      title: structure.titles[0]?.value ?? null,
      item_id: null,
      page_id: null,
      source: structure.descriptorPath,
      passing_score: null,
      questions_per_attempt: null,
      questions: structure.interactions,
    });
  }
  return assessments;
}

/**
 * Extracts what a course says: opens the package safely, reads its descriptor, decodes its
 * authoring tool's data (or reads its HTML when the tool is unknown), and adds documents, media,
 * transcripts, statistics and retrieval chunks. Throws ExtractionError for packages it cannot read.
 */
export async function extractPackage(input: string, options: ExtractOptions = {}): Promise<ExtractionResult> {
  const progress = options.onProgress ?? (() => undefined);
  progress('open', 0);
  const source = await openPackage(input, options.limits);
  try {
    const { size, sha256 } = await fingerprint(input, source);
    const warnings: Warning[] = [...(source.warnings ?? [])];
    progress('structure', 0);
    const { structure, root } = await readCourseStructure(source, warnings);
    const items = itemRefs(structure);
    const view = new PackageView(source, root, warnings, items);
    const missing = missingFiles(view, structure);

    progress('content', 0);
    const tool = await detectTool(view);
    const output = tool ? await tool.decoder.extract(view) : await extractGeneric(view);
    progress('documents', 0);
    const documents = await readDocuments(view, (f) => progress('documents', f));
    progress('media', 0);
    const { media, transcriptPages } = await buildMediaInventory(view, output.media, missing.filter((f) => mediaType(f)));
    // Media the tool's own data references (not the descriptor) and the package lacks.
    const warned = new Set(missing);
    for (const item of media) {
      if (item.missing && !warned.has(item.path)) view.warn('file_missing', `${item.path} is referenced by the package but not in it.`, item.path);
    }

    const { pages, pageOf } = buildPages(
      [...output.pages, ...documents, ...newTranscripts(output.pages, transcriptPages)],
      items,
      (pageSource, src) => imagePath(view, pageSource, src),
    );
    const assessments = assessmentsOf(output, structure, pageOf);
    progress('chunks', 0);
    const chunks = [...chunkPages(pages), ...chunkAssessments(assessments, pages)];

    const organization = defaultOrganizationOf(structure);
    const allItems = flattenItems(organization?.items ?? []);
    const words = pages.reduce((n, p) => n + p.word_count, 0);
    const descriptorTitle = structure.titles[0]?.value ?? null;
    const title =
      output.title && (!descriptorTitle || GENERIC_TITLE.test(descriptorTitle.trim())) ? output.title : descriptorTitle ?? output.title ?? null;
    const facts: PackageFacts = {
      standard: structure.standard,
      version: structure.version,
      tool: tool ? { name: tool.decoder.name, version: tool.version } : null,
      title,
      titles: structure.titles,
      description: realDescription(structure.description) ?? realDescription(output.description),
      language: courseLanguage(structure.language ?? output.language ?? null, pages),
      identifier: structure.identifier,
      keywords: structure.keywords,
      typical_learning_time: structure.typicalLearningTime,
      root,
      manifest_path: root + structure.descriptorPath,
      size_bytes: size,
      sha256,
      entry_count: source.entries.length,
    };
    progress('done', 1);
    return {
      format_version: FORMAT_VERSION,
      package: facts,
      default_organization: structure.defaultOrganization,
      organizations: structure.organizations,
      resources: structure.resources,
      pages,
      assessments,
      media,
      chunks,
      statistics: {
        items: allItems.length,
        launchable_items: allItems.filter((i) => i.launch).length,
        resources: structure.resources.length,
        pages: pages.length,
        words,
        questions: assessments.reduce((n, a) => n + a.questions.length, 0),
        media: media.length,
        reading_time_minutes: Math.ceil(words / WORDS_PER_MINUTE),
      },
      warnings,
    };
  } catch (error) {
    // Data nested deeper than a reader's recursion goes (a tool's tree of thousands of levels) is
    // the package's fault, not ours.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new ExtractionError('package_too_deep', 'The package nests its data too deeply to be read.');
    }
    throw error;
  } finally {
    source.close();
  }
}
