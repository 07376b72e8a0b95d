import { DomUtils } from 'htmlparser2';
import { blockText } from '../../content/html.js';
import { normalizeSpace } from '../../content/text.js';
import type { Block, Question } from '../../result/extraction-result.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import { all, byId, classes, first, fragmentBlocks, hasClass, isElement, text, type Element, type Node } from './dom.js';
import { readGames } from './games.js';
import { interactiveVideos } from './interactive-video.js';
import { jsonActivityQuestions } from './json-activities.js';

/** The cloze answer encoding of eXe: `%uXXXX` escapes in base64 of a XOR chain keyed on "X". */
export function decodeClozeAnswer(encoded: string): string {
  const escaped = Buffer.from(encoded.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  const xored = escaped.replace(/%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})/g, (_m, u: string | undefined, b: string | undefined) =>
    String.fromCharCode(parseInt((u ?? b) as string, 16)),
  );
  let key = 'X'.charCodeAt(0);
  let result = '';
  for (const char of xored) {
    key ^= char.charCodeAt(0);
    result += String.fromCharCode(key);
  }
  return result;
}

/** Accepted answers of one blank: `|a|b|` lists alternatives. */
function alternatives(answer: string): string {
  const trimmed = answer.trim();
  if (trimmed.startsWith('|') && trimmed.endsWith('|') && trimmed.length > 1) {
    return trimmed.split('|').map((s) => s.trim()).filter(Boolean).join(' / ');
  }
  return trimmed;
}

/** Labels eXe writes for "Correct Option" / "Wrong" in the languages it ships (prefixes). */
const WRONG_LABEL = /\b(wrong|incorrect|incorret|erron|errad|falsch|fout|sbagliat|faux|fausse|fals[oae]|oker)/i;
const RIGHT_LABEL = /\b(correct|corret|richtig|juist|giust|bonne|right|zuzen)/i;

function solutionFlags(labels: string[]): (boolean | null)[] {
  if (labels.length === 0) return [];
  const classified = labels.map((l) => (WRONG_LABEL.test(l) ? false : RIGHT_LABEL.test(l) ? true : null));
  if (classified.every((c) => c !== null) && classified.some((c) => c)) return classified;
  // Unknown language: one option carries a label no other one has.
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  if (counts.size === 2 && labels.length >= 3) {
    const unique = [...counts].find(([, n]) => n === 1)?.[0];
    if (unique !== undefined) return labels.map((l) => l === unique);
  }
  return labels.map(() => null);
}

interface Activity {
  questions: Question[];
  passingScore: number | null;
  /** Learner text a game keeps in its data (cards, checklists), not in the page. */
  blocks: Block[];
}

export function activityQuestions(idevice: Element, file: string, scripts: string): Activity {
  const questions: Question[] = [];
  let passingScore: number | null = null;
  const add = (input: Omit<QuestionInput, 'source'>) => {
    const question = makeQuestion({ ...input, source: file });
    if (question.prompt || question.choices.length > 0) questions.push(question);
  };
  const promptOf = (scope: Node) => {
    const element = first(scope, (e) => /^taquestion/.test(e.attribs.id ?? ''));
    return element ? DomUtils.getInnerHTML(element) : '';
  };

  // Multi-choice: one form per question, feedback per option, solution list after the form.
  for (const form of all(idevice, (e) => e.name === 'form' && /^multi-choice-form-/.test(e.attribs.name ?? ''))) {
    const qid = (form.attribs.name as string).replace(/^multi-choice-form-/, '');
    const scope = form.parent && isElement(form.parent) ? form.parent : form;
    const answers = all(form, (e) => hasClass(e, 'iDevice_answer'));
    const solution = first(scope, (e) => hasClass(e, 'iDevice_solution'));
    const labels = solution ? all(solution, (e) => e.name === 'li').map((li) => text(first(li, (e) => e.name === 'a') ?? li)) : [];
    const flags = labels.length === answers.length ? solutionFlags(labels) : answers.map(() => null);
    add({
      id: qid,
      type: 'choice',
      prompt: promptOf(form),
      choices: answers.map((answer, i) => {
        const content = first(answer, (e) => hasClass(e, 'iDevice_answer-content'));
        const feedback = text(byId(form, `sa${i}b${qid}`) ?? byId(scope, `sa${i}b${qid}`));
        return {
          id: String(i + 1),
          text: content ? DomUtils.getInnerHTML(content) : '',
          correct: flags[i] ?? null,
          feedback: feedback && feedback !== labels[i] ? feedback : null,
        };
      }),
    });
  }

  // True-false: the result label of each statement has class "right" when the statement is true.
  for (const result of all(idevice, (e) => /^s.+-result$/.test(e.attribs.id ?? '') && /^(right|wrong)$/.test(classes(e).trim()))) {
    const id = (result.attribs.id as string).replace(/^s/, '').replace(/-result$/, '');
    const form = first(idevice, (e) => e.name === 'form' && e.attribs.name === `true-false-form-${id}`);
    const scope = form ?? idevice;
    const label = (value: string) => text(first(idevice, (e) => e.name === 'label' && e.attribs.for === `${value}${id}`));
    const isTrue = classes(result).trim() === 'right';
    const feedbackBox = byId(idevice, `s${id}`);
    const feedback = feedbackBox ? normalizeSpace(text(feedbackBox).replace(text(result), '')) : '';
    add({
      id,
      type: 'true_false',
      prompt: DomUtils.getInnerHTML(byId(idevice, `taquestion${id}`) ?? scope),
      choices: [
        { id: 'true', text: label('true') || 'True', correct: isTrue },
        { id: 'false', text: label('false') || 'False', correct: !isTrue },
      ],
      feedback: feedback ? { correct: feedback, incorrect: feedback } : undefined,
    });
  }

  // Multi-select: each checkbox carries value="True" or "False".
  for (const form of all(idevice, (e) => e.name === 'form' && /^multi-select-form-/.test(e.attribs.name ?? ''))) {
    const qid = (form.attribs.name as string).replace(/^multi-select-form-/, '');
    const answers = all(form, (e) => hasClass(e, 'iDevice_answer'));
    const general = text(byId(form, `f${qid}`));
    add({
      id: qid,
      type: 'multiple_response',
      prompt: promptOf(form),
      choices: answers.map((answer, i) => {
        const box = first(answer, (e) => e.name === 'input' && e.attribs.type === 'checkbox');
        const value = box?.attribs.value?.toLowerCase();
        const content = first(answer, (e) => hasClass(e, 'iDevice_answer-content'));
        return {
          id: String(i + 1),
          text: content ? DomUtils.getInnerHTML(content) : '',
          correct: value === 'true' ? true : value === 'false' ? false : null,
        };
      }),
      feedback: general ? { correct: general, incorrect: general } : undefined,
    });
  }

  // Cloze: blanks with their encoded answers.
  for (const cloze of all(idevice, (e) => /^cloze(lang)?[^A-Z]/.test(e.attribs.id ?? '') && e.name !== 'input' && e.name !== 'span')) {
    const kind = /^clozelang/.test(cloze.attribs.id as string) ? 'clozelang' : 'cloze';
    const ident = (cloze.attribs.id as string).slice(kind.length);
    const answers = all(cloze, (e) => (e.attribs.id ?? '').startsWith(`${kind}Answer${ident}.`)).map((e) =>
      alternatives(decodeClozeAnswer(DomUtils.textContent(e))),
    );
    if (answers.length === 0) continue;
    const passage = fragmentBlocks(cloze).map(blockText).join('\n');
    add({ id: ident, type: 'fill_in', prompt: passage, correctAnswers: answers });
  }

  // SCORM quiz: radio values are option numbers, the key is in the page script (`var key0 = 2;`).
  for (const form of all(idevice, (e) => e.name === 'form' && (hasClass(e, 'quiz-test-form') || /^quizForm/.test(e.attribs.name ?? '')))) {
    const rate = first(form, (e) => e.name === 'input' && /^passrate/.test(e.attribs.id ?? e.attribs.name ?? ''));
    const parsedRate = rate ? Number.parseFloat(rate.attribs.value ?? '') : Number.NaN;
    if (Number.isFinite(parsedRate)) passingScore = parsedRate;
    const keys = new Map([...scripts.matchAll(/\bvar\s+key(\d+)\s*=\s*(-?\d+)\s*;/g)].map((m) => [m[1] as string, m[2] as string]));
    const sections = all(form, (e) => hasClass(e, 'question'));
    for (const [i, section] of sections.entries()) {
      const answers = all(section, (e) => hasClass(e, 'iDevice_answer'));
      add({
        id: `${form.attribs.name ?? 'quiz'}-${i + 1}`,
        type: 'choice',
        prompt: promptOf(section),
        choices: answers.map((answer, j) => {
          const radio = first(answer, (e) => e.name === 'input' && e.attribs.type === 'radio');
          const index = (radio?.attribs.name ?? '').match(/^key(\d+)b/)?.[1];
          const key = index !== undefined ? keys.get(index) : undefined;
          const content = first(answer, (e) => hasClass(e, 'iDevice_answer-content'));
          return {
            id: String(j + 1),
            text: content ? DomUtils.getInnerHTML(content) : '',
            correct: key === undefined || radio?.attribs.value === undefined ? null : radio.attribs.value === key,
          };
        }),
      });
    }
  }
  // Scrambled list: the items in the right order (the script shuffles them), a text when right and one when wrong.
  for (const list of all(idevice, (e) => hasClass(e, 'exe-sortableList'))) {
    const ul = first(list, (e) => hasClass(e, 'exe-sortableList-list'));
    const order = ul ? ul.children.filter(isElement).filter((e) => e.name === 'li').map((li) => DomUtils.getInnerHTML(li)) : [];
    const instructions = first(list, (e) => hasClass(e, 'exe-sortableList-instructions'));
    const right = text(first(list, (e) => hasClass(e, 'exe-sortableList-rightText')));
    const wrong = text(first(list, (e) => hasClass(e, 'exe-sortableList-wrongText')));
    if (order.length < 2) continue;
    add({
      id: list.attribs.id ?? 'sortable-list',
      type: 'sequencing',
      prompt: instructions ? DomUtils.getInnerHTML(instructions) : '',
      choices: order.map((item, i) => ({ id: String(i + 1), text: item })),
      correctAnswers: order,
      feedback: right || wrong ? { correct: right || null, incorrect: wrong || null } : undefined,
    });
  }
  // eXe 3 activities drawn from their JSON, games and interactive videos drawn from their data.
  for (const activity of jsonActivityQuestions(idevice)) add(activity);
  const games = readGames(idevice);
  const videos = interactiveVideos(idevice);
  for (const activity of [...games.questions, ...videos.questions]) add(activity);
  return { questions, passingScore, blocks: [...games.blocks, ...videos.blocks] };
}
