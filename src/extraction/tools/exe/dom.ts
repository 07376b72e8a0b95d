import { DomUtils, parseDocument } from 'htmlparser2';
import { htmlToBlocks } from '../../content/html.js';
import { normalizeSpace } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';

// The page's DOM, as parsed once: finding elements, and reading the learner text of a fragment.

export type Document = ReturnType<typeof parseDocument>;
export type Node = Document['children'][number];
export type Element = Extract<Node, { attribs: Record<string, string> }>;

/** Parts of the page frame around the iDevices: site header, menu, pagination, licence, credits. */
const CHROME_ID =
  /^(header|headerContent|siteNav|siteFooter|siteFooterContent|nodeDecoration|skipNav|topPagination|bottomPagination|packageLicense|made-with-eXe|exe-client-search|searchBar|navToggler)$/;
/** Elements that are never learner text: screen-reader labels, buttons, solutions, data. */
const CHROME_CLASS =
  /(^|\s)(js-sr-av|sr-av|iDevice_solution|iDevice_buttons|feedback-button|js-warning|teacher-only|exe-hidden-teacher|box-toggle|box-head|iDevice_header|pagination|nav-buttons|exe-(?:[a-z]+-)?data|[\w-]*DataGame[\w-]*)(\s|$)/i;

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
