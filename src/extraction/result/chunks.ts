import { blockText } from '../content/html.js';
import { estimateTokens, normalizeSpace } from '../content/text.js';
import type { Assessment, Chunk, Page, Question } from './extraction-result.js';
import { isRealHeading } from './markdown.js';
import { shortHash } from './pages.js';
import { questionPages } from './question-pages.js';

export const CHUNK_TOKENS = { min: 300, target: 500, max: 800, overlap: 60 };

interface Unit {
  pageId: string;
  /** The headings the text sits under, outermost first. */
  headings: string[];
  text: string;
  /** Repeated from the chunk before. */
  carried?: boolean;
}

/** A block's text in pieces no longer than the maximum, split between sentences. */
function pieces(text: string): string[] {
  if (estimateTokens(text) <= CHUNK_TOKENS.max) return [text];
  const sentences = text.match(/[^.!?。！？]+[.!?。！？]+["'”’)]*\s*|[^.!?。！？]+$/g) ?? [text];
  const result: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) result.push(current.trim());
    current = '';
  };
  for (const sentence of sentences) {
    if (estimateTokens(sentence) > CHUNK_TOKENS.max) {
      // A "sentence" longer than the maximum (text without punctuation) is cut by length.
      flush();
      const width = CHUNK_TOKENS.target * 4;
      for (let i = 0; i < sentence.length; i += width) result.push(sentence.slice(i, i + width).trim());
      continue;
    }
    if (current && estimateTokens(current + sentence) > CHUNK_TOKENS.target) flush();
    current += sentence;
  }
  flush();
  return result.filter(Boolean);
}

/** "Page title › Section › Subsection": the page's title and the headings its text sits under, each once. */
function chunkTitle(pageTitle: string | null, headings: string[]): string | null {
  const path: string[] = [];
  for (const part of [pageTitle, ...headings]) {
    if (part && !path.some((seen) => normalizeSpace(seen).toLowerCase() === normalizeSpace(part).toLowerCase())) path.push(normalizeSpace(part));
  }
  return path.join(' › ') || null;
}

const textOf = (units: Unit[]) => units.map((u) => u.text).join('\n\n');

/** The tail of a chunk, whole sentences up to the overlap size, repeated at the start of the next. */
function overlapOf(text: string): string {
  // Up to the last sentence's end: text past it has no sentence to give, and each position of a
  // long run without one would scan it to the end again.
  const end = Math.max(text.lastIndexOf('.'), text.lastIndexOf('!'), text.lastIndexOf('?')) + 1;
  const sentences = text.slice(0, end).match(/[^.!?]+[.!?]+\s*/g) ?? [];
  let tail = '';
  for (let i = sentences.length - 1; i >= 0; i--) {
    const candidate = sentences[i] + tail;
    if (estimateTokens(candidate) > CHUNK_TOKENS.overlap) break;
    tail = candidate;
  }
  return tail.trim();
}

/**
 * Retrieval chunks of about 300 to 800 tokens, in reading order. Short pages of one item are
 * joined; long blocks are split between sentences; consecutive chunks of a page overlap by a
 * sentence or two. Ids hash the pages and the text, so the same package gives the same ids.
 */
export function chunkPages(pages: Page[]): Chunk[] {
  const chunks: Chunk[] = [];
  const titles = new Map(pages.map((p) => [p.id, p.title]));
  const itemOf = new Map(pages.map((p) => [p.id, p.item_id]));
  let units: Unit[] = [];
  let tokens = 0;
  // Whether the open chunk has text of its own, beyond the overlap carried from the one before.
  let fresh = false;
  const emit = (carry: boolean) => {
    if (!fresh) {
      units = [];
      tokens = 0;
      return;
    }
    const text = textOf(units);
    const pageIds = [...new Set(units.map((u) => u.pageId))];
    const first = units[0]!;
    const own = units.find((u) => !u.carried) ?? first;
    const title = chunkTitle(titles.get(own.pageId) ?? null, own.headings);
    chunks.push({
      id: `c-${shortHash(pageIds.join(','), chunks.length, text)}`,
      page_id: first.pageId,
      page_ids: pageIds,
      assessment_id: null,
      item_id: itemOf.get(first.pageId) ?? null,
      title,
      text,
      token_estimate: estimateTokens(text),
    });
    const overlap = carry ? overlapOf(text) : '';
    units = overlap ? [{ ...units.at(-1)!, text: overlap, carried: true }] : [];
    tokens = estimateTokens(overlap);
    fresh = false;
  };
  // Headings wait for the text they introduce, so no chunk ends with a heading.
  let pending: Unit[] = [];
  const add = (incoming: Unit[]) => {
    units.push(...incoming);
    tokens = estimateTokens(textOf(units));
    fresh = true;
  };
  let previousItem: string | null | undefined;
  for (const page of pages) {
    // Joining stops at item boundaries and when a page would start deep into a full chunk.
    if (page.item_id !== previousItem || tokens >= CHUNK_TOKENS.min) emit(false);
    previousItem = page.item_id;
    const open: { level: number; text: string }[] = [];
    for (const block of page.blocks) {
      const isHeading = block.type === 'heading' && isRealHeading(block);
      if (block.type === 'heading' && isHeading) {
        while (open.length > 0 && open.at(-1)!.level >= block.level) open.pop();
        open.push({ level: block.level, text: block.text });
      }
      const headings = open.map((h) => h.text);
      for (const piece of pieces(block.type === 'image' ? `[Image: ${block.alt}]` : blockText(block))) {
        const unit = { pageId: page.id, headings, text: piece };
        if (isHeading) {
          pending.push(unit);
          continue;
        }
        const incoming = [...pending, unit];
        pending = [];
        if (units.length > 0 && estimateTokens(textOf([...units, ...incoming])) > CHUNK_TOKENS.max) emit(true);
        add(incoming);
        if (tokens >= CHUNK_TOKENS.target) emit(true);
      }
    }
    // Headings that end a page (nothing under them) stay with the page.
    if (pending.length > 0) add(pending);
    pending = [];
  }
  emit(false);
  return chunks;
}

/** A question as retrieval text: its prompt, choices, correct answers and feedback together. */
function questionText(q: Question): string {
  const lines = [`Question: ${q.prompt}`];
  if (q.choices.length > 0) lines.push(`Choices: ${q.choices.map((c) => c.text).join(' | ')}`);
  if (q.matches.length > 0) lines.push(`Correct pairs: ${q.matches.map((m) => `${m.source} → ${m.target}`).join(' | ')}`);
  else if (q.correct_answers.length > 0) lines.push(`Correct answer: ${q.correct_answers.join(' | ')}`);
  if (q.feedback.correct) lines.push(`Feedback when right: ${q.feedback.correct}`);
  if (q.feedback.incorrect) lines.push(`Feedback when wrong: ${q.feedback.incorrect}`);
  return lines.join('\n');
}

/**
 * The questions of each assessment as retrieval chunks of up to the target size, after the page
 * chunks. A question stays whole, with its answers, in one chunk. A chunk belongs to the page that
 * asks its questions: the assessment's page, else the page whose text holds the first prompt.
 */
export function chunkAssessments(assessments: Assessment[], pages: Page[]): Chunk[] {
  const chunks: Chunk[] = [];
  const pageAsking = questionPages(pages);
  for (const assessment of assessments) {
    const first = assessment.questions[0];
    const page = first ? pageAsking(assessment, first) : undefined;
    const title = chunkTitle(page?.title ?? null, [assessment.title ?? 'Questions']);
    let texts: string[] = [];
    const emit = () => {
      if (texts.length === 0) return;
      const text = texts.join('\n\n');
      chunks.push({
        id: `c-${shortHash(assessment.id, chunks.length, text)}`,
        page_id: page?.id ?? null,
        page_ids: page ? [page.id] : [],
        assessment_id: assessment.id,
        item_id: assessment.item_id ?? page?.item_id ?? null,
        title,
        text,
        token_estimate: estimateTokens(text),
      });
      texts = [];
    };
    for (const question of assessment.questions) {
      const text = questionText(question);
      if (texts.length > 0 && estimateTokens([...texts, text].join('\n\n')) > CHUNK_TOKENS.target) emit();
      texts.push(text);
    }
    emit();
  }
  return chunks;
}
