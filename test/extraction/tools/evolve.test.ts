import { describe, expect, it } from 'vitest';
import { detectTool } from '../../../src/extraction/tools/registry.js';
import { evolve } from '../../../src/extraction/tools/adapt/index.js';
import { memoryView } from '../../support/memory-source.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

// Evolve publishes Adapt's course data (course/<lang>/*.json linked by _parentId) with a player of
// its own (player/js/), no adapt/js/ folder, and `_evolveVersion` in course/config.json.

const json = (value: unknown) => JSON.stringify(value);

function evolveCourse(components: object[], config: object = { _evolveVersion: 7100, version: '7.4.2' }): Record<string, string> {
  return {
    'index.html': '<html><body><div id="ev-root"></div><script src="player/js/player.min.js"></script></body></html>',
    'player/js/player.min.js': '',
    'course/config.json': json({ _id: 'cfg', _defaultLanguage: 'en', ...config }),
    'course/en/course.json': json({ _id: 'course', displayTitle: 'Tending bees' }),
    'course/en/contentObjects.json': json([{ _id: 'p1', _parentId: 'course', _type: 'page', title: 'P1 internal', displayTitle: 'The hive' }]),
    'course/en/articles.json': json([{ _id: 'a1', _parentId: 'p1', _type: 'article', _contentLocking: { _lockedText: 'This part is locked', _isEnabled: false } }]),
    'course/en/blocks.json': json([{ _id: 'b1', _parentId: 'a1', _type: 'block', title: 'Block internal' }]),
    'course/en/components.json': json(
      components.map((c, i) => ({ _id: `c${i}`, _parentId: 'b1', _type: 'component', _isQuestionType: false, title: `Comp ${i} internal`, ...c })),
    ),
  };
}

describe('Evolve courses', () => {
  it('is detected by its config and read like Adapt data, with its version', async () => {
    const view = memoryView(evolveCourse([{ _component: 'text', displayTitle: 'Inside the hive', body: '<p>A colony keeps one queen.</p>' }]));
    const found = await detectTool(view);
    expect(found?.decoder.name).toBe('Evolve');
    expect(found?.version).toBe('7.4.2');
    expect(await evolve.detect(memoryView(evolveCourse([], { _evolveVersion: 7100 })))).toEqual({ version: null });
    expect(await evolve.detect(memoryView(evolveCourse([], {})))).toBeNull();
    const output = await evolve.extract(view);
    expect(output.title).toBe('Tending bees');
    const text = pageTexts(output).join('\n');
    expect(text).toContain('A colony keeps one queen.');
    expect(text).toContain('Inside the hive');
    expect(text).not.toMatch(/internal|locked/);
  });

  it('reads image captions, drops aria labels and graphic text that is switched off', async () => {
    const view = memoryView(evolveCourse([
      {
        _component: 'textReveal',
        _items: [{ _graphic: { srcAdvanced: { _setImagePerDeviceSize: false }, caption: '<strong>Brood</strong>.' }, text: '<p>Eggs hatch in three days.</p>' }],
      },
      {
        _component: 'narrative', nextButtonAriaLabel: 'next slide', prevButtonAriaLabel: 'previous slide',
        _items: [{ title: 'Worker bees', body: '<p>They gather nectar all summer.</p>' }],
      },
      { _component: 'graphic', graphicText: '<h4>Hidden banner words</h4>', _shouldEnableGraphicText: false, _graphic: { src: { _id: 'x' } } },
    ]));
    const text = pageTexts(await evolve.extract(view)).join('\n');
    expect(text).toContain('Brood.');
    expect(text).toContain('Eggs hatch in three days.');
    expect(text).toContain('They gather nectar all summer.');
    expect(text).not.toMatch(/next slide|previous slide|Hidden banner words/);
  });

  it('marks the items of a drag-and-drop that belong in a drop zone, and the order of an ordering question', async () => {
    const view = memoryView(evolveCourse([
      {
        _component: 'dragAndDrop', _isQuestionType: true, body: '<p>Which one makes honey?</p>',
        _items: [
          { text: 'Worker', _correctDropZones: ['z1'] },
          { text: 'Drone', _correctDropZones: [] },
        ],
        _dropZones: [{ _id: 'z1', text: '' }],
        _feedback: { correct: '<p>Yes.</p>' },
      },
      {
        _component: 'ordering', _isQuestionType: true, body: '<p>Put the seasons of a colony in order.</p>',
        _items: [{ text: 'Build up' }, { text: 'Swarm' }, { text: 'Winter cluster' }],
      },
    ]));
    const output = await evolve.extract(view);
    expect(allQuestions(output)).toHaveLength(2);
    const drag = questionWith(output, 'Which one makes honey?');
    expect(drag.type).toBe('drag_drop');
    expect(drag.choices.filter((c) => c.correct).map((c) => c.text)).toEqual(['Worker']);
    const order = questionWith(output, 'Put the seasons of a colony in order.');
    expect(order.type).toBe('sequencing');
    expect(order.correct_answers).toEqual(['Build up', 'Swarm', 'Winter cluster']);
  });

  it('lists the files of uploaded assets, which the data names by id and extension', async () => {
    const files = evolveCourse([
      { _component: 'graphic', displayTitle: 'A frame of comb', _graphic: { alt: 'Capped honey cells', src: { _id: 'a1b2', _type: 'image', _extension: 'jpeg' } } },
      { _component: 'audio', displayTitle: 'The hum', _media: { mp3: { _id: 'c3d4', _type: 'audio', _extension: 'mp3' } } },
      { _component: 'graphic', displayTitle: 'Missing', _graphic: { src: { _id: '../x', _extension: 'png' } } },
    ]);
    files['course/en/assets/a1b2/large.jpeg'] = 'jpeg';
    files['course/en/assets/a1b2/original.jpeg'] = 'jpeg';
    files['course/en/assets/c3d4/audio.mp3'] = 'mp3';
    const output = await evolve.extract(memoryView(files));
    expect(output.media.map((m) => m.path).sort()).toEqual(['course/en/assets/a1b2/original.jpeg', 'course/en/assets/c3d4/audio.mp3']);
    expect(output.media.find((m) => m.path.endsWith('.jpeg'))?.altText).toBe('Capped honey cells');
  });
});
