import { beforeAll, describe, expect, it } from 'vitest';
import { adapt } from '../../../src/extraction/tools/adapt/index.js';
import { h5p } from '../../../src/extraction/tools/h5p/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { openFixtureView } from '../../support/views.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

/** Player strings of the content types in these packages (their `l10n` / `common` fields). */
const UI_LABELS = /\b(Check|Retry|Show solution|Submit|Next question|Turn|Cards left|Drop Zone|You got|Export not supported|Expand Image)\b/;

function expectCleanText(output: ToolOutput): void {
  for (const text of pageTexts(output)) {
    expect(text).not.toMatch(/[<{]/);
    expect(text).not.toMatch(/\bfunction\s*[\w$]*\s*\([^)]*\)\s*\{/);
    expect(text).not.toMatch(/\bvar\s+[\w$]+\s*[=;,]/);
    expect(text).not.toMatch(/\S{60,}/);
    expect(text).not.toMatch(UI_LABELS);
  }
}

describe.skipIf(!haveFixtures)('H5P decoder on a real export', () => {
  let detection: Awaited<ReturnType<typeof h5p.detect>>;
  let output: ToolOutput;
  beforeAll(async () => {
    const opened = await openFixtureView('h5p-scorm12-course-presentation-quiz.zip');
    try {
      detection = await h5p.detect(opened.view);
      output = await h5p.extract(opened.view);
      expect(opened.warnings).toEqual([]);
    } finally {
      opened.close();
    }
  });

  it('detects H5P under workspace/ with its main content type', () => {
    expect(detection).toEqual({ version: 'H5P.CoursePresentation 1.25' });
    expect(output.title).toBe('A1: Professional Writing module 4');
    expect(output.language).toBe('en');
  });

  it('does not claim the Adapt packages, nor Adapt this one', async () => {
    for (const name of ['adapt-scorm12-mcq-ccbysa.zip', 'adapt-scorm12-video-vtt-partial.zip', 'adapt-xapi-tincan-pdf.zip']) {
      const opened = await openFixtureView(name);
      try {
        expect(await h5p.detect(opened.view), name).toBeNull();
      } finally {
        opened.close();
      }
    }
    const opened = await openFixtureView('h5p-scorm12-course-presentation-quiz.zip');
    try {
      expect(await adapt.detect(opened.view)).toBeNull();
    } finally {
      opened.close();
    }
  });

  it('reads one slide per Course Presentation slide, titled by its heading', () => {
    expect(output.pages).toHaveLength(13);
    expect(output.pages.every((p) => p.kind === 'slide' && p.source === 'workspace/content/content.json')).toBe(true);
    expect(output.pages.map((p) => p.title)).toEqual([
      'Professional Writing',
      'Professional Writing: Introduction',
      'Formulate Questions: Key Points',
      'Formulate Questions: Sentences',
      'Formulate Questions: Email',
      'Use Question Words: Flashcards',
      'Use Question Words: Sentences',
      'Use Question Words: Quiz',
      'Use Typical Email Requests: Key Points',
      'Use Typical Email Requests: Sentences',
      'Use Question Words: Quiz',
      'Module Summary Quiz',
      'Module Reflection',
    ]);
  });

  it('does not repeat a slide title as the first heading of the slide', () => {
    for (const page of output.pages) expect(page.blocks[0]).not.toEqual({ type: 'heading', level: expect.any(Number), text: page.title });
    expect(output.pages[1]?.blocks[0]).toEqual({ type: 'paragraph', text: 'Ready to take your emails to the next level?' });
  });

  it('puts each text on its slide, in reading order', () => {
    const texts = pageTexts(output);
    expect(texts[1]).toContain('Discover the different question words (who, what, when, where, why, how) and how to use them effectively.');
    const keyPoints = texts[2] ?? '';
    // Elements are stored in stacking order; the label on the left comes before its explanation.
    expect(keyPoints.indexOf('Subject-Verb Order:')).toBeLessThan(keyPoints.indexOf('After the question word, follow the usual subject-verb order'));
    expect(keyPoints.indexOf('After the question word')).toBeLessThan(keyPoints.indexOf('Clarity and Concision:'));
    expect(texts[3]).toContain('What _____ is the meeting today?');
    expect(texts[3]).not.toContain('responsible');
    expect(texts[5]).toContain('Why: This asks for the reason behind something.');
    expect(texts[5]).toContain('Example: Why are we meeting today? (Asks the reason for a meeting)');
    expect(texts[11]).toContain('Question 4 of 6: The question word "why" asks about:');
    expect(texts[12]).toContain('Use the box below to write down your reflections from this module');
    expect(texts[12]).toContain('[Image: Export Text]');
    expectCleanText(output);
  });

  it('reads DragText, SingleChoiceSet and the text area as questions', () => {
    expect(allQuestions(output)).toHaveLength(17);
    expect(output.assessments.map((a) => [a.pageIndex, a.questions.length])).toEqual([
      [3, 1],
      [4, 1],
      [6, 1],
      [7, 3],
      [9, 1],
      [10, 3],
      [11, 6],
      [12, 1],
    ]);
    const sentences = questionWith(output, 'Please fill in the missing words to complete useful questions:');
    expect(sentences.type).toBe('drag_drop');
    expect(sentences.correct_answers).toEqual(['time', 'send', 'responsible', 'How', 'company', 'When', 'task']);
    expect(questionWith(output, 'Subject: Meeting Time and Report Needed').correct_answers).toEqual(['writing', 'What time', 'Could', 'send', 'advance']);
    const password = questionWith(output, "I can't remember my password.");
    expect(password.type).toBe('choice');
    expect(password.choices.map((c) => [c.text, c.correct])).toEqual([
      ['What', true],
      ['Why', false],
      ['How', false],
    ]);
    expect(questionWith(output, 'The question word "why" asks about:').correct_answers).toEqual(['Reasons']);
    expect(questionWith(output, 'After making a request in an email').correct_answers).toEqual(['Thank the recipient for their time.']);
    const essay = questionWith(output, 'write down your reflections');
    expect(essay.type).toBe('essay');
    expect(new Set(allQuestions(output).map((q) => q.id)).size).toBe(17);
  });

  it('lists the slide images with their alt text', () => {
    expect(output.media).toHaveLength(10);
    expect(output.media.every((m) => m.path.startsWith('workspace/content/images/'))).toBe(true);
    expect(output.media).toContainEqual({
      path: 'workspace/content/images/file-aAhPSHHI8c_hbFJ4-4TAd5icl-6pCf2PU9-nI3AZmPf-7dZt9aLM-BYLSTLXS-JkIo39Xf-WMehZg4f-ZOTaFi2I-1ueN3twE.png',
      altText: 'Export Text',
    });
  });
});

const text = (html: string, id?: string) => ({ library: 'H5P.AdvancedText 1.1', params: { text: html }, ...(id ? { subContentId: id } : {}) });
const column = (title: string, content: unknown[]) => ({
  library: 'H5P.Column 1.18',
  metadata: { title },
  params: { content: content.map((c) => ({ content: c, useSeparator: 'auto' })) },
});

const book = {
  bookCover: { coverDescription: '<p>A book about birds.</p>' },
  chapters: [
    column('Chapter one', [
      text('<h2>Owls</h2><p>Owls hunt at night.</p>'),
      {
        library: 'H5P.Video 1.6',
        subContentId: 'v1',
        params: {
          sources: [{ path: 'videos/owl.mp4', mime: 'video/mp4' }],
          a11y: [{ label: 'English', kind: 'captions', srcLang: 'en', track: { path: 'files/owl.vtt', mime: 'text/webvtt' } }],
          l10n: { name: 'Video', loading: 'Video player loading...' },
        },
      },
      {
        library: 'H5P.MultiChoice 1.16',
        subContentId: 'mc1',
        params: {
          question: '<p>Which birds hunt at night?</p>',
          answers: [
            { text: '<div>Owls</div>', correct: true, tipsAndFeedback: { tip: '', chosenFeedback: '<div>Yes!</div>' } },
            { text: '<div>Robins</div>', correct: false },
          ],
          behaviour: { type: 'auto', singleAnswer: true },
          overallFeedback: [
            { from: 0, to: 50, feedback: 'Read again.' },
            { from: 51, to: 100, feedback: 'Well done.' },
          ],
          UI: { checkAnswerButton: 'Check', showSolutionButton: 'Show solution', tryAgainButton: 'Retry' },
        },
      },
      {
        library: 'H5P.TrueFalse 1.8',
        subContentId: 'tf1',
        params: {
          question: '<p>Owls can turn their heads 270 degrees.</p>',
          correct: 'true',
          l10n: { trueText: 'Wahr', falseText: 'Falsch', checkAnswer: 'Check' },
          behaviour: { feedbackOnCorrect: 'Right.', feedbackOnWrong: 'They can.' },
        },
      },
    ]),
    column('Chapter two', [
      {
        library: 'H5P.Blanks 1.14',
        subContentId: 'bl1',
        params: {
          text: '<p>Fill in the missing words</p>',
          questions: ['<p>An owl is a *bird/raptor:animal class* that eats *mice*.</p>'],
          showSolutions: 'Show solution',
          tryAgain: 'Retry',
          checkAnswer: 'Check',
        },
      },
      {
        library: 'H5P.MarkTheWords 1.11',
        subContentId: 'mw1',
        params: { taskDescription: '<p>Click the verbs.</p>', textField: '<p>The owl *flies* and *hunts*.</p>', checkAnswerButton: 'Check' },
      },
      { library: 'H5P.Accordion 1.0', params: { panels: [{ title: 'Habitat', content: text('<p>Owls live in forests.</p>') }] } },
      {
        // No semantics shipped: walked by the shape of its params.
        library: 'H5P.Birdwatch 1.0',
        params: {
          intro: '<p>Spot the birds around you.</p>',
          title: 'Bird watching',
          l10n: { start: 'Start' },
          startButtonLabel: 'Go',
          items: [{ label: 'Plain label', description: 'A crow is black.', image: { path: 'images/crow.png', mime: 'image/png' }, alt: 'A black crow' }],
          settings: { showScore: true },
        },
      },
      {
        // Semantics shipped: `description` is a common (UI) field there, `facts` a group of one list.
        library: 'H5P.Nest 1.0',
        params: {
          heading: 'Nests',
          notes: '<p>Nests are built in spring.</p>',
          description: 'Tap to flip',
          facts: ['<p>Owls have 14 neck vertebrae.</p>'],
        },
      },
      {
        library: 'H5P.Essay 1.5',
        subContentId: 'es1',
        params: {
          taskDescription: '<p>Describe an owl.</p>',
          placeholderText: 'Type here',
          solution: { sample: '<p>An owl is a nocturnal bird.</p>' },
          keywords: [{ keyword: 'nocturnal' }],
        },
      },
    ]),
  ],
  l10n: { read: 'Read', displayTOC: "Display 'Table of contents'" },
};

const nestSemantics = [
  { name: 'heading', type: 'text' },
  { name: 'notes', type: 'text', widget: 'html' },
  { name: 'description', type: 'text', common: true },
  { name: 'facts', type: 'group', fields: [{ name: 'list', type: 'list', field: { name: 'fact', type: 'text', widget: 'html' } }] },
];

describe('H5P decoder on other content types', () => {
  const view = memoryView({
    'h5p.json': JSON.stringify({
      title: 'Birds',
      language: 'und',
      defaultLanguage: 'de',
      mainLibrary: 'H5P.InteractiveBook',
      preloadedDependencies: [{ machineName: 'H5P.InteractiveBook', majorVersion: '1', minorVersion: '11' }],
    }),
    'content/content.json': JSON.stringify(book),
    'content/videos/owl.mp4': 'mp4',
    'content/files/owl.vtt': 'WEBVTT',
    'H5P.Nest-1.0/semantics.json': JSON.stringify(nestSemantics),
  });
  let output: ToolOutput;
  beforeAll(async () => {
    output = await h5p.extract(view);
  });

  it('detects a root-level H5P package', async () => {
    expect(await h5p.detect(view)).toEqual({ version: 'H5P.InteractiveBook 1.11' });
    expect(await adapt.detect(view)).toBeNull();
    expect(output.language).toBe('de');
  });

  it('reads one page per Interactive Book chapter, known and unknown content types alike', () => {
    expect(output.pages.map((p) => [p.title, p.kind])).toEqual([
      ['Chapter one', 'page'],
      ['Chapter two', 'page'],
    ]);
    const [one, two] = pageTexts(output);
    expect(one).toBe('A book about birds.\n\nOwls\n\nOwls hunt at night.\n\nWhich birds hunt at night?\n\nOwls\nRobins\n\nOwls can turn their heads 270 degrees.');
    expect(two).toBe(
      [
        'Fill in the missing words',
        'An owl is a _____ that eats _____.',
        'animal class',
        'Click the verbs.',
        'The owl flies and hunts.',
        'Habitat',
        'Owls live in forests.',
        'Bird watching',
        'Spot the birds around you.',
        'A crow is black.',
        '[Image: A black crow]',
        'Nests',
        'Nests are built in spring.',
        'Owls have 14 neck vertebrae.',
        'Describe an owl.',
      ].join('\n\n'),
    );
    expectCleanText(output);
  });

  it('reads MultiChoice, TrueFalse, Blanks, Mark the Words and Essay answers', () => {
    expect(output.assessments.map((a) => [a.pageIndex, a.questions.map((q) => q.type)])).toEqual([
      [0, ['choice', 'true_false']],
      [1, ['fill_in', 'other', 'essay']],
    ]);
    expect(questionWith(output, 'Which birds hunt at night?')).toMatchObject({
      id: 'mc1',
      correct_answers: ['Owls'],
      feedback: { correct: 'Well done.', incorrect: 'Read again.' },
    });
    expect(questionWith(output, 'Which birds hunt at night?').choices[0]?.feedback).toBe('Yes!');
    expect(questionWith(output, 'Owls can turn their heads').correct_answers).toEqual(['Wahr']);
    expect(questionWith(output, 'Fill in the missing words').correct_answers).toEqual(['bird / raptor', 'mice']);
    expect(questionWith(output, 'Click the verbs.').correct_answers).toEqual(['flies', 'hunts']);
    expect(questionWith(output, 'Describe an owl.').correct_answers).toEqual(['An owl is a nocturnal bird.']);
  });

  it('attaches text tracks to the video and alt text to images', () => {
    expect(output.media).toContainEqual({ path: 'content/videos/owl.mp4', captions: ['content/files/owl.vtt'] });
    expect(output.media).toContainEqual({ path: 'content/images/crow.png', altText: 'A black crow' });
  });

  it('reads a Question Set as one page with its pass percentage', async () => {
    const set = memoryView({
      'h5p.json': JSON.stringify({ title: 'Quiz', mainLibrary: 'H5P.QuestionSet' }),
      'content/content.json': JSON.stringify({
        introPage: { showIntroPage: true, title: 'Welcome', introduction: '<p>Five minutes.</p>', startButtonText: 'Start Quiz' },
        passPercentage: 70,
        questions: [
          {
            library: 'H5P.MultiChoice 1.16',
            params: {
              question: '<p>Pick the mammals.</p>',
              answers: [
                { text: 'Bat', correct: true },
                { text: 'Whale', correct: true },
                { text: 'Owl', correct: false },
              ],
            },
          },
        ],
        texts: { prevButton: 'Previous question', finishButton: 'Finish' },
        endGame: { showResultPage: true, successGreeting: 'Congratulations!', scoreBarLabel: 'You got :num out of :total points' },
      }),
    });
    const quiz = await h5p.extract(set);
    expect(quiz.pages.map((p) => p.title)).toEqual(['Quiz']);
    expect(pageTexts(quiz)[0]).toBe('Welcome\n\nFive minutes.\n\nPick the mammals.\n\nBat\nWhale\nOwl');
    expect(quiz.assessments).toHaveLength(1);
    expect(quiz.assessments[0]?.passingScore).toBe(70);
    expect(quiz.assessments[0]?.questions[0]).toMatchObject({ type: 'multiple_response', correct_answers: ['Bat', 'Whale'] });
  });
});

describe('H5P content written inline into a page', () => {
  const nightBirds = {
    question: '<p>Which birds hunt at night?</p>',
    answers: [
      { text: '<div>Owls</div>', correct: true, tipsAndFeedback: { chosenFeedback: '<div>Yes!</div>' } },
      { text: '<div>Robins</div>', correct: false },
    ],
  };
  const presentation = {
    presentation: {
      slides: [
        { elements: [{ action: { library: 'H5P.AdvancedText 1.1', params: { text: '<h2>Owls</h2><p>Owls hunt at night.</p>' } } }], keywords: [{ main: 'About owls' }] },
        { elements: [{ action: { library: 'H5P.TrueFalse 1.8', params: { question: '<p>Owls sleep by day.</p>', correct: 'true' } } }] },
      ],
    },
  };
  // As a site's PHP writes it: slashes escaped, the params a JSON string inside the object, the
  // player's scripts after it in the same element.
  const integration = {
    baseUrl: '.',
    contents: {
      'cid-7': { library: 'H5P.MultiChoice 1.16', jsonContent: JSON.stringify(nightBirds), metadata: { title: 'Night birds' } },
      'cid-deck': { library: 'H5P.CoursePresentation 1.25', jsonContent: JSON.stringify(presentation), metadata: { title: 'Owl deck' } },
    },
  };
  const page = `<html><head><script>H5PIntegration = ${JSON.stringify(integration).replace(/\//g, '\\/')};\nvar H5P = window.H5P || {};</script></head><body><div class="h5p-content" data-content-id="7"></div></body></html>`;
  const view = memoryView({ 'index.html': page, 'imsmanifest.xml': '<manifest/>' });

  it('is detected, and every piece of content is read with its questions and answers', async () => {
    expect(await h5p.detect(view)).toEqual({ version: 'H5P.MultiChoice 1.16' });
    const output = await h5p.extract(view);
    expect(output.title).toBe('Night birds');
    expect(output.pages.map((p) => [p.title, p.kind, p.source])).toEqual([
      ['Night birds', 'page', 'index.html'],
      ['About owls', 'slide', 'index.html'],
      [null, 'slide', 'index.html'],
    ]);
    expect(pageTexts(output)[1]).toBe('Owls\n\nOwls hunt at night.');
    expect(questionWith(output, 'Which birds hunt at night?')).toMatchObject({ correct_answers: ['Owls'] });
    expect(questionWith(output, 'Which birds hunt at night?').choices[0]?.feedback).toBe('Yes!');
    expect(questionWith(output, 'Owls sleep by day.')).toMatchObject({ type: 'true_false', correct_answers: ['True'] });
  });

  it('is not claimed by a page that builds H5PIntegration at run time', async () => {
    const loader = memoryView({ 'index.html': '<script>window.H5PIntegration = { contents: {} }; H5PIntegration.contents["cid-1"] = load();</script>' });
    expect(await h5p.detect(loader)).toBeNull();
  });
});
