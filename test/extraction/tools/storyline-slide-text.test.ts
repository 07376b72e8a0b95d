import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../../../src/extraction/result/extraction-result.js';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData, textObject } from '../../support/storyline-data.js';
import { allQuestions, pageTexts } from '../../support/tool-output.js';

/*
 * Storyline 360 slides whose words sit on buttons (a set of words to hear, tabs), on a slide
 * master repeated on every slide, or on a picture's click areas named by the author.
 */

const text = textObject;
const button = (id: string, label: string) => text(id, [label], { accType: 'button' });
const slide = (id: string, title: string, objects: unknown[]) => ({ title, id, width: 720, height: 540, slideLayers: [{ kind: 'slidelayer', isBaseLayer: true, objects }] });
const storySlide = (id: string, title: string, extra: Record<string, unknown> = {}) => ({ kind: 'slide', id, title, html5url: `html5/data/js/${id}.js`, ...extra });

/** Slide master text on every goal slide: a question to the learner, a target label, and a menu. */
const master = (id: string) => [
  text(`${id}q`, ['Can your team help reach this goal?']),
  text(`${id}t`, ['Target:']),
  button(`${id}m`, 'Menu'),
  text(`${id}h`, ['Home']),
];

function files(): Record<string, string> {
  const goals = ['Clean water for all', 'Affordable energy', 'Decent work', 'Less waste'];
  const pickMany = {
    kind: 'interaction',
    id: 'q1',
    lmsId: 'FreeFormPickMany',
    lmstext: 'Pick Many',
    type: 'multipleresponse',
    maxpoints: 10,
    choices: [
      { kind: 'choice', id: 'choice_h1', lmstext: 'Sender address' },
      { kind: 'choice', id: 'choice_h2', lmstext: 'Urgent subject line' },
      { kind: 'choice', id: 'choice_h3', lmstext: 'Oval 2' },
    ],
    answers: [
      {
        kind: 'answer',
        id: 'a1',
        status: 'correct',
        points: 10,
        evaluate: { statements: [{ kind: 'equals', choiceid: 'choices.choice_h1' }, { kind: 'equals', choiceid: 'choices.choice_h2' }] },
      },
      { kind: 'answer', id: 'a2', status: 'incorrect', points: 0, evaluate: { statements: [{ kind: 'other' }] } },
    ],
  };
  const data = {
    scenes: [
      {
        kind: 'scene',
        id: 's1',
        slides: [
          storySlide('w1', 'Words'),
          storySlide('n1', 'Weiter'),
          ...goals.map((_, i) => storySlide(`g${i}`, `Goal ${i + 1}`)),
          storySlide('p1', 'Spot the phishing', { interactions: [pickMany] }),
        ],
      },
    ],
  };
  const out: Record<string, string> = {
    'story.html': '<html></html>',
    'html5/data/js/data.js': provideData('data', data),
    'html5/data/js/w1.js': provideData(
      'slide',
      slide('w1', 'Words', [
        text('ask', ['Click each job to hear it, then say it.']),
        ...['a baker', 'a nurse', 'an engineer', 'a farmer'].map((job, i) => button(`j${i}`, job)),
        ...[1, 2, 3].map((n) => button(`tab${n}`, `Tab ${n}`)),
      ]),
    ),
    'html5/data/js/n1.js': provideData('slide', slide('n1', 'Weiter', [text('body', ['Fasse den Gurt mit beiden Händen.']), button('prev', 'Zurück'), button('next', 'Weiter')])),
    'html5/data/js/p1.js': provideData('slide', slide('p1', 'Spot the phishing', [text('ask', ['Select the two warning signs in this email.'])])),
  };
  goals.forEach((goal, i) => {
    out[`html5/data/js/g${i}.js`] = provideData('slide', slide(`g${i}`, `Goal ${i + 1}`, [text(`b${i}`, [goal]), ...master(`m${i}`)]));
  });
  return out;
}

describe('Storyline text on buttons, slide masters and click areas', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await storyline.extract(memoryView(files()));
  });

  it('keeps a set of short button labels (words to hear), not a lone pair of navigation buttons or numbered tabs', () => {
    const texts = pageTexts(output);
    expect(texts[0]).toBe('Click each job to hear it, then say it.\n\na baker\n\na nurse\n\nan engineer\n\na farmer');
    expect(texts[1]).toBe('Fasse den Gurt mit beiden Händen.');
  });

  it("keeps a slide master's question and labels where they first show, and drops its menu", () => {
    const texts = pageTexts(output);
    expect(texts[2]).toBe('Clean water for all\n\nCan your team help reach this goal?\n\nTarget:');
    expect(texts.slice(3, 6)).toEqual(['Affordable energy', 'Decent work', 'Less waste']);
  });

  it('names click areas of a picture by the names the author gave them, never by default names', () => {
    const [question] = allQuestions(output) as [Question];
    expect(question).toMatchObject({ type: 'multiple_response', prompt: 'Select the two warning signs in this email.' });
    expect(question.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Sender address', true],
      ['Urgent subject line', true],
    ]);
  });
});
