import { normalizeSpace } from '../../content/text.js';
import type { QuestionType } from '../../result/extraction-result.js';

/*
 * Values as Lectora writes them in questions: type codes, escaped answer values, and the names it
 * gives new question parts.
 */

/** Lectora's question types (`questType`, and `<type>` in test files). */
export function questionType(code: number, allowMultiple: boolean): QuestionType {
  switch (code) {
    case 1:
      return 'true_false';
    case 2:
      return allowMultiple ? 'multiple_response' : 'choice';
    case 14:
      return 'multiple_response';
    case 3:
    case 4:
      return 'essay';
    case 5:
    case 13:
      return 'fill_in';
    case 6:
      return 'matching';
    case 7:
      return 'drag_drop';
    case 9:
      return 'hotspot';
    case 11:
      return 'sequencing';
    case 16:
      return 'likert';
    default:
      return 'other';
  }
}

const decodeEscapes = (value: string): string => value.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Lectora writes answer values with `\uXXXX` escapes (and commas in a value as `&#44`). */
export const unescapeLectora = (value: string): string => decodeEscapes(value).replace(/&#44;?/g, ',');

/** The values of a list Lectora joins with commas (an order, pairs), a comma inside a value escaped as `&#44`. */
export const listOf = (value: string): string[] =>
  decodeEscapes(value)
    .split(',')
    .map((v) => v.replace(/&#44;?/g, ',').trim())
    .filter(Boolean);

/** The names Lectora gives the parts of a new question, shown until the author replaces them. */
const DEFAULT_PART = /^(question text|question image|(right )?choice( (\d+|one|two|three|four|five|six|seven|eight|nine|ten))?( text| image)?( \(correct answer\))?|rankable item \d+( list)?)$/i;

export const isDefaultPart = (text: string): boolean => DEFAULT_PART.test(normalizeSpace(text));

/**
 * Whether a choice's value is among the correct ones. Several correct values are joined by commas,
 * and a comma inside a value is not always escaped: the value must fill whole list positions.
 */
export function isCorrectValue(value: string, correct: string[]): boolean {
  const key = normalizeSpace(value);
  if (!key) return false;
  return correct.some((c) => {
    const list = normalizeSpace(c);
    return list === key || `,${list.replace(/\s*,\s*/g, ',')},`.includes(`,${key.replace(/\s*,\s*/g, ',')},`);
  });
}
