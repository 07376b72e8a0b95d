import type { Block } from '../result/extraction-result.js';
import { blockText } from './html.js';
import { isFileName, isPlaceholderText, isPlayerPrompt, looksLikeBase64, looksLikeCode, wordCount } from './text.js';

/** Plain text of blocks: one block per paragraph, list items and table rows on their own lines. */
export function blocksToText(blocks: Block[]): string {
  return blocks
    .map((b) => (b.type === 'image' ? `[Image: ${b.alt}]` : blockText(b)))
    .filter(Boolean)
    .join('\n\n');
}

export function blocksWordCount(blocks: Block[]): number {
  return wordCount(blocksToText(blocks).replace(/\[Image: /g, ''));
}

/**
 * Drops empty blocks, what a player says about its controls, a template's placeholders, and exact repeats of the block before
 * (tools often repeat a title in the body). An image whose alt text is only its file name has no
 * words for a reader, like an image without alt text.
 */
export function tidyBlocks(blocks: Block[]): Block[] {
  const tidy: Block[] = [];
  for (const original of blocks) {
    const block = original.type === 'image' && isFileName(original.alt) ? { ...original, alt: '' } : original;
    const text = blockText(block).trim();
    if (!text || (block.type !== 'image' && (isPlayerPrompt(text) || isPlaceholderText(text)))) continue;
    const previous = tidy.at(-1);
    if (previous && previous.type === block.type && blockText(previous) === text) continue;
    tidy.push(block);
  }
  return tidy;
}

/** Script or encoded data that slipped into a text block (tables and lists keep their symbols). */
export function isJunkBlock(block: Block): boolean {
  if (block.type !== 'paragraph' && block.type !== 'heading' && block.type !== 'quote') return false;
  return looksLikeBase64(block.text) || (block.text.length > 40 && looksLikeCode(block.text));
}

/** The lines of text a block shows on their own: a paragraph's or heading's text, each list item. */
export const blockLines = (block: Block): string[] =>
  block.type === 'list' ? block.items : block.type === 'image' || block.type === 'table' ? [] : [blockText(block)];
