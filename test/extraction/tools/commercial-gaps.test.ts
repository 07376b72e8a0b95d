import { beforeAll, describe, expect, it } from 'vitest';
import { blocksToText } from '../../../src/extraction/content/blocks.js';
import { captivate } from '../../../src/extraction/tools/captivate/index.js';
import { ispring } from '../../../src/extraction/tools/ispring/index.js';
import { lectora } from '../../../src/extraction/tools/lectora/index.js';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData } from '../../support/storyline-data.js';
import { allQuestions } from '../../support/tool-output.js';

/*
 * Shapes of Storyline, iSpring, Lectora and Captivate output seen in published courses that the
 * decoders missed: localized default question names, worked numbers, freeform drop boxes with their
 * caption above them, iSpring interactions and word banks without presentation data, Lectora pages
 * only a button opens, and Captivate 12 template headings left unfilled.
 */

const allText = (out: ToolOutput) => out.pages.map((p) => blocksToText(p.blocks)).join('\n');

describe('Storyline 360: localized question names, worked numbers and freeform drop boxes', () => {
  const text = (id: string, line: string, box: [number, number, number, number] = [10, 10, 300, 50], accType = 'text') => ({
    kind: 'vectorshape',
    id,
    accType,
    xPos: box[0],
    yPos: box[1],
    width: box[2],
    height: box[3],
    textLib: [{ kind: 'textdata', vartext: { blocks: [{ spans: [{ text: `${line}\n` }], style: { tagType: 'P' } }] } }],
  });
  const shape = (id: string, box: [number, number, number, number]) => ({ kind: 'vectorshape', id, accType: 'text', xPos: box[0], yPos: box[1], width: box[2], height: box[3] });
  const storySlide = (id: string, title: string, interactions: unknown[] = []) => ({ kind: 'slide', id, title, html5url: `html5/data/js/${id}.js`, interactions });
  const slideFile = (title: string, objects: unknown[]) => provideData('slide', { title, width: 720, height: 540, slideLayers: [{ kind: 'slidelayer', isBaseLayer: true, objects }] });

  const pickOne = {
    kind: 'interaction',
    id: 'q1',
    lmsId: 'Slide2',
    lmstext: 'Respuesta múltiple',
    type: 'multiplechoice',
    choices: [
      { kind: 'choice', id: 'choice_c1', lmstext: 'Cuatro patas' },
      { kind: 'choice', id: 'choice_c2', lmstext: 'Seis patas' },
    ],
    answers: [{ kind: 'answer', id: 'a1', status: 'correct', points: 10, evaluate: { statements: [{ kind: 'equals', choiceid: 'choices.choice_c2' }] } }],
  };
  const dragDrop = {
    kind: 'interaction',
    id: 'q2',
    lmsId: 'FreeFormDragDrop',
    lmstext: 'Drag and Drop',
    type: 'matching',
    choices: [
      { kind: 'choice', id: 'choice_d1', lmstext: 'Item1 - Storing paint near a heater' },
      { kind: 'choice', id: 'choice_d2', lmstext: 'Item2 - Keeping exits clear' },
    ],
    statements: [
      { kind: 'statement', id: 'statement_t1', lmstext: 'Unsafe_Drop - Rectangle' },
      { kind: 'statement', id: 'statement_t2', lmstext: 'Safe_Drop - Rectangle' },
    ],
    answers: [
      {
        kind: 'answer',
        id: 'a2',
        status: 'correct',
        points: 10,
        evaluate: {
          statements: [
            { kind: 'pair', choiceid: 'choices.choice_d1', statementid: 'statements.statement_t1' },
            { kind: 'pair', choiceid: 'choices.choice_d2', statementid: 'statements.statement_t2' },
          ],
        },
      },
    ],
  };
  const view = memoryView({
    'story.html': '<html></html>',
    'html5/data/js/data.js': provideData('data', {
      scenes: [{ kind: 'scene', id: 's1', slides: [storySlide('n1', 'Budget'), storySlide('q1', 'Respuesta múltiple', [pickOne]), storySlide('q2', 'Sort the habits', [dragDrop])] }],
    }),
    'html5/data/js/n1.js': slideFile('Budget', [
      text('t1', 'The total after tax comes to:'),
      text('t2', '42.550'),
      text('t3', '3 of 12', [600, 500, 100, 30]),
      text('t4', '7', [680, 500, 30, 30]),
    ]),
    'html5/data/js/q1.js': slideFile('Respuesta múltiple', [
      text('p1', '¿Cuántas patas tiene un insecto?'),
      text('c1', 'Cuatro patas', [10, 100, 200, 30], 'radio'),
      text('c2', 'Seis patas', [10, 140, 200, 30], 'radio'),
    ]),
    'html5/data/js/q2.js': slideFile('Sort the habits', [
      text('p2', 'Drag each habit into the box where it belongs.'),
      text('h1', 'UNSAFE', [100, 100, 150, 30]),
      text('h2', 'SAFE', [400, 100, 150, 30]),
      shape('t1', [100, 132, 150, 90]),
      shape('t2', [400, 132, 150, 90]),
      text('d1', 'Storing paint near a heater', [100, 300, 150, 40]),
      text('d2', 'Keeping exits clear', [400, 300, 150, 40]),
    ]),
  });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await storyline.extract(view);
  });

  it("asks the slide's question when the question keeps Storyline's default name in another language", () => {
    const question = allQuestions(out).find((q) => q.id === 'q1');
    expect(question?.prompt).toBe('¿Cuántas patas tiene un insecto?');
    expect(question?.correct_answers).toEqual(['Seis patas']);
  });

  it('keeps a worked number of the slide body, not its counters', () => {
    const budget = blocksToText(out.pages[0]?.blocks ?? []);
    expect(budget).toContain('42.550');
    expect(budget).not.toContain('3 of 12');
    expect(budget.split('\n')).not.toContain('7');
  });

  it('names an empty drop box of a freeform drag-and-drop by the caption above it', () => {
    const question = allQuestions(out).find((q) => q.id === 'q2');
    expect(question?.matches).toEqual([
      { source: 'Storing paint near a heater', target: 'UNSAFE' },
      { source: 'Keeping exits clear', target: 'SAFE' },
    ]);
  });
});

describe('iSpring without presentation data: interactions, word bank extra words, player controls', () => {
  const blob = (data: unknown) => Buffer.from(JSON.stringify(data)).toString('base64');
  const rich = (value: string) => ({ a: `<p>${value}</p>`, r: [], d: [value] });
  const part = (title: string, html: string) => ({ t: rich(title), c: { a: html, r: [], d: [] } });
  const interaction = { d: { i: 'interactivity_1', C: { is: [{ ...part('Drums', '<p>Keep drums upright on a bunded pallet.</p>'), tp: 'item' }] } } };
  const quiz = {
    d: {
      T: 'Check',
      sl: {
        g: [
          {
            i: 'g1',
            S: [
              {
                i: 'w1',
                tp: 'WordBank',
                D: rich('Fill the gaps:'),
                C: {
                  rt: {
                    a: '<p><span id="qmWordBank1"></span> are stored upright.</p>',
                    r: [{ id: 'qmWordBank1', type: 'qmWordBank', data: { v: 'Gas cylinders' } }],
                    d: [{ id: 'qmWordBank1' }, ' are stored upright.'],
                  },
                  ew: [{ t: rich('Paper sacks') }, 'Open buckets'],
                },
              },
            ],
          },
        ],
      },
    },
  };
  // The slide's own text list (`s[].t`, `s[].a`): a video brings its player's controls along.
  const shapes = { s: [{ t: 'Fuel store rules', T: true }, { t: 'Play/Pause Button' }, { t: 'Volume Control' }, { a: 'Next Button' }] };
  const slide = (html: string) =>
    `(function(){var loadHandler=window['sl_{0A1B2C3D-0000-4000-8000-ABCDEF012345}'];loadHandler&&loadHandler(0, '${html}', '${JSON.stringify(shapes)}');})();`;
  const view = memoryView({
    'index.html': '<!-- version 10.1.0 -->iSpring',
    'data/slide1.js': slide('<div><p>Fuel store rules</p></div>'),
    'data/intr1.js': `(function(){\n\tvar loadHandler = window['i_{0A1B2C3D-0000-4000-8000-ABCDEF012346}'];\n\tvar interactionJson = "${blob(interaction)}";\n\tloadHandler&&loadHandler(1, interactionJson);\n})();`,
    'data/quiz1.js': `(function(){\n\tvar loadHandler=window['q_{0A1B2C3D-0000-4000-8000-ABCDEF012347}'];\n\tvar quizInfo = "${blob(quiz)}";\n\tloadHandler&&loadHandler(1, 'q1', quizInfo, {}, "");\n})();`,
  });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await ispring.extract(view);
  });

  it('reads the interaction slides too, after the slides', () => {
    expect(allText(out)).toContain('Keep drums upright on a bunded pallet.');
  });

  it("never takes a media player's controls for slide text", () => {
    const textOfSlides = allText(out);
    expect(textOfSlides).toContain('Fuel store rules');
    expect(textOfSlides).not.toMatch(/Play\/Pause Button|Volume Control|Next Button/);
  });

  it("lists a word bank's extra words as choices that fit no blank", () => {
    const question = allQuestions(out)[0];
    expect(question?.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Gas cylinders', true],
      ['Paper sacks', false],
      ['Open buckets', false],
    ]);
    expect(question?.correct_answers).toEqual(['Gas cylinders']);
  });
});

describe('Lectora: pages only a button opens, default page names', () => {
  const page = (title: string, next: string | null, extra: string, body: string) => `<!DOCTYPE html>
<html><head><title>${title}</title><script src="trivantis.js"></script><script>
var pgID = 'p';
function trivExitPage( newPage, bFeedback ) { trivGoToPage = newPage }
${next ? `function trivNextPage() {\n    trivExitPage( '${next}', true )\n}` : ''}
${extra}
if( is.min ){
text1 = new ObjText('text1',null,20,20,400,40,1,1,null,'div')
}
</script></head><body><div id="text1"><p>${body}</p></div></body></html>`;
  const view = memoryView({
    'trivantis.js': '// runtime',
    'a001_intro.html': page('Welcome', 'a001_rules.html', "function action5(fn){ trivExitPage('a001_glossary.html', true) }", 'Welcome to the site induction.'),
    'a001_rules.html': page('Page 2', 'a001_end.html', '', 'Wear boots on site at all times.'),
    'a001_end.html': page('Seite 3', null, '', 'You have finished the induction.'),
    'a001_glossary.html': page('Glossary', null, '', 'PPE means personal protective equipment.'),
  });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await lectora.extract(view);
  });

  it('reads a page that a button opens right after the page that opens it', () => {
    expect(out.pages.map((p) => p.source)).toEqual(['a001_intro.html', 'a001_glossary.html', 'a001_rules.html', 'a001_end.html']);
  });

  it("never titles a page by Lectora's default page names", () => {
    expect(out.pages.map((p) => p.title)).toEqual(['Welcome', 'Glossary', null, null]);
  });
});

describe('Captivate 12: unfilled template headings', () => {
  const draft = (...texts: string[]) => JSON.stringify({ blocks: texts.map((t, i) => ({ key: `k${i}`, text: t, type: 'unstyled', inlineStyleRanges: [] })) });
  const text = (name: string, tag: string, ...texts: string[]) => ({
    [name]: { name, type: 1250, tag, mdi: `${name}c`, text: draft(...texts) },
    [`${name}c`]: { uid: 1, visible: 1 },
  });
  const data = {
    project: { fps: 30, pN: 'Quay.cpt' },
    project_main: { slides: 'Slide1', questions: '' },
    Slide1: { lb: 'Slide 1', st: 'Normal Slide', type: 30, si: ['si1', 'si2', 'si3', 'si4', 'si5'].map((n) => ({ n, t: 1250 })) },
    ...text('si1', 'slide-item-heading', 'HEADING 02'),
    ...text('si2', 'slide-item-subheading', 'Subheading'),
    ...text('si3', 'slide-item-heading', 'Title goes here'),
    ...text('si4', 'slide-item-heading', 'Loading the crane'),
    ...text('si5', 'slide-item-body', 'Check the load chart before every lift.'),
  };
  const view = memoryView({
    'index.html': '<html><!-- Captivate --></html>',
    'assets/js/project.js': `if(!window.cp)window.cp = function(str){return document.getElementById(str)};cp.CPProjInit = function(){if(cp && cp.model && cp.model.data) return; cp.model = {}; cp.D = cp.model.data = ${JSON.stringify(data)};};`,
  });

  it('keeps what the author wrote and drops the headings the template left unfilled', async () => {
    const out = await captivate.extract(view);
    const shown = allText(out);
    expect(shown).toContain('Loading the crane');
    expect(shown).toContain('Check the load chart before every lift.');
    expect(shown).not.toMatch(/HEADING 02|Subheading|Title goes here/);
  });
});
