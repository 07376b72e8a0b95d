import type { Choice, Question, QuestionType } from '../result/extraction-result.js';
import { htmlToText } from '../content/html.js';

export interface QuestionInput {
  id: string;
  type: QuestionType;
  /** HTML or plain text; tags and entities are removed. */
  prompt: string;
  source: string;
  /** A choice without text is left out, unless it is a picture: it is then named by its place ('Image 2'). */
  choices?: { id?: string; text: string; correct?: boolean | null; feedback?: string | null; picture?: boolean }[];
  /** Accepted answers when they are not choices (fill-in), or to override the derived list. */
  correctAnswers?: string[];
  matches?: { source: string; target: string }[];
  feedback?: { correct?: string | null; incorrect?: string | null };
  points?: number | null;
}

const clean = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  return htmlToText(value) || null;
};

/** A picture without words, as a learner tells it apart from the others: by its place. */
export const pictureByPlace = (index: number): string => `Image ${index + 1}`;

/** A normalised question: texts cleaned of markup, correct answers derived from flagged choices. */
export function makeQuestion(input: QuestionInput): Question {
  const choices: Choice[] = (input.choices ?? [])
    .map((choice, index) => ({
      id: choice.id ?? String(index + 1),
      text: clean(choice.text) ?? (choice.picture === true ? pictureByPlace(index) : ''),
      correct: choice.correct ?? null,
      feedback: clean(choice.feedback),
    }))
    .filter((choice) => choice.text !== '');
  return {
    id: input.id,
    type: input.type,
    prompt: clean(input.prompt) ?? '',
    choices,
    correct_answers: input.correctAnswers?.map((a) => clean(a) ?? '').filter(Boolean) ?? choices.filter((c) => c.correct).map((c) => c.text),
    matches: (input.matches ?? []).map((m) => ({ source: clean(m.source) ?? '', target: clean(m.target) ?? '' })),
    feedback: { correct: clean(input.feedback?.correct), incorrect: clean(input.feedback?.incorrect) },
    points: input.points ?? null,
    source: input.source,
  };
}
