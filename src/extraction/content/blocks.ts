import type { Block } from '../result/extraction-result.js';
import { blockText } from './html.js';
import { looksLikeBase64, looksLikeCode, wordCount } from './text.js';

/** Plain text of blocks: one block per paragraph, list items and table rows on their own lines. */
export function blocksToText(blocks: Block[]): string {
  return blocks
    .map((b) => (b.type === 'image' ? `[Image: ${b.alt}]` : blockText(b)))
    .filter(Boolean)
    .join('\n\n');
}

const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]#|<>])/g, '\\$1').replace(/^(\d+)\. /, '$1\\. ');

/** A link target that stays one: spaces, parentheses and angle brackets percent-encoded. */
const markdownUrl = (src: string) => src.replace(/[ \t\n()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

export function blocksToMarkdown(blocks: Block[], headingOffset = 0): string {
  return blocks
    .map((block) => {
      switch (block.type) {
        case 'heading':
          return `${'#'.repeat(Math.min(6, block.level + headingOffset))} ${escapeMarkdown(block.text)}`;
        case 'paragraph':
          return escapeMarkdown(block.text);
        case 'quote':
          return `> ${escapeMarkdown(block.text)}`;
        case 'list':
          return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${escapeMarkdown(item)}`).join('\n');
        case 'table': {
          const width = Math.max(...block.rows.map((r) => r.length));
          const cells = (row: string[]) => `| ${Array.from({ length: width }, (_v, i) => escapeMarkdown(row[i] ?? '')).join(' | ')} |`;
          const [head, ...body] = block.rows;
          return [cells(head ?? []), `|${' --- |'.repeat(width)}`, ...body.map(cells)].join('\n');
        }
        case 'image':
          // An image the package does not hold is named, not linked to nothing.
          return block.src ? `![${escapeMarkdown(block.alt)}](${markdownUrl(block.src)})` : `*Image: ${escapeMarkdown(block.alt)}*`;
      }
    })
    .join('\n\n');
}

export function blocksWordCount(blocks: Block[]): number {
  return wordCount(blocksToText(blocks).replace(/\[Image: /g, ''));
}

/** Drops empty blocks and exact repeats of the block before (tools often repeat a title in the body). */
export function tidyBlocks(blocks: Block[]): Block[] {
  const tidy: Block[] = [];
  for (const block of blocks) {
    const text = blockText(block).trim();
    if (!text) continue;
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
