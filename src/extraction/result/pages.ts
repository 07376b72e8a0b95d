import { createHash } from 'node:crypto';
import { blocksToText, blocksWordCount, tidyBlocks } from '../content/blocks.js';
import { blocksToMarkdown } from './markdown.js';
import type { ItemRef } from '../source/package-view.js';
import type { PageDraft } from '../tools/tool.js';
import type { Page } from './extraction-result.js';

export const shortHash = (...parts: (string | number)[]) =>
  createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 12);

/**
 * The item a page belongs to: its own, else the item launching its file, else the item whose
 * launch folder holds it, else the only item. Several items sharing that file or folder (cmi5 AUs
 * that launch one page with different parameters) leave it unknown.
 */
function itemFor(draft: PageDraft, items: ItemRef[]): string | null {
  if (draft.itemId !== undefined && draft.itemId !== null) return draft.itemId;
  const launchable = items.filter((i): i is ItemRef & { launch: string } => i.launch !== null);
  const only = (candidates: ItemRef[]) => (candidates.length === 1 ? candidates[0]!.identifier : null);
  const exact = launchable.filter((i) => i.launch === draft.source);
  if (exact.length > 0) return only(exact);
  const folder = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');
  const containing = launchable.filter((i) => folder(i.launch) !== '' && draft.source.startsWith(folder(i.launch)));
  if (containing.length > 0) {
    const deepest = Math.max(...containing.map((i) => folder(i.launch).length));
    return only(containing.filter((i) => folder(i.launch).length === deepest));
  }
  return only(launchable);
}

/** A file name or path in place of a title (`res/data/slide3.js`, `intro.html`): no title. */
const FILE_PATH = /^[^\s]*(\.(html?|js|json|xml|txt|pdf|swf)|\/[^\s/]+\/[^\s]*)$/i;

/**
 * A page's title: its own unless that is a file path, else the title of the item that launches
 * exactly that page (an AICC unit's or a SCORM item's, as the learner sees it in the menu).
 */
function titleOf(draft: PageDraft, items: ItemRef[], pagesOfSource: number): string | null {
  if (draft.title && !FILE_PATH.test(draft.title)) return draft.title;
  if (pagesOfSource !== 1) return null;
  const launching = items.filter((i) => i.launch === draft.source);
  return launching.length === 1 && launching[0]!.title ? launching[0]!.title : null;
}

/**
 * Pages with ids, items, plain text and Markdown; drafts with no text left are dropped. `pageOf`
 * maps each kept draft to its page.
 */
export function buildPages(
  drafts: PageDraft[],
  items: ItemRef[],
  /** Turns an image `src` found in a page into a package path. */
  imagePath: (pageSource: string, src: string) => string = (_page, src) => src,
): { pages: Page[]; pageOf: Map<PageDraft, Page> } {
  const perSource = new Map<string, number>();
  const pages: Page[] = [];
  const pageOf = new Map<PageDraft, Page>();
  const draftsOf = new Map<string, number>();
  for (const draft of drafts) draftsOf.set(draft.source, (draftsOf.get(draft.source) ?? 0) + 1);
  for (const draft of drafts) {
    const blocks = tidyBlocks(draft.blocks).map((b) => (b.type === 'image' && b.src ? { ...b, src: imagePath(draft.source, b.src) } : b));
    if (blocks.length === 0) continue;
    const ordinal = (perSource.get(draft.source) ?? 0) + 1;
    perSource.set(draft.source, ordinal);
    const title = titleOf(draft, items, draftsOf.get(draft.source)!);
    const page: Page = {
      id: `p-${shortHash(draft.source, ordinal)}`,
      item_id: itemFor(draft, items),
      title,
      kind: draft.kind,
      source: draft.source,
      page_number: draft.pageNumber ?? null,
      blocks,
      text: blocksToText(blocks),
      markdown: blocksToMarkdown(blocks, title),
      word_count: blocksWordCount(blocks),
    };
    pages.push(page);
    pageOf.set(draft, page);
  }
  return { pages, pageOf };
}
