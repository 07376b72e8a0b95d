import type { QuestionType } from '../../result/extraction-result.js';
import { makeQuestion } from '../question.js';
import { isTextObject, STRING, stringOf, textOf, type PageQuestions, type ParsedPage, type TextObject } from './page.js';

/*
 * Questions are groups of text and input objects whose answer variable is checked with
 * `Var.isCorr('<correct value>')`.
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

export function readQuestions(page: ParsedPage, offPage: (x: number | null) => boolean): PageQuestions {
  const result: PageQuestions = { questions: [], hidden: new Set(), members: new Set(), hiddenVariables: new Set() };
  for (const group of questionGroups(page)) {
    const groupObject = page.objects.get(group.name);
    const texts = group.children.map((c) => page.texts.find((t) => t.name === c)).filter((t): t is TextObject => !!t);
    const inputs = choiceInputs(page, group.children);
    const groupHidden = groupObject?.args[6] === '0' || offPage(Number(groupObject?.args[2]));
    const allHidden =
      texts.every((t) => t.hidden || offPage(t.x)) && inputs.every((i) => page.objects.get(i.name)?.args[6] !== '1');
    if (groupHidden || allHidden) {
      group.children.forEach((c) => result.hidden.add(c));
      if (group.answerVariable) result.hiddenVariables.add(group.answerVariable);
      continue;
    }
    group.children.forEach((c) => result.members.add(c));

    const correct = new Set<string>();
    if (group.answerVariable) {
      const pattern = new RegExp(String.raw`\b${group.answerVariable}\.isCorr\(\s*(?:${STRING})\s*\)`, 'g');
      for (const m of page.source.matchAll(pattern)) correct.add(stringOf(m, 1));
    }
    const correctList = [...correct];

    // The prompt is the first text of the group; a choice's label is the text that names its
    // input (`<label for>`), else the text just before it.
    const labels = new Map<string, string>();
    let prompt = '';
    let previous: string | null = null;
    for (const child of group.children) {
      const text = texts.find((t) => t.name === child);
      if (text) {
        const labelled = text.html.match(/\bfor\s*=\s*"(\w+?)id"/);
        if (labelled) labels.set(labelled[1] as string, textOf(text.html));
        else if (!prompt) prompt = text.html;
        previous = labelled ? null : prompt === text.html ? null : text.html;
        continue;
      }
      if (inputs.some((i) => i.name === child) && !labels.has(child) && previous !== null) labels.set(child, textOf(previous));
      previous = null;
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
      correctAnswers = correctList.flatMap((c) => c.split(',')).map(unescapeValue).filter(Boolean);
      type = correctAnswers.length === 0 && entries.every((i) => i.inputType === 'textarea') ? 'essay' : 'fill_in';
    } else {
      continue; // Drag and drop, hot spots: not a form the page records answers for.
    }
    result.questions.push({
      variable: group.answerVariable,
      question: makeQuestion({
        id: `${page.file.replace(/\.html?$/i, '')}#${group.name}`,
        type,
        prompt,
        source: page.file,
        choices: choiceInputs_.map((input, i) => {
          const value = input.value ?? '';
          // A multiple-response answer is the list of correct values joined by commas.
          const isCorrect =
            correctList.length > 0 && value ? correctList.some((c) => c === value || `,${c},`.includes(`,${value},`)) : null;
          return { id: String(i + 1), text: labels.get(input.name) || unescapeValue(value), correct: isCorrect };
        }),
        correctAnswers,
      }),
    });
  }
  return result;
}
