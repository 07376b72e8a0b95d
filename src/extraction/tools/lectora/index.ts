import { isJunkBlock, tidyBlocks } from '../../content/blocks.js';
import { blockText, htmlToBlocks } from '../../content/html.js';
import { normalizeSpace, wordCount } from '../../content/text.js';
import { decodeText } from '../../manifest/xml.js';
import type { Block, Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import { itemLaunching } from '../items.js';
import { makeQuestion } from '../question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { chromeFilter, isLearnerCaption } from './chrome.js';
import { attachLooseCaptions, readMedia } from './media.js';
import { isFilePath, isLectoraPage, parsePage, STRING, stringOf, type ButtonObject, type ParsedPage, type TextObject } from './page.js';
import { readQuestions } from './questions.js';
import { pairTexts } from './interactions.js';
import { readTests, type TestPage, type TestQuestion } from './tests.js';
import { isDefaultPart } from './values.js';
import { isWndPage, parseWndPage, readDeviceScript, readWndQuestions } from './wnd.js';

/**
 * Lectora (Trivantis / eLearning Brothers / ELB) HTML publishes: one HTML file per page, the title
 * manager `aNNNtitlemgr.html` and runtime `trivantis*.js`. Since Lectora 12 a page builds its
 * objects in script (`text123 = new ObjText(...)`, `text123.addInnerText('<html>')`); older pages
 * carry the same objects as positioned `<div id="text123">` in the body. Lectora Online pages
 * declare window objects whose content sits in per-device scripts (wnd.ts). Questions are groups
 * of text and input objects whose answer variable the page checks (questions.ts), or whose
 * `arrAns` lists the answer (wnd.ts); matching and drag-and-drop questions pair the objects they
 * set up (interactions.ts). The test files `_tobj*` hold every test's questions with their
 * correct answers (tests.ts).
 */

const MAX_PAGE_BYTES = 8 * 1024 * 1024;
const HEAD_BYTES = 1024 * 1024;
/** The title manager and the loading frame of a SCORM publish; its index is the frameset. */
const NOT_PAGES = /^a\d{3}(index|titlemgr|content)\.html?$|^(titlemgr|blank)\.html?$/i;
/** Responsive publishes may repeat a page per device; the suffix names the copy. */
const DEVICE_COPY = /_(phone|tablet|mobile|desktop)(_?(portrait|landscape|p|l))?$/i;

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

/** The files (lower case) a learner reaches without a button: the start pages and every page's Next. */
const sequencedFiles = (pages: ParsedPage[], starts: string[]): Set<string> => new Set([...starts, ...pages.map((p) => p.next ?? '')].map((f) => f.toLowerCase()));

/**
 * Pages only a button or link opens (no page's Next, not a start) come right after the first page
 * that opens them.
 */
function withLinkedPages(pages: ParsedPage[], starts: string[], fallback: string[]): ParsedPage[] {
  const byFile = new Map(pages.map((p) => [p.file.toLowerCase(), p]));
  const sequenced = sequencedFiles(pages, starts);
  const opens = (page: ParsedPage) =>
    page.links.map((link) => byFile.get(link.toLowerCase())).filter((p): p is ParsedPage => !!p && p !== page && !sequenced.has(p.file.toLowerCase()));
  const linkedOnly = new Set(pages.flatMap(opens));
  const ordered: ParsedPage[] = [];
  const placed = new Set<ParsedPage>();
  const place = (page: ParsedPage) => {
    if (placed.has(page)) return;
    placed.add(page);
    ordered.push(page);
    for (const linked of opens(page)) place(linked);
  };
  for (const page of orderPages(pages.filter((p) => !linkedOnly.has(p)), starts, fallback)) place(page);
  for (const page of linkedOnly) place(page);
  return ordered;
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

/** The runtime's references to variables, which it fills in (`Page %TRIVVAR_VarPageInChapter%`). */
const VARIABLE = /%TRIVVAR_\w+%/g;

/**
 * Blocks without variable references: a sentence with a value inside it ("Page % of %", "You have
 * clicked % of % icons.") is left out, a value at its start or end is dropped ("Well done, %name%").
 */
function withoutVariables(blocks: Block[]): Block[] {
  const strip = (text: string): string | null => {
    if (!text.includes('%TRIVVAR_')) return text;
    const sentences = text.split(/(?<=[.!?])\s+/).flatMap((sentence) => {
      const inside = new RegExp(String.raw`\p{L}[^%]*${VARIABLE.source}[^%]*\p{L}`, 'u').test(sentence.replace(/^\s*%TRIVVAR_\w+%|%TRIVVAR_\w+%[\s\p{P}]*$/gu, ''));
      const rest = normalizeSpace(sentence.replace(VARIABLE, '')).replace(/^[\s\p{P}]+(?=\p{L})/u, '').replace(/[\s,;:]+([.!?]*)$/, '$1');
      return inside || wordCount(rest) < 2 ? [] : [rest];
    });
    return sentences.length > 0 ? sentences.join(' ') : null;
  };
  return blocks.flatMap((block): Block[] => {
    if (block.type === 'list') {
      const items = block.items.map(strip).filter((t): t is string => t !== null);
      return items.length > 0 ? [{ ...block, items }] : [];
    }
    if (block.type === 'table') return [{ ...block, rows: block.rows.map((row) => row.map((cell) => strip(cell) ?? '')) }];
    if (block.type === 'image') return [block];
    const text = strip(block.text);
    return text === null ? [] : [{ ...block, text }];
  });
}

const captionText = (button: ButtonObject): TextObject => ({
  name: button.name,
  html: `<p>${button.caption.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
  hidden: false,
  footer: false,
  box: null,
  at: button.at,
});

function cleanBlocks(blocks: Block[]): Block[] {
  return tidyBlocks(blocks.filter((b) => !isJunkBlock(b)));
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

async function extract(view: PackageView): Promise<ToolOutput> {
  const parsed: ParsedPage[] = [];
  for (const { file, source } of await pageFiles(view)) {
    parsed.push(isWndPage(source) ? parseWndPage(file, source, await readDeviceScript(view, file)) : parsePage(file, source));
  }
  const tests = await readTests(view);

  // The title manager of each AU names the page it opens first; the AU's frameset, the title.
  const starts: string[] = [];
  for (const manager of view.files().filter((f) => /^a\d{3}titlemgr\.html?$/i.test(f)).sort()) {
    const redirect = ((await view.text(manager)) ?? '').match(new RegExp(String.raw`redirPage\s*=\s*(?:${STRING})`));
    if (redirect) starts.push(stringOf(redirect, 1).replace(/[?#].*$/, ''));
  }
  const ordered = withLinkedPages(parsed, starts, [...(await manifestOrder(view)), ...view.files()]);
  const title = await courseTitle(view, ordered);
  const isChrome = chromeFilter(ordered);
  const sequenced = sequencedFiles(parsed, starts);
  const pageNames = new Set(parsed.map((p) => p.file.toLowerCase()));
  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const media = new Map<string, MediaHint>();

  for (const page of ordered) {
    const offPage = (x: number | null) => page.pageWidth !== null && x !== null && (x >= page.pageWidth || x < -50);
    const { questions, hidden, members, hiddenVariables } = (page.device ? readWndQuestions : readQuestions)(page, offPage);

    // Learner text: the text objects and the captions of buttons that reveal more, in reading
    // order, without chrome and hidden drivers.
    const blocks: Block[] = [];
    // A button that reveals more on its page, or opens a page no Next link reaches (a pop-up).
    const captions = page.buttons.filter((b) => {
      const popups = b.opens.filter((f) => pageNames.has(f.toLowerCase()) && !sequenced.has(f.toLowerCase()));
      return isLearnerCaption(b.caption) && popups.length === b.opens.length && (b.reveals || popups.length > 0);
    });
    const texts = [...page.texts, ...captions.map(captionText)].sort((a, b) => a.at - b.at);
    for (const text of texts) {
      if (hidden.has(text.name) || offPage(text.box?.x ?? null)) continue;
      const extraction = htmlToBlocks(text.html.replace(/<\/?legend>/gi, ''));
      const plain = extraction.blocks.map(blockText).join(' ');
      // The names Lectora gives the parts of a new question ("Question Text", "Choice One") are no
      // one's words; a lone letter is a close box or an index tab.
      if (!plain.trim() || isDefaultPart(plain)) continue;
      if (!members.has(text.name) && (isChrome(text, plain) || /^\p{L}$/u.test(plain.trim()))) continue;
      blocks.push(...withoutVariables(extraction.blocks));
      for (const image of extraction.images) {
        const resolved = view.resolve(page.file, image.src);
        if (resolved && image.alt) addMediaHint(media, { path: resolved, altText: image.alt });
      }
    }
    readMedia(view, page, hidden, media);

    // Each AU of a multi-AU publish is launched by its own `aNNNindex.html`.
    const au = /^(a\d{3})_/i.exec(page.file)?.[1];
    const itemId = itemLaunching(view, au ? [`${au}index.html`] : []);
    const pageIndex = pages.length;
    pages.push({ title: page.title, kind: 'page', source: page.file, itemId, blocks: cleanBlocks(blocks) });
    const test = tests.get(page.file.toLowerCase());
    const pageQuestions = questionsOfPage(page, questions, test, hiddenVariables);
    if (pageQuestions.length > 0) {
      assessments.push({ title: page.title, source: page.file, itemId, pageIndex, passingScore: test?.passingScore ?? null, questions: pageQuestions });
    }
  }
  attachLooseCaptions(view, media);

  return { title, language: ordered[0]?.language ?? null, pages, assessments, media: [...media.values()] };
}

/**
 * A page's questions: those of the test file, which hold the authored choices and answers, except
 * the hidden drivers of custom interactions; then the page's own questions the test file lacks.
 */
function questionsOfPage(page: ParsedPage, fromPage: { question: Question; variable: string | null }[], test: TestPage | undefined, hidden: Set<string>): Question[] {
  const fromTest = (test?.questions ?? []).filter((q) => !q.variable || !hidden.has(q.variable));
  const known = new Set(fromTest.map((q) => q.variable?.toLowerCase()).filter(Boolean));
  const pageOnly = fromPage.filter((q) => !q.variable || !known.has(q.variable.toLowerCase()));
  // A form field without a prompt of its own (a name to type in) asks nothing to extract.
  const asks = (q: Question) => q.prompt !== '' || q.choices.length > 0 || q.correct_answers.length > 0 || q.matches.length > 0;
  return [...fromTest.map((q) => testQuestion(page, q)), ...pageOnly.map((q) => q.question)].filter(asks);
}

/** Ids Lectora gives the items of matching and drag-and-drop questions (`3`, `2L`, `2R`). */
const ITEM_ID = /^\d+[LR]?$/;

/**
 * A test question, the ids of its matching or drag-and-drop pairs replaced by what the page's
 * objects show; pairs the test file writes out as texts are kept as they are.
 */
function testQuestion(page: ParsedPage, q: TestQuestion): Question {
  const interaction = q.object ? page.interactions.get(q.object) : undefined;
  if (!interaction) {
    const written = q.pairs.flatMap(([source, targets]) => targets.map((target) => ({ source, target }))).filter((m) => !ITEM_ID.test(m.source) && !ITEM_ID.test(m.target));
    return makeQuestion({ ...q.input, matches: written });
  }
  if (q.pairs.length === 0) return makeQuestion(q.input);
  const { choices, matches, correctAnswers } = pairTexts(page, interaction, q.pairs, q.input.prompt);
  return makeQuestion({ ...q.input, choices: choices.map((text) => ({ text, correct: null })), matches, correctAnswers });
}

/** Titles Lectora gives the frameset or launch page of every course. */
const GENERIC_TITLE = /^(title manager|trivantis player|spp top page|player|course|untitled|index|a\d{3}index)$/i;
/** Names Lectora gives new pages. */
const DEFAULT_PAGE_TITLE = /^(page|slide|new page)\s*\d*$/i;

/**
 * The title the learner sees: the frameset's, else the one the title's dialogs show
 * (`trivAlert('id', 'Title', ...)`), else the title named in Lectora Online's page comments,
 * else the first page's when the author named it.
 */
async function courseTitle(view: PackageView, pages: ParsedPage[]): Promise<string | null> {
  const usable = (value: string | null | undefined): string | null => {
    const text = normalizeSpace(value ?? '');
    return text && !GENERIC_TITLE.test(text) && !isFilePath(text) ? text : null;
  };
  const frameset = view.files().filter((f) => /^a\d{3}index\.html?$/i.test(f)).sort()[0];
  const framesetTitle = frameset ? usable((await readHead(view, frameset)).match(/<title>([^<]*)<\/title>/i)?.[1]) : null;
  if (framesetTitle) return framesetTitle;
  const counts = new Map<string, number>();
  for (const page of pages) {
    const dialogs = page.source.matchAll(new RegExp(String.raw`\b(?:trivAlert|jsTrivDlgMsgBox)\(\s*${STRING}\s*,\s*${STRING}|\bButtonTrackingObj\(\s*\d+\s*,\s*${STRING}`, 'g'));
    for (const m of dialogs) {
      const name = usable(stringOf(m, m[2] !== undefined ? 2 : 3));
      if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  const dialogTitle = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (dialogTitle) return dialogTitle;
  const comment = pages[0]?.source.match(/<!--\s*TITLE:\s*(?:\(Private\)\s*)?([^>]*?)\s*-->/)?.[1];
  const named = usable(comment?.split('/').pop());
  if (named) return named;
  const first = usable(pages[0]?.title);
  return first && !DEFAULT_PAGE_TITLE.test(first) ? first : null;
}

export const lectora: ToolDecoder = { name: 'Lectora', detect, extract };
