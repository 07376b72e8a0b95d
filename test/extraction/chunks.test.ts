import { describe, expect, it } from 'vitest';
import { chunkPages, CHUNK_TOKENS } from '../../src/extraction/result/chunks.js';
import { buildPages } from '../../src/extraction/result/pages.js';

const paragraph = (text: string) => ({ type: 'paragraph' as const, text });

describe('chunkPages', () => {
  it('counts the separators between pieces, so no chunk passes the maximum', () => {
    const blocks = [
      ...Array.from({ length: 100 }, (_v, i) => paragraph(`Q${String(i).padStart(2, '0')}.`)),
      paragraph(Array.from({ length: 560 }, () => 'word').join(' ')),
    ];
    const { pages } = buildPages([{ title: 'Many short paragraphs', kind: 'page', source: 'a.html', blocks }], []);
    const chunks = chunkPages(pages);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.token_estimate).toBeLessThanOrEqual(CHUNK_TOKENS.max);
    expect(chunks.map((c) => c.text).join('\n\n')).toContain('Q99.');
  });

  it('keeps each heading with the text under it, and titles a chunk with its page title and heading path', () => {
    const heading = (level: number, text: string) => ({ type: 'heading' as const, level, text });
    const words = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ') + '.';
    const { pages } = buildPages(
      [
        {
          title: 'Etiquette',
          kind: 'page',
          source: 'etiquette.html',
          blocks: [heading(1, 'Care for the course'), paragraph(words(300, 'carts')), heading(2, 'Bunkers'), paragraph(words(300, 'rake')), heading(2, 'Greens'), paragraph(words(300, 'marks'))],
        },
      ],
      [],
    );
    const chunks = chunkPages(pages);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/(Care for the course|Bunkers|Greens)$/);
    expect(chunks.map((c) => [c.title, c.text.includes('Bunkers\n\nrake'), c.text.includes('Greens\n\nmarks')])).toStrictEqual([
      ['Etiquette › Care for the course', false, false],
      ['Etiquette › Care for the course › Bunkers', true, false],
      ['Etiquette › Care for the course › Greens', false, true],
    ]);
  });
});
