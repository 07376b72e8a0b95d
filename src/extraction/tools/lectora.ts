import path from 'node:path/posix';
import { DomUtils, parseDocument } from 'htmlparser2';
import { tidyBlocks } from '../content/blocks.js';
import { blockText, htmlToBlocks } from '../content/html.js';
import { isSentenceLike, looksLikeBase64, looksLikeCode, normalizeSpace, wordCount } from '../content/text.js';
import { decodeText } from '../manifest/xml.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/**
 * Lectora (Trivantis / eLearning Brothers) HTML publishes: one HTML file per page, the title
 * manager `aNNNtitlemgr.html` and runtime `trivantis*.js`. Since Lectora 12 a page builds its
 * objects in script (`text123 = new ObjText(...)`, `text123.addInnerText('<html>')`); older pages
 * carry the same objects as positioned `<div id="text123">` in the body. Questions are groups of
 * text and input objects whose answer variable is checked with `Var.isCorr('<correct value>')`.
 */

const MAX_PAGE_BYTES = 8 * 1024 * 1024;
const HEAD_BYTES = 1024 * 1024;
/** The title manager and the loading frame of a SCORM publish; its index is the frameset. */
const NOT_PAGES = /^a\d{3}(index|titlemgr|content)\.html?$|^(titlemgr|blank)\.html?$/i;
const MEDIA_FILE = /\.(mp4|m4v|webm|ogv|ogg|mov|flv|mp3|m4a|wav|aac)$/i;
/** Responsive publishes may repeat a page per device; the suffix names the copy. */
const DEVICE_COPY = /_(phone|tablet|mobile|desktop)(_?(portrait|landscape|p|l))?$/i;

interface JsObject {
  name: string;
  type: string;
  args: string[];
  /** Position of the definition in the page, for reading order. */
  at: number;
}

interface TextObject {
  name: string;
  html: string;
  hidden: boolean;
  /** Pinned to the bottom of the window: a footer. */
  footer: boolean;
  x: number | null;
  at: number;
}

interface ChoiceInput {
  name: string;
  inputType: string;
  value: string | null;
}

interface ParsedPage {
  file: string;
  title: string | null;
  language: string | null;
  prev: string | null;
  next: string | null;
  texts: TextObject[];
  objects: Map<string, JsObject>;
  source: string;
  pageWidth: number | null;
  /** Media the page body plays directly (`<video>`, `<audio>`, `<embed>` of older publishes). */
  mediaReferences: string[];
}

// ---------------------------------------------------------------------------------------------
// Small JavaScript readers: string literals and argument lists of the generated code.

/** Decodes the body of a JavaScript string literal (`\'`, `\n`, `\uXXXX`, `\xXX`...). */
function decodeJsString(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_m, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (escape.length === 5 && escape[0] === 'u') return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (escape.length === 3 && escape[0] === 'x') return String.fromCharCode(parseInt(escape.slice(1), 16));
    switch (escape) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
      case 'f':
      case 'v':
      case '0':
        return ' ';
      case '\n':
      case '\r\n':
        return '';
      default:
        return escape;
    }
  });
}

/** Splits a JavaScript argument list at its top-level commas; string arguments are decoded. */
function splitArgs(source: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (quote) {
      current += c;
      if (c === '\\') {
        current += source[i + 1] ?? '';
        i++;
      } else if (c === quote) {
        quote = null;
      }
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args.map((a) => (/^(['"])[\s\S]*\1$/.test(a) ? decodeJsString(a.slice(1, -1)) : a));
}

const STRING = String.raw`'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\]|\\[\s\S])*)"`;
const stringOf = (m: RegExpMatchArray, index: number): string => decodeJsString(m[index] ?? m[index + 1] ?? '');

// ---------------------------------------------------------------------------------------------
// Page parsing.

function parsePage(file: string, source: string): ParsedPage {
  const objects = new Map<string, JsObject>();
  for (const m of source.matchAll(/^[ \t]*(\w+)\s*=\s*new\s+(Obj\w+)\s*\((.*)\)\s*;?[ \t]*$/gm)) {
    const name = m[1] as string;
    if (!objects.has(name)) objects.set(name, { name, type: m[2] as string, args: splitArgs(m[3] as string), at: m.index ?? 0 });
  }

  const inner = new Map<string, string>();
  for (const m of source.matchAll(new RegExp(String.raw`^[ \t]*(\w+)\.addInnerText\(\s*(?:${STRING})\s*\)`, 'gm'))) {
    inner.set(m[1] as string, stringOf(m, 2));
  }

  const doc = parseDocument(source, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const titleElement = DomUtils.getElementsByTagName('title', doc, true, 1)[0];
  const title = titleElement ? normalizeSpace(DomUtils.textContent(titleElement)) || null : null;
  const htmlElement = DomUtils.getElementsByTagName('html', doc, true, 1)[0];
  const language = htmlElement?.attribs.lang?.trim() || null;

  const texts: TextObject[] = [];
  for (const object of objects.values()) {
    if (object.type !== 'ObjText') continue;
    let html = inner.get(object.name);
    if (html === undefined) {
      // Before Lectora 12 the text sits in the body as a positioned div named after the object.
      const element = DomUtils.getElementById(object.name, doc);
      html = element ? DomUtils.getOuterHTML(element) : '';
    }
    const x = Number(object.args[2]);
    texts.push({
      name: object.name,
      html,
      hidden: object.args[6] === '0',
      footer: object.args[11] === '1',
      x: Number.isFinite(x) ? x : null,
      at: object.at,
    });
  }
  if (objects.size === 0) {
    // Very old publishes: plain positioned divs only.
    const body = DomUtils.getElementsByTagName('body', doc, true, 1)[0];
    if (body) texts.push({ name: '', html: DomUtils.getInnerHTML(body), hidden: false, footer: false, x: null, at: 0 });
  }

  const exitTarget = (fn: string): string | null => {
    const m = source.match(new RegExp(String.raw`function\s+${fn}\s*\(\s*\)\s*\{\s*trivExitPage\(\s*(?:${STRING})`));
    return m ? stringOf(m, 1).replace(/[?#].*$/, '') || null : null;
  };
  const width = source.match(/winW\s*>\s*(\d+)\s*\)\s*\?/) ?? source.match(/#pageDIV\s*\{[^}]*?width:\s*(\d+)px/);
  const mediaReferences = DomUtils.findAll(
    (e) => /^(video|audio|source|embed)$/.test(e.name) && MEDIA_FILE.test(e.attribs.src ?? ''),
    doc.children,
  ).map((e) => e.attribs.src as string);
  return {
    file,
    title,
    language,
    mediaReferences,
    prev: exitTarget('trivPrevPage'),
    next: exitTarget('trivNextPage'),
    texts: texts.sort((a, b) => a.at - b.at),
    objects,
    source,
    pageWidth: width ? Number(width[1]) : null,
  };
}

/** Whether an HTML file is a Lectora page rather than a frame, loader or unrelated file. */
function isLectoraPage(source: string): boolean {
  return /function\s+trivExitPage|var\s+pgID\s*=|new\s+ObjLayer\s*\(|trivPageTracking|new\s+ObjText\s*\(/.test(source);
}

// ---------------------------------------------------------------------------------------------
// Questions.

interface QuestionGroup {
  name: string;
  answerVariable: string | null;
  children: string[];
}

function questionGroups(page: ParsedPage): QuestionGroup[] {
  const groups: QuestionGroup[] = [];
  const listed = page.source.match(/trivQuestionArray\s*=\s*\[([^\]]*)\]/);
  const names = new Set(listed ? (listed[1] as string).split(',').map((s) => s.trim()).filter(Boolean) : []);
  for (const m of page.source.matchAll(/^[ \t]*(\w+)\.ansVar\s*=\s*(\w+)/gm)) names.add(m[1] as string);
  for (const name of names) {
    const variable = page.source.match(new RegExp(String.raw`\b${name}\.ansVar\s*=\s*(\w+)`));
    const children = [...page.source.matchAll(new RegExp(String.raw`\b${name}\.addChild\(\s*'(\w+)'\s*\)`, 'g'))].map(
      (c) => c[1] as string,
    );
    groups.push({ name, answerVariable: variable ? (variable[1] as string) : null, children });
  }
  return groups;
}

/** The inputs of a question: from the markup Lectora appends, the body, or its Update function. */
function choiceInputs(page: ParsedPage, children: string[]): ChoiceInput[] {
  const inputs: ChoiceInput[] = [];
  for (const child of children) {
    if (page.objects.get(child)?.type === 'ObjText') continue;
    let inputType: string | null = null;
    let value: string | null = null;
    const appended = page.source.match(
      new RegExp(String.raw`appendElement\(\s*null\s*,\s*${child}\.div\s*,\s*(?:${STRING})\s*\)`),
    );
    const markup = appended ? stringOf(appended, 1) : (page.source.match(new RegExp(String.raw`<(?:input|textarea|select)[^>]*id="${child}id"[^>]*>`)) ?? [''])[0];
    if (markup) {
      const tag = markup.match(/<(input|textarea|select)\b/i);
      const type = markup.match(/\btype\s*=\s*["']?(\w+)/i);
      inputType = tag?.[1]?.toLowerCase() === 'input' ? (type?.[1]?.toLowerCase() ?? 'text') : (tag?.[1]?.toLowerCase() ?? null);
      const valueAttribute = markup.match(/\bvalue\s*=\s*"([^"]*)"/i);
      if (valueAttribute) value = valueAttribute[1] as string;
    }
    const updated = page.source.match(
      new RegExp(
        String.raw`${child}\.objLyr\.doc\.getElementById\("${child}id"\)\.checked\s*=\s*\((?:val\s*==\s*(?:${STRING})|val\.indexOf\(\s*(?:${STRING})\s*\)\s*>=\s*0)\)`,
      ),
    );
    if (updated) {
      if (updated[1] !== undefined || updated[2] !== undefined) value = stringOf(updated, 1);
      else value = stringOf(updated, 3).replace(/^,|,$/g, '');
      inputType ??= updated[1] !== undefined || updated[2] !== undefined ? 'radio' : 'checkbox';
    }
    if (!inputType && /^(radio|check)/i.test(child)) inputType = child.toLowerCase().startsWith('radio') ? 'radio' : 'checkbox';
    if (!inputType && /^entry|^text(area|entry)/i.test(child)) inputType = 'text';
    if (inputType) inputs.push({ name: child, inputType, value });
  }
  return inputs;
}

/** Lectora escapes commas inside a choice value as `&#44` so that lists of values stay splittable. */
const unescapeValue = (value: string): string => value.replace(/&#44;?/g, ',');

function textOf(html: string): string {
  return htmlToBlocks(html)
    .blocks.map(blockText)
    .join(' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Chrome: objects inherited from the title, chapter or section appear with the same name on
// many pages (headers, footers, breadcrumbs, menus); short labels repeated across the course are
// status badges and button captions.

/** "Home / Module 2 / Topic": a trail of short segments, led by a home link or ending in a separator. */
function isBreadcrumb(plain: string): boolean {
  const text = normalizeSpace(plain);
  if (wordCount(text) > 14 || !/\s[/>»]\s|\s[/>»]$/.test(text)) return false;
  const segments = text.split(/\s*[/>»]\s*/).filter(Boolean);
  return (
    /^(home|inicio|início|accueil|start|startseite|menu|main menu|index)$/i.test(segments[0] ?? '') ||
    /[/>»]$/.test(text) ||
    segments.length >= 3
  );
}

const labelKey = (plain: string): string =>
  normalizeSpace(plain.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' '));

function chromeFilter(pages: ParsedPage[]): (text: TextObject, plain: string) => boolean {
  const pagesByName = new Map<string, number>();
  const labelCounts = new Map<string, number>();
  const pagesByLabel = new Map<string, number>();
  const isShort = (key: string) => key !== '' && wordCount(key) <= 3 && key.length <= 40;
  const isLine = (key: string) => key !== '' && wordCount(key) <= 8 && key.length <= 80;
  for (const page of pages) {
    for (const name of new Set(page.texts.map((t) => t.name).filter(Boolean))) {
      pagesByName.set(name, (pagesByName.get(name) ?? 0) + 1);
    }
    const keys = page.texts.map((t) => labelKey(textOf(t.html))).filter(isLine);
    for (const key of keys) labelCounts.set(key, (labelCounts.get(key) ?? 0) + 1);
    for (const key of new Set(keys)) pagesByLabel.set(key, (pagesByLabel.get(key) ?? 0) + 1);
  }
  // A line on a fifth of the pages (at least five) is a running header or footer.
  const runningThreshold = Math.max(5, Math.ceil(pages.length / 5));
  return (text, plain) => {
    if (text.footer || (text.name && (pagesByName.get(text.name) ?? 0) > 1) || isBreadcrumb(plain)) return true;
    const key = labelKey(plain);
    if (isShort(key) && (labelCounts.get(key) ?? 0) >= 3) return true;
    return isLine(key) && (pagesByLabel.get(key) ?? 0) >= runningThreshold;
  };
}

// ---------------------------------------------------------------------------------------------

async function pageFiles(view: PackageView): Promise<{ file: string; source: string }[]> {
  const candidates = view.files().filter((f) => !f.includes('/') && /\.html?$/i.test(f) && !NOT_PAGES.test(f));
  const pages: { file: string; source: string }[] = [];
  for (const file of candidates) {
    const size = view.size(file);
    if (size !== null && size > MAX_PAGE_BYTES) continue;
    const source = await view.text(file, MAX_PAGE_BYTES);
    if (source && isLectoraPage(source)) pages.push({ file, source });
  }
  // A responsive publish that repeats a page per device: keep the page without the suffix.
  const names = new Set(pages.map((p) => p.file.replace(/\.html?$/i, '').toLowerCase()));
  return pages.filter((p) => {
    const stem = p.file.replace(/\.html?$/i, '');
    return !(DEVICE_COPY.test(stem) && names.has(stem.replace(DEVICE_COPY, '').toLowerCase()));
  });
}

/** Files of the manifest's resources in document order: Lectora lists its pages in course order. */
async function manifestOrder(view: PackageView): Promise<string[]> {
  if (!view.has('imsmanifest.xml')) return [];
  const xml = await view.text('imsmanifest.xml');
  if (!xml) return [];
  return [...xml.matchAll(/<file\s+[^>]*href\s*=\s*"([^"]+)"/g)].map((m) => decodeURIComponentSafe(m[1] as string));
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Course order: from the title manager's first page along each page's Next link, per AU prefix. */
function orderPages(pages: ParsedPage[], starts: string[], fallback: string[]): ParsedPage[] {
  const byFile = new Map(pages.map((p) => [p.file.toLowerCase(), p]));
  const ordered: ParsedPage[] = [];
  const seen = new Set<string>();
  const walk = (start: string | null) => {
    let current = start ? byFile.get(start.toLowerCase()) : undefined;
    while (current && !seen.has(current.file)) {
      seen.add(current.file);
      ordered.push(current);
      current = current.next ? byFile.get(current.next.toLowerCase()) : undefined;
    }
  };
  for (const start of starts) walk(start);
  // Pages nobody's Previous points at are chain heads too (courses without a title manager).
  const pointedAt = new Set(pages.map((p) => p.next?.toLowerCase()).filter(Boolean));
  const fallbackRank = new Map(fallback.map((f, i) => [f.toLowerCase(), i]));
  const rank = (p: ParsedPage) => fallbackRank.get(p.file.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  const rest = () => pages.filter((p) => !seen.has(p.file)).sort((a, b) => rank(a) - rank(b));
  for (const head of rest().filter((p) => !pointedAt.has(p.file.toLowerCase()) || !p.prev)) walk(head.file);
  for (const page of rest()) walk(page.file);
  return ordered;
}

/** Script or encoded data that slipped into a text block (tables and lists keep their symbols). */
function isJunk(block: Block): boolean {
  if (block.type !== 'paragraph' && block.type !== 'heading' && block.type !== 'quote') return false;
  return looksLikeBase64(block.text) || (block.text.length > 40 && looksLikeCode(block.text));
}

function cleanBlocks(blocks: Block[]): Block[] {
  return tidyBlocks(blocks.filter((b) => !isJunk(b)));
}

function itemIdFor(view: PackageView, prefix: string | null): string | null {
  const items = view.items.filter((i) => i.launch);
  const local = (launch: string) => (view.base && launch.startsWith(view.base) ? launch.slice(view.base.length) : launch);
  if (prefix) {
    const match = items.find((i) => local(i.launch as string).toLowerCase() === `${prefix}index.html`);
    if (match) return match.identifier;
  }
  return items.length === 1 ? (items[0] as { identifier: string }).identifier : null;
}

/** The start of a small file, for markers; large or unreadable files give nothing. */
async function readHead(view: PackageView, file: string): Promise<string> {
  const size = view.size(file);
  if (size === null || size > HEAD_BYTES) return '';
  try {
    return decodeText(await view.bytes(file, HEAD_BYTES)).slice(0, 64 * 1024);
  } catch {
    return '';
  }
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  const rootFiles = view.files().filter((f) => !f.includes('/'));
  const runtime = rootFiles.some((f) => /^trivantis[\w-]*\.js$/i.test(f));
  const index = rootFiles.find((f) => /^a\d{3}index\.html?$/i.test(f)) ?? rootFiles.find((f) => /^index\.html?$/i.test(f));
  const head = index ? await readHead(view, index) : '';
  const marked = /Lectora|trivantis/i.test(head);
  if (!runtime && !(index && /^a\d{3}/i.test(index) && marked)) return null;
  const version = head.match(/Lectora(?:\s+(?:Inspire|Online|Publisher|Desktop))?\s+v\.?\s*(\d+(?:\.\d+)*)/i);
  return { version: version ? (version[1] as string) : null };
}

interface PageQuestions {
  questions: Question[];
  /** Objects of questions the learner never sees (hidden drivers of custom interactions). */
  hidden: Set<string>;
  /** Objects of visible questions: prompts and choices are text even when short and common. */
  members: Set<string>;
}

function readQuestions(page: ParsedPage, offPage: (x: number | null) => boolean): PageQuestions {
  const result: PageQuestions = { questions: [], hidden: new Set(), members: new Set() };
  for (const group of questionGroups(page)) {
    const groupObject = page.objects.get(group.name);
    const texts = group.children.map((c) => page.texts.find((t) => t.name === c)).filter((t): t is TextObject => !!t);
    const inputs = choiceInputs(page, group.children);
    const groupHidden = groupObject?.args[6] === '0' || offPage(Number(groupObject?.args[2]));
    const allHidden =
      texts.every((t) => t.hidden || offPage(t.x)) && inputs.every((i) => page.objects.get(i.name)?.args[6] !== '1');
    if (groupHidden || allHidden) {
      group.children.forEach((c) => result.hidden.add(c));
      continue;
    }
    group.children.forEach((c) => result.members.add(c));

    const correct = new Set<string>();
    if (group.answerVariable) {
      const pattern = new RegExp(String.raw`\b${group.answerVariable}\.isCorr\(\s*(?:${STRING})\s*\)`, 'g');
      for (const m of page.source.matchAll(pattern)) correct.add(stringOf(m, 1));
    }
    const correctList = [...correct];

    // The prompt is the first text of the group; a choice's label is the text that names its
    // input (`<label for>`), else the text just before it.
    const labels = new Map<string, string>();
    let prompt = '';
    let previous: string | null = null;
    for (const child of group.children) {
      const text = texts.find((t) => t.name === child);
      if (text) {
        const labelled = text.html.match(/\bfor\s*=\s*"(\w+?)id"/);
        if (labelled) labels.set(labelled[1] as string, textOf(text.html));
        else if (!prompt) prompt = text.html;
        previous = labelled ? null : prompt === text.html ? null : text.html;
        continue;
      }
      if (inputs.some((i) => i.name === child) && !labels.has(child) && previous !== null) labels.set(child, textOf(previous));
      previous = null;
    }

    const choiceInputs_ = inputs.filter((i) => i.inputType === 'radio' || i.inputType === 'checkbox');
    const entries = inputs.filter((i) => i.inputType === 'text' || i.inputType === 'textarea');
    let type: QuestionType;
    let correctAnswers: string[] | undefined;
    if (choiceInputs_.length > 0) {
      const values = choiceInputs_.map((i) => (i.value ?? '').toLowerCase());
      if (choiceInputs_.every((i) => i.inputType === 'checkbox')) type = 'multiple_response';
      else if (values.length === 2 && values.includes('true') && values.includes('false')) type = 'true_false';
      else type = 'choice';
    } else if (entries.length > 0) {
      correctAnswers = correctList.flatMap((c) => c.split(',')).map(unescapeValue).filter(Boolean);
      type = correctAnswers.length === 0 && entries.every((i) => i.inputType === 'textarea') ? 'essay' : 'fill_in';
    } else {
      continue; // Drag and drop, hot spots: not a form the page records answers for.
    }
    result.questions.push(
      makeQuestion({
        id: `${page.file.replace(/\.html?$/i, '')}#${group.name}`,
        type,
        prompt,
        source: page.file,
        choices: choiceInputs_.map((input, i) => {
          const value = input.value ?? '';
          // A multiple-response answer is the list of correct values joined by commas.
          const isCorrect =
            correctList.length > 0 && value ? correctList.some((c) => c === value || `,${c},`.includes(`,${value},`)) : null;
          return { id: String(i + 1), text: labels.get(input.name) || unescapeValue(value), correct: isCorrect };
        }),
        correctAnswers,
      }),
    );
  }
  return result;
}

/** Videos and sounds with their caption files; images with alternative text the author wrote. */
function readMedia(view: PackageView, page: ParsedPage, hidden: Set<string>, media: Map<string, MediaHint>): void {
  for (const object of page.objects.values()) {
    if (hidden.has(object.name)) continue;
    if (object.type === 'ObjMedia') {
      const src = object.args.find((a) => MEDIA_FILE.test(a)) ?? object.args[8];
      const resolved = src ? view.resolve(page.file, src) : null;
      if (!resolved) continue;
      const captions = [...page.source.matchAll(new RegExp(String.raw`\b${object.name}\.addCaption\(\s*(?:${STRING})`, 'g'))]
        .map((m) => view.resolve(page.file, stringOf(m, 1)))
        .filter((c): c is string => !!c);
      addMedia(media, resolved, { captions });
    } else if (object.type === 'ObjImage') {
      const src = object.args[1];
      const alt = normalizeSpace(object.args[2] ?? '');
      const resolved = src ? view.resolve(page.file, src) : null;
      // Lectora names an image after its file, and a drawn shape after its kind ("Line"),
      // unless the author wrote alternative text.
      const derived = /^shape\d/i.test(object.name) || /[_@]|\d{2,}x\d{2,}/.test(alt) || alt === 'null';
      if (resolved && alt && !derived && isSentenceLike(alt)) addMedia(media, resolved, { altText: alt });
    }
  }
  for (const src of page.mediaReferences) {
    const resolved = view.resolve(page.file, src);
    if (resolved) addMedia(media, resolved, {});
  }
}

function addMedia(media: Map<string, MediaHint>, path: string, hint: { altText?: string; captions?: string[] }): void {
  const previous = media.get(path);
  const captions = [...new Set([...(previous?.captions ?? []), ...(hint.captions ?? [])])];
  media.set(path, {
    path,
    ...(previous?.altText || hint.altText ? { altText: previous?.altText ?? hint.altText } : {}),
    ...(captions.length > 0 ? { captions } : {}),
  });
}

/** Caption files no page links, named after their media (`movie.mp4.srt`, `movie.vtt`). */
function attachLooseCaptions(view: PackageView, media: Map<string, MediaHint>): void {
  const linked = new Set([...media.values()].flatMap((m) => m.captions ?? []));
  for (const caption of view.files().filter((f) => /\.(srt|vtt)$/i.test(f) && !linked.has(f))) {
    const stem = path.basename(caption).replace(/\.(srt|vtt)$/i, '').toLowerCase();
    const target = [...media.values()].find((m) => {
      const base = path.basename(m.path).toLowerCase();
      return base === stem || base.replace(/\.\w+$/, '') === stem;
    });
    if (target) addMedia(media, target.path, { captions: [caption] });
  }
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const parsed = (await pageFiles(view)).map((f) => parsePage(f.file, f.source));

  // The title manager of each AU names the page it opens first; the AU's frameset, the title.
  const starts: string[] = [];
  for (const manager of view.files().filter((f) => /^a\d{3}titlemgr\.html?$/i.test(f)).sort()) {
    const redirect = ((await view.text(manager)) ?? '').match(new RegExp(String.raw`redirPage\s*=\s*(?:${STRING})`));
    if (redirect) starts.push(stringOf(redirect, 1).replace(/[?#].*$/, ''));
  }
  let title: string | null = null;
  const frameset = view.files().filter((f) => /^a\d{3}index\.html?$/i.test(f)).sort()[0];
  if (frameset) {
    const match = (await readHead(view, frameset)).match(/<title>([^<]*)<\/title>/i);
    title = match ? normalizeSpace(match[1] as string) || null : null;
  }

  const ordered = orderPages(parsed, starts, [...(await manifestOrder(view)), ...view.files()]);
  const isChrome = chromeFilter(ordered);
  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const media = new Map<string, MediaHint>();

  for (const page of ordered) {
    const offPage = (x: number | null) => page.pageWidth !== null && x !== null && (x >= page.pageWidth || x < -50);
    const { questions, hidden, members } = readQuestions(page, offPage);

    // Learner text: the text objects in reading order, without chrome and hidden drivers.
    const blocks: Block[] = [];
    for (const text of page.texts) {
      if (hidden.has(text.name) || offPage(text.x)) continue;
      const extraction = htmlToBlocks(text.html.replace(/<\/?legend>/gi, ''));
      const plain = extraction.blocks.map(blockText).join(' ');
      if (!plain.trim() || (!members.has(text.name) && isChrome(text, plain))) continue;
      blocks.push(...extraction.blocks);
      for (const image of extraction.images) {
        const resolved = view.resolve(page.file, image.src);
        if (resolved && image.alt) addMedia(media, resolved, { altText: image.alt });
      }
    }
    readMedia(view, page, hidden, media);

    const itemId = itemIdFor(view, page.file.match(/^(a\d{3})_/i)?.[1]?.toLowerCase() ?? null);
    const pageIndex = pages.length;
    pages.push({ title: page.title, kind: 'page', source: page.file, itemId, blocks: cleanBlocks(blocks) });
    if (questions.length > 0) assessments.push({ title: page.title, source: page.file, itemId, pageIndex, questions });
  }
  attachLooseCaptions(view, media);

  return { title, language: ordered[0]?.language ?? null, pages, assessments, media: [...media.values()] };
}

export const lectora: ToolDecoder = { name: 'Lectora', detect, extract };
