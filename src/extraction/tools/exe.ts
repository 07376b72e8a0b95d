import { DomUtils, parseDocument } from 'htmlparser2';
import { blockText, htmlToBlocks } from '../content/html.js';
import { tidyBlocks } from '../content/blocks.js';
import { looksLikeBase64, looksLikeCode, normalizeSpace } from '../content/text.js';
import type { Block, Question } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/**
 * eXeLearning exports: one HTML page per node of the project tree (the manifest's items launch
 * them), with the project itself in `contentv3.xml` / `content.data` (eXe 2) or `content.xml`
 * (eXe 3). Learner text is the iDevices of a page (`.iDevice_wrapper` in eXe 2, `article.box` /
 * `.idevice_node` in eXe 3); the header, menu, pagination and licence around them are chrome.
 * Activities keep their answers in the page: radio feedback blocks and a solution list
 * (multi-choice), `class="right|wrong"` (true-false), `value="True|False"` (multi-select), and
 * XOR-obfuscated `clozeAnswer` spans (cloze).
 */

type Document = ReturnType<typeof parseDocument>;
type Node = Document['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;

const MAX_PAGE_BYTES = 16 * 1024 * 1024;
const MEDIA_FILE = /\.(mp4|m4v|webm|ogv|ogg|mov|flv|mp3|m4a|wav|oga|aac)$/i;
/** Parts of the page frame around the iDevices: site header, menu, pagination, licence, credits. */
const CHROME_ID =
  /^(header|headerContent|siteNav|siteFooter|siteFooterContent|nodeDecoration|skipNav|topPagination|bottomPagination|packageLicense|made-with-eXe|exe-client-search|searchBar|navToggler)$/;
/** Elements that are never learner text: screen-reader labels, buttons, solutions, data. */
const CHROME_CLASS =
  /(^|\s)(js-sr-av|sr-av|iDevice_solution|iDevice_buttons|feedback-button|js-warning|teacher-only|exe-hidden-teacher|box-toggle|box-head|iDevice_header|pagination|nav-buttons|exe-(?:[a-z]+-)?data|[\w-]*DataGame[\w-]*)(\s|$)/i;

// ---------------------------------------------------------------------------------------------
// DOM helpers.

const isElement = (node: Node): node is Element => DomUtils.isTag(node);
const classes = (element: Element): string => element.attribs.class ?? '';
const hasClass = (element: Element, name: string): boolean => classes(element).split(/\s+/).includes(name);
const all = (root: Node | Node[], test: (e: Element) => boolean): Element[] =>
  DomUtils.findAll(test, Array.isArray(root) ? root : [root]);
const first = (root: Node | Node[], test: (e: Element) => boolean): Element | null =>
  DomUtils.findOne(test, Array.isArray(root) ? root : [root]);
const byId = (root: Node | Node[], id: string): Element | null => first(root, (e) => e.attribs.id === id);
const isInside = (node: Node, ancestor: Node): boolean => {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent === ancestor) return true;
  return false;
};
/** The text a reader sees: without screen-reader-only labels. */
function text(node: Node | null | undefined): string {
  if (!node) return '';
  const parts: string[] = [];
  const walk = (current: Node) => {
    if (isElement(current)) {
      if (/(^|\s)(js-)?sr-av(\s|$)/.test(classes(current)) || current.name === 'script' || current.name === 'style') return;
      current.children.forEach(walk);
      if (/^(p|div|li|h[1-6]|section|br|td)$/.test(current.name)) parts.push(' ');
    } else if (current.type === 'text') {
      parts.push(DomUtils.textContent(current));
    }
  };
  walk(node);
  return normalizeSpace(parts.join(''));
}

/**
 * Learner text of a fragment, as blocks. Chrome, hidden data and what `remove` names are taken out
 * of the page's tree for good (each page is parsed once and read once).
 */
function fragmentBlocks(node: Element, remove: (e: Element) => boolean = () => false): Block[] {
  const chrome = (e: Element) => CHROME_CLASS.test(classes(e)) || CHROME_ID.test(e.attribs.id ?? '') || e.name === 'nav';
  for (const element of all(node.children, (e) => chrome(e) || isHiddenData(e) || remove(e))) {
    DomUtils.removeElement(element);
  }
  // A blank of a cloze reads as a blank.
  for (const input of all(node.children, (e) => e.name === 'input' && /^cloze(lang)?Blank/.test(e.attribs.id ?? ''))) {
    const blank = parseDocument('<span> ____ </span>').children[0];
    if (blank) DomUtils.replaceElement(input, blank);
  }
  return htmlToBlocks(DomUtils.getOuterHTML(node)).blocks;
}

/** Hidden inputs, encoded answers and other data the page carries for its scripts. */
function isHiddenData(element: Element): boolean {
  const id = element.attribs.id ?? '';
  if (/^cloze(lang)?(Answer|Flag|Var)/.test(id)) return true;
  if (element.name === 'input' && element.attribs.type === 'hidden') return true;
  return /display\s*:\s*none/i.test(element.attribs.style ?? '') && element.name === 'span';
}

// ---------------------------------------------------------------------------------------------
// Answers.

/** The cloze answer encoding of eXe: `%uXXXX` escapes in base64 of a XOR chain keyed on "X". */
export function decodeClozeAnswer(encoded: string): string {
  const escaped = Buffer.from(encoded.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  const xored = escaped.replace(/%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})/g, (_m, u: string | undefined, b: string | undefined) =>
    String.fromCharCode(parseInt((u ?? b) as string, 16)),
  );
  let key = 'X'.charCodeAt(0);
  let result = '';
  for (const char of xored) {
    key ^= char.charCodeAt(0);
    result += String.fromCharCode(key);
  }
  return result;
}

/** Accepted answers of one blank: `|a|b|` lists alternatives. */
function alternatives(answer: string): string {
  const trimmed = answer.trim();
  if (trimmed.startsWith('|') && trimmed.endsWith('|') && trimmed.length > 1) {
    return trimmed.split('|').map((s) => s.trim()).filter(Boolean).join(' / ');
  }
  return trimmed;
}

/** Labels eXe writes for "Correct Option" / "Wrong" in the languages it ships (prefixes). */
const WRONG_LABEL = /\b(wrong|incorrect|incorret|erron|errad|falsch|fout|sbagliat|faux|fausse|fals[oae]|oker)/i;
const RIGHT_LABEL = /\b(correct|corret|richtig|juist|giust|bonne|right|zuzen)/i;

function solutionFlags(labels: string[]): (boolean | null)[] {
  if (labels.length === 0) return [];
  const classified = labels.map((l) => (WRONG_LABEL.test(l) ? false : RIGHT_LABEL.test(l) ? true : null));
  if (classified.every((c) => c !== null) && classified.some((c) => c)) return classified;
  // Unknown language: one option carries a label no other one has.
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  if (counts.size === 2 && labels.length >= 3) {
    const unique = [...counts].find(([, n]) => n === 1)?.[0];
    if (unique !== undefined) return labels.map((l) => l === unique);
  }
  return labels.map(() => null);
}

interface Activity {
  questions: Question[];
  passingScore: number | null;
}

function activityQuestions(idevice: Element, file: string, scripts: string): Activity {
  const questions: Question[] = [];
  let passingScore: number | null = null;
  const add = (input: Omit<QuestionInput, 'source'>) => {
    const question = makeQuestion({ ...input, source: file });
    if (question.prompt || question.choices.length > 0) questions.push(question);
  };
  const promptOf = (scope: Node) => {
    const element = first(scope, (e) => /^taquestion/.test(e.attribs.id ?? ''));
    return element ? DomUtils.getInnerHTML(element) : '';
  };

  // Multi-choice: one form per question, feedback per option, solution list after the form.
  for (const form of all(idevice, (e) => e.name === 'form' && /^multi-choice-form-/.test(e.attribs.name ?? ''))) {
    const qid = (form.attribs.name as string).replace(/^multi-choice-form-/, '');
    const scope = form.parent && isElement(form.parent) ? form.parent : form;
    const answers = all(form, (e) => hasClass(e, 'iDevice_answer'));
    const solution = first(scope, (e) => hasClass(e, 'iDevice_solution'));
    const labels = solution ? all(solution, (e) => e.name === 'li').map((li) => text(first(li, (e) => e.name === 'a') ?? li)) : [];
    const flags = labels.length === answers.length ? solutionFlags(labels) : answers.map(() => null);
    add({
      id: qid,
      type: 'choice',
      prompt: promptOf(form),
      choices: answers.map((answer, i) => {
        const content = first(answer, (e) => hasClass(e, 'iDevice_answer-content'));
        const feedback = text(byId(form, `sa${i}b${qid}`) ?? byId(scope, `sa${i}b${qid}`));
        return {
          id: String(i + 1),
          text: content ? DomUtils.getInnerHTML(content) : '',
          correct: flags[i] ?? null,
          feedback: feedback && feedback !== labels[i] ? feedback : null,
        };
      }),
    });
  }

  // True-false: the result label of each statement has class "right" when the statement is true.
  for (const result of all(idevice, (e) => /^s.+-result$/.test(e.attribs.id ?? '') && /^(right|wrong)$/.test(classes(e).trim()))) {
    const id = (result.attribs.id as string).replace(/^s/, '').replace(/-result$/, '');
    const form = first(idevice, (e) => e.name === 'form' && e.attribs.name === `true-false-form-${id}`);
    const scope = form ?? idevice;
    const label = (value: string) => text(first(idevice, (e) => e.name === 'label' && e.attribs.for === `${value}${id}`));
    const isTrue = classes(result).trim() === 'right';
    const feedbackBox = byId(idevice, `s${id}`);
    const feedback = feedbackBox ? normalizeSpace(text(feedbackBox).replace(text(result), '')) : '';
    add({
      id,
      type: 'true_false',
      prompt: DomUtils.getInnerHTML(byId(idevice, `taquestion${id}`) ?? scope),
      choices: [
        { id: 'true', text: label('true') || 'True', correct: isTrue },
        { id: 'false', text: label('false') || 'False', correct: !isTrue },
      ],
      feedback: feedback ? { correct: feedback, incorrect: feedback } : undefined,
    });
  }

  // Multi-select: each checkbox carries value="True" or "False".
  for (const form of all(idevice, (e) => e.name === 'form' && /^multi-select-form-/.test(e.attribs.name ?? ''))) {
    const qid = (form.attribs.name as string).replace(/^multi-select-form-/, '');
    const answers = all(form, (e) => hasClass(e, 'iDevice_answer'));
    const general = text(byId(form, `f${qid}`));
    add({
      id: qid,
      type: 'multiple_response',
      prompt: promptOf(form),
      choices: answers.map((answer, i) => {
        const box = first(answer, (e) => e.name === 'input' && e.attribs.type === 'checkbox');
        const value = box?.attribs.value?.toLowerCase();
        const content = first(answer, (e) => hasClass(e, 'iDevice_answer-content'));
        return {
          id: String(i + 1),
          text: content ? DomUtils.getInnerHTML(content) : '',
          correct: value === 'true' ? true : value === 'false' ? false : null,
        };
      }),
      feedback: general ? { correct: general, incorrect: general } : undefined,
    });
  }

  // Cloze: blanks with their encoded answers.
  for (const cloze of all(idevice, (e) => /^cloze(lang)?[^A-Z]/.test(e.attribs.id ?? '') && e.name !== 'input' && e.name !== 'span')) {
    const kind = /^clozelang/.test(cloze.attribs.id as string) ? 'clozelang' : 'cloze';
    const ident = (cloze.attribs.id as string).slice(kind.length);
    const answers = all(cloze, (e) => (e.attribs.id ?? '').startsWith(`${kind}Answer${ident}.`)).map((e) =>
      alternatives(decodeClozeAnswer(DomUtils.textContent(e))),
    );
    if (answers.length === 0) continue;
    const passage = fragmentBlocks(cloze).map(blockText).join('\n');
    add({ id: ident, type: 'fill_in', prompt: passage, correctAnswers: answers });
  }

  // SCORM quiz: radio values are option numbers, the key is in the page script (`var key0 = 2;`).
  for (const form of all(idevice, (e) => e.name === 'form' && (hasClass(e, 'quiz-test-form') || /^quizForm/.test(e.attribs.name ?? '')))) {
    const rate = first(form, (e) => e.name === 'input' && /^passrate/.test(e.attribs.id ?? e.attribs.name ?? ''));
    const parsedRate = rate ? Number.parseFloat(rate.attribs.value ?? '') : Number.NaN;
    if (Number.isFinite(parsedRate)) passingScore = parsedRate;
    const keys = new Map([...scripts.matchAll(/\bvar\s+key(\d+)\s*=\s*(-?\d+)\s*;/g)].map((m) => [m[1] as string, m[2] as string]));
    const sections = all(form, (e) => hasClass(e, 'question'));
    for (const [i, section] of sections.entries()) {
      const answers = all(section, (e) => hasClass(e, 'iDevice_answer'));
      add({
        id: `${form.attribs.name ?? 'quiz'}-${i + 1}`,
        type: 'choice',
        prompt: promptOf(section),
        choices: answers.map((answer, j) => {
          const radio = first(answer, (e) => e.name === 'input' && e.attribs.type === 'radio');
          const index = (radio?.attribs.name ?? '').match(/^key(\d+)b/)?.[1];
          const key = index !== undefined ? keys.get(index) : undefined;
          const content = first(answer, (e) => hasClass(e, 'iDevice_answer-content'));
          return {
            id: String(j + 1),
            text: content ? DomUtils.getInnerHTML(content) : '',
            correct: key === undefined || radio?.attribs.value === undefined ? null : radio.attribs.value === key,
          };
        }),
      });
    }
  }
  return { questions, passingScore };
}

// ---------------------------------------------------------------------------------------------
// Pages.

interface PageResult {
  title: string | null;
  language: string | null;
  description: string | null;
  blocks: Block[];
  assessments: { title: string | null; questions: Question[]; passingScore: number | null }[];
  media: MediaHint[];
}

function iDevices(doc: Document): Element[] {
  const eXe2 = all(doc.children, (e) => hasClass(e, 'iDevice_wrapper'));
  if (eXe2.length > 0) return eXe2.filter((e) => !eXe2.some((outer) => outer !== e && isInside(e, outer)));
  const boxes = all(doc.children, (e) => e.name === 'article' && hasClass(e, 'box'));
  if (boxes.length > 0) return boxes;
  return all(doc.children, (e) => hasClass(e, 'idevice_node'));
}

/** Script or encoded data that slipped into a text block (tables and lists keep their symbols). */
function isJunk(block: Block): boolean {
  if (block.type !== 'paragraph' && block.type !== 'heading' && block.type !== 'quote') return false;
  return looksLikeBase64(block.text) || (block.text.length > 40 && looksLikeCode(block.text));
}

function readPage(view: PackageView, file: string, html: string): PageResult {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true });
  const htmlElement = first(doc.children, (e) => e.name === 'html');
  const titleElement = byId(doc.children, 'nodeTitle') ?? first(doc.children, (e) => hasClass(e, 'page-title'));
  const docTitle = text(first(doc.children, (e) => e.name === 'title')).split(' | ')[0] ?? '';
  const description = first(doc.children, (e) => e.name === 'meta' && e.attribs.name === 'description')?.attribs.content;
  const scripts = all(doc.children, (e) => e.name === 'script').map((s) => DomUtils.textContent(s)).join('\n');

  const blocks: Block[] = [];
  const assessments: PageResult['assessments'] = [];
  const media = new Map<string, MediaHint>();
  const devices = iDevices(doc);
  const containers = devices.length > 0 ? devices : [byId(doc.children, 'main') ?? first(doc.children, (e) => e.name === 'main' || e.name === 'body')].filter((e): e is Element => !!e);

  for (const device of containers) {
    const titleNode = first(device, (e) => hasClass(e, 'iDeviceTitle') || hasClass(e, 'box-title'));
    const deviceTitle = text(titleNode);
    if (deviceTitle) blocks.push({ type: 'heading', level: 2, text: deviceTitle });
    const { questions, passingScore } = activityQuestions(device, file, scripts);
    // In an activity the feedback is the answer's, not more page text.
    const isActivity = questions.length > 0;
    blocks.push(
      ...fragmentBlocks(device, (e) =>
        e === titleNode ||
        (devices.length === 0 && (e.name === 'header' || e.name === 'footer')) ||
        (isActivity && (hasClass(e, 'feedback') || hasClass(e, 'js-feedback') || hasClass(e, 'iDevice_feedbacks') || hasClass(e, 'js-hidden'))),
      ),
    );
    if (isActivity) assessments.push({ title: deviceTitle || null, questions, passingScore });

    for (const image of all(device, (e) => e.name === 'img')) {
      const path = view.resolve(file, image.attribs.src ?? '');
      const alt = normalizeSpace(image.attribs.alt ?? '');
      if (path) media.set(path, { ...media.get(path), path, ...(alt ? { altText: alt } : {}) });
    }
    for (const player of all(device, (e) => e.name === 'video' || e.name === 'audio')) {
      const sources = [player.attribs.src, ...all(player, (e) => e.name === 'source').map((s) => s.attribs.src)]
        .map((s) => (s ? view.resolve(file, s) : null))
        .filter((s): s is string => !!s);
      const captions = all(player, (e) => e.name === 'track' && /captions|subtitles|^$/.test(e.attribs.kind ?? ''))
        .map((t) => (t.attribs.src ? view.resolve(file, t.attribs.src) : null))
        .filter((s): s is string => !!s);
      for (const path of sources) {
        const previous = media.get(path);
        media.set(path, { ...previous, path, ...(captions.length ? { captions: [...new Set([...(previous?.captions ?? []), ...captions])] } : {}) });
      }
    }
    // Media linked rather than embedded (flash-era players, lightbox links, downloads).
    for (const link of all(device, (e) => (e.name === 'a' && MEDIA_FILE.test(e.attribs.href ?? '')) || (e.name === 'embed' && MEDIA_FILE.test(e.attribs.src ?? '')))) {
      const path = view.resolve(file, link.attribs.href ?? link.attribs.src ?? '');
      if (path && !media.has(path)) media.set(path, { path });
    }
  }

  return {
    title: text(titleElement) || normalizeSpace(docTitle) || null,
    language: htmlElement?.attribs.lang?.trim() || htmlElement?.attribs['xml:lang']?.trim() || null,
    description: description ? normalizeSpace(description) || null : null,
    blocks: tidyBlocks(blocks.filter((b) => !isJunk(b))),
    assessments,
    media: [...media.values()],
  };
}

const EXE_PAGE = /iDevice_wrapper|idevice_node|<meta[^>]+name="generator"[^>]+content="eXe|exe_jquery\.js|class="exe-(?:web-site|scorm|ims|epub|single-page)/i;

async function pageOrder(view: PackageView): Promise<{ file: string; itemId: string | null }[]> {
  const local = (launch: string) => (view.base && launch.startsWith(view.base) ? launch.slice(view.base.length) : launch);
  const order: { file: string; itemId: string | null }[] = [];
  const seen = new Set<string>();
  const push = (file: string, itemId: string | null) => {
    if (seen.has(file) || !view.has(file) || !/\.html?$/i.test(file)) return;
    seen.add(file);
    order.push({ file, itemId });
  };
  for (const item of view.items) if (item.launch) push(local(item.launch), item.identifier);
  // A single-SCO export launches one page; every other node page belongs to the same SCO.
  const launchable = view.items.filter((i) => i.launch);
  const onlyItem = launchable.length === 1 ? (launchable[0]?.identifier ?? null) : null;
  // Web and IMS exports: the menu of the first page lists every node in tree order.
  const index = ['index.html', 'index.htm'].find((f) => view.has(f) && (view.size(f) ?? 0) <= MAX_PAGE_BYTES);
  if (index) {
    const doc = parseDocument((await view.text(index, MAX_PAGE_BYTES)) ?? '');
    const nav = byId(doc.children, 'siteNav') ?? first(doc.children, (e) => e.name === 'nav');
    push(index, onlyItem);
    for (const link of nav ? all(nav, (e) => e.name === 'a' && !!e.attribs.href) : []) {
      const target = view.resolve(index, link.attribs.href as string);
      if (target) push(target, onlyItem);
    }
  }
  // Pages the tree and the menu did not reach (a package without items, a stray node page).
  // (eXe 3 keeps every page but the first in html/.)
  for (const file of view.files().filter((f) => /^(html\/)?[^/]+\.html?$/i.test(f))) push(file, onlyItem);
  return order;
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  const files = new Set(view.files());
  const project = ['contentv3.xml', 'content.data', 'content.elp', 'content.xml'].some((f) => files.has(f));
  const index = ['index.html', 'index.htm'].find((f) => files.has(f)) ?? view.items.find((i) => i.launch && files.has(i.launch))?.launch;
  const head = index && (view.size(index) ?? 0) < MAX_PAGE_BYTES ? ((await view.text(index)) ?? '').slice(0, 256 * 1024) : '';
  const marked = EXE_PAGE.test(head) || /eXeLearning|exelearning\.net/i.test(head);
  const projectIsExe = files.has('contentv3.xml') || files.has('content.data') || files.has('content.elp');
  if (!projectIsExe && !(project && marked) && !(marked && /iDevice_wrapper|idevice_node/.test(head))) return null;
  const version = head.match(/name="generator"\s+content="eXe(?:Learning)?\s*v?(\d+(?:\.\d+)*)/i);
  return { version: version ? (version[1] as string) : null };
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const order = await pageOrder(view);
  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const media = new Map<string, MediaHint>();
  let language: string | null = null;
  let description: string | null = null;
  for (const { file, itemId } of order) {
    if ((view.size(file) ?? 0) > MAX_PAGE_BYTES) continue;
    const html = await view.text(file, MAX_PAGE_BYTES);
    if (!html || !EXE_PAGE.test(html)) continue;
    const page = readPage(view, file, html);
    language ??= page.language;
    description ??= page.description;
    const pageIndex = pages.length;
    pages.push({ title: page.title, kind: 'page', source: file, itemId, blocks: page.blocks });
    for (const activity of page.assessments) {
      assessments.push({
        title: activity.title ?? page.title,
        source: file,
        itemId,
        pageIndex,
        passingScore: activity.passingScore,
        questions: activity.questions,
      });
    }
    for (const hint of page.media) {
      const previous = media.get(hint.path);
      media.set(hint.path, { ...previous, ...hint, ...(previous?.altText && !hint.altText ? { altText: previous.altText } : {}) });
    }
  }
  return {
    language,
    description,
    pages,
    assessments,
    media: [...media.values()].filter((m) => m.altText || m.captions?.length || MEDIA_FILE.test(m.path)),
  };
}

export const exe: ToolDecoder = { name: 'eXeLearning', detect, extract };
