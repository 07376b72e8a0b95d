import { beforeAll, describe, expect, it } from 'vitest';
import { blocksToText } from '../../../src/extraction/content/blocks.js';
import type { ItemRef } from '../../../src/extraction/source/package-view.js';
import { decodeClozeAnswer } from '../../../src/extraction/tools/exe/activities.js';
import { exe } from '../../../src/extraction/tools/exe/index.js';
import { lectora } from '../../../src/extraction/tools/lectora/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { xerte } from '../../../src/extraction/tools/xerte.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { openFixtureView } from '../../support/views.js';

const FIXTURE = 'exe-scorm12-multisco-es.zip';

describe.skipIf(!haveFixtures)('eXeLearning decoder on an eXe 2.8 multi-SCO SCORM 1.2 export', () => {
  let output: ToolOutput;
  let items: ItemRef[];
  const pageText = (source: string) => blocksToText(output.pages.find((p) => p.source === source)?.blocks ?? []);

  beforeAll(async () => {
    const { view, close } = await openFixtureView(FIXTURE, { items: 'descriptor' });
    try {
      items = view.items;
      output = await exe.extract(view);
    } finally {
      close();
    }
  });

  it('recognises eXeLearning and its version, and only eXe claims the package', async () => {
    const { view, warnings, close } = await openFixtureView(FIXTURE);
    try {
      expect(await exe.detect(view)).toEqual({ version: '2.8' });
      expect(await lectora.detect(view)).toBeNull();
      expect(await xerte.detect(view)).toBeNull();
      // Detection reads little and reports nothing.
      expect(warnings).toEqual([]);
    } finally {
      close();
    }
  });

  it('does not claim Lectora or Xerte packages', async () => {
    for (const other of ['lectora19-scorm12-srt-partial.zip', 'xerte-scorm2004-3rd.zip']) {
      const { view, close } = await openFixtureView(other);
      try {
        expect(await exe.detect(view), other).toBeNull();
      } finally {
        close();
      }
    }
  });

  it('reads one page per node, in the order of the item tree, each tied to its item', () => {
    expect(items).toHaveLength(12);
    expect(output.pages).toHaveLength(12);
    expect(output.pages.map((p) => p.source)).toEqual(items.map((i) => i.launch));
    expect(output.pages.map((p) => p.itemId)).toEqual(items.map((i) => i.identifier));
    expect(output.pages.every((p) => p.kind === 'page')).toBe(true);
    expect(output.pages.map((p) => p.title)).toEqual([
      'Ecuación Cuadrática',
      'Definición y clasificación',
      'Video de apoyo',
      'Ejercicio',
      'Ecuaciones cuadráticas incompletas',
      'Video de apoyo',
      'Ecuaciones cuadráticcas completas',
      'Video de apoyo',
      'Evaluación',
      'Actividad 1',
      'Actividad 2',
      'Actividad 3',
    ]);
    expect(output.language).toBe('es');
    expect(output.description).toMatch(/^Breve explicación del proceso que se sigue para resolver una ecuación cuadrática/);
  });

  it('keeps the iDevice content only: titles, text and image descriptions', () => {
    expect(output.pages[0]?.blocks).toEqual([
      { type: 'heading', level: 2, text: 'Solución de ecuaciones cuadráticas' },
      { type: 'image', alt: 'tomado pixabay', src: 'ai-generated-8587764_1280.jpg' },
    ]);
    expect(pageText('actividad_1.html')).toBe(
      'Ecuaciones cuadraticas incompletas puras y mixtas, an interactive worksheet by SUBE DE NIVEL liveworksheets.com',
    );
    expect(pageText('ejercicio.html')).toContain('Ecuación Cuadrática, an interactive worksheet by Margarita Oses Donoso');
    expect(pageText('evaluacin.html')).toBe('[Image: cabeza con palabras]');
    // Pages that only embed a video or slides have no text of their own.
    expect(pageText('video_de_apoyo0.html')).toBe('');
  });

  it('leaves out the chrome: node header, licence, credits, scripts', () => {
    const all = output.pages.map((p) => blocksToText(p.blocks)).join('\n');
    expect(all).not.toContain('Obra publicada con');
    expect(all).not.toContain('Creado con eXeLearning');
    expect(all).not.toContain('loadliveworksheet');
    for (const page of output.pages) {
      expect(blocksToText(page.blocks), page.source).not.toMatch(/[<{]|\bfunction\b|\bvar |\S{100,}/);
    }
  });

  it('has no activity with recorded answers, and describes its images', () => {
    expect(output.assessments).toEqual([]);
    expect(output.media).toEqual([
      { path: 'ai-generated-8587764_1280.jpg', altText: 'tomado pixabay' },
      { path: 'head-1345064_640.jpg', altText: 'cabeza con palabras' },
    ]);
  });
});

/** eXe's cloze encoding, as its Python exporter writes it. */
function encodeCloze(word: string): string {
  let key = 'X';
  let xored = '';
  for (const letter of word) {
    xored += String.fromCharCode(key.charCodeAt(0) ^ letter.charCodeAt(0));
    key = letter;
  }
  const escaped = [...xored].map((c) => `%u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return Buffer.from(escaped, 'latin1').toString('base64').replace(/(.{76})/g, '$1\n');
}

describe('eXeLearning decoder on activities', () => {
  const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta http-equiv="content-type" content="text/html; charset=utf-8" /><title>Quiz | Course</title>
<meta name="generator" content="eXeLearning 2.6 - exelearning.net" /><script type="text/javascript" src="exe_jquery.js"></script></head>
<body class="exe-web-site"><div id="content"><header id="header"><div id="headerContent">Course</div></header>
<nav id="siteNav"><ul><li><a href="index.html">Quiz</a></li><li><a href="more.html">More</a></li></ul></nav>
<section id="main"><header id="nodeDecoration"><h1 id="nodeTitle">Quiz</h1></header>
<article class="iDevice_wrapper MultichoiceIdevice" id="id4"><div class="iDevice emphasis1">
<header class="iDevice_header"><h1 class="iDeviceTitle">Pick one</h1></header>
<div class="iDevice_inner"><section class="question">
<form name="multi-choice-form-4_86" action="#" onsubmit="return false" class="activity-form"><h1 class="js-sr-av">Question</h1>
<div id="taquestion4_86" class="block question iDevice_content"><p>Which letter is a vowel?</p></div>
<section class="iDevice_answers">
<section class="iDevice_answer"><p class="iDevice_answer-field js-required"><label for="i4_89" class="sr-av"><a href="#answer-4_89">Option 1</a></label><input type="radio" name="option4_86" id="i4_89"/></p><div class="iDevice_answer-content" id="answer-4_89"><div class="block iDevice_content"><p>Z</p></div></div></section>
<section class="iDevice_answer"><p class="iDevice_answer-field js-required"><input type="radio" name="option4_86" id="i4_90"/></p><div class="iDevice_answer-content" id="answer-4_90"><div class="block iDevice_content"><p>D</p></div></div></section>
<section class="iDevice_answer"><p class="iDevice_answer-field js-required"><input type="radio" name="option4_86" id="i4_91"/></p><div class="iDevice_answer-content" id="answer-4_91"><div class="block iDevice_content"><p>A</p></div></div></section>
</section>
<section class="iDevice_feedbacks js-feedback"><section id="sa0b4_86" class="feedback js-hidden"><p>Not this one.</p></section>
<section id="sa1b4_86" class="feedback js-hidden"><p>Incorrecta</p></section><section id="sa2b4_86" class="feedback js-hidden"><p>Yes, A is a vowel.</p></section></section></form>
<section class="iDevice_solution feedback js-hidden"><h1>Solución</h1><ol>
<li><a href="#answer-4_89">Incorrecta</a> (<a href="#sa0b4_86">Retroalimentación</a>)</li>
<li><a href="#answer-4_90">Incorrecta</a> (<a href="#sa1b4_86">Retroalimentación</a>)</li>
<li><a href="#answer-4_91">Opción correcta</a> (<a href="#sa2b4_86">Retroalimentación</a>)</li></ol></section></section>
</div></div></article>
<article class="iDevice_wrapper TrueFalseIdevice" id="id10"><div class="iDevice emphasis1"><div class="iDevice_inner">
<div class="question"><form name="true-false-form-0b10" action="#" class="activity-form true-false-form">
<div id="taquestion0b10" class="block iDevice_content"><p>The moon is a planet.</p></div>
<p class="iDevice_answer js-required"><label for="true0b10"><input type="radio" name="option0b10" id="true0b10" /> True</label> <label for="false0b10"><input type="radio" name="option0b10" id="false0b10" /> False</label></p></form>
<h3 class="js-hidden">Feedback</h3><div id="s0b10" class="feedback js-hidden"><p><strong id="s0b10-result" class="wrong">False</strong></p><p>It is a satellite.</p></div></div>
</div></div></article>
<article class="iDevice_wrapper MultiSelectIdevice" id="id12"><div class="iDevice emphasis1"><div class="iDevice_inner">
<section class="question"><form name="multi-select-form-12_1" action="#" class="activity-form">
<div id="taquestion12_1" class="block question iDevice_content"><p>Which are fruits?</p></div><section class="iDevice_answers">
<section class="iDevice_answer"><p class="iDevice_answer-field js-required"><input type="checkbox" id="op12_10" value="True" /></p><div class="iDevice_answer-content"><p>Apple</p></div></section>
<section class="iDevice_answer"><p class="iDevice_answer-field js-required"><input type="checkbox" id="op12_11" value="False" /></p><div class="iDevice_answer-content"><p>Carrot</p></div></section>
</section><div class="block iDevice_buttons feedback-button js-required"><p><input type="button" value="Show Feedback" /></p></div>
<section id="f12_1" class="js-hidden js-feedback"><h1 class="js-sr-av">Feedback</h1><div class="feedback"><p>Apples grow on trees.</p></div></section></form></section>
</div></div></article>
<article class="iDevice_wrapper ClozeIdevice" id="id20"><div class="iDevice emphasis1">
<header class="iDevice_header"><h1 class="iDeviceTitle">Fill in</h1></header>
<div class="iDevice_inner"><div class="block iDevice_content"><p>Complete the sentence.</p></div>
<section class="activity" id="activity-20_5"><form name="cloze-form-20_5" action="#" class="activity-form"><div id="cloze20_5">
<script type="text/javascript">var YOUR_SCORE_IS="Your score is "</script>
<input type="hidden" name="clozeFlag20_5.strictMarking" id="clozeFlag20_5.strictMarking" value="false" />
<p>The capital of Spain is <label for="clozeBlank20_5.1" class="sr-av">Cloze (2):</label><input type="text" value="" id="clozeBlank20_5.1" /><span style="display:none" id="clozeAnswer20_5.1">${encodeCloze('Madrid')}</span> and of Italy <input type="text" value="" id="clozeBlank20_5.3" /><span style="display:none" id="clozeAnswer20_5.3">${encodeCloze('|Roma|Rome|')}</span>.</p>
<div class="block iDevice_buttons"><p><input type="submit" value="Submit" /> <span class="js-hidden js-warning">Enable JavaScript</span></p></div>
</div></form></section></div></div></article>
<article class="iDevice_wrapper FreeTextIdevice" id="id30"><div class="iDevice emphasis0"><div class="block iDevice_content">
<p>Plain text with a video.</p><video controls="controls"><source src="clip.mp4" type="video/mp4" /><track kind="captions" src="clip.vtt" srclang="en" /></video>
</div></div></article>
</section><nav class="pagination noprt"><a href="more.html" class="next"><span>Next</span></a></nav>
<div id="packageLicense" class="cc cc-by-sa"><p>Licensed under Creative Commons</p></div></div>
<p id="made-with-eXe"><a href="https://exelearning.net/">Made with eXeLearning</a></p></body></html>`;

  const files = {
    'contentv3.xml': '<?xml version="1.0"?><instance/>',
    'index.html': PAGE,
    'more.html': PAGE.replace(/<section id="main">[\s\S]*<\/section><nav/, '<section id="main"><h1 id="nodeTitle">More</h1><article class="iDevice_wrapper FreeTextIdevice"><p>The end.</p></article></section><nav'),
  };

  it('decodes the cloze answer encoding', () => {
    expect(decodeClozeAnswer(encodeCloze('Ñandú'))).toBe('Ñandú');
  });

  it('reads multi-choice, true-false, multi-select and cloze answers, and follows the menu without a manifest', async () => {
    const view = memoryView(files);
    expect(await exe.detect(view)).toEqual({ version: '2.6' });
    const output = await exe.extract(view);
    expect(output.pages.map((p) => [p.source, p.title])).toEqual([
      ['index.html', 'Quiz'],
      ['more.html', 'More'],
    ]);
    const quizText = blocksToText(output.pages[0]?.blocks ?? []);
    expect(quizText).toContain('Which letter is a vowel?');
    expect(quizText).toContain('The capital of Spain is ____ and of Italy ____ .');
    expect(quizText).not.toMatch(/Solución|Opción correcta|Incorrecta|Option 1|Feedback|Show Feedback|Enable JavaScript|Licensed|Made with|Course\b/);

    const questions = output.assessments.flatMap((a) => a.questions);
    expect(questions.map((q) => q.type)).toEqual(['choice', 'true_false', 'multiple_response', 'fill_in']);
    const [choice, trueFalse, select, cloze] = questions;
    expect(choice?.choices.map((c) => [c.text, c.correct, c.feedback])).toEqual([
      ['Z', false, 'Not this one.'],
      ['D', false, null],
      ['A', true, 'Yes, A is a vowel.'],
    ]);
    expect(trueFalse).toMatchObject({ prompt: 'The moon is a planet.', correct_answers: ['False'], feedback: { correct: 'It is a satellite.' } });
    expect(select).toMatchObject({ correct_answers: ['Apple'], feedback: { correct: 'Apples grow on trees.' } });
    expect(cloze?.correct_answers).toEqual(['Madrid', 'Roma / Rome']);
    expect(output.assessments[0]?.pageIndex).toBe(0);
    expect(output.media).toEqual([{ path: 'clip.mp4', captions: ['clip.vtt'] }]);
  });
});

describe('eXeLearning 3 pages with rendered formulas', () => {
  // eXe 3 renders LaTeX to inline SVG (and MathML) when it exports, keeping the source in `data-latex`.
  const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>Energy</title>
<meta name="generator" content="eXeLearning v4.0.1" /></head>
<body class="exe-web-site"><div class="exe-content"><header class="main-header"><h1 class="page-title">Energy</h1></header>
<article class="box"><header class="box-head"><h1 class="box-title">Power</h1></header><div class="box-content">
<div class="idevice_node text" data-idevice-type="text"><p>Power is energy over time: <span class="exe-math-rendered" data-latex="\\(P=\\frac{E}{t}\\)"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-hidden="true"><defs><path id="MJX-1-TEX-I-1D443" d="M287 628Q287 635"></path></defs><g><use xlink:href="#MJX-1-TEX-I-1D443"></use></g></svg></span>, so a lamp of 60 W uses 60 J each second.</p>
<p class="exe-math-rendered" data-latex="\\[E=P\\cdot t\\]"><svg xmlns="http://www.w3.org/2000/svg"><g><text>E</text></g></svg></p>
<p><span class="exe-math-rendered" data-latex="\\( \\sum F = m.a; F_{r}-F_{g}=m.a;\\)"><svg></svg></span> as <span class="exe-math-rendered" data-latex="\\(a=0 \\Rightarrow F_{r}=F_{g}=\\frac{1}{2}.\\rho.v^{2}\\)"><svg></svg></span></p></div>
</div></article></div></body></html>`;

  it('reads a rendered formula as text, in its place in the sentence', async () => {
    const view = memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE });
    const output = await exe.extract(view);
    const pageText = blocksToText(output.pages[0]?.blocks ?? []);
    expect(pageText).toContain('Power is energy over time: P=E/t, so a lamp of 60 W uses 60 J each second.');
    expect(pageText).toContain('E=P·t');
    // A line of formulas is kept, though it has the symbols of code.
    expect(pageText).toContain('∑F = m.a; F_r-F_g=m.a; as a=0 ⇒ F_r=F_g=1/2.ρ.v^2');
    expect(pageText).not.toMatch(/M287|MJX/);
  });
});

describe('eXeLearning 3 activities kept as JSON', () => {
  const attr = (data: unknown) => JSON.stringify(data).replace(/&/g, '&amp;').replace(/'/g, '&#39;');
  const msgs = { msgTrue: 'Cierto', msgFalse: 'Falso', msgCheck: 'Comprobar', msgNext: 'Siguiente' };
  const form = {
    id: 'F1',
    msgs,
    eXeFormInstructions: '<p>Answer the questions about rivers.</p>',
    questionsData: [
      { activityType: 'selection', selectionType: 'single', baseText: '<p>Which river is the longest?</p>', answers: [[false, 'The Thames'], [true, 'The Nile'], [false, 'The Ebro']], feedbackRight: '<p>Yes, about 6,650 km.</p>', feedbackWrong: '' },
      { activityType: 'selection', selectionType: 'multiple', baseText: '<p>Which rivers flow into the Atlantic?</p>', answers: [[true, 'The Amazon'], [false, 'The Ganges'], [true, 'The Congo']] },
      { activityType: 'true-false', baseText: '<p>The Danube crosses ten countries.</p>', answer: '1' },
      { activityType: 'fill', baseText: '<p>The Seine flows through <u>Paris</u> into the <u>English Channel</u>.</p>' },
      { activityType: 'dropdown', baseText: '<p>The Tagus ends in <u>Lisbon</u>.</p>', wrongAnswersValue: 'Madrid|Porto' },
    ],
  };
  const trueOrFalse = {
    id: 'T1',
    typeGame: 'TrueOrFalse',
    msgs,
    eXeGameInstructions: '<p>Say whether each statement is true.</p>',
    questionsGame: [
      { question: '<p>Rivers always flow north.</p>', feedback: '<p>They flow downhill, in any direction.</p>', solution: 0 },
      { question: '<p>A delta forms where a river meets the sea.</p>', feedback: '', solution: 1 },
    ],
  };
  const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>Rivers</title>
<meta name="generator" content="eXeLearning v4.0.2" /></head>
<body class="exe-web-site"><div class="exe-content"><header class="main-header"><h1 class="page-title">Rivers</h1></header>
<article class="box"><header class="box-head"><h1 class="box-title">Quiz</h1></header><div class="box-content">
<div id="F1" class="idevice_node form" data-idevice-type="form" data-idevice-component-type="json" data-idevice-json-data='${attr(form)}'>
<div class="exe-form-container"><div class="form-IDevice"><div class="form-Data js-hidden">{}</div><div class="form-instructions"><p>Answer the questions about rivers.</p></div></div></div></div>
<div id="T1" class="idevice_node trueorfalse" data-idevice-type="trueorfalse" data-idevice-component-type="json" data-idevice-json-data='${attr(trueOrFalse)}'>
<div class="game-instructions"><p>Say whether each statement is true.</p></div></div>
</div></article></div></body></html>`;

  it('reads selection, true-false, fill and dropdown questions with their answers', async () => {
    const output = await exe.extract(memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE }));
    const questions = output.assessments.flatMap((a) => a.questions);
    const summary = questions.map((q) => ({ type: q.type, prompt: q.prompt, choices: q.choices.map((c) => [c.text, c.correct]), answers: q.correct_answers }));
    expect(summary).toEqual([
      { type: 'choice', prompt: 'Which river is the longest?', choices: [['The Thames', false], ['The Nile', true], ['The Ebro', false]], answers: ['The Nile'] },
      { type: 'multiple_response', prompt: 'Which rivers flow into the Atlantic?', choices: [['The Amazon', true], ['The Ganges', false], ['The Congo', true]], answers: ['The Amazon', 'The Congo'] },
      { type: 'true_false', prompt: 'The Danube crosses ten countries.', choices: [['Cierto', true], ['Falso', false]], answers: ['Cierto'] },
      { type: 'fill_in', prompt: 'The Seine flows through ____ into the ____ .', choices: [], answers: ['Paris', 'English Channel'] },
      { type: 'choice', prompt: 'The Tagus ends in ____ .', choices: [['Lisbon', true], ['Madrid', false], ['Porto', false]], answers: ['Lisbon'] },
      { type: 'true_false', prompt: 'Rivers always flow north.', choices: [['Cierto', false], ['Falso', true]], answers: ['Falso'] },
      { type: 'true_false', prompt: 'A delta forms where a river meets the sea.', choices: [['Cierto', true], ['Falso', false]], answers: ['Cierto'] },
    ]);
    expect(questions[0]?.feedback.correct).toBe('Yes, about 6,650 km.');
    expect(questions[5]?.feedback.incorrect).toBe('They flow downhill, in any direction.');
    const pageText = blocksToText(output.pages[0]?.blocks ?? []);
    expect(pageText).toContain('Answer the questions about rivers.');
    expect(pageText).not.toMatch(/Comprobar|Siguiente|questionsData|\{\}/);
  });
});

describe('eXeLearning 3 blanks left open', () => {
  it('reads in linear time a fill question of a million blanks left open', async () => {
    // Each `<u>` left unclosed once made the search scan to the end again: many minutes for this text.
    const form = { id: 'F3', questionsData: [{ activityType: 'fill', baseText: `<p>Rain falls from <u>clouds</u>.${'<u>'.repeat(1_000_000)}</p>` }] };
    const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>Rain</title><meta name="generator" content="eXeLearning v4.0.2" /></head>
<body class="exe-web-site"><div class="exe-content"><article class="box"><div class="box-content">
<div id="F3" class="idevice_node form" data-idevice-type="form" data-idevice-component-type="json" data-idevice-json-data='${JSON.stringify(form)}'></div>
</div></article></div></body></html>`;
    const output = await exe.extract(memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE }));
    const [question] = output.assessments.flatMap((a) => a.questions);
    expect(question?.correct_answers).toEqual(['clouds']);
    expect(question?.prompt.startsWith('Rain falls from ____ .')).toBe(true);
  });
});

describe('eXeLearning 3 form answers saved as objects', () => {
  // Some versions save each `[isCorrect, text]` answer pair as an object with keys "0" and "1".
  const form = {
    id: 'F2',
    questionsData: [
      { activityType: 'selection', selectionType: 'single', baseText: '<p>Who wrote the first dictionary of English?</p>', answers: [{ 0: false, 1: 'Geoffrey Chaucer' }, { 0: true, 1: 'Samuel Johnson' }] },
    ],
  };
  const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>Words</title><meta name="generator" content="eXeLearning v4.0.3" /></head>
<body class="exe-web-site"><article class="box"><div class="box-content">
<div class="idevice_node form" data-idevice-type="form" data-idevice-json-data='${JSON.stringify(form)}'><div class="form-instructions"><p>One question.</p></div></div>
</div></article></body></html>`;

  it('reads the choices and the correct one', async () => {
    const output = await exe.extract(memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE }));
    const question = output.assessments.flatMap((a) => a.questions)[0];
    expect(question?.prompt).toBe('Who wrote the first dictionary of English?');
    expect(question?.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Geoffrey Chaucer', false],
      ['Samuel Johnson', true],
    ]);
  });
});

describe('eXeLearning 3 quick-questions game', () => {
  // The game's data: JSON, escape()d, each character XOR 146.
  const encodeGame = (data: unknown) =>
    [...JSON.stringify(data)]
      .map((c) => {
        const code = c.charCodeAt(0) ^ 146;
        return code < 256 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
      })
      .join('');
  const game = {
    id: 'G1',
    typeGame: 'Selecciona',
    selectsGame: [
      { typeSelect: 0, quextion: '¿Qué planeta es el más grande?', options: ['Marte', 'Júpiter', 'Venus', ''], solution: 'B', msgHit: 'Exacto.', msgError: '' },
      { typeSelect: 0, quextion: 'Which are gas giants?', options: ['Saturn', 'Mercury', 'Neptune', ''], solution: 'AC' },
      { typeSelect: 1, quextion: 'Order from the Sun outwards', options: ['Earth', 'Mercury', 'Mars', ''], solution: 'BAC' },
      { typeSelect: 2, quextion: 'Name the red planet', options: ['', '', '', ''], solution: '', solutionQuestion: 'Mars' },
    ],
  };
  const PAGE = `<!DOCTYPE html><html lang="es"><head><meta charset="utf-8" /><title>Planetas</title><meta name="generator" content="eXeLearning v4.0.3" /></head>
<body class="exe-web-site"><article class="box"><div class="box-content">
<div id="G1" class="idevice_node quick-questions-multiple-choice" data-idevice-type="quick-questions-multiple-choice" data-idevice-json-data="">
<div class="selecciona-IDevice"><div class="selecciona-instructions"><p>Elige la respuesta correcta.</p></div>
<div class="selecciona-DataGame js-hidden">${encodeGame(game)}</div></div></div>
</div></article></body></html>`;

  it('decodes the game and reads choice, multiple, order and word questions', async () => {
    const output = await exe.extract(memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE }));
    const questions = output.assessments.flatMap((a) => a.questions);
    expect(questions.map((q) => [q.type, q.prompt, q.choices.map((c) => [c.text, c.correct]), q.correct_answers])).toEqual([
      ['choice', '¿Qué planeta es el más grande?', [['Marte', false], ['Júpiter', true], ['Venus', false]], ['Júpiter']],
      ['multiple_response', 'Which are gas giants?', [['Saturn', true], ['Mercury', false], ['Neptune', true]], ['Saturn', 'Neptune']],
      ['sequencing', 'Order from the Sun outwards', [['Earth', null], ['Mercury', null], ['Mars', null]], ['Mercury', 'Earth', 'Mars']],
      ['fill_in', 'Name the red planet', [], ['Mars']],
    ]);
    expect(questions[0]?.feedback.correct).toBe('Exacto.');
    const pageText = blocksToText(output.pages[0]?.blocks ?? []);
    expect(pageText).toBe('Elige la respuesta correcta.');
  });
});

describe('eXeLearning 3 games the decoder does not read', () => {
  const PAGE = `<!DOCTYPE html><html lang="es"><head><meta charset="utf-8" /><title>Gráficos</title><meta name="generator" content="eXeLearning v4.0.3" /></head>
<body class="exe-web-site"><article class="box"><div class="box-content">
<div id="D1" class="idevice_node dragdrop" data-idevice-type="dragdrop" data-idevice-json-data=""><div class="dragdrop-IDevice">
<div class="game-evaluation-ids js-hidden" data-id="D1" data-evaluationb="false"></div>
<div class="dragdrop-instructions gameQP-instructions"><p>Arrastra cada gráfico a su nombre.</p></div>
<div class="dragdrop-version js-hidden">undefined</div>
<div class="dragdrop-DataGame js-hidden">{"typeGame":"dragdrop","cardsGame":[{"definition":"Histograma"}]}</div>
<a href="content/resources/D1/1.png" class="js-hidden dragdrop-LinkImages">0</a><a href="content/resources/D1/2.png" class="js-hidden dragdrop-LinkImages">1</a>
<div class="dragdrop-bns js-hidden">Su navegador no es compatible con esta herramienta.</div></div></div>
<div class="idevice_node mathproblems"><div class="mathproblems-DataGame js-hidden">%E9%EF</div>
<div class="js-hidden mathproblems-LinkWordings" data-id="0"><p>Un tren recorre 120 km en 2 horas. ¿Cuál es su velocidad media?</p></div></div>
<div class="idevice_node form"><div class="form-Data js-hidden">{}</div><div class="form-instructions"><p>Sin preguntas todavía.</p></div></div>
</div></article></body></html>`;

  it('keeps their instructions and problem statements, and leaves out the data, media indexes and browser warnings kept for the script', async () => {
    const output = await exe.extract(memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE }));
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe(
      'Arrastra cada gráfico a su nombre.\n\nUn tren recorre 120 km en 2 horas. ¿Cuál es su velocidad media?\n\nSin preguntas todavía.',
    );
  });
});
