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
  /**
   * `retry` is what a learner is told after a wrong answer while attempts remain ("Try again", a
   * hint); the model keeps it with the feedback when incorrect.
   */
  feedback?: { correct?: string | null; incorrect?: string | null; retry?: string | null };
  points?: number | null;
}

const clean = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  return htmlToText(value) || null;
};

/**
 * The feedback a wrong answer gets: the final one and the one shown while attempts remain, each
 * once (a text that repeats the other in full stands for both).
 */
function incorrectFeedback(incorrect: string | null, retry: string | null): string | null {
  if (!incorrect || !retry || incorrect.includes(retry)) return incorrect ?? retry;
  if (retry.includes(incorrect)) return retry;
  return `${incorrect} ${retry}`;
}

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
    feedback: {
      correct: clean(input.feedback?.correct),
      incorrect: incorrectFeedback(clean(input.feedback?.incorrect), clean(input.feedback?.retry)),
    },
    points: input.points ?? null,
    source: input.source,
  };
}
