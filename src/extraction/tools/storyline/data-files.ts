import { asObject, parseJson, type DataObject } from '../../content/data-values.js';
import { parseJsLiteral } from '../../content/js-literals.js';
import type { PackageView } from '../../source/package-view.js';
import { readLegacyData } from './legacy.js';

/** The story: scenes, slide order, quizzes and question interactions. */
export const DATA_FILE = 'html5/data/js/data.js';
/** The story as Storyline 1 and 2 published it for HTML5 (XML in a script). */
export const LEGACY_DATA_FILE = 'mobile/data.js';

/**
 * The JSON a Storyline data file provides: `globalProvideData('slide', '<json>')` (or the
 * object written inline, as hand-edited copies have it). Undefined when the file is not one.
 */
export function readProvidedData(source: string, kind?: string): DataObject | undefined {
  const call = /globalProvideData\(\s*(['"])([\w-]+)\1\s*,\s*/.exec(source);
  if (!call || (kind !== undefined && call[2] !== kind)) return undefined;
  const start = call.index + call[0].length;
  let json: string | undefined;
  if (source[start] === '{') {
    const close = source.lastIndexOf('}');
    if (close > start) json = source.slice(start, close + 1);
  } else {
    const literal = parseJsLiteral(source, start)?.value;
    if (typeof literal === 'string') json = literal;
  }
  return json === undefined ? undefined : asObject(parseJson(json));
}

/** A data file of the given kind, with a warning when it is missing or unreadable. */
export async function readData(view: PackageView, file: string, kind: string): Promise<DataObject | undefined> {
  if (!view.has(file)) {
    view.warn('storyline_data_missing', `${file} is missing: its ${kind} cannot be read.`, file);
    return undefined;
  }
  const text = await view.text(file);
  if (text === undefined) return undefined;
  const data = readProvidedData(text, kind) ?? (kind === 'data' || kind === 'slide' ? readLegacyData(text, kind) : undefined);
  if (!data) view.warn('storyline_data_unreadable', `${file} is not a Storyline ${kind} data file that could be read.`, file);
  return data;
}
