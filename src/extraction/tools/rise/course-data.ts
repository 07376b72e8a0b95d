import zlib from 'node:zlib';
import { obj, parseJson, scalarText, type DataObject } from '../../content/data-values.js';
import type { PackageView } from '../../source/package-view.js';

/** Decompressed course data larger than this is refused (a zip bomb, not a course). */
const MAX_COURSE_BYTES = 128 * 1024 * 1024;

/** Articulate's lzwCompress (for data written `{ d: [...] }`): LZW codes, then short keys. */
function lzwUnpack(codes: unknown[]): unknown {
  if (codes.length === 0 || !codes.every((c) => typeof c === 'number')) return undefined;
  const dictionary: string[] = [];
  for (let i = 0; i < 256; i++) dictionary[i] = String.fromCharCode(i);
  let w = String.fromCharCode(codes[0] as number);
  let result = w;
  for (let i = 1; i < codes.length; i++) {
    const k = codes[i] as number;
    const entry = dictionary[k] ?? (k === dictionary.length ? w + w.charAt(0) : undefined);
    if (entry === undefined) return undefined;
    result += entry;
    dictionary.push(w + entry.charAt(0));
    w = entry;
    if (result.length > MAX_COURSE_BYTES) return undefined;
  }
  const parsed = parseJson(result);
  const packed = obj(parsed);
  if (!Array.isArray(packed.__k)) return parsed;
  const keys = packed.__k.map(scalarText);
  const decode = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(decode);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [keys[Number(key)] ?? key, decode(value)]));
  };
  return decode(packed.__v);
}

/** The course object of a decoded payload, wherever the export put it. */
function courseOf(data: unknown, depth = 0): DataObject | undefined {
  if (depth > 3) return undefined;
  if (typeof data === 'string') return courseOf(parseJson(data), depth + 1);
  const o = obj(data);
  if (Array.isArray(o.d)) return courseOf(lzwUnpack(o.d), depth + 1);
  if (Array.isArray(obj(o.course).lessons)) return obj(o.course);
  if (Array.isArray(o.lessons)) return o;
  return undefined;
}

/** A base64 payload as the course it carries: plain JSON, or deflated/gzipped/brotli JSON. */
export function decodeCoursePayload(base64: string): { course: DataObject; data: DataObject } | undefined {
  const bytes = Buffer.from(base64, 'base64');
  const candidates: (() => Buffer)[] = [
    () => bytes,
    () => zlib.inflateSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
    () => zlib.inflateRawSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
    () => zlib.gunzipSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
    () => zlib.brotliDecompressSync(bytes, { maxOutputLength: MAX_COURSE_BYTES }),
  ];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = candidate().toString('utf8').replace(/^\ufeff/, '');
    } catch {
      continue;
    }
    if (!/^\s*[[{"]/.test(text)) continue;
    const data = parseJson(text);
    const course = courseOf(data);
    if (course) return { course, data: obj(data) };
  }
  return undefined;
}

/** A-Z a-z 0-9 + / _ - : both base64 alphabets. */
function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) ||
    code === 43 || code === 47 || code === 95 || code === 45
  );
}
const MIN_PAYLOAD_CHARS = 100;

/**
 * Quoted string literals of at least 100 base64 characters (with up to two `=` of padding), found
 * in one pass: a backtracking regular expression overflows the stack on literals of megabytes.
 */
export function base64Literals(text: string): string[] {
  const literals: string[] = [];
  let i = 0;
  while (i < text.length) {
    const quote = text[i];
    i++;
    if (quote !== '"' && quote !== "'" && quote !== '`') continue;
    const start = i;
    while (i < text.length && isBase64Char(text.charCodeAt(i))) i++;
    const end = i;
    while (i < text.length && i - end < 2 && text[i] === '=') i++;
    if (text[i] !== quote) continue;
    if (end - start >= MIN_PAYLOAD_CHARS) literals.push(text.slice(start, i));
    i++;
  }
  return literals;
}

/** Files that may hold the course data, most specific first. */
function dataFiles(view: PackageView, root: string): string[] {
  const files = view.files().filter((f) => f.startsWith(root));
  const rel = (f: string) => f.slice(root.length);
  const locales = files
    .filter((f) => /^(lib\/)?locales\/[^/]+\.js$/.test(rel(f)))
    .sort((a, b) => Number(!/\/und\.js$/.test(a)) - Number(!/\/und\.js$/.test(b)) || a.localeCompare(b));
  const runtime = files.filter((f) => /(^|\/)runtime-data\.js$/.test(rel(f)) && !rel(f).startsWith('assets/'));
  return [...locales, ...runtime, `${root}index.html`].filter((f) => view.has(f));
}

/** The course data of the export, from the first file that holds a decodable payload. */
export async function loadCourse(view: PackageView, root: string): Promise<{ course: DataObject; data: DataObject; file: string } | undefined> {
  for (const file of dataFiles(view, root)) {
    const text = await view.text(file);
    if (text === undefined) continue;
    for (const literal of base64Literals(text).sort((a, b) => b.length - a.length)) {
      const decoded = decodeCoursePayload(literal);
      if (decoded) return { ...decoded, file };
    }
  }
  return undefined;
}
