import { num, objects, str, type DataObject } from '../../content/data-values.js';
import type { QuestionType } from '../../result/extraction-result.js';
import type { QuestionInput } from '../question.js';

/** How each Easygenerator question type is reported. */
const TYPES: Record<string, QuestionType> = {
  singleSelectText: 'choice',
  singleSelectImage: 'choice',
  multipleChoiceImage: 'choice',
  multipleSelect: 'multiple_response',
  statement: 'true_false',
  textMatching: 'matching',
  dragAndDropText: 'drag_drop',
  fillInTheBlank: 'fill_in',
  rankingText: 'sequencing',
  hotspot: 'hotspot',
  openQuestion: 'essay',
};

interface Shown {
  prompt: string;
  correctFeedback: string | null;
  incorrectFeedback: string | null;
  source: string;
  /** The words the player shows on a statement's buttons, in the course's language. */
  trueFalse: { true: string; false: string };
}

/** An answer as the learner tells it apart: its text, else an image's description. */
const answerText = (answer: DataObject): string => str(answer.text) || str(answer.altText).trim();

/** Top to bottom, then left to right. */
const byPlace = (a: DataObject, b: DataObject): number => (num(a.y) ?? 0) - (num(b.y) ?? 0) || (num(a.x) ?? 0) - (num(b.x) ?? 0);

/**
 * A question of the course data as the learner meets it. Choice answers carry `isCorrect`, or the
 * question names its `correctAnswerId`; a statement's `isCorrect` says whether it is true;
 * image answers are told apart by their description or place. Matching answers are `key`/`value`
 * pairs; ranking answers are listed in their correct order; blanks are groups of accepted
 * answers. A drag-and-drop question places each text on a spot (`x`, `y`) of a picture: its
 * answer is the texts in the order of their spots.
 */
export function questionInput(question: DataObject, shown: Shown): QuestionInput {
  const type = TYPES[str(question.type)] ?? 'other';
  const survey = question.isSurvey === true;
  const answers = objects(question.answers);
  const input: QuestionInput = {
    id: str(question.id) || shown.source,
    type,
    prompt: shown.prompt,
    source: shown.source,
    feedback: { correct: shown.correctFeedback, incorrect: shown.incorrectFeedback },
  };
  switch (type) {
    case 'matching':
      input.matches = answers.map((a) => ({ source: str(a.key), target: str(a.value) })).filter((m) => m.source && m.target);
      input.choices = answers.map((a) => ({ id: str(a.id) || undefined, text: str(a.value), correct: null }));
      input.correctAnswers = [];
      break;
    case 'sequencing':
      input.choices = answers.map((a) => ({ id: str(a.id) || undefined, text: str(a.text), correct: null }));
      input.correctAnswers = answers.map((a) => str(a.text)).filter(Boolean);
      break;
    case 'drag_drop': {
      const spots = objects(question.dropspots);
      input.choices = spots.map((spot) => ({ id: str(spot.id) || undefined, text: str(spot.text), correct: null }));
      input.correctAnswers = [...spots].sort(byPlace).map((spot) => str(spot.text)).filter(Boolean);
      break;
    }
    case 'fill_in':
      input.correctAnswers = objects(question.answerGroups).flatMap((group) =>
        objects(group.answers)
          .filter((a) => a.isCorrect === true)
          .map((a) => str(a.text)),
      );
      break;
    case 'true_false':
      // Each statement is judged true or false, with the player's buttons.
      input.choices = answers.map((a) => ({ id: str(a.id) || undefined, text: str(a.text), correct: survey ? null : a.isCorrect === true }));
      input.matches = survey ? [] : answers.map((a) => ({ source: str(a.text), target: a.isCorrect === true ? shown.trueFalse.true : shown.trueFalse.false }));
      break;
    default: {
      const correctId = str(question.correctAnswerId);
      input.choices = answers.map((a) => ({
        id: str(a.id) || undefined,
        text: answerText(a),
        picture: str(a.image) !== '',
        correct: survey ? null : correctId ? str(a.id) === correctId : a.isCorrect === true,
      }));
      if (type === 'choice' && input.choices.filter((c) => c.correct).length > 1) input.type = 'multiple_response';
    }
  }
  return input;
}
