import { describe, expect, it } from 'vitest';
import { blocksToMarkdown } from '../../src/extraction/content/blocks.js';

describe('blocksToMarkdown', () => {
  it('links images by a target that stays one link, and names an image it cannot link', () => {
    expect(
      blocksToMarkdown([
        { type: 'image', alt: 'A ladder (aluminium)', src: 'assets/ladder photo (1).png' },
        { type: 'image', alt: 'A missing chart', src: null },
      ]),
    ).toBe('![A ladder (aluminium)](assets/ladder%20photo%20%281%29.png)\n\n*Image: A missing chart*');
  });
});
