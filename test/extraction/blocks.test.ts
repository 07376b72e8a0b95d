import type { Image } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it } from 'vitest';
import { blocksToMarkdown } from '../../src/extraction/result/markdown.js';

describe('blocksToMarkdown', () => {
  it('links images by a target that stays one link, and names an image it cannot link', () => {
    const markdown = blocksToMarkdown([
      { type: 'image', alt: 'A ladder (aluminium)', src: 'assets/ladder photo (1).png' },
      { type: 'image', alt: 'A missing chart', src: null },
    ]);
    const images: Image[] = [];
    const visit = (node: { type: string; children?: unknown[] }) => {
      if (node.type === 'image') images.push(node as Image);
      (node.children as (typeof node)[] | undefined)?.forEach(visit);
    };
    visit(fromMarkdown(markdown));
    expect(images.map((i) => [i.alt, i.url])).toStrictEqual([['A ladder (aluminium)', 'assets/ladder photo (1).png']]);
    expect(markdown).toContain('*Image: A missing chart*');
  });

  it('writes addresses as they are, without escapes a reader would see', () => {
    expect(blocksToMarkdown([{ type: 'paragraph', text: 'Write to help@example.com or see www.example.com.' }])).toBe(
      'Write to help@example.com or see www.example.com.',
    );
  });

  it('never skips a heading level, whatever levels the page used', () => {
    const markdown = blocksToMarkdown([
      { type: 'heading', level: 2, text: 'Fire safety' },
      { type: 'heading', level: 5, text: 'Extinguishers' },
      { type: 'paragraph', text: 'Use the right one.' },
      { type: 'heading', level: 6, text: 'Foam' },
      { type: 'heading', level: 3, text: 'Evacuation' },
    ]);
    expect(markdown.split('\n').filter((line) => line.startsWith('#'))).toStrictEqual([
      '# Fire safety',
      '## Extinguishers',
      '### Foam',
      '## Evacuation',
    ]);
  });
});
