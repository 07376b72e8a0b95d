import { attr, child, children, text, type XmlNode } from '../../manifest/xml.js';
import { normalizeSpace } from '../../content/text.js';

/*
 * TechSmith's metadata for a video its Smart Player plays: XMP (RDF/XML) with TechSmith's
 * namespaces (`tscDM`, `tscIQ` for quizzes, `tscHS` for hotspots). Namespace prefixes are dropped
 * by the XML reader, so `xmpDM:trackType` is `trackType` here. The root description holds the
 * video's title (`dc:title`), the tool (`dc:source="Camtasia,22.2.1,enu"`) and its tracks
 * (`xmpDM:Tracks/rdf:Bag/rdf:li/rdf:Description`), each with `xmpDM:trackType` and its
 * `xmpDM:markers/rdf:Seq/rdf:li/rdf:Description` in time order (`xmpDM:startTime`, in ms):
 * - `TableOfContents`: chapter names in `xmpDM:name` (an attribute);
 * - `Caption`: the caption text in `xmpDM:name/rdf:Alt/rdf:li` as a one-line RTF document
 *   (`{\rtf1 Some words \par more words}`), `xmpDM:duration` its length;
 * - `Quiz`: one marker per question set (`tscIQ:questionSetName`), its questions under
 *   `tscIQ:questions/rdf:Seq/rdf:li/rdf:Description` (`tscIQ:type` MC, FITB or SHORT), the
 *   prompt in `tscIQ:question`, the answers in `tscIQ:answerArray/…/tscIQ:answer`, the correct
 *   one of a multiple-choice question as its bit in `tscIQ:correctAnswer` (1 = the first, 4 =
 *   the third; 0 for a question nobody grades), and feedback in
 *   `tscIQ:feedback/rdf:Bag/rdf:li/rdf:Description[tscIQ:reason=correct|incorrect]/xmpDM:name`.
 * - `Hotspot`: clickable areas, with no text.
 */

export interface XmpMarker {
  node: XmlNode;
  /** Start in seconds. */
  start: number;
}

export interface XmpTrack {
  type: string;
  node: XmlNode;
  markers: XmpMarker[];
}

/** The root `rdf:Description` of a parsed XMP document. */
export const rootDescription = (document: XmlNode): XmlNode | undefined => child(child(child(document, 'xmpmeta'), 'RDF'), 'Description');

/** The `rdf:li` values of a container element (`rdf:Seq`, `rdf:Bag` or `rdf:Alt`) under `node`. */
export function listItems(node: XmlNode | undefined): XmlNode[] {
  for (const container of ['Seq', 'Bag', 'Alt']) {
    const items = children(child(node, container), 'li');
    if (items.length > 0) return items;
  }
  return [];
}

const seconds = (node: XmlNode, name: string): number => {
  const value = Number(attr(node, name));
  return Number.isFinite(value) && value >= 0 ? value / 1000 : 0;
};

export function tracksOf(description: XmlNode): XmpTrack[] {
  return listItems(child(description, 'Tracks')).flatMap((item) =>
    children(item, 'Description').map((track) => ({
      type: attr(track, 'trackType') ?? '',
      node: track,
      markers: listItems(child(track, 'markers'))
        .flatMap((marker) => children(marker, 'Description'))
        .map((node) => ({ node, start: seconds(node, 'startTime') })),
    })),
  );
}

/** The text of an `rdf:Alt` (language alternatives) under `node`: its first non-empty one. */
export function altText(node: XmlNode | undefined): string {
  for (const item of listItems(node)) {
    const value = text(item);
    if (value) return value;
  }
  return '';
}

/** The language of the first `rdf:li` of an `rdf:Alt`/`rdf:Bag` under `node` (`xml:lang`). */
export const altLanguage = (node: XmlNode | undefined): string | null => attr(listItems(node)[0], 'lang') ?? null;

/**
 * The words of a caption: the plain text of the small RTF document TechSmith stores (`\par` and
 * `\line` break lines; `\'e9` and `\u233?` are characters; other control words are formatting).
 * Text without an RTF header is returned as it is.
 */
export function rtfText(value: string): string {
  if (!/^\s*\{\\rtf/.test(value)) return normalizeSpace(value);
  let out = '';
  let skipFallback = false;
  const pattern = /\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([\\{}])|\\\*|([{}])|([^\\{}]+)|\\/g;
  for (const match of value.matchAll(pattern)) {
    const [, word, number, hex, escaped, brace, plain] = match;
    if (word !== undefined) {
      if (word === 'par' || word === 'line' || word === 'tab') out += ' ';
      else if (word === 'u' && number !== undefined) {
        const code = Number(number) < 0 ? Number(number) + 65536 : Number(number);
        out += String.fromCharCode(code);
        skipFallback = true;
        continue;
      }
    } else if (hex !== undefined) {
      if (!skipFallback) out += String.fromCharCode(parseInt(hex, 16));
    } else if (escaped !== undefined) out += escaped;
    else if (plain !== undefined) out += skipFallback ? plain.replace(/^\?/, '') : plain;
    else if (brace !== undefined) {
      // Braces only group; their content stays.
    }
    skipFallback = false;
  }
  return normalizeSpace(out);
}
