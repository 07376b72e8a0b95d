import { str, type DataValue } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import type { Block, Question } from '../../result/extraction-result.js';

/** A block of text with its images, as content types produce them, and the questions they ask. */
export interface Sink {
  blocks: Block[];
  questions: Question[];
  /** Blocks added by the last element that produced text (the prompt of a text area below it). */
  lastText: Block[];
  passingScore: number | null;
}

export const newSink = (): Sink => ({ blocks: [], questions: [], lastText: [], passingScore: null });

/** The text of a param field that holds HTML or plain text. */
export const toText = (value: DataValue | undefined): string => {
  const raw = str(value);
  return raw.trim() ? htmlToText(raw) : '';
};
