import type { LanguageString } from '../result/extraction-result.js';
import { attr, child, children, type XmlNode, type XmlValue } from './xml.js';

/** What a learning object's LOM metadata says about it. */
export interface LomFacts {
  titles: LanguageString[];
  description: string | null;
  keywords: string[];
  language: string | null;
  typicalLearningTime: string | null;
}

export const emptyLom: LomFacts = { titles: [], description: null, keywords: [], language: null, typicalLearningTime: null };

/**
 * The language strings of a LOM element: IEEE LOM (`<string language="en">`, SCORM 2004) or
 * IMS MD 1.2 (`<langstring xml:lang="en">`, SCORM 1.2), or plain text.
 */
function languageStrings(node: XmlValue | undefined): LanguageString[] {
  if (node === undefined) return [];
  if (typeof node === 'string') return node.trim() ? [{ language: null, value: node.trim() }] : [];
  if (Array.isArray(node)) return node.flatMap(languageStrings);
  const strings = [...children(node, 'string'), ...children(node, 'langstring')];
  if (strings.length === 0) {
    const own = node['#text'];
    return typeof own === 'string' && own.trim() ? [{ language: null, value: own.trim() }] : [];
  }
  return strings
    .map((s) => ({
      language: attr(s, 'language') ?? attr(s, 'lang') ?? null,
      value: typeof s['#text'] === 'string' ? s['#text'].trim() : '',
    }))
    .filter((s) => s.value !== '');
}

/** Reads a `<lom>` (or IMS MD `<record>`) element. */
export function readLom(lom: XmlNode | undefined): LomFacts {
  if (!lom) return emptyLom;
  const general = child(lom, 'general');
  const educational = child(lom, 'educational');
  const learningTime = child(educational, 'typicalLearningTime') ?? child(educational, 'typicallearningtime');
  const duration = child(learningTime, 'duration') ?? child(learningTime, 'datetime');
  const first = (strings: LanguageString[]) => strings[0]?.value ?? null;
  return {
    titles: languageStrings(child(general, 'title')),
    description: first(children(general, 'description').flatMap(languageStrings)),
    keywords: children(general, 'keyword').flatMap(languageStrings).map((k) => k.value),
    language: languageStrings(child(general, 'language'))[0]?.value ?? null,
    typicalLearningTime: first(languageStrings(duration)),
  };
}

/** The LOM element of a `<metadata>` block: `<lom>` or IMS MD's `<record>`. */
export function lomElement(metadata: XmlNode | undefined): XmlNode | undefined {
  return child(metadata, 'lom') ?? child(metadata, 'record');
}
