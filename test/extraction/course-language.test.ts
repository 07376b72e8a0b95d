import { describe, expect, it } from 'vitest';
import type { Page } from '../../src/extraction/result/extraction-result.js';
import { courseLanguage } from '../../src/extraction/result/language.js';

// The course language: the declared one unless the text plainly reads as another.

const page = (text: string): Page => ({ text, word_count: text.split(/\s+/).length }) as Page;

const HEBREW = 'לפני תחילת העבודה יש לבדוק את הציוד ולוודא שכל אמצעי המגן נמצאים במקומם. ';
const ENGLISH = 'Before the work starts, check the equipment and make sure every guard is in its place. ';

describe('courseLanguage', () => {
  it('reads a course written in Hebrew as Hebrew, though its tool declared English', () => {
    expect(courseLanguage('en', [page(HEBREW.repeat(6))])).toBe('he');
    expect(courseLanguage(null, [page(HEBREW.repeat(6))])).toBe('he');
  });

  it('keeps a declaration that writes the same script, and an English course with a few Hebrew words', () => {
    expect(courseLanguage('yi', [page(HEBREW.repeat(6))])).toBe('yi');
    expect(courseLanguage('he-IL', [page(HEBREW.repeat(6))])).toBe('he-IL');
    expect(courseLanguage('en-US', [page(`${ENGLISH.repeat(5)}${HEBREW}`)])).toBe('en-US');
  });
});
