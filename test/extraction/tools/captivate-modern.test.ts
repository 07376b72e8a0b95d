import { beforeAll, describe, expect, it } from 'vitest';
import { blocksToText } from '../../../src/extraction/content/blocks.js';
import { captivate } from '../../../src/extraction/tools/captivate/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';

// Captivate 12 and later: the model in assets/js/project.js, Draft.js text, items nested in containers.

type Data = Record<string, unknown>;

const draft = (...texts: string[]) => JSON.stringify({ blocks: texts.map((text, i) => ({ key: `k${i}`, text, type: 'unstyled', inlineStyleRanges: [] })) });
const label = (text: string, extra: Data = {}) => JSON.stringify({ ...extra, normal: { textEnabled: true, editorState: JSON.parse(draft(text)) } });

/** An item and its display object; `children` makes it a container. */
function item(name: string, type: number, tag: string, own: Data = {}, children: string[] = []): Data {
  return { [name]: { name, type, tag, mdi: `${name}c`, ...(children.length ? { si: children.map((n) => ({ n, t: 0 })) } : {}), ...own }, [`${name}c`]: { uid: 1, visible: 1 } };
}
const text = (name: string, tag: string, ...texts: string[]) => item(name, 1250, tag, { text: draft(...texts) });
const container = (name: string, tag: string, children: string[], props: Data = {}) => item(name, 1268, tag, { widgetProps: JSON.stringify(props) }, children);
const button = (name: string, tag: string, caption: string) => item(name, 29, tag, { widgetProps: label(caption) });

const projectJs = (data: Data) =>
  `if(!window.cp)window.cp = function(str){return document.getElementById(str)};cp.CPProjInit = function(){if(cp && cp.model && cp.model.data) return; cp.model = {}; cp.D = cp.model.data = ${JSON.stringify(data)};};`;

const data: Data = {
  project: { fps: 30, pN: 'Quayside safety.cpt' },
  project_main: { slides: 'Slide1,Slide2,Slide3', overlayslides: 'Slide4', questions: 'si19q0,Slide2q1,Slide3q2' },
  // A tabs widget showing two of its three tabs; the third tab keeps the widget's filler text.
  Slide1: { lb: 'Blank 1', st: 'Normal Slide', type: 30, si: [{ n: 'si10', t: 1268 }, { n: 'si17', t: 1250 }, { n: 'si18', t: 1268 }, { n: 'si30', t: 1268 }] },
  ...container('si10', 'container-tabs-widget', ['si11', 'si12', 'si13'], { numberOfTabs: { value: 2 } }),
  ...text('si11', 'slide-item-heading', 'Working on the quay'),
  ...container('si12', 'container-tabs-buttons', ['si121', 'si122', 'si123']),
  ...button('si121', 'tab-button0', 'Mooring'),
  ...button('si122', 'tab-button1', 'Cargo'),
  ...button('si123', 'tab-button2', 'TAB 03'),
  ...container('si13', 'container-content-global', ['si14', 'si15', 'si16']),
  ...container('si14', 'container-content', ['si141', 'si142'], { visibilityInfo: { 'slide-item-body': true, 'slide-item-buttons': false } }),
  ...text('si141', 'slide-item-body', 'Keep clear of lines under tension.', 'Wear a life jacket near the edge.'),
  ...button('si142', 'slide-item-buttons0', 'Button'),
  ...container('si15', 'container-content', ['si151']),
  ...text('si151', 'slide-item-body', 'Cranes have right of way.'),
  ...container('si16', 'container-content', ['si161', 'si162']),
  ...text('si161', 'slide-item-heading', 'HEADING 03'),
  ...text('si162', 'slide-item-body', 'Sed ut perspiciatis unde omnis iste natus error sit voluptatem.'),
  ...text('si17', 'slide-item-body', '$$cpInfoCurrentSlide$$'),
  // A field that reports to the LMS: its label is slide text, not a quiz question.
  ...container('si18', 'container-inputfield-card', ['si181', 'si19']),
  ...text('si181', 'slide-item-label', 'Which berth do you work on?'),
  ...item('si19', 2433, 'slide-item-inputfield', { widgetProps: JSON.stringify({ inputFieldProps: { answersList: [] } }) }),
  si19q0: { qt: '', qtp: 'InteractiveItemQuestion', itp: 'long-fill-in', sn: 'Slide1', ao: '', cal: '', w: 1 },
  ...container('si30', 'slide-buttons-container', ['si31']),
  ...button('si31', 'slide-buttons-next-button', 'Next'),
  // A multiple choice question slide.
  Slide2: { lb: 'Knowledge check', st: 'Question Slide', type: 77, qs: 'Slide2q1', si: [{ n: 'si20', t: 1268 }, { n: 'si29', t: 612 }] },
  ...container('si20', 'container-multiple-choice-card', ['si21', 'si22', 'si23', 'si24', 'si25']),
  ...text('si21', 'slide-item-progress-indicator', 'Question @#{101} / @#{102}'),
  ...text('si22', 'slide-item-question-text', 'Who may give the signal to lift?'),
  ...item('si23', 10090, 'slide-item-answer-checkbox0', { widgetProps: label('Any docker') }),
  ...item('si24', 10090, 'slide-item-answer-checkbox1', { widgetProps: label('The appointed banksman') }),
  ...button('si25', 'slide-item-submit-button', 'Submit'),
  ...item('si29', 612, 'slide-item-question-caption', { text: draft('<Caption goes here>') }),
  Slide2q1: { qt: '', qtp: 'MCQ', itp: 'choice', sn: 'Slide2', iid: '2001', w: 10, ao: ['si23c:0', 'si24c:1'], ail: ['si23', 'si24'], cal: ['si24'], osc: '', ifc: [] },
  // A short answer slide.
  Slide3: { lb: 'Radio call', st: 'Question Slide', type: 77, qs: 'Slide3q2', si: [{ n: 'si32', t: 1268 }] },
  ...container('si32', 'container-short-answer-card', ['si33', 'si34']),
  ...text('si33', 'slide-item-question-text', 'Which channel does the harbour master listen on?'),
  ...item('si34', 10094, 'slide-item-answer-inputfield', { widgetProps: JSON.stringify({ inputFieldProps: { answersList: ['12', 'Channel 12'] } }) }),
  Slide3q2: { qt: '', qtp: 'ShortAnswer', itp: 'long-fill-in', sn: 'Slide3', iid: '3001', w: 5, ao: [], ail: ['si34'], cal: [] },
  // An overlay slide of an interactive video.
  Slide4: { lb: 'Pause point', st: 'Normal Slide', type: 30, si: [{ n: 'si40', t: 1250 }] },
  ...text('si40', 'slide-item-body', 'Note where the fire points are.'),
};

// A question pool: its slides and questions are added to the model.
const pool = {
  Slide70: { lb: 'Pool question', st: 'Question Slide', type: 77, si: [{ n: 'si71', t: 1268 }] },
  ...container('si71', 'container-multiple-choice-card', ['si72', 'si73', 'si74']),
  ...text('si72', 'slide-item-question-text', 'A line parts under load. What do you do?'),
  ...item('si73', 10090, 'slide-item-answer-checkbox0', { widgetProps: label('Step out of the snap-back zone') }),
  ...item('si74', 10090, 'slide-item-answer-checkbox1', { widgetProps: label('Grab the line') }),
  Slide70q0: { qt: '', qtp: 'MCQ', itp: 'choice', sn: 'Slide70', iid: '7001', w: 10, ao: ['si73c:0', 'si74c:1'], ail: ['si73', 'si74'], cal: ['si73'] },
};

describe('Adobe Captivate decoder on the Captivate 12 model (assets/js/project.js)', () => {
  const view = memoryView({
    'assets/js/project.js': projectJs(data),
    'pools/7/7.js': `window.CPPool7Init = function() { cp.model['7Data']=${JSON.stringify(pool)};cp.poolSlideResources['pool7']={};}`,
    'dist/main.chunk.js': '/* player */',
    'index.html': "<script src='assets/js/project.js'></script><script src='dist/main.chunk.js'></script>",
  });
  let out: ToolOutput;
  beforeAll(async () => {
    out = await captivate.extract(view);
  });
  const pageText = (index: number) => blocksToText(out.pages[index]?.blocks ?? []);

  it('is detected from project.js when no project.txt says Captivate', async () => {
    expect(await captivate.detect(view)).toEqual({ version: null });
    expect(out.pages.every((p) => p.source === 'assets/js/project.js')).toBe(true);
  });

  it('reads Draft.js text through nested containers, the shown tabs only, without buttons, variables or filler text', () => {
    expect(out.pages.map((p) => p.title)).toEqual([null, 'Knowledge check', 'Radio call', 'Pause point']);
    expect(pageText(0)).toBe(
      [
        'Working on the quay',
        'Mooring',
        'Cargo',
        'Keep clear of lines under tension.',
        'Wear a life jacket near the edge.',
        'Cranes have right of way.',
        'Which berth do you work on?',
      ].join('\n\n'),
    );
    expect(pageText(3)).toBe('Note where the fire points are.');
  });

  it('shows a question slide as its prompt and answers, without progress, buttons or placeholder captions', () => {
    expect(out.pages[1]?.blocks).toEqual([
      { type: 'paragraph', text: 'Who may give the signal to lift?' },
      { type: 'list', ordered: false, items: ['Any docker', 'The appointed banksman'] },
    ]);
  });

  it('reads the quiz questions with the correct answers named by item, the accepted short answers, and the pool questions', () => {
    const questions = out.assessments[0]?.questions ?? [];
    expect(questions.map((q) => q.prompt)).toEqual([
      'Who may give the signal to lift?',
      'Which channel does the harbour master listen on?',
      'A line parts under load. What do you do?',
    ]);
    expect(questions[0]?.type).toBe('choice');
    expect(questions[0]?.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Any docker', false],
      ['The appointed banksman', true],
    ]);
    expect(questions[0]?.points).toBe(10);
    expect(questions[1]?.type).toBe('fill_in');
    expect(questions[1]?.correct_answers).toEqual(['12', 'Channel 12']);
    expect(questions[2]?.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Step out of the snap-back zone', true],
      ['Grab the line', false],
    ]);
  });
});

describe('Adobe Captivate decoder on author buttons, results captions and defaults of Captivate 12', () => {
  const drills: Data = {
    project: { fps: 30, pN: 'Ferry drills.cpt' },
    project_main: { slides: 'Slide1,Slide2' },
    // A question built from buttons that branch; the player's own Next button stays chrome.
    Slide1: { lb: 'Muster', st: 'Normal Slide', type: 30, si: [{ n: 'si50', t: 1268 }, { n: 'si58', t: 98 }, { n: 'si59', t: 612 }, { n: 'si60', t: 1268 }] },
    ...container('si50', 'container-paragraph-card', ['si51', 'si52', 'si53', 'si54', 'si55']),
    ...text('si51', 'slide-item-heading', 'Where is the muster station?'),
    ...button('si52', 'slide-item-buttons0', 'Upper deck'),
    ...button('si53', 'slide-item-buttons1', 'Car deck'),
    ...button('si54', 'slide-item-buttons2', 'Button'),
    ...button('si55', 'slide-item-button', 'Next question'),
    // A video object keeps the accessible name Captivate gives it.
    ...item('si58', 98, ''),
    si58c: { uid: 58, visible: 1, accstr: 'Video ', dn: 'Video_Object_1' },
    // So does a vector image: Captivate describes every SVG with the same sentence.
    ...item('si59', 612, ''),
    si59c: { uid: 59, visible: 1, accstr: 'This is a Scalable Vector Graphics ', dn: 'SVG_1' },
    ...container('si60', 'slide-buttons-container', ['si61']),
    ...button('si61', 'slide-buttons-next-button', 'Onward'),
    // The results slide: its heading and the Pass and Fail states of its caption are the author's.
    Slide2: { lb: 'Results', st: 'Normal Slide', type: 30, si: [{ n: 'si70', t: 1268 }] },
    ...container('si70', 'container-result', ['si71', 'si72', 'si73', 'si74']),
    ...text('si71', 'slide-item-result-heading', 'Drill complete'),
    ...text('si72', 'user-score-label', 'Your score:'),
    ...button('si73', 'slide-item-retake-button', 'Retake quiz'),
    ...item('si74', 612, 'slide-item-result-caption', {
      text: draft('<Caption goes here>'),
      stl: [
        { stn: 1, stt: 0, stsi: [74] },
        { stn: 2, stt: 101, dsr: 'Pass', stsi: [75] },
        { stn: 3, stt: 102, dsr: 'Fail', stsi: [76] },
      ],
    }),
    ...item('si75', 612, 'slide-item-result-caption', { text: draft('You know your way to the station.') }),
    ...item('si76', 612, 'slide-item-result-caption', { text: draft('Walk the route with the crew again.') }),
  };
  let out: ToolOutput;
  beforeAll(async () => {
    out = await captivate.extract(memoryView({ 'assets/js/project.js': projectJs(drills), 'index.html': "<script src='assets/js/project.js'></script>" }));
  });
  const pageText = (index: number) => blocksToText(out.pages[index]?.blocks ?? []);

  it('reads the captions of the buttons an author places, not the player and quiz buttons, a new button or default descriptions', () => {
    expect(pageText(0)).toBe('Where is the muster station?\n\nUpper deck\n\nCar deck');
  });

  it('reads the heading of a results slide and the messages of its Pass and Fail states, not its labels', () => {
    expect(pageText(1)).toBe('Drill complete\n\nYou know your way to the station.\n\nWalk the route with the crew again.');
  });

  it('names the course by its project without the file extension', () => {
    expect(out.title).toBe('Ferry drills');
  });
});
