import { describe, expect, it } from 'vitest';
import { blocksToText } from '../../../src/extraction/content/blocks.js';
import type { Question } from '../../../src/extraction/result/extraction-result.js';
import { exe } from '../../../src/extraction/tools/exe/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';

// eXe games keep their data in a hidden `<game>-DataGame` element: JSON, `escape()`d JSON, or
// `escape()`d JSON with each character XOR 146. The texts of the data are invented for these tests.

/** The games' own light encoding: escape()d, each character XOR 146. */
const xor146 = (data: unknown) =>
  [...JSON.stringify(data)]
    .map((c) => {
      const code = c.charCodeAt(0) ^ 146;
      return code < 256 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    })
    .join('');
/** JavaScript's escape(): Latin-1 as %XX, the rest as %uXXXX. */
const jsEscape = (text: string) =>
  [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      if (/[A-Za-z0-9@*_+\-./]/.test(c)) return c;
      return code < 256 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    })
    .join('');

/** An eXe 3 page with one box per game; each game is `[type, inner HTML of its iDevice]`. */
function page(title: string, games: [string, string][]): string {
  const boxes = games
    .map(
      ([type, inner], i) => `<article class="box"><header class="box-head"><h1 class="box-title">${type} ${i + 1}</h1></header><div class="box-content">
<div id="G${i}" class="idevice_node ${type}" data-idevice-type="${type}" data-idevice-component-type="json">${inner}</div></div></article>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>${title}</title><meta name="generator" content="eXeLearning v3.0.2" /></head>
<body class="exe-web-site"><div class="exe-content"><header class="main-header"><h1 class="page-title">${title}</h1></header>${boxes}</div></body></html>`;
}
/** A game's iDevice as eXe 3 writes it: instructions, hidden data, media links, browser warning. */
const game = (name: string, data: string, instructions: string, extra = '') =>
  `<div class="${name}-IDevice"><div class="game-evaluation-ids js-hidden" data-id="x" data-evaluationid="y"></div>
<div class="${name}-instructions gameQP-instructions"><p>${instructions}</p></div><div class="${name}-version js-hidden">2</div>
<div class="${name}-DataGame js-hidden">${data}</div>${extra}<div class="${name}-bns js-hidden">Your browser is not compatible with this tool.</div></div>`;

async function extract(...pages: string[]): Promise<ToolOutput> {
  const files: Record<string, string> = { 'content.xml': '<?xml version="1.0"?><ode/>' };
  pages.forEach((p, i) => (files[i === 0 ? 'index.html' : `html/page${i}.html`] = p));
  return exe.extract(memoryView(files));
}
const questionsOf = (output: ToolOutput): Question[] => output.assessments.flatMap((a) => a.questions);
const summary = (q: Question | undefined) => q && { type: q.type, prompt: q.prompt, answers: q.correct_answers };

describe('eXe games with questions and answers', () => {
  it('reads a fill-in-the-blanks text: blanks between @@, alternatives split by |', async () => {
    const data = xor146({ typeGame: 'Completa', instructions: '<p>Fill in the missing words.</p>', type: 0, textText: '' });
    const text = '<div class="completa-text-game js-hidden"><p>Bees make @@honey@@ from the @@nectar|pollen@@ of flowers.</p></div>';
    const output = await extract(page('Bees', [['complete', game('completa', data, 'Fill in the missing words.', text)]]));
    const [question] = questionsOf(output);
    expect(summary(question)).toEqual({ type: 'fill_in', prompt: 'Bees make ____ from the ____ of flowers.', answers: ['honey', 'nectar / pollen'] });
    const pageText = blocksToText(output.pages[0]?.blocks ?? []);
    expect(pageText).toContain('Fill in the missing words.');
    expect(pageText).not.toMatch(/@@|honey|compatible/);
  });

  it('reads words to find from their definitions: rosco, crossword, guess, and the clues of a word search', async () => {
    const rosco = xor146({ typeGame: 'Rosco', wordsGame: [{ letter: 'A', word: 'Anther', definition: 'Part of the stamen that holds pollen', type: 0 }, { letter: 'B', word: '', definition: '' }] });
    const crossword = xor146({ typeGame: 'Crucigrama', wordsGame: [{ word: 'PETAL', definition: 'Coloured leaf of a flower' }] });
    const guess = xor146({ typeGame: 'Adivina', wordsGame: [{ word: 'SEPAL', definition: 'Green leaf that protects the bud' }] });
    const search = xor146({
      typeGame: 'Sopa',
      wordsGame: [
        { word: 'Stem', definition: 'Holds the flower up' },
        { word: 'Root', definition: 'Root' },
        { word: 'Leaf', definition: '' },
      ],
    });
    const output = await extract(
      page('Flowers', [
        ['az-quiz-game', game('rosco', rosco, 'Guess each word.')],
        ['crossword', game('crucigrama', crossword, 'Solve the crossword.')],
        ['guess', game('adivina', guess, 'Guess the word.')],
        ['word-search', game('sopa', search, 'Find the hidden words.')],
      ]),
    );
    expect(questionsOf(output).map(summary)).toEqual([
      { type: 'fill_in', prompt: 'Part of the stamen that holds pollen', answers: ['Anther'] },
      { type: 'fill_in', prompt: 'Coloured leaf of a flower', answers: ['PETAL'] },
      { type: 'fill_in', prompt: 'Green leaf that protects the bud', answers: ['SEPAL'] },
      { type: 'fill_in', prompt: 'Holds the flower up', answers: ['Stem'] },
    ]);
    // Words a search lists without a clue are what the learner looks for.
    expect(output.pages[0]?.blocks).toContainEqual({ type: 'list', ordered: false, items: ['Root', 'Leaf'] });
  });

  it('reads quiz questions whose solution is an index, and trivial questions with their encoded keys', async () => {
    const quiz = xor146({
      typeGame: 'QuExt',
      questionsGame: [
        { quextion: 'Which gas do plants take in?', numberOptions: 3, options: ['Oxygen', 'Carbon dioxide', 'Helium', 'Left over'], solution: 1, msgHit: 'Well done.' },
        { quextion: 'Which part makes seeds?', numberOptions: 2, options: ['Flower', 'Root', '', ''], solution: 0 },
      ],
    });
    const hidden = xor146({ typeGame: 'HiddenImage', questionsGame: [{ question: 'What does the picture show?', numberOptions: 2, options: ['A tulip', 'A rose'], solution: 1 }] });
    const trivialQuestion = (q: string, options: string[], solution: string, extra: Record<string, unknown> = {}) => ({
      q,
      o: options,
      n: options.filter(Boolean).length,
      s: Buffer.from(encodeURIComponent(`${q.length}${solution}`)).toString('base64'),
      r: Buffer.from(encodeURIComponent((extra.word as string) ?? '')).toString('base64'),
      ...extra,
    });
    const trivial = JSON.stringify({
      typeGame: 'Trivial',
      numeroTemas: 2,
      nombresTemas: ['Roots', 'Leaves', 'Topic 3'],
      temas: [
        [trivialQuestion('Roots take in...', ['water', 'light', '', ''], 'A')],
        [trivialQuestion('Leaves are green because of...', ['chlorophyll', 'sugar', 'salt', ''], 'A'), trivialQuestion('Name the gas leaves give off', ['', '', '', ''], '', { c: 2, word: 'Oxygen' })],
        [trivialQuestion('Unused topic', ['yes', 'no', '', ''], 'A')],
      ],
    });
    const output = await extract(
      page('Plants', [
        ['quick-questions', game('quext', quiz, 'Choose the right answer.')],
        ['hidden-image', game('hiddenimage', hidden, 'Reveal the picture.')],
        ['trivial', game('trivial', trivial, 'Roll the die.')],
      ]),
    );
    const questions = questionsOf(output);
    expect(questions.map((q) => [q.type, q.prompt, q.choices.map((c) => [c.text, c.correct]), q.correct_answers])).toEqual([
      ['choice', 'Which gas do plants take in?', [['Oxygen', false], ['Carbon dioxide', true], ['Helium', false]], ['Carbon dioxide']],
      ['choice', 'Which part makes seeds?', [['Flower', true], ['Root', false]], ['Flower']],
      ['choice', 'What does the picture show?', [['A tulip', false], ['A rose', true]], ['A rose']],
      ['choice', 'Roots take in...', [['water', true], ['light', false]], ['water']],
      ['choice', 'Leaves are green because of...', [['chlorophyll', true], ['sugar', false], ['salt', false]], ['chlorophyll']],
      ['fill_in', 'Name the gas leaves give off', [], ['Oxygen']],
    ]);
    expect(questions[0]?.feedback.correct).toBe('Well done.');
  });

  it('reads identify, challenge and padlock answers, with the clues a learner is given', async () => {
    const identify = xor146({
      typeGame: 'Identifica',
      questionsGame: [{ question: 'Which tree am I?', solution: 'Oak', numberClues: 2, clues: ['I grow acorns', 'My leaves are lobed', 'Unused clue', ''] }],
    });
    const challenge = xor146({
      typeGame: 'desafio',
      desafioTitle: 'The forest riddle',
      desafioDescription: '<p>Solve both riddles to open the gate.</p>',
      desafioSolution: 'canopy',
      challengesGame: [{ title: 'Which layer gets the most sun?', description: '<p>Think of the top.</p>', solution: 'canopy', clues: [] }],
    });
    const padlock = xor146({ candadoSolution: '4321', candadoErrorMessage: 'Try again.' });
    // The padlock's question is its (hidden) instructions; its feedback when right is in the page too.
    const padlockGame = `<div class="candado-IDevice"><div class="candado-version js-hidden">1</div>
<div class="candado-instructions js-hidden"><p>Count the rings of each trunk and type the code.</p></div><div class="candado-retro js-hidden"><p>The gate opens!</p></div>
<div class="candado-DataGame js-hidden">${padlock}</div><div class="candado-bns js-hidden">Your browser is not compatible with this tool.</div></div>`;
    const output = await extract(
      page('Trees', [
        ['identify', game('identifica', identify, 'Find the hidden answer.')],
        ['challenge', game('desafio', challenge, 'Solve every challenge.')],
        ['padlock', padlockGame],
      ]),
    );
    const questions = questionsOf(output);
    expect(questions.map(summary)).toEqual([
      { type: 'fill_in', prompt: 'Which tree am I?', answers: ['Oak'] },
      { type: 'fill_in', prompt: 'Which layer gets the most sun? Think of the top.', answers: ['canopy'] },
      { type: 'fill_in', prompt: 'The forest riddle Solve both riddles to open the gate.', answers: ['canopy'] },
      { type: 'fill_in', prompt: 'Count the rings of each trunk and type the code.', answers: ['4321'] },
    ]);
    expect(questions[3]?.feedback).toEqual({ correct: 'The gate opens!', incorrect: 'Try again.' });
    expect(output.pages[0]?.blocks).toContainEqual({ type: 'list', ordered: false, items: ['I grow acorns', 'My leaves are lobed'] });
  });

  it('reads pairs to relate, groups to classify and labels to drop on pictures', async () => {
    const relate = JSON.stringify({
      typeGame: 'Relaciona',
      cardsGame: [
        { eText: encodeURIComponent('Río Tajo'), eTextBk: encodeURIComponent('Lisboa'), url: '' },
        { eText: encodeURIComponent('Danube'), eTextBk: encodeURIComponent('Black Sea'), url: '' },
        { eText: '', alt: '', url: 'map.png', eTextBk: encodeURIComponent('Delta') },
      ],
    });
    const classify = xor146({
      typeGame: 'Clasifica',
      groups: ['Mammals', 'Birds', 'Group 3'],
      numberGroups: 2,
      wordsGame: [{ type: 1, eText: 'Whale', group: 0 }, { type: 1, eText: 'Penguin', group: 1 }, { type: 0, url: 'bat.png', alt: 'A bat', group: 0 }],
    });
    const dragdrop = JSON.stringify({
      typeGame: 'dragdrop',
      cardsGame: [
        { definition: 'Lighthouse', url: 'a.png', alt: 'Tall white tower by the sea' },
        { definition: 'Harbour', url: 'b.png', alt: '' },
      ],
    });
    const output = await extract(
      page('Geography', [
        ['relate', game('relaciona', relate, 'Join each river with where it ends.')],
        ['classify', game('clasifica', classify, 'Put each animal in its group.')],
        ['dragdrop', game('dragdrop', dragdrop, 'Drag each name onto its picture.')],
      ]),
    );
    const [relation, groups, drop] = questionsOf(output);
    expect(relation).toMatchObject({
      type: 'matching',
      prompt: 'Join each river with where it ends.',
      matches: [
        { source: 'Río Tajo', target: 'Lisboa' },
        { source: 'Danube', target: 'Black Sea' },
      ],
      correct_answers: ['Río Tajo → Lisboa', 'Danube → Black Sea'],
    });
    // A card whose other side is a picture without description still shows its text.
    expect(relation?.choices.map((c) => c.text)).toEqual(['Delta']);
    expect(groups?.correct_answers).toEqual(['Whale → Mammals', 'Penguin → Birds', 'A bat → Mammals']);
    expect(drop).toMatchObject({ type: 'drag_drop', correct_answers: ['Tall white tower by the sea → Lighthouse'] });
    expect(drop?.choices.map((c) => c.text)).toEqual(['Harbour']);
  });

  it('reads things to put in order: the words of a phrase, a phrase of cards, a scrambled list', async () => {
    const words = xor146({ typeGame: 'Ordena', type: 0, phrasesGame: [{ phrase: 'The sun rises in the east', definition: '', cards: [{ id: 1, type: 2 }] }] });
    const cards = xor146({
      typeGame: 'Ordena',
      type: 1,
      phrasesGame: [{ phrase: '', definition: 'Order the life of a frog', cards: [{ eText: 'Egg' }, { eText: 'Tadpole' }, { eText: 'Frog' }] }],
    });
    const scrambled = `<div class="exe-sortableList" id="sl1"><div class="exe-sortableList-instructions"><p>Order the planets from the Sun.</p></div>
<ul class="exe-sortableList-list"><li>Mercury</li><li>Venus</li><li>Earth</li></ul>
<div style="display:none"><p class="exe-sortableList-buttonText">Check</p><p class="exe-sortableList-rightText">Right order!</p><p class="exe-sortableList-wrongText">Not yet.</p></div></div>`;
    const output = await extract(
      page('Order', [
        ['sort', game('ordena', words, 'Drag each word to its place.')],
        ['sort', game('ordena', cards, 'Drag each card to its place.')],
        ['scrambled-list', scrambled],
      ]),
    );
    const questions = questionsOf(output);
    expect(questions.map((q) => [q.type, q.prompt, q.choices.map((c) => c.text), q.correct_answers])).toEqual([
      ['sequencing', 'Drag each word to its place.', ['The', 'sun', 'rises', 'in', 'the', 'east'], ['The sun rises in the east']],
      ['sequencing', 'Order the life of a frog', ['Egg', 'Tadpole', 'Frog'], ['Egg', 'Tadpole', 'Frog']],
      ['sequencing', 'Order the planets from the Sun.', ['Mercury', 'Venus', 'Earth'], ['Mercury', 'Venus', 'Earth']],
    ]);
    expect(questions[2]?.feedback).toEqual({ correct: 'Right order!', incorrect: 'Not yet.' });
    expect(blocksToText(output.pages[0]?.blocks ?? [])).not.toMatch(/\bCheck\b|Right order/);
  });

  it('reads the games of an eXe 2 page', async () => {
    const quiz = xor146({ typeGame: 'QuExt', questionsGame: [{ quextion: 'How many legs has a spider?', numberOptions: 2, options: ['Six', 'Eight'], solution: 1 }] });
    const PAGE = `<!DOCTYPE html><html lang="en"><head><title>Spiders</title><meta name="generator" content="eXeLearning 2.8 - exelearning.net" /></head>
<body class="exe-web-site"><section id="main"><h1 id="nodeTitle">Spiders</h1>
<article class="iDevice_wrapper QuExtIdevice" id="id3"><div class="iDevice emphasis1"><header class="iDevice_header"><h1 class="iDeviceTitle">Quiz</h1></header>
<div class="iDevice_inner"><div class="block iDevice_content">${game('quext', quiz, 'Choose the answer.')}</div></div></div></article></section></body></html>`;
    const output = await exe.extract(memoryView({ 'contentv3.xml': '<instance/>', 'index.html': PAGE }));
    expect(questionsOf(output).map((q) => q.correct_answers)).toEqual([['Eight']]);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('Quiz\n\nChoose the answer.');
  });
});

describe('eXe interactive videos', () => {
  const slides = [
    { type: 'text', text: '<p>Watch how the kettle heats the water.</p>', startTime: 5 },
    { type: 'singleChoice', question: '<p>At what temperature does water boil?</p>', answers: [['50 °C', 0], ['100 °C', 1]], startTime: 20 },
    { type: 'multipleChoice', question: '<p>Which are states of water?</p>', answers: [['Ice', 1], ['Steam', 1], ['Sand', 0]], startTime: 30 },
    { type: 'cloze', text: '<p>Water freezes at <span style="text-decoration: line-through;">0</span> degrees.</p>', startTime: 40 },
    { type: 'dropdown', text: '<p>Steam is a <span style="text-decoration: line-through;">gas</span>.</p>', additionalWords: ['solid', 'liquid'], startTime: 50 },
    { type: 'matchElements', text: '<p>Match each state with an example.</p>', pairs: [['Solid', 'Ice cube'], ['Liquid', 'Rain']], startTime: 60 },
    { type: 'sortableList', text: '<p>Order the steps.</p>', items: ['Fill the kettle', 'Switch it on', 'Pour the water'], startTime: 70 },
    { type: 'image', url: '1', startTime: 80 },
  ];
  const i18n = { start: 'Start', results: 'Results', check: 'Check' };
  const video = (script: string) =>
    `<div class="exe-interactive-video"><p id="exe-interactive-video-file" class="js-hidden"><a href="https://video.example/watch?v=abc">video.example/watch?v=abc</a></p>${script}</div>`;

  it('reads the slides an eXe 3 video keeps as JSON: questions with their answers, and its texts', async () => {
    const script = `<script id="exe-interactive-video-contents" type="application/json">${JSON.stringify({ slides, i18n })}</script>`;
    const output = await extract(page('Water', [['interactive-video', `<div class="exe-interactive-video-content-before"><p>Watch and answer.</p></div>${video(script)}`]]));
    const questions = questionsOf(output);
    expect(questions.map((q) => [q.type, q.prompt, q.choices.map((c) => [c.text, c.correct]), q.correct_answers])).toEqual([
      ['choice', 'At what temperature does water boil?', [['50 °C', false], ['100 °C', true]], ['100 °C']],
      ['multiple_response', 'Which are states of water?', [['Ice', true], ['Steam', true], ['Sand', false]], ['Ice', 'Steam']],
      ['fill_in', 'Water freezes at ____ degrees.', [], ['0']],
      ['choice', 'Steam is a ____ .', [['gas', true], ['solid', false], ['liquid', false]], ['gas']],
      ['matching', 'Match each state with an example.', [], ['Solid → Ice cube', 'Liquid → Rain']],
      ['sequencing', 'Order the steps.', [['Fill the kettle', null], ['Switch it on', null], ['Pour the water', null]], ['Fill the kettle', 'Switch it on', 'Pour the water']],
    ]);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('interactive-video 1\n\nWatch and answer.\n\nWatch how the kettle heats the water.');
  });

  it('finds a struck word nested in a styled one, and passes over struck words left open', async () => {
    const open = '<span style="text-decoration: line-through;">'.repeat(1000);
    const hostile = [
      { type: 'cloze', text: '<p>Ice is <span class="c"><span style="text-decoration: line-through;">solid</span></span> water.</p>', startTime: 10 },
      { type: 'cloze', text: `<p>Fog is <span style="text-decoration: line-through;">water</span> in the air.${open}</p>`, startTime: 20 },
    ];
    const script = `<script id="exe-interactive-video-contents" type="application/json">${JSON.stringify({ slides: hostile, i18n })}</script>`;
    const output = await extract(page('Water', [['interactive-video', video(script)]]));
    expect(questionsOf(output).map((q) => q.correct_answers)).toEqual([['solid'], ['water']]);
  });

  it('reads the slides an eXe 2 video assigns in its script', async () => {
    const script = `<script type="text/javascript">//<![CDATA[\nvar InteractiveVideo = ${JSON.stringify({ slides: slides.slice(0, 2), i18n })}\n//]]></script>`;
    const PAGE = `<!DOCTYPE html><html lang="en"><head><title>Water</title><meta name="generator" content="eXeLearning 2.9 - exelearning.net" /></head>
<body class="exe-web-site"><section id="main"><h1 id="nodeTitle">Water</h1><article class="iDevice_wrapper interactive-videoIdevice" id="id4"><div class="iDevice emphasis1">
<div class="iDevice_inner"><div class="block iDevice_content">${video(script)}</div></div></div></article></section></body></html>`;
    const output = await exe.extract(memoryView({ 'contentv3.xml': '<instance/>', 'index.html': PAGE }));
    expect(questionsOf(output).map((q) => q.correct_answers)).toEqual([['100 °C']]);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('Watch how the kettle heats the water.');
  });

  it("reads the title and description its cover shows before it plays", async () => {
    const data = { slides: slides.slice(0, 2), i18n, title: 'The kettle', description: '<p>Watch the story, then <strong>answer</strong> the questions.</p>', coverType: 'text' };
    const script = `<script type="text/javascript">//<![CDATA[\nvar InteractiveVideo = ${JSON.stringify(data)}\n//]]></script>`;
    const PAGE = `<!DOCTYPE html><html lang="en"><head><title>Water</title><meta name="generator" content="eXeLearning 2.9 - exelearning.net" /></head>
<body class="exe-web-site"><section id="main"><h1 id="nodeTitle">Water</h1><article class="iDevice_wrapper interactive-videoIdevice" id="id4"><div class="iDevice emphasis1">
<header class="iDevice_header"><span class="iDeviceTitle">&nbsp;</span></header>
<div class="iDevice_inner"><div class="block iDevice_content">${video(script)}</div></div></div></article></section></body></html>`;
    const output = await exe.extract(memoryView({ 'contentv3.xml': '<instance/>', 'index.html': PAGE }));
    expect(output.pages[0]?.title).toBe('Water');
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('The kettle\n\nWatch the story, then answer the questions.\n\nWatch how the kettle heats the water.');
    // The player's stand-in for a missing title is not a title.
    const untitled = PAGE.replace('The kettle', '...');
    const other = await exe.extract(memoryView({ 'contentv3.xml': '<instance/>', 'index.html': untitled }));
    expect(blocksToText(other.pages[0]?.blocks ?? [])).not.toContain('...');
  });
});

describe('eXe games that carry learner text', () => {
  it('reads flip cards, before/after cards, puzzles, checklists and rubrics as text', async () => {
    const flip = JSON.stringify({
      typeGame: 'FlipCards',
      cardsGame: [
        { eText: encodeURIComponent('What is a comet?'), eTextBk: encodeURIComponent('A ball of ice and dust'), url: '', urlBk: '' },
        { eText: '', url: 'moon.png', alt: 'The Moon at night', eTextBk: encodeURIComponent('Earth’s only satellite'), urlBk: '' },
      ],
    });
    const before = JSON.stringify({ typeGame: 'BeforeAfter', cardsGame: [{ description: 'A river in 1950', eText: 'Wide and clean', eTextBk: 'Narrow and dry', url: 'a.png', urlBk: 'b.png' }] });
    const puzzle = xor146({ typeGame: 'Puzzle', puzzlesGame: [{ definition: 'Rebuild the map of the valley', clue: 'Start with the corners', url: 'valley.png' }] });
    const checklist = xor146({
      typeGame: 'Cotejo',
      title: 'Before you hand in',
      subtitle: 'Tick what you did',
      levels: [{ type: '0', nivel: '0', item: 'I read the task' }, { type: '0', nivel: '0', item: '<span>I checked my spelling</span>' }],
      footer: 'This checklist is under a <a href=x>licence</a>',
    });
    const rubricData = {
      typeGame: 'Rubric',
      table: {
        title: 'Poster rubric',
        categories: ['Content', 'Design'],
        scores: ['Great (2)', 'Weak (1)'],
        descriptions: [
          [{ weight: '2', text: 'All facts are right' }, { weight: '1', text: 'Some facts are wrong' }],
          [{ weight: '2', text: 'Clear and tidy' }, { weight: '1', text: 'Hard to read' }],
        ],
      },
      i18n: { rubric: 'Rubric', reset: 'Reset' },
    };
    const rubric = `<div class="rubric-IDevice"><div class="exe-rubrics-instructions gameQP-instructions"><p>Use this rubric.</p></div><div class="rubric">
<div class="exe-rubrics-DataGame js-hidden">${jsEscape(JSON.stringify(rubricData))}</div><ul class="exe-rubrics-strings"><li class="rubric">Rubric</li><li class="reset">Reset</li><li class="print">Print</li></ul></div></div>`;
    const output = await extract(
      page('Space', [
        ['flipcards', game('flipcards', flip, 'Click the cards to turn them.', '<a href="moon.png" class="js-hidden flipcards-LinkImages">1</a><a href="x.png" class="js-hidden flipcards-LinkImagesBack">0</a>')],
        ['beforeafter', game('beforeafter', before, 'Slide to compare.')],
        ['puzzle', game('puzzle', puzzle, 'Solve the puzzle.')],
        ['checklist', game('listacotejo', checklist, '')],
        ['rubric', rubric],
      ]),
    );
    expect(output.assessments).toEqual([]);
    const blocks = output.pages[0]?.blocks ?? [];
    expect(blocksToText(blocks)).toBe(
      [
        'flipcards 1',
        'Click the cards to turn them.',
        'What is a comet?',
        'A ball of ice and dust',
        '[Image: The Moon at night]',
        'Earth’s only satellite',
        'beforeafter 2',
        'Slide to compare.',
        'A river in 1950',
        'Wide and clean',
        'Narrow and dry',
        'puzzle 3',
        'Solve the puzzle.',
        'Rebuild the map of the valley',
        'Start with the corners',
        'checklist 4',
        'Before you hand in',
        'Tick what you did',
        'I read the task\nI checked my spelling',
        'rubric 5',
        'Use this rubric.',
        'Poster rubric',
        ' | Great (2) | Weak (1)\nContent | All facts are right | Some facts are wrong\nDesign | Clear and tidy | Hard to read',
      ].join('\n\n'),
    );
  });
});

describe('eXe activity chrome', () => {
  it('leaves out the timer and score of a board, GeoGebra messages, an embed error and a download button', async () => {
    const form = `<div class="exe-form-container"><div class="form-IDevice"><div class="form-Data js-hidden">{}</div><div class="form-instructions"><p>Answer the questions.</p></div>
<div class="FRMP-GameScoreBoard" style="display:none;"><div><strong><span class="sr-av">Time per question:</span></strong><span>00:00</span></div></div>
<div class="form-results-container"><div class="score-text">Score.</div></div></div></div>`;
    const trueFalse = `<div class="exe-trueorfalse-container"><div class="TOFP-instructions"><p>Is it true?</p></div><div class="TOFP-GameScoreBoard TOFP-EHidden"><p class="TOFP-PTime">00:00:</p></div></div>`;
    const geogebra = `<div class="auto-geogebra"><div class="auto-geogebra-instructions"><p>Move the slider.</p></div><div class="auto-geogebra-author js-hidden">Ann,https%3A//example.org,Slider,1,Author</div>
<div class="auto-geogebra-messages-evaluation">Activity%20not%20done,Score%3A%20%25s</div><div class="auto-geogebra-messages-scorm">Not%20saved</div></div>`;
    const website = `<div id="iframeWebsiteIdevice"><iframe src="https://example.org"></iframe><div class="iframe-error-message" style="display:none;">An HTTP frame cannot be shown in an HTTPS page.</div></div>`;
    const download = `<div class="exe-download-package-instructions"><p>Take the project with you.</p></div><p class="exe-download-package-link"><a download="x.elpx" href="#">Download the .elpx file</a></p>`;
    const output = await extract(
      page('Chrome', [
        ['form', form],
        ['trueorfalse', trueFalse],
        ['geogebra-activity', geogebra],
        ['external-website', website],
        ['download-source-file', download],
      ]),
    );
    const pageText = blocksToText(output.pages[0]?.blocks ?? []);
    expect(pageText).toBe(
      ['form 1', 'Answer the questions.', 'trueorfalse 2', 'Is it true?', 'geogebra-activity 3', 'Move the slider.', 'external-website 4', 'download-source-file 5', 'Take the project with you.'].join('\n\n'),
    );
  });
});

describe('eXe 3 boxes holding several iDevices', () => {
  it('keeps the hidden learner text of one iDevice when another of the box is an activity', async () => {
    const quiz = xor146({ typeGame: 'Selecciona', selectsGame: [{ typeSelect: 0, quextion: 'How many wheels has a bike?', options: ['Two', 'Three', '', ''], solution: 'A' }] });
    const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>Bikes</title><meta name="generator" content="eXeLearning v3.0.2" /></head>
<body class="exe-web-site"><article class="box"><header class="box-head"><h1 class="box-title">Practice</h1></header><div class="box-content">
<div class="idevice_node quick-questions-multiple-choice">${game('selecciona', quiz, 'Pick the answer.')}</div>
<div class="idevice_node mathproblems"><div class="mathproblems-IDevice"><div class="mathproblems-DataGame js-hidden">%E9%EF</div>
<div class="js-hidden mathproblems-LinkWordings" data-id="0"><p>A bike rides 30 km in 2 hours. How fast does it go?</p></div></div></div>
</div></article></body></html>`;
    const output = await exe.extract(memoryView({ 'content.xml': '<?xml version="1.0"?><ode/>', 'index.html': PAGE }));
    expect(questionsOf(output).map((q) => q.correct_answers)).toEqual([['Two']]);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('Practice\n\nPick the answer.\n\nA bike rides 30 km in 2 hours. How fast does it go?');
  });
});

describe('eXe game data that does not decode', () => {
  it('ignores broken or hostile data without failing', async () => {
    const output = await extract(
      page('Broken', [
        ['complete', game('completa', '%E9%B0%XX not data', 'Still readable.')],
        ['relate', game('relaciona', '{"cardsGame": "not a list"}', 'Also readable.')],
        ['trivial', game('trivial', '{"numeroTemas": 3, "temas": [[{"q": 5, "s": "%%%", "o": "x"}]]}', 'Readable too.')],
      ]),
    );
    expect(output.assessments).toEqual([]);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe(['complete 1', 'Still readable.', 'relate 2', 'Also readable.', 'trivial 3', 'Readable too.'].join('\n\n'));
  });
});
