import { Text } from 'domhandler';
import { DomUtils } from 'htmlparser2';
import { blockText, htmlToBlocks, parseHtml } from '../../content/html.js';
import { isJunkBlock } from '../../content/blocks.js';
import { normalizeSpace } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';

// The page's DOM, as parsed once: finding elements, and reading the learner text of a fragment.

export type Document = ReturnType<typeof parseHtml>;
export type Node = Document['children'][number];
export type Element = Extract<Node, { attribs: Record<string, string> }>;

/**
 * Parts of the page frame around the iDevices: site header, menu, pagination, licence, credits;
 * the file link an interactive video keeps for its script.
 */
const CHROME_ID =
  /^(header|headerContent|siteNav|siteFooter|siteFooterContent|nodeDecoration|skipNav|topPagination|bottomPagination|packageLicense|made-with-eXe|exe-client-search|searchBar|navToggler|exe-interactive-video-file)$/;
/** Elements that are never learner text: screen-reader labels, buttons, solutions, data. */
const CHROME_CLASS =
  /(^|\s)(js-sr-av|sr-av|iDevice_solution|iDevice_buttons|feedback-button|js-warning|teacher-only|exe-hidden-teacher|box-toggle|box-head|iDevice_header|pagination|nav-buttons|exe-(?:[a-z]+-)?data|[\w-]*DataGame[\w-]*)(\s|$)/i;
/**
 * What eXe games and activities keep for their script: version, browser warning (`-bns`), media
 * indexes (`-LinkImages`, `-LinkImagesBack`...; `-LinkWordings` and `-LinkFeedBacks` are a
 * problem's statement and feedback, learner text), form data, the timer and score of a game's
 * board, the labels of a rubric's buttons, a GeoGebra activity's messages, an embedded site's error
 * message, a download button, a scrambled list's button and feedback (its question's feedback).
 */
const GAME_SCRIPT_CLASS =
  /(^|\s)(\w+-(?:version|bns)|\w+-Link(?!Wordings|FeedBacks)[\w-]*|form-Data|game-evaluation-ids|\w+-GameScoreBoard|score-text|exe-rubrics-strings|auto-geogebra-(?:author|messages-\w+)|iframe-error-message|exe-download-package-link|exe-sortableList-(?:buttonText|rightText|wrongText))(\s|$)/;

export const isElement = (node: Node): node is Element => DomUtils.isTag(node);
export const classes = (element: Element): string => element.attribs.class ?? '';
export const hasClass = (element: Element, name: string): boolean => classes(element).split(/\s+/).includes(name);
export const all = (root: Node | Node[], test: (e: Element) => boolean): Element[] =>
  DomUtils.findAll(test, Array.isArray(root) ? root : [root]);
export const first = (root: Node | Node[], test: (e: Element) => boolean): Element | null =>
  DomUtils.findOne(test, Array.isArray(root) ? root : [root]);
export const byId = (root: Node | Node[], id: string): Element | null => first(root, (e) => e.attribs.id === id);
export const isInside = (node: Node, ancestor: Node): boolean => {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent === ancestor) return true;
  return false;
};
/** The text a reader sees: without screen-reader-only labels. */
export function text(node: Node | null | undefined): string {
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
export function fragmentBlocks(node: Element, remove: (e: Element) => boolean = () => false): Block[] {
  const chrome = (e: Element) =>
    CHROME_CLASS.test(classes(e)) || GAME_SCRIPT_CLASS.test(classes(e)) || CHROME_ID.test(e.attribs.id ?? '') || e.name === 'nav';
  for (const element of all(node.children, (e) => chrome(e) || isHiddenData(e) || remove(e))) {
    DomUtils.removeElement(element);
  }
  // A formula eXe 3 rendered to SVG reads as its LaTeX source, made readable.
  const formulas: string[] = [];
  for (const formula of all(node.children, (e) => hasClass(e, 'exe-math-rendered') && !!e.attribs['data-latex'])) {
    const source = latexText(formula.attribs['data-latex'] ?? '');
    formula.children = [];
    DomUtils.appendChild(formula, new Text(source));
    if (source && formulas.length < MAX_FORMULAS) formulas.push(source);
  }
  // A blank of a cloze reads as a blank.
  for (const input of all(node.children, (e) => e.name === 'input' && /^cloze(lang)?Blank/.test(e.attribs.id ?? ''))) {
    const blank = parseHtml('<span> ____ </span>').children[0];
    if (blank) DomUtils.replaceElement(input, blank);
  }
  // Code or encoded data that reached the page is no text; a line of formulas is.
  return htmlToBlocks(DomUtils.getOuterHTML(node)).blocks.filter(
    (b) => !isJunkBlock(b) || formulas.some((f) => blockText(b).includes(f)),
  );
}

/** Symbols a formula names by command, as a reader sees them. */
const LATEX_SYMBOLS: Record<string, string> = {
  cdot: '·', times: '×', div: '÷', pm: '±', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈',
  infty: '∞', sum: '∑', prod: '∏', int: '∫', sqrt: '√', rightarrow: ' → ', Rightarrow: ' ⇒ ', leftarrow: ' ← ',
  Leftarrow: ' ⇐ ', Leftrightarrow: ' ⇔ ', to: ' → ', degree: '°', circ: '°', pi: 'π', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', Delta: 'Δ',
  epsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ', rho: 'ρ', sigma: 'σ', Sigma: 'Σ', tau: 'τ', phi: 'φ', omega: 'ω', Omega: 'Ω',
};
const MAX_FORMULAS = 500;

/**
 * A formula's LaTeX as plain text: delimiters dropped, `\frac{a}{b}` as a/b, named symbols as
 * characters, grouping braces and spacing commands gone (`F_{g}` reads F_g).
 */
function latexText(latex: string): string {
  let text = latex.trim().replace(/^(\\\(|\\\[|\$\$?)|(\\\)|\\\]|\$\$?)$/g, '');
  const group = (g: string) => (/^[\p{L}\p{N}.,]*$/u.test(g) ? g : `(${g})`);
  // Innermost fractions first; a formula nests a few levels at most.
  for (let depth = 0; depth < 8 && text.includes('\\frac'); depth++) {
    text = text.replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_, a: string, b: string) => `${group(a)}/${group(b)}`);
  }
  text = text
    .replace(/\\(left|right|displaystyle|mathrm|text|mathbf|mathit)\b/g, '')
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/\\([A-Za-z]+)(\s?)/g, (_, name: string, space: string) => LATEX_SYMBOLS[name] ?? name + space)
    .replace(/[{}]/g, '');
  return normalizeSpace(text);
}

/** Hidden inputs, encoded answers and other data the page carries for its scripts. */
function isHiddenData(element: Element): boolean {
  const id = element.attribs.id ?? '';
  if (/^cloze(lang)?(Answer|Flag|Var)/.test(id)) return true;
  if (element.name === 'input' && element.attribs.type === 'hidden') return true;
  return /display\s*:\s*none/i.test(element.attribs.style ?? '') && element.name === 'span';
}
