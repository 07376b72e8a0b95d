import { describe, expect, it } from 'vitest';
import { easygenerator } from '../../../src/extraction/tools/easygenerator/index.js';
import { detectTool } from '../../../src/extraction/tools/registry.js';
import { memoryView } from '../../support/memory-source.js';
import { pageTexts, questionWith } from '../../support/tool-output.js';

// A synthetic Easygenerator export: content/data.js (the course as JSON) and one HTML fragment per
// content block, with invented course text.

const fragment = (html: string) => `<div data-type="textEditorOneColumn" class="eg-content-editor"><div class='column'>${html}</div></div>`;

const COURSE = {
  id: 'c1',
  templateId: 't1',
  title: 'Beekeeping for Beginners',
  hasIntroductionContent: true,
  introductions: [{ id: 'intro1', children: [] }],
  sections: [
    {
      id: 's1',
      title: 'Inside the hive',
      imageUrl: 'media/hive.png',
      learningObjective: 'Name the three kinds of bee in a colony.',
      questions: [
        {
          id: 'q1',
          title: 'Who lives in the hive',
          type: 'informationContent',
          learningContents: [
            { id: 'lc1', children: [] },
            { id: 'lc2', children: [{ id: 'lc2a', children: [{ id: 'lc2a1', children: [] }] }] },
          ],
          questionInstructions: [],
          questionCorrectFeedbacks: [],
          questionIncorrectFeedbacks: [],
        },
        {
          id: 'q2',
          title: 'Quiz',
          type: 'singleSelectText',
          isSurvey: false,
          answers: [
            { id: 'a1', text: 'The queen', isCorrect: true, explanationBlocks: [] },
            { id: 'a2', text: 'A drone', isCorrect: false, explanationBlocks: [] },
          ],
          learningContents: [],
          questionInstructions: [{ id: 'ins2', children: [] }],
          questionCorrectFeedbacks: [{ id: 'fb2ok', children: [] }],
          questionIncorrectFeedbacks: [{ id: 'fb2no', children: [] }],
        },
        {
          id: 'q3',
          title: 'Which tasks do worker bees do?',
          type: 'multipleSelect',
          isSurvey: null,
          answers: [
            { id: 'b1', text: 'Build wax comb', isCorrect: true },
            { id: 'b2', text: 'Lay eggs', isCorrect: false },
            { id: 'b3', text: 'Guard the entrance', isCorrect: true },
          ],
          learningContents: [],
          questionInstructions: [],
          questionCorrectFeedbacks: [],
          questionIncorrectFeedbacks: [],
        },
      ],
    },
    {
      id: 's2',
      title: 'Seasons',
      learningObjective: null,
      questions: [
        {
          id: 'q4',
          title: 'Match each season with its hive task.',
          type: 'textMatching',
          answers: [
            { id: 'm1', key: 'Spring', value: 'Add a honey super' },
            { id: 'm2', key: 'Autumn', value: 'Feed sugar syrup' },
          ],
          questionInstructions: [],
          questionCorrectFeedbacks: [],
          questionIncorrectFeedbacks: [],
        },
        {
          id: 'q5',
          title: 'Put the inspection steps in order.',
          type: 'rankingText',
          answers: [
            { id: 'r1', text: 'Light the smoker' },
            { id: 'r2', text: 'Open the roof' },
            { id: 'r3', text: 'Lift out a frame' },
          ],
        },
        {
          id: 'q6',
          title: 'True or false?',
          type: 'statement',
          answers: [
            { id: 't1', text: 'Drones have no sting.', isCorrect: true },
            { id: 't2', text: 'A colony has several queens.', isCorrect: false },
          ],
        },
      ],
    },
  ],
  passedAfterwords: [{ id: 'after1', children: [] }],
  failedAfterwords: [],
};

function easygeneratorPackage(layout: 'flat' | 'folders'): Record<string, string> {
  const place = (id: string, folder: string) => (layout === 'flat' ? `content/${id}.html` : `content/${folder}/${id}.html`);
  return {
    'index.html': '<html><head><title>Course</title></head><body><div id="root"></div><script src="static/js/main.js"></script></body></html>',
    'settings.js': '{"languages":{"selected":"en"},"showConfirmationPopup":true}',
    'publishSettings.js': '{"modules":[]}',
    'lang/en.json': '{"[start course]":"Start course","[continue]":"Continue learning"}',
    'content/data.js': JSON.stringify(COURSE),
    'media/hive.png': 'png',
    'media/comb.png': 'png',
    [place('intro1', 'introduction')]: fragment('<h2>Welcome, new beekeeper!</h2><p>This course takes about twenty minutes.</p>'),
    [place('lc1', 's1/q1')]: fragment('<p>A colony has one queen, thousands of workers and a few hundred drones.</p><img src="media/comb.png" alt="Worker bees on a wax comb">'),
    [place('lc2a', 's1/q1')]: '<div class="eg-content-editor" data-type="accordionItem">The queen</div>',
    [place('lc2a1', 's1/q1')]: fragment('<p>She lays up to two thousand eggs a day in summer.</p>'),
    [place('ins2', 's1/q2')]: fragment('<p>Which bee lays the eggs?</p>'),
    [place('fb2ok', 's1/q2')]: fragment('<p>Right: only the queen lays eggs.</p>'),
    [place('fb2no', 's1/q2')]: fragment('<p>Look again at the colony page.</p>'),
    [place('after1', 'afterword')]: fragment('<p>Well done, your hive is in good hands.</p>'),
  };
}

describe('Easygenerator decoder', () => {
  it('recognises an export by its course data and settings, ahead of the generic reader', async () => {
    const view = memoryView(easygeneratorPackage('flat'));
    expect(await easygenerator.detect(view)).toEqual({ version: null });
    expect((await detectTool(view))?.decoder).toBe(easygenerator);
    expect(await easygenerator.detect(memoryView({ 'content/data.js': '{"sections":[]}' }))).toBeNull();
    expect(await easygenerator.detect(memoryView({ 'content/data.js': 'var portfolio = [];', 'settings.js': '{}' }))).toBeNull();
  });

  for (const layout of ['flat', 'folders'] as const) {
    it(`reads the introduction, sections and content pages in course order (${layout} content files)`, async () => {
      const output = await easygenerator.extract(memoryView(easygeneratorPackage(layout)));
      expect(output.title).toBe('Beekeeping for Beginners');
      expect(output.pages.map((p) => [p.kind, p.title])).toEqual([
        ['page', 'Beekeeping for Beginners'],
        ['section', 'Inside the hive'],
        ['page', 'Who lives in the hive'],
        ['page', 'Quiz'],
        ['section', 'Seasons'],
        ['page', null],
      ]);
      const texts = pageTexts(output);
      expect(texts[0]).toBe('Welcome, new beekeeper!\n\nThis course takes about twenty minutes.');
      expect(texts[1]).toBe('Name the three kinds of bee in a colony.');
      expect(texts[2]).toContain('A colony has one queen, thousands of workers and a few hundred drones.');
      // An accordion item: its short title becomes a heading over its text.
      expect(output.pages[2]?.blocks).toContainEqual({ type: 'heading', level: 3, text: 'The queen' });
      expect(texts[2]).toContain('She lays up to two thousand eggs a day in summer.');
      expect(texts[3]).toBe('Which bee lays the eggs?');
      expect(texts[5]).toBe('Well done, your hive is in good hands.');
      // Player labels and settings are not course text.
      expect(texts.join('\n')).not.toMatch(/Start course|Continue learning|languages|modules/);
    });
  }

  it('reads choice questions with the correct answers marked and their feedback', async () => {
    const output = await easygenerator.extract(memoryView(easygeneratorPackage('flat')));
    expect(output.assessments.map((a) => [a.title, a.questions.length, a.pageIndex])).toEqual([
      ['Inside the hive', 2, 3],
      ['Seasons', 3, null],
    ]);
    const single = questionWith(output, 'Which bee lays the eggs?');
    expect(single.type).toBe('choice');
    expect(single.choices.map((c) => [c.text, c.correct])).toEqual([
      ['The queen', true],
      ['A drone', false],
    ]);
    expect(single.feedback).toEqual({ correct: 'Right: only the queen lays eggs.', incorrect: 'Look again at the colony page.' });
    const multiple = questionWith(output, 'Which tasks do worker bees do?');
    expect(multiple.type).toBe('multiple_response');
    expect(multiple.correct_answers).toEqual(['Build wax comb', 'Guard the entrance']);
  });

  it('reads matching pairs, ranking order and true/false statements', async () => {
    const output = await easygenerator.extract(memoryView(easygeneratorPackage('flat')));
    const matching = questionWith(output, 'Match each season with its hive task.');
    expect(matching.type).toBe('matching');
    expect(matching.matches).toEqual([
      { source: 'Spring', target: 'Add a honey super' },
      { source: 'Autumn', target: 'Feed sugar syrup' },
    ]);
    const ranking = questionWith(output, 'Put the inspection steps in order.');
    expect(ranking.type).toBe('sequencing');
    expect(ranking.correct_answers).toEqual(['Light the smoker', 'Open the roof', 'Lift out a frame']);
    const statements = questionWith(output, 'True or false?');
    expect(statements.type).toBe('true_false');
    expect(statements.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Drones have no sting.', true],
      ['A colony has several queens.', false],
    ]);
  });

  it('hints the images content shows and sections use', async () => {
    const output = await easygenerator.extract(memoryView(easygeneratorPackage('folders')));
    expect(output.media).toEqual(
      expect.arrayContaining([{ path: 'media/comb.png', altText: 'Worker bees on a wax comb' }, { path: 'media/hive.png' }]),
    );
  });

  it('warns when the course data cannot be read', async () => {
    const view = memoryView({ 'content/data.js': '{"sections": [', 'settings.js': '{}' });
    const output = await easygenerator.extract(view);
    expect(output.pages).toEqual([]);
    expect(view.warnings.map((w) => w.code)).toEqual(['easygenerator_data_unreadable']);
  });
});

// A second course: pages whose blocks are a video or sample text only, and questions answered with
// pictures or by placing texts on a picture.
const PICTURE_COURSE = {
  id: 'c2',
  templateId: 't1',
  title: 'Reading the Weather',
  hasIntroductionContent: false,
  introductions: [],
  sections: [
    {
      id: 's1',
      title: 'Clouds',
      questions: [
        { id: 'p1', title: 'Watch: a front arrives', type: 'informationContent', learningContents: [{ id: 'video1', children: [] }] },
        { id: 'p2', title: 'Cloud atlas', type: 'informationContent', learningContents: [{ id: 'sample1', children: [] }] },
        {
          id: 'p3',
          title: 'Which picture shows a cumulonimbus?',
          type: 'multipleChoiceImage',
          answers: [
            { id: 'i1', image: 'media/a.webp', isCorrect: false, altText: 'Thin wisps high in the sky' },
            { id: 'i2', image: 'media/b.webp', isCorrect: true, altText: '' },
            { id: 'i3', image: 'media/c.webp', isCorrect: false, altText: '' },
          ],
        },
        {
          id: 'p4',
          title: 'Pick the barometer that shows falling pressure.',
          type: 'singleSelectImage',
          answers: [
            { id: 'j1', image: 'media/d.png' },
            { id: 'j2', image: 'media/e.png' },
          ],
          correctAnswerId: 'j2',
        },
        {
          id: 'p6',
          title: 'Mark each saying as true or false.',
          type: 'statement',
          answers: [
            { id: 'st1', text: 'Red sky at night brings rain.', isCorrect: false },
            { id: 'st2', text: 'Falling pressure often brings wind.', isCorrect: true },
          ],
        },
        {
          id: 'p5',
          title: 'Drag each name onto the cloud it belongs to.',
          type: 'dragAndDropText',
          background: 'media/sky.webp',
          dropspots: [
            { id: 'd1', text: 'Stratus', x: 400, y: 620 },
            { id: 'd2', text: 'Cirrus', x: 380, y: 40 },
            { id: 'd3', text: 'Cumulus', x: 90, y: 300 },
          ],
        },
      ],
    },
  ],
  passedAfterwords: [],
  failedAfterwords: [],
};

describe('Easygenerator decoder on pages without filled blocks and questions about pictures', () => {
  const files = {
    'settings.js': '{}',
    'publishSettings.js': '{}',
    'content/data.js': JSON.stringify(PICTURE_COURSE),
    'content/video1.html': '<div data-type="htmlBlock" class="eg-content-editor"><p><iframe src="https://video.example/front"></iframe></p></div>',
    'content/sample1.html': fragment('<h2>Your heading text goes here</h2><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'),
  };

  it('keeps the title of a page whose blocks show no text, without their sample text', async () => {
    const output = await easygenerator.extract(memoryView(files));
    expect(output.pages.map((p) => [p.kind, p.title, p.blocks.length])).toEqual([
      ['section', 'Clouds', 0],
      ['page', 'Watch: a front arrives', 0],
      ['page', 'Cloud atlas', 0],
    ]);
  });

  it('tells picture answers apart by their description, else by their place, with the correct one marked', async () => {
    const output = await easygenerator.extract(memoryView(files));
    const pictures = questionWith(output, 'Which picture shows a cumulonimbus?');
    expect(pictures.type).toBe('choice');
    expect(pictures.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Thin wisps high in the sky', false],
      ['Image 2', true],
      ['Image 3', false],
    ]);
    const barometers = questionWith(output, 'Pick the barometer that shows falling pressure.');
    expect(barometers.correct_answers).toEqual(['Image 2']);
  });

  it('answers a drag-onto-picture question with its texts in the order of their spots', async () => {
    const output = await easygenerator.extract(memoryView(files));
    const clouds = questionWith(output, 'Drag each name onto the cloud it belongs to.');
    expect(clouds.type).toBe('drag_drop');
    expect(clouds.choices.map((c) => c.text)).toEqual(['Stratus', 'Cirrus', 'Cumulus']);
    expect(clouds.correct_answers).toEqual(['Cirrus', 'Cumulus', 'Stratus']);
  });

  it('answers each statement with the words of the buttons the player shows, in the course language', async () => {
    const dutch = { ...files, 'settings.js': '{"languages":{"selected":"nl"}}', 'lang/nl.json': '{"[statement question true text]":"Waar","[statement question false text]":"Niet waar"}' };
    const statements = questionWith(await easygenerator.extract(memoryView(dutch)), 'Mark each saying as true or false.');
    expect(statements.type).toBe('true_false');
    expect(statements.matches).toEqual([
      { source: 'Red sky at night brings rain.', target: 'Niet waar' },
      { source: 'Falling pressure often brings wind.', target: 'Waar' },
    ]);
  });
});
