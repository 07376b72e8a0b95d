import fs from 'node:fs';
import type { Heading, ListItem, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import type { ExtractionResult } from '../../src/extraction/result/extraction-result.js';
import { resultToMarkdown } from '../../src/extraction/result/markdown.js';
import { FIXTURES_DIR, fixture, haveFixtures } from '../support/fixtures.js';

// The Markdown of a course is read by people: it must have the shape a reader expects, whatever
// package it came from. Each rule is checked on the parsed Markdown of every shared fixture.

const parse = (markdown: string): Root => fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

function walk(node: Nodes, visit: (node: Nodes, parent: Nodes | null) => void, parent: Nodes | null = null): void {
  visit(node, parent);
  if ('children' in node) for (const child of node.children) walk(child, visit, node);
}

function plain(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  return 'children' in node ? node.children.map(plain).join('') : '';
}

/** What a reader would call a file path: `res/data/slide3.js`, `intro.html`, `html5/data/js/x.js`. */
const looksLikePath = (heading: string) => /^\S+\.(html?|js|json|xml)$/i.test(heading) || /^\S*\/\S*\/\S*$/.test(heading);

function ruleBreaks(markdown: string, result: ExtractionResult): string[] {
  const tree = parse(markdown);
  const breaks: string[] = [];
  const headings: Heading[] = [];
  const questionItems = new Map<string, ListItem[]>();
  walk(tree, (node, parent) => {
    if (node.type === 'heading') headings.push(node);
    if ((node.type === 'link' || node.type === 'image') && node.url.trim() === '') breaks.push(`empty link target: ${node.type === 'image' ? node.alt : plain(node)}`);
    if (node.type === 'paragraph' && parent?.type === 'listItem' && parent.children[0] === node) {
      const key = plain(node);
      questionItems.set(key, [...(questionItems.get(key) ?? []), parent]);
    }
  });
  if (headings.filter((h) => h.depth === 1).length !== 1 || headings[0]?.depth !== 1) breaks.push('not exactly one H1, first');
  headings.forEach((h, i) => {
    const previous = headings[i - 1];
    if (previous && h.depth > previous.depth + 1) breaks.push(`heading level skipped: "${plain(previous)}" (${previous.depth}) → "${plain(h)}" (${h.depth})`);
    if (previous && h.depth > previous.depth && plain(h) === plain(previous)) breaks.push(`title repeated as a subheading: "${plain(h)}"`);
    if (looksLikePath(plain(h))) breaks.push(`file path as a heading: "${plain(h)}"`);
  });

  // Each question once, as a list item whose sub-list shows its choices with the correct ones marked.
  const questions = result.assessments.flatMap((a) => a.questions);
  const used = new Set<ListItem>();
  for (const q of questions) {
    const shown = (item: ListItem) => {
      const list = item.children[1];
      const choices = list?.type === 'list' ? list.children.filter((c) => c.checked !== null && c.checked !== undefined) : [];
      return (
        choices.length === q.choices.length &&
        q.choices.every((choice, i) => plain(choices[i]!).startsWith(choice.text) && choices[i]!.checked === (choice.correct === true))
      );
    };
    const item = (questionItems.get(q.prompt) ?? []).find((candidate) => !used.has(candidate) && shown(candidate));
    if (item) used.add(item);
    else breaks.push(`question not shown once with its answers marked: "${q.prompt.slice(0, 60)}"`);
  }
  for (const [prompt, items] of questionItems) {
    if (!questions.some((q) => q.prompt === prompt)) continue;
    if (items.some((item) => !used.has(item))) breaks.push(`question printed again: "${prompt.slice(0, 60)}"`);
  }
  walk(tree, (node, parent) => {
    const value = plain(node);
    if (node.type === 'paragraph' && parent?.type !== 'listItem' && value.length >= 20 && questions.some((q) => q.prompt === value)) {
      breaks.push(`question printed again without its answers: "${value.slice(0, 60)}"`);
    }
  });
  return breaks;
}

const packages = haveFixtures ? fs.readdirSync(FIXTURES_DIR).filter((name) => /\.(zip|xml)$/.test(name)).sort() : [];

describe.skipIf(!haveFixtures)('the Markdown of every shared fixture', () => {
  it.each(packages)('%s: one H1, no skipped level, no path heading, each question once with its answers, no empty link', async (name) => {
    let result: ExtractionResult;
    try {
      result = await extractPackage(fixture(name));
    } catch (error) {
      // Packages that are refused have no Markdown; that they are refused is tested elsewhere.
      expect(error).toBeInstanceOf(ExtractionError);
      return;
    }
    expect(ruleBreaks(resultToMarkdown(result), result)).toStrictEqual([]);
  });
});

describe('the Markdown rules themselves', () => {
  it('catch a skipped level, a path heading, a repeated title, an empty link and a question without its answers', () => {
    const result = {
      assessments: [
        {
          questions: [
            {
              prompt: 'Which extinguisher suits burning oil?',
              choices: [
                { text: 'Foam', correct: true },
                { text: 'Water', correct: false },
              ],
            },
          ],
        },
      ],
    } as unknown as ExtractionResult;
    const markdown = [
      '# Fire safety',
      '### Skipped',
      '## res/data/slide3.js',
      '## Evacuation',
      '### Evacuation',
      '![Exit sign]()',
      'Which extinguisher suits burning oil?',
      '1. Which extinguisher suits burning oil?\n   - [ ] Foam\n   - [x] Water',
    ].join('\n\n');
    expect(ruleBreaks(markdown, result)).toStrictEqual([
      'empty link target: Exit sign',
      'heading level skipped: "Fire safety" (1) → "Skipped" (3)',
      'file path as a heading: "res/data/slide3.js"',
      'title repeated as a subheading: "Evacuation"',
      'question not shown once with its answers marked: "Which extinguisher suits burning oil?"',
      'question printed again: "Which extinguisher suits burning oil?"',
      'question printed again without its answers: "Which extinguisher suits burning oil?"',
    ]);
  });
});

describe('the Markdown of a question pool', () => {
  it('says how many of its questions an attempt asks, once, before them', () => {
    const question = (id: string, prompt: string) => ({
      id,
      type: 'choice',
      prompt,
      choices: [
        { id: 'a', text: 'Yes', correct: true, feedback: null },
        { id: 'b', text: 'No', correct: false, feedback: null },
      ],
      correct_answers: ['Yes'],
      matches: [],
      feedback: { correct: null, incorrect: null },
      points: null,
      source: 'quiz.js',
    });
    const result = {
      package: { title: 'Ladders', standard: 'scorm', version: '1.2', tool: null, language: 'en', description: null },
      statistics: { words: 0, pages: 0, questions: 3, reading_time_minutes: 1 },
      organizations: [],
      default_organization: null,
      pages: [],
      assessments: [
        {
          id: 'a1',
          title: 'Ladder check',
          item_id: null,
          page_id: null,
          source: 'quiz.js',
          passing_score: 80,
          questions_per_attempt: 2,
          questions: [question('q1', 'Face the ladder?'), question('q2', 'Three points of contact?'), question('q3', 'Check the feet first?')],
        },
      ],
      media: [],
      warnings: [],
    } as unknown as ExtractionResult;
    const markdown = resultToMarkdown(result);
    expect(markdown).toContain('## Assessment: Ladder check\n\n*An attempt asks 2 of these 3 questions, drawn at random.*\n\n1. Face the ladder?');
    expect(markdown.match(/An attempt asks/g)).toHaveLength(1);
  });
});
