import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ExtractionError, type Warning } from '../result/errors.js';

/** A parsed element: attributes under `@_name`, text under `#text`, children by local name. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

const options = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Also decodes numeric character references (&#243;), which XML itself defines.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
};
const parser = new XMLParser(options);
const orderedParser = new XMLParser({ ...options, preserveOrder: true });

/** An element with its children in document order, for formats where order carries meaning (cmi5). */
export interface OrderedElement {
  name: string;
  attributes: Record<string, string>;
  children: OrderedElement[];
  text: string;
}

/**
 * Decodes and parses an XML document defensively: a BOM or a UTF-16 encoding is handled, a DOCTYPE
 * (the only way to declare entities, hence entity bombs) is dropped, and bare `&` that editors
 * leave in titles are escaped. Each repair becomes a warning; XML that stays broken is an error.
 */
export function parseXml(bytes: Buffer, path: string, warnings: Warning[]): XmlNode {
  return parseWith(parser, sanitize(bytes, path, warnings), path) as XmlNode;
}

/** parseXml for documents whose element order matters; the root elements in order. */
export function parseXmlOrdered(bytes: Buffer, path: string, warnings: Warning[]): OrderedElement[] {
  return toOrdered(parseWith(orderedParser, sanitize(bytes, path, warnings), path) as FxpOrdered[]);
}

function sanitize(bytes: Buffer, path: string, warnings: Warning[]): string {
  let text = decodeText(bytes);
  if (!hasElement(text)) {
    throw new ExtractionError('manifest_empty', `${path} has no XML element.`);
  }
  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    // Everything up to the root element goes, however the declaration is (mis)formed.
    ELEMENT_START.lastIndex = doctype;
    const root = ELEMENT_START.exec(text);
    if (root) {
      text = text.slice(0, doctype) + text.slice(root.index);
      warnings.push({ code: 'doctype_ignored', message: 'The DOCTYPE declaration and its entities were ignored.', path });
    }
  }
  const repaired = escapeStrayAmpersands(text);
  if (repaired !== text) {
    text = repaired;
    warnings.push({ code: 'xml_stray_ampersand', message: 'Unescaped "&" characters were read as text.', path });
  }
  const crowded = mostAttributes(text);
  if (crowded > MAX_ATTRIBUTES_PER_ELEMENT) {
    throw new ExtractionError('manifest_malformed', `${path} has an element with ${crowded} attributes; no descriptor needs more than ${MAX_ATTRIBUTES_PER_ELEMENT}.`);
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw new ExtractionError(
      'manifest_malformed',
      `${path} is not well-formed XML (line ${validation.err.line}: ${validation.err.msg}).`,
    );
  }
  return text;
}

function parseWith(xmlParser: XMLParser, text: string, path: string): unknown {
  try {
    return xmlParser.parse(text);
  } catch (error) {
    throw new ExtractionError('manifest_malformed', `${path} cannot be parsed (${(error as Error).message}).`);
  }
}

/** fast-xml-parser's preserveOrder shape: `{ tag: children, ':@': attributes }` or `{ '#text': value }`. */
type FxpOrdered = Record<string, unknown>;

function toOrdered(nodes: FxpOrdered[]): OrderedElement[] {
  const elements: OrderedElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
    if (!name) continue;
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries((node[':@'] as Record<string, unknown> | undefined) ?? {})) {
      attributes[key.replace(/^@_/, '')] = String(value);
    }
    const inner = (node[name] as FxpOrdered[] | undefined) ?? [];
    elements.push({
      name,
      attributes,
      children: toOrdered(inner),
      text: inner
        .map((child) => child['#text'])
        .filter((value) => value !== undefined)
        .join(' ')
        .trim(),
    });
  }
  return elements;
}

const ELEMENT_START = /<[A-Za-z_]/g;

/**
 * Attributes one element may have. The parser holds some 1 KB per attribute of an element: a
 * 12 MB manifest of one element with a million attributes took 1.2 GB.
 */
const MAX_ATTRIBUTES_PER_ELEMENT = 10_000;

/** The most attributes an opening tag of the text has, counted in one pass (its `="` and `='`). */
function mostAttributes(text: string): number {
  let most = 0;
  for (const tag of text.matchAll(/<[A-Za-z_][^<>]*>/g)) {
    const count = tag[0].match(/=\s*["']/g)?.length ?? 0;
    if (count > most) most = count;
  }
  return most;
}

/**
 * The index after the section from `open` at `from` to its `close`, or -1 when it is never closed.
 * Sections are found with indexOf, never with a lazy pattern that would scan to the end again for
 * each opening left unclosed (time quadratic in the text).
 */
function sectionEnd(text: string, from: number, open: string, close: string): number {
  const end = text.indexOf(close, from + open.length);
  return end < 0 ? -1 : end + close.length;
}

/** Whether the text has an element outside its processing instructions (`<?xml ...?>`). */
function hasElement(text: string): boolean {
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
    if (text.startsWith('<?', at)) {
      const end = sectionEnd(text, at, '<?', '?>');
      if (end < 0) return false;
      at = end - 1;
    } else if (/[A-Za-z_]/.test(text[at + 1] ?? '')) return true;
  }
  return false;
}

/** Escapes `&` that starts no entity reference, outside CDATA sections (where `&` is plain text). */
function escapeStrayAmpersands(text: string): string {
  const stray = /&(?!(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9._-]*);)/g;
  const parts: string[] = [];
  let at = 0;
  for (let open = text.indexOf('<![CDATA['); open >= 0; open = text.indexOf('<![CDATA[', at)) {
    const end = sectionEnd(text, open, '<![CDATA[', ']]>');
    if (end < 0) break;
    parts.push(text.slice(at, open).replace(stray, '&amp;'), text.slice(open, end));
    at = end;
  }
  parts.push(text.slice(at).replace(stray, '&amp;'));
  return parts.join('');
}

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The children of a node under one name, as a list whatever their count. */
export function children(node: XmlValue | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? { '#text': v } : Array.isArray(v) ? {} : v));
}

export function child(node: XmlValue | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** The text of an element: its own text, or for LOM strings the first `<string>` / `<langstring>`. */
export function text(node: XmlValue | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node.trim() || undefined;
  if (Array.isArray(node)) return text(node[0]);
  const own = node['#text'];
  if (typeof own === 'string' && own.trim() !== '') return own.trim();
  return text(node.string ?? node.langstring);
}
