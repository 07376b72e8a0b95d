import { tidyBlocks } from '../content/blocks.js';
import { answerKeyOf, mergeKeys, type AnswerKey } from '../content/answer-keys.js';
import { formQuestions, hasFormControls } from '../content/html-forms.js';
import { elementsOf, htmlToBlocks } from '../content/html.js';
import { Identifier, parseJson, type DataValue } from '../content/data-values.js';
import { assignedData, callArguments, stringLiterals, type Assignment } from '../content/js-literals.js';
import { isSentenceLike, looksLikeCode, normalizeSpace, wordCount } from '../content/text.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { CourseDataReader } from './course-data.js';
import { makeQuestion } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolOutput } from './tool.js';

/** Runtime libraries and player code, and the samples and docs they ship with: never course text. */
const LIBRARY_PATH =
  /(^|\/)(scormdriver|lms|libraries|vendor|node_modules|mathjax|fonts?|samples?|examples?|docs?|tests?|plugins)\/|(^|\/)[A-Za-z][\w.]*-\d+(\.\d+)+\/|(^|\/)(jquery|scorm_?api|apiwrapper|api_wrapper|scormfunctions|contentfunctions|sco_functions|bootstrap|modernizr|require|underscore|backbone|handlebars|lodash|swfobject|polyfill|pipwerks)[^/]*\.js$|\.(min|chunk|bundle)\.js$/i;
const HTML = /\.html?$/i;
const MAX_PAGES = 2000;
const MAX_DATA_FILE_BYTES = 512 * 1024;
/** Course data in scripts and JSON can be large; above this it is a dump, not a course. */
const MAX_COURSE_DATA_BYTES = 4 * 1024 * 1024;

const isLibrary = (path: string) => LIBRARY_PATH.test(path);

/** Relative page paths an HTML file leads to: links and frames, and page paths quoted in its scripts. */
async function pageLinks(view: PackageView, page: string, html: string, references: string[]): Promise<string[]> {
  const scripted = stringLiterals(
    elementsOf(html, 'script')
      .map((script) => script.body)
      .join('\n'),
  ).filter((s) => /^[^\s"'<>]+\.html?(\?[^\s"'<>]*)?$/i.test(s));
  const targets: string[] = [];
  for (const reference of [...references, ...scripted]) {
    // Scripts often build URLs from the package root ("../" + path); try the page's folder first.
    const candidates = [view.resolve(page, reference), view.resolve('', reference)];
    const found = candidates.find((c): c is string => c !== null && HTML.test(c) && view.has(c));
    if (found) targets.push(found);
  }
  return targets;
}

/** Client-side templates (`<script type="text/template">`): markup a script shows as pages. */
function templatesOf(html: string): { title: string | null; html: string }[] {
  const templates: { title: string | null; html: string }[] = [];
  const template = /\btype\s*=\s*["']?text\/(?:template|html|x-template|ng-template|x-handlebars-template)\b/i;
  for (const script of elementsOf(html, 'script')) {
    if (!template.test(script.attributes)) continue;
    const title = /\bdata-title\s*=\s*"([^"]*)"/i.exec(script.attributes)?.[1] ?? null;
    templates.push({ title: title && normalizeSpace(title), html: script.body });
  }
  return templates;
}

/** The document with its script elements taken out. */
function withoutScripts(html: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const script of elementsOf(html, 'script')) {
    parts.push(html.slice(at, script.start));
    at = script.end;
  }
  parts.push(html.slice(at));
  return parts.join('');
}

interface PageScript {
  source: string;
  code: string;
}

/** The page's own scripts, inline and local files outside runtime libraries, in document order. */
async function pageScripts(view: PackageView, page: string, html: string, cache: Map<string, string | null>): Promise<PageScript[]> {
  const scripts: PageScript[] = [];
  for (const script of elementsOf(html, 'script')) {
    const attributes = script.attributes;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase() ?? '';
    const src = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes);
    if (src) {
      const file = view.resolve(page, src[1] ?? src[2] ?? src[3] ?? '');
      if (!file || isLibrary(file) || !view.has(file) || (view.size(file) ?? Infinity) > MAX_COURSE_DATA_BYTES) continue;
      if (!cache.has(file)) cache.set(file, (await view.text(file)) ?? null);
      const code = cache.get(file);
      if (code) scripts.push({ source: file, code });
    } else if (type === '' || /javascript|ecmascript|module|json/.test(type)) {
      scripts.push({ source: page, code: script.body });
    }
  }
  return scripts;
}

/**
 * Course data the page's scripts hold (see course-data.ts), and the JSON files they name (data a
 * script fetches); each file is read once, by the first page that loads it.
 */
async function courseData(view: PackageView, page: string, scripts: PageScript[], read: Set<string>): Promise<CourseDataReader[]> {
  const readers: CourseDataReader[] = [];
  const readValues = (source: string, values: Assignment[]) => {
    const reader = new CourseDataReader(source);
    for (const { name, value } of values) reader.read(value, name);
    if (reader.pages.length > 0 || reader.quizzes.length > 0) readers.push(reader);
  };
  for (const { source, code } of scripts) {
    if (source !== page && read.has(source)) continue;
    read.add(source);
    const json = /^\s*[[{]/.test(code) ? parseJson(code) : undefined;
    readValues(source, json !== undefined ? [{ name: null, value: json }] : assignedData(code));
    for (const name of stringLiterals(code).filter((s) => /^[^\s"'<>]+\.json$/i.test(s))) {
      const file = [view.resolve(page, name), view.resolve(source, name)].find(
        (f): f is string => !!f && view.has(f) && !read.has(f) && !isLibrary(f) && (view.size(f) ?? Infinity) <= MAX_COURSE_DATA_BYTES,
      );
      if (!file) continue;
      read.add(file);
      const data = parseJson((await view.text(file)) ?? '');
      if (data !== undefined) readValues(file, [{ name: null, value: data }]);
    }
  }
  return readers;
}

/** A page that only frames data-driven content: its text is the player's labels ("Next", "Score:"). */
const onlyLabels = (blocks: Block[]): boolean => blocks.every((b) => !('text' in b) || wordCount(b.text) <= 5);

interface PageReading {
  pages: PageDraft[];
  assessments: AssessmentDraft[];
  media: MediaHint[];
}

/** Pages in reading order: each item's launch file, then the pages it leads to, depth first. */
async function readPages(view: PackageView): Promise<PageReading> {
  const reading: PageReading = { pages: [], assessments: [], media: [] };
  const seen = new Set<string>();
  const scriptCache = new Map<string, string | null>();
  const dataRead = new Set<string>();
  // A script shared by many pages is read for its answer key once.
  const keys = new Map<string, AnswerKey>();
  const answerKey = (page: string, scripts: PageScript[]) =>
    mergeKeys(
      scripts.map(({ source, code }) => {
        if (source === page) return answerKeyOf(code);
        const key = keys.get(source) ?? answerKeyOf(code);
        keys.set(source, key);
        return key;
      }),
    );
  const addPage = (page: string, itemId: string | null, title: string | null, html: string, scripts: PageScript[], framesData: boolean) => {
    const extraction = htmlToBlocks(html);
    for (const image of extraction.images) {
      const path = view.resolve(page, image.src);
      if (path && image.alt) reading.media.push({ path, altText: image.alt });
    }
    const blocks = tidyBlocks(extraction.blocks);
    const pageTitle = title ?? extraction.title ?? firstHeading(blocks);
    const shown = blocks.length > 0 && !(framesData && onlyLabels(blocks));
    if (shown) reading.pages.push({ title: pageTitle, kind: 'page', source: page, itemId, blocks });
    const questions = hasFormControls(html) ? formQuestions(html, page, answerKey(page, scripts)) : [];
    if (questions.length > 0) {
      reading.assessments.push({ title: pageTitle, source: page, itemId, pageIndex: shown ? reading.pages.length - 1 : null, questions });
    }
  };
  const addData = (page: string, itemId: string | null, data: CourseDataReader) => {
    const offset = reading.pages.length;
    for (const { title, blocks, images } of data.pages) {
      reading.pages.push({ title, kind: 'page', source: data.source, itemId, blocks: tidyBlocks(blocks) });
      for (const image of images) {
        const path = view.resolve(page, image.src);
        if (path) reading.media.push({ path, altText: image.alt });
      }
    }
    for (const { title, pageIndex, questions } of data.quizzes) {
      reading.assessments.push({ title, source: data.source, itemId, pageIndex: pageIndex === null ? null : offset + pageIndex, questions });
    }
  };
  const visit = async (page: string, itemId: string | null): Promise<void> => {
    if (seen.has(page) || seen.size >= MAX_PAGES || isLibrary(page) || !view.has(page)) return;
    seen.add(page);
    const html = await view.text(page);
    if (html === undefined) return;
    const templates = templatesOf(html);
    const shellHtml = templates.length > 0 ? withoutScripts(html) : html;
    const extraction = htmlToBlocks(shellHtml);
    const links = await pageLinks(view, page, html, extraction.references);
    // A launch or frame page that only leads elsewhere, or only hosts templates, is navigation.
    const isNavigation = (links.length > 0 || templates.length > 0) && isShell(tidyBlocks(extraction.blocks));
    const scripts = await pageScripts(view, page, html, scriptCache);
    const data = await courseData(view, page, scripts, dataRead);
    if (!isNavigation && templates.length === 0) addPage(page, itemId, null, html, scripts, data.length > 0);
    for (const template of templates) addPage(page, itemId, template.title, template.html, [], false);
    for (const reader of data) addData(page, itemId, reader);
    for (const link of links) await visit(link, itemId);
  };
  const launchCounts = new Map<string | null, number>();
  for (const { launch } of view.items) launchCounts.set(launch, (launchCounts.get(launch) ?? 0) + 1);
  for (const item of view.items) {
    // Items that launch the same page (with different parameters) cannot claim its pages.
    const itemId = (launchCounts.get(item.launch) ?? 0) > 1 ? null : item.identifier;
    if (item.launch) await visit(item.launch, itemId);
    // Pages the item's resource lists but no link reaches (pages a player script loads).
    for (const file of item.files ?? []) if (HTML.test(file)) await visit(file, itemId);
  }
  if (view.items.length === 0) {
    const start = ['index.html', 'index_lms.html', 'index.htm', 'default.htm'].find((f) => view.has(f));
    if (start) await visit(start, null);
  }
  return reading;
}

function isShell(blocks: Block[]): boolean {
  const text = blocks.map((b) => ('text' in b ? b.text : '')).join(' ');
  return normalizeSpace(text).split(' ').length < 4;
}

function firstHeading(blocks: Block[]): string | null {
  const heading = blocks.find((b) => b.type === 'heading');
  return heading && heading.type === 'heading' ? heading.text : null;
}

const TYPES: Record<string, QuestionType> = { choice: 'choice', tf: 'true_false', truefalse: 'true_false', numeric: 'fill_in', fillin: 'fill_in' };

/** `new Question(id, text, TYPE, answers, correct, objective)`: the quiz-bank pattern of hand-written SCORM courses. */
function questionsIn(code: string, source: string): Question[] {
  return callArguments(code, 'new Question').flatMap(([id, text, type, answers, correct]) => {
    if (typeof id !== 'string' || typeof text !== 'string') return [];
    const typeName = (type instanceof Identifier ? type.name : typeof type === 'string' ? type : '')
      .replace(/^QUESTION_TYPE_/i, '')
      .replace(/[^a-z]/gi, '')
      .toLowerCase();
    const choices = Array.isArray(answers) ? answers.filter((a): a is string => typeof a === 'string') : [];
    const correctValues = (Array.isArray(correct) ? correct : [correct]).filter((c): c is Exclude<DataValue, DataValue[]> => c !== null && c !== undefined);
    const correctTexts = correctValues.map((c) => (typeof c === 'object' ? '' : String(c))).filter(Boolean);
    return [
      makeQuestion({
        id,
        type: TYPES[typeName] ?? (choices.length > 0 ? 'choice' : 'other'),
        prompt: text,
        source,
        choices: choices.map((choice) => ({ text: choice, correct: correctTexts.includes(choice) })),
        correctAnswers: correctTexts,
      }),
    ];
  });
}

/** Quiz banks in small script files outside runtime libraries. */
async function readQuizBanks(view: PackageView, pages: PageDraft[]): Promise<AssessmentDraft[]> {
  const assessments: AssessmentDraft[] = [];
  for (const file of view.files()) {
    if (!/\.js$/i.test(file) || isLibrary(file) || (view.size(file) ?? Infinity) > MAX_DATA_FILE_BYTES) continue;
    const code = await view.text(file);
    if (!code || !/\bQuestion\s*\(/.test(code)) continue;
    const questions = questionsIn(code, file);
    if (questions.length === 0) continue;
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : null;
    const pageIndex = pages.findIndex((p) => folder !== null && p.source.startsWith(`${folder}/`));
    assessments.push({
      title: folder ? folder.split('/').pop() ?? null : null,
      source: file,
      itemId: pages[pageIndex]?.itemId ?? null,
      questions,
    });
  }
  return assessments;
}

/**
 * Sentence-like strings of data files (JSON, and scripts that are mostly string data), for tools
 * this service does not know: their text is there even when their format is not understood.
 */
async function readDataStrings(view: PackageView): Promise<PageDraft[]> {
  const pages: PageDraft[] = [];
  for (const file of view.files()) {
    if (!/\.(json|js)$/i.test(file) || isLibrary(file) || (view.size(file) ?? Infinity) > MAX_DATA_FILE_BYTES) continue;
    const code = await view.text(file);
    if (!code) continue;
    const strings = stringLiterals(code);
    const stringShare = strings.reduce((n, s) => n + s.length, 0) / Math.max(1, code.length);
    if (/\.js$/i.test(file) && stringShare < 0.5) continue;
    const sentences = [...new Set(strings.map(normalizeSpace).filter((s) => isSentenceLike(s) && !looksLikeCode(s)))];
    if (sentences.length === 0) continue;
    pages.push({ title: null, kind: 'page', source: file, blocks: sentences.map((text) => ({ type: 'paragraph', text })) });
  }
  return pages;
}

/**
 * The extraction for packages of no known tool, like hand-written HTML courses: page HTML in the
 * reading order of the item tree, quiz banks in small scripts, and strings of data files when the
 * pages themselves say little.
 */
export async function extractGeneric(view: PackageView): Promise<ToolOutput> {
  const { pages, assessments, media } = await readPages(view);
  assessments.push(...(await readQuizBanks(view, pages)));
  if (pages.length === 0) pages.push(...(await readDataStrings(view)));
  return { pages, assessments, media };
}
