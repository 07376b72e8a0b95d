import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksToText, blocksWordCount } from '../../../src/extraction/content/blocks.js';
import type { PackageView } from '../../../src/extraction/source/package-view.js';
import { captivate } from '../../../src/extraction/tools/captivate/index.js';
import { ispring } from '../../../src/extraction/tools/ispring/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { openFixtureView } from '../../support/views.js';

describe.skipIf(!haveFixtures)('Adobe Captivate decoder on captivate-scorm12-audio.zip', () => {
  let view: PackageView;
  let close: () => void;
  let out: ToolOutput;

  beforeAll(async () => {
    ({ view, close } = await openFixtureView('captivate-scorm12-audio.zip', { items: 'descriptor' }));
    out = await captivate.extract(view);
  });
  afterAll(() => close?.());

  const pageText = (index: number) => blocksToText(out.pages[index]?.blocks ?? []);
  const question = (id: string) => {
    const found = out.assessments[0]?.questions.find((q) => q.id === id);
    if (!found) throw new Error(`no question ${id}`);
    return found;
  };

  it('detects Captivate 11.5.5 and is not taken for iSpring', async () => {
    expect(captivate.name).toBe('Adobe Captivate');
    expect(await captivate.detect(view)).toEqual({ version: '11.5.5' });
    expect(await ispring.detect(view)).toBeNull();
  });

  it('takes the real title from project.txt, not the generic manifest title', () => {
    expect(out.title).toBe('Simulation for Teaching using Universal Design for Learning');
    // project.txt's description is Captivate's placeholder.
    expect(out.description).toBeNull();
  });

  it('gives one slide page per slide, in slide order, tied to the launching item', () => {
    expect(out.pages).toHaveLength(45);
    expect(out.pages.every((p) => p.kind === 'slide' && p.source === 'assets/js/CPM.js' && p.itemId === 'SCO_ID1')).toBe(true);
    expect(out.pages.slice(0, 4).map((p) => p.title)).toEqual(['Welcome', 'Trigger Phase', 'Introduction', 'What is UDL?']);
    expect(out.pages[44]?.title).toBe('Recomendations and References');
    const words = out.pages.reduce((sum, p) => sum + blocksWordCount(p.blocks), 0);
    expect(words).toBeGreaterThan(1800);
  });

  it('reads the text captions and shapes of each slide', () => {
    expect(pageText(0)).toContain('Welcome to Teaching using Universal Design for Learning');
    expect(pageText(2)).toContain('Welcome to Arbor University, Quinn!');
    expect(pageText(2)).toContain('Good Morning!, my name is Professor Wyatt.');
    expect(pageText(3)).toContain('The purpose of UDL is to remove barriers your students might face in your course.');
    expect(pageText(14)).toContain('Build - Provide options for Sustaining Effort & Persistence');
    expect(pageText(42)).toContain('This is to certify that [myNameCertificate] has');
    expect(pageText(44)).toContain('CAST. (2018). Universal Design for Learning Guidelines Version 2.2.');
  });

  it('shows a question slide as its prompt and choices, without buttons, labels or feedback', () => {
    const slide = out.pages[4];
    expect(slide?.title).toBe('True or Flase 1');
    const text = pageText(4);
    expect(text).toContain('Universal Design for Learning is focused on the student overcoming educational barriers.');
    expect(slide?.blocks).toContainEqual({ type: 'list', ordered: false, items: ['True', 'False'] });
    expect(text).not.toMatch(/Submit|Correct !|Try again|^A\)$/m);
    // Fill-in-the-blank sentences show blanks, never the answers.
    expect(pageText(8)).toContain('you should offer your textbook in a _____, _____, and _____ format.');
  });

  it('never lets markup, code, data or player chrome into page text', () => {
    for (const page of out.pages) {
      const text = blocksToText(page.blocks);
      expect(text).not.toMatch(/[<>{}]|\bfunction\b|\bvar |;base64|\S{100,}/);
      for (const block of page.blocks) {
        if (block.type === 'paragraph') expect(block.text).not.toMatch(/^(submit|next|back|prev|clear|continue|<<|>>|review quiz|retake quiz)$/i);
      }
    }
  });

  it('reads all 13 questions with their types, answers, feedback and points', () => {
    const assessment = out.assessments[0];
    expect(out.assessments).toHaveLength(1);
    expect(assessment?.source).toBe('assets/js/CPM.js');
    expect(assessment?.passingScore).toBe(80);
    expect(assessment?.questions).toHaveLength(13);
    expect(assessment?.questions.map((q) => q.type)).toEqual([
      'true_false', 'multiple_response', 'fill_in', 'fill_in', 'matching', 'multiple_response', 'multiple_response',
      'multiple_response', 'multiple_response', 'true_false', 'fill_in', 'matching', 'true_false',
    ]);

    const first = question('16835');
    expect(first.prompt).toBe('Universal Design for Learning is focused on the student overcoming educational barriers.');
    expect(first.correct_answers).toEqual(['False']);
    expect(first.feedback.correct).toMatch(/^Correct !, UDL is focused on removing barriers/);
    expect(first.feedback.incorrect).toMatch(/^Try again, UDL is focused/);
    expect(first.points).toBeNull(); // a knowledge check: not scored

    const affective = question('17834');
    expect(affective.choices.map((c) => c.id)).toEqual(['A', 'B', 'D', 'C']);
    expect(affective.correct_answers).toEqual([
      'Ask the student to stay online after class so that you can ask how they are doing and see if they need any help or resources from the university.',
      'Email the student and offer a time to meet outside of class time and link some resources available from the university.',
    ]);

    expect(question('18783').correct_answers).toEqual(['digital', 'audio', 'print']);
    expect(question('18783').prompt).toContain('in a _____, _____, and _____ format.');
    expect(question('19693').correct_answers).toContain('podcast');
    expect(question('36836').correct_answers).toEqual([
      'Offer online chats', 'Offer an Interactive textbook.', 'Offer Video and Audio lectures with Subtitles.',
    ]);

    const graded = question('40995');
    expect(graded.prompt).toBe('The goal of UDL is to change the design of the environment rather than to change the learner.');
    expect(graded.correct_answers).toEqual(['True']);
    expect(graded.points).toBe(10);
    expect(question('41239').correct_answers).toEqual(['False']);
    expect(question('41482').correct_answers).toEqual([
      'Purposeful and Motivated', 'Resourceful and Knowledgeable', 'Strategic and Goal-directed',
    ]);
    expect(question('41710').matches).toEqual([
      { source: 'Affective network', target: 'provide multiple means of engagement' },
      { source: 'Strategic network', target: 'provide multiple means of action and expression' },
      { source: 'Recognition network', target: 'provide multiple means of representation' },
    ]);
    expect(question('46246').matches).toContainEqual({ source: 'Offering only oral lecture as material delievery.', target: 'Potential barrier' });
  });

  it('hints every MP3 with its duration, and slide narration with its closed captions', () => {
    const mp3s = view.files().filter((f) => f.endsWith('.mp3'));
    expect(mp3s).toHaveLength(14);
    expect(out.media.map((m) => m.path).sort()).toEqual([...mp3s].sort());
    for (const hint of out.media) expect(view.has(hint.path)).toBe(true);

    const narrated = out.media.filter((m) => m.transcript);
    expect(narrated).toHaveLength(12);
    const intro = out.media.find((m) => m.path === 'ar/27250.mp3');
    expect(intro?.durationSeconds).toBeCloseTo(48.64, 2);
    expect(intro?.transcript?.text).toMatch(/^Good Morning\. My name is Quinn and I am very happy to be here today/);
    expect(intro?.transcript?.cues[0]).toMatchObject({ start: 0 });
    expect(intro?.transcript?.cues[1]?.start).toBeCloseTo(231 / 30, 2);
    expect(out.media.find((m) => m.path === 'ar/26168.mp3')?.durationSeconds).toBeCloseTo(38.84, 2);
  });
});
