import { obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import type { Block, Question } from '../../result/extraction-result.js';

/** A block of text with its images, as content types produce them, and the questions they ask. */
export interface Sink {
  blocks: Block[];
  questions: Question[];
  /** Blocks added by the last element that produced text (the prompt of a text area below it). */
  lastText: Block[];
  passingScore: number | null;
  /** How many of its questions one attempt draws, when fewer than all (a question pool). */
  drawn: number | null;
}

export const newSink = (): Sink => ({ blocks: [], questions: [], lastText: [], passingScore: null, drawn: null });

/** The text of a param field that holds HTML or plain text. */
export const toText = (value: DataValue | undefined): string => {
  const raw = str(value);
  return raw.trim() ? htmlToText(raw) : '';
};

/** Texts H5P fills in at run time: `@score`, `:num`, `%current`. */
export const TEMPLATED = /(^|\s)[@%]\w+|:num\b|:total\b/;

/**
 * A title the learner may be shown: not the editor's placeholder ("Untitled Text", "Unbenannt:
 * Text", "Sin título Imagen": a word or two before the content type's name), not a web address
 * or a file name.
 */
export function authoredTitle(value: DataValue | undefined, metadata?: DataObject): string {
  const text = toText(value);
  if (!text || /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text) || /^[^\s]+\.(h5p|html?|json|zip|mp4|png|jpe?g)$/i.test(text)) return '';
  const type = toText(obj(metadata).contentType);
  if (type && text.toLowerCase().endsWith(type.toLowerCase()) && text.length - type.length <= 14) return '';
  return /^untitled\b/i.test(text) ? '' : text;
}
