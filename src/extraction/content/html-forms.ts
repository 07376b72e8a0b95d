import { DomUtils } from 'htmlparser2';
import { parseHtml } from './html.js';
import type { AnyNode, Element } from 'domhandler';
import type { Question, QuestionType } from '../result/extraction-result.js';
import { makeQuestion } from '../tools/question.js';
import type { AnswerKey } from './answer-keys.js';
import { normalizeSpace } from './text.js';

/*
 * Questions of hand-written HTML quizzes: form controls grouped by `name` (radio buttons, check
 * boxes, selects, text inputs), with the right answer marked in the markup (`data-correct`,
 * `data-answer` on a control, or naming the right values on the question's element or its check
 * button: `<div class="question" data-correct="b">`, `data-correct="a,c"`) or in the page's
 * scripts (answer-keys.ts). The prompt is the group's legend or label, or the text just before it;
 * a choice's label is its `<label for>`, the label around it, or the text right after it. Feedback
 * is the question's elements classed for an outcome (`feedback-correct`, `incorrect-feedback`).
 */

const CONTROL = new Set(['input', 'select', 'textarea']);
/** Elements that end the text beside a radio button. */
const TEXT_END = new Set(['input', 'select', 'textarea', 'br', 'hr', 'p', 'div', 'li', 'ul', 'ol', 'table', 'tr', 'fieldset', 'section', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const MAX_STEPS = 200;

const isElement = (node: AnyNode | null | undefined): node is Element => !!node && node.type === 'tag';
const isControl = (node: AnyNode): boolean => isElement(node) && CONTROL.has(node.name);
const textOf = (node: AnyNode | undefined | null) => (node ? normalizeSpace(DomUtils.textContent(node)) : '');
const MARK = /^(yes|true|1|correct)$/i;
const marked = (element: Element) => MARK.test(element.attribs['data-correct'] ?? '');
const CORRECT_FEEDBACK = /(^|[\s_-])(feedback[-_]?(correct|right|positive)|(correct|right|positive)[-_]?feedback)($|[\s_-])/i;
const INCORRECT_FEEDBACK = /(^|[\s_-])(feedback[-_]?(incorrect|wrong|negative)|(incorrect|wrong|negative)[-_]?feedback)($|[\s_-])/i;
const comparable = (text: string) => normalizeSpace(text).replace(/[.!?;:]+$/, '').toLowerCase();

class FormPage {
  private readonly labels: Element[];
  private readonly ids = new Map<string, number>();

  constructor(readonly document: ReturnType<typeof parseHtml>) {
    this.labels = DomUtils.getElementsByTagName('label', document);
  }

  countIds(controls: Element[]): void {
    for (const c of controls) if (c.attribs.id) this.ids.set(c.attribs.id, (this.ids.get(c.attribs.id) ?? 0) + 1);
  }

  labelFor(id: string | undefined): Element | undefined {
    return id ? this.labels.find((l) => l.attribs.for === id) : undefined;
  }

  private wrappingLabel(control: Element): Element | undefined {
    for (let node = control.parent, steps = 0; isElement(node) && steps < MAX_STEPS; node = node.parent, steps++) {
      if (node.name === 'label') return node;
    }
    return undefined;
  }

  /** The text right after a control, up to the next control, line break or block. */
  private textAfter(control: Element): string {
    let text = '';
    for (let node = control.next, steps = 0; node && steps < MAX_STEPS; node = node.next, steps++) {
      if (isElement(node) && (TEXT_END.has(node.name) || (node.name === 'label' && node.attribs.for))) break;
      text += ` ${DomUtils.textContent(node)}`;
    }
    return normalizeSpace(text);
  }

  choiceLabel(control: Element): string {
    const id = control.attribs.id;
    const own = id && this.ids.get(id) === 1 ? textOf(this.labelFor(id)) : '';
    return own || textOf(this.wrappingLabel(control)) || this.textAfter(control) || (control.attribs.value ?? '');
  }

  /**
   * The text before a group: the nearest text going back from it, unless another group comes first.
   * A form's only question may be asked above the form.
   */
  private textBefore(first: Element, alone: boolean): string {
    const stops = alone ? ['body'] : ['form', 'body'];
    let node: AnyNode = this.wrappingLabel(first) ?? first;
    for (let steps = 0; steps < MAX_STEPS; steps++) {
      let previous: AnyNode | null = node.prev;
      while (!previous && isElement(node.parent) && !stops.includes(node.parent.name)) {
        node = node.parent;
        previous = node.prev;
      }
      if (!previous) return '';
      node = previous;
      if (isControl(node) || (isElement(node) && DomUtils.findOne(isControl, node.children))) return '';
      const text = textOf(node);
      if (text) return text;
    }
    return '';
  }

  prompt(name: string, members: Element[], alone: boolean): string {
    const first = members[0]!;
    const fieldset = DomUtils.findOne((e) => e.name === 'legend', this.fieldsetOf(first)?.children ?? []);
    const ownLabel = first.name === 'select' || first.name === 'textarea' || members.every((m) => m.attribs.id === first.attribs.id || m.attribs.type === 'text');
    return (
      textOf(fieldset) ||
      textOf(this.labels.find((l) => l.attribs.id === `${name}-question`)) ||
      (ownLabel ? textOf(this.labelFor(first.attribs.id)) : '') ||
      this.textBefore(first, alone)
    );
  }

  /** The outermost element around a group that holds no control of another group: its question's markup. */
  questionOf(name: string, first: Element): Element | undefined {
    const otherControl = (e: Element) => isControl(e) && e.attribs.name !== name && !/^(submit|button|reset|hidden|image)$/i.test(e.attribs.type ?? '');
    let question: Element | undefined;
    for (let node = first.parent, steps = 0; isElement(node) && steps < MAX_STEPS; node = node.parent, steps++) {
      if (['form', 'body', 'html'].includes(node.name) || DomUtils.findOne(otherControl, node.children)) break;
      question = node;
    }
    return question;
  }

  private fieldsetOf(control: Element): Element | undefined {
    for (let node = control.parent, steps = 0; isElement(node) && steps < MAX_STEPS; node = node.parent, steps++) {
      if (node.name === 'fieldset') return node;
    }
    return undefined;
  }
}

/** The correct values the key gives a group: by name, by the ids of its controls, by its place in a list. */
function keyValues(key: AnswerKey, name: string, members: Element[], position: number, groupCount: number): string[] {
  const values = [...(key.values.get(name) ?? [])];
  for (const { attribs } of members) {
    if (!attribs.id) continue;
    values.push(...(key.values.get(`#${attribs.id}`) ?? []));
    if (key.ids.has(attribs.id)) values.push(attribs.value ?? `#${attribs.id}`);
  }
  for (const list of key.lists) if (list.length === groupCount) values.push(...(list[position] ?? []));
  return values;
}

/** Values the question's markup names as right: `data-correct="b"` on its element or on an element in it. */
function markedValues(question: Element | undefined): string[] {
  if (!question) return [];
  const holders = [question, ...DomUtils.findAll((e) => !isControl(e) && ('data-correct' in e.attribs || 'data-answer' in e.attribs), question.children)];
  return holders.flatMap((e) =>
    [e.attribs['data-correct'], e.attribs['data-answer']]
      .filter((v): v is string => v !== undefined && v.trim() !== '' && !MARK.test(v.trim()))
      .flatMap((v) => v.split(',').map((part) => part.trim()).filter(Boolean)),
  );
}

/** The question's feedback for each outcome, from elements classed for it. */
function feedbackOf(question: Element | undefined): { correct: string | null; incorrect: string | null } {
  const find = (pattern: RegExp) => (question ? textOf(DomUtils.findOne((e) => pattern.test(e.attribs.class ?? ''), question.children)) || null : null);
  return { correct: find(CORRECT_FEEDBACK), incorrect: find(INCORRECT_FEEDBACK) };
}

interface DraftChoice {
  id?: string;
  text: string;
  value: string;
  correct: boolean;
}

/** Marks the choices a key's values name: by value, by id, or by label. */
function markChoices(choices: DraftChoice[], members: Element[], values: string[]): void {
  choices.forEach((choice, i) => {
    const member = members[i];
    choice.correct ||= values.some(
      (v) => v === choice.value || v === `#${member?.attribs.id}` || comparable(v) === comparable(choice.text),
    );
  });
}

function choiceType(type: string | undefined, choices: DraftChoice[]): QuestionType {
  const texts = choices.map((c) => comparable(c.text));
  if (texts.length === 2 && texts.includes('true') && texts.includes('false')) return 'true_false';
  return type === 'checkbox' || choices.filter((c) => c.correct).length > 1 ? 'multiple_response' : 'choice';
}

/** Whether a page has form controls, the only pages worth reading an answer key for. */
export const hasFormControls = (html: string): boolean => /<(input|select|textarea)\b/i.test(html);

const EMPTY_KEY: AnswerKey = { values: new Map(), ids: new Set(), lists: [], named: [] };

/**
 * Questions of hand-written HTML quizzes whose answers the markup or the page's scripts (their
 * answer key, answer-keys.ts) give, grouped by control `name`.
 */
export function formQuestions(html: string, source: string, key: AnswerKey = EMPTY_KEY): Question[] {
  if (!hasFormControls(html)) return [];
  const hasMarks = /data-(correct|answer)\b/i.test(html);
  if (!hasMarks && key.values.size === 0 && key.ids.size === 0 && key.lists.length === 0 && key.named.length === 0) return [];
  const page = new FormPage(parseHtml(html));
  const controls = DomUtils.findAll(
    (e) => CONTROL.has(e.name) && !!e.attribs.name && !/^(submit|button|reset|hidden|image)$/i.test(e.attribs.type ?? ''),
    page.document.children,
  );
  page.countIds(controls);
  const groups = new Map<string, Element[]>();
  for (const control of controls) groups.set(control.attribs.name!, [...(groups.get(control.attribs.name!) ?? []), control]);

  const drafts = [...groups].map(([name, members], position) => {
    const first = members[0]!;
    const options = first.name === 'select' ? DomUtils.getElementsByTagName('option', first) : members;
    const isChoice = first.name === 'select' || members.every((m) => m.attribs.type === 'radio' || m.attribs.type === 'checkbox');
    const choices: DraftChoice[] = isChoice
      ? options.map((o) => ({
          id: o.attribs.value,
          text: first.name === 'select' ? textOf(o) : page.choiceLabel(o),
          value: o.attribs.value ?? textOf(o),
          correct: marked(o),
        }))
      : [];
    const question = page.questionOf(name, first);
    const values = [...keyValues(key, name, members, position, groups.size), ...markedValues(question)];
    markChoices(choices, options, values);
    return { name, members, first, isChoice, choices, values, feedback: feedbackOf(question) };
  });
  markNamed(drafts.map((d) => d.choices), key.named);

  const questions: Question[] = [];
  for (const { name, members, first, isChoice, choices, values, feedback } of drafts) {
    const prompt = page.prompt(name, members, groups.size === 1);
    if (!prompt) continue;
    if (isChoice) {
      if (!choices.some((c) => c.correct)) continue;
      const type = first.name === 'select' ? ('multiple' in first.attribs ? 'multiple_response' : 'choice') : choiceType(first.attribs.type, choices);
      questions.push(makeQuestion({ id: name, type, prompt, source, choices, feedback }));
      continue;
    }
    const answers = first.attribs['data-answer'] !== undefined ? [first.attribs['data-answer']] : values;
    if (answers.length > 0) questions.push(makeQuestion({ id: name, type: 'fill_in', prompt, source, correctAnswers: answers, feedback }));
  }
  return questions;
}

/** Feedback naming the right answer marks the choice it names, when only one group of the page has it and no key marked that group. */
function markNamed(groups: DraftChoice[][], named: string[]): void {
  for (const text of named) {
    const holders = groups.filter((choices) => choices.some((c) => comparable(c.text) === comparable(text)));
    const [only] = holders;
    if (holders.length !== 1 || !only || only.some((c) => c.correct)) continue;
    for (const choice of only) choice.correct = comparable(choice.text) === comparable(text);
  }
}
