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
});
