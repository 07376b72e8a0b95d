import { DomUtils } from 'htmlparser2';
import { Identifier, type DataValue } from '../../content/data-values.js';
import { blockText, htmlToBlocks, parseHtml } from '../../content/html.js';
import { argumentsAt, parseJsLiteral } from '../../content/js-literals.js';
import { isSentenceLike, normalizeSpace } from '../../content/text.js';
import type { Question } from '../../result/extraction-result.js';
import { readInteractions, type Interaction } from './interactions.js';
import { isDefaultPart } from './values.js';
import type { DeviceObject } from './wnd.js';

/*
 * A Lectora page: the objects its script builds (`text123 = new ObjText(...)`), their text, and its
 * links to the previous and next page. Strings and argument lists are read with js-literals.ts.
 */

/** Media files a page plays. */
export const MEDIA_FILE = /\.(mp4|m4v|webm|ogv|ogg|mov|flv|mp3|m4a|wav|aac)$/i;

export interface PageObject {
  name: string;
  type: string;
  args: string[];
  /** Position of the definition in the page, for reading order. */
  at: number;
  /** The name the author gave the object, where the page says it. */
  label?: string;
  /** Where the object sits on the page. */
  box: Box | null;
}

/** An object's rectangle on the page. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TextObject {
  name: string;
  html: string;
  hidden: boolean;
  /** Pinned to the bottom of the window: a footer. */
  footer: boolean;
  box: Box | null;
  at: number;
}

/** A button with a caption (Lectora 19 and later: `button12.text = 'Caption'`) and what clicking it does. */
export interface ButtonObject {
  name: string;
  caption: string;
  at: number;
  /** It shows or toggles objects of its page. */
  reveals: boolean;
  /** The pages it opens. */
  opens: string[];
}

export interface ParsedPage {
  file: string;
  title: string | null;
  language: string | null;
  prev: string | null;
  next: string | null;
  /** Pages the page's buttons and links open (`trivExitPage('page.html')`), Previous and Next included. */
  links: string[];
  texts: TextObject[];
  objects: Map<string, PageObject>;
  source: string;
  pageWidth: number | null;
  /** Media the page body plays directly (`<video>`, `<audio>`, `<embed>` of older publishes). */
  mediaReferences: string[];
  /** Matching and drag-and-drop set-ups, by question object name. */
  interactions: Map<string, Interaction>;
  buttons: ButtonObject[];
  /** Window-object pages: what each object shows on the device, and the children of groups. */
  device?: Map<string, DeviceObject>;
  children?: Map<string, string[]>;
}

export interface PageQuestions {
  questions: { question: Question; variable: string | null }[];
  /** Objects of questions the learner never sees (hidden drivers of custom interactions). */
  hidden: Set<string>;
  /** Objects of visible questions: prompts and choices are text even when short and common. */
  members: Set<string>;
  /** Answer variables of the hidden questions. */
  hiddenVariables: Set<string>;
}

/** A string literal in a pattern, quotes included (one capture group). */
export const STRING = String.raw`('(?:[^'\\]|\\[\s\S])*'|"(?:[^"\\]|\\[\s\S])*")`;
export const stringOf = (m: RegExpMatchArray, index: number): string => {
  const value = parseJsLiteral(m[index] ?? '', 0)?.value;
  return typeof value === 'string' ? value : '';
};
/** An argument as the generated code spells it: positions, flags and file names are read as text. */
const argumentText = (value: DataValue): string =>
  value instanceof Identifier ? value.name : typeof value === 'object' && value !== null ? '' : String(value);

export function parsePage(file: string, source: string): ParsedPage {
  const objects = new Map<string, PageObject>();
  for (const m of source.matchAll(/^[ \t]*(\w+)\s*=\s*new\s+(Obj\w+)\s*\((.*)\)\s*;?[ \t]*$/dgm)) {
    const name = m[1] as string;
    const args = (argumentsAt(source, m.indices?.[3]?.[0] ?? 0) ?? []).map(argumentText);
    // An image's constructor names its file and description before its position.
    const box = boxOf(args.slice(m[2] === 'ObjImage' ? 3 : 2));
    if (!objects.has(name)) objects.set(name, { name, type: m[2] as string, args, at: m.index ?? 0, box });
  }

  const inner = new Map<string, string>();
  for (const m of source.matchAll(new RegExp(String.raw`^[ \t]*(\w+)\.addInnerText\(\s*(?:${STRING})\s*\)`, 'gm'))) {
    inner.set(m[1] as string, stringOf(m, 2));
  }

  const doc = parseHtml(source, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const titleElement = DomUtils.getElementsByTagName('title', doc, true, 1)[0];
  const title = pageTitle(titleElement ? DomUtils.textContent(titleElement) : '');
  const htmlElement = DomUtils.getElementsByTagName('html', doc, true, 1)[0];
  const language = htmlElement?.attribs.lang?.trim() || null;

  const texts: TextObject[] = [];
  for (const object of objects.values()) {
    if (!isTextObject(object)) continue;
    let html = inner.get(object.name);
    if (html === undefined) {
      // Before Lectora 12 the text sits in the body as a positioned div named after the object.
      const element = DomUtils.getElementById(object.name, doc);
      html = element ? DomUtils.getOuterHTML(element) : '';
    }
    texts.push({
      name: object.name,
      html,
      hidden: object.args[6] === '0',
      footer: object.args[11] === '1',
      box: object.box,
      at: object.at,
    });
  }
  if (objects.size === 0) {
    // Very old publishes: plain positioned divs only.
    const body = DomUtils.getElementsByTagName('body', doc, true, 1)[0];
    if (body) texts.push({ name: '', html: DomUtils.getInnerHTML(body), hidden: false, footer: false, box: null, at: 0 });
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
    links: exitLinks(source),
    texts: texts.sort((a, b) => a.at - b.at),
    objects,
    source,
    pageWidth: width ? Number(width[1]) : null,
    interactions: readInteractions(source),
    buttons: captionedButtons(source, objects),
  };
}

const MAX_FUNCTION_BYTES = 4096;
const MAX_ACTIONS = 32;

/**
 * Buttons with a caption and what they do: a button's `onUp` function calls the page's action
 * functions (`function action12(fn){ text13.actionShow(); ... }`), which show objects or open pages.
 */
function captionedButtons(source: string, objects: Map<string, PageObject>): ButtonObject[] {
  const captions = [...source.matchAll(new RegExp(String.raw`^[ \t]*(\w+)\.text\s*=\s*(?:${STRING})`, 'gm'))].filter((m) => objects.get(m[1] as string)?.type === 'ObjButton');
  if (captions.length === 0) return [];
  // Each top-level function: from its declaration to the next one, cut at its closing brace.
  const functions = new Map<string, string>();
  for (const chunk of source.split(/^function\s+/m).slice(1)) {
    const m = /^(\w+)\s*\([^)]*\)\s*\{/.exec(chunk);
    if (m) functions.set(m[1] as string, chunk.slice(m[0].length, m[0].length + MAX_FUNCTION_BYTES).split(/\n\}/)[0] as string);
  }
  return captions.map((m) => {
    const name = m[1] as string;
    const onUp = functions.get(`${name}onUp`) ?? '';
    const actions = [...onUp.matchAll(/\b(action\w+)\(/g)].slice(0, MAX_ACTIONS).map((a) => functions.get(a[1] as string) ?? '');
    const code = [onUp, ...actions].join('\n');
    return { name, caption: stringOf(m, 2), at: objects.get(name)?.at ?? 0, reveals: /\.action(?:Show|Toggle)\(/.test(code), opens: exitLinks(code) };
  });
}

/** A rectangle from its left, top, width and height, when all four are numbers. */
export function boxOf(values: unknown[]): Box | null {
  const [x, y, width, height] = values.slice(0, 4).map((v) => (typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? Number(v) : NaN));
  return [x, y, width, height].every((n) => Number.isFinite(n)) ? { x: x as number, y: y as number, width: width as number, height: height as number } : null;
}

/** The pages a page's script can open (`trivExitPage('page.html')`), in the order it names them. */
export function exitLinks(source: string): string[] {
  return [...source.matchAll(new RegExp(String.raw`\btrivExitPage\(\s*(?:${STRING})`, 'g'))].map((m) => stringOf(m, 1).replace(/[?#].*$/, '')).filter(Boolean);
}

/** `images/a.png`, `a001_page.html`, `C:\\course\\page`: names of files, not titles. */
export const isFilePath = (text: string): boolean =>
  /^\S+\.(html?|png|jpe?g|gif|svg|mp[34]|pdf|xml|txt|docx?|pptx?)$/i.test(text) || /^([a-z]:)?\\\S/i.test(text) || /^\S*\/\S*\.\w{2,4}$/.test(text);

/** The names Lectora gives new pages, in the languages it is used in ("Page 1", "Seite 2", "Side 3"). */
const DEFAULT_PAGE_NAME = /^(new )?(page|pages|side|seite|página|pagina|sida|strona|sivu|stránka|oldal|sayfa|страница|σελίδα|ページ|页面|頁面|slide)\s*\d*$/iu;

/** A page's title as the learner sees it; a file name or a default page name is not one. */
export function pageTitle(text: string): string | null {
  const title = normalizeSpace(text);
  return title && !isFilePath(title) && !DEFAULT_PAGE_NAME.test(title) ? title : null;
}

/** Text blocks: `ObjText`, and before Lectora 11 an inline object named `text<id>`. */
export const isTextObject = (object: PageObject): boolean =>
  object.type === 'ObjText' || (object.type === 'ObjInline' && /^text\d+$/.test(object.name));

/** Whether an HTML file is a Lectora page rather than a frame, loader or unrelated file. */
export function isLectoraPage(source: string): boolean {
  return /function\s+trivExitPage|var\s+pgID\s*=|new\s+ObjLayer\s*\(|trivPageTracking|new\s+ObjText\s*\(|new\s+jsWnd\w+\s*\(/.test(source);
}

/**
 * The description an author wrote for an image: Lectora names an image after its file, a drawn
 * shape after its kind ("Line") and a question's image after its part ("Choice 2 image").
 */
export function authoredAlt(object: PageObject): string | null {
  const alt = normalizeSpace(object.args[2] ?? '');
  const derived = /^shape\d/i.test(object.name) || /[_@]|\d{2,}x\d{2,}/.test(alt) || alt === 'null' || isDefaultPart(alt);
  return alt && !derived && isSentenceLike(alt) ? alt : null;
}

/** What an object shows as text: a text object's text, an image's authored description. */
export function objectText(page: ParsedPage, name: string): string {
  const text = page.texts.find((t) => t.name === name);
  if (text) return textOf(text.html);
  const object = page.objects.get(name);
  return object?.type === 'ObjImage' ? (authoredAlt(object) ?? '') : '';
}

export function textOf(html: string): string {
  return htmlToBlocks(html)
    .blocks.map(blockText)
    .join(' ')
    .trim();
}
