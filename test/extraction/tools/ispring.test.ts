import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksToText, blocksWordCount } from '../../../src/extraction/content/blocks.js';
import type { PackageView } from '../../../src/extraction/source/package-view.js';
import { captivate } from '../../../src/extraction/tools/captivate/index.js';
import { ispring } from '../../../src/extraction/tools/ispring/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { openFixtureView } from '../../support/views.js';

describe.skipIf(!haveFixtures)('iSpring Suite decoder on ispring-scorm2004-4th-quiz.zip', () => {
  let view: PackageView;
  let close: () => void;
  let out: ToolOutput;
  const item = 'CA23BF7B-1AE4-4EB7-AAB9-C60AE4F9EA4F';

  beforeAll(async () => {
    ({ view, close } = await openFixtureView('ispring-scorm2004-4th-quiz.zip', { items: 'descriptor' }));
    out = await ispring.extract(view);
  });
  afterAll(() => close?.());

  const pageText = (index: number) => blocksToText(out.pages[index]?.blocks ?? []);

  it('detects iSpring Suite 10.3.3 and is not taken for Captivate', async () => {
    expect(ispring.name).toBe('iSpring Suite');
    expect(await ispring.detect(view)).toEqual({ version: '10.3.3.9018' });
    expect(await captivate.detect(view)).toBeNull();
  });

  it('reads the presentation title from the compressed presentation data', () => {
    expect(out.title).toBe('SCORM and Learning Management Systems_Noe2');
  });

  it('gives one slide page per slide file, in presentation order, the quiz slide aside', () => {
    expect(out.pages.map((p) => p.source)).toEqual([
      'res/data/slide1.js', 'res/data/slide2.js', 'res/data/slide3.js', 'res/data/slide4.js',
      'res/data/slide5.js', 'res/data/slide6.js', 'res/data/slide8.js',
    ]);
    expect(out.pages.every((p) => p.kind === 'slide' && p.itemId === item)).toBe(true);
    expect(out.pages[0]?.title).toBe('SCORM and Learning Management Systems');
    expect(out.pages[0]?.blocks[0]).toEqual({ type: 'heading', level: 1, text: 'SCORM and Learning Management Systems' });
    expect(out.pages[2]?.title).toBeNull();
    expect(out.pages[6]?.title).toBe('Congratulations.');
    const words = out.pages.reduce((sum, p) => sum + blocksWordCount(p.blocks), 0);
    expect(words).toBeGreaterThan(300);
  });

  it('reads the text of each slide, its alt texts and the notes that add to it', () => {
    expect(pageText(1)).toContain(
      'Objective: You will be able to identify the relationship between a Shareable Content Object (SCO) and a Learning Management System (LMS).',
    );
    expect(pageText(3)).toContain('SCORM is a world-wide standard developed by the Advanced Distributed Learning (ADL) organization.');
    expect(pageText(3)).toContain('The metadata attached to the SCO allows the SCO to be searched and retrieved, much like a library database.');
    expect(pageText(4)).toContain('The SCO, though, has to have a way to “talk” to the LMS to report what the learner has or has not done.');
    expect(pageText(5)).toContain('Tried but stopped');
    expect(pageText(6)).toContain('You have just identified the relationship between a SCO and a LMS.');

    expect(out.pages[2]?.blocks).toContainEqual({ type: 'image', alt: 'Shareable content Object uploaded into LMS', src: null });
    expect(out.pages[5]?.blocks.some((b) => b.type === 'image' && b.alt.startsWith('diagram showing a user stopping'))).toBe(true);
    // "decorative image" and file-name alt texts ("RedHashing.emf") describe nothing.
    const alts = out.pages.flatMap((p) => p.blocks.flatMap((b) => (b.type === 'image' ? [b.alt] : [])));
    expect(alts).not.toContain('decorative image');
    expect(alts.some((a) => a.endsWith('.emf'))).toBe(false);

    // Slide 3 shows labels only; its notes explain it. Notes that repeat a slide are left out.
    expect(pageText(2)).toContain('Sharable Content Objects (SCOs) are uploaded into a Learning Management System (LMS) to deliver the content to the learner.');
    expect(pageText(3)).not.toContain('it allows for the content');
  });

  it('never lets markup, code, data or player chrome into page text', () => {
    for (const page of out.pages) {
      const text = blocksToText(page.blocks);
      expect(text).not.toMatch(/[<>{}]|\bfunction\b|\bvar |;base64|\S{80,}/);
      expect(text).not.toMatch(/^(next|prev|submit|outline|notes)$/im);
    }
  });

  it('decodes the quiz with its question, choices, correct answer, feedback, points and passing score', () => {
    expect(out.assessments).toHaveLength(1);
    const quiz = out.assessments[0];
    expect(quiz?.source).toBe('res/data/quiz1.js');
    expect(quiz?.title).toBeNull(); // "Untitled Quiz" is iSpring's default
    expect(quiz?.passingScore).toBe(80);
    expect(quiz?.questions).toHaveLength(1);
    const question = quiz?.questions[0];
    expect(question?.type).toBe('choice');
    expect(question?.prompt).toMatch(/^Knowledge Check: You can answer this question\./);
    expect(question?.prompt).toContain('what is the main function of the relationship between the SCO and the LMS?');
    expect(question?.choices.map((c) => c.text)).toEqual([
      'Use the LMS for navigation',
      'Store the SCO in a repository',
      'Pass data between the SCO and the LMS',
      'Track the student’s progress',
    ]);
    expect(question?.correct_answers).toEqual(['Pass data between the SCO and the LMS']);
    expect(question?.feedback).toEqual({
      correct: "That's right! You chose the correct response.",
      incorrect: 'You did not choose the correct response.',
    });
    expect(question?.points).toBe(10);
  });

  it('has no media to hint: the package carries no audio, video or described picture', () => {
    const media = view.files().filter((f) => /\.(mp3|mp4|m4a|wav|webm)$/i.test(f));
    expect(media).toEqual([]);
    expect(out.media).toEqual([]);
  });
});
