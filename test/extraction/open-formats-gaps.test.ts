import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import type { ExtractionResult, Question } from '../../src/extraction/result/extraction-result.js';
import { adapt } from '../../src/extraction/tools/adapt/index.js';
import { easygenerator } from '../../src/extraction/tools/easygenerator/index.js';
import { memoryView } from '../support/memory-source.js';
import { writeZip } from '../support/zip-writer.js';
import { pageTexts } from '../support/tool-output.js';

// Shapes met in hand-written cmi5 and xAPI courses and in Adapt and Easygenerator exports: answers
// named on the question's markup, a lone question asked above its form, a scenario before a
// question in course data, and template sample text the author never replaced.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-open-formats-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
async function extract(files: Record<string, string>, descriptor: { name: string; data: string }): Promise<ExtractionResult> {
  const file = path.join(dir, `package${++count}.zip`);
  await writeZip(file, [descriptor, ...Object.entries(files).map(([name, data]) => ({ name, data }))]);
  return extractPackage(file);
}

const cmi5 = (url: string) => ({
  name: 'cmi5.xml',
  data: `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/orchard"><title><langstring lang="en-US">Orchard care</langstring></title>
    <description><langstring lang="en-US">Looking after fruit trees.</langstring></description></course>
  <au id="https://example.org/orchard/au1" moveOn="CompletedOrPassed"><title><langstring lang="en-US">Pruning</langstring></title>
    <description><langstring lang="en-US">When and how to prune.</langstring></description><url>${url}</url></au>
</courseStructure>`,
});

const tincan = (launch: string) => ({
  name: 'tincan.xml',
  data: `<?xml version="1.0" encoding="UTF-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>
  <activity id="https://example.org/tides" type="http://adlnet.gov/expapi/activities/course">
    <name>Tides</name><description lang="en-US">Why the sea rises and falls.</description><launch lang="en-US">${launch}</launch>
  </activity></activities></tincan>`,
});

const questionsOf = (result: ExtractionResult): Question[] => result.assessments.flatMap((a) => a.questions);
const summary = (q: Question) => [q.type, q.prompt, q.choices.filter((c) => c.correct).map((c) => c.text), q.feedback];

describe('hand-written quizzes in cmi5 and xAPI courses', () => {
  it('reads the right values a question names on its element or on its check button, and its outcome feedback', async () => {
    const option = (name: string, value: string, text: string, type = 'radio') =>
      `<label class="option"><input type="${type}" name="${name}" value="${value}"><span>${text}</span></label>`;
    const result = await extract(
      {
        'index.html': `<html><head><title>Pruning</title></head><body>
        <section><h1>Pruning apple trees</h1><p>Prune in late winter, while the tree is dormant.</p>
        <input type="text" id="learner-name" placeholder="Your name">
        <div class="quiz-question" data-question="1">
          <h3>Question 1 of 2</h3>
          <p class="question-text">When should apple trees be pruned?</p>
          <div class="options">${option('q1', 'a', 'In midsummer')}${option('q1', 'b', 'In late winter')}${option('q1', 'c', 'Never')}</div>
          <div class="quiz-feedback hidden">
            <div class="feedback-correct hidden"><span>Correct! A dormant tree heals cleanly.</span></div>
            <div class="feedback-incorrect hidden"><span>Not quite. Think about when the tree rests.</span></div>
          </div>
          <button class="check-answer" data-correct="b">Check Answer</button>
        </div>
        <div class="quiz-question" data-question="2">
          <p class="question-text">Which cuts remove crowding?</p>
          <div class="options">${option('q2', 'a', 'Thinning cuts', 'checkbox')}${option('q2', 'b', 'Heading cuts', 'checkbox')}${option('q2', 'c', 'Removing crossing branches', 'checkbox')}</div>
          <button class="check-answer" data-correct="a,c">Check Answer</button>
        </div>
        <div class="exam-question" data-correct="c">
          <h3>What tool suits branches thicker than a thumb?</h3>
          <div class="options">${option('e1', 'a', 'Scissors')}${option('e1', 'b', 'Bare hands')}${option('e1', 'c', 'A pruning saw')}</div>
          <button class="submit-answer">Submit Answer</button>
        </div></section></body></html>`,
      },
      cmi5('index.html'),
    );
    expect(questionsOf(result).map(summary)).toEqual([
      ['choice', 'When should apple trees be pruned?', ['In late winter'], { correct: 'Correct! A dormant tree heals cleanly.', incorrect: 'Not quite. Think about when the tree rests.' }],
      ['multiple_response', 'Which cuts remove crowding?', ['Thinning cuts', 'Removing crossing branches'], { correct: null, incorrect: null }],
      ['choice', 'What tool suits branches thicker than a thumb?', ['A pruning saw'], { correct: null, incorrect: null }],
    ]);
  });

  it('reads a lone question asked above its form, graded against a variable holding the right answer', async () => {
    const result = await extract(
      {
        'index.html': `<html><head><title>Tides</title></head><body>
        <h2>Lesson: Tides</h2>
        <p><strong>What mainly causes the tides?</strong></p>
        <form id="quiz">
          <label><input type="radio" name="choice" value="The pull of the Moon"> The pull of the Moon</label><br>
          <label><input type="radio" name="choice" value="Wind over the sea"> Wind over the sea</label><br>
          <label><input type="radio" name="choice" value="Rivers"> Rivers</label><br>
          <button type="button" onclick="send()">Submit</button>
        </form>
        <script>
          function send() {
            const selected = document.querySelector('input[name="choice"]:checked');
            const choice = selected ? selected.value : "No choice";
            const correctAnswer = "The pull of the Moon";
            const isCorrect = choice === correctAnswer;
            document.getElementById("result").textContent = isCorrect ? "Correct" : "Incorrect";
          }
        </script></body></html>`,
      },
      tincan('index.html'),
    );
    expect(questionsOf(result).map(summary)).toEqual([['choice', 'What mainly causes the tides?', ['The pull of the Moon'], { correct: null, incorrect: null }]]);
  });

  it('keeps the scenario a data-driven question opens with, as a page before it', async () => {
    const result = await extract(
      {
        'index.html': '<html><head><title>Player</title><script src="content.js"></script></head><body><div id="app"></div><button>Next</button></body></html>',
        'content.js': `const LESSONS = [{
          name: 'Grafting',
          steps: [
            { type: 'text', title: 'Why graft', content: '<p>Grafting joins a chosen variety onto a hardy rootstock.</p>' },
            { type: 'practice', title: 'Check your grafting',
              scenario: 'A neighbour wants a dwarf tree that still bears the fruit of an old family variety.',
              question: 'What should they graft onto?',
              choices: [ { text: 'A dwarfing rootstock', correct: true }, { text: 'A seedling of the same variety', correct: false } ] }
          ]
        }];`,
      },
      cmi5('index.html'),
    );
    const texts = result.pages.map((p) => p.text).join('\n');
    expect(texts).toContain('A neighbour wants a dwarf tree that still bears the fruit of an old family variety.');
    const scenarioPage = result.pages.findIndex((p) => p.text.includes('A neighbour wants'));
    expect(result.pages[scenarioPage]?.title).toBe('Check your grafting');
    expect(questionsOf(result).map(summary)).toEqual([['choice', 'What should they graft onto?', ['A dwarfing rootstock'], { correct: null, incorrect: null }]]);
  });
});

describe('template sample text left in authoring-tool exports', () => {
  it('drops the Easygenerator sample heading and text of a block the author never filled', async () => {
    const fragment = (html: string) => `<div class="eg-content-editor"><div class="column">${html}</div></div>`;
    const course = {
      title: 'Pond life',
      hasIntroductionContent: true,
      introductions: [{ id: 'intro', children: [] }],
      sections: [{ id: 's1', title: 'Frogs', questions: [{ id: 'q1', title: 'Frog spawn', type: 'informationContent', learningContents: [{ id: 'lc1', children: [] }, { id: 'lc2', children: [] }] }] }],
    };
    const view = memoryView({
      'settings.js': '{}',
      'content/data.js': JSON.stringify(course),
      'content/intro.html': fragment('<h2>Your heading text goes here</h2><p>Lorem Ipsum is simply dummy text of the printing and typesetting industry.</p>'),
      'content/lc1.html': fragment('<p>Frogs lay their spawn in shallow, still water in early spring.</p>'),
      'content/lc2.html': fragment('<h2>Your heading text goes here</h2><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'),
    });
    const output = await easygenerator.extract(view);
    expect(output.pages.map((p) => p.title)).toEqual(['Frogs', 'Frog spawn']);
    expect(pageTexts(output)).toEqual(['', 'Frogs lay their spawn in shallow, still water in early spring.']);
  });

  it('drops Adapt lorem ipsum bodies and the commas left by the learner-name variable', async () => {
    const json = (value: unknown) => JSON.stringify(value);
    const view = memoryView(
      {
        'index.html': '<html></html>',
        'adapt/js/adapt.min.js': '',
        'course/config.json': json({ _defaultLanguage: 'en' }),
        'course/en/course.json': json({ _id: 'course', _type: 'course', title: 'Bees' }),
        'course/en/contentObjects.json': json([
          { _id: 'p1', _parentId: 'course', _type: 'page', displayTitle: 'The hive', body: '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit</p>' },
        ]),
        'course/en/articles.json': json([
          { _id: 'a1', _parentId: 'p1', _type: 'article', body: '<p>{{_globals._learnerInfo.firstname}}, welcome to the hive.</p>' },
        ]),
        'course/en/blocks.json': json([{ _id: 'b1', _parentId: 'a1', _type: 'block' }]),
        'course/en/components.json': json([
          { _id: 'c1', _parentId: 'b1', _type: 'component', _component: 'text', body: '<p>A hive holds one queen.</p><p>Lorem ipsum dolor sit amet.</p>' },
          { _id: 'c2', _parentId: 'b1', _type: 'component', _component: 'text', body: '<p>Ask <a href="https://example.org">the keeper</a>, who knows every hive.</p>' },
        ]),
      },
      [{ identifier: 'item1', title: 'Bees', launch: 'index.html' }],
    );
    const output = await adapt.extract(view);
    expect(pageTexts(output)).toEqual(['welcome to the hive.\n\nA hive holds one queen.\n\nAsk the keeper, who knows every hive.']);
  });
});
