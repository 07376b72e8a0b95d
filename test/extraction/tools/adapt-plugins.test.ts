import { describe, expect, it } from 'vitest';
import { isSentenceLike } from '../../../src/extraction/content/text.js';
import { adapt } from '../../../src/extraction/tools/adapt/index.js';
import { detectTool } from '../../../src/extraction/tools/registry.js';
import { memoryView } from '../../support/memory-source.js';
import { pageTexts, questionWith } from '../../support/tool-output.js';

// Adapt plug-ins that keep their text under their own keys (a flip card's back, the captions of a
// blinds item), and an Adapt course that shows another tool's output in one of its components.

const json = (value: unknown) => JSON.stringify(value);

function course(components: object[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    'index.html': '<html></html>',
    'adapt/js/adapt.min.js': '',
    'adapt/js/build.min.js': json({ package: { name: 'adapt_framework', version: '5.20.0' } }),
    'course/en/course.json': json({ _id: 'course', _type: 'course', title: 'Garden birds' }),
    'course/en/contentObjects.json': json([{ _id: 'p1', _parentId: 'course', _type: 'page', title: 'Meet the birds', displayTitle: 'Meet the birds' }]),
    'course/en/articles.json': json([{ _id: 'a1', _parentId: 'p1', _type: 'article' }]),
    'course/en/blocks.json': json([{ _id: 'b1', _parentId: 'a1', _type: 'block' }]),
    'course/en/components.json': json(components.map((c, i) => ({ _id: `c${i}`, _parentId: 'b1', _type: 'component', ...c }))),
    ...extra,
  };
}

describe('Adapt plug-ins with text under their own keys', () => {
  it("reads the back of each flip card: its title and body are not a 'back' button", async () => {
    const view = memoryView(course([
      {
        _component: 'flipcard', displayTitle: 'Who sings at dawn?', _flipType: 'singleFlip',
        _items: [
          { frontImage: { src: 'course/en/assets/robin.svg', alt: 'A robin on a fence' }, backTitle: 'The robin', backBody: '<p>It starts singing before first light.</p>' },
          { frontImage: { src: 'course/en/assets/wren.svg', alt: 'A wren in a hedge' }, backTitle: 'The wren', backBody: '<p>Its song is loud for so small a bird.</p>' },
        ],
        _buttons: { backLabel: 'Back' },
      },
    ]));
    const text = pageTexts(await adapt.extract(view)).join('\n');
    expect(text).toContain('The robin');
    expect(text).toContain('It starts singing before first light.');
    expect(text).toContain('Its song is loud for so small a bird.');
    expect(text).toContain('A wren in a hedge');
  });

  it('reads the captions of a blinds component, and never shows its image paths as text', async () => {
    const view = memoryView(course([
      {
        _component: 'blinds', displayTitle: 'Nests', body: '<p>Each bird builds its own kind of nest.</p>',
        _items: [
          { src: 'course/en/assets/0f3a9b2c4d5e6f708192a3b4c5d6e7f8.jpg', _captions: [{ text: 'A cup of moss and hair', top: '', left: '' }] },
          { src: 'course/en/assets/nests/dome.jpg', _captions: [{ text: 'A dome of leaves', top: '10', left: '20' }] },
        ],
      },
    ]));
    const output = await adapt.extract(view);
    const text = pageTexts(output).join('\n');
    expect(text).toContain('A cup of moss and hair');
    expect(text).toContain('A dome of leaves');
    expect(text).not.toMatch(/assets|\.jpg/);
    expect(output.media.map((m) => m.path)).toEqual(expect.arrayContaining(['course/en/assets/nests/dome.jpg']));
  });

  it('leaves sample text the author left in a question body out of its prompt, as out of the page', async () => {
    const view = memoryView(course([
      {
        _component: 'mcq', body: '<p><strong>Question 4</strong></p><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit?</p><p>Which bird nests in a hole?</p>',
        _items: [{ text: 'Woodpecker', _shouldBeSelected: true }, { text: 'Swan', _shouldBeSelected: false }],
      },
    ]));
    const output = await adapt.extract(view);
    const question = questionWith(output, 'Which bird nests in a hole?');
    expect(question.prompt).not.toMatch(/lorem/i);
    expect(question.prompt).toContain('Question 4');
    expect(pageTexts(output).join('\n')).not.toMatch(/lorem/i);
  });

  it('does not take a relative file path for a sentence', () => {
    expect(isSentenceLike('course/en/assets/photo-of-a-robin.jpg')).toBe(false);
    expect(isSentenceLike('assets/img/bird_03.png')).toBe(false);
    expect(isSentenceLike('Robins and/or wrens sing.')).toBe(true);
  });
});

describe('An Adapt course that shows another tool in a component', () => {
  it('is read as the Adapt course, not as the presentation kept in its assets', async () => {
    const view = memoryView(course(
      [
        { _component: 'text', displayTitle: 'Before the slides', body: '<p>Watch the short presentation below.</p>' },
        { _component: 'iframe', displayTitle: 'Slides', _source: 'assets/index.html' },
      ],
      {
        'assets/index.html': '<html><!-- Created with iSpring --><script>PresentationPlayer.start()</script></html>',
        'assets/data/slide1.js': "window['sl_{0A1B2C3D-0000-1111-2222-333344445555}'] = {};",
        'assets/data/player.js': '',
      },
    ));
    const detected = await detectTool(view);
    expect(detected?.decoder).toBe(adapt);
    expect(pageTexts(await adapt.extract(view)).join('\n')).toContain('Watch the short presentation below.');
  });
});

describe('Adapt question feedback', () => {
  const mcq = (feedback: object) => ({
    _component: 'mcq', body: '<p>Which birds visit feeders in winter?</p>', _attempts: 2,
    _items: [{ text: 'Blue tits', _shouldBeSelected: true }, { text: 'Swallows', _shouldBeSelected: false }, { text: 'Robins', _shouldBeSelected: true }],
    _feedback: feedback,
  });

  it('keeps the text shown after a wrong answer while attempts remain (notFinal) with the feedback when incorrect', async () => {
    const output = await adapt.extract(memoryView(course([
      mcq({ correct: '<p>Yes, both come.</p>', _incorrect: { final: '<p>Not this time.</p>', notFinal: '<p>Hint: two of them come.</p>' } }),
    ])));
    expect(questionWith(output, 'Which birds visit feeders')).toMatchObject({
      correct_answers: ['Blue tits', 'Robins'],
      feedback: { correct: 'Yes, both come.', incorrect: 'Not this time. Hint: two of them come.' },
    });
  });

  it('says a text once when the try-again feedback repeats the final one, and keeps either one alone', async () => {
    const output = await adapt.extract(memoryView(course([
      mcq({ _incorrect: { final: '<p>Wrong.</p>', notFinal: '<p>Wrong.</p><p>Have another go.</p>' } }),
      { ...mcq({ _incorrect: { final: '', notFinal: '<p>Look again at the feeder.</p>' } }), body: '<p>Which birds eat seeds?</p>' },
      { ...mcq({ _incorrect: { final: '<p>Only those two.</p>', notFinal: '' } }), body: '<p>Which birds nest in boxes?</p>' },
    ])));
    expect(questionWith(output, 'Which birds visit feeders').feedback.incorrect).toBe('Wrong. Have another go.');
    expect(questionWith(output, 'Which birds eat seeds').feedback.incorrect).toBe('Look again at the feeder.');
    expect(questionWith(output, 'Which birds nest in boxes').feedback.incorrect).toBe('Only those two.');
  });
});
