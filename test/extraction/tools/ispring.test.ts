import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksToText, blocksWordCount } from '../../../src/extraction/content/blocks.js';
import type { PackageView } from '../../../src/extraction/source/package-view.js';
import { captivate } from '../../../src/extraction/tools/captivate/index.js';
import { ispring, ispringQuizMaker } from '../../../src/extraction/tools/ispring/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { questionWith } from '../../support/tool-output.js';
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

/** A Suite 10+ quiz file: the quiz data as base64 JSON, registered with the player like a real export. */
function modernQuizFile(data: unknown): string {
  const blob = Buffer.from(JSON.stringify(data)).toString('base64');
  return `(function(){\n\tvar loadHandler=window['q_{0A1B2C3D-0000-4000-8000-ABCDEF012345}'];\n\tvar quizInfo = "${blob}";\n\tloadHandler&&loadHandler(1, 'q1', quizInfo, {}, "");\n})();`;
}

const rich = (text: string) => ({ a: `<p>${text}</p>`, r: [], d: [text] });
const feedback = (correct: string, incorrect: string | null, retry: string) => ({
  c: { v: rich(correct) },
  ...(incorrect ? { i: { v: rich(incorrect) } } : {}),
  at: { v: rich(retry) },
});
const choiceSlide = (id: string, prompt: string, choices: [string, boolean][]) => ({
  i: id,
  tp: 'MultipleChoice',
  D: rich(prompt),
  C: { chs: choices.map(([text, correct], n) => ({ i: `${id}-${n}`, t: rich(text), c: correct })) },
  s: { e: { pt: 5 }, F: feedback('Right, well spotted.', 'No, look again at the label.', 'Not yet. Please try again. You have %ANSWER_ATTEMPTS% attempts.') },
});

describe('iSpring Suite decoder on the Suite 10+ quiz layout', () => {
  const quiz = {
    d: {
      T: 'Warehouse safety check',
      s: { d: { pt: 1, fv: { c: 'Correct!', i: 'Incorrect.', at: 'Try again. You have %ANSWER_ATTEMPTS% attempts.' } } },
      sl: {
        g: [
          {
            i: 'g1',
            T: 'Forklifts',
            s: { rs: 2, st: 'randomSelection', ps: { u: 'percents', v: 70 } },
            S: [
              choiceSlide('f1', 'Who may drive a forklift?', [['Any employee', false], ['A certified operator', true]]),
              choiceSlide('f2', 'Where do pedestrians walk?', [['In marked lanes', true], ['Between the racks', false]]),
              choiceSlide('f3', 'What is the load limit shown on?', [['The data plate', true], ['The mast', false]]),
            ],
          },
          {
            i: 'g2',
            T: 'Storage',
            s: { rs: -1, st: 'allQuestions' },
            S: [
              {
                i: 'b1',
                tp: 'FillInTheBlank',
                D: rich('Complete the rule:'),
                C: {
                  rt: {
                    a: '<p>Heavy boxes go on the <span id="qmFillInTheBlank1"></span> shelves, light ones on the <span id="qmFillInTheBlank2"></span>.</p>',
                    r: [
                      { id: 'qmFillInTheBlank1', type: 'qmFillInTheBlank', data: { v: ['lower', 'bottom'] } },
                      { id: 'qmFillInTheBlank2', type: 'qmFillInTheBlank', data: { v: ['top'] } },
                    ],
                    d: ['Heavy boxes go on the ', { id: 'qmFillInTheBlank1' }, ' shelves, light ones on the ', { id: 'qmFillInTheBlank2' }, '.'],
                  },
                },
                s: { e: { pt: 10 }, F: feedback('Exactly.', null, 'Check the stacking poster. Please try again. You have %ANSWER_ATTEMPTS% attempts.') },
              },
              {
                i: 'w1',
                tp: 'WordBank',
                D: rich('Drag each word into its sentence:'),
                C: {
                  rt: {
                    a: '<ul><li><span id="qmWordBank1"></span> are stored upright.</li><li>Aisles stay <span id="qmWordBank2"></span>.</li></ul>',
                    r: [
                      { id: 'qmWordBank1', type: 'qmWordBank', data: { v: 'Gas cylinders' } },
                      { id: 'qmWordBank2', type: 'qmWordBank', data: { v: 'clear' } },
                    ],
                    d: [{ id: 'qmWordBank1' }, 'are stored upright.\nAisles stay ', { id: 'qmWordBank2' }, '.'],
                  },
                  ew: [],
                },
              },
            ],
          },
        ],
      },
    },
  };
  const view = memoryView({ 'data/quiz1.js': modernQuizFile(quiz) });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await ispring.extract(view);
  });

  it('detects the player from the quiz file alone', async () => {
    expect(await ispring.detect(view)).toEqual({ version: null });
  });

  it('gives one assessment per question group that draws at random, saying how many it shows', () => {
    expect(out.assessments.map((a) => a.title)).toEqual([
      'Warehouse safety check: Forklifts',
      'Warehouse safety check: Storage',
    ]);
    expect(out.assessments.map((a) => [a.questions.length, a.questionsPerAttempt])).toEqual([
      [3, 2],
      [2, null],
    ]);
    expect(out.assessments.every((a) => a.passingScore === 70)).toBe(true);
  });

  it('reads each choice question with its correct answer, feedback and points', () => {
    const question = questionWith(out, 'Who may drive a forklift?');
    expect(question.type).toBe('choice');
    expect(question.choices.map((c) => [c.text, c.correct])).toEqual([['Any employee', false], ['A certified operator', true]]);
    expect(question.correct_answers).toEqual(['A certified operator']);
    expect(question.feedback).toEqual({ correct: 'Right, well spotted.', incorrect: 'No, look again at the label.' });
    expect(question.points).toBe(5);
  });

  it('reads a fill-in-the-blank sentence with blanks, its accepted answers, and the retry feedback without player placeholders', () => {
    const question = questionWith(out, 'Complete the rule:');
    expect(question.type).toBe('fill_in');
    expect(question.prompt).toBe('Complete the rule: Heavy boxes go on the _____ shelves, light ones on the _____.');
    expect(question.correct_answers).toEqual(['lower', 'top', 'bottom']);
    expect(question.feedback).toEqual({ correct: 'Exactly.', incorrect: 'Check the stacking poster. Please try again.' });
    expect(question.points).toBe(10);
  });

  it('reads a word bank with the word that belongs in each blank', () => {
    const question = questionWith(out, 'Drag each word into its sentence:');
    expect(question.type).toBe('drag_drop');
    expect(question.prompt).toBe('Drag each word into its sentence: _____ are stored upright. Aisles stay _____.');
    expect(question.correct_answers).toEqual(['Gas cylinders', 'clear']);
  });
});

describe('iSpring Suite decoder on an interaction of a presentation', () => {
  const blob = (data: unknown) => Buffer.from(JSON.stringify(data)).toString('base64');
  const part = (title: string, html: string, visible?: boolean) => ({ t: rich(title), c: { a: html, r: [], d: [] }, ...(visible === undefined ? {} : { v: visible }) });
  const interaction = {
    d: {
      i: 'interactivity_1',
      C: {
        i: part('Introduction', '<p>Three ways to store fuel safely.</p>', false),
        is: [
          { ...part('Drums', '<p>Keep drums <b>upright</b> on a bunded pallet.</p><span id="image1"></span>'), tp: 'item' },
          { ...part('Tanks', '<ul><li>Check the gauge weekly</li><li>Lock the filler cap</li></ul>'), tp: 'item' },
        ],
        s: part('Summary', '<p></p>', false),
      },
    },
  };
  const presInfo = { t: 'Fuel store', s: [{ s: 'data/slide1.js', t: 'Fuel store' }, { s: 'data/intr1.js', st: 'i', t: 'Storage options' }] };
  const view = memoryView({
    'index.html': `<!-- version 10.1.0 --><script>var presInfo = "${blob(presInfo)}";</script>iSpring`,
    'data/slide1.js': `(function(){var loadHandler=window['sl_{0A1B2C3D-0000-4000-8000-ABCDEF012345}'];loadHandler&&loadHandler(0, '<div><p>Fuel store</p></div>', '{}');})();`,
    'data/intr1.js': `(function(){\n\tvar loadHandler = window['i_{0A1B2C3D-0000-4000-8000-ABCDEF012346}'];\n\tvar interactionJson = "${blob(interaction)}";\n\tloadHandler&&loadHandler(1, interactionJson);\n})();`,
  });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await ispring.extract(view);
  });

  it('reads each item of the interaction as a heading and its content, leaving out the hidden introduction and summary', () => {
    expect(out.pages.map((p) => p.title)).toEqual(['Fuel store', 'Storage options']);
    expect(out.pages[1]?.blocks).toEqual([
      { type: 'heading', level: 2, text: 'Drums' },
      { type: 'paragraph', text: 'Keep drums upright on a bunded pallet.' },
      { type: 'heading', level: 2, text: 'Tanks' },
      { type: 'list', ordered: false, items: ['Check the gauge weekly', 'Lock the filler cap'] },
    ]);
  });
});

describe('iSpring QuizMaker published on its own (the quiz inside index.html)', () => {
  const quiz = {
    d: {
      T: 'Pond life',
      sl: {
        g: [{ i: 'g1', T: 'Group 1', s: { st: 'allQuestions', ps: { u: 'percents', v: 60 } }, S: [
          choiceSlide('p1', 'Which of these breathes through gills?', [['A tadpole', true], ['A heron', false]]),
          {
            i: 'p2', tp: 'Matching', D: rich('Match each animal with where it lives:'),
            C: { m: [{ p: { i: 'a', t: rich('Newt') }, r: { i: 'b', t: rich('Pond edge') } }, { p: { i: 'c', t: rich('Pike') }, r: { i: 'd', t: rich('Open water') } }] },
          },
        ] }],
        r: { g: [{ i: 'r1', tp: 'ResultSlide', C: { Rs: { ps: { v: 60, u: 'percents' } } } }] },
      },
    },
  };
  const blob = Buffer.from(JSON.stringify(quiz)).toString('base64');
  const index =
    '<!DOCTYPE html>\n<!-- Created with iSpring --><!-- 960 540 --><!--version 10.2.1.3006 --><!--type html --><!--mainFolder  --><!--content quiz -->\n' +
    `<html><head><title>Pond quiz</title><script src="data/player.js"></script></head><body><script>\n\t\tvar data = "${blob}";\n` +
    '\t\tQuizPlayer.start("content", "abc123", data, 1, "", false, false, "prompt", function(player) {});\n</script></body></html>';
  const view = memoryView({ 'index.html': index, 'data/player.js': '(function(){})();', 'data/browsersupport.js': '' });

  it('is detected with its version and its questions are read with their answers', async () => {
    expect(await ispringQuizMaker.detect(view)).toEqual({ version: '10.2.1.3006' });
    expect(await ispring.detect(view)).toBeNull();
    const out = await ispringQuizMaker.extract(view);
    expect(out.title).toBe('Pond life');
    expect(out.assessments).toHaveLength(1);
    expect(out.assessments[0]?.passingScore).toBe(60);
    const choice = questionWith(out, 'Which of these breathes through gills?');
    expect(choice.choices.filter((c) => c.correct).map((c) => c.text)).toEqual(['A tadpole']);
    const matching = questionWith(out, 'Match each animal with where it lives:');
    expect(matching.matches).toEqual([{ source: 'Newt', target: 'Pond edge' }, { source: 'Pike', target: 'Open water' }]);
  });

  it('claims no package whose index.html merely sits beside data/player.js', async () => {
    expect(await ispringQuizMaker.detect(memoryView({ 'index.html': '<html><body>A game</body></html>', 'data/player.js': '' }))).toBeNull();
  });
});
