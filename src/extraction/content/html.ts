import { DomHandler, type Document } from 'domhandler';
import { Parser, type Handler, type ParserOptions } from 'htmlparser2';
import type { Block } from '../result/extraction-result.js';
import { normalizeSpace } from './text.js';

/** Elements whose content a learner never reads as course text. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'canvas', 'select', 'button']);
const BLOCK_BREAKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'main', 'form', 'fieldset', 'legend',
  'figure', 'figcaption', 'dl', 'dt', 'dd', 'center', 'pre', 'address', 'label', 'summary', 'details', 'body', 'td', 'th', 'tr',
]);

/** Open elements past which a parser closes them all and reads on afresh (see parseShallow). */
const MAX_OPEN_ELEMENTS = 128;
/** Characters handed to the parser at a time, between checks of the open elements. */
const WRITE_CHARS = 512;

export interface HtmlExtraction {
  /** The document's <title>, if any. */
  title: string | null;
  blocks: Block[];
  /** Images with their alt text, in document order. */
  images: { src: string; alt: string }[];
  /** Targets of links, media and frames inside the document (href/src), for following pages and media. */
  references: string[];
}

/**
 * Reads the learner-visible text of an HTML document or fragment as blocks in reading order:
 * headings, paragraphs, lists, tables, quotes and images with alt text. Scripts, styles, forms
 * controls and other chrome are skipped; entities are decoded by the parser.
 */
export function htmlToBlocks(html: string): HtmlExtraction {
  const blocks: Block[] = [];
  const images: { src: string; alt: string }[] = [];
  const references: string[] = [];
  let title: string | null = null;
  let skipDepth = 0;
  let text = '';
  let heading: number | null = null;
  let inTitle = false;
  let titleText = '';
  let quote = 0;
  const lists: { ordered: boolean; items: string[] }[] = [];
  let table: string[][] | null = null;
  let row: string[] | null = null;
  let cell: string | null = null;

  const flush = () => {
    const value = normalizeSpace(text);
    text = '';
    if (!value) return;
    if (cell !== null) {
      cell = cell ? `${cell} ${value}` : value;
      return;
    }
    const list = lists.at(-1);
    if (list && list.items.length > 0 && !heading) {
      list.items[list.items.length - 1] = normalizeSpace(`${list.items.at(-1)} ${value}`);
      return;
    }
    if (heading) blocks.push({ type: 'heading', level: heading, text: value });
    else if (quote > 0) blocks.push({ type: 'quote', text: value });
    else blocks.push({ type: 'paragraph', text: value });
  };

  const handler: Partial<Handler> = {
    onopentag(name, attributes) {
      // htmlparser2 closes every tag it opens (void and unclosed ones too), so depth counting holds.
      if (skipDepth > 0 || SKIPPED.has(name)) {
        skipDepth++;
        if (name === 'iframe' && attributes.src) references.push(attributes.src);
        return;
      }
      if (name === 'title') {
        inTitle = true;
        return;
      }
      for (const attribute of ['href', 'src', 'data-src']) {
        const value = attributes[attribute];
        if (value && name !== 'img') references.push(value);
      }
      if (/^h[1-6]$/.test(name)) {
        flush();
        heading = Number(name[1]);
      } else if (name === 'ul' || name === 'ol') {
        flush();
        lists.push({ ordered: name === 'ol', items: [] });
      } else if (name === 'li') {
        flush();
        lists.at(-1)?.items.push('');
      } else if (name === 'table') {
        flush();
        table = [];
      } else if (name === 'tr') {
        flush();
        row = [];
      } else if (name === 'td' || name === 'th') {
        flush();
        cell = '';
      } else if (name === 'blockquote') {
        flush();
        quote++;
      } else if (name === 'br') {
        text += ' ';
      } else if (name === 'img') {
        const alt = normalizeSpace(attributes.alt ?? '');
        const src = attributes.src ?? attributes['data-src'] ?? '';
        if (src) images.push({ src, alt });
        if (alt) {
          flush();
          blocks.push({ type: 'image', alt, src: src || null });
        }
      } else if (BLOCK_BREAKS.has(name)) {
        flush();
      }
    },
    ontext(data) {
      if (skipDepth > 0) return;
      if (inTitle) titleText += data;
      else text += data;
    },
    onclosetag(name) {
      if (skipDepth > 0) {
        skipDepth--;
        return;
      }
      if (name === 'title') {
        inTitle = false;
        title = normalizeSpace(titleText) || null;
      } else if (/^h[1-6]$/.test(name)) {
        flush();
        heading = null;
      } else if (name === 'ul' || name === 'ol') {
        flush();
        const list = lists.pop();
        const items = list?.items.map(normalizeSpace).filter(Boolean) ?? [];
        if (list && items.length > 0) {
          const parent = lists.at(-1);
          // A nested list folds into its parent item, keeping its text.
          if (parent && parent.items.length > 0) parent.items[parent.items.length - 1] += ` ${items.join('; ')}`;
          else blocks.push({ type: 'list', ordered: list.ordered, items });
        }
      } else if (name === 'li') {
        flush();
      } else if (name === 'td' || name === 'th') {
        flush();
        row?.push(normalizeSpace(cell ?? ''));
        cell = null;
      } else if (name === 'tr') {
        flush();
        if (row && row.some(Boolean)) table?.push(row);
        row = null;
      } else if (name === 'table') {
        flush();
        const rows: string[][] | null = table;
        if (rows && rows.length > 0) blocks.push({ type: 'table', rows });
        table = null;
      } else if (name === 'blockquote') {
        flush();
        quote = Math.max(0, quote - 1);
      } else if (BLOCK_BREAKS.has(name)) {
        flush();
      }
    },
  };
  parseShallow(html, handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true });
  flush();
  return { title, blocks, images, references };
}

/**
 * Whether a string holds an HTML tag (`<p>`, `</b>`, `<a href="...">`). A tag holds no `<`: from
 * each `<` the search stops at the next one, so a string of a million `<a` costs linear time.
 */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-z][^<>]*>/i.test(text);
}

/** An element of markup: the attributes of its opening tag, and what it holds. */
export interface MarkupElement {
  attributes: string;
  body: string;
  /** Where the element starts and ends in the document. */
  start: number;
  end: number;
}

/**
 * The `<name>` elements of a document (`script`, `text`...) whose opening tag's attributes pass
 * `wanted`, in order, each up to the first `</name>` after it, as a lazy pattern finds them; an
 * opening tag that is not wanted is passed over, so one inside it is still found. In one pass: each
 * `>` and `</name>` is searched for once, however many openings are left unclosed before it, and
 * an opening inside another's tag is no tag (`<a<a<a…`), where a pattern would scan to the end
 * again from each.
 */
export function elementsOf(markup: string, name: string, wanted: (attributes: string) => boolean = () => true): MarkupElement[] {
  const elements: MarkupElement[] = [];
  const open = new RegExp(`<${name}\\b`, 'gi');
  const close = new RegExp(`</${name}>`, 'gi');
  let closing: RegExpExecArray | null | undefined;
  for (let match = open.exec(markup); match; match = open.exec(markup)) {
    const tagEnd = markup.indexOf('>', match.index);
    if (tagEnd < 0) break;
    open.lastIndex = tagEnd + 1;
    if (!wanted(markup.slice(match.index + match[0].length, tagEnd))) continue;
    // The first closing tag after an earlier opening is the first after this one too, unless it comes before.
    if (closing === undefined || (closing !== null && closing.index <= tagEnd)) {
      close.lastIndex = tagEnd + 1;
      closing = close.exec(markup);
    }
    if (!closing) break;
    const end = closing.index + closing[0].length;
    elements.push({ attributes: markup.slice(match.index + match[0].length, tagEnd), body: markup.slice(tagEnd + 1, closing.index), start: match.index, end });
    open.lastIndex = end;
  }
  return elements;
}

/** The markup with each of these elements (as elementsOf finds them) replaced by `by`. */
export function replaceElements(markup: string, elements: MarkupElement[], by: string): string {
  let out = '';
  let at = 0;
  for (const element of elements) {
    out += markup.slice(at, element.start) + by;
    at = element.end;
  }
  return out + markup.slice(at);
}

/** Events a handler may take besides opening and closing tags and the end, passed on as they come. */
const PASSED_EVENTS = [
  'onparserinit', 'onreset', 'onerror', 'onopentagname', 'onattribute', 'ontext', 'oncomment', 'oncommentend',
  'oncdatastart', 'oncdataend', 'onprocessinginstruction',
] as const;

/**
 * Parses a document into a handler as htmlparser2 does, a piece at a time. htmlparser2 shifts and
 * unshifts its array of open elements at every tag, so each tag costs time in how many are open:
 * past MAX_OPEN_ELEMENTS (markup left unclosed by the thousand), they are all closed and the rest
 * is read by a fresh parser. The handler never holds more open than that and a piece's worth, so
 * a tree it builds stays shallow enough to walk recursively.
 */
function parseShallow(html: string, handler: Partial<Handler>, options: ParserOptions): void {
  let open = 0;
  const counted: Partial<Handler> = {
    onopentag: (name, attributes, implied) => {
      open++;
      handler.onopentag?.call(handler, name, attributes, implied);
    },
    onclosetag: (name, implied) => {
      open--;
      handler.onclosetag?.call(handler, name, implied);
    },
  };
  for (const event of PASSED_EVENTS) {
    const listener = handler[event] as ((...args: unknown[]) => void) | undefined;
    if (listener) Object.assign(counted, { [event]: listener.bind(handler) });
  }
  let parser = new Parser(counted, options);
  for (let at = 0; at < html.length; at += WRITE_CHARS) {
    parser.write(html.slice(at, at + WRITE_CHARS));
    if (open > MAX_OPEN_ELEMENTS) {
      parser.end();
      parser = new Parser(counted, options);
    }
  }
  parser.end();
  handler.onend?.call(handler);
}

/** A page's DOM, as htmlparser2's parseDocument builds it, parsed a piece at a time (see parseShallow). */
export function parseHtml(html: string, options: ParserOptions = {}): Document {
  const dom = new DomHandler(undefined, options);
  parseShallow(html, dom, options);
  return dom.root;
}

/** Text of inline HTML (a title or an answer in tool data), as one line. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return normalizeSpace(html);
  return htmlToBlocks(html)
    .blocks.map((b) => blockText(b))
    .filter(Boolean)
    .join(' ');
}

export function blockText(block: Block): string {
  switch (block.type) {
    case 'heading':
    case 'paragraph':
    case 'quote':
      return block.text;
    case 'list':
      return block.items.join('\n');
    case 'table':
      return block.rows.map((r) => r.join(' | ')).join('\n');
    case 'image':
      return block.alt;
  }
}
