import { asArray, asNumber, asObject, asString, type DataObject } from '../../content/data-values.js';
import type { Block, Question, QuestionType } from '../../result/extraction-result.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import { clean, draftParagraphs, isMeaningful, richParagraphs, T, widgetProps, withoutDefaultInstruction, type ModelReader } from './model.js';

// Questions of the quiz: prompt, answers in their order, the correct ones, feedback and points.

export function questionPrompt(reader: ModelReader, question: DataObject): string {
  const titleCaption = asString(question.qtc);
  const fromCaption = titleCaption ? reader.itemText(titleCaption) : null;
  return fromCaption ?? (clean(asString(question.qt) ?? '') || shownPrompt(reader, question));
}

/** The prompt a Captivate 12 question slide shows in its question text item. */
function shownPrompt(reader: ModelReader, question: DataObject): string {
  const slide = reader.obj(asString(question.sn));
  const item = slide ? reader.slideItems(slide).find((i) => i.tag === 'slide-item-question-text') : undefined;
  return (item && reader.itemText(item.name)) ?? '';
}

/** The answers a Captivate 12 text entry accepts (`widgetProps.inputFieldProps.answersList` of its input items). */
function acceptedAnswers(reader: ModelReader, question: DataObject): string[] {
  return asArray(question.ail).flatMap((name) =>
    asArray(asObject(widgetProps(reader.obj(asString(name)))?.inputFieldProps)?.answersList).map((a) => clean(asString(a) ?? '')),
  );
}

function answerNames(question: DataObject, key = 'ao'): string[] {
  return asArray(question[key])
    .map((entry) => asString(entry) ?? '')
    .map((entry) => {
      const match = /^(.*):(\d+)$/.exec(entry);
      return { name: match ? (match[1] ?? '') : entry, order: match ? Number(match[2]) : 0 };
    })
    .filter((e) => e.name !== '')
    .sort((a, b) => a.order - b.order)
    .map((e) => e.name);
}

function answerText(reader: ModelReader, name: string): string | null {
  const { item, display } = reader.itemOf(name);
  const rich = richParagraphs(asString(item?.vt), isMeaningful).join(' ');
  if (rich) return rich;
  const label = draftParagraphs(asObject(widgetProps(item)?.normal)?.editorState).join(' ');
  if (label) return label;
  for (const key of ['aAnsTxtlms', 'atxtlms', 'accstr']) {
    const text = clean(asString(display?.[key]) ?? '');
    if (isMeaningful(text) && text.length > 1) return text;
  }
  return null;
}

function fillBlanks(reader: ModelReader, question: DataObject): { sentence: string | null; answers: string[] } {
  const blanks = answerNames(question)
    .map((name) => reader.obj(name))
    .filter((b): b is DataObject => !!b && Array.isArray(b.correctAnswers));
  const primary: string[] = [];
  const alternates: string[] = [];
  for (const blank of blanks) {
    const accepted = asArray(blank.correctAnswers).map((a) => clean(asString(a) ?? '')).filter(isMeaningful);
    if (accepted[0]) primary.push(accepted[0]);
    alternates.push(...accepted.slice(1));
  }
  const answers: string[] = [];
  for (const a of [...primary, ...alternates]) {
    if (!answers.some((b) => b.toLowerCase() === a.toLowerCase())) answers.push(a);
  }
  const captionName = blanks.map((b) => asString(b.capN)).find(Boolean);
  let sentence: string | null = null;
  if (captionName) {
    const display = reader.display(captionName);
    const fib = asString(display?.fibText) ?? asString(display?.accstr);
    if (fib) {
      // The runtime writes each blank as the word "dash" in this text.
      const dashes = fib.match(/dash/g)?.length ?? 0;
      sentence = clean(dashes === blanks.length && dashes > 0 ? fib.replace(/\s*dash\s*/g, ' _____ ') : fib);
      sentence = sentence.replace(/ _____ ([,.;:!?])/g, ' _____$1');
    }
  }
  return { sentence: sentence && isMeaningful(sentence) ? sentence : null, answers };
}

function matching(reader: ModelReader, question: DataObject): { sources: string[]; targets: string[]; pairs: { source: string; target: string }[] } {
  const column = (key: string) =>
    answerNames(question, key).map((name) => ({
      text: answerText(reader, name) ?? '',
      id: asString(reader.itemOf(name).display?.aid) ?? '',
    }));
  const sources = column('aio');
  const targets = column('aco');
  const pairs: { source: string; target: string }[] = [];
  for (const source of sources) {
    const target = targets.find((t) => t.id !== '' && t.id === source.id);
    if (source.text && target?.text) pairs.push({ source: source.text, target: target.text });
  }
  return { sources: sources.map((s) => s.text).filter(Boolean), targets: targets.map((t) => t.text).filter(Boolean), pairs };
}

function questionType(question: DataObject, choices: { correct: boolean | null; multi: boolean }[]): QuestionType {
  const kind = `${asString(question.itp) ?? ''} ${asString(question.qtp) ?? ''}`.toLowerCase();
  if (/true-?false/.test(kind)) return 'true_false';
  if (/matching/.test(kind)) return 'matching';
  if (/sequence|sequencing/.test(kind)) return 'sequencing';
  if (/hot-?spot/.test(kind)) return 'hotspot';
  if (/likert/.test(kind)) return 'likert';
  if (/drag|dnd/.test(kind)) return 'drag_drop';
  if (/fill|fib|short|text-?entry/.test(kind)) return 'fill_in';
  if (/choice|mcq/.test(kind)) {
    const correct = choices.filter((c) => c.correct).length;
    return correct > 1 || choices.some((c) => c.multi) ? 'multiple_response' : 'choice';
  }
  return 'other';
}

export function readQuestion(reader: ModelReader, key: string, id: string): Question {
  const q = reader.obj(key) ?? {};
  const correctLetters = asArray(q.cal).map((a) => asString(a) ?? String(a));
  const kind = `${asString(q.itp) ?? ''} ${asString(q.qtp) ?? ''}`.toLowerCase();
  const input: QuestionInput = { id, type: 'other', prompt: questionPrompt(reader, q), source: reader.file };
  let choices: { id: string; text: string; correct: boolean | null; multi: boolean }[] = [];

  if (/fill|fib/.test(kind) && !/long/.test(kind)) {
    const { sentence, answers } = fillBlanks(reader, q);
    if (sentence) input.prompt = input.prompt ? `${input.prompt} ${sentence}` : sentence;
    input.correctAnswers = answers;
  } else if (/long|short/.test(kind)) {
    const accepted = [...correctLetters.map((a) => clean(a)), ...acceptedAnswers(reader, q)].filter(isMeaningful);
    input.correctAnswers = accepted.filter((a, i) => !accepted.slice(0, i).some((b) => b.toLowerCase() === a.toLowerCase()));
  } else if (/matching/.test(kind)) {
    input.matches = matching(reader, q).pairs;
  } else {
    choices = answerNames(q).flatMap((name, index) => {
      const text = answerText(reader, name);
      if (!text) return [];
      const { display, name: itemName } = reader.itemOf(name);
      const letter = asString(display?.aid) ?? String(asNumber(display?.aid) ?? index + 1);
      const flagged = display?.ic;
      // Captivate 12 lists the correct answer items by name, older versions by letter.
      const listed = correctLetters.includes(letter) || correctLetters.includes(itemName);
      // A sequence has an order, not right and wrong answers.
      const correct = /sequence/.test(kind) ? null : typeof flagged === 'boolean' ? flagged : correctLetters.length ? listed : null;
      return [{ id: letter, text, correct, multi: asNumber(display?.at) === T.answerMulti }];
    });
    input.choices = choices.map(({ id: choiceId, text, correct }) => ({ id: choiceId, text, correct }));
    if (/sequence/.test(kind)) {
      const ordered = correctLetters.map((l) => choices.find((c) => c.id === l)?.text).filter((t): t is string => !!t);
      input.correctAnswers = ordered.length ? ordered : choices.map((c) => c.text);
    }
  }
  input.type = questionType(q, choices);
  const incorrectNames = [...asArray(q.ifc).map((n) => asString(n)), asString(q.frc)].filter((n): n is string => !!n);
  input.feedback = {
    correct: withoutDefaultInstruction(reader.itemText(asString(q.osc))),
    incorrect: withoutDefaultInstruction(incorrectNames.map((n) => reader.itemText(n)).find((t) => !!t) ?? null),
  };
  const weight = asNumber(q.w);
  const ungraded = q.ikc === true || q.ips === true;
  input.points = weight !== undefined && !(ungraded && weight === 0) ? weight : null;
  return makeQuestion(input);
}

export function questionBlocks(reader: ModelReader, question: DataObject): Block[] {
  const kind = `${asString(question.itp) ?? ''} ${asString(question.qtp) ?? ''}`.toLowerCase();
  if (/fill|fib/.test(kind) && !/long/.test(kind)) {
    const { sentence } = fillBlanks(reader, question);
    return sentence ? [{ type: 'paragraph', text: sentence }] : [];
  }
  if (/long|short/.test(kind)) return [];
  if (/matching/.test(kind)) {
    const { sources, targets } = matching(reader, question);
    return [sources, targets].filter((l) => l.length).map((items) => ({ type: 'list', ordered: false, items }));
  }
  const items = answerNames(question)
    .map((name) => answerText(reader, name))
    .filter((t): t is string => !!t);
  return items.length ? [{ type: 'list', ordered: false, items }] : [];
}

export function passingScore(reader: ModelReader): number | null {
  const quiz = asObject(reader.D.quizzingData);
  if (!quiz) return null;
  const percent = asNumber(quiz.passFailPassingScoreValue) ?? asNumber(quiz.quizInfoQuizPassPercent);
  if (quiz.passFailPassingScoreTypeInPrecent !== false && percent !== undefined && percent > 0) return percent;
  const points = asNumber(quiz.passingScore) ?? asNumber(quiz.quizInfoQuizPassPoints);
  const max = asNumber(quiz.maxScore) ?? asNumber(quiz.quizInfoTotalQuizPoints);
  if (points !== undefined && max !== undefined && max > 0) return Math.round((points / max) * 1000) / 10;
  return percent ?? null;
}
