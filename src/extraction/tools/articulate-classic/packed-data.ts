import { callArguments, parseJsLiteral } from '../../content/js-literals.js';
import { parseXmlOrdered, type OrderedElement } from '../../manifest/xml.js';
import type { PackageView } from '../../source/package-view.js';

/*
 * The classic HTML5 player (Storyline 1 and 2, Articulate Studio '13) keeps its data as XML inside
 * script calls, `CreateData("<bwContent …>")` for the story and `SlideXMLData("id", "<slide …>")`
 * per slide, shipped through a JavaScript packer:
 * `eval(function(p,a,c,k,e,d){…}('<payload>', 62, 1234, 'word|word|…'.split('|'), 0, {}))`.
 * Each word of the payload is a number in base `a` naming a word of the list; unpacking is that
 * substitution, and nothing is run.
 */

const MAX_WORD_LENGTH = 8;

/** The base-`radix` numeral the packer writes for `n`: digits, then a-z, then A-Z. */
function numeral(n: number, radix: number): string {
  const digit = (d: number) => (d > 35 ? String.fromCharCode(d + 29) : d.toString(36));
  let text = digit(n % radix);
  for (let rest = Math.floor(n / radix); rest > 0; rest = Math.floor(rest / radix)) text = digit(rest % radix) + text;
  return text;
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 29;
  return 99;
}

/** The index a packed word stands for, or -1 when it is a word of its own. */
function wordIndex(word: string, radix: number): number {
  if (word.length > MAX_WORD_LENGTH) return -1;
  let n = 0;
  for (let i = 0; i < word.length; i++) {
    const d = digitValue(word.charCodeAt(i));
    if (d >= radix) return -1;
    n = n * radix + d;
  }
  // Only the packer's own spelling of a number stands for a word ("01" is not 1).
  return numeral(n, radix) === word ? n : -1;
}

/** The source a packed script stands for; the script itself when it is not packed. */
export function unpack(script: string): string {
  const head = /eval\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)[\s\S]{0,2000}?return\s+p;?\s*\}\s*\(/.exec(script.slice(0, 4000));
  if (!head) return script;
  const payload = parseJsLiteral(script, head.index + head[0].length);
  if (!payload || typeof payload.value !== 'string') return script;
  const counts = /\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*/y;
  counts.lastIndex = payload.end;
  const numbers = counts.exec(script);
  const radix = Number(numbers?.[1]);
  if (!numbers || radix < 2 || radix > 62) return script;
  const list = parseJsLiteral(script, counts.lastIndex);
  if (!list || typeof list.value !== 'string') return script;
  const words = list.value.split('|');
  return payload.value.replace(/\b\w+\b/g, (word) => {
    const index = wordIndex(word, radix);
    return index >= 0 && index < words.length && words[index] ? words[index] : word;
  });
}

/** The XML root of a player data file: the string argument of `call` that holds an element. */
export function dataXml(view: PackageView, script: string, call: string, file: string): OrderedElement | undefined {
  const source = unpack(script);
  const xml = callArguments(source, call)
    .flat()
    .find((arg): arg is string => typeof arg === 'string' && arg.trimStart().startsWith('<'));
  if (xml === undefined) return undefined;
  try {
    return parseXmlOrdered(Buffer.from(xml), file, view.warnings).find((element) => element.name !== '#comment');
  } catch {
    return undefined;
  }
}

/** A player data file read as its XML root, with a warning when it cannot be. */
export async function readDataFile(view: PackageView, file: string, call: string): Promise<OrderedElement | undefined> {
  if (!view.has(file)) {
    view.warn('articulate_data_missing', `${file} is missing: its content cannot be read.`, file);
    return undefined;
  }
  const script = await view.text(file);
  const root = script === undefined ? undefined : dataXml(view, script, call, file);
  if (!root) view.warn('articulate_data_unreadable', `${file} is not a player data file that could be read.`, file);
  return root;
}
