import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import type { Question } from '../result/extraction-result.js';
import { makeQuestion } from '../tools/question.js';
import { normalizeSpace } from './text.js';

const isCorrect = (element: Element) => /^(yes|true|1|correct)$/i.test(element.attribs['data-correct'] ?? '');
const textOf = (element: Element | undefined) => (element ? normalizeSpace(DomUtils.textContent(element)) : '');

/**
 * Questions of hand-written HTML quizzes that mark their answers in the markup: form controls
 * with `data-correct` (options, radios, checkboxes) or `data-answer` (text inputs), grouped by
 * `name`, with the prompt from the group's label.
 */
export function formQuestions(html: string, source: string): Question[] {
  if (!/data-(correct|answer)\b/i.test(html)) return [];
  const document = parseDocument(html);
  const labels = DomUtils.getElementsByTagName('label', document);
  const labelFor = (id: string | undefined) => (id ? labels.find((l) => l.attribs.for === id) : undefined);
  const controls = DomUtils.findAll(
    (e) => (e.name === 'input' || e.name === 'select' || e.name === 'textarea') && !!e.attribs.name,
    document.children,
  );
  const groups = new Map<string, Element[]>();
  for (const control of controls) groups.set(control.attribs.name!, [...(groups.get(control.attribs.name!) ?? []), control]);

  const questions: Question[] = [];
  for (const [name, members] of groups) {
    const first = members[0]!;
    const promptLabel =
      labels.find((l) => l.attribs.id === `${name}-question`) ??
      (first.name === 'select' || first.attribs.type === 'text' ? labelFor(first.attribs.id) : undefined);
    const prompt = textOf(promptLabel);
    if (!prompt) continue;
    if (first.name === 'select') {
      const options = DomUtils.getElementsByTagName('option', first);
      if (!options.some(isCorrect)) continue;
      questions.push(
        makeQuestion({
          id: name,
          type: 'multiple' in first.attribs ? 'multiple_response' : 'choice',
          prompt,
          source,
          choices: options.map((o) => ({ id: o.attribs.value, text: textOf(o), correct: isCorrect(o) })),
        }),
      );
    } else if (members.every((m) => m.attribs.type === 'radio' || m.attribs.type === 'checkbox')) {
      if (!members.some(isCorrect)) continue;
      questions.push(
        makeQuestion({
          id: name,
          type: first.attribs.type === 'checkbox' ? 'multiple_response' : 'choice',
          prompt,
          source,
          choices: members.map((m) => ({ id: m.attribs.value, text: textOf(labelFor(m.attribs.id)) || (m.attribs.value ?? ''), correct: isCorrect(m) })),
        }),
      );
    } else if (first.attribs['data-answer'] !== undefined) {
      questions.push(
        makeQuestion({ id: name, type: 'fill_in', prompt, source, correctAnswers: [first.attribs['data-answer']] }),
      );
    }
  }
  return questions;
}
