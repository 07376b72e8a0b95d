import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../../../src/extraction/result/extraction-result.js';
import { rise } from '../../../src/extraction/tools/rise/index.js';
import { readProvidedData } from '../../../src/extraction/tools/storyline/data-files.js';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import { meaningfulAlt } from '../../../src/extraction/tools/storyline/slides.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData, textObject } from '../../support/storyline-data.js';
import { openFixtureView } from '../../support/views.js';
import { allQuestions, pageTexts, wordCount } from '../../support/tool-output.js';

/** Learner text is prose: no markup, code, data or unbroken runs. */
function expectCleanText(output: ToolOutput): void {
  for (const text of pageTexts(output)) {
    expect(text).not.toMatch(/[<{}>]/);
    expect(text).not.toMatch(/\bfunction\b/);
    expect(text).not.toMatch(/\bvar /);
    expect(text).not.toMatch(/base64/i);
    expect(text).not.toMatch(/\S{40,}/);
  }
  for (const page of output.pages) {
    expect(page.title ?? '').not.toMatch(/[<>]/);
  }
}

async function extractFixture(name: string, base = '') {
  const opened = await openFixtureView(name, { base });
  try {
    return {
      detection: await storyline.detect(opened.view),
      rise: await rise.detect(opened.view),
      output: await storyline.extract(opened.view),
      warnings: opened.warnings,
    };
  } finally {
    opened.close();
  }
}

describe.skipIf(!haveFixtures)('Storyline decoder on real exports', () => {
  describe('storyline-scorm12-text-entry', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('storyline-scorm12-text-entry.zip');
    });

    it('detects Storyline 360 and its version from meta.xml, and is not taken for Rise', () => {
      expect(result.detection).toEqual({ version: '3.73.29904.0' });
      expect(result.rise).toBeNull();
      expect(result.output.title).toBe('sl-input-block-sample');
    });

    it('reads the one slide with its layers, without message scenes or off-stage author notes', () => {
      const { output } = result;
      expect(output.pages.map((p) => [p.title, p.kind, p.source])).toEqual([['base', 'slide', 'html5/data/js/6FySzw5Lk6w.js']]);
      const [text] = pageTexts(output);
      // The Save button's label, then the two message layers.
      expect(text).toBe('SAVE\n\nPlease type a response before selecting Save.\n\nYour response has been saved, select Continue.');
      // Left of the stage for the author, never seen by a learner.
      expect(text).not.toContain('Configuration Instructions');
      // Player prompts (message scenes) are chrome.
      expect(text).not.toMatch(/Invalid Answer|Resume|Scroll to Bottom/);
      expect(wordCount(output)).toBe(15);
    });

    it('has no quiz and no media, and clean text', () => {
      expect(result.output.assessments).toEqual([]);
      expect(result.output.media).toEqual([]);
      expectCleanText(result.output);
      expect(result.warnings).toEqual([]);
    });
  });

  describe('storyline-aicc-hacp', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('storyline-aicc-hacp.zip');
    });

    it('detects Storyline from its files whatever the standard', () => {
      expect(result.detection).toEqual({ version: '3.47.23871.0' });
      expect(result.rise).toBeNull();
      expect(result.output.title).toBe('NON CLASSIFIED - SL Publish');
    });

    it('reads five slides in scene order with their titles', () => {
      const { output } = result;
      expect(output.pages.map((p) => p.title)).toEqual(['Welcome', 'test 1', 'test 2', 'test 3', 'Complete!']);
      expect(output.pages.every((p) => p.kind === 'slide')).toBe(true);
      const texts = pageTexts(output);
      expect(texts[0]).toBe('CS TEST\n\nNon-Classified');
      expect(texts[4]).toContain('Thank You!');
      // A button label wrapped on two lines reads as one.
      expect(texts[4]).toContain('Click To Complete!');
      // Picture slides: their alt texts are file names ("starfish.jpg"), not descriptions.
      expect(texts.slice(1, 4)).toEqual(['', '', '']);
      expect(wordCount(output)).toBe(8);
    });

    it('reports the narration with its duration', () => {
      expect(result.output.media).toEqual([
        { path: 'story_content/6ASKmsg5kVL_44100_160_0.mp3', durationSeconds: 6.222 },
      ]);
      expect(result.output.assessments).toEqual([]);
      expectCleanText(result.output);
    });
  });

  describe('storyline-scorm2004-4th-cyrillic-bom', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('storyline-scorm2004-4th-cyrillic-bom.zip');
    });

    it('detects the version and reads the Cyrillic title of meta.xml (with BOM)', () => {
      expect(result.detection).toEqual({ version: '3.97.34031.0' });
      expect(result.rise).toBeNull();
      expect(result.output.title).toBe('Тиндер');
      expect(result.output.description).toBe('Тиндер');
    });

    it('reads fourteen slides, soft line breaks joined and every result layer kept', () => {
      const { output } = result;
      // What a learner sees: one statement a slide (to judge true or false with picture buttons), then the result.
      expect(output.pages.slice(0, 13).map((p, i) => [p.title, pageTexts(output)[i]])).toEqual([
        ['Верное_1', 'Баланс между работой и личной жизнью — не привилегия, а стандарт'],
        ['Неверно_1', 'Чем больше контроля, тем выше эффективность'],
        ['Верное_2', 'Гибкость и автономия важнее строгого графика'],
        ['Верное_3', 'Карьерный рост должен быть прозрачным и предсказуемым'],
        ['Верное_4', 'Обучение — не дополнительная опция, а часть работы'],
        ['Неверно_4', 'Легкий стресс и давление — лучшая мотивация'],
        ['Верное_5', 'Микроменеджмент убивает мотивацию'],
        ['Верное_6', 'Интересные задачи важнее высокой зарплаты'],
        ['Верное_7', 'Рабочее время — это рабочее время'],
        ['Верное_8', 'После 18:00 писать сотрудникам не стоит'],
        ['Неверно_3', 'Зарплата — единственный фактор, влияющий на вовлеченность'],
        ['Верное_9', 'Важно поощрять инициативу и творчество'],
        ['Неверно_2', 'Обучение — личная инициатива сотрудника, а не обязанность компании'],
      ]);
      // "Untitled Slide" is no title; its three result layers are all kept.
      expect(output.pages[13]?.title).toBeNull();
      const results = pageTexts(output)[13] ?? '';
      for (const phrase of [
        'Неплохой результат, но зумеры все еще сомневаются!',
        'Осталось немного скорректировать подход — и вы станете работодателем мечты для зумеров.',
        'Поздравляем!',
        'Вы тот самый работодатель-краш.',
        'Листайте вниз, чтобы продолжить изучение курса',
      ]) {
        expect(results).toContain(phrase);
      }
      // Image names ("Frame 78.png", "freepik__retouch__23400.png") and shapes ("Rectangle 1") are not text.
      expect(pageTexts(output).join('\n')).not.toMatch(/\.png|Frame \d|Rectangle/);
      expect(wordCount(output)).toBe(158);
    });

    it('has no quiz, no media and clean text', () => {
      expect(result.output.assessments).toEqual([]);
      expect(result.output.media).toEqual([]);
      expectCleanText(result.output);
      expect(result.warnings).toEqual([]);
    });
  });

  describe('the Storyline block inside rise-scorm12-embedded-storyline-video', () => {
    const folder = 'scormcontent/assets/F-mFiATo6u5NY-n9/';

    it('is not claimed at the package root, but is in its own folder', async () => {
      const root = await extractFixture('rise-scorm12-embedded-storyline-video.zip');
      expect(root.detection).toBeNull();
      const inner = await extractFixture('rise-scorm12-embedded-storyline-video.zip', folder);
      expect(inner.detection).toEqual({ version: '3.53.25436.0' });
      expect(inner.rise).toBeNull();
      expect(inner.output.title).toBe('Test_mob');
      expect(inner.output.pages.map((p) => [p.title, p.source, p.blocks])).toEqual([[null, 'html5/data/js/5aWehyVNec9.js', []]]);
      expect(inner.output.media).toEqual([
        { path: 'story_content/video_60P4A9Erzvj_18_160_720x404.mp4', durationSeconds: 14.097 },
      ]);
    });
  });
});


const text = textObject;
const menu = text('menu', ['Menu principal'], { xPos: 0, yPos: 0 });
const slide = (id: string, title: string, layers: unknown[]) => ({ title, id, width: 720, height: 540, slideLayers: layers });
const base = (objects: unknown[], extra: Record<string, unknown> = {}) => ({ kind: 'slidelayer', isBaseLayer: true, objects, ...extra });
const layer = (id: string, objects: unknown[]) => ({ kind: 'slidelayer', id, objects });
const showLayer = (id: string) => [{ kind: 'show_slidelayer', objRef: { type: 'string', value: id } }];

function storyFiles(): Record<string, string> {
  const data = {
    version: '3.80.0.0',
    tincanLanguage: 'en-US',
    assetLib: [
      { kind: 'asset', id: 0, url: 'mobile/extinguisher.png' },
      { kind: 'asset', id: 1, url: 'story_content/narration.mp3', duration: 12500 },
      // Captions made in Storyline's editor: named after the audio object, linked here to the file.
      { kind: 'asset', id: 2, url: 'story_content/6GtmLUcHx5B_44100_48_0.mp3', captions: 'story_content/5Vy1YYuxnd4_captions.js' },
    ],
    scenes: [
      { kind: 'scene', isMessageScene: true, slides: [{ kind: 'slide', id: 'InvalidPromptSlide', title: '<p>Invalid Answer</p>' }] },
      {
        kind: 'scene',
        id: 's1',
        slides: [
          { kind: 'slide', id: 'a1', title: 'Fire safety', html5url: 'html5/data/js/a1.js' },
          {
            kind: 'slide',
            id: 'b1',
            title: 'Which extinguisher suits electrical fires?',
            html5url: 'html5/data/js/b1.js',
            interactions: [
              {
                kind: 'interaction',
                id: 'q1',
                lmsId: 'MultiChoice',
                lmstext: 'Which extinguisher suits electrical fires?',
                type: 'multiplechoice',
                maxpoints: 10,
                choices: [
                  { kind: 'choice', id: 'choice_c1', lmstext: 'Water' },
                  { kind: 'choice', id: 'choice_c2', lmstext: 'Carbon dioxide' },
                ],
                answers: [
                  { kind: 'answer', id: 'x1', points: 0, status: 'incorrect', evaluate: { statements: [{ kind: 'equals', choiceid: 'choices.choice_c1' }] }, actions: showLayer('wrong') },
                  { kind: 'answer', id: 'x2', points: 10, status: 'correct', evaluate: { statements: [{ kind: 'equals', choiceid: 'choices.choice_c2' }] }, actions: [{ kind: 'if_action', thenActions: showLayer('right') }] },
                  { kind: 'answer', id: 'x3', points: 0, status: 'incorrect', evaluate: { statements: [{ kind: 'other' }] }, actions: showLayer('wrong') },
                ],
              },
            ],
          },
          {
            kind: 'slide',
            id: 'c1',
            title: 'Drag and Drop',
            html5url: 'html5/data/js/c1.js',
            interactions: [
              {
                kind: 'interaction',
                id: 'q2',
                lmsId: 'FreeFormDragDrop',
                lmstext: 'Drag and Drop',
                type: 'matching',
                maxpoints: 10,
                choices: [
                  { kind: 'choice', id: 'choice_d1', lmstext: 'Rectangle 2 - Paper' },
                  { kind: 'choice', id: 'choice_d2', lmstext: 'Rectangle 3 - Oil' },
                ],
                statements: [
                  { kind: 'statement', id: 'statement_t1', lmstext: 'Hotspot 1 - Rectangular Hotspot 1' },
                  { kind: 'statement', id: 'statement_t2', lmstext: 'Hotspot 2 - Rectangular Hotspot 2' },
                ],
                answers: [
                  {
                    kind: 'answer',
                    id: 'y1',
                    points: 10,
                    status: 'correct',
                    evaluate: {
                      statements: [
                        { kind: 'pair', choiceid: 'choices.choice_d1', statementid: 'statements.statement_t1' },
                        { kind: 'pair', choiceid: 'choices.choice_d2', statementid: 'statements.statement_t2' },
                      ],
                    },
                  },
                  { kind: 'answer', id: 'y2', points: 0, status: 'incorrect', evaluate: { statements: [{ kind: 'other' }] } },
                ],
              },
            ],
          },
          { kind: 'slide', id: 'd1', title: 'Untitled Slide', html5url: 'html5/data/js/d1.js' },
        ],
      },
    ],
    quizzes: [{ kind: 'quiz', lmstext: 'Fire quiz', passPercent: 80, sliderefs: [{ kind: 'slideref', id: '_player.s1.b1' }, { kind: 'slideref', id: '_player.s1.c1' }] }],
  };
  return {
    'meta.xml': '<?xml version="1.0"?><meta><project title="Fire &amp; Safety"><description>Basics</description><application name="Articulate Storyline" version="3.80.0.0" /></project></meta>',
    'story.html': '<html></html>',
    'html5/data/js/data.js': provideData('data', data),
    'html5/data/js/a1.js': provideData(
      'slide',
      slide('a1', 'Fire safety', [
        base(
          [
            menu,
            text('t1', ['Know your extinguisher.'], { textLib: [{ vartext: { blocks: [{ spans: [{ text: 'Welcome' }], style: { tagType: 'H1' } }] } }] }),
            {
              ...text('t2', []),
              textLib: [
                {
                  vartext: {
                    blocks: ['Pull the pin', 'Aim at the base'].map((item) => ({ spans: [{ text: `${item}\n` }], style: { listStyle: { listType: 'bullet' } } })),
                  },
                },
              ],
            },
            text('t3', ['Only ^%^10 of fires need %Name% to call for help.']),
            text('note', ['Author note: check the audio'], { xPos: 800 }),
            text('next', ['Next'], { accType: 'button' }),
            { kind: 'vectorshape', id: 'i1', accType: 'image', xPos: 0, yPos: 0, width: 10, height: 10, imagelib: [{ assetId: 0 }], data: { vectorData: { altText: 'A red fire extinguisher on a wall' } } },
            { kind: 'vectorshape', id: 'i2', accType: 'image', xPos: 0, yPos: 0, width: 10, height: 10, imagelib: [{ assetId: 0 }], data: { vectorData: { altText: 'Picture 3' } } },
          ],
          { audiolib: [{ kind: 'audio', assetId: 1 }] },
        ),
      ]),
    ),
    'html5/data/js/b1.js': provideData(
      'slide',
      slide('b1', 'Which extinguisher suits electrical fires?', [
        base([menu, text('p', ['Which extinguisher suits electrical fires?']), text('c1', ['Water'], { accType: 'radio' }), text('c2', ['Carbon dioxide'], { accType: 'radio' })]),
        layer('right', [text('r1', ['Correct!', 'CO2 leaves no residue and does not conduct.']), text('r2', ['Continue'], { accType: 'button' })]),
        layer('wrong', [text('w1', ['Not quite.', 'Water conducts electricity.'])]),
      ]),
    ),
    'html5/data/js/c1.js': provideData(
      'slide',
      slide('c1', 'Drag and Drop', [
        base([menu, text('h', ['Sort the fuels by fire class.']), text('d1', ['Paper and wood']), text('d2', ['Cooking oil']), text('t1', ['Class A']), text('t2', ['Class F'])]),
      ]),
    ),
    'html5/data/js/d1.js': provideData(
      'slide',
      slide('d1', 'Untitled Slide', [
        base([
          menu,
          text('end', ["You're done. Well done!"]),
          // Storyline 360 before the block model wrote each text as HTML.
          { ...text('old', []), textLib: [{ vartext: '<p style="text-align:left"><span style="font-family: \'Open Sans\'">Score: %Results.ScorePercent%^%^</span></p><ul><li>Review</li><li>Retry</li></ul>' }] },
          // Storyline 3 up to 3.11 published text as glyphs: its words are only in the alt text.
          { ...text('glyphs', []), textLib: [{ kind: 'textdata', type: 'vectortext', vectortext: { pr: { l: 'Lib', i: 50 } } }], data: { vectorData: { altText: 'Step 1\nKeep the exits clear.' } } },
          { ...text('shape', []), textLib: [{ kind: 'textdata', type: 'vectortext', vectortext: {} }], data: { vectorData: { altText: 'Rectangle 3' } } },
        ]),
      ]),
    ),
    'story_content/narration_captions.vtt': 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n',
    'story_content/5Vy1YYuxnd4_captions.js': provideData('caption', {
      data: encodeURIComponent('WEBVTT\r\nKind: captions\r\n\r\n00:00:00.000 --> 00:00:03.500\r\nPull the pin first.\r\n\r\n00:00:03.500 --> 00:00:07.000\r\nThen aim at the base of the fire.\r\n'),
    }),
    'story_content/user.js': 'function ExecuteScript(id) {}',
    'mobile/extinguisher.png': 'PNG',
  };
}

describe('Storyline decoder on a story with a quiz', () => {
  const view = memoryView(storyFiles());
  let output: ToolOutput;
  beforeAll(async () => {
    output = await storyline.extract(view);
  });

  it('reads course facts and one page per slide, message scenes aside', async () => {
    expect(await storyline.detect(view)).toEqual({ version: '3.80.0.0' });
    expect(output.title).toBe('Fire & Safety');
    expect(output.description).toBe('Basics');
    expect(output.language).toBe('en-US');
    expect(output.pages.map((p) => p.title)).toEqual(['Fire safety', 'Which extinguisher suits electrical fires?', 'Drag and Drop', null]);
    expect(view.warnings).toEqual([]);
  });

  it('keeps headings, lists, alt text and literal percents; drops chrome, variables, off-stage notes', () => {
    const page = output.pages[0];
    expect(page?.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Welcome' },
      { type: 'list', ordered: false, items: ['Pull the pin', 'Aim at the base'] },
      { type: 'paragraph', text: 'Only %10 of fires need to call for help.' },
      { type: 'image', alt: 'A red fire extinguisher on a wall', src: 'mobile/extinguisher.png' },
    ]);
    // "Menu principal" sits on every slide: custom navigation, whatever its language.
    expect(pageTexts(output).join('\n')).not.toContain('Menu principal');
    expect(pageTexts(output)[1]).toContain('CO2 leaves no residue and does not conduct.');
    expect(pageTexts(output)[1]).not.toContain('Continue');
    expect(output.pages[3]?.blocks).toEqual([
      { type: 'paragraph', text: "You're done. Well done!" },
      // "Score: %Results.ScorePercent%" labels a value the learner's play gives: no course text.
      { type: 'list', ordered: false, items: ['Review', 'Retry'] },
      { type: 'paragraph', text: 'Step 1' },
      { type: 'paragraph', text: 'Keep the exits clear.' },
    ]);
    expectCleanText(output);
  });

  it('reads questions with choices, correct answers, feedback layers, points and the quiz they belong to', () => {
    expect(output.assessments).toHaveLength(1);
    const [quiz] = output.assessments;
    expect(quiz).toMatchObject({ title: 'Fire quiz', passingScore: 80, pageIndex: 1, source: 'html5/data/js/b1.js' });
    const [choice, drag] = allQuestions(output) as [Question, Question];
    expect(choice).toMatchObject({
      id: 'q1',
      type: 'choice',
      prompt: 'Which extinguisher suits electrical fires?',
      correct_answers: ['Carbon dioxide'],
      feedback: { correct: 'Correct! CO2 leaves no residue and does not conduct.', incorrect: 'Not quite. Water conducts electricity.' },
      points: 10,
    });
    expect(choice.choices.map((c) => [c.text, c.correct])).toEqual([['Water', false], ['Carbon dioxide', true]]);
    // Freeform drag-and-drop: choices named after their objects read as the objects' text.
    expect(drag).toMatchObject({ type: 'drag_drop', points: 10, correct_answers: [] });
    expect(drag.matches).toEqual([
      { source: 'Paper and wood', target: 'Class A' },
      { source: 'Cooking oil', target: 'Class F' },
    ]);
  });

  it('reports media with durations, alt text and caption files', () => {
    expect(output.media).toEqual([
      { path: 'story_content/narration.mp3', durationSeconds: 12.5, captions: ['story_content/narration_captions.vtt'] },
      { path: 'mobile/extinguisher.png', altText: 'A red fire extinguisher on a wall' },
      {
        path: 'story_content/6GtmLUcHx5B_44100_48_0.mp3',
        transcript: {
          language: null,
          text: 'Pull the pin first. Then aim at the base of the fire.',
          cues: [
            { start: 0, end: 3.5, text: 'Pull the pin first.' },
            { start: 3.5, end: 7, text: 'Then aim at the base of the fire.' },
          ],
        },
      },
    ]);
  });

  it('warns about a slide file that is missing and reads the rest', async () => {
    const files = storyFiles();
    delete files['html5/data/js/c1.js'];
    const partial = memoryView(files);
    const out = await storyline.extract(partial);
    expect(out.pages).toHaveLength(4);
    expect(out.pages[2]?.blocks).toEqual([]);
    expect(partial.warnings.map((w) => w.code)).toEqual(['storyline_data_missing']);
  });

  it('is not claimed without Storyline files', async () => {
    expect(await storyline.detect(memoryView({ 'index.html': '<p>hi</p>', 'meta.xml': '<meta/>' }))).toBeNull();
  });
});

describe('Storyline data files', () => {
  it('decodes the JavaScript string without running it, and refuses other calls', () => {
    expect(readProvidedData("window.globalProvideData('slide', '{\"a\":\"it\\'s \\u00e9\\x41\\\\n\"}');", 'slide')).toEqual({ a: "it's éA\n" });
    expect(readProvidedData("window.globalProvideData('frame', '{}');", 'slide')).toBeUndefined();
    expect(readProvidedData('var data = {};')).toBeUndefined();
    expect(readProvidedData("window.globalProvideData('slide', {\"b\": 1});", 'slide')).toEqual({ b: 1 });
  });

  it('keeps alt text that describes, not file or default object names', () => {
    expect(meaningfulAlt('A chef cooking pasta')).toBe('A chef cooking pasta');
    expect(meaningfulAlt('Frame 78.png')).toBeNull();
    expect(meaningfulAlt('Rectangle 1')).toBeNull();
    expect(meaningfulAlt('Прямоугольник 3')).toBeNull();
    expect(meaningfulAlt('Picture 32')).toBeNull();
    expect(meaningfulAlt('')).toBeNull();
  });
});

describe('Storyline 360 freeform questions, feedback layers and result slides', () => {
  const group = (id: string, children: unknown[]) => ({ kind: 'stategroup', id, xPos: 20, yPos: 100, width: 300, height: 60, objects: children });
  const shape = (id: string, alt: string, accType: string) => ({ kind: 'vectorshape', id, accType, xPos: 0, yPos: 0, width: 40, height: 40, data: { vectorData: { altText: alt } } });
  const data = {
    scenes: [
      {
        kind: 'scene',
        id: 's1',
        slides: [
          {
            kind: 'slide',
            id: 'f1',
            title: 'Pick One',
            html5url: 'html5/data/js/f1.js',
            interactions: [
              {
                kind: 'interaction',
                id: 'q1',
                lmsId: 'FreeFormPickOne',
                lmstext: 'Pick One',
                type: 'multiplechoice',
                maxpoints: 10,
                choices: [
                  { kind: 'choice', id: 'choice_g1', lmstext: 'Picture 32' },
                  { kind: 'choice', id: 'choice_g2', lmstext: 'Picture 33' },
                  { kind: 'choice', id: 'choice_g3', lmstext: 'Oval 2' },
                ],
                answers: [
                  { kind: 'answer', id: 'a1', status: 'correct', points: 10, evaluate: { statements: [{ kind: 'equals', choiceid: 'choices.choice_g2' }] }, actions: showLayer('yes') },
                  { kind: 'answer', id: 'a2', status: 'incorrect', points: 0, evaluate: { statements: [{ kind: 'other' }] }, actions: showLayer('no') },
                ],
              },
            ],
          },
          { kind: 'slide', id: 'v1', title: 'Watch the drill', html5url: 'html5/data/js/v1.js' },
          { kind: 'slide', id: 'r1', title: 'Results', html5url: 'html5/data/js/r1.js' },
          { kind: 'slide', id: 'x1', title: 'images/step3.png', html5url: 'html5/data/js/x1.js' },
        ],
      },
    ],
  };
  const files = {
    'story.html': '<html></html>',
    'html5/data/js/data.js': provideData('data', data),
    'html5/data/js/f1.js': provideData(
      'slide',
      slide('f1', 'Pick One', [
        base([
          text('banner', ['SAFETY QUIZ']),
          // Rich variable text: the block model, under its own type.
          text('ask', [], {
            textLib: [{ kind: 'textdata', type: 'richvartext', vartext: { blocks: [{ spans: [{ text: 'Spilled oil is spreading on the floor. ' }, { text: 'What do you do first?\n' }] }] } }],
          }),
          group('g1', [shape('g1', 'Asset 1.png', 'radio'), text('g1t', ['Wipe it up with paper towels'])]),
          group('g2', [shape('g2', 'Asset 1.png', 'radio'), text('g2t', ['Cover it with absorbent granules'])]),
          shape('g3', 'Oval 2', 'radio'),
          group('submit', [shape('submit', 'Submit.png', 'button'), text('submitLabel', ['Check']), text('submitHover', ['Check'])]),
        ]),
        layer('yes', [text('y1', ['Well done. Granules stop the spill from spreading.'])]),
        layer('no', [text('n1', ['Not the best first step. Contain the spill before cleaning.']), group('retry', [shape('retry', 'Retry.png', 'button'), text('rl', ['Correction'])])]),
      ]),
    ),
    'html5/data/js/v1.js': provideData(
      'slide',
      slide('v1', 'Watch the drill', [
        base([
          { kind: 'video', id: 'vid', xPos: 0, yPos: 0, width: 720, height: 400, data: { videodata: { altText: 'Video video 1.mp4' } } },
          text('hint', ['Click or tap here to play and pause the video']),
          text('rect', [], { textLib: [{ kind: 'textdata', type: 'vectortext' }], data: { vectorData: { altText: 'Straight Arrow Connector 4' } } }),
        ]),
      ]),
    ),
    'html5/data/js/x1.js': provideData('slide', slide('x1', 'images/step3.png', [base([text('step', ['Step three: report the spill.'])])])),
    'html5/data/js/r1.js': provideData(
      'slide',
      slide('r1', 'Results', [
        base([text('score', ['Your score: %Results.ScorePercent%%']), text('pass', ['Passing score: %Results.PassPercent%%'])]),
        layer('passed', [text('p1', ['You passed. Your badge is on its way.'])]),
        layer('failed', [text('f1', ['You did not pass this time. Review the spill procedure and retry.'])]),
      ]),
    ),
  };
  let output: ToolOutput;
  beforeAll(async () => {
    output = await storyline.extract(memoryView(files));
  });

  it("asks the slide's question with the objects' visible text as choices, never their names", () => {
    const [question] = allQuestions(output) as [Question];
    expect(question).toMatchObject({
      type: 'choice',
      prompt: 'Spilled oil is spreading on the floor. What do you do first?',
      correct_answers: ['Cover it with absorbent granules'],
      points: 10,
    });
    expect(question.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Wipe it up with paper towels', false],
      ['Cover it with absorbent granules', true],
    ]);
  });

  it('takes feedback from the layers the answers show, without their buttons', () => {
    const [question] = allQuestions(output) as [Question];
    expect(question.feedback).toEqual({
      correct: 'Well done. Granules stop the spill from spreading.',
      incorrect: 'Not the best first step. Contain the spill before cleaning.',
    });
    expect(pageTexts(output)[0]).not.toMatch(/Check|Correction/);
  });

  it('lists a slide without text under its title, without player prompts or default names; a file name is no title', () => {
    expect(output.pages.map((p) => p.title)).toEqual(['Pick One', 'Watch the drill', 'Results', null]);
    expect(output.pages[1]?.blocks).toEqual([]);
  });

  it('keeps the result messages, not the lines that only show a score', () => {
    expect(pageTexts(output)[2]).toBe('You passed. Your badge is on its way.\n\nYou did not pass this time. Review the spill procedure and retry.');
  });
});
