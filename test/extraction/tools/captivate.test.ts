import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksToText, blocksWordCount } from '../../../src/extraction/content/blocks.js';
import type { PackageView } from '../../../src/extraction/source/package-view.js';
import { captivate } from '../../../src/extraction/tools/captivate/index.js';
import { ispring } from '../../../src/extraction/tools/ispring/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
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

  it('shows the quiz results slide with its pass and fail messages, not its score labels or buttons', () => {
    const results = out.pages.find((p) => p.title === 'Quiz Results');
    expect(blocksToText(results?.blocks ?? [])).toBe('Quiz Results\n\nCongratulations, you passed the quiz!\n\nSorry, you failed!');
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

/** A Captivate rich text (`vt`): spans of styled text, as the publisher writes them. */
const vt = (...paragraphs: string[]) =>
  `<div>${paragraphs.map((p) => `<div style="text-align:left;"><span class="cp-actualText" style="font-size:20px;">${p}</span><span class="cp-actualText"><br></span></div>`).join('')}</div>`;

/** assets/js/CPM.js of a small project: `cp.D = cp.model.data = {...}` with the slides, items and questions given. */
function cpmFile(data: Record<string, unknown>): string {
  return `if(!window.cp)window.cp=function(s){return document.getElementById(s)};cp.CPProjInit=function(){if(cp&&cp.model&&cp.model.data)return;cp.model={};cp.D=cp.model.data=${JSON.stringify(data)};cp.model.audios=[];cp.model.videos=[];};`;
}

/** An item of a slide and its display object (`<name>c`). */
function item(name: string, type: number, slide: string, extra: Record<string, unknown> = {}, display: Record<string, unknown> = {}) {
  return { [name]: { type, mdi: `${name}c`, apsn: slide, ...extra }, [`${name}c`]: { dn: name, accstr: ' ', ...display } };
}

describe('Adobe Captivate decoder on the Captivate 2017-2019 model', () => {
  const slideItems = (...names: string[]) => names.map((n) => ({ n }));
  const data = {
    project: { fps: 30, pN: 'Harbour induction' },
    project_main: { slides: 'Slide10,Slide20,Slide30', questions: 'Slide20q0' },
    // An unlabelled slide whose master slide gives it a title placeholder.
    Slide10: { lb: '', from: 1, to: 90, st: 'Normal Slide', si: slideItems('Title_AutoShape_1', 'Text_Caption_1', 'Button_1'), audCC: [] },
    ...item('Title_AutoShape_1', 589, 'Slide10', { vt: vt('Mooring lines') }),
    ...item('Text_Caption_1', 19, 'Slide10', { vt: vt('Never stand in the bight\u0003 of a line.') }),
    ...item('Button_1', 177, 'Slide10', { vt: vt('Next') }),
    Slide20: { lb: 'Knowledge check', from: 91, to: 180, st: 'Question Slide', si: slideItems('si21', 'si22', 'si23', 'si24', 'si25', 'si26', 'si27'), audCC: [] },
    ...item('si21', 86, 'Slide20', { vt: vt('Sequence') }),
    ...item('si22', 79, 'Slide20', {}, {}),
    ...item('si23', 10096, 'Slide20', { vt: vt('Put on a life jacket') }, { aid: 'A' }),
    ...item('si24', 10096, 'Slide20', { vt: vt('Check the gangway') }, { aid: 'B' }),
    ...item('si25', 10096, 'Slide20', { vt: vt('Step aboard') }, { aid: 'C' }),
    ...item('si26', 21, 'Slide20', { vt: vt('Correct - Click anywhere or press ‘y’ to continue.') }),
    ...item('si27', 22, 'Slide20', { vt: vt('Incorrect - Click anywhere or press ‘y’ to continue.') }),
    Slide20q0: {
      qt: 'In which order do you board?',
      qtc: 'si22c',
      qtp: 'Sequence',
      itp: 'sequence',
      sn: 'Slide20',
      iid: '2001',
      w: 10,
      ao: ['si24c:1', 'si23c:0', 'si25c:2'],
      cal: ['A', 'B', 'C'],
      osc: 'si26',
      frc: 'si27',
      ifc: [],
    },
    si22c: { dn: 'si22', accstr: 'In which order do you board?' },
    // The results slide: score labels and fields, and the message area bound to no score.
    Slide30: { lb: 'Quiz Results', from: 181, to: 240, st: 'Question Slide', si: slideItems('si31', 'si32', 'si33', 'si34'), audCC: [] },
    ...item('si31', 112, 'Slide30', { vt: vt('You Scored:') }),
    ...item('si32', 111, 'Slide30', {}, { qp: 'quizInfoPointsScored' }),
    ...item('si33', 111, 'Slide30', {}, { text: '' }),
    ...item('si34', 175, 'Slide30', { vt: vt('Retake Quiz') }),
    quizzingData: {
      passedScoreFeedback: 'Well done: you may now board unescorted.',
      failedScoreFeedback: 'Please review the boarding steps with your supervisor.',
      passFailPassingScoreTypeInPrecent: true,
      passFailPassingScoreValue: 80,
    },
  };
  const view = memoryView({ 'assets/js/CPM.js': cpmFile(data), 'index.html': '<script src="assets/js/CPM.js"></script>' });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await captivate.extract(view);
  });
  const text = (index: number) => blocksToText(out.pages[index]?.blocks ?? []);

  it('titles an unlabelled slide with its title placeholder, and reads its captions without buttons or line-break marks', () => {
    expect(out.title).toBe('Harbour induction');
    expect(out.pages.map((p) => p.title)).toEqual(['Mooring lines', 'Knowledge check', 'Quiz Results']);
    expect(text(0)).toBe('Mooring lines\n\nNever stand in the bight of a line.');
  });

  it('shows the pass and fail messages on the quiz results slide, not its score labels or buttons', () => {
    expect(text(2)).toBe('Well done: you may now board unescorted.\n\nPlease review the boarding steps with your supervisor.');
  });

  it('reads a sequence question in its correct order, its choices neither right nor wrong, its feedback without the default instruction', () => {
    const [question] = out.assessments[0]?.questions ?? [];
    expect(question?.type).toBe('sequencing');
    expect(question?.prompt).toBe('In which order do you board?');
    expect(question?.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Put on a life jacket', null], ['Check the gangway', null], ['Step aboard', null],
    ]);
    expect(question?.correct_answers).toEqual(['Put on a life jacket', 'Check the gangway', 'Step aboard']);
    expect(question?.feedback).toEqual({ correct: 'Correct', incorrect: 'Incorrect' });
    expect(question?.points).toBe(10);
    expect(out.assessments[0]?.passingScore).toBe(80);
  });
});
