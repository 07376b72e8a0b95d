import path from 'node:path/posix';
import { inflateSync } from 'node:zlib';
import { htmlToBlocks, htmlToText } from '../content/html.js';
import { tidyBlocks } from '../content/blocks.js';
import { cleanText, isSentenceLike, normalizeSpace } from '../content/text.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  isObject,
  jsonValue,
  parseJsLiteral,
  type JsObject,
  type JsValue,
} from './captivate.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/** Decoded presentation and quiz data above this size is refused (a zlib bomb, not a course). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const MARKERS = /Created with iSpring|iSpring|PresentationPlayer\.start|\bpresInfo\b/;
const GENERIC_QUIZ_TITLE = /^(untitled quiz|quiz|untitled survey)$/i;
const DECORATIVE = /^(decorative( image)?|decoration|image|picture|graphic|photo)$/i;

const hasLetters = (text: string) => /\p{L}/u.test(text);

interface Root {
  /** Folder of the player (`res/`, or '' when index.html is at the root of the view). */
  dir: string;
  index: string | null;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Where the iSpring player lives: the folder whose `data/` holds `slideN.js` / `quizN.js` files,
 * preferring one beside an `index.html`, then the shallowest.
 */
function findRoot(view: PackageView): Root | null {
  const dirs = new Set<string>();
  for (const file of view.files()) {
    const match = /^(.*?)data\/(slide|quiz)\d+\.js$/i.exec(file);
    if (match) dirs.add(match[1] ?? '');
  }
  if (dirs.size === 0) return null;
  const index = (dir: string) => view.files().find((f) => f.toLowerCase() === `${dir}index.html`.toLowerCase()) ?? null;
  const ranked = [...dirs].sort((a, b) => Number(!index(a)) - Number(!index(b)) || a.split('/').length - b.split('/').length || a.localeCompare(b));
  const dir = ranked[0] ?? '';
  return { dir, index: index(dir) };
}

/** A base64 blob of the player: plain JSON, or zlib-deflated JSON (`eN...`). */
function decodeBlob(encoded: string): JsValue | undefined {
  const trimmed = encoded.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return jsonValue(trimmed);
  if (!/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  let text: string;
  if (bytes[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(bytes[1] ?? -1)) {
    try {
      text = inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
    } catch {
      return undefined;
    }
  } else {
    text = bytes.toString('utf8');
  }
  return jsonValue(text.replace(/^\ufeff/, ''));
}

/** The value assigned to `name` in a script (`var name = "...";` or `name = {...}`), decoded. */
function assigned(source: string, name: string): JsValue | undefined {
  const re = new RegExp(`\\b${name}\\s*=\\s*(?=["'\`{\\[])`, 'g');
  for (const match of source.matchAll(re)) {
    const parsed = parseJsLiteral(source, (match.index ?? 0) + match[0].length);
    if (!parsed) continue;
    if (typeof parsed.value === 'string') {
      const decoded = decodeBlob(parsed.value);
      if (decoded !== undefined) return decoded;
    } else if (parsed.value !== null) {
      return parsed.value;
    }
  }
  return undefined;
}

/** The literal arguments of the player's `loadHandler(index, html, json)` call in a slide file. */
function loadHandlerArgs(source: string): JsValue[] {
  const re = /loadHandler\s*\(/g;
  let last: JsValue[] = [];
  for (const match of source.matchAll(re)) {
    let pos = (match.index ?? 0) + match[0].length;
    const args: JsValue[] = [];
    for (let i = 0; i < 8; i++) {
      const parsed = parseJsLiteral(source, pos);
      if (!parsed) break;
      args.push(parsed.value);
      pos = parsed.end;
      while (/\s/.test(source[pos] ?? '')) pos++;
      if (source[pos] !== ',') break;
      pos++;
    }
    if (args.length > last.length) last = args;
  }
  return last;
}

/** Paragraphs of plain slide text: `\r` and `\n` end paragraphs, `\v` breaks lines. */
function textParagraphs(text: string): string[] {
  return text
    .split(/[\r\n\v\u2028\u2029]+/)
    .map((p) => normalizeSpace(p))
    .filter((p) => hasLetters(p));
}

function richText(value: JsValue | undefined): string | null {
  if (typeof value === 'string') return htmlToText(value) || null;
  const rich = asObject(value);
  if (!rich) return null;
  // Newer players: {a: simplified HTML, d: [plain paragraphs], h: styled HTML}.
  const html = asString(rich.a) ?? asString(rich.h) ?? asString(rich.t);
  if (html) {
    const text = htmlToText(html);
    if (text) return text;
  }
  const plain = asArray(rich.d)
    .map((d) => asString(d) ?? '')
    .join(' ');
  return normalizeSpace(plain) || null;
}

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Whether most words of `text` already appear in `known`. */
function mostlyKnown(text: string, known: Set<string>): boolean {
  const words = [...wordsOf(text)];
  if (words.length === 0) return true;
  return words.filter((w) => known.has(w)).length / words.length >= 0.8;
}

// ---------------------------------------------------------------------------------------------

interface SlideInfo {
  title: string | null;
  file: string;
  quiz: boolean;
  info: JsObject | null;
}

class IspringReader {
  private readonly audioById = new Map<string, string>();
  private readonly imageFiles = new Map<string, string>();
  private readonly indexFile: string;

  constructor(
    readonly view: PackageView,
    readonly root: Root,
    readonly indexHtml: string,
    readonly presentation: JsObject | undefined,
    /** Slide titles by index from an older player's `data/presentation.xml`. */
    readonly legacyTitles: Map<number, string> = new Map(),
  ) {
    this.indexFile = root.index ?? `${root.dir}index.html`;
    for (const match of indexHtml.matchAll(/<audio\b[^>]*\bid=["']([^"']+)["'][^>]*>([\s\S]*?)<\/audio>/gi)) {
      const src = /\bsrc=["']([^"']+)["']/i.exec(match[0])?.[1];
      if (match[1] && src) this.audioById.set(match[1], src);
    }
  }

  /** A path of the player (`data/slide1.js`) as a path of the view. */
  file(reference: string): string | null {
    return this.view.resolve(this.indexFile, reference);
  }

  slides(): SlideInfo[] {
    const entries = asArray(this.presentation?.s).map(asObject).filter((s): s is JsObject => !!s);
    if (entries.length) {
      return entries.flatMap((info) => {
        const ref = asString(info.s);
        const file = ref ? this.file(ref) : null;
        if (!file) return [];
        const quiz = info.st === 'q' || /(^|\/)quiz\d*\.js$/i.test(file);
        return [{ title: cleanText(asString(info.t) ?? '') || null, file, quiz, info }];
      });
    }
    // No presentation data: the slide files in their numeric order (titles from an older player's
    // presentation.xml), then the quizzes.
    const files = this.view
      .files()
      .filter((f) => f.startsWith(`${this.root.dir}data/`) && /\/(slide|quiz)\d+\.js$/i.test(f))
      .sort(naturalCompare);
    const slides = files.filter((f) => /\/slide\d+\.js$/i.test(f));
    const quizzes = files.filter((f) => /\/quiz\d+\.js$/i.test(f));
    return [
      ...slides.map((file) => {
        const number = Number(/(\d+)\.js$/i.exec(file)?.[1] ?? 0);
        return { title: this.legacyTitles.get(number - 1) ?? null, file, quiz: false, info: null };
      }),
      ...quizzes.map((file) => ({ title: null, file, quiz: true, info: null })),
    ];
  }

  async page(slide: SlideInfo, itemId: string | null): Promise<PageDraft> {
    const source = this.view.has(slide.file) ? await this.view.text(slide.file) : undefined;
    const args = source ? loadHandlerArgs(source) : [];
    const html = args.find((a): a is string => typeof a === 'string' && a.trimStart().startsWith('<')) ?? '';
    const shapesJson = args.find((a): a is string => typeof a === 'string' && a.trimStart().startsWith('{'));
    const shapes = asArray(asObject(shapesJson ? jsonValue(shapesJson) : undefined)?.s)
      .map(asObject)
      .filter((s): s is JsObject => !!s);

    const blocks: Block[] = [];
    const seen = new Set<string>();
    const add = (text: string, heading = false) => {
      const key = text.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      blocks.push(heading ? { type: 'heading', level: 1, text } : { type: 'paragraph', text });
    };

    // 1. The player's search text of the slide: shapes in reading order, `\r\n` between shapes.
    const search = asString(slide.info?.x);
    const shapeTexts: string[][] = [];
    if (search && hasLetters(search)) {
      for (const shape of search.split(/\r\n/)) shapeTexts.push(textParagraphs(shape));
    } else if (shapes.some((s) => typeof s.t === 'string')) {
      // 2. The slide's own text list: titles first.
      const texts = shapes.filter((s) => typeof s.t === 'string');
      for (const s of [...texts.filter((t) => t.T === true), ...texts.filter((t) => t.T !== true)]) {
        shapeTexts.push(textParagraphs(asString(s.t) ?? ''));
      }
    } else if (html) {
      // 3. The rendered slide, one line per element: lines that continue a sentence are joined again.
      const lines: string[] = [];
      for (const block of htmlToBlocks(html).blocks) {
        if (block.type !== 'paragraph' && block.type !== 'heading') continue;
        for (const line of textParagraphs(block.text)) {
          const previous = lines.at(-1);
          if (previous !== undefined && !/[.!?:;…]$/.test(previous) && (/^\p{Ll}/u.test(line) || /[,\-–]$/.test(previous))) {
            lines[lines.length - 1] = `${previous} ${line}`;
          } else {
            lines.push(line);
          }
        }
      }
      for (const line of lines) shapeTexts.push([line]);
    }
    const title = slide.title;
    shapeTexts.forEach((paragraphs, shapeIndex) => {
      paragraphs.forEach((text, i) => {
        const isTitle = shapeIndex === 0 && i === 0 && title !== null && text.toLowerCase() === title.toLowerCase();
        add(text, isTitle);
      });
    });

    // Alt texts: of shapes in the slide data, and of pictures in the rendered slide.
    const images: { alt: string; src: string | null }[] = [];
    for (const shape of shapes) {
      const alt = cleanText(asString(shape.a) ?? '');
      const src = asString(shape.b);
      images.push({ alt, src: src ? this.file(src) : null });
    }
    for (const match of html.matchAll(/<img\b[^>]*>/gi)) {
      const alt = cleanText(/\balt="([^"]*)"/i.exec(match[0])?.[1] ?? '');
      const src = /\bsrc="([^"]*)"/i.exec(match[0])?.[1];
      images.push({ alt, src: src ? this.file(src) : null });
    }
    for (const image of images) {
      if (!this.usefulAlt(image.alt) || seen.has(`image:${image.alt.toLowerCase()}`)) continue;
      seen.add(`image:${image.alt.toLowerCase()}`);
      const file = image.src && this.view.has(image.src) ? image.src : null;
      if (file) this.imageFiles.set(file, image.alt);
      // Like an href, an image source is relative to the file the page comes from.
      blocks.push({ type: 'image', alt: image.alt, src: file ? path.relative(path.dirname(slide.file), file) : null });
    }

    // Speaker notes, shown to learners in the player's Notes panel, when they say more than the slide.
    const notes = asString(slide.info?.n) ?? '';
    const known = wordsOf(blocks.map((b) => (b.type === 'image' ? b.alt : 'text' in b ? b.text : '')).join(' '));
    const noteParagraphs = textParagraphs(notes);
    if (noteParagraphs.length && !mostlyKnown(noteParagraphs.join(' '), known)) {
      for (const text of noteParagraphs) add(text);
    }
    return { title, kind: 'slide', source: slide.file, itemId, blocks: tidyBlocks(blocks) };
  }

  private usefulAlt(alt: string): boolean {
    if (!hasLetters(alt) || alt.length < 3 || DECORATIVE.test(alt) || !isSentenceLike(alt)) return false;
    // Alt texts that are file names or shape names (the picture's original name) describe nothing.
    return !/\.(emf|wmf|png|jpe?g|gif|svg|bmp|tiff?)$/i.test(alt) && !/^(picture|image|graphic|rectangle|oval|group|text ?box)\s*\d+$/i.test(alt);
  }

  media(slides: SlideInfo[]): MediaHint[] {
    const hints = new Map<string, MediaHint>();
    const add = (hint: MediaHint) => {
      const existing = hints.get(hint.path);
      if (!existing) hints.set(hint.path, hint);
      else {
        existing.durationSeconds ??= hint.durationSeconds;
        existing.altText ??= hint.altText;
      }
    };
    for (const slide of slides) {
      const info = slide.info;
      if (!info) continue;
      for (const sound of asArray(info.S).map(asObject)) {
        const id = asString(sound?.a);
        const src = (id && this.audioById.get(id)) ?? asString(sound?.u) ?? asString(sound?.src);
        const file = src ? this.file(src) : null;
        if (file) add({ path: file, durationSeconds: asNumber(sound?.d) ?? null });
      }
      for (const video of asArray(info.V).map(asObject)) {
        const markup = asString(video?.h) ?? '';
        const src = /<source\b[^>]*\bsrc=["']([^"']+)["']/i.exec(markup)?.[1] ?? /\bsrc=["']([^"']+)["']/i.exec(markup)?.[1] ?? asString(video?.u);
        const file = src ? this.file(src) : null;
        if (file) add({ path: file, durationSeconds: asNumber(video?.d) ?? null });
      }
    }
    return [...hints.values()];
  }

  /** Pictures of the slides read so far that have a description. */
  imageHints(): MediaHint[] {
    return [...this.imageFiles].map(([file, alt]) => ({ path: file, altText: alt }));
  }
}

// -- quizzes ----------------------------------------------------------------------------------

const TYPE_BY_NAME: [RegExp, QuestionType][] = [
  [/^(truefalse|tf)$/i, 'true_false'],
  [/^(multipleresponse|mr|pickmany)$/i, 'multiple_response'],
  [/^(multiplechoice|mc|pickone)$/i, 'choice'],
  [/^(matching|ma|mt|match)$/i, 'matching'],
  [/^(sequence|sequencing|seq|sq|ordering)$/i, 'sequencing'],
  [/^(typein|ti|shortanswer|sa|numeric|num|nu|fillintheblank|fillintheblanks|fib|fitb|multiplechoicetext|selectfromlists|mct|sfl)$/i, 'fill_in'],
  [/^(wordbank|wb|dnd|draganddrop|dd)$/i, 'drag_drop'],
  [/^(hotspot|hs)$/i, 'hotspot'],
  [/^(essay|es)$/i, 'essay'],
  [/^(likert|likertscale|ls|lk)$/i, 'likert'],
];

function questionType(name: string): QuestionType {
  return TYPE_BY_NAME.find(([re]) => re.test(name.replace(/[\s_-]/g, '')))?.[1] ?? 'other';
}

interface QuizResult {
  title: string | null;
  passingScore: number | null;
  questions: Question[];
}

/** A choice of either quiz format: `{t: rich, c: correct}` (Suite 10+) or `{t: html, c: true}` (older). */
function choiceOf(value: JsValue, index: number): { id: string; text: string; correct: boolean | null; feedback: string | null } | null {
  const choice = asObject(value);
  if (!choice) return null;
  const text = richText(choice.t) ?? richText(choice.d);
  if (!text) return null;
  return {
    id: asString(choice.i) ?? String(index + 1),
    text,
    correct: choice.c === true,
    feedback: richText(asObject(choice.F)?.t ?? choice.f ?? null),
  };
}

/** Surveys flag no choice as correct: their choices are then neither right nor wrong. */
function unflagged<T extends { correct: boolean | null }>(choices: T[]): T[] {
  return choices.some((c) => c.correct) ? choices : choices.map((c) => ({ ...c, correct: null }));
}

function isTrueFalse(choices: { text: string }[]): boolean {
  if (choices.length !== 2) return false;
  const texts = choices.map((c) => c.text.toLowerCase().replace(/[.!]$/, ''));
  return texts.includes('true') && texts.includes('false');
}

/** Suite 10+ quiz data: `{d: {T, s, sl: {g: [{S: [question...]}], r: {g: [result slides]}}}}`. */
function readModernQuiz(data: JsObject, source: string): QuizResult {
  const d = asObject(data.d) ?? {};
  const defaults = asObject(asObject(d.s)?.d);
  const defaultFeedback = asObject(defaults?.fv);
  const questions: Question[] = [];
  let groupPassing: number | null = null;
  for (const group of asArray(asObject(d.sl)?.g).map(asObject)) {
    const passing = asObject(asObject(group?.s)?.ps);
    if (groupPassing === null && passing && asString(passing.u) !== 'points') groupPassing = asNumber(passing.v) ?? null;
    for (const slide of asArray(group?.S).map(asObject)) {
      if (!slide) continue;
      const kind = asString(slide.tp) ?? '';
      if (/^(info|result|intro)/i.test(kind)) continue;
      const content = asObject(slide.C) ?? {};
      const settings = asObject(slide.s) ?? {};
      const choices = unflagged(asArray(content.chs).map(choiceOf).filter((c): c is NonNullable<typeof c> => !!c));
      let type = questionType(kind);
      if (type === 'choice' && isTrueFalse(choices)) type = 'true_false';
      const input: QuestionInput = {
        id: asString(slide.i) ?? `q${questions.length + 1}`,
        type,
        prompt: richText(slide.D) ?? '',
        source,
        choices: choices.map(({ id, text, correct, feedback }) => ({ id, text, correct, feedback })),
      };
      const pairs = asArray(content.m)
        .map(asObject)
        .map((m) => ({ source: richText(asObject(m?.p)?.t ?? null), target: richText(asObject(m?.r)?.t ?? null) }))
        .filter((m): m is { source: string; target: string } => !!m.source && !!m.target);
      if (pairs.length) input.matches = pairs;
      if (type === 'sequencing' && choices.length) input.correctAnswers = choices.map((c) => c.text);
      if (type === 'fill_in' && !choices.some((c) => c.correct) && choices.length) input.correctAnswers = choices.map((c) => c.text);
      const feedback = asObject(settings.F);
      const fb = (key: string, fallback: string) =>
        richText(asObject(asObject(feedback?.[key])?.v) ?? null) ?? (asString(defaultFeedback?.[fallback]) ? cleanText(asString(defaultFeedback?.[fallback]) ?? '') : null);
      input.feedback = { correct: fb('c', 'c'), incorrect: fb('i', 'i') };
      const evaluation = asObject(settings.e);
      input.points = asNumber(evaluation?.pt) ?? asNumber(defaults?.pt) ?? null;
      questions.push(makeQuestion(input));
    }
  }
  let resultPassing: number | null = null;
  for (const result of asArray(asObject(asObject(d.sl)?.r)?.g).map(asObject)) {
    const passing = asObject(asObject(asObject(result?.C)?.Rs)?.ps);
    const value = asNumber(passing?.v);
    if (passing && asString(passing.u) !== 'points' && value !== undefined && value > 0) resultPassing = Math.max(resultPassing ?? 0, value);
  }
  const title = cleanText(asString(d.T) ?? '');
  return { title: title && !GENERIC_QUIZ_TITLE.test(title) ? title : null, passingScore: resultPassing ?? groupPassing, questions };
}

/** Older quiz data (iSpring 8/9): `{T, q: [{t: 'mc', d: html, a: [{t: html, c: true}]}], p: {I: groups}}`. */
function readClassicQuiz(data: JsObject, source: string): QuizResult {
  const byId = new Map<string, JsObject>();
  const order: JsObject[] = [];
  for (const q of asArray(data.q).map(asObject)) {
    if (!q) continue;
    order.push(q);
    const id = asString(q.i);
    if (id) byId.set(id, q);
  }
  // The pool lists questions group by group; keep that order when it names them all.
  const ordered: JsObject[] = [];
  let passingScore: number | null = null;
  const visit = (node: JsObject | undefined) => {
    if (!node) return;
    const score = asNumber(asObject(asObject(node.s)?.sc)?.p);
    if (passingScore === null && score !== undefined) passingScore = score;
    const id = asString(node.i);
    const q = id ? byId.get(id) : undefined;
    if (node.t === 's' && q && !ordered.includes(q)) ordered.push(q);
    for (const child of asArray(node.I).map(asObject)) visit(child);
  };
  visit(asObject(data.p));
  const list = ordered.length ? [...ordered, ...order.filter((q) => !ordered.includes(q))] : order;
  const questions = list
    .filter((q) => !/^(is|info)$/i.test(asString(q.t) ?? ''))
    .map((q, index) => {
      const choices = unflagged(asArray(q.a).map(choiceOf).filter((c): c is NonNullable<typeof c> => !!c));
      let type = questionType(asString(q.t) ?? '');
      if (type === 'choice' && isTrueFalse(choices)) type = 'true_false';
      const input: QuestionInput = {
        id: asString(q.i) ?? `q${index + 1}`,
        type,
        prompt: richText(q.d) ?? '',
        source,
        choices: choices.map(({ id, text, correct, feedback }) => ({ id, text, correct, feedback })),
        feedback: { correct: richText(q.cf ?? null), incorrect: richText(q.if ?? null) },
        points: asNumber(q.p) ?? null,
      };
      if (type === 'sequencing' && choices.length) input.correctAnswers = choices.map((c) => c.text);
      return makeQuestion(input);
    });
  const title = cleanText(asString(data.T) ?? '');
  return { title: title && !GENERIC_QUIZ_TITLE.test(title) ? title : null, passingScore, questions };
}

async function readQuiz(view: PackageView, file: string): Promise<QuizResult | null> {
  if (!view.has(file)) return null;
  const source = await view.text(file);
  if (source === undefined) return null;
  const data = asObject(assigned(source, 'quizInfo')) ?? asObject(assigned(source, 'quizData'));
  if (!data) {
    view.warn('ispring_quiz_unreadable', `${file} holds no quiz data that could be decoded.`, file);
    return null;
  }
  if (isObject(data.d)) return readModernQuiz(data, file);
  if (Array.isArray(data.q)) return readClassicQuiz(data, file);
  view.warn('ispring_quiz_unreadable', `${file} has quiz data in a layout this decoder does not know.`, file);
  return null;
}

// ---------------------------------------------------------------------------------------------

function itemFor(view: PackageView, launch: string | null): string | null {
  const relative = (path: string | null) => (path && path.startsWith(view.base) ? path.slice(view.base.length) : path);
  if (launch) {
    const hit = view.items.find((item) => (relative(item.launch) ?? '').toLowerCase() === launch.toLowerCase());
    if (hit) return hit.identifier;
  }
  const launchable = view.items.filter((i) => i.launch);
  return launchable.length === 1 ? (launchable[0]?.identifier ?? null) : null;
}

async function readIndex(view: PackageView, root: Root): Promise<string> {
  if (!root.index || (view.size(root.index) ?? 0) > 64 * 1024 * 1024) return '';
  return (await view.text(root.index)) ?? '';
}

/** Title and slide titles of an older (Flash-era) player's `data/presentation.xml`. */
async function readLegacyPresentation(view: PackageView, root: Root): Promise<{ title: string | null; titles: Map<number, string> } | null> {
  const file = `${root.dir}data/presentation.xml`;
  if (!view.has(file) || (view.size(file) ?? 0) > 16 * 1024 * 1024) return null;
  const xml = await view.text(file);
  if (!xml) return null;
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const titles = new Map<number, string>();
  for (const match of xml.matchAll(/<slide\b[^>]*>/g)) {
    const index = Number(attribute(match[0], 'index'));
    const title = cleanText(attribute(match[0], 'title') ?? '');
    if (Number.isInteger(index) && title) titles.set(index, title);
  }
  const head = /<presentation\b[^>]*>/.exec(xml)?.[0] ?? '';
  return { title: cleanText(attribute(head, 'title') ?? '') || null, titles };
}

async function detectIspring(view: PackageView): Promise<ToolDetection | null> {
  const root = findRoot(view);
  if (!root) return null;
  const html = await readIndex(view, root);
  let marked = MARKERS.test(html);
  if (!marked) {
    // A slide file of the player registers itself with window['sl_{GUID}'] or window['q_{GUID}'].
    const sample = view.files().find((f) => f.startsWith(`${root.dir}data/`) && /(slide|quiz)\d+\.js$/i.test(f));
    const text = sample && (view.size(sample) ?? 0) < 8 * 1024 * 1024 ? await view.text(sample) : undefined;
    marked = !!text && /window\[['"](sl|q)_\{[0-9A-F-]+\}['"]\]/i.test(text);
  }
  if (!marked) return null;
  const version = /<!--\s*version\s+([\d.]+)\s*-->/i.exec(html)?.[1] ?? null;
  return { version };
}

async function extractIspring(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { title: null, description: null, language: null, pages: [], assessments: [], media: [] };
  const root = findRoot(view);
  if (!root) return output;
  const html = await readIndex(view, root);
  const presentation = asObject(assigned(html, 'presInfo'));
  if (html && !presentation) {
    view.warn('ispring_presentation_unreadable', `${root.index} holds no presentation data that could be decoded; slides are read in file order.`, root.index ?? undefined);
  }
  const legacy = presentation ? null : await readLegacyPresentation(view, root);
  const reader = new IspringReader(view, root, html, presentation, legacy?.titles);
  const htmlTitle = /<title>([^<]*)<\/title>/i.exec(html)?.[1];
  output.title = cleanText(asString(presentation?.ct) ?? asString(presentation?.t) ?? legacy?.title ?? htmlTitle ?? '') || null;

  const itemId = itemFor(view, root.index);
  const slides = reader.slides();
  for (const slide of slides) {
    if (slide.quiz) {
      const quiz = await readQuiz(view, slide.file);
      if (!quiz || quiz.questions.length === 0) continue;
      const assessment: AssessmentDraft = {
        title: slide.title ?? quiz.title,
        source: slide.file,
        itemId,
        pageIndex: null,
        passingScore: quiz.passingScore,
        questions: quiz.questions,
      };
      output.assessments.push(assessment);
    } else {
      output.pages.push(await reader.page(slide, itemId));
    }
  }
  output.media = [...reader.media(slides), ...reader.imageHints()];
  return output;
}

export const ispring: ToolDecoder = {
  name: 'iSpring Suite',
  detect: detectIspring,
  extract: extractIspring,
};
