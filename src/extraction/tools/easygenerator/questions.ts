import { objects, str, type DataObject } from '../../content/data-values.js';
import type { QuestionType } from '../../result/extraction-result.js';
import type { QuestionInput } from '../question.js';

/** How each Easygenerator question type is reported. */
const TYPES: Record<string, QuestionType> = {
  singleSelectText: 'choice',
  singleSelectImage: 'choice',
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
}

/**
 * A question of the course data as the learner meets it. Choice answers carry `isCorrect`
 * (for statements: whether the statement is true); matching answers are `key`/`value` pairs;
 * ranking answers are listed in their correct order; blanks are groups of accepted answers.
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
    case 'drag_drop':
      input.choices = objects(question.dropspots).map((spot) => ({ id: str(spot.id) || undefined, text: str(spot.text), correct: null }));
      input.correctAnswers = [];
      break;
    case 'fill_in':
      input.correctAnswers = objects(question.answerGroups).flatMap((group) =>
        objects(group.answers)
          .filter((a) => a.isCorrect === true)
          .map((a) => str(a.text)),
      );
      break;
    default: {
      const correctId = str(question.correctAnswerId);
      input.choices = answers.map((a) => ({
        id: str(a.id) || undefined,
        text: str(a.text),
        correct: survey ? null : correctId ? str(a.id) === correctId : a.isCorrect === true,
      }));
    }
  }
  return input;
}
