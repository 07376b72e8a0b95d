import type { BlockContent, List, ListItem, PhrasingContent, RootContent, TableRow } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { blockText } from '../content/html.js';
import { normalizeSpace } from '../content/text.js';
import type { Block, ExtractionResult, Item, Page, Question } from './extraction-result.js';

/*
 * Markdown is rendered from an mdast tree, so escaping is right by construction. Heading levels
 * are re-based under the section that holds them and never skip a level: a heading is at most one
 * deeper than the heading it sits under.
 */

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const paragraph = (...children: PhrasingContent[]): BlockContent => ({ type: 'paragraph', children });
const heading = (depth: number, value: string): RootContent => ({
  type: 'heading',
  depth: Math.min(6, depth) as 1 | 2 | 3 | 4 | 5 | 6,
  children: [text(value)],
});
const listItem = (children: BlockContent[], checked: boolean | null = null): ListItem => ({ type: 'listItem', spread: false, checked, children });
const list = (ordered: boolean, items: ListItem[]): List => ({ type: 'list', ordered, spread: false, children: items });
const textList = (ordered: boolean, items: string[]) => list(ordered, items.map((item) => listItem([paragraph(text(item))])));
const tableRow = (cells: string[]): TableRow => ({ type: 'tableRow', children: cells.map((cell) => ({ type: 'tableCell', children: [text(cell)] })) });

function table(rows: string[][]): RootContent {
  const width = Math.max(1, ...rows.map((row) => row.length));
  const full = rows.map((row) => Array.from({ length: width }, (_v, i) => row[i] ?? ''));
  return { type: 'table', align: full[0]!.map(() => null), children: full.map(tableRow) };
}

function render(nodes: RootContent[]): string {
  if (nodes.length === 0) return '';
  const markdown = toMarkdown({ type: 'root', children: nodes }, { extensions: [gfmToMarkdown({ tablePipeAlign: false })], bullet: '-', listItemIndent: 'one', emphasis: '*' });
  return markdown.replace(/\n+$/, '');
}

/** Each heading block's depth, re-based so the outermost is `top`, with no level skipped. */
function headingDepths(blocks: Block[], top: number): Map<Block, number> {
  const depths = new Map<Block, number>();
  const open: number[] = [];
  for (const block of blocks) {
    if (block.type !== 'heading') continue;
    while (open.length > 0 && open.at(-1)! >= block.level) open.pop();
    depths.set(block, top + open.length);
    open.push(block.level);
  }
  return depths;
}

function blockNodes(blocks: Block[], top: number): RootContent[] {
  const depths = headingDepths(blocks, top);
  return blocks.map((block): RootContent => {
    switch (block.type) {
      case 'heading':
        return heading(depths.get(block)!, block.text);
      case 'paragraph':
        return paragraph(text(block.text));
      case 'quote':
        return { type: 'blockquote', children: [paragraph(text(block.text))] };
      case 'list':
        return textList(block.ordered, block.items);
      case 'table':
        return table(block.rows);
      case 'image':
        // An image the package does not hold is named, not linked to nothing.
        return block.src
          ? paragraph({ type: 'image', url: block.src, alt: block.alt })
          : paragraph({ type: 'emphasis', children: [text(`Image: ${block.alt}`)] });
    }
  });
}

/** One page's blocks as Markdown, its outermost heading at level 1. */
export function blocksToMarkdown(blocks: Block[]): string {
  return render(blockNodes(blocks, 1));
}

function questionItem(q: Question): ListItem {
  const lines: ListItem[] = q.choices.map((choice) =>
    listItem(
      [paragraph(text(choice.text), ...(choice.feedback ? [text(' — '), { type: 'emphasis', children: [text(choice.feedback)] } as PhrasingContent] : []))],
      choice.correct ?? false,
    ),
  );
  const line = (value: string) => lines.push(listItem([paragraph(text(value))]));
  for (const match of q.matches) line(`${match.source} → ${match.target}`);
  if (q.choices.length === 0 && q.correct_answers.length > 0) line(`Answer: ${q.correct_answers.join(' / ')}`);
  if (q.feedback.correct) line(`Feedback when correct: ${q.feedback.correct}`);
  if (q.feedback.incorrect) line(`Feedback when incorrect: ${q.feedback.incorrect}`);
  if (q.points !== null) line(`Points: ${q.points}`);
  return listItem([paragraph(text(q.prompt)), ...(lines.length > 0 ? [list(false, lines)] : [])]);
}

const duration = (seconds: number | null) =>
  seconds === null ? '' : `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

/** "SCORM 2004 4th Edition", "cmi5", "AICC 3.5", "xAPI Tin Can (tincan.xml)": a version that names its standard stands alone. */
function standardText(standard: string, version: string | null): string {
  const name = STANDARD_NAMES[standard] ?? standard.toUpperCase();
  if (!version) return name;
  return version.toLowerCase().startsWith(standard.toLowerCase()) ? version : `${name} ${version}`;
}
const STANDARD_NAMES: Record<string, string> = { scorm: 'SCORM', cmi5: 'cmi5', xapi: 'xAPI', aicc: 'AICC' };

const KIND_NAMES: Record<Page['kind'], string> = {
  page: 'Page',
  slide: 'Slide',
  lesson: 'Lesson',
  section: 'Section',
  document: 'Document',
  transcript: 'Transcript',
};

function outline(items: Item[]): List {
  return list(
    false,
    items.map((item) => listItem([paragraph(text(item.title)), ...(item.children.length > 0 ? [outline(item.children)] : [])])),
  );
}

const sameText = (a: string, b: string) => normalizeSpace(a).toLowerCase() === normalizeSpace(b).toLowerCase();

/** The texts questions show; a page's blocks that only repeat them are left to the questions. */
function questionTexts(questions: Question[]): Set<string> {
  const texts = new Set<string>();
  const add = (value: string | null) => value && texts.add(normalizeSpace(value).toLowerCase());
  for (const q of questions) {
    add(q.prompt);
    q.choices.forEach((c) => add(c.text));
    q.matches.forEach((m) => (add(m.source), add(m.target)));
    add(q.feedback.correct);
    add(q.feedback.incorrect);
  }
  return texts;
}

const textsOf = (block: Block): string[] =>
  block.type === 'list' ? block.items : block.type === 'image' || block.type === 'table' ? [] : [blockText(block)];

function repeatsQuestions(block: Block, texts: Set<string>): boolean {
  const own = textsOf(block);
  return own.length > 0 && own.every((value) => texts.has(normalizeSpace(value).toLowerCase()));
}

interface AskedQuestions {
  title: string | null;
  questions: Question[];
  /** "An attempt asks 5 of these 10 questions.", said with the first questions of a question pool. */
  pool: string | null;
}

/**
 * Where each question is shown: on the page the tool named, else on the first page whose text
 * holds its prompt (tools often put the question on a slide and its answers in quiz data), else in
 * its assessment at the end.
 */
function placeQuestions(result: ExtractionResult): { onPage: Map<string, AskedQuestions[]>; apart: AskedQuestions[] } {
  const pageIds = new Set(result.pages.map((p) => p.id));
  const pageOfText = new Map<string, string>();
  for (const page of result.pages) {
    for (const value of page.blocks.flatMap(textsOf)) {
      const key = normalizeSpace(value).toLowerCase();
      if (!pageOfText.has(key)) pageOfText.set(key, page.id);
    }
  }
  const onPage = new Map<string, AskedQuestions[]>();
  const apart: AskedQuestions[] = [];
  for (const assessment of result.assessments) {
    const groups = new Map<string | null, Question[]>();
    for (const q of assessment.questions) {
      const pageId = assessment.page_id && pageIds.has(assessment.page_id) ? assessment.page_id : (pageOfText.get(normalizeSpace(q.prompt).toLowerCase()) ?? null);
      groups.set(pageId, [...(groups.get(pageId) ?? []), q]);
    }
    let pool = assessment.questions_per_attempt === null ? null : `An attempt asks ${assessment.questions_per_attempt} of these ${assessment.questions.length} questions, drawn at random.`;
    for (const [pageId, questions] of groups) {
      const asked = { title: assessment.title, questions, pool };
      pool = null;
      if (pageId === null) apart.push(asked);
      else onPage.set(pageId, [...(onPage.get(pageId) ?? []), asked]);
    }
  }
  return { onPage, apart };
}

const questionList = (questions: Question[]): List => list(true, questions.map(questionItem));
const poolNote = (pool: string | null): RootContent[] => (pool ? [paragraph({ type: 'emphasis', children: [text(pool)] })] : []);

/**
 * A page's section: its title (the page's, else its first heading) once, its text without what
 * only repeats the title or the questions, then the questions asked on it.
 */
function pageSection(page: Page, index: number, asked: AskedQuestions[]): RootContent[] {
  const texts = questionTexts(asked.flatMap((a) => a.questions));
  let blocks = page.blocks.filter((block) => !repeatsQuestions(block, texts));
  const title = page.title ?? (blocks[0]?.type === 'heading' ? blocks[0].text : null);
  if (title) {
    const isTitle = (block: Block) => (block.type === 'heading' || block.type === 'paragraph') && sameText(block.text, title);
    const start = blocks.findIndex((block) => !isTitle(block));
    blocks = (start < 0 ? [] : blocks.slice(start)).filter((block) => !(block.type === 'heading' && isTitle(block)));
  }
  const nodes = [heading(2, title ?? `${KIND_NAMES[page.kind]} ${index + 1}`), ...blockNodes(blocks, 3)];
  for (const { title: quiz, questions, pool } of asked) {
    nodes.push(heading(3, quiz && !sameText(quiz, title ?? '') ? quiz : 'Questions'), ...poolNote(pool), questionList(questions));
  }
  return nodes;
}

/** The whole course as one readable Markdown document: facts, outline, pages with their questions, media. */
export function resultToMarkdown(result: ExtractionResult): string {
  const { package: facts } = result;
  const about = [
    `Standard: ${standardText(facts.standard, facts.version)}`,
    facts.tool ? `Authoring tool: ${facts.tool.name}${facts.tool.version ? ` ${facts.tool.version}` : ''}` : null,
    facts.language ? `Language: ${facts.language}` : null,
    `Words: ${result.statistics.words} · Pages: ${result.statistics.pages} · Questions: ${result.statistics.questions} · Reading time: ${result.statistics.reading_time_minutes} min`,
  ].filter((line): line is string => line !== null);
  const nodes: RootContent[] = [heading(1, facts.title ?? 'Untitled package'), textList(false, about)];
  if (facts.description) nodes.push(paragraph(text(facts.description)));

  const organization = result.organizations.find((o) => o.identifier === result.default_organization) ?? result.organizations[0];
  if (organization && organization.items.length > 0) nodes.push(heading(2, 'Outline'), outline(organization.items));

  const { onPage, apart } = placeQuestions(result);
  result.pages.forEach((page, index) => nodes.push(...pageSection(page, index, onPage.get(page.id) ?? [])));
  for (const { title, questions, pool } of apart) {
    nodes.push(heading(2, title ? `Assessment: ${title}` : 'Assessment'), ...poolNote(pool), questionList(questions));
  }
  if (result.media.length > 0) {
    const rows = result.media.map((m) => [
      m.path,
      `${m.kind}${m.missing ? ' (missing)' : ''}`,
      duration(m.duration_seconds),
      m.alt_text ?? '',
      m.transcripts.length > 0 ? 'yes' : '',
    ]);
    nodes.push(heading(2, 'Media'), table([['File', 'Kind', 'Duration', 'Alt text', 'Transcript'], ...rows]));
  }
  if (result.warnings.length > 0) {
    nodes.push(
      heading(2, 'Warnings'),
      list(false, result.warnings.map((w) => listItem([paragraph({ type: 'inlineCode', value: w.code }, text(`: ${w.message}`))]))),
    );
  }
  return `${render(nodes)}\n`;
}
