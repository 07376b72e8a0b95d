import { createHash } from 'node:crypto';
import { blocksToMarkdown, blocksToText, blocksWordCount, tidyBlocks } from '../content/blocks.js';
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
  for (const draft of drafts) {
    const blocks = tidyBlocks(draft.blocks).map((b) => (b.type === 'image' && b.src ? { ...b, src: imagePath(draft.source, b.src) } : b));
    if (blocks.length === 0) continue;
    const ordinal = (perSource.get(draft.source) ?? 0) + 1;
    perSource.set(draft.source, ordinal);
    const page: Page = {
      id: `p-${shortHash(draft.source, ordinal)}`,
      item_id: itemFor(draft, items),
      title: draft.title,
      kind: draft.kind,
      source: draft.source,
      page_number: draft.pageNumber ?? null,
      blocks,
      text: blocksToText(blocks),
      markdown: blocksToMarkdown(blocks),
      word_count: blocksWordCount(blocks),
    };
    pages.push(page);
    pageOf.set(draft, page);
  }
  return { pages, pageOf };
}
