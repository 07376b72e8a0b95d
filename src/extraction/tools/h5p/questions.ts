import { blocksToText } from '../../content/blocks.js';
import { asArray, isObject, num, obj, str, type DataObject } from '../../content/data-values.js';
import { htmlToBlocks, htmlToText } from '../../content/html.js';
import { normalizeSpace } from '../../content/text.js';
import type { QuestionType } from '../../result/extraction-result.js';
import { pictureByPlace } from '../question.js';
import { authoredTitle, newSink, toText, type Sink } from './params.js';
import type { Walker } from './walker.js';

// Question content types: what the learner sees goes to the sink's blocks, the answer key to its questions.

export function multiChoice(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.taskMedia(params, sink);
  walker.html(sink, params.question);
  const answers = asArray(params.answers).filter(isObject);
  const choices = answers.map((a) => {
    const tips = obj(a.tipsAndFeedback);
    return { text: str(a.text), correct: a.correct === true, feedback: str(tips.chosenFeedback) || null };
  });
  const texts = choices.map((c) => toText(c.text)).filter(Boolean);
  if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
  walker.tips(sink, answers.map((a) => obj(a.tipsAndFeedback).tip));
  const behaviour = obj(params.behaviour);
  const mode = str(behaviour.type);
  const correct = choices.filter((c) => c.correct).length;
  const type: QuestionType =
    mode === 'single' ? 'choice' : mode === 'multi' ? 'multiple_response' : behaviour.singleAnswer === false || correct > 1 ? 'multiple_response' : 'choice';
  walker.question(sink, { id, type, prompt: str(params.question), choices, feedback: walker.overallFeedback(params) });
}

export function multiMediaChoice(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.html(sink, params.question);
  const choices = asArray(params.options)
    .filter(isObject)
    .map((option) => {
      const media = obj(option.media);
      const mediaParams = obj(media.params);
      const alt = toText(mediaParams.alt);
      walker.image(null, mediaParams.file, alt);
      const tips = obj(option.tipsAndFeedback);
      return { text: alt, picture: true, correct: option.correct === true, feedback: str(tips.chosenFeedback) || null };
    });
  const correct = choices.filter((c) => c.correct).length;
  walker.question(sink, { id, type: correct > 1 ? 'multiple_response' : 'choice', prompt: str(params.question), choices, feedback: walker.overallFeedback(params) });
}

export function trueFalse(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.taskMedia(params, sink);
  walker.html(sink, params.question);
  const l10n = obj(params.l10n);
  const isTrue = String(params.correct) === 'true';
  const behaviour = obj(params.behaviour);
  walker.question(sink, {
    id,
    type: 'true_false',
    prompt: str(params.question),
    choices: [
      { text: toText(l10n.trueText) || 'True', correct: isTrue },
      { text: toText(l10n.falseText) || 'False', correct: !isTrue },
    ],
    feedback: { correct: str(behaviour.feedbackOnCorrect) || null, incorrect: str(behaviour.feedbackOnWrong) || null },
  });
}

export function singleChoiceSet(walker: Walker, params: DataObject, sink: Sink): void {
  const feedback = walker.overallFeedback(params);
  for (const choice of asArray(params.choices).filter(isObject)) {
    walker.html(sink, choice.question);
    const answers = asArray(choice.answers).map((a) => str(a));
    const texts = answers.map((a) => toText(a)).filter(Boolean);
    if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
    // SingleChoiceSet keeps the correct answer first; the player shuffles them.
    walker.question(sink, {
      id: str(choice.subContentId) || null,
      type: 'choice',
      prompt: str(choice.question),
      choices: answers.map((text, index) => ({ text, correct: index === 0 })),
      feedback,
    });
  }
  const pass = num(obj(params.behaviour).passPercentage);
  if (pass !== null && sink.passingScore === null) sink.passingScore = pass;
}

export function dragText(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.taskMedia(params, sink);
  walker.html(sink, params.taskDescription);
  const { lines, gaps } = parseStarred(str(params.textField), 'drag');
  for (const line of lines) sink.blocks.push({ type: 'paragraph', text: line });
  walker.tips(sink, gaps.map((g) => g.tip));
  const distractors = parseStarred(str(params.distractors), 'drag').gaps.flatMap((g) => g.answers);
  const correct = gaps.map((g) => g.answers[0] ?? '').filter(Boolean);
  walker.question(sink, {
    id,
    type: 'drag_drop',
    prompt: [toText(params.taskDescription), ...lines].filter(Boolean).join('\n'),
    choices: [
      ...gaps.filter((g) => g.answers[0]).map((g) => ({ text: g.answers[0] ?? '', correct: true, feedback: g.feedback })),
      ...distractors.map((text) => ({ text, correct: false })),
    ],
    correctAnswers: correct,
    feedback: walker.overallFeedback(params),
  });
}

export function blanks(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.taskMedia(params, sink);
  walker.html(sink, params.text);
  const gaps: Gap[] = [];
  const lines: string[] = [];
  for (const question of asArray(params.questions)) {
    gaps.push(...parseStarred(str(question), 'blanks').gaps);
    // Questions are HTML: keep their structure, blanks shown as a line.
    const blocks = htmlToBlocks(blankOut(str(question))).blocks;
    sink.blocks.push(...blocks);
    lines.push(blocksToText(blocks));
  }
  walker.tips(sink, gaps.map((g) => g.tip));
  const answers = gaps.map((g) => g.answers);
  walker.question(sink, {
    id,
    type: 'fill_in',
    prompt: [toText(params.text), ...lines].filter(Boolean).join('\n'),
    correctAnswers: answers.length === 1 ? (answers[0] ?? []) : answers.map((a) => a.join(' / ')),
    feedback: walker.overallFeedback(params),
  });
}

export function markTheWords(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.taskMedia(params, sink);
  walker.html(sink, params.taskDescription);
  const raw = str(params.textField);
  const words = [...raw.matchAll(/\*([^*]+)\*/g)].map((m) => htmlToText(m[1] ?? '')).filter(Boolean);
  walker.html(sink, raw.replace(/\*([^*]+)\*/g, '$1'));
  walker.question(sink, { id, type: 'other', prompt: str(params.taskDescription), correctAnswers: words, feedback: walker.overallFeedback(params) });
}

export function summary(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  const sets = asArray(params.summaries)
    .filter(isObject)
    .filter((set) => asArray(set.summary).some((s) => toText(s)));
  // An Interactive Video carries an empty summary task by default: nothing to read then.
  if (sets.length === 0) return;
  walker.html(sink, params.intro);
  for (const [index, set] of sets.entries()) {
    const statements = asArray(set.summary).map((s) => str(s));
    const texts = statements.map((s) => toText(s)).filter(Boolean);
    if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
    walker.tips(sink, [set.tip]);
    // Like SingleChoiceSet, the first statement of each set is the correct one.
    walker.question(sink, {
      id: id ? `${id}-${index + 1}` : null,
      type: 'choice',
      prompt: str(params.intro),
      choices: statements.map((text, i) => ({ text, correct: i === 0 })),
    });
  }
}

export function dragQuestion(walker: Walker, params: DataObject, id: string | null, node: DataObject, sink: Sink): void {
  const task = obj(obj(params.question).task);
  const elements = asArray(task.elements).filter(isObject);
  const labels: string[] = [];
  for (const element of elements) {
    const inner = newSink();
    walker.node(element.type, inner);
    sink.blocks.push(...inner.blocks);
    const type = obj(element.type);
    labels.push(blocksToText(inner.blocks) || toText(obj(type.params).alt) || toText(obj(type.metadata).title));
  }
  const matches: { source: string; target: string }[] = [];
  const zones: string[] = [];
  for (const zone of asArray(task.dropZones).filter(isObject)) {
    const label = toText(zone.label);
    if (label) zones.push(label);
    for (const index of asArray(zone.correctElements)) {
      const source = labels[Number(index)];
      if (source && label) matches.push({ source, target: label });
    }
  }
  if (zones.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: zones });
  walker.tips(sink, asArray(task.dropZones).map((zone) => obj(obj(zone).tipsAndFeedback).tip));
  walker.question(sink, {
    id,
    type: 'drag_drop',
    prompt: authoredTitle(obj(node.metadata).title, obj(node.metadata)),
    choices: labels.filter(Boolean).map((text) => ({ text, correct: null })),
    matches,
    correctAnswers: matches.map((m) => `${m.source} → ${m.target}`),
    feedback: walker.overallFeedback(params),
  });
}

/** Images to put in order: the params list them in the right order, the player shuffles them. */
export function imageSequencing(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.html(sink, params.taskDescription);
  const cards = asArray(params.sequenceImages).filter(isObject);
  const labels = cards.map((card, index) => {
    const label = toText(card.imageDescription);
    walker.image(null, card.image, label);
    return label || pictureByPlace(index);
  });
  if (cards.some((card) => toText(card.imageDescription))) sink.blocks.push({ type: 'list', ordered: false, items: labels });
  walker.question(sink, {
    id,
    type: 'sequencing',
    prompt: str(params.taskDescription),
    choices: labels.map((text) => ({ text, correct: null })),
    correctAnswers: labels,
  });
}

/** Pairs of images to match: each card's image goes with its `match` (the same image when none). */
export function imagePair(walker: Walker, params: DataObject, id: string | null, sink: Sink): void {
  walker.html(sink, params.taskDescription);
  const matches: { source: string; target: string }[] = [];
  for (const card of asArray(params.cards).filter(isObject)) {
    const alt = toText(card.imageAlt);
    const matchAlt = toText(card.matchAlt) || alt;
    walker.image(sink, card.image, alt);
    if (isObject(card.match)) walker.image(sink, card.match, matchAlt);
    if (alt && matchAlt) matches.push({ source: alt, target: matchAlt });
  }
  walker.question(sink, { id, type: 'matching', prompt: str(params.taskDescription), matches, correctAnswers: matches.map((m) => `${m.source} → ${m.target}`) });
}

/** One gap of `*answer*` markup: its accepted answers, the tip offered, the feedback when filled in right. */
interface Gap {
  answers: string[];
  tip: string;
  feedback: string | null;
}

/**
 * `*answer*` markup of DragText and Blanks: the text with each gap as a line, and the gaps. A gap
 * may carry a tip after `:` and feedback after `\+` (right) / `\-` (wrong); Blanks separates
 * alternative answers with `/`.
 */
function parseStarred(text: string, mode: 'drag' | 'blanks'): { lines: string[]; gaps: Gap[] } {
  const gaps: Gap[] = [];
  for (const match of text.matchAll(/\*([^*]+)\*/g)) {
    const [main = '', ...feedbacks] = (match[1] ?? '').split(/(?=\\[+-])/);
    const colon = main.indexOf(':');
    const answer = colon < 0 ? main : main.slice(0, colon);
    const accepted = (mode === 'blanks' ? answer.split('/') : [answer]).map((a) => htmlToText(a)).filter(Boolean);
    const right = feedbacks.find((f) => f.startsWith('\\+'));
    if (accepted.length > 0) {
      gaps.push({ answers: accepted, tip: colon < 0 ? '' : htmlToText(main.slice(colon + 1)), feedback: right ? htmlToText(right.slice(2)) || null : null });
    }
  }
  const lines = blankOut(text)
    .split(/\r?\n/)
    .map((line) => normalizeSpace(htmlToText(line)))
    .filter(Boolean);
  return { lines, gaps };
}

const blankOut = (text: string): string => text.replace(/\*([^*]+)\*/g, '_____');
