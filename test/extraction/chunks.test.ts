import { describe, expect, it } from 'vitest';
import { chunkAssessments, chunkPages, CHUNK_TOKENS } from '../../src/extraction/result/chunks.js';
import type { Assessment, Question } from '../../src/extraction/result/extraction-result.js';
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

  it('finds the overlap of chunks without full stops in time linear in their text', () => {
    // 200,000 lines without a full stop: the overlap looked for sentences from every position of
    // each chunk, time in the square of the chunk's length (seconds for this page).
    const blocks = Array.from({ length: 200_000 }, (_v, i) => paragraph(`Step ${i + 1}`));
    const { pages } = buildPages([{ title: 'Checklist', kind: 'page', source: 'a.html', blocks }], []);
    const chunks = chunkPages(pages);
    expect(chunks.at(-1)?.text.endsWith('Step 200000')).toBe(true);
  }, 60_000);
});

describe('chunkAssessments', () => {
  const question = (id: string, prompt: string, correct: string, filler = ''): Question => ({
    id,
    type: 'choice',
    prompt: `${prompt}${filler}`,
    choices: [
      { id: 'a', text: correct, correct: true, feedback: null },
      { id: 'b', text: 'Never', correct: false, feedback: null },
    ],
    correct_answers: [correct],
    matches: [],
    feedback: { correct: 'Right: that keeps you safe.', incorrect: null },
    points: 1,
    source: 'quiz.js',
  });
  const assessment = (questions: Question[], pageId: string | null = null): Assessment => ({
    id: 'a-1',
    title: 'Ladder check',
    item_id: null,
    page_id: pageId,
    source: 'quiz.js',
    passing_score: null,
    questions_per_attempt: null,
    questions,
  });
  const { pages } = buildPages(
    [{ title: 'Ladders', kind: 'slide', source: 'quiz.html', blocks: [paragraph('When do you check the ladder feet?'), paragraph('Before every climb')] }],
    [],
  );

  it('keeps each question with its choices, its correct answer and its feedback, on the page that asks it', () => {
    const chunks = chunkAssessments([assessment([question('q1', 'When do you check the ladder feet?', 'Before every climb')])], pages);
    expect(chunks).toStrictEqual([
      {
        id: expect.any(String),
        page_id: pages[0]!.id,
        page_ids: [pages[0]!.id],
        assessment_id: 'a-1',
        item_id: null,
        title: 'Ladders › Ladder check',
        text: 'Question: When do you check the ladder feet?\nChoices: Before every climb | Never\nCorrect answer: Before every climb\nFeedback when right: Right: that keeps you safe.',
        token_estimate: expect.any(Number),
      },
    ]);
  });

  it('splits a long quiz between questions, never inside one', () => {
    const long = ' Think about it carefully before you answer, as a careful climber would.'.repeat(12);
    const questions = Array.from({ length: 12 }, (_v, i) => question(`q${i}`, `Question number ${i}?`, `Answer ${i}`, long));
    const chunks = chunkAssessments([assessment(questions)], pages);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.page_id === null && c.page_ids.length === 0)).toBe(true);
    const all = chunks.map((c) => c.text).join('\n\n');
    for (let i = 0; i < 12; i++) {
      const holder = chunks.find((c) => c.text.includes(`Question: Question number ${i}?`));
      expect(holder?.text).toContain(`Correct answer: Answer ${i}`);
    }
    expect(all.match(/^Question: /gm)).toHaveLength(12);
  });
});
