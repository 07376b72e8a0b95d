import { beforeAll, describe, expect, it } from 'vitest';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData, textObject } from '../../support/storyline-data.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

/*
 * Questions whose answers are told by where things sit on the slide: drop boxes labelled beside
 * them on their row (a table of definitions, a numbered diagram), choices that repeat the same
 * words in every row of a grid, hotspots drawn on a picture, drag items that are file extensions,
 * and a group holding the choices, which is no question.
 */

const text = (id: string, line: string, x: number, y: number, width = 200, height = 30, accType = 'text') =>
  textObject(id, [line], { xPos: x, yPos: y, width, height, accType });
/** Text published as vector glyphs: the words are only in the object's alt text. */
const vectorText = (id: string, alt: string, x: number, y: number, width: number, height: number) => ({
  kind: 'vectorshape',
  id,
  accType: 'text',
  xPos: x,
  yPos: y,
  width,
  height,
  textLib: [{ kind: 'textdata', type: 'vectortext', vectortext: { left: 0, top: 0, right: width, bottom: height } }],
  data: { vectorData: { altText: alt } },
});
/** An empty shape: a drop box or a spot to click, known to the author by Storyline's default name. */
const shape = (id: string, x: number, y: number, width: number, height: number, accType = 'text') => ({ kind: 'vectorshape', id, accType, xPos: x, yPos: y, width, height });
const slide = (id: string, objects: unknown[]) => ({ id, title: 'Untitled Slide', width: 720, height: 540, slideLayers: [{ kind: 'slidelayer', isBaseLayer: true, objects }] });
const pairs = (list: [string, string][]) => [
  { kind: 'answer', id: 'right', status: 'correct', points: 10, evaluate: { statements: list.map(([c, s]) => ({ kind: 'pair', choiceid: `choices.choice_${c}`, statementid: `statements.statement_${s}` })) } },
  { kind: 'answer', id: 'wrong', status: 'incorrect', points: 0, evaluate: { statements: [{ kind: 'other' }] } },
];
const equals = (...ids: string[]) => [
  { kind: 'answer', id: 'right', status: 'correct', points: 10, evaluate: { statements: ids.map((id) => ({ kind: 'equals', choiceid: `choices.choice_${id}` })) } },
  { kind: 'answer', id: 'wrong', status: 'incorrect', points: 0, evaluate: { statements: [{ kind: 'other' }] } },
];
const dragDrop = (id: string, lmstext: string, items: [string, string][], boxes: [string, string][], answers: unknown[]) => ({
  kind: 'interaction',
  id,
  lmsId: 'FreeFormDragDrop',
  lmstext,
  type: 'matching',
  choices: items.map(([c, label]) => ({ kind: 'choice', id: `choice_${c}`, lmstext: label })),
  statements: boxes.map(([s, label]) => ({ kind: 'statement', id: `statement_${s}`, lmstext: label })),
  answers,
});
const pick = (id: string, lmsId: string, lmstext: string, type: string, choices: [string, string][], answers: unknown[]) => ({
  kind: 'interaction',
  id,
  lmsId,
  lmstext,
  type,
  choices: choices.map(([c, label]) => ({ kind: 'choice', id: `choice_${c}`, lmstext: label })),
  answers,
});
const storySlide = (id: string, interactions: unknown[]) => ({ kind: 'slide', id, html5url: `html5/data/js/${id}.js`, interactions });

const story = {
  scenes: [
    {
      kind: 'scene',
      id: 's1',
      slides: [
        storySlide('table', [
          dragDrop(
            'tableQ',
            'Arrastrar y soltar',
            [['i1', 'Grupo 1'], ['i2', 'Grupo 2']],
            [['b1', 'Rectángulo 7'], ['b2', 'Rectángulo 8']],
            pairs([['i1', 'b2'], ['i2', 'b1']]),
          ),
        ]),
        storySlide('numbers', [
          dragDrop(
            'numbersQ',
            'Drag and Drop',
            [['n1', 'Rectangle 30 - Stamen'], ['n2', 'Rectangle 31 - Petal'], ['n3', 'Rectangle 32 - Root']],
            [['d1', 'Rectangle 40 - Rectangle 40'], ['d2', 'Rectangle 41 - Rectangle 41']],
            pairs([['n1', 'd2'], ['n2', 'd1']]),
          ),
        ]),
        storySlide('cards', [
          dragDrop(
            'cardsQ',
            'Drag and Drop',
            [['k1', 'Group 5'], ['k2', 'Group 6']],
            [['t1', 'Picture 1 - card.png'], ['t2', 'Picture 2 - card.png']],
            pairs([['k1', 't2'], ['k2', 't1']]),
          ),
        ]),
        storySlide('formats', [
          dragDrop(
            'formatsQ',
            'Drag and Drop',
            [['x1', 'png - .png'], ['x2', 'svg - .svg']],
            [['g1', 'bitmap 1 - Group'], ['g2', 'vector 2 - Group']],
            pairs([['x1', 'g1'], ['x2', 'g2']]),
          ),
        ]),
        storySlide('spot', [
          pick('spotQ', 'HotSpot', 'Click the part of the leaf that makes food.', 'hotspot', [['area', 'Oval Hotspot 1'], ['incorrect', 'Incorrect']], equals('area')),
        ]),
        storySlide('toolbar', [
          pick(
            'toolbarQ',
            'HotSpot',
            'Click the tool that trims a photo.',
            'hotspot',
            [['s1', 'Rectangular Hotspot 1'], ['trim', 'Trim'], ['s3', 'Rectangular Hotspot 3'], ['incorrect', 'Incorrect']],
            equals('trim'),
          ),
        ]),
        storySlide('order', [
          {
            kind: 'interaction',
            id: 'orderQ',
            lmsId: 'Sequence',
            lmstext: 'Put the steps of making tea in order.',
            type: 'sequence',
            choices: [
              { kind: 'choice', id: 'choice_boil', lmstext: 'Boil the water' },
              { kind: 'choice', id: 'choice_pour', lmstext: 'Pour it on the leaves' },
            ],
            statements: [
              { kind: 'statement', id: 'statement_boil', lmstext: '1' },
              { kind: 'statement', id: 'statement_pour', lmstext: '2' },
            ],
            answers: pairs([['boil', 'boil'], ['pour', 'pour']]),
          },
        ]),
        storySlide('pictures', [
          dragDrop(
            'picturesQ',
            'Drag and Drop',
            [['p1', 'Rectangle 30 - Anchor'], ['p2', 'Rectangle 31 - Compass']],
            [['u1', 'Rectangle 40 - Rectangle 40'], ['u2', 'Rectangle 41 - Rectangle 41']],
            pairs([['p1', 'u2'], ['p2', 'u1']]),
          ),
        ]),
        storySlide('cardsMenu', []),
        storySlide('grid', [
          pick('gridQ', 'FreeFormPickMany', 'Escoger muchos', 'multipleresponse', [['t1', 'T'], ['f1', 'F'], ['t2', 'T'], ['f2', 'F']], equals('t1', 'f2')),
        ]),
        storySlide('stacked', [
          pick('stackedQ', 'FreeFormPickMany', 'Escoger muchos', 'multipleresponse', [['a1', 'Copper'], ['a2', 'Glass'], ['b1', 'Copper'], ['b2', 'Glass']], equals('a1', 'b2')),
        ]),
        storySlide('grouped', [
          pick('groupedQ', 'FreeFormPickOne', 'Escoger uno', 'multiplechoice', [['o1', 'Harbour'], ['o2', 'Lighthouse'], ['o3', 'Canal']], equals('o2')),
        ]),
      ],
    },
  ],
};

const files = {
  'story.html': '<html></html>',
  'html5/data/js/data.js': provideData('data', story),
  // A table: a header row, then a drop box per row with its definition beside it on the right.
  'html5/data/js/table.js': provideData(
    'slide',
    slide('table', [
      text('ask', 'Drag each tool to the job it does.', 20, 20, 600),
      text('h1', 'TOOL', 200, 100, 180, 30),
      text('h2', 'JOB', 400, 100, 300, 30),
      shape('b1', 200, 140, 180, 60),
      text('j1', 'Cuts thin slices of bread.', 400, 150, 300, 40),
      shape('b2', 200, 220, 180, 60),
      text('j2', 'Whisks egg whites into foam.', 400, 230, 300, 40),
      text('i1', 'Balloon whisk', 20, 140, 160, 40),
      text('i2', 'Bread knife', 20, 220, 160, 40),
    ]),
  ),
  // A numbered diagram: each drop box has its number beside it on the left.
  'html5/data/js/numbers.js': provideData(
    'slide',
    slide('numbers', [
      text('ask', 'Drag each name onto the number of the part it names.', 20, 20, 600),
      text('l1', '1', 380, 150, 25, 25),
      shape('d1', 410, 145, 150, 35),
      text('l2', '2', 380, 220, 25, 25),
      shape('d2', 410, 215, 150, 35),
      text('n1', 'Stamen', 20, 300, 120, 35),
      text('n2', 'Petal', 160, 300, 120, 35),
      text('n3', 'Root', 300, 300, 120, 35),
    ]),
  ),
  // Cards with their description high up; the drop zone sits at the card's foot, further below than a line.
  'html5/data/js/cards.js': provideData(
    'slide',
    slide('cards', [
      text('ask', 'Drag each name under the description it matches.', 20, 10, 600),
      text('c1', 'Keeps food cold for weeks.', 40, 80, 200, 120),
      shape('t1', 20, 240, 240, 80),
      text('c2', 'Cooks food with microwaves.', 320, 80, 200, 80),
      shape('t2', 300, 240, 240, 80),
      text('k1', 'Microwave oven', 40, 400, 200, 40),
      text('k2', 'Freezer', 320, 400, 200, 40),
    ]),
  ),
  // Drag items that show a file extension (as vector text), dropped into labelled groups.
  'html5/data/js/formats.js': provideData(
    'slide',
    slide('formats', [
      text('ask', 'Sort the file types into bitmap and vector.', 20, 10, 600),
      vectorText('x1', '.png', 40, 80, 80, 40),
      vectorText('x2', '.svg', 140, 80, 80, 40),
      { kind: 'objgroup', id: 'g1', accType: 'text', xPos: 20, yPos: 200, width: 300, height: 200, objects: [text('g1t', 'Bitmap', 10, 80, 280, 40)] },
      { kind: 'objgroup', id: 'g2', accType: 'text', xPos: 360, yPos: 200, width: 300, height: 200, objects: [text('g2t', 'Vector', 10, 80, 280, 40)] },
    ]),
  ),
  // A spot drawn on a picture, with no name of its own.
  'html5/data/js/spot.js': provideData(
    'slide',
    slide('spot', [
      text('ask', 'Click the part of the leaf that makes food.', 20, 10, 600),
      { kind: 'vectorshape', id: 'leaf', accType: 'image', xPos: 100, yPos: 80, width: 400, height: 300, imagelib: [{ kind: 'imagedata', assetId: 1, altText: 'leaf.jpg' }], data: { vectorData: { altText: 'leaf.jpg' } } },
      { ...shape('area', 250, 150, 80, 60, 'hotspot'), data: { vectorData: { altText: 'Oval Hotspot 1' } } },
    ]),
  ),
  // A screenshot of a toolbar: one spot named by the author, the others not.
  'html5/data/js/toolbar.js': provideData(
    'slide',
    slide('toolbar', [
      { kind: 'vectorshape', id: 'shot', accType: 'image', xPos: 0, yPos: 60, width: 700, height: 60, imagelib: [{ kind: 'imagedata', assetId: 1, altText: 'toolbar.png' }] },
      ...['s1', 'trim', 's3'].map((id, i) => shape(id, 20 + i * 60, 70, 40, 40, 'hotspot')),
    ]),
  ),
  'html5/data/js/order.js': provideData('slide', slide('order', [text('boil', 'Boil the water', 20, 100), text('pour', 'Pour it on the leaves', 20, 160)])),
  // Pictures without words, each with an empty drop box under it.
  'html5/data/js/pictures.js': provideData(
    'slide',
    slide('pictures', [
      text('ask', 'Drag each name under its picture.', 20, 10, 600),
      { kind: 'vectorshape', id: 'pic1', accType: 'image', xPos: 40, yPos: 60, width: 120, height: 100, imagelib: [{ kind: 'imagedata', assetId: 1, altText: 'IMG_0041.JPG' }] },
      shape('u1', 30, 170, 140, 40),
      { kind: 'vectorshape', id: 'pic2', accType: 'image', xPos: 240, yPos: 60, width: 120, height: 100, imagelib: [{ kind: 'imagedata', assetId: 2, altText: 'IMG_0042.JPG' }] },
      shape('u2', 230, 170, 140, 40),
      text('p1', 'Anchor', 40, 300, 120, 35),
      text('p2', 'Compass', 240, 300, 120, 35),
    ]),
  ),
  // Large cards to tap, each a button with a picture and a short name: the names are content.
  'html5/data/js/cardsMenu.js': provideData(
    'slide',
    slide('cardsMenu', [
      text('ask', 'Tap a habit to see it in action', 20, 10, 600),
      text('card1', 'Composting', 20, 60, 200, 300, 'button'),
      text('card2', 'Reusing glass jars', 240, 60, 200, 300, 'button'),
      text('card3', 'Repairing old clothes', 460, 60, 200, 300, 'button'),
      text('nav', 'Next', 600, 480, 100, 40, 'button'),
    ]),
  ),
  // A grid: a statement per row, then a T and an F to tick.
  'html5/data/js/grid.js': provideData(
    'slide',
    slide('grid', [
      text('ask', 'Mark each statement true (T) or false (F).', 20, 10, 600),
      text('hT', 'T', 520, 60, 40, 30),
      text('hF', 'F', 600, 60, 40, 30),
      text('r1', 'Ice floats on water.', 20, 110, 450, 40),
      text('t1', 'T', 520, 110, 40, 40, 'checkbox'),
      text('f1', 'F', 600, 110, 40, 40, 'checkbox'),
      text('r2', 'Sound travels faster than light.', 20, 180, 450, 40),
      text('t2', 'T', 520, 180, 40, 40, 'checkbox'),
      text('f2', 'F', 600, 180, 40, 40, 'checkbox'),
    ]),
  ),
  // Two questions in one, each asked above its own row of the same two answers.
  'html5/data/js/stacked.js': provideData(
    'slide',
    slide('stacked', [
      text('title', 'Answer both questions.', 20, 10, 600),
      text('qa', 'Which material conducts electricity?', 20, 60, 600, 30),
      text('a1', 'Copper', 40, 95, 150, 30, 'checkbox'),
      text('a2', 'Glass', 220, 95, 150, 30, 'checkbox'),
      text('qb', 'Name the material that is transparent:', 20, 160, 600, 30),
      text('b1', 'Copper', 40, 195, 150, 30, 'checkbox'),
      text('b2', 'Glass', 220, 195, 150, 30, 'checkbox'),
    ]),
  ),
  // The choices inside one group: the group reads as all of them, and is no question.
  'html5/data/js/grouped.js': provideData(
    'slide',
    slide('grouped', [
      text('ask', 'Pick the building that warns ships at night.', 20, 10, 300),
      {
        kind: 'objgroup',
        id: 'options',
        xPos: 20,
        yPos: 100,
        width: 680,
        height: 200,
        objects: [
          text('o1', 'Harbour', 0, 0, 680, 60, 'radio'),
          text('o2', 'Lighthouse', 0, 70, 680, 60, 'radio'),
          text('o3', 'Canal', 0, 140, 680, 60, 'radio'),
        ],
      },
    ]),
  ),
};

describe('Storyline questions told by where things sit', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await storyline.extract(memoryView(files));
  });
  const byId = (id: string) => {
    const found = allQuestions(output).find((q) => q.id === id);
    expect(found, id).toBeDefined();
    return found!;
  };

  it('names a drop box by the text beside it on its row, before a column heading above it', () => {
    expect(byId('tableQ').matches).toEqual([
      { source: 'Balloon whisk', target: 'Whisks egg whites into foam.' },
      { source: 'Bread knife', target: 'Cuts thin slices of bread.' },
    ]);
  });

  it('names a drop box by the number that labels it', () => {
    expect(byId('numbersQ').matches).toEqual([
      { source: 'Stamen', target: '2' },
      { source: 'Petal', target: '1' },
    ]);
  });

  it('names a drop box at the foot of a card by the description above it', () => {
    expect(byId('cardsQ').matches).toEqual([
      { source: 'Microwave oven', target: 'Cooks food with microwaves.' },
      { source: 'Freezer', target: 'Keeps food cold for weeks.' },
    ]);
  });

  it('keeps drag items that show a file extension', () => {
    expect(byId('formatsQ').matches).toEqual([
      { source: '.png', target: 'Bitmap' },
      { source: '.svg', target: 'Vector' },
    ]);
    expect(pageTexts(output).join('\n')).toContain('.svg');
  });

  it('keeps a spot drawn on a picture as the answer, without the catch-all for a click elsewhere', () => {
    const q = questionWith(output, 'Click the part of the leaf');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([['Image 1', true]]);
    expect(q.correct_answers).toEqual(['Image 1']);
  });

  it("leaves out the spots without a name when the answer's spot has one", () => {
    const q = byId('toolbarQ');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([['Trim', true]]);
  });

  it('marks no step of a sequence wrong: its answer is their order', () => {
    const q = byId('orderQ');
    expect(q.choices.map((c) => c.correct)).toEqual([null, null]);
    expect(q.correct_answers).toEqual(['Boil the water', 'Pour it on the leaves']);
  });

  it('names drop boxes under pictures without words by their place', () => {
    expect(byId('picturesQ').matches).toEqual([
      { source: 'Anchor', target: 'Image 2' },
      { source: 'Compass', target: 'Image 1' },
    ]);
  });

  it('keeps the short name of a large card to tap, not a lone navigation button', () => {
    const page = pageTexts(output)[output.pages.findIndex((p) => p.source.endsWith('cardsMenu.js'))] ?? '';
    expect(page).toContain('Composting');
    expect(page).not.toContain('Next');
  });

  it('tells repeated choices of a grid apart by the statement of their row', () => {
    const q = byId('gridQ');
    expect(q.prompt).toBe('Mark each statement true (T) or false (F).');
    expect(q.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Ice floats on water.: T', true],
      ['Ice floats on water.: F', false],
      ['Sound travels faster than light.: T', false],
      ['Sound travels faster than light.: F', true],
    ]);
  });

  it('tells repeated choices apart by the question asked above their row', () => {
    const q = byId('stackedQ');
    expect(q.prompt).toBe('Answer both questions.');
    expect(q.correct_answers).toEqual(['Which material conducts electricity?: Copper', 'Name the material that is transparent: Glass']);
  });

  it('does not take the group of the choices for the question', () => {
    const q = byId('groupedQ');
    expect(q.prompt).toBe('Pick the building that warns ships at night.');
    expect(q.correct_answers).toEqual(['Lighthouse']);
  });
});
