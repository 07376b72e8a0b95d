import { asArray, asNumber, asObject, asString, isObject, type DataObject, type DataValue } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import { cleanText, hasLetters, normalizeSpace } from '../../content/text.js';
import type { Question, QuestionType } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import { assigned } from './player-data.js';

const GENERIC_QUIZ_TITLE = /^(untitled quiz|quiz|untitled survey)$/i;

function richText(value: DataValue | undefined): string | null {
  if (typeof value === 'string') return htmlToText(value) || null;
  const rich = asObject(value);
  if (!rich) return null;
  // Newer players: {a: simplified HTML, d: [plain paragraphs], h: styled HTML}.
  const html = asString(rich.a) ?? asString(rich.h) ?? asString(rich.t);
  if (html) {
    const text = htmlToText(html);
    if (text) return text;
  }
  const plain = asArray(rich.d)
    .map((d) => asString(d) ?? '')
    .join(' ');
  return normalizeSpace(plain) || null;
}

const TYPE_BY_NAME: [RegExp, QuestionType][] = [
  [/^(truefalse|tf)$/i, 'true_false'],
  [/^(multipleresponse|mr|pickmany)$/i, 'multiple_response'],
  [/^(multiplechoice|mc|pickone)$/i, 'choice'],
  [/^(matching|ma|mt|match)$/i, 'matching'],
  [/^(sequence|sequencing|seq|sq|ordering)$/i, 'sequencing'],
  [/^(typein|ti|shortanswer|sa|numeric|num|nu|fillintheblank|fillintheblanks|fib|fitb|multiplechoicetext|selectfromlists|mct|sfl)$/i, 'fill_in'],
  [/^(wordbank|wb|dnd|draganddrop|dd)$/i, 'drag_drop'],
  [/^(hotspot|hs)$/i, 'hotspot'],
  [/^(essay|es)$/i, 'essay'],
  [/^(likert|likertscale|ls|lk)$/i, 'likert'],
];

function questionType(name: string): QuestionType {
  return TYPE_BY_NAME.find(([re]) => re.test(name.replace(/[\s_-]/g, '')))?.[1] ?? 'other';
}

/** A question group of the quiz; `drawn` is how many of its questions a learner gets when it picks at random. */
export interface QuestionGroup {
  title: string | null;
  drawn: number | null;
  questions: Question[];
}

interface QuizResult {
  title: string | null;
  passingScore: number | null;
  questions: Question[];
  groups: QuestionGroup[];
}

/** A choice of either quiz format: `{t: rich, c: correct}` (Suite 10+) or `{t: html, c: true}` (older). */
function choiceOf(value: DataValue, index: number): { id: string; text: string; correct: boolean | null; feedback: string | null } | null {
  const choice = asObject(value);
  if (!choice) return null;
  const text = richText(choice.t) ?? richText(choice.d);
  if (!text) return null;
  return {
    id: asString(choice.i) ?? String(index + 1),
    text,
    correct: choice.c === true,
    feedback: richText(asObject(choice.F)?.t ?? choice.f ?? null),
  };
}

/** Surveys flag no choice as correct: their choices are then neither right nor wrong. */
function unflagged<T extends { correct: boolean | null }>(choices: T[]): T[] {
  return choices.some((c) => c.correct) ? choices : choices.map((c) => ({ ...c, correct: null }));
}

function isTrueFalse(choices: { text: string }[]): boolean {
  if (choices.length !== 2) return false;
  const texts = choices.map((c) => c.text.toLowerCase().replace(/[.!]$/, ''));
  return texts.includes('true') && texts.includes('false');
}

/** Player placeholders (`%ANSWER_ATTEMPTS%`) and the sentences that carry them are not feedback. */
function feedbackText(text: string | null): string | null {
  if (!text) return null;
  const kept = text
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !/%[A-Z_]+%/.test(sentence))
    .join(' ');
  return normalizeSpace(kept) || null;
}

/**
 * A sentence with blanks (Suite 10+ fill-in-the-blank, word bank): `{d: ['text', {id}, 'text'], r: [{id, data: {v: [accepted]}}]}`.
 * Each blank shows as `_____`; its first accepted answer is the expected one, the others alternates.
 */
function blanks(value: DataValue | undefined): { sentence: string | null; answers: string[] } {
  const rich = asObject(value);
  const accepted = new Map<string, string[]>();
  for (const blank of asArray(rich?.r).map(asObject)) {
    const id = asString(blank?.id);
    // A word bank's blank holds its one word (`v: 'word'`), a fill-in blank its accepted answers (`v: [...]`).
    const value = asObject(blank?.data)?.v;
    const values = (typeof value === 'string' ? [value] : asArray(value)).map((v) => cleanText(asString(v) ?? '')).filter(Boolean);
    if (id && values.length) accepted.set(id, values);
  }
  let sentence = '';
  for (const part of asArray(rich?.d)) {
    const id = asString(asObject(part)?.id);
    sentence += typeof part === 'string' ? part : id && accepted.has(id) ? ' _____ ' : ' ';
  }
  const primary = [...accepted.values()].map((v) => v[0] ?? '');
  const answers: string[] = [];
  for (const answer of [...primary, ...[...accepted.values()].flatMap((v) => v.slice(1))]) {
    if (answer && !answers.some((a) => a.toLowerCase() === answer.toLowerCase())) answers.push(answer);
  }
  const text = normalizeSpace(sentence).replace(/ _____ ([,.;:!?])/g, ' _____$1');
  return { sentence: accepted.size && hasLetters(text) ? text : null, answers };
}

/** A word bank's extra word: plain, rich text (`{t}`) or a value (`{v}`). */
function extraWord(word: DataValue): string | null {
  if (typeof word === 'string') return cleanText(word) || null;
  const entry = asObject(word);
  return richText(entry?.t ?? null) ?? (cleanText(asString(entry?.v) ?? '') || null);
}

/** Suite 10+ quiz data: `{d: {T, s, sl: {g: [{T, s: {st, rs}, S: [question...]}], r: {g: [result slides]}}}}`. */
function readModernQuiz(data: DataObject, source: string): QuizResult {
  const d = asObject(data.d) ?? {};
  const defaults = asObject(asObject(d.s)?.d);
  const defaultFeedback = asObject(defaults?.fv);
  const questions: Question[] = [];
  const groups: QuestionGroup[] = [];
  let groupPassing: number | null = null;
  for (const group of asArray(asObject(d.sl)?.g).map(asObject)) {
    const settings = asObject(group?.s);
    const passing = asObject(settings?.ps);
    if (groupPassing === null && passing && asString(passing.u) !== 'points') groupPassing = asNumber(passing.v) ?? null;
    const groupQuestions = asArray(group?.S)
      .map(asObject)
      .filter((slide): slide is DataObject => !!slide && !/^(info|result|intro)/i.test(asString(slide.tp) ?? ''))
      .map((slide) => modernQuestion(slide, source, questions.length, defaults, defaultFeedback));
    questions.push(...groupQuestions);
    // "randomSelection" draws `rs` questions of the group for each attempt.
    const drawn = asString(settings?.st) === 'randomSelection' ? (asNumber(settings?.rs) ?? -1) : -1;
    groups.push({
      title: cleanText(asString(group?.T) ?? '') || null,
      drawn: drawn > 0 && drawn < groupQuestions.length ? drawn : null,
      questions: groupQuestions,
    });
  }
  let resultPassing: number | null = null;
  for (const result of asArray(asObject(asObject(d.sl)?.r)?.g).map(asObject)) {
    const passing = asObject(asObject(asObject(result?.C)?.Rs)?.ps);
    const value = asNumber(passing?.v);
    if (passing && asString(passing.u) !== 'points' && value !== undefined && value > 0) resultPassing = Math.max(resultPassing ?? 0, value);
  }
  const title = cleanText(asString(d.T) ?? '');
  return { title: title && !GENERIC_QUIZ_TITLE.test(title) ? title : null, passingScore: resultPassing ?? groupPassing, questions, groups };
}

function modernQuestion(
  slide: DataObject,
  source: string,
  index: number,
  defaults: DataObject | undefined,
  defaultFeedback: DataObject | undefined,
): Question {
  const kind = asString(slide.tp) ?? '';
  const content = asObject(slide.C) ?? {};
  const settings = asObject(slide.s) ?? {};
  const choices = unflagged(asArray(content.chs).map(choiceOf).filter((c): c is NonNullable<typeof c> => !!c));
  let type = questionType(kind);
  if (type === 'choice' && isTrueFalse(choices)) type = 'true_false';
  const input: QuestionInput = {
    id: asString(slide.i) ?? `q${index + 1}`,
    type,
    prompt: richText(slide.D) ?? '',
    source,
    choices: choices.map(({ id, text, correct, feedback }) => ({ id, text, correct, feedback })),
  };
  const pairs = asArray(content.m)
    .map(asObject)
    .map((m) => ({ source: richText(asObject(m?.p)?.t ?? null), target: richText(asObject(m?.r)?.t ?? null) }))
    .filter((m): m is { source: string; target: string } => !!m.source && !!m.target);
  if (pairs.length) input.matches = pairs;
  if (type === 'sequencing' && choices.length) input.correctAnswers = choices.map((c) => c.text);
  if (type === 'fill_in' && !choices.some((c) => c.correct) && choices.length) input.correctAnswers = choices.map((c) => c.text);
  const sentence = blanks(content.rt);
  if (sentence.sentence) {
    input.prompt = input.prompt ? `${input.prompt} ${sentence.sentence}` : sentence.sentence;
    input.correctAnswers = sentence.answers;
    // A word bank offers its blanks' words and extra words (`ew`) that fit no blank.
    const extra = asArray(content.ew).map(extraWord).filter((w): w is string => !!w && !sentence.answers.includes(w));
    if (Array.isArray(content.ew) && !input.choices?.length) {
      input.choices = [
        ...sentence.answers.map((text, n) => ({ id: `w${n + 1}`, text, correct: true })),
        ...extra.map((text, n) => ({ id: `e${n + 1}`, text, correct: false })),
      ];
    }
  }
  const feedback = asObject(settings.F);
  const own = (key: string) => feedbackText(richText(asObject(asObject(feedback?.[key])?.v) ?? null));
  const byDefault = (key: string) => feedbackText(cleanText(asString(defaultFeedback?.[key]) ?? '') || null);
  // A question allowing retries may only tell a wrong answer to try again.
  input.feedback = { correct: own('c') ?? byDefault('c'), incorrect: own('i') ?? own('at') ?? byDefault('i') };
  const evaluation = asObject(settings.e);
  input.points = asNumber(evaluation?.pt) ?? asNumber(defaults?.pt) ?? null;
  return makeQuestion(input);
}

/** Older quiz data (iSpring 8/9): `{T, q: [{t: 'mc', d: html, a: [{t: html, c: true}]}], p: {I: groups}}`. */
function readClassicQuiz(data: DataObject, source: string): QuizResult {
  const byId = new Map<string, DataObject>();
  const order: DataObject[] = [];
  for (const q of asArray(data.q).map(asObject)) {
    if (!q) continue;
    order.push(q);
    const id = asString(q.i);
    if (id) byId.set(id, q);
  }
  // The pool lists questions group by group; keep that order when it names them all.
  const ordered: DataObject[] = [];
  let passingScore: number | null = null;
  const visit = (node: DataObject | undefined) => {
    if (!node) return;
    const score = asNumber(asObject(asObject(node.s)?.sc)?.p);
    if (passingScore === null && score !== undefined) passingScore = score;
    const id = asString(node.i);
    const q = id ? byId.get(id) : undefined;
    if (node.t === 's' && q && !ordered.includes(q)) ordered.push(q);
    for (const child of asArray(node.I).map(asObject)) visit(child);
  };
  visit(asObject(data.p));
  const list = ordered.length ? [...ordered, ...order.filter((q) => !ordered.includes(q))] : order;
  const questions = list
    .filter((q) => !/^(is|info)$/i.test(asString(q.t) ?? ''))
    .map((q, index) => {
      const choices = unflagged(asArray(q.a).map(choiceOf).filter((c): c is NonNullable<typeof c> => !!c));
      let type = questionType(asString(q.t) ?? '');
      if (type === 'choice' && isTrueFalse(choices)) type = 'true_false';
      const input: QuestionInput = {
        id: asString(q.i) ?? `q${index + 1}`,
        type,
        prompt: richText(q.d) ?? '',
        source,
        choices: choices.map(({ id, text, correct, feedback }) => ({ id, text, correct, feedback })),
        feedback: { correct: richText(q.cf ?? null), incorrect: richText(q.if ?? null) },
        points: asNumber(q.p) ?? null,
      };
      if (type === 'sequencing' && choices.length) input.correctAnswers = choices.map((c) => c.text);
      return makeQuestion(input);
    });
  const title = cleanText(asString(data.T) ?? '');
  return { title: title && !GENERIC_QUIZ_TITLE.test(title) ? title : null, passingScore, questions, groups: [] };
}

/**
 * The quiz of a slide file (`quizInfo`, `quizData`), or with `names` of another file: QuizMaker
 * published alone keeps it in index.html as `var data = "..."`, handed to `QuizPlayer.start`.
 */
export async function readQuiz(view: PackageView, file: string, names: readonly string[] = ['quizInfo', 'quizData']): Promise<QuizResult | null> {
  if (!view.has(file)) return null;
  const source = await view.text(file);
  if (source === undefined) return null;
  let data: DataObject | undefined;
  for (const name of names) data = data ?? asObject(assigned(source, name));
  if (!data) {
    view.warn('ispring_quiz_unreadable', `${file} holds no quiz data that could be decoded.`, file);
    return null;
  }
  if (isObject(data.d)) return readModernQuiz(data, file);
  if (Array.isArray(data.q)) return readClassicQuiz(data, file);
  view.warn('ispring_quiz_unreadable', `${file} has quiz data in a layout this decoder does not know.`, file);
  return null;
}
