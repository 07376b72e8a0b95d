import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import type { ExtractionResult, Question } from '../../src/extraction/result/extraction-result.js';
import { scorm12Manifest } from '../support/packages.js';
import { writeZip } from '../support/zip-writer.js';

// Hand-coded courses whose lessons and questions are data in a script: the launch page is an empty
// player ("Next", "Score:") that a script fills from an object literal or JSON.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-course-data-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
async function extract(files: Record<string, string>): Promise<ExtractionResult> {
  const file = path.join(dir, `course${++count}.zip`);
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('Data course', ['Course']) },
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
  ]);
  return extractPackage(file);
}

const player = (scripts: string[], extra = '') => `<!DOCTYPE html><html><head><title>Player</title></head><body>
<header><h1 id="course-title"></h1><span id="progress"></span></header>
<main id="content"></main>${extra}
<footer><button id="prev">Previous</button><button id="next">Next</button><span>Score:</span> <span id="score">0</span></footer>
<script src="js/jquery-3.6.0.min.js"></script><script src="js/SCORM_API_wrapper.js"></script>
${scripts.map((s) => (s.startsWith('<') ? s : `<script src="${s}"></script>`)).join('\n')}
</body></html>`;

const questionsOf = (result: ExtractionResult): Question[] => result.assessments.flatMap((a) => a.questions);
const marked = (question: Question | undefined) => question?.choices.map((c) => [c.text, c.correct]);
const allText = (result: ExtractionResult) =>
  [...result.pages.map((p) => `${p.title ?? ''}\n${p.text}`), ...questionsOf(result).map((q) => q.prompt)].join('\n');
const UI_LABELS = /^(Next|Previous|Submit|Check answer|Score:)$/m;

describe('course data in scripts', () => {
  it('reads sections of a data.js as pages and its quiz as questions, correct answers given by index', async () => {
    const result = await extract({
      'page1.html': player(['data.js', 'app.js']),
      'data.js': `const data = {
        name: "Ravi", bannerUrl: "images/banner.jpg", badgeText: "Mentor", badgeColor: "teal",
        theme: { titleColor: 'teal', buttonText: 'white', headline: 'Welcome aboard, friend' },
        sections: [
          { title: "Why Bees Matter", type: "title-text", text: "Bees pollinate a third of the food we eat.<br> Without them, orchards go quiet." },
          { title: "Swarming 🐝", type: "title-text", text: "In spring an old queen leaves with half the workers." },
          { title: "The Hive", type: "image-text", text: "A colony holds one queen and <b>thousands of workers</b>.",
            mediaUrl: "images/hive.jpg", alt: "A wooden hive box in a meadow" },
          { title: "Hive Check", type: "quiz", questions: [
            { question: "Who lays the eggs in a colony?", options: ["The drones", "The queen", "The workers"], correct: 1 },
            { question: "What do bees mostly pollinate?", options: ["Flowering plants", "Mosses", "Ferns"], correct: 0 }
          ] }
        ]
      };`,
      'app.js': `function render() { document.getElementById('next').textContent = 'Next'; }`,
    });
    expect(result.pages.map((p) => [p.title, p.text])).toEqual([
      ['Why Bees Matter', 'Bees pollinate a third of the food we eat. Without them, orchards go quiet.'],
      ['Swarming 🐝', 'In spring an old queen leaves with half the workers.'],
      ['The Hive', 'A colony holds one queen and thousands of workers.\n\n[Image: A wooden hive box in a meadow]'],
    ]);
    expect(result.assessments.map((a) => a.title)).toEqual(['Hive Check']);
    expect(questionsOf(result).map((q) => [q.type, q.prompt, marked(q)])).toEqual([
      ['choice', 'Who lays the eggs in a colony?', [['The drones', false], ['The queen', true], ['The workers', false]]],
      ['choice', 'What do bees mostly pollinate?', [['Flowering plants', true], ['Mosses', false], ['Ferns', false]]],
    ]);
    expect(result.media.find((m) => m.path === 'images/hive.jpg')?.alt_text).toBe('A wooden hive box in a meadow');
    expect(allText(result)).not.toMatch(UI_LABELS);
    expect(allText(result)).not.toMatch(/Mentor|Welcome aboard/);
  });

  it('reads modules of pages with HTML bodies, and a quiz with letters for answers and explanations', async () => {
    const result = await extract({
      'page1.html': player(['js/course.js']),
      'js/course.js': `var course = {
        title: "Coastal Tides",
        modules: [
          { id: "m1", title: "Module 1: What moves the sea", pages: [
            { heading: "The pull of the Moon", body: "<p>The Moon's gravity raises a bulge of water on the near side of the Earth.</p><ul><li>High tide under the Moon</li><li>High tide opposite it</li></ul>" },
            { heading: "Spring and neap tides", body: "<p>When Sun and Moon line up, tides reach their highest range.</p>" }
          ] }
        ],
        quiz: { title: "Tide check", questions: [
          { id: "t1", stem: "What mainly causes ocean tides?", choices: ["Wind", "The Moon's gravity", "Earthquakes"], answer: "B",
            explanation: "The Moon's pull is the main driver of tides." }
        ] }
      };
      $(function () { $('#next').on('click', function () { show(page + 1); }); });`,
    });
    expect(result.pages.map((p) => [p.title, p.text])).toEqual([
      ['The pull of the Moon', "Module 1: What moves the sea\n\nThe Moon's gravity raises a bulge of water on the near side of the Earth.\n\nHigh tide under the Moon\nHigh tide opposite it"],
      ['Spring and neap tides', 'When Sun and Moon line up, tides reach their highest range.'],
    ]);
    const [question] = questionsOf(result);
    expect(result.assessments[0]?.title).toBe('Tide check');
    expect(marked(question)).toEqual([['Wind', false], ["The Moon's gravity", true], ['Earthquakes', false]]);
    expect(question?.feedback).toEqual({ correct: "The Moon's pull is the main driver of tides.", incorrect: "The Moon's pull is the main driver of tides." });
  });

  it('reads question banks whose answer is the text of a choice or the key of a map of choices', async () => {
    const result = await extract({
      'page1.html': player(['assets/js/questions.js', 'assets/js/quiz.js']),
      'assets/js/questions.js': `var questions = [
        { title: 'Which layer of the Earth is liquid?', options: ['Inner core', 'Outer core', 'Crust'], answer: 'Outer core' },
        { question: "Which rock is volcanic?", answers: { a: "Basalt", b: "Chalk", c: "Marble" }, correctAnswer: "a" }
      ];`,
      'assets/js/quiz.js': `const startButton = document.getElementById('start'); startButton.textContent = "Start quiz";`,
    });
    expect(questionsOf(result).map((q) => [q.prompt, marked(q), q.correct_answers])).toEqual([
      ['Which layer of the Earth is liquid?', [['Inner core', false], ['Outer core', true], ['Crust', false]], ['Outer core']],
      ['Which rock is volcanic?', [['Basalt', true], ['Chalk', false], ['Marble', false]], ['Basalt']],
    ]);
    expect(result.pages.map((p) => p.text).join('\n')).not.toMatch(UI_LABELS);
  });

  it('reads data a script parses from JSON text, with choices flagged correct and feedback by outcome', async () => {
    const json = JSON.stringify({
      lessons: [{ title: 'Sorting waste', content: 'Glass, paper and metal each go to their own bin.\n\nFood scraps can be composted at home.' }],
      assessment: [
        {
          prompt: 'Which items can go in the recycling bin?',
          type: 'multiple-response',
          choices: [
            { label: 'Clean glass jars', isCorrect: true },
            { label: 'Greasy pizza boxes', isCorrect: false },
            { label: 'Aluminium cans', isCorrect: true },
          ],
          feedback: { correct: 'Yes: clean glass and metal are recycled.', incorrect: 'Greasy card spoils the paper batch.' },
        },
      ],
    });
    const result = await extract({
      'page1.html': player([`<script>window.courseData = JSON.parse('${json.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'); startCourse(window.courseData);</script>`]),
    });
    expect(result.pages.map((p) => [p.title, p.text])).toEqual([
      ['Sorting waste', 'Glass, paper and metal each go to their own bin.\n\nFood scraps can be composted at home.'],
    ]);
    const [question] = questionsOf(result);
    expect(question?.type).toBe('multiple_response');
    expect(question?.correct_answers).toEqual(['Clean glass jars', 'Aluminium cans']);
    expect(question?.feedback).toEqual({ correct: 'Yes: clean glass and metal are recycled.', incorrect: 'Greasy card spoils the paper batch.' });
  });

  it('reads a JSON question file that a script fetches, matching answers to choices loosely', async () => {
    const result = await extract({
      'page1.html': player(['quiz.js']),
      'quiz.js': `fetch('data/quiz-data.json').then(function (r) { return r.json(); }).then(buildQuiz);`,
      'data/quiz-data.json': JSON.stringify({
        passingScore: '80',
        questions: [
          { id: 'q1', text: 'Sound travels faster in water than in air.', choices: ['True.', 'False.'], answer: 'True' },
          { id: 'q2', text: 'Which unit measures loudness?', choices: ['Hertz', 'Decibel', 'Watt'], answer: 'Decibel' },
        ],
      }),
    });
    expect(questionsOf(result).map((q) => [q.type, q.prompt, q.correct_answers])).toEqual([
      ['true_false', 'Sound travels faster in water than in air.', ['True.']],
      ['choice', 'Which unit measures loudness?', ['Decibel']],
    ]);
  });

  it('reads pages keyed by name with numbered paragraphs, titled by their display name rather than their slug', async () => {
    const result = await extract({
      'page1.html': player(['scripts/courseData.js']),
      'scripts/courseData.js': `const courseData = {
        basics: {
          page1: { pageType: 'display', pageName: 'How Kites Fly', title: 'howkitesfly', elements: {
            heading: 'Lift and drag',
            image1: { size: 'big', href: 'images/kite.png', altText: 'A red kite against clouds' },
            paragraph1: 'A kite flies when moving air pushes up on its angled face.',
            paragraph2: 'The line holds the kite against the wind, which keeps the lift going.'
          } }
        }
      };`,
    });
    expect(result.pages.map((p) => [p.title, p.text])).toEqual([
      [
        'Lift and drag',
        'How Kites Fly\n\n[Image: A red kite against clouds]\n\nA kite flies when moving air pushes up on its angled face.\n\nThe line holds the kite against the wind, which keeps the lift going.',
      ],
    ]);
  });

  it('reads course data kept as JSON in the page itself', async () => {
    const data = { slides: [{ title: 'Reading a map', html: '<h3>Contour lines</h3><p>Lines close together mean a steep slope.</p>' }] };
    const result = await extract({ 'page1.html': player([`<script type="application/json" id="course">${JSON.stringify(data)}</script>`]) });
    expect(result.pages.map((p) => [p.title, p.text])).toEqual([['Reading a map', 'Contour lines\n\nLines close together mean a steep slope.']]);
  });

  it('keeps the launch page when it has text of its own, with the data pages after it', async () => {
    const result = await extract({
      'page1.html': player(['data.js'], '<p>This short course explains how to read a weather chart before a sailing trip.</p>'),
      'data.js': `var pages = [{ title: 'Isobars', text: 'Isobars join points of equal air pressure on a chart.' }];`,
    });
    expect(result.pages.map((p) => p.title)).toEqual(['Player', 'Isobars']);
  });

  it('never reads configuration, interface strings, library data or label pairs as course text', async () => {
    const result = await extract({
      'page1.html': player(['js/config.js', 'js/vendor/chart-data.js', 'js/app.js']),
      'js/config.js': `var config = { passingScore: 80, theme: { title: 'Dark theme', description: 'A theme with dark colours for night use.' } };
        var labels = { next: 'Next', previous: 'Previous', submit: 'Submit', check: 'Check answer', score: 'Score:' };
        var i18n = { en: { title: 'Course player', text: 'Press the button below to continue on.' } };
        var ui = [{ text: 'Next' }, { text: 'Check answer' }, { label: 'Submit', question: 'Question', answer: 'Answer' }];`,
      'js/vendor/chart-data.js': `var samples = [{ title: 'Sample chart', description: 'Monthly sales of an example shop in dollars.' }];`,
      'js/app.js': `var state = { current: 0, answers: [] }; function go(n) { state.current = n; }`,
    });
    expect(result.pages.map((p) => p.source)).toEqual(['page1.html']);
    expect(allText(result)).not.toMatch(/theme|colours|Course player|continue on|Sample chart|Monthly sales|Check answer|Question/);
    expect(result.assessments).toEqual([]);
  });

  it('reads large, deeply nested and broken scripts without crashing or hanging', async () => {
    const pages = Array.from({ length: 20_000 }, (_, i) => `{ title: "Step ${i}", body: "<p>Step ${i} of the long walk through the valley.</p>" }`);
    const started = Date.now();
    const result = await extract({
      'page1.html': player(['big.js', 'deep.js', 'broken.js']),
      'big.js': `var course = { pages: [${pages.join(',\n')}] };`,
      'deep.js': `var nested = ${'['.repeat(50_000)}${']'.repeat(50_000)}; var more = ${'{a:'.repeat(20_000)}1${'}'.repeat(20_000)};`,
      'broken.js': `var quiz = [{ question: "Why is the sky blue?", options: ["Light scatters", "It reflects the sea"], answer: 0 }];
        function broken( { return`,
    });
    expect(result.pages).toHaveLength(20_000);
    expect(result.pages[19_999]?.text).toBe('Step 19999 of the long walk through the valley.');
    expect(questionsOf(result).map((q) => [q.prompt, q.correct_answers])).toEqual([['Why is the sky blue?', ['Light scatters']]]);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

describe('exercises in course data', () => {
  it('lists the steps of an ordering exercise, in the order the data gives them', async () => {
    const result = await extract({
      'page1.html': player(['lessons.js']),
      'lessons.js': `const LESSONS = [
        { name: 'Planting a hedge', steps: [
          { type: 'reading', title: 'Choosing plants', content: '<p>Native shrubs feed more birds than exotic ones.</p>' },
          { type: 'interactive', title: 'Planting order', instructions: 'Put these steps in the order you would follow.', interactiveType: 'sequence',
            items: ['Mark the line with string', 'Dig a trench along the line', 'Set the plants in a staggered row', 'Water them in well'] }
        ] }
      ];`,
    });
    const page = result.pages.find((p) => p.title === 'Planting order');
    expect(page?.blocks).toContainEqual({
      type: 'list', ordered: false,
      items: ['Mark the line with string', 'Dig a trench along the line', 'Set the plants in a staggered row', 'Water them in well'],
    });
  });
});
