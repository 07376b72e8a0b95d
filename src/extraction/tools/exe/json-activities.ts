import { asArray, obj, objects, parseJson, scalarText, str, type DataObject } from '../../content/data-values.js';
import { elementsOf, replaceElements } from '../../content/html.js';
import type { QuestionInput } from '../question.js';
import { all, type Element } from './dom.js';

/*
 * eXe 3 activity iDevices keep their questions as JSON in `data-idevice-json-data`, drawn by a
 * script when the page opens (the page itself shows only the instructions):
 * - form (`questionsData`): `selection` questions (`answers` as `[isCorrect, text]` pairs, or objects
 *   keyed "0" and "1", single or multiple), `true-false` (`answer` "1" when the statement is true), `fill` and `dropdown` (the
 *   answer of each blank underlined in the text, `<u>word</u>`; a dropdown's wrong words in
 *   `wrongAnswersValue`, `|`-separated); `feedbackRight` / `feedbackWrong`.
 * - trueorfalse (`questionsGame`): a statement, `solution` 1 when it is true, `feedback`.
 * The labels of true and false are the iDevice's own (`msgs.msgTrue` / `msgFalse`).
 * (Games keep their data elsewhere: games.ts.)
 */

const MAX_JSON_CHARS = 4 * 1024 * 1024;

type Activity = Omit<QuestionInput, 'source'>;

function trueFalse(id: string, prompt: string, isTrue: boolean | null, data: DataObject, feedback?: Activity['feedback']): Activity {
  const msgs = obj(data.msgs);
  return {
    id,
    type: 'true_false',
    prompt,
    choices: [
      { id: 'true', text: str(msgs.msgTrue) || 'True', correct: isTrue },
      { id: 'false', text: str(msgs.msgFalse) || 'False', correct: isTrue === null ? null : !isTrue },
    ],
    feedback,
  };
}

function formQuestion(question: DataObject, id: string, data: DataObject): Activity | null {
  const text = str(question.baseText);
  const right = str(question.feedbackRight);
  const wrong = str(question.feedbackWrong);
  const feedback = right || wrong ? { correct: right || null, incorrect: wrong || null } : undefined;
  switch (str(question.activityType)) {
    case 'selection':
      return {
        id,
        type: str(question.selectionType) === 'multiple' ? 'multiple_response' : 'choice',
        prompt: text,
        choices: asArray(question.answers).map((pair, i) => {
          const [correct, label] = Array.isArray(pair) ? pair : [obj(pair)['0'], obj(pair)['1']];
          return { id: String(i + 1), text: scalarText(label), correct: typeof correct === 'boolean' ? correct : null };
        }),
        feedback,
      };
    case 'true-false': {
      const answer = scalarText(question.answer);
      return trueFalse(id, text, answer === '1' ? true : answer === '0' ? false : null, data, feedback);
    }
    case 'fill':
    case 'dropdown': {
      const blanks = elementsOf(text, 'u', (attributes) => attributes === '');
      const answers = blanks.map((blank) => blank.body);
      const others = str(question.wrongAnswersValue).split('|').filter((w) => w.trim());
      const options = str(question.activityType) === 'dropdown' ? [...answers, ...others] : [];
      return {
        id,
        type: options.length > 0 ? 'choice' : 'fill_in',
        prompt: replaceElements(text, blanks, ' ____ '),
        choices: options.map((option, i) => ({ id: String(i + 1), text: option, correct: i < answers.length })),
        correctAnswers: answers,
        feedback,
      };
    }
    default:
      return null;
  }
}

/** The questions of the JSON activity iDevices inside an iDevice or box. */
export function jsonActivityQuestions(idevice: Element): Activity[] {
  const questions: Activity[] = [];
  const nodes = all(idevice, (e) => /^(form|trueorfalse)$/.test(e.attribs['data-idevice-type'] ?? '') && !!e.attribs['data-idevice-json-data']);
  for (const node of nodes) {
    const json = node.attribs['data-idevice-json-data'] ?? '';
    if (json.length > MAX_JSON_CHARS) continue;
    const data = obj(parseJson(json));
    const key = str(data.id) || str(data.ideviceId) || (node.attribs.id ?? '');
    if (node.attribs['data-idevice-type'] === 'form') {
      for (const [i, question] of objects(data.questionsData).entries()) {
        const activity = formQuestion(question, `${key}-${i + 1}`, data);
        if (activity) questions.push(activity);
      }
    } else {
      for (const [i, question] of objects(data.questionsGame).entries()) {
        const solution = scalarText(question.solution);
        const feedback = str(question.feedback);
        const isTrue = solution === '1' ? true : solution === '0' ? false : null;
        questions.push(trueFalse(`${key}-${i + 1}`, str(question.question), isTrue, data, feedback ? { correct: feedback, incorrect: feedback } : undefined));
      }
    }
  }
  return questions;
}
