import { beforeAll, describe, expect, it } from 'vitest';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData, textObject } from '../../support/storyline-data.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

/*
 * Choices a learner picks that show no text of their own: pictures and icons (a freeform pick one
 * or pick many), known by their alt text, by a caption on, under or beside them, or, in a grid of
 * ticks and crosses, by their row's statement and their column's heading. And choices that sit off
 * the stage (checkboxes that triggers tick), whose own text is all that names them.
 */

const text = (id: string, line: string, x: number, y: number, width = 200, height = 30) => textObject(id, [line], { xPos: x, yPos: y, width, height });
/** A picture: a shape filled with an image, its alt text Storyline's default (the file's name) unless the author wrote one. */
const picture = (id: string, alt: string, x: number, y: number, accType = 'radio', size = 80) => ({
  kind: 'vectorshape',
  id,
  accType,
  xPos: x,
  yPos: y,
  width: size,
  height: size,
  imagelib: [{ kind: 'imagedata', assetId: 1, altText: alt }],
  data: { vectorData: { altText: alt } },
});
/** A checkbox shape of a state group: its normal state is the group's own id. */
const icon = (id: string, file: string, x: number, y: number) => ({ kind: 'stategroup', id, xPos: x, yPos: y, width: 40, height: 40, objects: [picture(id, file, 0, 0, 'checkbox', 40)] });
const choice = (id: string, lmstext: string) => ({ kind: 'choice', id: `choice_${id}`, lmstext });
const correct = (...ids: string[]) => [
  { kind: 'answer', id: 'right', status: 'correct', points: 10, evaluate: { statements: ids.map((id) => ({ kind: 'equals', choiceid: `choices.choice_${id}` })) } },
  { kind: 'answer', id: 'wrong', status: 'incorrect', points: 0, evaluate: { statements: [{ kind: 'other' }] } },
];
const interaction = (id: string, lmsId: string, type: string, choices: unknown[], answers: unknown[]) => ({ kind: 'interaction', id, lmsId, lmstext: lmsId.endsWith('One') ? 'Pick One' : 'Pick Many', type, maxpoints: 10, choices, answers });
const slide = (id: string, objects: unknown[]) => ({ id, title: 'Untitled Slide', width: 720, height: 540, slideLayers: [{ kind: 'slidelayer', isBaseLayer: true, objects }] });

const story = {
  scenes: [
    {
      kind: 'scene',
      id: 's1',
      slides: [
        {
          kind: 'slide',
          id: 'tools',
          html5url: 'html5/data/js/tools.js',
          interactions: [
            interaction(
              'pickTool',
              'FreeFormPickOne',
              'multiplechoice',
              [choice('kettle', 'Picture 3'), choice('whisk', 'Picture 4'), choice('sieve', 'Picture 5'), choice('ladle', 'Picture 6')],
              correct('sieve'),
            ),
          ],
        },
        {
          kind: 'slide',
          id: 'frames',
          html5url: 'html5/data/js/frames.js',
          interactions: [interaction('pickBread', 'FreeFormPickOne', 'multiplechoice', [choice('f1', 'Rectangle 2'), choice('f2', 'Rectangle 3'), choice('f3', 'Rectangle 4')], correct('f2'))],
        },
        {
          kind: 'slide',
          id: 'grid',
          html5url: 'html5/data/js/grid.js',
          interactions: [
            interaction(
              'yesNo',
              'FreeFormPickMany',
              'multipleresponse',
              [choice('yes1', 'Picture 11'), choice('no1', 'Picture 12'), choice('yes2', 'Picture 13'), choice('no2', 'Picture 14')],
              correct('yes1', 'no2'),
            ),
          ],
        },
        {
          kind: 'slide',
          id: 'board',
          html5url: 'html5/data/js/board.js',
          interactions: [
            interaction(
              'spices',
              'FreeFormPickMany',
              'multipleresponse',
              ['Cumin', 'Rectangle 3', 'Rectangle 4', 'Saffron', 'Rectangle 6', 'Rectangle 7', 'Sumac', 'Rectangle 9', 'Rectangle 10'].map((name, i) => choice(`c${i + 1}`, name)),
              correct('c1', 'c2', 'c5'),
            ),
          ],
        },
        {
          kind: 'slide',
          id: 'flags',
          html5url: 'html5/data/js/flags.js',
          interactions: [interaction('spots', 'FreeFormPickMany', 'multipleresponse', [choice('s1', 'Sender address'), choice('s2', 'Deadline')], correct('s1', 's2'))],
        },
        {
          kind: 'slide',
          id: 'blank',
          html5url: 'html5/data/js/blank.js',
          interactions: [
            {
              ...interaction('opposite', 'FreeFormDragDrop', 'matching', [choice('w1', 'Rectangle 2 - Gentle'), choice('w2', 'Rectangle 3 - Rough'), choice('w3', 'Rectangle 4 - Quick')], []),
              lmstext: 'Drag and Drop',
              statements: [{ kind: 'statement', id: 'statement_spot', lmstext: 'Hotspot 1 - Rectangular Hotspot 1' }],
              answers: [
                { kind: 'answer', id: 'right', status: 'correct', points: 10, evaluate: { statements: [{ kind: 'pair', choiceid: 'choices.choice_w2', statementid: 'statements.statement_spot' }] } },
                { kind: 'answer', id: 'wrong', status: 'incorrect', points: 0, evaluate: { statements: [{ kind: 'other' }] } },
              ],
            },
          ],
        },
        {
          kind: 'slide',
          id: 'wordless',
          html5url: 'html5/data/js/wordless.js',
          interactions: [interaction('sour', 'FreeFormPickOne', 'multiplechoice', [choice('lemon', 'Picture 1'), choice('melon', 'Picture 2')], correct('lemon'))],
        },
        {
          kind: 'slide',
          id: 'lines',
          html5url: 'html5/data/js/lines.js',
          interactions: [interaction('hidden', 'FreeFormPickMany', 'multipleresponse', [choice('h1', 'A1'), choice('h2', 'A2')], correct('h1'))],
        },
      ],
    },
  ],
};

const spices = ['Cumin', 'Fennel seed', 'Star anise', 'Saffron', 'Nutmeg', 'Cardamom', 'Sumac', 'Caraway', 'Allspice'];

const files = {
  'story.html': '<html></html>',
  'html5/data/js/data.js': provideData('data', story),
  'html5/data/js/tools.js': provideData(
    'slide',
    slide('tools', [
      text('ask', 'Which tool drains boiled pasta?', 20, 20, 500),
      // An alt text of one word names its picture.
      picture('kettle', 'Kettle', 20, 100),
      // A file name says nothing: the caption under the picture does.
      picture('whisk', 'whisk_photo.png', 140, 100),
      text('whiskCaption', 'Balloon whisk', 130, 185, 100, 24),
      // A caption written on the picture.
      picture('sieve', 'Picture 5', 260, 100),
      text('sieveCaption', 'Fine sieve', 265, 125, 70, 24),
      // An icon with its caption beside it, on its row.
      picture('ladle', 'icon-07.png', 20, 300, 'radio', 40),
      text('ladleCaption', 'Soup ladle', 80, 305, 200, 30),
    ]),
  ),
  'html5/data/js/frames.js': provideData(
    'slide',
    slide('frames', [
      text('ask', 'Click the loaf that has proved too long.', 20, 20, 500),
      // Photos with no words anywhere, each under a clear frame to click: still choices to pick.
      ...[1, 2, 3].flatMap((n) => [
        picture(`p${n}`, `loaf${n}.jpg`, 20 + (n - 1) * 220, 100, 'image', 180),
        { kind: 'vectorshape', id: `f${n}`, accType: 'radio', xPos: 10 + (n - 1) * 220, yPos: 90, width: 200, height: 200, data: { vectorData: { altText: 'Rectangle 5' } } },
      ]),
      // An instruction under the first photo is not its caption.
      text('hint', 'Choose the right answer', 0, 330, 300, 40),
    ]),
  ),
  'html5/data/js/grid.js': provideData(
    'slide',
    slide('grid', [
      text('ask', 'Tick yes or no for each statement.', 20, 20, 500),
      text('yesHead', 'Yes', 300, 100, 60, 30),
      text('noHead', 'No', 380, 100, 60, 30),
      text('row1', 'Raw chicken goes on the bottom shelf', 460, 150, 250, 40),
      text('row2', 'Rice can stay warm all day', 460, 220, 250, 40),
      icon('yes1', 'tick.png', 310, 150),
      icon('no1', 'cross.png', 390, 150),
      icon('yes2', 'tick.png', 310, 220),
      icon('no2', 'cross.png', 390, 220),
    ]),
  ),
  'html5/data/js/board.js': provideData(
    'slide',
    slide('board', [
      text('ask', 'Drag the spices of a curry onto the board.', 20, 20, 500),
      // Checkboxes left off the stage, ticked by triggers: their text is the answer.
      ...spices.map((name, i) => ({ ...text(`c${i + 1}`, name, 760, 20 + i * 50, 150, 40), accType: 'checkbox' })),
    ]),
  ),
  'html5/data/js/flags.js': provideData(
    'slide',
    slide('flags', [
      picture('mail', 'inbox_screenshot.png', 0, 60, 'image', 500),
      // Transparent spots over a screenshot, named by the author, beside a tall instruction box.
      { kind: 'vectorshape', id: 's1', accType: 'checkbox', xPos: 340, yPos: 120, width: 200, height: 20, data: { vectorData: { altText: 'Rectangle 1' } } },
      { kind: 'vectorshape', id: 's2', accType: 'checkbox', xPos: 340, yPos: 250, width: 60, height: 16, data: { vectorData: { altText: 'Rectangle 1' } } },
      text('ask', 'Select the two warning signs in this message', 40, 110, 270, 230),
    ]),
  ),
  'html5/data/js/blank.js': provideData(
    'slide',
    slide('blank', [
      text('ask', 'Drag the opposite of smooth into the gap:', 20, 20, 500),
      text('w1', 'Gentle', 20, 300, 100),
      text('w2', 'Rough', 140, 300, 100),
      text('w3', 'Quick', 260, 300, 100),
      { kind: 'vectorshape', id: 'spot', accType: 'hotspot', xPos: 200, yPos: 150, width: 120, height: 40, data: { vectorData: { altText: 'Rectangular Hotspot 1' } } },
    ]),
  ),
  'html5/data/js/wordless.js': provideData('slide', slide('wordless', [picture('lemon', 'Lemon', 20, 100), picture('melon', 'Melon', 200, 100)])),
  'html5/data/js/lines.js': provideData(
    'slide',
    slide('lines', [
      text('ask', 'Draw a line from each knife to its use.', 20, 20, 500),
      // Off the stage and without text: names only the author sees.
      { kind: 'vectorshape', id: 'h1', accType: 'checkbox', xPos: 800, yPos: 500, width: 50, height: 20, data: { vectorData: { altText: 'Rectangle 11' } } },
      { kind: 'vectorshape', id: 'h2', accType: 'checkbox', xPos: 800, yPos: 530, width: 50, height: 20, data: { vectorData: { altText: 'Rectangle 11' } } },
    ]),
  ),
};

describe('Storyline choices without text of their own', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await storyline.extract(memoryView(files));
  });

  it('names picture choices by alt text, else by their caption on, under or beside them', () => {
    const q = questionWith(output, 'Which tool drains boiled pasta?');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Kettle', false],
      ['Balloon whisk', false],
      ['Fine sieve', true],
      ['Soup ladle', false],
    ]);
    expect(q.correct_answers).toEqual(['Fine sieve']);
  });

  it('keeps pictures without words as choices, told apart by their place, so which one is correct is known', () => {
    const q = questionWith(output, 'Click the loaf that has proved too long.');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Image 1', false],
      ['Image 2', true],
      ['Image 3', false],
    ]);
    expect(q.correct_answers).toEqual(['Image 2']);
  });

  it("tells the ticks and crosses of a grid apart by their row's statement and their column's heading", () => {
    const q = questionWith(output, 'Tick yes or no for each statement.');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Raw chicken goes on the bottom shelf: Yes', true],
      ['Raw chicken goes on the bottom shelf: No', false],
      ['Rice can stay warm all day: Yes', false],
      ['Rice can stay warm all day: No', true],
    ]);
  });

  it('keeps every answer of a quiz built from checkboxes off the stage, by their own text', () => {
    const q = questionWith(output, 'Drag the spices of a curry onto the board.');
    expect(q.choices.map((c) => c.text)).toEqual(spices);
    expect(q.correct_answers).toEqual(['Cumin', 'Fennel seed', 'Nutmeg']);
  });

  it('keeps the names an author gave to spots without text, whatever text sits beside them', () => {
    const q = questionWith(output, 'Select the two warning signs in this message');
    expect(q.choices.map((c) => c.text)).toEqual(['Sender address', 'Deadline']);
  });

  it('marks the items to drop onto a drop target that shows and says nothing', () => {
    const q = questionWith(output, 'Drag the opposite of smooth into the gap:');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Gentle', false],
      ['Rough', true],
      ['Quick', false],
    ]);
    expect(q.correct_answers).toEqual(['Rough']);
  });

  it('asks nothing rather than the name Storyline gives a question, when the slide says nothing', () => {
    const q = output.assessments.flatMap((a) => a.questions).find((found) => found.id === 'sour');
    expect(q).toMatchObject({ prompt: '', correct_answers: ['Lemon'] });
    expect(q?.choices.map((c) => c.text)).toEqual(['Lemon', 'Melon']);
  });

  it('never names a choice by a file name, a default object name or a name the learner cannot see', () => {
    const texts = output.assessments.flatMap((a) => a.questions.flatMap((q) => q.choices.map((c) => c.text)));
    for (const t of texts) expect(t).not.toMatch(/\.png$|^Picture \d+$|^Rectangle \d+$|^A\d$/);
    // What sits off the stage is never page text.
    expect(pageTexts(output).join('\n')).not.toMatch(/Cumin|Allspice/);
  });
});

describe('Storyline slide text of button lists and vector text', () => {
  const button = (id: string, label: string, y: number) => ({ ...textObject(id, [label], { xPos: 100, yPos: y, width: 400, height: 40 }), accType: 'button' });
  /** Text Storyline 3 published as glyphs: its words are in the alt text. */
  const glyphs = (id: string, alt: string) => ({ kind: 'vectorshape', id, accType: 'text', xPos: 20, yPos: 20, width: 400, height: 60, textLib: [{ kind: 'textdata', type: 'vectortext' }], data: { vectorData: { altText: alt } } });
  const data = { scenes: [{ kind: 'scene', id: 's1', slides: [{ kind: 'slide', id: 'tools', html5url: 'html5/data/js/tools.js' }] }] };
  const tools = {
    id: 'tools',
    title: 'Tools',
    width: 720,
    height: 540,
    slideLayers: [
      {
        kind: 'slidelayer',
        isBaseLayer: true,
        objects: [
          glyphs('g1', 'Engaging the audience\\n70^%^ of listeners drift off'),
          button('b1', 'Polls', 100),
          button('b2', 'Word clouds', 150),
          button('b3', 'Questions sent from phones', 200),
          button('b4', 'A live quiz with a leaderboard', 250),
          button('b5', 'Shared whiteboards for small groups', 300),
        ],
      },
    ],
  };

  it('keeps the short labels of a list of four buttons or more, and a literal percent of vector text', async () => {
    const output = await storyline.extract(memoryView({ 'story.html': '<html></html>', 'html5/data/js/data.js': provideData('data', data), 'html5/data/js/tools.js': provideData('slide', tools) }));
    expect(pageTexts(output)).toEqual([
      [
        'Engaging the audience',
        '70% of listeners drift off',
        'Polls',
        'Word clouds',
        'Questions sent from phones',
        'A live quiz with a leaderboard',
        'Shared whiteboards for small groups',
      ].join('\n\n'),
    ]);
  });
});

describe('Storyline menus a course builds on its slide master', () => {
  /** A tab: a state group of shapes, its normal state the group's own id, another state (visited) with the same label. */
  const tab = (id: string, label: string, x: number) => ({
    kind: 'stategroup',
    id,
    xPos: x,
    yPos: 0,
    width: 120,
    height: 40,
    objects: [textObject(id, [label], { xPos: 0, yPos: 0, width: 120, height: 40 }), textObject(`${id}v`, [label], { xPos: 0, yPos: 0, width: 120, height: 40 })],
  });
  const next = { ...textObject('next', ['Weiter'], { xPos: 600, yPos: 500, width: 100, height: 30 }), accType: 'button' };
  const ids = ['a', 'b', 'c', 'd'];
  const data = { scenes: [{ kind: 'scene', id: 's1', slides: ids.map((id) => ({ kind: 'slide', id, html5url: `html5/data/js/${id}.js` })) }] };
  const files: Record<string, string> = { 'story.html': '<html></html>', 'html5/data/js/data.js': provideData('data', data) };
  for (const [i, id] of ids.entries()) {
    const objects = [tab(`${id}1`, 'Causes', 0), tab(`${id}2`, 'Timing', 130), tab(`${id}3`, 'Toolbox', 260), next, textObject(`${id}t`, [`Topic ${'ABCD'[i]} explained in a sentence.`], { yPos: 100 })];
    files[`html5/data/js/${id}.js`] = provideData('slide', { id, title: `Topic ${i + 1}`, width: 720, height: 540, slideLayers: [{ kind: 'slidelayer', isBaseLayer: true, objects }] });
  }

  it('keeps the tabs of a menu once, where they first show, and drops a navigation button', async () => {
    const output = await storyline.extract(memoryView(files));
    expect(pageTexts(output)).toEqual([
      'Causes\n\nTiming\n\nToolbox\n\nTopic A explained in a sentence.',
      'Topic B explained in a sentence.',
      'Topic C explained in a sentence.',
      'Topic D explained in a sentence.',
    ]);
  });
});

describe('a Storyline question of 60,000 pictures, each with a caption', () => {
  // Each choice is placed against the slide's objects only in a question a learner can see: on
  // quadratic code this runs for many minutes and times out.
  it('keeps every choice and which one is correct, in time linear in the slide', async () => {
    const count = 60_000;
    const ids = Array.from({ length: count }, (_, i) => `p${i}`);
    // Rows of nine, four rows to the stage: the pictures lie on top of each other, as on layers.
    const place = (i: number) => [(i % 9) * 80, (Math.floor(i / 9) % 4) * 120] as const;
    const objects = ids.flatMap((id, i) => [picture(id, `Picture ${i + 2}`, ...place(i)), text(`${id}c`, `Caption ${i}`, place(i)[0], place(i)[1] + 85, 80)]);
    const data = {
      scenes: [{ kind: 'scene', id: 's1', slides: [{ kind: 'slide', id: 'many', html5url: 'html5/data/js/many.js', interactions: [interaction('pickMany', 'FreeFormPickOne', 'multiplechoice', ids.map((id, i) => choice(id, `Picture ${i + 2}`)), correct('p7'))] }] }],
    };
    const output = await storyline.extract(
      memoryView({ 'story.html': '<html></html>', 'html5/data/js/data.js': provideData('data', data), 'html5/data/js/many.js': provideData('slide', slide('many', objects)) }),
    );
    const [q] = allQuestions(output);
    expect(q?.choices).toHaveLength(count);
    expect(q?.choices.filter((c) => c.correct)).toEqual([expect.objectContaining({ id: 'p7' })]);
  }, 60_000);
});
