import type { ChildNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import type { DataObject, DataValue } from '../../content/data-values.js';
import { argumentsAt, callArguments } from '../../content/js-literals.js';

/*
 * Storyline 1 and 2 HTML5 output (`mobile/data.js`, `mobile/slides/<id>.js`). Each file is one call,
 * `CreateData("<bwContent …>")` or `SlideXMLData("<id>", "<slide …>")`, whose argument is the
 * story's XML, usually hidden by the classic `eval(function(p,a,c,k,e,d){…}('…',62,N,'w1|w2'.split('|'),0,{}))`
 * packer. The packer is undone as the pure token substitution it is, and the XML is read into the
 * shape Storyline 360 writes as JSON (`kind`, `slideLayers`, `textLib`, `vectorData.altText`…), so
 * one reader serves every version. Nothing is executed.
 */

/** The packer's call: `}('<payload>',62,N,'<words>'.split('|'),0,{})`. */
const PACKED = /\}\s*\(\s*(?=['"])/;
const MAX_WORDS = 1_000_000;

/** A packer word's number: digits 0-9, a-z, then A-Z (`String.fromCharCode(c + 29)`), base `radix`. */
function tokenIndex(word: string, radix: number): number {
  let value = 0;
  for (const char of word) {
    const code = char.charCodeAt(0);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 122 ? code - 87 : code >= 65 && code <= 90 ? code - 29 : -1;
    if (digit < 0 || digit >= radix) return -1;
    value = value * radix + digit;
    if (value > MAX_WORDS) return -1;
  }
  // The packer writes no leading zeros: "01" is not the word for 1.
  return word.length > 1 && word[0] === '0' ? -1 : value;
}

/**
 * The script a packed script stands for, its words put back in one pass; the source itself when it
 * is not packed. Words the packer left empty stand for themselves, as in the packer.
 */
export function unpack(source: string): string {
  const call = PACKED.exec(source);
  if (!call || !/eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)/.test(source.slice(0, call.index))) return source;
  const [payload, radix, count, words] = argumentsAt(source, call.index + call[0].length) ?? [];
  if (typeof payload !== 'string' || typeof radix !== 'number' || typeof count !== 'number' || !Array.isArray(words)) return source;
  if (radix < 2 || radix > 62) return source;
  const known = Math.min(count, MAX_WORDS, words.length);
  return payload.replace(/\b\w+\b/g, (word) => {
    const index = tokenIndex(word, radix);
    const replacement = index >= 0 && index < known ? words[index] : undefined;
    return typeof replacement === 'string' && replacement !== '' ? replacement : word;
  });
}

/** Elements whose children form a list in Storyline's JSON (`objects: [...]`). */
const LISTS = new Set([
  'objects', 'slidelayers', 'textlib', 'imagelib', 'audiolib', 'interactions', 'choices', 'statements', 'answers',
  'actions', 'then_actions', 'else_actions', 'scenes', 'slides', 'slidedraws', 'quizzes', 'sliderefs',
]);

/** Names Storyline 360 writes in camel case; the older XML has them in lower case. */
const NAMES: Record<string, string> = {
  acctype: 'accType', xpos: 'xPos', ypos: 'yPos', alttext: 'altText', lmsid: 'lmsId', passpercent: 'passPercent',
  textlib: 'textLib', vectordata: 'vectorData', slidelayers: 'slideLayers', objref: 'objRef', slidebank: 'slideBank',
  then_actions: 'thenActions', else_actions: 'elseActions',
};
const NUMBERS = new Set(['width', 'height', 'xpos', 'ypos', 'points', 'maxpoints', 'passpercent', 'duration']);

const elements = (nodes: ChildNode[]): Element[] => nodes.filter((n): n is Element => n.type === 'tag');

function textOf(node: Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.data : '')).join('');
}

function attributeValue(name: string, value: string): DataValue {
  if (value === 'true' || value === 'false') return value === 'true';
  if (NUMBERS.has(name) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** An element as Storyline's JSON has it: `kind`, its attributes, lists and single children by name. */
function toData(element: Element, depth: number): DataObject {
  const data: DataObject = { kind: element.name };
  for (const [name, value] of Object.entries(element.attribs)) data[NAMES[name] ?? name] = attributeValue(name, value);
  if (depth > 64) return data;
  for (const child of elements(element.children)) {
    const key = NAMES[child.name] ?? child.name;
    if (key in data) continue;
    const inner = elements(child.children);
    if (LISTS.has(child.name)) data[key] = inner.map((e) => toData(e, depth + 1));
    // An answer's conditions: `<evaluate><equals choiceid=…/></evaluate>`.
    else if (child.name === 'evaluate') data[key] = { statements: inner.map((e) => toData(e, depth + 1)) };
    else if (inner.length === 0 && Object.keys(child.attribs).length === 0) data[key] = textOf(child);
    else data[key] = toData(child, depth + 1);
  }
  return data;
}

/** The root element of the XML a data call carries, read as data. */
function xmlData(xml: string): DataObject | undefined {
  const root = elements(parseDocument(xml, { xmlMode: true, decodeEntities: true }).children)[0];
  return root ? toData(root, 0) : undefined;
}

/**
 * The story (`CreateData`) or a slide (`SlideXMLData`) of an older Storyline data file, in the
 * JSON shape of Storyline 360. A slide's own objects become its base layer. Undefined when the
 * file holds no such call.
 */
export function readLegacyData(source: string, kind: 'data' | 'slide'): DataObject | undefined {
  const code = unpack(source);
  const args = callArguments(code, kind === 'data' ? 'CreateData' : 'SlideXMLData').at(0);
  const xml = args?.findLast((a) => typeof a === 'string' && a.trimStart().startsWith('<'));
  const data = typeof xml === 'string' ? xmlData(xml) : undefined;
  if (!data || kind === 'data') return data;
  const base: DataObject = { kind: 'slidelayer', isBaseLayer: true, objects: data.objects ?? [], audiolib: data.audiolib ?? [] };
  return { ...data, slideLayers: [base, ...(Array.isArray(data.slideLayers) ? data.slideLayers : [])] };
}
