import type { BlockContent, List, ListItem, PhrasingContent, RootContent, TableRow } from 'mdast';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemToMarkdown } from 'mdast-util-gfm-task-list-item';
import { toMarkdown } from 'mdast-util-to-markdown';
import { blockLines } from '../content/blocks.js';
import { normalizeSpace, plural } from '../content/text.js';
import type { Block, ExtractionResult, Item, Media, Page, Question } from './extraction-result.js';
import { questionPages } from './question-pages.js';

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
  const markdown = toMarkdown({ type: 'root', children: nodes }, { extensions: [gfmTableToMarkdown({ tablePipeAlign: false }), gfmTaskListItemToMarkdown()], bullet: '-', listItemIndent: 'one', emphasis: '*' });
  return markdown.replace(/\n+$/, '');
}

/** Longer than this, a "heading" is a paragraph a tool styled big: it reads as bold text, not as a heading. */
const HEADING_MAX_CHARS = 120;
export const isRealHeading = (block: Block): boolean => block.type === 'heading' && normalizeSpace(block.text).length <= HEADING_MAX_CHARS;

/** Each heading block's depth, re-based so the outermost is `top`, with no level skipped. */
function headingDepths(blocks: Block[], top: number): Map<Block, number> {
  const depths = new Map<Block, number>();
  const open: number[] = [];
  for (const block of blocks) {
    if (block.type !== 'heading' || !isRealHeading(block)) continue;
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
        return isRealHeading(block) ? heading(depths.get(block)!, block.text) : paragraph({ type: 'strong', children: [text(block.text)] });
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

const sameText = (a: string, b: string) => normalizeSpace(a).toLowerCase() === normalizeSpace(b).toLowerCase();

/**
 * A page's title (its own, else its first heading) and its blocks without the title: a tool that
 * shows the title again in the body (as a heading, or as a line of text anywhere) says it once.
 */
function titledBlocks(title: string | null, blocks: Block[]): { title: string | null; blocks: Block[] } {
  const first = blocks[0];
  const own = title ?? (first?.type === 'heading' && isRealHeading(first) ? first.text : null);
  if (!own) return { title: null, blocks };
  const isTitle = (block: Block) => (block.type === 'heading' || block.type === 'paragraph') && sameText(block.text, own);
  return { title: own, blocks: blocks.filter((block) => !isTitle(block)) };
}

/** One page as Markdown: its title as the one H1, its headings under it; untitled, its outermost heading at level 1. */
export function blocksToMarkdown(blocks: Block[], pageTitle: string | null = null): string {
  const { title, blocks: body } = titledBlocks(pageTitle, blocks);
  return render(title ? [heading(1, title), ...blockNodes(body, 2)] : blockNodes(body, 1));
}

/** A question, its choices with the correct ones checked, its pairs or accepted answers, feedback, and points unless its assessment says them once. */
function questionItem(q: Question, showPoints: boolean): ListItem {
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
  if (showPoints && q.points !== null) line(`Points: ${q.points}`);
  return listItem([paragraph(text(q.prompt)), ...(lines.length > 0 ? [list(false, lines)] : [])]);
}

function duration(seconds: number | null): string {
  if (seconds === null) return '';
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

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

/** An outline longer than this shows its first levels only, or its first items. */
const OUTLINE_MAX_ITEMS = 50;

const countItems = (items: Item[], depth: number): number =>
  depth === 0 ? 0 : items.reduce((sum, item) => sum + 1 + countItems(item.children, depth - 1), 0);

function outlineList(items: Item[], depth: number): List {
  return list(
    false,
    items.map((item) => listItem([paragraph(text(item.title)), ...(depth > 1 && item.children.length > 0 ? [outlineList(item.children, depth - 1)] : [])])),
  );
}

/**
 * The course menu. One entry says nothing and is left out; a long menu shows as many whole
 * levels as fit, else its first entries, and says what it leaves out.
 */
function outline(items: Item[]): RootContent[] {
  const total = countItems(items, Infinity);
  if (total < 2) return [];
  if (total <= OUTLINE_MAX_ITEMS) return [heading(2, 'Outline'), outlineList(items, Infinity)];
  let depth = 1;
  while (countItems(items, depth + 1) <= OUTLINE_MAX_ITEMS) depth++;
  const note =
    items.length > OUTLINE_MAX_ITEMS
      ? `The outline has ${total} entries; the first ${OUTLINE_MAX_ITEMS} are shown.`
      : `The outline has ${total} entries; its first ${depth === 1 ? 'level is' : `${depth} levels are`} shown.`;
  return [heading(2, 'Outline'), paragraph({ type: 'emphasis', children: [text(note)] }), outlineList(items.slice(0, OUTLINE_MAX_ITEMS), depth)];
}

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

function repeatsQuestions(block: Block, texts: Set<string>): boolean {
  const own = blockLines(block);
  return own.length > 0 && own.every((value) => texts.has(normalizeSpace(value).toLowerCase()));
}

interface AskedQuestions {
  title: string | null;
  questions: Question[];
  /** What the assessment says once, with its first questions: passing score, points, pool. */
  note: string | null;
  /** Whether each question says its points (they differ within the assessment). */
  showPoints: boolean;
}


/** "Passing score: 80%. Each question is worth 1 point. An attempt asks 5 of these 10 questions, drawn at random." */
function assessmentNote(assessment: ExtractionResult['assessments'][number], samePoints: number | null): string | null {
  const { passing_score: pass, questions_per_attempt: drawn, questions } = assessment;
  const sentences = [
    pass === null ? null : `Passing score: ${pass}%.`,
    samePoints === null ? null : `Each question is worth ${plural(samePoints, 'point')}.`,
    drawn === null ? null : `An attempt asks ${drawn} of these ${questions.length} questions, drawn at random.`,
  ].filter((sentence): sentence is string => sentence !== null);
  return sentences.length > 0 ? sentences.join(' ') : null;
}

/** The points every question of an assessment is worth, when there are several and all are worth the same. */
function samePointsOf(questions: Question[]): number | null {
  const points = new Set(questions.map((q) => q.points));
  const only = points.size === 1 ? [...points][0]! : null;
  return questions.length > 1 && only !== null ? only : null;
}

/**
 * Where each question is shown: on the page the tool named, else on the first page whose text
 * holds its prompt (tools often put the question on a slide and its answers in quiz data), else in
 * its assessment at the end.
 */
function placeQuestions(result: ExtractionResult): { onPage: Map<string, AskedQuestions[]>; apart: AskedQuestions[] } {
  const pageAsking = questionPages(result.pages);
  const onPage = new Map<string, AskedQuestions[]>();
  const apart: AskedQuestions[] = [];
  for (const assessment of result.assessments) {
    const groups = new Map<string | null, Question[]>();
    for (const q of assessment.questions) {
      const pageId = pageAsking(assessment, q)?.id ?? null;
      groups.set(pageId, [...(groups.get(pageId) ?? []), q]);
    }
    const samePoints = samePointsOf(assessment.questions);
    let note = assessmentNote(assessment, samePoints);
    for (const [pageId, questions] of groups) {
      const asked = { title: assessment.title, questions, note, showPoints: samePoints === null };
      note = null;
      if (pageId === null) apart.push(asked);
      else onPage.set(pageId, [...(onPage.get(pageId) ?? []), asked]);
    }
  }
  return { onPage, apart };
}

const questionList = ({ questions, showPoints }: AskedQuestions): List => list(true, questions.map((q) => questionItem(q, showPoints)));
const noteNodes = (note: string | null): RootContent[] => (note ? [paragraph({ type: 'emphasis', children: [text(note)] })] : []);

/**
 * A page's section: its title (the page's, else its first heading) once, its text without what
 * only repeats the title or the questions, then the questions asked on it. A page titled like the
 * course, read first, is the course's opening: its text sits under the course title, not under a
 * second heading saying the same.
 */
function pageSection(page: Page, fallback: string, asked: AskedQuestions[], options: { intro?: RootContent[]; courseTitle?: string } = {}): RootContent[] {
  const texts = questionTexts(asked.flatMap((a) => a.questions));
  const { title, blocks } = titledBlocks(page.title, page.blocks.filter((block) => !repeatsQuestions(block, texts)));
  const opening = title !== null && options.courseTitle !== undefined && sameText(title, options.courseTitle);
  const top = opening ? 1 : 2;
  const nodes = [...(opening ? [] : [heading(2, title ?? fallback)]), ...(options.intro ?? []), ...blockNodes(blocks, top + 1)];
  for (const group of asked) {
    nodes.push(heading(top + 1, group.title && !sameText(group.title, title ?? fallback) ? group.title : 'Questions'), ...noteNodes(group.note), questionList(group));
  }
  return nodes;
}

const MEDIA_NAMES: Partial<Record<Media['kind'], string>> = { audio: 'Audio', video: 'Video' };

/**
 * The transcripts, together after the course text (the result does not say which page plays each
 * media): each named by what its media shows, else as "Audio 2", with its file and length.
 */
function transcriptsSection(pages: Page[], media: Media[], onPage: Map<string, AskedQuestions[]>): RootContent[] {
  if (pages.length === 0) return [];
  const counts = new Map<string, number>();
  const nodes: RootContent[] = [heading(2, pages.length === 1 ? 'Transcript' : 'Transcripts')];
  for (const page of pages) {
    const played =
      media.find((m) => m.kind !== 'caption' && m.path === page.source) ??
      media.find((m) => m.kind !== 'caption' && m.transcripts.some((t) => t.source === page.source)) ??
      media.find((m) => m.path === page.source);
    const kind = (played && MEDIA_NAMES[played.kind]) ?? 'Transcript';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const about = page.title?.replace(/^transcript:\s*/i, '').trim();
    const name = about && !sameText(about, 'transcript') ? about : `${kind} ${counts.get(kind)}`;
    const file: PhrasingContent[] = played ? [text(played.kind === 'caption' ? 'Captions ' : `${MEDIA_NAMES[played.kind] ?? 'Media'} `), { type: 'inlineCode', value: played.path }] : [];
    const length = played?.duration_seconds ? [text(`, ${duration(played.duration_seconds)}`)] : [];
    const intro: RootContent[] = file.length > 0 ? [paragraph({ type: 'emphasis', children: [...file, ...length] })] : [];
    nodes.push(...deepen(pageSection({ ...page, title: name }, name, onPage.get(page.id) ?? [], { intro })));
  }
  return nodes;
}

/** Nodes one heading level deeper. */
const deepen = (nodes: RootContent[]): RootContent[] =>
  nodes.map((node) => (node.type === 'heading' ? { ...node, depth: Math.min(6, node.depth + 1) as 1 | 2 | 3 | 4 | 5 | 6 } : node));

/**
 * What the course plays and offers: audio, video, documents, and captions of no listed media, in
 * a table. Images are counted, not listed: the pages show the ones they use.
 */
function mediaSection(media: Media[]): RootContent[] {
  const played = new Set(media.filter((m) => m.kind === 'audio' || m.kind === 'video').flatMap((m) => m.transcripts.map((t) => t.source)));
  const listed = media.filter((m) => m.kind === 'audio' || m.kind === 'video' || m.kind === 'document' || (m.kind === 'caption' && !played.has(m.path)));
  const images = media.filter((m) => m.kind === 'image').length;
  if (listed.length === 0 && images === 0) return [];
  const nodes: RootContent[] = [heading(2, 'Media')];
  if (listed.length > 0) {
    const columns: [string, (m: Media) => string][] = [
      ['File', (m) => m.path],
      ['Kind', (m) => `${m.kind}${m.missing ? ' (missing)' : ''}`],
      ['Duration', (m) => duration(m.duration_seconds)],
      ['Description', (m) => m.alt_text ?? ''],
      ['Transcript', (m) => (m.transcripts.length > 0 ? 'yes' : '')],
    ];
    // A column no row fills tells the reader nothing.
    const used = columns.filter(([, cell], i) => i < 2 || listed.some((m) => cell(m) !== ''));
    nodes.push(table([used.map(([name]) => name), ...listed.map((m) => used.map(([, cell]) => cell(m)))]));
  }
  if (images > 0) nodes.push(paragraph(text(`${plural(images, 'image')} in the package, not listed here: the pages show the ones they use.`)));
  return nodes;
}

/** Warnings a reader can take in: a few of each kind, then how many more of that kind. */
const WARNINGS_PER_CODE = 3;
function warningsSection(warnings: ExtractionResult['warnings']): RootContent[] {
  if (warnings.length === 0) return [];
  const byCode = new Map<string, ExtractionResult['warnings']>();
  for (const w of warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
  const items: ListItem[] = [];
  for (const [code, ofCode] of byCode) {
    for (const w of ofCode.slice(0, WARNINGS_PER_CODE)) items.push(listItem([paragraph({ type: 'inlineCode', value: code }, text(`: ${w.message}`))]));
    const more = ofCode.length - WARNINGS_PER_CODE;
    if (more > 0) items.push(listItem([paragraph({ type: 'inlineCode', value: code }, text(`: ${more} more like these.`))]));
  }
  return [heading(2, 'Warnings'), list(false, items)];
}

/** The whole course as one readable Markdown document: facts, outline, pages with their questions, transcripts, media. */
export function resultToMarkdown(result: ExtractionResult): string {
  const { package: facts } = result;
  const title = facts.title ?? 'Untitled package';
  const about = [
    `Standard: ${standardText(facts.standard, facts.version)}`,
    facts.tool ? `Authoring tool: ${facts.tool.name}${facts.tool.version ? ` ${facts.tool.version}` : ''}` : null,
    facts.language ? `Language: ${facts.language}` : null,
    `Words: ${result.statistics.words} · Pages: ${result.statistics.pages} · Questions: ${result.statistics.questions} · Reading time: ${result.statistics.reading_time_minutes} min`,
  ].filter((line): line is string => line !== null);
  const nodes: RootContent[] = [heading(1, title), textList(false, about)];
  // A description the title or a page already says is not said again.
  const description = facts.description;
  const said = (value: string) => sameText(value, title) || result.pages.some((page) => page.blocks.some((block) => blockLines(block).some((t) => sameText(t, value))));
  if (description && !said(description)) nodes.push(paragraph(text(description)));

  const organization = result.organizations.find((o) => o.identifier === result.default_organization) ?? result.organizations[0];
  const menu = organization ? outline(organization.items) : [];
  nodes.push(...menu);

  const { onPage, apart } = placeQuestions(result);
  result.pages.forEach((page, index) => {
    if (page.kind === 'transcript') return;
    // Only the first page, straight under the course title, can be the course's opening.
    const courseTitle = index === 0 && menu.length === 0 ? title : undefined;
    nodes.push(...pageSection(page, `${KIND_NAMES[page.kind]} ${index + 1}`, onPage.get(page.id) ?? [], { courseTitle }));
  });
  for (const group of apart) {
    nodes.push(heading(2, group.title ? `Assessment: ${group.title}` : 'Assessment'), ...noteNodes(group.note), questionList(group));
  }
  nodes.push(...transcriptsSection(result.pages.filter((page) => page.kind === 'transcript'), result.media, onPage));
  nodes.push(...mediaSection(result.media), ...warningsSection(result.warnings));
  return `${render(nodes)}\n`;
}
