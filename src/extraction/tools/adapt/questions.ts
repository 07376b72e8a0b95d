import { asArray, isObject, num, obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import type { Question, QuestionType } from '../../result/extraction-result.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import { blocksToText } from '../../content/blocks.js';
import { blockText, htmlToBlocks } from '../../content/html.js';
import { isPlaceholderText } from '../../content/text.js';
import { blankOut, ownTexts, stripTemplates, toBlocks, toText } from './text.js';

/**
 * What the learner is told after answering: `correct`, and after a wrong answer `_incorrect.final`
 * (or a plug-in's flat `incorrect`), with `_incorrect.notFinal`, shown while attempts remain ("Try
 * again", a hint).
 */
function feedbackOf(comp: DataObject): { correct: string | null; incorrect: string | null; retry: string | null } {
  const feedback = obj(comp._feedback);
  const correct = str(feedback.correct) || str(obj(feedback._correct).body) || str(feedback._correct);
  const incorrect = obj(feedback._incorrect);
  const wrong = str(incorrect.final) || str(incorrect.body) || str(feedback.incorrect) || str(feedback._incorrect);
  const retry = str(incorrect.notFinal);
  return {
    correct: correct ? stripTemplates(correct) : null,
    incorrect: wrong ? stripTemplates(wrong) : null,
    retry: retry ? stripTemplates(retry) : null,
  };
}

/** The options of mcq, gmcq and look-alikes (yes/no image sets keep theirs in `_images`). */
export const choiceItemsOf = (comp: DataObject): DataObject[] | undefined =>
  [asArray(comp._items), ...Object.entries(comp).filter(([k]) => k.startsWith('_') && k !== '_items').map(([, v]) => asArray(v))]
    .map((list) => list.filter(isObject))
    .find((list) => list.some((item) => typeof item._shouldBeSelected === 'boolean'));

const listOf = (value: DataValue | undefined): DataValue[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

const choiceText = (item: DataObject): string => toText(item.text) || toText(obj(item._graphic).alt);

/** A body without the paragraphs of sample text ("Lorem ipsum...") the author left in it, as on the page. */
function withoutPlaceholders(html: string): string {
  const blocks = htmlToBlocks(stripTemplates(html)).blocks;
  return blocks.some((block) => isPlaceholderText(blockText(block))) ? blocksToText(toBlocks(html)) : html;
}

/** The question a component asks, read from the shape of its data (any mcq-like or matching plug-in too). */
export function questionOf(comp: DataObject, id: string, source: string, orderingShuffles = false): Question | null {
  const name = str(comp._component).toLowerCase();
  const items = asArray(comp._items).filter(isObject);
  // `title` is the author's internal name ("comp-mc", "Question 01"): only body and displayTitle are
  // shown, with any text a plug-in adds (a fill-in's `textBlock`). The instruction is boilerplate
  // ("Choose one option then select Submit.") unless it is all the question says.
  const stem = withoutPlaceholders(toText(comp.body) ? str(comp.body) : str(comp.displayTitle));
  const extra = ownTexts(comp).map(blankOut);
  const asked = [stem, ...extra].filter((t) => toText(t));
  const prompt = stripTemplates(asked.length > 0 ? asked.join('\n') : str(comp.instruction));
  const base: Pick<QuestionInput, 'id' | 'prompt' | 'source' | 'feedback' | 'points'> = {
    id,
    prompt,
    source,
    feedback: feedbackOf(comp),
    points: num(comp._questionWeight),
  };

  const choiceItems = choiceItemsOf(comp);
  if (choiceItems) {
    const choices = choiceItems.map((item, i) => ({
      id: String(i + 1),
      text: choiceText(item),
      picture: true,
      correct: item._shouldBeSelected === true,
      feedback: str(item.feedback) ? stripTemplates(str(item.feedback)) : null,
    }));
    const correctCount = choices.filter((c) => c.correct).length;
    const selectable = num(comp._selectable) ?? 1;
    const type: QuestionType = correctCount > 1 || selectable > 1 ? 'multiple_response' : 'choice';
    return makeQuestion({ ...base, type, choices });
  }

  // matching: each item (a stem) picks one of its `_options`; without stems (stacker) the items are
  // positions, and the correct options in item order are the expected sequence.
  if (items.some((item) => Array.isArray(item._options))) {
    const matches: { source: string; target: string }[] = [];
    const options = new Set<string>();
    const correct: string[] = [];
    for (const item of items) {
      const itemStem = toText(item.text);
      for (const option of asArray(item._options).filter(isObject)) {
        const text = toText(option.text) || toText(option.alt);
        if (!text) continue;
        options.add(text);
        if (option._isCorrect !== true) continue;
        correct.push(text);
        if (itemStem) matches.push({ source: itemStem, target: text });
      }
    }
    return makeQuestion({
      ...base,
      type: matches.length > 0 || items.some((item) => toText(item.text)) ? 'matching' : 'sequencing',
      choices: [...options].map((text, i) => ({ id: String(i + 1), text, correct: null })),
      matches,
      correctAnswers: correct,
    });
  }

  if (name.includes('slider') || (comp._scaleStart !== undefined && comp._scaleEnd !== undefined)) {
    const range = obj(comp._correctRange);
    const exact = num(comp._correctAnswer);
    const bottom = num(range._bottom);
    const top = num(range._top);
    const hasRange = bottom !== null && top !== null && (bottom !== 0 || top !== 0);
    const answers = exact !== null ? [String(exact)] : hasRange ? [`${bottom}–${top}`] : [];
    return makeQuestion({ ...base, type: answers.length > 0 ? 'other' : 'likert', correctAnswers: answers });
  }

  const topAnswers = asArray(comp._answers);
  if (name.includes('textinput') || topAnswers.length > 0 || items.some((item) => Array.isArray(item._answers))) {
    // Accepted answers per input: on the item, or (for `_allowsAnyOrder`) in a top-level list of lists.
    const perItem =
      items.length > 0
        ? items.map((item, i) => (asArray(item._answers).length > 0 ? asArray(item._answers) : listOf(topAnswers[i])))
        : topAnswers.map((a) => listOf(a));
    // An answer is a string, or (fill-in-the-blanks plug-ins) `{_answer, _isCorrect}`.
    const answerText = (a: DataValue): string =>
      typeof a === 'number' ? String(a) : isObject(a) ? (a._isCorrect === false ? '' : toText(a._answer) || toText(a.text)) : toText(a);
    const accepted = perItem.map((answers) => answers.map(answerText).filter(Boolean));
    const correctAnswers = accepted.length === 1 ? (accepted[0] ?? []) : accepted.filter((a) => a.length > 0).map((a) => a.join(' / '));
    return makeQuestion({ ...base, type: 'fill_in', correctAnswers });
  }

  if (/opentextinput|openinput|essay|textarea|reflection/.test(name)) {
    const model = str(comp.modelAnswer) || str(comp._modelAnswer);
    return makeQuestion({ ...base, type: 'essay', correctAnswers: model ? [model] : [] });
  }

  // Drag-and-drop plug-ins: each item's text takes the `_accepted` answer(s).
  if (items.some((item) => item._accepted !== undefined)) {
    const matches = items.flatMap((item) => {
      const stem = toText(item.text);
      const accepted = listOf(item._accepted).map((a) => toText(a)).filter(Boolean);
      return stem && accepted.length > 0 ? [{ source: stem, target: accepted.join(' / ') }] : [];
    });
    const options = [...new Set([...items.flatMap((item) => listOf(item._accepted)), ...asArray(comp.dummyAnswers)].map((a) => toText(a)).filter(Boolean))];
    return makeQuestion({
      ...base,
      type: 'drag_drop',
      choices: options.map((text) => ({ text, correct: null })),
      matches,
      correctAnswers: matches.map((m) => m.target),
    });
  }

  // Drop-zone plug-ins (Evolve's dragAndDrop): each item names the `_dropZones` it belongs in by id;
  // an item that belongs in none is a distractor.
  if (items.some((item) => Array.isArray(item._correctDropZones))) {
    const zones = new Map(asArray(comp._dropZones).filter(isObject).map((zone) => [str(zone._id), toText(zone.text)] as const));
    const matches: { source: string; target: string }[] = [];
    const choices = items.map((item, i) => {
      const text = choiceText(item);
      const targets = asArray(item._correctDropZones).map((zone) => zones.get(str(zone)) ?? '');
      for (const target of targets) if (text && target) matches.push({ source: text, target });
      return { id: String(i + 1), text, correct: targets.length > 0 };
    });
    return makeQuestion({ ...base, type: 'drag_drop', choices, matches, correctAnswers: choices.filter((c) => c.correct).map((c) => c.text) });
  }

  // Any other scored plug-in (sortable, hotspot...). An ordering plug-in that shuffles its items
  // (`_isRandom`, or a player whose ordering always does) keeps them in the right order; otherwise
  // the answer key is not in the data.
  if (comp._questionWeight !== undefined || isObject(comp._feedback) || comp._isQuestionType === true) {
    const choices = items.map((item, i) => ({ id: String(i + 1), text: toText(item.text) || toText(item.title), correct: null }));
    const ordering = /sort|sequenc|order|rank/.test(name);
    const correctAnswers = ordering && (comp._isRandom === true || orderingShuffles) ? choices.map((c) => c.text).filter(Boolean) : [];
    return makeQuestion({ ...base, type: ordering ? 'sequencing' : 'other', choices, correctAnswers });
  }
  return null;
}
