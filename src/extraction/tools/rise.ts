import path from 'node:path/posix';
import zlib from 'node:zlib';
import { tidyBlocks } from '../content/blocks.js';
import { htmlToBlocks, htmlToText } from '../content/html.js';
import { normalizeSpace } from '../content/text.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import { prefixOutput, storyline } from './storyline.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/*
 * Articulate Rise 360. The whole course is one base64 JSON document the player decodes at start:
 * `__resolveJsonp("course:<locale>", "<b64>")` in locales/*.js, `window.courseData = "<b64>"` in
 * index.html (or runtime-data.js), or `deserialize("<b64>")`. Decoded, it is
 * `{ course: { title, description, lessons: [{ type: blocks | quiz | section, items }] } }`, each
 * block identified by family/type/variant. Media live in `assets/` under their `key`.
 */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const num = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
};

/** Decompressed course data larger than this is refused (a zip bomb, not a course). */
const MAX_COURSE_BYTES = 128 * 1024 * 1024;

/** Folders a Rise export keeps its player in: the view itself, or `scormcontent/` (or alike). */
function riseRoot(view: PackageView): string | null {
  const files = view.files();
  const tops = [...new Set(files.filter((f) => f.includes('/')).map((f) => `${f.slice(0, f.indexOf('/'))}/`))];
  const roots = ['', 'scormcontent/', ...tops.filter((t) => t !== 'scormcontent/')];
  for (const root of roots) {
    const under = files.filter((f) => f.startsWith(root)).map((f) => f.slice(root.length));
    if (root === 'scormcontent/' && (under.includes('index.html') || under.some((f) => f.startsWith('lib/')))) return root;
    const riseLib =
      under.some((f) => f.startsWith('lib/rise/')) ||
      (under.includes('runtime-data.js') && under.some((f) => f.startsWith('assets/') || f.startsWith('lib/'))) ||
      (under.includes('index.html') &&
        (under.includes('lib/lzwcompress.js') ||
          under.some((f) => /^lib\/player-[\d.]+(\.min)?\.js$/.test(f)) ||
          (under.includes('lib/main.bundle.js') && under.some((f) => /^(lib\/)?locales\/[^/]+\.js$/.test(f)))));
    if (riseLib) return root;
  }
  return null;
}

/** Articulate's lzwCompress (for data written `{ d: [...] }`): LZW codes, then short keys. */
function lzwUnpack(codes: unknown[]): unknown {
  if (codes.length === 0 || !codes.every((c) => typeof c === 'number')) return undefined;
  const dictionary: string[] = [];
  for (let i = 0; i < 256; i++) dictionary[i] = String.fromCharCode(i);
  let w = String.fromCharCode(codes[0] as number);
  let result = w;
  for (let i = 1; i < codes.length; i++) {
    const k = codes[i] as number;
    const entry = dictionary[k] ?? (k === dictionary.length ? w + w.charAt(0) : undefined);
    if (entry === undefined) return undefined;
    result += entry;
    dictionary.push(w + entry.charAt(0));
    w = entry;
    if (result.length > MAX_COURSE_BYTES) return undefined;
  }
  const parsed = parseJson(result);
  const packed = obj(parsed);
  if (!Array.isArray(packed.__k)) return parsed;
  const keys = packed.__k.map(str);
  const decode = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(decode);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [keys[Number(key)] ?? key, decode(value)]));
  };
  return decode(packed.__v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The course object of a decoded payload, wherever the export put it. */
function courseOf(data: unknown, depth = 0): Json | undefined {
  if (depth > 3) return undefined;
  if (typeof data === 'string') return courseOf(parseJson(data), depth + 1);
  const o = obj(data);
  if (Array.isArray(o.d)) return courseOf(lzwUnpack(o.d), depth + 1);
  if (Array.isArray(obj(o.course).lessons)) return obj(o.course);
  if (Array.isArray(o.lessons)) return o;
  return undefined;
}

/** A base64 payload as the course it carries: plain JSON, or deflated/gzipped/brotli JSON. */
export function decodeCoursePayload(base64: string): { course: Json; data: Json } | undefined {
  const bytes = Buffer.from(base64, 'base64');
  const candidates: (() => Buffer)[] = [
    () => bytes,
    () => zlib.inflateSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
    () => zlib.inflateRawSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
    () => zlib.gunzipSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
    () => zlib.brotliDecompressSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
  ];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = candidate().toString('utf8').replace(/^\ufeff/, '');
    } catch {
      continue;
    }
    if (!/^\s*[[{"]/.test(text)) continue;
    const data = parseJson(text);
    const course = courseOf(data);
    if (course) return { course, data: obj(data) };
  }
  return undefined;
}

/** Files that may hold the course data, most specific first. */
function dataFiles(view: PackageView, root: string): string[] {
  const files = view.files().filter((f) => f.startsWith(root));
  const rel = (f: string) => f.slice(root.length);
  const locales = files
    .filter((f) => /^(lib\/)?locales\/[^/]+\.js$/.test(rel(f)))
    .sort((a, b) => Number(!/\/und\.js$/.test(a)) - Number(!/\/und\.js$/.test(b)) || a.localeCompare(b));
  const runtime = files.filter((f) => /(^|\/)runtime-data\.js$/.test(rel(f)) && !rel(f).startsWith('assets/'));
  return [...locales, ...runtime, `${root}index.html`].filter((f) => view.has(f));
}

async function loadCourse(view: PackageView, root: string): Promise<{ course: Json; data: Json; file: string } | undefined> {
  for (const file of dataFiles(view, root)) {
    const text = await view.text(file);
    if (text === undefined) continue;
    const literals = [...text.matchAll(/(["'`])([A-Za-z0-9+/_-]{100,}={0,2})\1/g)]
      .map((m) => m[2] ?? '')
      .sort((a, b) => b.length - a.length);
    for (const literal of literals) {
      const decoded = decodeCoursePayload(literal);
      if (decoded) return { ...decoded, file };
    }
  }
  return undefined;
}

const QUESTION_TYPES: Record<string, QuestionType> = {
  MULTIPLE_CHOICE: 'choice',
  MULTIPLE_RESPONSE: 'multiple_response',
  FILL_IN_THE_BLANK: 'fill_in',
  MATCHING: 'matching',
  SEQUENCE: 'sequencing',
  SEQUENCING: 'sequencing',
  ORDERING: 'sequencing',
  SORTING: 'drag_drop',
};

/** Correct answer ids. The single `correct` id rules a multiple choice, `corrects` a multiple response. */
function correctIds(question: Json, type: string, answers: Json[]): Set<string> {
  const ids = new Set(answers.map((a) => str(a.id)));
  const single = str(question.correct);
  const listed = (Array.isArray(question.corrects) ? question.corrects.map(str) : []).filter((id) => ids.has(id));
  const flagged = answers.filter((a) => a.correct === true).map((a) => str(a.id));
  if (type === 'MULTIPLE_CHOICE') {
    if (ids.has(single)) return new Set([single]);
    return new Set(listed.length > 0 ? listed.slice(0, 1) : flagged.slice(0, 1));
  }
  if (listed.length > 0) return new Set(listed);
  if (flagged.length > 0) return new Set(flagged);
  return new Set(ids.has(single) ? [single] : []);
}

class RiseReader {
  readonly pages: PageDraft[] = [];
  readonly assessments: AssessmentDraft[] = [];
  private readonly media = new Map<string, MediaHint>();
  private readonly storylines = new Set<string>();
  /** Storyline outputs found in the current lesson, placed after it. */
  private pendingStories: { folder: string; title: string | null }[] = [];

  constructor(
    private readonly view: PackageView,
    private readonly root: string,
    private readonly source: string,
  ) {}

  mediaHints(): MediaHint[] {
    return [...this.media.values()];
  }

  private hint(hint: MediaHint): void {
    const known = this.media.get(hint.path);
    if (!known) {
      this.media.set(hint.path, { ...hint });
      return;
    }
    known.altText = known.altText ?? hint.altText ?? null;
    known.durationSeconds = known.durationSeconds ?? hint.durationSeconds ?? null;
    const captions = [...new Set([...(known.captions ?? []), ...(hint.captions ?? [])])];
    if (captions.length > 0) known.captions = captions;
  }

  /** An asset path of the view: the first name (raw or URL-decoded, or its base name) present under assets/. */
  private asset(names: string[]): { path: string; present: boolean } | null {
    const tried: string[] = [];
    for (const name of names.filter((n) => n && !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(n))) {
      for (const candidate of [name, path.basename(name)]) {
        const resolved = this.view.resolve(`${this.root}index.html`, candidate.startsWith('assets/') ? candidate : `assets/${candidate}`);
        if (!resolved) continue;
        if (this.view.has(resolved)) return { path: resolved, present: true };
        tried.push(resolved);
      }
    }
    return tried[0] ? { path: tried[0], present: false } : null;
  }

  /** Caption files named anywhere in a media record. */
  private captions(record: Json): string[] {
    const found: string[] = [];
    const visit = (node: unknown, depth: number) => {
      if (depth > 4) return;
      if (typeof node === 'string' && /\.(vtt|srt)(\?.*)?$/i.test(node)) {
        const file = this.asset([node]);
        if (file) found.push(file.path);
      } else if (node && typeof node === 'object') for (const value of Object.values(node)) visit(value, depth + 1);
    };
    visit(record, 0);
    return [...new Set(found)];
  }

  /** Blocks and media hints of a `media` record (image, video, audio, attachment, embed). */
  private mediaBlocks(media: unknown, fallbackAlt?: unknown): Block[] {
    const m = obj(media);
    const blocks: Block[] = [];
    const image = obj(m.image);
    if (Object.keys(image).length > 0) {
      const names = [image.useCrushedKey === false ? '' : str(image.crushedKey), str(image.key), str(image.src), str(image.crushedKey)];
      const file = this.asset(names);
      const alt = normalizeSpace(str(image.altText) || str(image.alt) || str(obj(fallbackAlt).altText) || str(obj(fallbackAlt).alt));
      if (file) this.hint({ path: file.path, altText: alt || null });
      if (alt) blocks.push({ type: 'image', alt, src: file?.path ?? null });
    }
    for (const kind of ['video', 'audio'] as const) {
      const record = obj(m[kind]);
      if (Object.keys(record).length === 0) continue;
      const file = this.asset([str(record.key), str(record.src), str(record.filename)]);
      const duration = num(record.duration);
      const captions = this.captions(record);
      if (file) this.hint({ path: file.path, durationSeconds: duration && duration > 0 ? duration : null, ...(captions.length > 0 ? { captions } : {}) });
      const transcript = htmlToText(str(record.transcript));
      if (transcript && file) {
        const known = this.media.get(file.path);
        if (known && !known.transcript) known.transcript = { language: null, text: transcript, cues: [] };
      }
    }
    const attachment = obj(m.attachment);
    if (Object.keys(attachment).length > 0) {
      const file = this.asset([str(attachment.key), str(attachment.filename)]);
      if (file) this.hint({ path: file.path });
    }
    const embed = obj(m.embed);
    const embedTitle = htmlToText(str(embed.title));
    if (embedTitle) blocks.push({ type: 'paragraph', text: embedTitle });
    return blocks;
  }

  /** The course's cover picture: a media file of the course, with no text of its own. */
  coverImage(media: unknown): void {
    this.mediaBlocks(media);
  }

  private html(value: unknown): Block[] {
    const text = str(value);
    return text.trim() ? htmlToBlocks(text).blocks : [];
  }

  /** A table, as HTML or as rows of cells. */
  private table(value: unknown): Block[] {
    if (typeof value === 'string') return this.html(value);
    const rows = (Array.isArray(value) ? value : Array.isArray(obj(value).rows) ? (obj(value).rows as unknown[]) : []).map((row) =>
      (Array.isArray(row) ? row : Array.isArray(obj(row).cells) ? (obj(row).cells as unknown[]) : []).map((cell) => {
        const c = obj(cell);
        return htmlToText(typeof cell === 'string' ? cell : str(c.value ?? c.text ?? c.content ?? c.paragraph));
      }),
    );
    const kept = rows.filter((row) => row.some(Boolean));
    return kept.length > 0 ? [{ type: 'table', rows: kept }] : [];
  }

  private heading(value: unknown, level: number): Block[] {
    const text = htmlToText(str(value));
    return text ? [{ type: 'heading', level, text }] : [];
  }

  /** Text of a block family this reader does not know: its usual text fields, in order. */
  private generic(item: Json, depth = 0): Block[] {
    if (depth > 4 || item.isHidden === true) return [];
    const blocks: Block[] = [...this.heading(item.heading ?? item.title, 3)];
    for (const key of ['date', 'paragraph', 'description', 'caption', 'text', 'label', 'name']) blocks.push(...this.html(item[key]));
    blocks.push(...this.mediaBlocks(item.media));
    for (const side of ['front', 'back']) if (item[side]) blocks.push(...this.html(obj(item[side]).description));
    for (const child of [...arr(item.items), ...arr(item.markers), ...arr(item.slides), ...arr(item.responses)]) {
      blocks.push(...this.generic(child, depth + 1));
    }
    return blocks;
  }

  private question(q: Json, blocks: Block[]): Question | null {
    const rawType = str(q.type).toUpperCase();
    const type: QuestionType = QUESTION_TYPES[rawType] ?? 'other';
    const answers = arr(q.answers).filter((a) => a.isHidden !== true);
    const prompt = str(q.title) || str(q.question) || str(q.prompt);
    if (!htmlToText(prompt) && answers.length === 0) return null;
    blocks.push(...this.html(prompt), ...this.mediaBlocks(q.media));

    const input: QuestionInput = { id: str(q.id), type, prompt, source: this.source, points: null };
    const feedbackType = str(q.feedbackType).toUpperCase();
    // One feedback for any answer, unless the question has one for each outcome.
    const general = feedbackType === 'CORRECT_INCORRECT' ? '' : str(q.feedback);
    input.feedback = {
      correct: str(q.feedbackCorrect) || general || null,
      incorrect: str(q.feedbackIncorrect) || general || null,
    };
    if (type === 'matching') {
      input.matches = answers.map((a) => ({ source: str(a.title), target: str(a.matchTitle) })).filter((m) => htmlToText(m.source) && htmlToText(m.target));
      input.correctAnswers = [];
      const left = answers.map((a) => htmlToText(str(a.title))).filter(Boolean);
      const right = answers.map((a) => htmlToText(str(a.matchTitle))).filter(Boolean);
      if (left.length > 0) blocks.push({ type: 'list', ordered: false, items: left });
      if (right.length > 0) blocks.push({ type: 'list', ordered: false, items: right });
    } else if (type === 'fill_in' || type === 'sequencing') {
      input.correctAnswers = answers.map((a) => str(a.title)).filter((t) => htmlToText(t));
    } else {
      const correct = correctIds(q, rawType, answers);
      input.choices = answers.map((a) => ({
        id: str(a.id),
        text: str(a.title),
        correct: correct.size > 0 ? correct.has(str(a.id)) : null,
        feedback: str(a.feedback) || null,
      }));
      const texts = answers.map((a) => htmlToText(str(a.title)));
      if (type === 'choice' && texts.length === 2 && texts.every((t) => /^(true|false)$/i.test(t))) input.type = 'true_false';
      if (texts.some(Boolean)) blocks.push({ type: 'list', ordered: false, items: texts.filter(Boolean) });
    }
    return makeQuestion(input);
  }

  private interactive(block: Json, questions: Question[]): Block[] {
    const variant = str(block.variant).toLowerCase().replace(/[\s_-]+/g, '');
    const family = str(block.family).toLowerCase();
    const items = arr(block.items).filter((i) => i.isHidden !== true);
    const out: Block[] = [];
    if (variant === 'storyline' || items.some((i) => Object.keys(obj(obj(i.media).storyline)).length > 0)) {
      for (const item of items) this.embeddedStory(obj(obj(item.media).storyline));
      return out;
    }
    if (family === 'flashcard' || variant.startsWith('flashcard')) {
      for (const card of items) {
        for (const side of ['front', 'back']) {
          const face = obj(card[side]);
          const text = this.html(face.description);
          // A text face keeps Rise's default picture in its data without showing it.
          if (text.length === 0 || /image/i.test(str(face.type))) out.push(...this.mediaBlocks(face.media));
          out.push(...text);
        }
      }
      return out;
    }
    switch (variant) {
      case 'accordion':
      case 'tabs':
        for (const item of items) out.push(...this.heading(item.title, 3), ...this.html(item.description), ...this.mediaBlocks(item.media));
        return out;
      case 'process':
      case 'timeline': {
        const rank = (i: Json) => (str(i.type) === 'intro' ? 0 : str(i.type) === 'summary' ? 2 : 1);
        for (const item of [...items].sort((a, b) => rank(a) - rank(b))) {
          const title = [htmlToText(str(item.date)), htmlToText(str(item.title))].filter(Boolean).join(': ');
          if (title) out.push({ type: 'heading', level: 3, text: title });
          out.push(...this.html(item.description), ...this.mediaBlocks(item.media));
        }
        return out;
      }
      case 'labeledgraphic':
      case 'labelledgraphic': {
        out.push(...this.mediaBlocks(block.media));
        for (const item of items) {
          out.push(...this.mediaBlocks(item.media));
          const markers = arr(item.markers).length > 0 ? arr(item.markers) : [item];
          for (const marker of markers) out.push(...this.heading(marker.title, 3), ...this.html(marker.description));
        }
        return out;
      }
      case 'sorting': {
        const piles = arr(block.piles).length > 0 ? arr(block.piles) : items.flatMap((i) => arr(i.piles));
        const cards = items.flatMap((i) => (arr(i.items).length > 0 ? arr(i.items) : [i]));
        for (const pile of piles) {
          out.push(...this.heading(pile.title, 3));
          const inPile = cards.filter((c) => str(c.pileId) === str(pile.id)).map((c) => htmlToText(str(c.title))).filter(Boolean);
          if (inPile.length > 0) out.push({ type: 'list', ordered: false, items: inPile });
        }
        return out;
      }
      case 'scenario':
        for (const scene of items) {
          for (const slide of arr(scene.slides).length > 0 ? arr(scene.slides) : [scene]) {
            out.push(...this.heading(slide.title, 3), ...this.html(slide.description), ...this.mediaBlocks(slide.media));
            const responses = arr(slide.responses)
              .map((r) => [htmlToText(str(r.description ?? r.title)), htmlToText(str(r.feedback))].filter(Boolean).join(' — '))
              .filter(Boolean);
            if (responses.length > 0) out.push({ type: 'list', ordered: false, items: responses });
          }
        }
        return out;
      case 'button':
      case 'buttonstack':
        for (const item of items) out.push(...this.html(item.paragraph ?? item.description), ...this.mediaBlocks(item.media));
        return out;
      default:
        if (items.some((i) => Array.isArray(i.answers))) {
          for (const item of items) {
            const q = this.question(item, out);
            if (q) questions.push(q);
          }
          return out;
        }
        return items.flatMap((i) => this.generic(i));
    }
  }

  private embeddedStory(story: Json): void {
    const src = str(story.src);
    const title = htmlToText(str(story.title)) || null;
    if (!src) return;
    const resolved = this.view.resolve(`${this.root}index.html`, `assets/${src}`);
    const folder = resolved ? path.dirname(resolved) : null;
    if (!folder || folder === '.') return;
    if (!this.view.has(`${folder}/html5/data/js/data.js`)) {
      this.view.warn('rise_storyline_missing', `The Storyline block "${str(story.title)}" points to ${folder}, which is not in the package.`);
      return;
    }
    this.pendingStories.push({ folder, title });
  }

  /** Blocks of one Rise block, by family/type/variant; questions of knowledge checks go to `questions`. */
  private block(block: Json, questions: Question[]): Block[] {
    if (block.isHidden === true) return [];
    const type = str(block.type).toLowerCase();
    const family = str(block.family).toLowerCase();
    const variant = str(block.variant).toLowerCase();
    const items = arr(block.items).filter((i) => i.isHidden !== true);
    const out: Block[] = [];
    if (family === 'continue' || type === 'divider' || family === 'divider' || family === 'spacer') return out;
    if (type === 'knowledgecheck' || family === 'knowledgecheck') {
      for (const item of items) {
        const q = this.question(item, out);
        if (q) questions.push(q);
      }
      return out;
    }
    if (type === 'interactive' || family === 'interactive' || family === 'flashcard' || family === '360') {
      return this.interactive(block, questions);
    }
    switch (type) {
      case 'text':
      case 'statement':
      case 'impact': {
        const showHeading = /heading/.test(variant) || type !== 'text';
        const showParagraph = /paragraph|column|table|note/.test(variant) || !/heading/.test(variant) || type !== 'text';
        const level = /subheading/.test(variant) ? 3 : 2;
        for (const item of items) {
          if (showHeading) out.push(...this.heading(item.heading ?? item.title, level));
          if (showParagraph) out.push(...this.html(item.paragraph), ...this.table(item.table));
          out.push(...this.mediaBlocks(item.media));
        }
        return out;
      }
      case 'quote':
        for (const item of items) {
          const quote = htmlToText(str(item.paragraph));
          const by = htmlToText(str(item.name));
          if (quote) out.push({ type: 'quote', text: by ? `${quote} — ${by}` : quote });
        }
        return out;
      case 'list': {
        const entries = items.map((i) => htmlToText(str(i.paragraph))).filter(Boolean);
        if (entries.length > 0) out.push({ type: 'list', ordered: /number/.test(variant), items: entries });
        return out;
      }
      case 'image':
      case 'gallery':
        for (const item of items) out.push(...this.mediaBlocks(item.media, item), ...this.html(item.caption), ...this.html(item.paragraph));
        return out;
      case 'multimedia':
        for (const item of items) {
          if (variant === 'code') continue;
          out.push(...this.heading(item.title, 3), ...this.mediaBlocks(item.media, item), ...this.html(item.caption), ...this.html(item.description));
          for (const story of [obj(obj(item.media).storyline)]) if (Object.keys(story).length > 0) this.embeddedStory(story);
        }
        return out;
      case 'chart': {
        const rows = items.map((i) => [htmlToText(str(i.label ?? i.type ?? i.title)), str(i.value)]).filter((r) => r[0]);
        out.push(...this.heading(block.title, 3));
        if (rows.length > 0) out.push({ type: 'table', rows });
        return out;
      }
      default:
        return items.flatMap((i) => this.generic(i));
    }
  }

  async lesson(lesson: Json, courseTitle: string | null): Promise<void> {
    if (lesson.deleted === true || lesson.isHidden === true) return;
    const type = str(lesson.type).toLowerCase();
    const title = htmlToText(str(lesson.title)) || null;
    if (type === 'section') {
      this.pages.push({ title, kind: 'section', source: this.source, blocks: [] });
      return;
    }
    const questions: Question[] = [];
    const blocks: Block[] = [...this.html(lesson.description), ...this.mediaBlocks(obj(lesson.headerImage).media)];
    for (const item of arr(lesson.items)) {
      if (type === 'quiz' && Array.isArray(item.answers)) {
        const q = this.question(item, blocks);
        if (q) questions.push(q);
      } else blocks.push(...this.block(item, questions));
    }
    const pageIndex = this.pages.length;
    this.pages.push({ title: title ?? courseTitle, kind: 'lesson', source: this.source, blocks: tidyBlocks(blocks) });
    if (questions.length > 0) {
      const settings = obj(lesson.settings);
      this.assessments.push({
        title,
        source: this.source,
        pageIndex,
        passingScore: type === 'quiz' ? num(settings.passingScore) : null,
        questions,
      });
    }
    const stories = this.pendingStories;
    this.pendingStories = [];
    for (const { folder, title: storyTitle } of stories) await this.story(folder, storyTitle);
  }

  /** Adds an embedded Storyline output's slides, questions and media, paths under `folder`. */
  async story(folder: string, title: string | null = null): Promise<void> {
    if (this.storylines.has(folder)) return;
    this.storylines.add(folder);
    const output = prefixOutput(await storyline.extract(this.view.sub(folder)), folder);
    const offset = this.pages.length;
    // An untitled slide takes the name the course gives the interaction.
    this.pages.push(...output.pages.map((page) => ({ ...page, title: page.title ?? title ?? output.title ?? null })));
    for (const assessment of output.assessments) {
      this.assessments.push({ ...assessment, pageIndex: assessment.pageIndex === null || assessment.pageIndex === undefined ? null : assessment.pageIndex + offset });
    }
    for (const hint of output.media) this.hint(hint);
  }

  /** Storyline outputs under assets/ that no block named (older exports), after the lessons. */
  async unreferencedStories(): Promise<void> {
    const pattern = new RegExp(`^${this.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}assets/(.+)/html5/data/js/data\\.js$`);
    for (const file of this.view.files()) {
      const folder = pattern.exec(file)?.[1];
      if (folder) await this.story(`${this.root}assets/${folder}`);
    }
  }
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  return riseRoot(view) === null ? null : { version: null };
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const root = riseRoot(view) ?? '';
  const loaded = await loadCourse(view, root);
  if (!loaded) {
    view.warn('rise_course_data_missing', 'The Rise course data (base64 JSON) was not found or could not be decoded.');
    return { pages: [], assessments: [], media: [] };
  }
  const { course, data, file } = loaded;
  const title = htmlToText(str(course.title)) || null;
  const reader = new RiseReader(view, root, file);
  reader.coverImage(obj(course.coverImage).media);
  for (const lesson of arr(course.lessons)) await reader.lesson(lesson, title);
  await reader.unreferencedStories();
  const language = str(course.locale) || str(obj(data.labelSet).iso639Code) || str(obj(course.labelSet).iso639Code);
  return {
    title,
    description: htmlToText(str(course.description)) || null,
    language: language || null,
    pages: reader.pages,
    assessments: reader.assessments,
    media: reader.mediaHints(),
  };
}

export const rise: ToolDecoder = { name: 'Articulate Rise 360', detect, extract };
