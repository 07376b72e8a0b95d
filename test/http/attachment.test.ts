import { describe, expect, it } from 'vitest';
import { attachment } from '../../src/http/attachment.js';

describe('attachment', () => {
  it('names the download in UTF-8 with only characters the header syntax allows, and the name comes back whole', () => {
    const name = "Zoë's course (final) *v2*.md";
    const header = attachment(name);
    const encoded = /^attachment; filename\*=UTF-8''(.+)$/.exec(header)?.[1];
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(decodeURIComponent(encoded!)).toBe(name);
  });
});
