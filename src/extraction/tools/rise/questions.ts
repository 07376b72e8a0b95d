import { num, objects, scalarText, type DataObject } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import type { Block, Question, QuestionType } from '../../result/extraction-result.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import type { RiseReader } from './reader.js';

const QUESTION_TYPES: Record<string, QuestionType> = {
  MULTIPLE_CHOICE: 'choice',
  MULTIPLE_RESPONSE: 'multiple_response',
  FILL_IN_THE_BLANK: 'fill_in',
  MATCHING: 'matching',
  SEQUENCE: 'sequencing',
  SEQUENCING: 'sequencing',
  ORDERING: 'sequencing',
  SORTING: 'drag_drop',
};

/**
 * Correct answer ids, as the player grades them. A quiz lesson's multiple choice is graded by its
 * `correct` id and a multiple response by its `corrects` ids; their answers may keep `correct`
 * flags left from an earlier type of the question, which the player ignores. A knowledge check
 * has only the flags: its multiple choice takes the first flagged answer (the one it reveals as
 * correct), its multiple response every flagged one.
 */
function correctIds(question: DataObject, type: string, answers: DataObject[]): Set<string> {
  const ids = new Set(answers.map((a) => scalarText(a.id)));
  const single = scalarText(question.correct);
  const listed = (Array.isArray(question.corrects) ? question.corrects.map(scalarText) : []).filter((id) => ids.has(id));
  const flagged = answers.filter((a) => a.correct === true).map((a) => scalarText(a.id));
  if (type === 'MULTIPLE_CHOICE') {
    if (ids.has(single)) return new Set([single]);
    return new Set(listed.length > 0 ? listed.slice(0, 1) : flagged.slice(0, 1));
  }
  if (listed.length > 0) return new Set(listed);
  if (flagged.length > 0) return new Set(flagged);
  return new Set(ids.has(single) ? [single] : []);
}

/**
 * The questions of a knowledge check or quiz item. A question bank item (`DRAW_FROM_QUESTION_BANK`)
 * holds its whole bank in `questions`, of which the learner is shown `drawCount` at random: all are
 * read (unaskedOf counts the ones an attempt leaves out).
 */
export function readQuestions(reader: RiseReader, item: DataObject, blocks: Block[]): Question[] {
  if (scalarText(item.type).toUpperCase() !== 'DRAW_FROM_QUESTION_BANK') {
    const question = readQuestion(reader, item, blocks);
    return question ? [question] : [];
  }
  const bank = objects(item.questions).filter((q) => q.isHidden !== true);
  return bank.flatMap((q) => readQuestion(reader, q, blocks) ?? []);
}

/** How many questions of these items' banks (and their blocks' banks) an attempt leaves out. */
export function unaskedOf(items: DataObject[]): number {
  let unasked = 0;
  for (const item of items.flatMap((i) => [i, ...objects(i.items)])) {
    if (scalarText(item.type).toUpperCase() !== 'DRAW_FROM_QUESTION_BANK') continue;
    const bank = objects(item.questions).filter((q) => q.isHidden !== true).length;
    const drawn = num(item.drawCount);
    if (drawn !== null && drawn > 0 && drawn < bank) unasked += bank - drawn;
  }
  return unasked;
}

/** A knowledge check or quiz question; what the learner sees before answering goes to `blocks`. */
function readQuestion(reader: RiseReader, q: DataObject, blocks: Block[]): Question | null {
  const rawType = scalarText(q.type).toUpperCase();
  const type: QuestionType = QUESTION_TYPES[rawType] ?? 'other';
  const answers = objects(q.answers).filter((a) => a.isHidden !== true);
  const prompt = scalarText(q.title) || scalarText(q.question) || scalarText(q.prompt);
  if (!htmlToText(prompt) && answers.length === 0) return null;
  blocks.push(...reader.html(prompt), ...reader.mediaBlocks(q.media));

  const input: QuestionInput = { id: scalarText(q.id), type, prompt, source: reader.source, points: null };
  const feedbackType = scalarText(q.feedbackType).toUpperCase();
  // One feedback for any answer, unless the question has one for each outcome.
  const general = feedbackType === 'CORRECT_INCORRECT' ? '' : scalarText(q.feedback);
  input.feedback = {
    correct: scalarText(q.feedbackCorrect) || general || null,
    incorrect: scalarText(q.feedbackIncorrect) || general || null,
  };
  if (type === 'matching') {
    input.matches = answers.map((a) => ({ source: scalarText(a.title), target: scalarText(a.matchTitle) })).filter((m) => htmlToText(m.source) && htmlToText(m.target));
    input.correctAnswers = [];
    const left = answers.map((a) => htmlToText(scalarText(a.title))).filter(Boolean);
    const right = answers.map((a) => htmlToText(scalarText(a.matchTitle))).filter(Boolean);
    if (left.length > 0) blocks.push({ type: 'list', ordered: false, items: left });
    if (right.length > 0) blocks.push({ type: 'list', ordered: false, items: right });
  } else if (type === 'fill_in' || type === 'sequencing') {
    // A fill-in accepts its answers, but not those flagged false: they are left from a choice question.
    input.correctAnswers = answers
      .filter((a) => type !== 'fill_in' || a.correct !== false)
      .map((a) => scalarText(a.title))
      .filter((t) => htmlToText(t));
  } else {
    const correct = correctIds(q, rawType, answers);
    input.choices = answers.map((a) => ({
      id: scalarText(a.id),
      text: scalarText(a.title),
      correct: correct.size > 0 ? correct.has(scalarText(a.id)) : null,
      feedback: scalarText(a.feedback) || null,
    }));
    const texts = answers.map((a) => htmlToText(scalarText(a.title)));
    if (type === 'choice' && texts.length === 2 && texts.every((t) => /^(true|false)$/i.test(t))) input.type = 'true_false';
    if (texts.some(Boolean)) blocks.push({ type: 'list', ordered: false, items: texts.filter(Boolean) });
  }
  return makeQuestion(input);
}
