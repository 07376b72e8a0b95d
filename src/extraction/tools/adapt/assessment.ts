import { asArray, isObject, num, obj, str, type DataObject } from '../../content/data-values.js';
import { htmlToBlocks } from '../../content/html.js';
import type { Block } from '../../result/extraction-result.js';

// An assessment article draws its question blocks from banks or at random; its results component
// shows the feedback band the score reaches.

/** A question block of an assessment article: its quiz bank, and how many questions it holds. */
export interface QuestionBlock {
  bank: number | null;
  questions: number;
}

/**
 * How many questions an attempt asks when it draws fewer blocks than the article holds:
 * `_banks._split` ("2,1": two blocks from bank 1, one from bank 2) or `_randomisation._blockCount`.
 * Known when every block holds as many questions; null when all are asked or it is not known.
 */
export function questionsPerAttempt(settings: DataObject, blocks: QuestionBlock[]): number | null {
  const banks = obj(settings._banks);
  const random = obj(settings._randomisation);
  let drawn: number | null = null;
  if (banks._isEnabled === true) {
    const split = str(banks._split).split(',').map((part) => Number(part.trim()));
    if (split.every((n) => Number.isInteger(n) && n >= 0)) {
      drawn = split.reduce((sum, n, index) => sum + Math.min(n, blocks.filter((b) => b.bank === index + 1).length), 0);
    }
  } else if (random._isEnabled === true) {
    const count = num(random._blockCount);
    if (count !== null && count > 0) drawn = Math.min(count, blocks.length);
  }
  if (drawn === null || drawn === 0 || drawn >= blocks.length) return null;
  const perBlock = blocks[0]!.questions;
  return blocks.every((b) => b.questions === perBlock) ? drawn * perBlock : null;
}

const SCORE = '\uFFFC';

/**
 * Blocks of a results text without the sentences the player fills with the score ("You scored
 * {{{score}}} out of {{{maxScore}}}."): those are not text of the course's own.
 */
function withoutScores(value: unknown): Block[] {
  const raw = str(value);
  if (!raw.trim()) return [];
  const blocks: Block[] = [];
  for (const block of htmlToBlocks(raw.replace(/\{\{\{?[^{}]*\}?\}\}/g, SCORE)).blocks) {
    if (block.type === 'paragraph' || block.type === 'heading' || block.type === 'quote') {
      const text = sentencesWithoutScores(block.text);
      if (text) blocks.push({ ...block, text });
    } else if (block.type === 'list') {
      const items = block.items.map(sentencesWithoutScores).filter(Boolean);
      if (items.length > 0) blocks.push({ ...block, items });
    } else if (block.type === 'image') {
      blocks.push(block);
    }
  }
  return blocks;
}

const sentencesWithoutScores = (text: string): string =>
  text
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !sentence.includes(SCORE))
    .join(' ')
    .trim();

/** A results component: its text, then the feedback of each score band, lowest band first. */
export function resultsBlocks(data: DataObject): Block[] {
  const bands = asArray(data._bands)
    .filter(isObject)
    .sort((a, b) => (num(a._score) ?? 0) - (num(b._score) ?? 0));
  return [data.body, data._completionBody, ...bands.map((band) => band.feedback)].flatMap(withoutScores);
}
