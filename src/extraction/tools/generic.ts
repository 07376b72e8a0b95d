import { tidyBlocks } from '../content/blocks.js';
import { htmlToBlocks } from '../content/html.js';
import { callArguments, stringLiterals, type JsValue } from '../content/js-literals.js';
import { isSentenceLike, looksLikeCode, normalizeSpace } from '../content/text.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolOutput } from './tool.js';

/** Runtime libraries and player code, and the samples and docs they ship with: never course text. */
const LIBRARY_PATH =
  /(^|\/)(scormdriver|lms|libraries|vendor|node_modules|mathjax|fonts?|samples?|examples?|docs?|tests?|plugins)\/|(^|\/)[A-Za-z][\w.]*-\d+(\.\d+)+\/|(^|\/)(jquery|scorm_?api|apiwrapper|api_wrapper|scormfunctions|contentfunctions|sco_functions|bootstrap|modernizr|require|underscore|backbone|handlebars|lodash|swfobject|polyfill|pipwerks)[^/]*\.js$|\.min\.js$/i;
const HTML = /\.html?$/i;
const MAX_PAGES = 2000;
const MAX_DATA_FILE_BYTES = 512 * 1024;

const isLibrary = (path: string) => LIBRARY_PATH.test(path);

/** Relative page paths an HTML file leads to: links and frames, and page paths quoted in its scripts. */
async function pageLinks(view: PackageView, page: string, html: string, references: string[]): Promise<string[]> {
  const scripted = stringLiterals(
    [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '').join('\n'),
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

/** Pages in reading order: each item's launch file, then the pages it leads to, depth first. */
async function readPages(view: PackageView): Promise<{ pages: PageDraft[]; media: MediaHint[] }> {
  const pages: PageDraft[] = [];
  const media: MediaHint[] = [];
  const seen = new Set<string>();
  const visit = async (page: string, itemId: string | null): Promise<void> => {
    if (seen.has(page) || seen.size >= MAX_PAGES || isLibrary(page) || !view.has(page)) return;
    seen.add(page);
    const html = await view.text(page);
    if (html === undefined) return;
    const extraction = htmlToBlocks(html);
    for (const image of extraction.images) {
      const path = view.resolve(page, image.src);
      if (path && image.alt) media.push({ path, altText: image.alt });
    }
    const blocks = tidyBlocks(extraction.blocks);
    const links = await pageLinks(view, page, html, extraction.references);
    const words = blocks.reduce((n, b) => n + (b.type === 'image' ? 0 : 1), 0);
    // A launch or frame page that only leads elsewhere is navigation, not a page of its own.
    if (words > 0 && !(links.length > 0 && isShell(blocks))) {
      pages.push({ title: extraction.title ?? firstHeading(blocks), kind: 'page', source: page, itemId, blocks });
    }
    for (const link of links) await visit(link, itemId);
  };
  for (const item of view.items) {
    if (item.launch) await visit(item.launch, item.identifier);
    // Pages the item's resource lists but no link reaches (pages a player script loads).
    for (const file of item.files ?? []) if (HTML.test(file)) await visit(file, item.identifier);
  }
  if (view.items.length === 0) {
    const start = ['index.html', 'index_lms.html', 'index.htm', 'default.htm'].find((f) => view.has(f));
    if (start) await visit(start, null);
  }
  return { pages, media };
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
    const typeName = (type && typeof type === 'object' && 'identifier' in type ? type.identifier : String(type ?? ''))
      .replace(/^QUESTION_TYPE_/i, '')
      .replace(/[^a-z]/gi, '')
      .toLowerCase();
    const choices = Array.isArray(answers) ? answers.filter((a): a is string => typeof a === 'string') : [];
    const correctValues = (Array.isArray(correct) ? correct : [correct]).filter((c): c is Exclude<JsValue, JsValue[]> => c !== null);
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
  const { pages, media } = await readPages(view);
  const assessments = await readQuizBanks(view, pages);
  const words = pages.reduce((n, p) => n + p.blocks.length, 0);
  if (words === 0) pages.push(...(await readDataStrings(view)));
  return { pages, assessments, media };
}
