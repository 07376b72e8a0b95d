import { beforeAll, describe, expect, it } from 'vitest';
import { adapt } from '../../../src/extraction/tools/adapt/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { openFixtureView } from '../../support/views.js';
import { pageTexts, questionWith } from '../../support/tool-output.js';

const json = (value: unknown) => JSON.stringify(value);

/** A question block of an assessment article: one mcq, from quiz bank `bank`. */
function mcqBlock(id: string, bank: number, prompt: string) {
  return {
    block: { _id: `b-${id}`, _parentId: 'a-quiz', _type: 'block', _assessment: { _quizBankID: bank } },
    component: {
      _id: `c-${id}`, _parentId: `b-${id}`, _type: 'component', _component: 'mcq', title: `Question ${id}`, body: `<p>${prompt}</p>`,
      instruction: 'Choose one option then select Submit.',
      _items: [
        { text: 'Yes', _shouldBeSelected: true, feedback: '' },
        { text: 'No', _shouldBeSelected: false, feedback: '' },
      ],
      _feedback: { title: 'Feedback', correct: '<p>Right.</p>', _incorrect: { final: '<p>Not quite.</p>', notFinal: '' } },
      _buttons: { _submit: { buttonText: 'Submit' } },
    },
  };
}

function courseWith(assessment: Record<string, unknown>, questionBlocks: ReturnType<typeof mcqBlock>[]) {
  const results = {
    _id: 'c-results', _parentId: 'b-results', _type: 'component', _component: 'assessmentResults', title: 'Results', displayTitle: 'Your results',
    _completionBody: '<p>You have reached the end of the quiz.<br>You scored {{{score}}} out of {{{maxScore}}}. {{{feedback}}}</p>',
    _bands: [
      { _score: 70, feedback: '<p><strong>{{{scoreAsPercent}}}%</strong></p><p>Well done, you know your rivers.</p>', _allowRetry: false },
      { _score: 0, feedback: '<p>Read the river chapter again, then retry.</p>', _allowRetry: true },
    ],
    _retry: { button: 'Retry Assessment', feedback: '' },
  };
  return memoryView({
    'index.html': '<html></html>',
    'adapt/js/adapt.min.js': '',
    // A stray English course.json next to the course's own German data, and no default language.
    'course/config.json': json({ _defaultDirection: 'ltr' }),
    'course/en/course.json': json({ _type: 'course', _id: 'course', title: 'Untitled' }),
    'course/de/course.json': json({ _type: 'course', _id: 'course', title: 'Flüsse', _globals: { _components: { _mcq: { ariaRegion: 'Multiple-Choice-Frage' } } } }),
    'course/de/contentObjects.json': json([{ _id: 'p1', _parentId: 'course', _type: 'page', title: 'Rivers quiz', displayTitle: 'Rivers quiz' }]),
    'course/de/articles.json': json([
      { _id: 'a-quiz', _parentId: 'p1', _type: 'article', displayTitle: 'River check', _assessment: { _isEnabled: true, _id: 'rivers', _scoreToPass: 70, ...assessment } },
      { _id: 'a-results', _parentId: 'p1', _type: 'article' },
    ]),
    'course/de/blocks.json': json([...questionBlocks.map((q) => q.block), { _id: 'b-results', _parentId: 'a-results', _type: 'block' }]),
    'course/de/components.json': json([...questionBlocks.map((q) => q.component), results]),
  });
}

const fourQuestions = [
  mcqBlock('1', 1, 'Is the Rhine in Europe?'),
  mcqBlock('2', 1, 'Is the Danube in Europe?'),
  mcqBlock('3', 2, 'Is the Nile in Africa?'),
  mcqBlock('4', 2, 'Is the Congo in Africa?'),
];

describe('Adapt assessments', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await adapt.extract(courseWith({ _banks: { _isEnabled: true, _split: '1,1', _randomisation: true } }, fourQuestions));
  });

  it('reads the course in its own language, not a stray English folder', () => {
    expect(output.language).toBe('de');
    expect(output.title).toBe('Flüsse');
  });

  it('says how many questions of its banks an attempt draws', () => {
    expect(output.assessments.map((a) => [a.title, a.questions.length, a.passingScore, a.questionsPerAttempt])).toEqual([['River check', 4, 70, 2]]);
    expect(questionWith(output, 'Is the Nile in Africa?')).toMatchObject({ correct_answers: ['Yes'], feedback: { correct: 'Right.', incorrect: 'Not quite.' } });
  });

  it('says how many blocks a randomised assessment draws', async () => {
    const random = await adapt.extract(courseWith({ _randomisation: { _isEnabled: true, _blockCount: 3 } }, fourQuestions));
    expect(random.assessments[0]?.questionsPerAttempt).toBe(3);
    const all = await adapt.extract(courseWith({ _randomisation: { _isEnabled: false, _blockCount: -1 } }, fourQuestions));
    expect(all.assessments[0]?.questionsPerAttempt).toBeNull();
  });

  it('reads the results text and the feedback of every band, not the sentences the score fills', () => {
    expect(output.pages.map((p) => p.title)).toEqual(['Rivers quiz']);
    const text = pageTexts(output)[0] ?? '';
    expect(text.startsWith('River check\n\nIs the Rhine in Europe?')).toBe(true);
    expect(text.endsWith('Your results\n\nYou have reached the end of the quiz.\n\nRead the river chapter again, then retry.\n\nWell done, you know your rivers.')).toBe(true);
    expect(text).not.toMatch(/scored|%|Retry Assessment|Submit/);
  });
});

describe('Adapt confidence sliders', () => {
  it('asks the question in its body, not the message shown while the linked slider is unanswered', async () => {
    const view = memoryView({
      'index.html': '<html></html>',
      'adapt/js/adapt.min.js': '',
      'course/en/course.json': json({ _type: 'course', _id: 'course', title: 'Soft skills' }),
      'course/en/contentObjects.json': json([{ _id: 'p1', _parentId: 'course', _type: 'page', title: 'Listening' }]),
      'course/en/articles.json': json([{ _id: 'a1', _parentId: 'p1', _type: 'article' }]),
      'course/en/blocks.json': json([{ _id: 'b1', _parentId: 'a1', _type: 'block' }]),
      'course/en/components.json': json([
        {
          _id: 'c1', _parentId: 'b1', _type: 'component', _component: 'confidenceSlider', title: 'Confidence after',
          body: '<p>How confident are you at active listening now?</p>',
          disabledBody: 'You need to measure your confidence in the linked part before you can do this part.',
          _linkedToId: 'c0', labelStart: 'Not at all', labelEnd: 'Very', _scaleStart: 1, _scaleEnd: 10,
          _feedback: { generic: 'Thanks for measuring your confidence.' },
        },
      ]),
    });
    const output = await adapt.extract(view);
    expect(questionWith(output, 'How confident are you')).toMatchObject({ type: 'likert', prompt: 'How confident are you at active listening now?' });
    expect(pageTexts(output)).toEqual(['How confident are you at active listening now?\n\nNot at all … Very']);
  });
});

describe.skipIf(!haveFixtures)('Adapt results and titles on real exports', () => {
  async function extract(name: string): Promise<ToolOutput> {
    const opened = await openFixtureView(name);
    try {
      return await adapt.extract(opened.view);
    } finally {
      opened.close();
    }
  }

  it('shows the band feedback of the knowledge quiz results, without the score line', async () => {
    const output = await extract('adapt-scorm12-video-vtt-partial.zip');
    const text = pageTexts(output)[0] ?? '';
    expect(text).toContain("Quiz Results\n\nLooks like you need to review the learning content. Retake the knowledge quiz when you're ready!\n\nCongrats! You've passed the assessment!");
    expect(text).not.toContain('You received the following score');
    for (const page of output.pages) expect(page.blocks[0]).not.toEqual({ type: 'heading', level: expect.any(Number), text: page.title });
  });

  it('shows the results of each multiple choice exercise', async () => {
    const output = await extract('adapt-scorm12-mcq-ccbysa.zip');
    const [e01] = pageTexts(output);
    expect(e01).toContain(
      'Results\n\nYou have finished the multiple choice quiz.\n\nYou have not reached the necessary score to pass the exam sucessfully. Try again!\n\nYou have answered enough questions correctly to pass the exercise.',
    );
    expect(output.pages[0]?.blocks[0]?.type).not.toBe('heading');
  });
});
