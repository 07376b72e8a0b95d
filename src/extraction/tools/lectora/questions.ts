import type { QuestionType } from '../../result/extraction-result.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import { pairsOf, pairTexts } from './interactions.js';
import { isTextObject, STRING, stringOf, textOf, type PageQuestions, type ParsedPage, type TextObject } from './page.js';
import { isDefaultPart, listOf, unescapeLectora } from './values.js';

/*
 * Questions are groups (`qu10.addChild('text11')`, `qu10.ansVar = VarQ1`) of text and input objects
 * whose answer variable the page checks against the correct value (correctValues). Choices are
 * radio buttons or check boxes, a ranking has one drop-down list per position, and matching and
 * drag-and-drop questions pair the objects they set up (interactions.ts).
 */

interface ChoiceInput {
  name: string;
  inputType: string;
  value: string | null;
}

interface QuestionGroup {
  name: string;
  answerVariable: string | null;
  children: string[];
}

function questionGroups(page: ParsedPage): QuestionGroup[] {
  const groups: QuestionGroup[] = [];
  const listed = page.source.match(/trivQuestionArray\s*=\s*\[([^\]]*)\]/);
  const names = new Set(listed ? (listed[1] as string).split(',').map((s) => s.trim()).filter(Boolean) : []);
  for (const m of page.source.matchAll(/^[ \t]*(\w+)\.ansVar\s*=\s*(\w+)/gm)) names.add(m[1] as string);
  for (const name of names) {
    const variable = page.source.match(new RegExp(String.raw`\b${name}\.ansVar\s*=\s*(\w+)`));
    const children = [...page.source.matchAll(new RegExp(String.raw`\b${name}\.addChild\(\s*'(\w+)'\s*\)`, 'g'))].map(
      (c) => c[1] as string,
    );
    groups.push({ name, answerVariable: variable ? (variable[1] as string) : null, children });
  }
  return groups;
}

/** The inputs of a question: from the markup Lectora appends, the body, or its Update function. */
function choiceInputs(page: ParsedPage, children: string[]): ChoiceInput[] {
  const inputs: ChoiceInput[] = [];
  for (const child of children) {
    const object = page.objects.get(child);
    if (object && isTextObject(object)) continue;
    let inputType: string | null = null;
    let value: string | null = null;
    const appended = page.source.match(
      new RegExp(String.raw`appendElement\(\s*null\s*,\s*${child}\.div\s*,\s*(?:${STRING})\s*\)`),
    );
    const markup = appended ? stringOf(appended, 1) : (page.source.match(new RegExp(String.raw`<(?:input|textarea|select)[^>]*id="${child}id"[^>]*>`)) ?? [''])[0];
    if (markup) {
      const tag = markup.match(/<(input|textarea|select)\b/i);
      const type = markup.match(/\btype\s*=\s*["']?(\w+)/i);
      inputType = tag?.[1]?.toLowerCase() === 'input' ? (type?.[1]?.toLowerCase() ?? 'text') : (tag?.[1]?.toLowerCase() ?? null);
      const valueAttribute = markup.match(/\bvalue\s*=\s*"([^"]*)"/i);
      if (valueAttribute) value = valueAttribute[1] as string;
    }
    const updated = page.source.match(
      new RegExp(
        String.raw`${child}\.objLyr\.doc\.getElementById\("${child}id"\)\.checked\s*=\s*\((?:val\s*==\s*(?:${STRING})|val\.indexOf\(\s*(?:${STRING})\s*\)\s*>=\s*0)\)`,
      ),
    );
    if (updated) {
      if (updated[1] !== undefined) value = stringOf(updated, 1);
      else value = stringOf(updated, 2).replace(/^,|,$/g, '');
      inputType ??= updated[1] !== undefined ? 'radio' : 'checkbox';
    }
    if (!inputType && /^(radio|check)/i.test(child)) inputType = child.toLowerCase().startsWith('radio') ? 'radio' : 'checkbox';
    if (!inputType && /^entry|^text(area|entry)/i.test(child)) inputType = 'text';
    if (inputType) inputs.push({ name: child, inputType, value });
  }
  return inputs;
}

/** Lectora escapes commas inside a choice value as `&#44` so that lists of values stay splittable. */
const unescapeValue = (value: string): string => value.replace(/&#44;?/g, ',');

/** The code that checks an answer: after each `var ans_Var = Var.getValue()`, up to the next answer's or the function's end. */
function checkBlocks(page: ParsedPage, variable: string): string[] {
  return [...page.source.matchAll(new RegExp(String.raw`\bvar\s+ans_${variable}\s*=`, 'g'))].map(
    (m) => page.source.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + MAX_CHECK_BLOCK).split(/\bvar\s+ans_\w+\s*=|\n\}/)[0] ?? '',
  );
}

const MAX_CHECK_BLOCK = 64 * 1024;

/**
 * The correct values the page checks the answer variable against: `Var.isCorr('<value>')` (and
 * `isCorrDD` for drag and drop); where the page checks the answer itself, `ans_Var == '<value>'`
 * (or `!=` in the branches of a wrong answer), `val == '<value>'` or `Var.equals('<value>')` (each
 * accepted answer of a text entry), and for matching and drag and drop the correct pairs as
 * `arrAns[0]='1-1'`.
 */
function correctValues(page: ParsedPage, variable: string | null): string[] {
  if (!variable) return [];
  const values = new Set<string>();
  for (const m of page.source.matchAll(new RegExp(String.raw`\b${variable}\.isCorr(?:DD)?\(\s*(?:${STRING})\s*\)`, 'g'))) values.add(stringOf(m, 1));
  const checks = new RegExp(String.raw`\bans_${variable}\s*[!=]=\s*(?:${STRING})|\bval\s*==\s*(?:${STRING})|\barrAns\[\d+\]\s*=\s*(?:${STRING})|\b${variable}\.equals\(\s*(?:${STRING})`, 'g');
  for (const block of checkBlocks(page, variable)) {
    for (const c of block.matchAll(checks)) values.add(stringOf(c, [1, 2, 3, 4].find((i) => c[i] !== undefined) ?? 1));
  }
  values.delete('~~~null~~~');
  return [...values];
}

/** A number entry's accepted range, where the page checks `Var.greaterThan('10') && Var.lessThan('20')`. */
function numberRange(page: ParsedPage, variable: string | null): string | null {
  if (!variable) return null;
  const blocks = checkBlocks(page, variable).join('\n');
  const bound = (name: string) => {
    const m = new RegExp(String.raw`\b${variable}\.${name}\(\s*(?:${STRING})\s*\)`).exec(blocks);
    return m ? unescapeLectora(stringOf(m, 1)).trim() : null;
  };
  const [low, high] = [bound('greaterThan'), bound('lessThan')];
  if (low && high) return `between ${low} and ${high}`;
  return low ? `more than ${low}` : high ? `less than ${high}` : null;
}

/** Whether an action of the page shows a hidden object (a question revealed after another). */
const isShown = (page: ParsedPage, name: string): boolean => new RegExp(String.raw`\b${name}\.(?:actionShow|actionToggle|show)\(`).test(page.source);

/** The items of a drop-down list, from the options Lectora appends to its `<select>`. */
function selectOptions(page: ParsedPage, name: string): string[] {
  const options: string[] = [];
  const pattern = new RegExp(String.raw`appendElement\(\s*null\s*,\s*${STRING}\s*,\s*${STRING}\s*\)`, 'g');
  for (const m of page.source.matchAll(pattern)) {
    if (!stringOf(m, 1).includes(`id="${name}id"`)) continue;
    const option = /^<option\b[^>]*>([\s\S]*)$/i.exec(stringOf(m, 2).trim());
    if (option) options.push(textOf(option[1] as string));
  }
  return options;
}

export function readQuestions(page: ParsedPage, offPage: (x: number | null) => boolean): PageQuestions {
  const result: PageQuestions = { questions: [], hidden: new Set(), members: new Set(), hiddenVariables: new Set() };
  for (const group of questionGroups(page)) {
    const groupObject = page.objects.get(group.name);
    const texts = group.children.map((c) => page.texts.find((t) => t.name === c)).filter((t): t is TextObject => !!t);
    const inputs = choiceInputs(page, group.children);
    // A group is off the page when all of it is, left or right of it.
    const box = groupObject?.box;
    const groupOff = box ? box.x + box.width <= 0 || (box.x >= 0 && offPage(box.x)) : offPage(Number(groupObject?.args[2]));
    const groupHidden = (groupObject?.args[6] === '0' && !isShown(page, group.name)) || groupOff;
    const allHidden =
      texts.every((t) => t.hidden || offPage(t.box?.x ?? null)) && inputs.every((i) => page.objects.get(i.name)?.args[6] !== '1') && !isShown(page, group.name);
    if (groupHidden || allHidden) {
      group.children.forEach((c) => result.hidden.add(c));
      if (group.answerVariable) result.hiddenVariables.add(group.answerVariable);
      continue;
    }
    group.children.forEach((c) => result.members.add(c));
    const correctList = correctValues(page, group.answerVariable);

    // The prompt is the first text of the group that is not an item to pair, in a `<legend>` when it
    // names a text entry; a choice's label is the text that names its input (`<label for>`), else
    // the text just before it.
    const interaction = page.interactions.get(group.name);
    const paired = new Set([...(interaction?.sources.values() ?? []), ...(interaction?.targets.values() ?? [])]);
    const labels = new Map<string, string>();
    let prompt = '';
    let previous: string | null = null;
    for (const child of group.children) {
      const text = texts.find((t) => t.name === child);
      if (paired.has(child) || (text && offPage(text.box?.x ?? null))) continue;
      if (text) {
        const labelled = /<legend/i.test(text.html) ? null : text.html.match(/\bfor\s*=\s*"(\w+?)id"/);
        if (labelled) labels.set(labelled[1] as string, textOf(text.html));
        else if (!prompt) prompt = text.html;
        previous = labelled ? null : prompt === text.html ? null : text.html;
        continue;
      }
      if (inputs.some((i) => i.name === child) && !labels.has(child) && previous !== null) labels.set(child, textOf(previous));
      previous = null;
    }
    if (isDefaultPart(textOf(prompt))) prompt = '';
    const id = `${page.file.replace(/\.html?$/i, '')}#${group.name}`;
    const question = (input: Omit<QuestionInput, 'id' | 'prompt' | 'source'>) =>
      result.questions.push({ variable: group.answerVariable, question: makeQuestion({ id, prompt, source: page.file, ...input }) });

    if (interaction && (interaction.sources.size > 0 || interaction.zones.size > 0)) {
      const { choices, matches, correctAnswers } = pairTexts(page, interaction, pairsOf(correctList), prompt);
      question({ type: interaction.zones.size > 0 ? 'drag_drop' : 'matching', choices: choices.map((text) => ({ text, correct: null })), matches, correctAnswers });
      continue;
    }
    const lists = inputs.filter((i) => i.inputType === 'select');
    if (lists.length > 1) {
      // Ranking: one drop-down per position, each listing every item; the answer is the order.
      const order = correctList.map(listOf).find((values) => values.length === lists.length) ?? [];
      question({ type: 'sequencing', choices: selectOptions(page, lists[0]?.name ?? '').map((text) => ({ text, correct: null })), correctAnswers: order });
      continue;
    }

    const choiceInputs_ = inputs.filter((i) => i.inputType === 'radio' || i.inputType === 'checkbox');
    const entries = inputs.filter((i) => i.inputType === 'text' || i.inputType === 'textarea');
    let type: QuestionType;
    let correctAnswers: string[] | undefined;
    if (choiceInputs_.length > 0) {
      const values = choiceInputs_.map((i) => (i.value ?? '').toLowerCase());
      if (choiceInputs_.every((i) => i.inputType === 'checkbox')) type = 'multiple_response';
      else if (values.length === 2 && values.includes('true') && values.includes('false')) type = 'true_false';
      else type = 'choice';
    } else if (entries.length > 0) {
      const range = numberRange(page, group.answerVariable);
      correctAnswers = range ? [range] : correctList.flatMap((c) => c.split(',')).map(unescapeValue).filter(Boolean);
      type = correctAnswers.length === 0 && entries.every((i) => i.inputType === 'textarea') ? 'essay' : 'fill_in';
    } else {
      continue; // Hot spots: the answer is a place on a picture.
    }
    // Choices without words of their own are pictures when the question shows one per choice:
    // told apart by their place, as the learner does.
    const pictures = group.children.filter((c) => page.objects.get(c)?.type === 'ObjImage').length;
    const named = choiceInputs_.map((input) => {
      const text = labels.get(input.name) || unescapeValue(input.value ?? '');
      return isDefaultPart(text) ? '' : text;
    });
    const byPlace = choiceInputs_.length > 1 && named.every((text) => !text) && pictures >= choiceInputs_.length;
    question({
      type,
      choices: choiceInputs_.map((input, i) => {
        const value = input.value ?? '';
        // A multiple-response answer is the list of correct values joined by commas.
        const isCorrect =
          correctList.length > 0 && value ? correctList.some((c) => c === value || `,${c},`.includes(`,${value},`)) : null;
        return { id: String(i + 1), text: byPlace ? '' : (named[i] ?? ''), picture: byPlace, correct: isCorrect };
      }),
      correctAnswers,
    });
  }
  return result;
}
