import path from 'node:path/posix';
import { htmlToBlocks } from '../content/html.js';
import { tidyBlocks } from '../content/blocks.js';
import { cleanText, normalizeSpace } from '../content/text.js';
import type { Block, Cue, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

// ---------------------------------------------------------------------------------------------
// JavaScript literals, read without evaluating anything
// ---------------------------------------------------------------------------------------------

/** A value of a JavaScript object literal. Expressions that are not literals read as null. */
export type JsValue = null | boolean | number | string | JsValue[] | JsObject;
export interface JsObject {
  [key: string]: JsValue;
}

const IDENT_START = /[A-Za-z_$\u00c0-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u00c0-\uffff]/;
const MAX_DEPTH = 400;

class LiteralReader {
  pos: number;

  constructor(
    private readonly src: string,
    start: number,
  ) {
    this.pos = start;
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message} at ${this.pos}`);
  }

  skipSpace(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
        this.pos++;
      } else if (c === 47 && src[this.pos + 1] === '/') {
        const end = src.indexOf('\n', this.pos);
        this.pos = end < 0 ? src.length : end + 1;
      } else if (c === 47 && src[this.pos + 1] === '*') {
        const end = src.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? src.length : end + 2;
      } else {
        return;
      }
    }
  }

  peek(): string {
    this.skipSpace();
    return this.src[this.pos] ?? '';
  }

  value(depth = 0): JsValue {
    if (depth > MAX_DEPTH) this.fail('literal nested too deeply');
    let result = this.primary(depth);
    // String concatenation ('a' + 'b') is the one operator data files use.
    while (this.peek() === '+' && typeof result === 'string') {
      this.pos++;
      const next = this.primary(depth);
      result = typeof next === 'string' || typeof next === 'number' ? result + String(next) : result;
    }
    return result;
  }

  private primary(depth: number): JsValue {
    const c = this.peek();
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"' || c === "'" || c === '`') return this.string();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) {
      const n = this.number();
      if (n !== undefined) return n;
    }
    if (c === '!' && /^!\s*[01]\b/.test(this.src.slice(this.pos, this.pos + 4))) {
      // Minifiers write true and false as !0 and !1.
      this.pos++;
      this.skipSpace();
      return this.src[this.pos++] === '0';
    }
    if (IDENT_START.test(c)) {
      const start = this.pos;
      const word = this.identifier();
      const after = this.peek();
      const simple = after === ',' || after === '}' || after === ']' || after === ')' || after === ';' || after === '';
      if (simple) {
        if (word === 'true') return true;
        if (word === 'false') return false;
        if (word === 'NaN' || word === 'Infinity') return null;
        if (word === 'null' || word === 'undefined') return null;
        return null;
      }
      this.pos = start;
    }
    this.skipExpression();
    return null;
  }

  private identifier(): string {
    const start = this.pos;
    while (this.pos < this.src.length && IDENT_PART.test(this.src[this.pos] ?? '')) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Skips any expression (a reference, a call, a function) up to the next `,`, `}`, `]` or `)` at its level. */
  private skipExpression(): void {
    const src = this.src;
    let depth = 0;
    const start = this.pos;
    while (this.pos < src.length) {
      const c = src[this.pos] ?? '';
      if (c === '"' || c === "'" || c === '`') {
        this.string();
        continue;
      }
      if (c === '/' && (src[this.pos + 1] === '/' || src[this.pos + 1] === '*')) {
        this.skipSpace();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === ';') && depth === 0) break;
      this.pos++;
    }
    if (this.pos === start) this.fail('unexpected character');
  }

  private number(): number | undefined {
    const match = /^[-+]?(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(this.src.slice(this.pos, this.pos + 64));
    if (!match) return undefined;
    const after = this.src[this.pos + match[0].length] ?? '';
    if (IDENT_PART.test(after)) return undefined;
    this.pos += match[0].length;
    const text = match[0];
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[-+]/, '');
    return sign * (/^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : Number(body));
  }

  string(): string {
    const src = this.src;
    const quote = src[this.pos];
    this.pos++;
    let out = '';
    let chunkStart = this.pos;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === quote) {
        out += src.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === '\\') {
        out += src.slice(chunkStart, this.pos);
        this.pos++;
        out += this.escape();
        chunkStart = this.pos;
        continue;
      }
      if (quote === '`' && c === '$' && src[this.pos + 1] === '{') {
        // A template with substitutions is code, not data: keep its literal parts only.
        out += src.slice(chunkStart, this.pos);
        const end = src.indexOf('}', this.pos);
        this.pos = end < 0 ? src.length : end + 1;
        chunkStart = this.pos;
        continue;
      }
      if ((c === '\n' || c === '\r') && quote !== '`') this.fail('unterminated string');
      this.pos++;
    }
    this.fail('unterminated string');
  }

  private escape(): string {
    const src = this.src;
    const c = src[this.pos++] ?? '';
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '0':
        return /[0-9]/.test(src[this.pos] ?? '') ? '' : '\0';
      case '\r':
        if (src[this.pos] === '\n') this.pos++;
        return '';
      case '\n':
      case '\u2028':
      case '\u2029':
        return '';
      case 'x': {
        const hex = src.slice(this.pos, this.pos + 2);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          this.pos += 2;
          return String.fromCharCode(parseInt(hex, 16));
        }
        return 'x';
      }
      case 'u': {
        if (src[this.pos] === '{') {
          const end = src.indexOf('}', this.pos);
          const hex = end > 0 ? src.slice(this.pos + 1, end) : '';
          if (/^[0-9a-fA-F]{1,6}$/.test(hex) && parseInt(hex, 16) <= 0x10ffff) {
            this.pos = end + 1;
            return String.fromCodePoint(parseInt(hex, 16));
          }
          return 'u';
        }
        const hex = src.slice(this.pos, this.pos + 4);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.pos += 4;
          return String.fromCharCode(parseInt(hex, 16));
        }
        return 'u';
      }
      default:
        return c;
    }
  }

  private object(depth: number): JsObject {
    const result: JsObject = Object.create(null) as JsObject;
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return result;
      }
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '') this.fail('unterminated object');
      let key: string;
      if (c === '"' || c === "'") key = this.string();
      else if (c === '[') {
        // A computed key: not data.
        this.skipExpression();
        key = '';
      } else {
        const n = c === '-' || c === '.' || (c >= '0' && c <= '9') ? this.number() : undefined;
        if (n !== undefined) key = String(n);
        else {
          key = this.identifier();
          if (!key) this.fail('unexpected character in object');
        }
      }
      const next = this.peek();
      if (next === ':') {
        this.pos++;
        const value = this.value(depth + 1);
        if (key) result[key] = value;
      } else if (next === '(') {
        // A method: function body, not data.
        this.skipExpression();
      } else if (next === ',' || next === '}') {
        // Shorthand property: a reference.
        if (key) result[key] = null;
      } else {
        this.fail('expected : in object');
      }
    }
  }

  private array(depth: number): JsValue[] {
    const result: JsValue[] = [];
    this.pos++;
    let expectValue = true;
    for (;;) {
      const c = this.peek();
      if (c === ']') {
        this.pos++;
        return result;
      }
      if (c === '') this.fail('unterminated array');
      if (c === ',') {
        if (expectValue) result.push(null);
        this.pos++;
        expectValue = true;
        continue;
      }
      result.push(this.value(depth + 1));
      expectValue = false;
    }
  }
}

/**
 * Reads the JavaScript literal (object, array, string, number...) that starts at `start` in `source`,
 * without evaluating anything: references, calls and functions inside it read as null.
 * Returns null when the text there is not a literal.
 */
export function parseJsLiteral(source: string, start: number): { value: JsValue; end: number } | null {
  try {
    const reader = new LiteralReader(source, start);
    const value = reader.value();
    return { value, end: reader.pos };
  } catch {
    return null;
  }
}

/** The literal assigned by the first `pattern` match (the pattern ends just before the value). */
export function literalAfter(source: string, pattern: RegExp): JsValue | undefined {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const re = new RegExp(pattern.source, flags);
  for (const match of source.matchAll(re)) {
    const parsed = parseJsLiteral(source, (match.index ?? 0) + match[0].length);
    if (parsed) return parsed.value;
  }
  return undefined;
}

export const isObject = (value: JsValue | undefined): value is JsObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const asObject = (value: JsValue | undefined): JsObject | undefined => (isObject(value) ? value : undefined);
export const asArray = (value: JsValue | undefined): JsValue[] => (Array.isArray(value) ? value : []);
export const asString = (value: JsValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
export const asNumber = (value: JsValue | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;

/** A JSON.parse result as a JsValue (JSON is a subset of it); null objects get no prototype. */
export function jsonValue(text: string): JsValue | undefined {
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) return Object.assign(Object.create(null) as JsObject, value);
      return value;
    }) as JsValue;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Captivate
// ---------------------------------------------------------------------------------------------

const CPM = 'assets/js/CPM.js';
const PROJECT = 'project.txt';
const LAUNCH_FILES = ['index_scorm.html', 'index_lms.html', 'index_TINCAN.html', 'index.html', 'multiscreen.html'];
const GENERIC_TITLES = /^(captivate e-?learning course|course object title|untitled( project)?|project description|)$/i;
const MARKERS = /assets\/js\/CPM\.js|CPXHRLoader|initializeCP\s*\(|cp\.CPProjInit|Adobe Captivate/;

/** Captivate object types (cp.kCPOT* constants of its runtime). */
const T = {
  clickBox: 13,
  imageBox: 15,
  successCaption: 21,
  failureCaption: 22,
  hintCaption: 23,
  textEntryBox: 24,
  textEntryButton: 75,
  questionText: 79,
  answer: 80,
  retryFeedback: 81,
  questionClear: 84,
  questionBack: 85,
  questionTitle: 86,
  matchingColumnHeader: 87,
  questionSubmit: 91,
  progress: 92,
  review: 94,
  incompleteFeedback: 97,
  scoringReview: 103,
  scoringResult: 111,
  scoringResultItem: 112,
  timeoutFeedback: 174,
  scorableButton: 177,
  undo: 639,
  reset: 640,
  ddSubmit: 641,
  successShape: 661,
  failureShape: 663,
  hintShape: 665,
  fillBlankField: 10011,
  answerMulti: 10081,
  answerSingle: 10082,
  stageCorrect: 10086,
  stageIncorrect: 10087,
  answerLabel: 10088,
  shortAnswer: 10094,
  sequenceAnswer: 10096,
  matchingAnswer: 10097,
  matchingEntry: 10098,
  fillBlankCaption: 10106,
  matchingQuestion: 10110,
  likertQuestion: 10112,
  scoringContinue: 10119,
  partialFeedback: 10139,
  answerArea: 10142,
  matchingQuestionArea: 10143,
  matchingAnswerArea: 10144,
  submitAll: 10149,
  correctShape: 10166,
  incorrectShape: 10168,
  retryShape: 10172,
  incompleteShape: 10174,
  answerFeedbackShape: 10176,
  timeoutShape: 10178,
  reviewNext: 10180,
  reviewBack: 10182,
} as const;

/** Buttons, fields, result labels and areas: player chrome, never course text. */
const CHROME_TYPES = new Set<number>([
  T.clickBox, T.textEntryBox, T.textEntryButton, T.questionClear, T.questionBack, T.progress, T.review,
  T.scoringReview, T.scoringResult, T.scoringResultItem, T.scorableButton, T.undo, T.reset, T.ddSubmit,
  T.fillBlankField, T.answerLabel, T.shortAnswer, T.matchingEntry, T.scoringContinue, T.answerArea,
  T.matchingQuestionArea, T.matchingAnswerArea, T.submitAll, T.reviewNext, T.reviewBack, T.questionSubmit, T.matchingColumnHeader,
]);
/** Feedback of a question: kept in the question, not repeated on its slide. */
const QUESTION_FEEDBACK_TYPES = new Set<number>([
  T.successCaption, T.failureCaption, T.hintCaption, T.retryFeedback, T.incompleteFeedback, T.timeoutFeedback,
  T.successShape, T.failureShape, T.hintShape, T.stageCorrect, T.stageIncorrect, T.partialFeedback,
  T.correctShape, T.incorrectShape, T.retryShape, T.incompleteShape, T.answerFeedbackShape, T.timeoutShape,
]);
/** Parts of a question slide rendered from the question itself. */
const QUESTION_PART_TYPES = new Set<number>([
  T.answer, T.answerMulti, T.answerSingle, T.sequenceAnswer, T.matchingAnswer, T.matchingQuestion, T.fillBlankCaption, T.likertQuestion,
]);

/** Labels of player and quiz controls, dropped wherever they appear as a whole text. */
const CHROME_LABEL =
  /^(next|back|prev|previous|submit|submit all|continue|clear|skip|retake|retake quiz|review|review quiz|reset|undo|ok|cancel|close|exit|play|pause|replay|rewind|menu|home|restart|<<|>>|<|>|click to continue|click anywhere to continue)$/i;

const isMeaningful = (text: string) => /[\p{L}\p{N}]/u.test(text);
/** Slide text needs letters: lone numbers are counters and navigation ("1 / 7"). */
const hasLetters = (text: string) => /\p{L}/u.test(text);

/** Text with Captivate variables (`$$name$$`) shown as `[name]`. */
function clean(text: string): string {
  return normalizeSpace(text.replace(/\$\$([\w.]+)\$\$/g, ' [$1] ')).replace(/\] ([.,;:!?])/g, ']$1');
}

/** Paragraphs of a Captivate rich text (`vt`): its `<br>`s end paragraphs. */
function richParagraphs(html: string | undefined, keep: (text: string) => boolean = hasLetters): string[] {
  if (!html || !html.trim()) return [];
  const blocks = htmlToBlocks(html.replace(/<br\s*\/?>/gi, '<div></div>')).blocks;
  const out: string[] = [];
  for (const block of blocks) {
    const texts = block.type === 'list' ? block.items : block.type === 'table' ? block.rows.map((r) => r.join(' | ')) : [block.type === 'image' ? '' : block.text];
    for (const text of texts) {
      const value = clean(text);
      if (keep(value)) out.push(value);
    }
  }
  return out;
}

interface CaptivateModel {
  data: JsObject;
  /** Audio and video files the runtime preloads (its images are sprites in dr/*.json, not files). */
  audios: string[];
  videos: string[];
}

function readModel(source: string): CaptivateModel | null {
  const data =
    literalAfter(source, /cp\.(?:D|model\.data)\s*=\s*(?:cp\.(?:D|model\.data)\s*=\s*)?(?=\{)/) ??
    literalAfter(source, /\bcp\.D\s*=\s*(?=\{)/);
  if (!isObject(data)) return null;
  const list = (name: string) =>
    asArray(literalAfter(source, new RegExp(`cp\\.model\\.${name}\\s*=\\s*(?=\\[)`)))
      .map((entry) => asString(entry) ?? asString(asObject(entry)?.ip) ?? asString(asObject(entry)?.src))
      .filter((entry): entry is string => !!entry);
  return { data, audios: list('audios'), videos: list('videos') };
}

/** Case-insensitive file lookup, so `Assets/JS/cpm.js` is found too. */
function findFile(view: PackageView, file: string): string | undefined {
  if (view.has(file)) return file;
  const lower = file.toLowerCase();
  return view.files().find((f) => f.toLowerCase() === lower);
}

async function readProject(view: PackageView): Promise<JsObject | undefined> {
  const file = findFile(view, PROJECT);
  if (!file || (view.size(file) ?? 0) > 4 * 1024 * 1024) return undefined;
  const text = await view.text(file);
  if (text === undefined) return undefined;
  const value = jsonValue(text.trim());
  return asObject(value);
}

function projectMeta(project: JsObject | undefined): JsObject | undefined {
  return asObject(project?.metadata);
}

function nonGeneric(value: string | undefined): string | null {
  const text = value === undefined ? '' : cleanText(value);
  return text && !GENERIC_TITLES.test(text) ? text : null;
}

// ---------------------------------------------------------------------------------------------

class CaptivateReader {
  readonly D: JsObject;
  readonly fps: number;
  private readonly questionKeyBySlide = new Map<string, string>();

  constructor(
    readonly view: PackageView,
    readonly model: CaptivateModel,
    /** The model file, as the package spells it. */
    readonly file: string,
  ) {
    this.D = model.data;
    const project = asObject(this.D.project);
    this.fps = asNumber(project?.fps) ?? asNumber(asObject(this.D.project_main)?.fps) ?? 30;
    for (const key of this.questionKeys()) {
      const slide = asString(asObject(this.D[key])?.sn);
      if (slide && !this.questionKeyBySlide.has(slide)) this.questionKeyBySlide.set(slide, key);
    }
  }

  obj(name: string | undefined): JsObject | undefined {
    return name ? asObject(this.D[name]) : undefined;
  }

  /** The display ('c') object of a slide item: its accessibility text, bounds, image. */
  display(name: string): JsObject | undefined {
    const item = this.obj(name);
    return this.obj(asString(item?.mdi)) ?? this.obj(`${name}c`);
  }

  /** An item from its own name or from the name of its display object. */
  itemOf(name: string): { item: JsObject | undefined; display: JsObject | undefined; name: string } {
    const own = this.obj(name);
    if (own && own.type !== undefined) return { item: own, display: this.display(name), name };
    const base = name.endsWith('c') ? name.slice(0, -1) : name;
    const item = this.obj(base);
    return { item, display: own ?? this.display(base), name: base };
  }

  /** Paragraphs an item shows: its rich text, else its accessibility text. */
  itemParagraphs(name: string): string[] {
    const { item, display } = this.itemOf(name);
    const rich = richParagraphs(asString(item?.vt));
    if (rich.length) return rich;
    const responsive = asObject(item?.rpvt);
    if (responsive) {
      for (const entry of Object.values(responsive)) {
        const paragraphs = richParagraphs(asString(asObject(entry)?.vt));
        if (paragraphs.length) return paragraphs;
      }
    }
    const accessible = clean(asString(display?.accstr) ?? '');
    return hasLetters(accessible) ? [accessible] : [];
  }

  itemText(name: string | undefined): string | null {
    if (!name) return null;
    const text = this.itemParagraphs(name).join(' ');
    return text || null;
  }

  slideNames(): string[] {
    const listed = (asString(asObject(this.D.project_main)?.slides) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => isObject(this.D[s]));
    if (listed.length) return listed;
    return Object.keys(this.D)
      .filter((k) => {
        const v = asObject(this.D[k]);
        return !!v && Array.isArray(v.si) && typeof v.from === 'number' && /slide/i.test(asString(v.st) ?? 'slide');
      })
      .sort((a, b) => (asNumber(asObject(this.D[a])?.from) ?? 0) - (asNumber(asObject(this.D[b])?.from) ?? 0));
  }

  questionKeys(): string[] {
    const listed = (asString(asObject(this.D.project_main)?.questions) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => isObject(this.D[s]));
    const seen = new Set(listed);
    for (const [key, value] of Object.entries(this.D)) {
      const v = asObject(value);
      if (!seen.has(key) && v && typeof v.qtp === 'string' && (Array.isArray(v.ao) || typeof v.qt === 'string')) {
        listed.push(key);
        seen.add(key);
      }
    }
    return listed;
  }

  questionOfSlide(slide: string): string | undefined {
    const own = asString(this.obj(slide)?.qs);
    if (own && this.obj(own)) return own;
    return this.questionKeyBySlide.get(slide);
  }

  // -- pages ---------------------------------------------------------------------------------

  page(slideName: string, itemId: string | null): PageDraft {
    const slide = this.obj(slideName) ?? {};
    const title = cleanText(asString(slide.lb) ?? '') || null;
    const questionKey = this.questionOfSlide(slideName);
    const question = questionKey ? this.obj(questionKey) : undefined;
    const blocks: Block[] = [];
    const seen = new Set<string>();
    const paragraph = (text: string) => {
      const key = text.toLowerCase();
      if (seen.has(key) || CHROME_LABEL.test(text.replace(/[.!:]+$/, '').trim())) return;
      seen.add(key);
      blocks.push({ type: 'paragraph', text });
    };
    let bodyDone = false;
    const questionBody = () => {
      if (!question || bodyDone) return;
      bodyDone = true;
      for (const block of this.questionBlocks(question)) {
        if (block.type === 'paragraph') paragraph(block.text);
        else blocks.push(block);
      }
    };
    for (const entry of asArray(slide.si)) {
      const name = asString(asObject(entry)?.n);
      if (!name) continue;
      const item = this.obj(name);
      const type = asNumber(item?.type) ?? asNumber(asObject(entry)?.t);
      if (type === undefined) continue;
      if (CHROME_TYPES.has(type)) continue;
      if (question && QUESTION_FEEDBACK_TYPES.has(type)) continue;
      if (type === T.questionText && question) {
        const prompt = this.questionPrompt(question);
        if (prompt) paragraph(prompt);
        questionBody();
        continue;
      }
      if (QUESTION_PART_TYPES.has(type)) {
        if (question) questionBody();
        continue;
      }
      if (type === T.imageBox) {
        const image = this.image(name);
        if (image && !seen.has(`image:${image.alt.toLowerCase()}`)) {
          seen.add(`image:${image.alt.toLowerCase()}`);
          // Like an href, an image source is relative to the file the page comes from.
          blocks.push({ type: 'image', alt: image.alt, src: image.file ? path.relative(path.dirname(this.file), image.file) : null });
        }
        continue;
      }
      for (const text of this.itemParagraphs(name)) paragraph(text);
    }
    if (question && !bodyDone) {
      const prompt = this.questionPrompt(question);
      if (prompt) paragraph(prompt);
      questionBody();
    }
    // Closed captions with no audio file to carry them stay with the slide.
    if (!this.slideAudio(slideName)) {
      for (const cue of this.captionCues(asArray(slide.audCC), 0)) paragraph(cue.text);
    }
    return { title, kind: 'slide', source: this.file, itemId, blocks: tidyBlocks(blocks) };
  }

  /** An image with a real description; `file` when the picture is a file of the package. */
  image(name: string): { alt: string; file: string | null } | null {
    const item = this.obj(name);
    const display = this.display(name);
    const alt = clean(asString(display?.accstr) ?? '');
    if (!isMeaningful(alt) || alt.length < 3) return null;
    // Buttons (they act on click) and alt texts that are only the object's name are not descriptions.
    if (item && (asString(item.oca) ?? '').includes('jumpTo')) return null;
    if (alt === asString(display?.dn) || alt === name || /^(image|button|btn|shape)[_ ]?\d*$/i.test(alt)) return null;
    if (CHROME_LABEL.test(alt) || /\.(png|jpe?g|gif|svg|bmp)$/i.test(alt)) return null;
    const ip = asString(display?.ip);
    return { alt, file: (ip && findFile(this.view, ip)) ?? null };
  }

  // -- questions -----------------------------------------------------------------------------

  questionPrompt(question: JsObject): string {
    const titleCaption = asString(question.qtc);
    const fromCaption = titleCaption ? this.itemText(titleCaption) : null;
    return fromCaption ?? clean(asString(question.qt) ?? '');
  }

  private answerNames(question: JsObject, key = 'ao'): string[] {
    return asArray(question[key])
      .map((entry) => asString(entry) ?? '')
      .map((entry) => {
        const match = /^(.*):(\d+)$/.exec(entry);
        return { name: match ? (match[1] ?? '') : entry, order: match ? Number(match[2]) : 0 };
      })
      .filter((e) => e.name !== '')
      .sort((a, b) => a.order - b.order)
      .map((e) => e.name);
  }

  private answerText(name: string): string | null {
    const { item, display } = this.itemOf(name);
    const rich = richParagraphs(asString(item?.vt), isMeaningful).join(' ');
    if (rich) return rich;
    for (const key of ['aAnsTxtlms', 'atxtlms', 'accstr']) {
      const text = clean(asString(display?.[key]) ?? '');
      if (isMeaningful(text) && text.length > 1) return text;
    }
    return null;
  }

  private fillBlanks(question: JsObject): { sentence: string | null; answers: string[] } {
    const blanks = this.answerNames(question)
      .map((name) => this.obj(name))
      .filter((b): b is JsObject => !!b && Array.isArray(b.correctAnswers));
    const primary: string[] = [];
    const alternates: string[] = [];
    for (const blank of blanks) {
      const accepted = asArray(blank.correctAnswers).map((a) => clean(asString(a) ?? '')).filter(isMeaningful);
      if (accepted[0]) primary.push(accepted[0]);
      alternates.push(...accepted.slice(1));
    }
    const answers: string[] = [];
    for (const a of [...primary, ...alternates]) {
      if (!answers.some((b) => b.toLowerCase() === a.toLowerCase())) answers.push(a);
    }
    const captionName = blanks.map((b) => asString(b.capN)).find(Boolean);
    let sentence: string | null = null;
    if (captionName) {
      const display = this.display(captionName);
      const fib = asString(display?.fibText) ?? asString(display?.accstr);
      if (fib) {
        // The runtime writes each blank as the word "dash" in this text.
        const dashes = fib.match(/dash/g)?.length ?? 0;
        sentence = clean(dashes === blanks.length && dashes > 0 ? fib.replace(/\s*dash\s*/g, ' _____ ') : fib);
        sentence = sentence.replace(/ _____ ([,.;:!?])/g, ' _____$1');
      }
    }
    return { sentence: sentence && isMeaningful(sentence) ? sentence : null, answers };
  }

  private matching(question: JsObject): { sources: string[]; targets: string[]; pairs: { source: string; target: string }[] } {
    const column = (key: string) =>
      this.answerNames(question, key).map((name) => ({
        text: this.answerText(name) ?? '',
        id: asString(this.itemOf(name).display?.aid) ?? '',
      }));
    const sources = column('aio');
    const targets = column('aco');
    const pairs: { source: string; target: string }[] = [];
    for (const source of sources) {
      const target = targets.find((t) => t.id !== '' && t.id === source.id);
      if (source.text && target?.text) pairs.push({ source: source.text, target: target.text });
    }
    return { sources: sources.map((s) => s.text).filter(Boolean), targets: targets.map((t) => t.text).filter(Boolean), pairs };
  }

  private questionType(question: JsObject, choices: { correct: boolean | null; multi: boolean }[]): QuestionType {
    const kind = `${asString(question.itp) ?? ''} ${asString(question.qtp) ?? ''}`.toLowerCase();
    if (/true-?false/.test(kind)) return 'true_false';
    if (/matching/.test(kind)) return 'matching';
    if (/sequence|sequencing/.test(kind)) return 'sequencing';
    if (/hot-?spot/.test(kind)) return 'hotspot';
    if (/likert/.test(kind)) return 'likert';
    if (/drag|dnd/.test(kind)) return 'drag_drop';
    if (/fill|fib|short|text-?entry/.test(kind)) return 'fill_in';
    if (/choice|mcq/.test(kind)) {
      const correct = choices.filter((c) => c.correct).length;
      return correct > 1 || choices.some((c) => c.multi) ? 'multiple_response' : 'choice';
    }
    return 'other';
  }

  question(key: string, id: string): Question {
    const q = this.obj(key) ?? {};
    const correctLetters = asArray(q.cal).map((a) => asString(a) ?? String(a));
    const kind = `${asString(q.itp) ?? ''} ${asString(q.qtp) ?? ''}`.toLowerCase();
    const input: QuestionInput = { id, type: 'other', prompt: this.questionPrompt(q), source: this.file };
    let choices: { id: string; text: string; correct: boolean | null; multi: boolean }[] = [];

    if (/fill|fib/.test(kind) && !/long/.test(kind)) {
      const { sentence, answers } = this.fillBlanks(q);
      if (sentence) input.prompt = input.prompt ? `${input.prompt} ${sentence}` : sentence;
      input.correctAnswers = answers;
    } else if (/long|short/.test(kind)) {
      input.correctAnswers = correctLetters.map((a) => clean(a)).filter(isMeaningful);
    } else if (/matching/.test(kind)) {
      input.matches = this.matching(q).pairs;
    } else {
      choices = this.answerNames(q).flatMap((name, index) => {
        const text = this.answerText(name);
        if (!text) return [];
        const display = this.itemOf(name).display;
        const letter = asString(display?.aid) ?? String(display?.aid ?? index + 1);
        const flagged = display?.ic;
        const correct = typeof flagged === 'boolean' ? flagged : correctLetters.length ? correctLetters.includes(letter) : null;
        return [{ id: letter, text, correct, multi: asNumber(display?.at) === T.answerMulti }];
      });
      input.choices = choices.map(({ id: choiceId, text, correct }) => ({ id: choiceId, text, correct }));
      if (/sequence/.test(kind)) {
        const ordered = correctLetters.map((l) => choices.find((c) => c.id === l)?.text).filter((t): t is string => !!t);
        input.correctAnswers = ordered.length ? ordered : choices.map((c) => c.text);
      }
    }
    input.type = this.questionType(q, choices);
    const incorrectNames = [...asArray(q.ifc).map((n) => asString(n)), asString(q.frc)].filter((n): n is string => !!n);
    input.feedback = {
      correct: this.itemText(asString(q.osc)),
      incorrect: incorrectNames.map((n) => this.itemText(n)).find((t) => !!t) ?? null,
    };
    const weight = asNumber(q.w);
    const ungraded = q.ikc === true || q.ips === true;
    input.points = weight !== undefined && !(ungraded && weight === 0) ? weight : null;
    return makeQuestion(input);
  }

  private questionBlocks(question: JsObject): Block[] {
    const kind = `${asString(question.itp) ?? ''} ${asString(question.qtp) ?? ''}`.toLowerCase();
    if (/fill|fib/.test(kind) && !/long/.test(kind)) {
      const { sentence } = this.fillBlanks(question);
      return sentence ? [{ type: 'paragraph', text: sentence }] : [];
    }
    if (/long|short/.test(kind)) return [];
    if (/matching/.test(kind)) {
      const { sources, targets } = this.matching(question);
      return [sources, targets].filter((l) => l.length).map((items) => ({ type: 'list', ordered: false, items }));
    }
    const items = this.answerNames(question)
      .map((name) => this.answerText(name))
      .filter((t): t is string => !!t);
    return items.length ? [{ type: 'list', ordered: false, items }] : [];
  }

  passingScore(): number | null {
    const quiz = asObject(this.D.quizzingData);
    if (!quiz) return null;
    const percent = asNumber(quiz.passFailPassingScoreValue) ?? asNumber(quiz.quizInfoQuizPassPercent);
    if (quiz.passFailPassingScoreTypeInPrecent !== false && percent !== undefined && percent > 0) return percent;
    const points = asNumber(quiz.passingScore) ?? asNumber(quiz.quizInfoQuizPassPoints);
    const max = asNumber(quiz.maxScore) ?? asNumber(quiz.quizInfoTotalQuizPoints);
    if (points !== undefined && max !== undefined && max > 0) return Math.round((points / max) * 1000) / 10;
    return percent ?? null;
  }

  // -- media ---------------------------------------------------------------------------------

  private captionCues(entries: JsValue[], offsetSeconds: number): Cue[] {
    const cues: Cue[] = [];
    for (const entry of entries) {
      const cc = asObject(entry);
      if (!cc) continue;
      const texts = asObject(cc.t);
      const html = texts ? Object.values(texts).map((v) => asString(v)).find((v) => !!v) : asString(cc.t);
      const text = richParagraphs(html).join(' ');
      if (!text) continue;
      const start = Math.max(0, ((asNumber(cc.sf) ?? 1) - 1) / this.fps - offsetSeconds);
      const end = Math.max(start, (asNumber(cc.ef) ?? asNumber(cc.sf) ?? 1) / this.fps - offsetSeconds);
      cues.push({ start: Math.round(start * 1000) / 1000, end: Math.round(end * 1000) / 1000, text });
    }
    return cues;
  }

  /** The slide's own audio (`StAd*`): the audio object whose frames start within the slide. */
  slideAudio(slideName: string): { name: string; audio: JsObject } | undefined {
    const slide = this.obj(slideName);
    const from = asNumber(slide?.from);
    const to = asNumber(slide?.to);
    if (from === undefined || to === undefined) return undefined;
    const names = (asString(asObject(this.D.project_main)?.slideAudios) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const name of names) {
      const audio = this.obj(name);
      const start = asNumber(audio?.from);
      if (audio && asString(audio.src) && start !== undefined && start >= from && start <= to) return { name, audio };
    }
    return undefined;
  }

  media(slides: string[]): MediaHint[] {
    const hints = new Map<string, MediaHint>();
    const add = (hint: MediaHint) => {
      const existing = hints.get(hint.path);
      if (!existing) hints.set(hint.path, hint);
      else {
        existing.durationSeconds ??= hint.durationSeconds;
        existing.altText ??= hint.altText;
        existing.transcript ??= hint.transcript;
      }
    };
    const resolve = (ref: string) => this.view.resolve('index.html', ref);
    for (const slideName of slides) {
      const slide = this.obj(slideName);
      const found = this.slideAudio(slideName);
      if (!slide || !found) continue;
      const file = resolve(asString(found.audio.src) ?? '');
      if (!file) continue;
      const offset = ((asNumber(found.audio.from) ?? 0) - (asNumber(slide.from) ?? 0)) / this.fps;
      const cues = this.captionCues(asArray(slide.audCC), offset);
      const duration = asNumber(found.audio.du);
      add({
        path: file,
        durationSeconds: duration !== undefined ? duration / 1000 : null,
        transcript: cues.length ? { language: null, text: cues.map((c) => c.text).join(' '), cues } : null,
      });
    }
    // Every other audio or video object of the model (object audio, play-audio actions).
    for (const value of Object.values(this.D)) {
      const object = asObject(value);
      const src = asString(object?.src);
      if (!object || !src || !/\.(mp3|wav|ogg|m4a|aac|mp4|webm|flv|f4v|mov|m4v)$/i.test(src)) continue;
      const file = resolve(src);
      if (!file) continue;
      const duration = asNumber(object.du);
      add({ path: file, durationSeconds: duration !== undefined ? duration / 1000 : null });
    }
    // Files the runtime preloads: referenced, so a missing one is reported.
    for (const ref of [...this.model.audios, ...this.model.videos]) {
      const file = resolve(ref);
      if (file) add({ path: file });
    }
    // Images with a real description, when the image is a file of the package (not a sprite in dr/*.json).
    for (const [name, value] of Object.entries(this.D)) {
      const item = asObject(value);
      if (asNumber(item?.type) !== T.imageBox) continue;
      const image = this.image(name);
      if (image?.file) add({ path: image.file, altText: image.alt });
    }
    return [...hints.values()];
  }
}

function itemFor(view: PackageView, launches: string[]): string | null {
  const relative = (launch: string | null) =>
    launch && launch.startsWith(view.base) ? launch.slice(view.base.length) : launch;
  const wanted = new Set(launches.map((l) => l.toLowerCase()));
  const hit = view.items.find((item) => wanted.has((relative(item.launch) ?? '').toLowerCase()));
  if (hit) return hit.identifier;
  const launchable = view.items.filter((i) => i.launch && (i.launch.startsWith(view.base) || view.base === ''));
  return launchable.length === 1 ? (launchable[0]?.identifier ?? null) : null;
}

async function detectCaptivate(view: PackageView): Promise<ToolDetection | null> {
  const cpm = findFile(view, CPM);
  const project = await readProject(view);
  const meta = projectMeta(project);
  const generator = asString(meta?.generator) ?? '';
  const projectSaysCaptivate = /captivate/i.test(generator);
  let captivate = !!cpm || projectSaysCaptivate;
  if (!captivate) {
    for (const launch of LAUNCH_FILES) {
      const file = findFile(view, launch);
      if (!file || (view.size(file) ?? 0) > 2 * 1024 * 1024) continue;
      const html = await view.text(file);
      if (html && MARKERS.test(html)) {
        captivate = true;
        break;
      }
    }
  }
  if (!captivate) return null;
  let version = asString(meta?.generatorVersion) ?? null;
  if (!version && cpm && (view.size(cpm) ?? 0) <= 16 * 1024 * 1024) {
    const source = await view.text(cpm);
    version = source ? (/cp\.cv\(\s*['"]CaptivateVersion['"]\s*,\s*['"]([^'"]+)['"]/.exec(source)?.[1] ?? null) : null;
  }
  return { version };
}

async function extractCaptivate(view: PackageView): Promise<ToolOutput> {
  const project = await readProject(view);
  const meta = projectMeta(project);
  const output: ToolOutput = { title: null, description: null, language: null, pages: [], assessments: [], media: [] };
  output.description = nonGeneric(asString(meta?.description));
  const launch = asString(meta?.launchFile);

  const cpm = findFile(view, CPM);
  const source = cpm ? await view.text(cpm) : undefined;
  const model = source ? readModel(source) : null;
  if (!model) {
    if (cpm) view.warn('captivate_model_unreadable', `${cpm} holds no Captivate model (cp.model.data) that could be read.`, cpm);
    output.title = nonGeneric(asString(meta?.title));
    return output;
  }
  const reader = new CaptivateReader(view, model, cpm ?? CPM);
  output.title = nonGeneric(asString(meta?.title)) ?? nonGeneric(asString(asObject(model.data.project)?.pN));

  const itemId = itemFor(view, [...(launch ? [launch] : []), ...LAUNCH_FILES]);
  const slides = reader.slideNames();
  output.pages = slides.map((name) => reader.page(name, itemId));

  const ids = new Set<string>();
  const questions = reader.questionKeys().map((key) => {
    const q = reader.obj(key) ?? {};
    let id = asString(q.iid) ?? (typeof q.iid === 'number' ? String(q.iid) : key);
    if (ids.has(id)) id = key;
    ids.add(id);
    return reader.question(key, id);
  });
  if (questions.length) {
    const assessment: AssessmentDraft = {
      title: null,
      source: cpm ?? CPM,
      itemId,
      pageIndex: null,
      passingScore: reader.passingScore(),
      questions,
    };
    output.assessments.push(assessment);
  }
  output.media = reader.media(slides);
  return output;
}

export const captivate: ToolDecoder = {
  name: 'Adobe Captivate',
  detect: detectCaptivate,
  extract: extractCaptivate,
};
