import fs from 'node:fs';
import type { Heading, ListItem, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import type { ExtractionResult } from '../../src/extraction/result/extraction-result.js';
import { blocksToMarkdown, resultToMarkdown } from '../../src/extraction/result/markdown.js';
import { buildPages } from '../../src/extraction/result/pages.js';
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
    // A page's own Markdown: its title as its one H1, first, and no level skipped under it.
    const pageBreaks = result.pages.flatMap((page) => {
      const depths: number[] = [];
      walk(parse(page.markdown), (node) => node.type === 'heading' && depths.push(node.depth));
      const skipped = depths.some((depth, i) => i > 0 && depth > depths[i - 1]! + 1);
      const titled = page.title === null || (depths[0] === 1 && depths.filter((d) => d === 1).length === 1);
      return skipped || !titled ? [`${page.title ?? page.source}: ${depths.join(',')}`] : [];
    });
    expect(pageBreaks).toStrictEqual([]);
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

// A small course to render: each test adds what its rule is about.
const paragraph = (text: string) => ({ type: 'paragraph' as const, text });
const heading = (level: number, text: string) => ({ type: 'heading' as const, level, text });
type Draft = { title: string | null; kind?: 'page' | 'transcript'; source?: string; blocks: ExtractionResult['pages'][number]['blocks'] };
function course(parts: Partial<Omit<ExtractionResult, 'pages'>> & { pages?: Draft[]; description?: string } = {}): ExtractionResult {
  const { pages } = buildPages(
    (parts.pages ?? []).map((p, i) => ({ title: p.title, kind: p.kind ?? 'page', source: p.source ?? `page${i}.html`, blocks: p.blocks })),
    [],
  );
  return {
    package: { title: 'Working at height', standard: 'scorm', version: '1.2', tool: null, language: 'en', description: parts.description ?? null },
    statistics: { words: 0, pages: pages.length, questions: 0, reading_time_minutes: 1 },
    organizations: parts.organizations ?? [],
    default_organization: null,
    assessments: parts.assessments ?? [],
    media: parts.media ?? [],
    warnings: parts.warnings ?? [],
    pages,
  } as unknown as ExtractionResult;
}
const item = (title: string, children: unknown[] = []) => ({ identifier: title, title, children });
const choiceQuestion = (id: string, prompt: string, points: number | null) => ({
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
  points,
  source: 'quiz.js',
});
const assessment = (questions: unknown[], passing: number | null) => ({
  id: 'a1',
  title: 'Ladder check',
  item_id: null,
  page_id: null,
  source: 'quiz.js',
  passing_score: passing,
  questions_per_attempt: null,
  questions,
});
const medium = (path: string, kind: string, extra: Record<string, unknown> = {}) => ({
  path,
  kind,
  mime: 'application/octet-stream',
  size_bytes: 10,
  missing: false,
  alt_text: null,
  duration_seconds: null,
  transcripts: [],
  ...extra,
});
const headings = (markdown: string) => markdown.split('\n').filter((line) => line.startsWith('#'));

describe('the outline of a course', () => {
  it('is left out when the course menu has a single entry, which tells the reader nothing', () => {
    const markdown = resultToMarkdown(course({ organizations: [{ identifier: 'o', title: null, items: [item('Course Object title')], sequencing: null }] as never }));
    expect(markdown).not.toContain('Outline');
    expect(markdown).not.toContain('Course Object title');
  });

  it('shows the levels of a long menu that fit and says so, instead of every entry', () => {
    const modules = Array.from({ length: 5 }, (_v, m) => item(`Module ${m + 1}`, Array.from({ length: 30 }, (_w, l) => item(`Lesson ${m + 1}.${l + 1}`))));
    const markdown = resultToMarkdown(course({ organizations: [{ identifier: 'o', title: null, items: modules, sequencing: null }] as never }));
    expect(markdown).toContain('## Outline\n\n*The outline has 155 entries; its first level is shown.*\n\n- Module 1\n- Module 2');
    expect(markdown).not.toContain('Lesson 1.1');
  });

  it('shows the first entries of a long flat menu and says how many there are', () => {
    const units = Array.from({ length: 1000 }, (_v, i) => item(`Unit ${i + 1}`));
    const markdown = resultToMarkdown(course({ organizations: [{ identifier: 'o', title: null, items: units, sequencing: null }] as never }));
    expect(markdown).toContain('*The outline has 1000 entries; the first 50 are shown.*');
    expect(markdown).toContain('- Unit 50\n');
    expect(markdown).not.toContain('Unit 51');
  });
});

describe('the questions of an assessment', () => {
  it('say the passing score and points they all share once, instead of "Points" under each question', () => {
    const result = course({ assessments: [assessment([choiceQuestion('q1', 'Face the ladder?', 1), choiceQuestion('q2', 'Check the feet?', 1)], 80)] as never });
    const markdown = resultToMarkdown(result);
    expect(markdown).toContain('## Assessment: Ladder check\n\n*Passing score: 80%. Each question is worth 1 point.*\n\n1. Face the ladder?');
    expect(markdown).not.toContain('Points:');
  });

  it('give each question its points when they differ', () => {
    const result = course({ assessments: [assessment([choiceQuestion('q1', 'Face the ladder?', 1), choiceQuestion('q2', 'Check the feet?', 5)], null)] as never });
    const markdown = resultToMarkdown(result);
    expect(markdown).toContain('   - Points: 1\n');
    expect(markdown).toContain('   - Points: 5\n');
    expect(markdown).not.toContain('Passing score');
  });
});

describe('the text of a page', () => {
  it('shows a paragraph a tool styled as a heading as bold text, not as a heading', () => {
    const long = 'The employee notifies the manager or supervisor whenever something against the current policies and procedures is seen on site.';
    const markdown = resultToMarkdown(course({ pages: [{ title: 'Reporting', blocks: [heading(2, 'Who to tell'), heading(3, long), paragraph('Tell them the same day.')] }] }));
    expect(headings(markdown)).toStrictEqual(['# Working at height', '## Reporting', '### Who to tell']);
    expect(markdown).toContain(`**${long}**`);
  });

  it('says the page title once, even when the page shows it again further down', () => {
    const markdown = resultToMarkdown(
      course({ pages: [{ title: 'Welcome!', blocks: [paragraph('Learning content'), paragraph('Welcome!'), paragraph('This takes 15 minutes.')] }] }),
    );
    expect(markdown.match(/Welcome!/g)).toHaveLength(1);
  });

  it('puts a first page titled like the course under the course title, and does not repeat a description the page says', () => {
    const markdown = resultToMarkdown(
      course({ description: 'Ladders are the first cause of falls.', pages: [{ title: 'Working at height', blocks: [paragraph('Ladders are the first cause of falls.')] }] }),
    );
    expect(headings(markdown)).toStrictEqual(['# Working at height']);
    expect(markdown.match(/first cause of falls/g)).toHaveLength(1);
  });

  it('has its own Markdown with its title as the one H1 and its headings under it', () => {
    const markdown = blocksToMarkdown([heading(1, 'Fire safety'), paragraph('Act quickly.'), heading(2, 'Steps'), paragraph('Raise the alarm.')], 'Fire Safety Basics');
    expect(headings(markdown)).toStrictEqual(['# Fire Safety Basics', '## Fire safety', '### Steps']);
    expect(blocksToMarkdown([paragraph('Evacuation'), heading(2, 'Evacuation'), paragraph('Leave now.')], 'Evacuation')).toBe('# Evacuation\n\nLeave now.');
  });
});

describe('the transcripts of a course', () => {
  it('come together after the pages, each named by the media it belongs to with its file and length', () => {
    const transcript = { source: 'inline', format: 'inline', language: null, text: 'Hello.', cues: [] };
    const result = course({
      pages: [
        { title: 'Ladders', blocks: [paragraph('Check the feet.')] },
        { title: 'Transcript', kind: 'transcript', source: 'audio/27250.mp3', blocks: [paragraph('Good morning, I am your trainer.')] },
        { title: 'Transcript', kind: 'transcript', source: 'audio/16209.mp3', blocks: [paragraph('Always face the ladder.')] },
      ],
      media: [
        medium('audio/27250.mp3', 'audio', { duration_seconds: 49.4, transcripts: [transcript] }),
        medium('audio/16209.mp3', 'audio', { duration_seconds: 74, transcripts: [transcript] }),
      ] as never,
    });
    const markdown = resultToMarkdown(result);
    expect(headings(markdown)).toStrictEqual(['# Working at height', '## Ladders', '## Transcripts', '### Audio 1', '### Audio 2', '## Media']);
    expect(markdown).toContain('### Audio 1\n\n*Audio `audio/27250.mp3`, 0:49*\n\nGood morning, I am your trainer.');
  });
});

describe('the media and warnings of a course', () => {
  it('list what plays or opens, count the images, and leave out columns no row fills', () => {
    const result = course({
      media: [medium('video/intro.mp4', 'video', { duration_seconds: 59.6 }), medium('guide.pdf', 'document'), medium('img/a.png', 'image'), medium('img/button_over.png', 'image')] as never,
    });
    const markdown = resultToMarkdown(result);
    expect(markdown).toContain('| File | Kind | Duration |\n| - | - | - |\n| video/intro.mp4 | video | 1:00 |\n| guide.pdf | document | |');
    expect(markdown).toContain('2 images in the package, not listed here: the pages show the ones they use.');
    expect(markdown).not.toContain('button_over');
  });

  it('show a few warnings of each kind and count the rest', () => {
    const warnings = Array.from({ length: 40 }, (_v, i) => ({ code: 'file_missing', message: `lib/file${i}.js is referenced by the package but not in it.` }));
    const markdown = resultToMarkdown(course({ warnings: [...warnings, { code: 'dangling_identifierref', message: 'Item x points to no resource.' }] }));
    expect(markdown.split('\n').filter((line) => line.startsWith('- `'))).toStrictEqual([
      '- `file_missing`: lib/file0.js is referenced by the package but not in it.',
      '- `file_missing`: lib/file1.js is referenced by the package but not in it.',
      '- `file_missing`: lib/file2.js is referenced by the package but not in it.',
      '- `file_missing`: 37 more like these.',
      '- `dangling_identifierref`: Item x points to no resource.',
    ]);
  });
});

describe('the Markdown of a question pool', () => {
  it('says how many of its questions an attempt asks, once, before them', () => {
    const questions = [choiceQuestion('q1', 'Face the ladder?', null), choiceQuestion('q2', 'Three points of contact?', null), choiceQuestion('q3', 'Check the feet first?', null)];
    const pool = { id: 'a1', title: 'Ladder check', item_id: null, page_id: null, source: 'quiz.js', passing_score: 80, questions_per_attempt: 2, questions };
    const markdown = resultToMarkdown(course({ assessments: [pool] as unknown as ExtractionResult['assessments'] }));
    expect(markdown).toContain('## Assessment: Ladder check\n\n*Passing score: 80%. An attempt asks 2 of these 3 questions, drawn at random.*\n\n1. Face the ladder?');
    expect(markdown.match(/An attempt asks/g)).toHaveLength(1);
  });
});
