import { DomUtils } from 'htmlparser2';
import { htmlToText } from '../../content/html.js';
import { asArray, asNumber, obj, objects, parseJson, scalarText, str, type DataObject } from '../../content/data-values.js';
import type { Block } from '../../result/extraction-result.js';
import type { QuestionInput } from '../question.js';
import { all, classes, first, hasClass, type Element } from './dom.js';

/*
 * eXe games (eXe 2.6+ and eXe 3) keep their data in a hidden `<game>-DataGame` element of the
 * iDevice, drawn by a script when the page opens: JSON, JSON `escape()`d, or JSON `escape()`d with
 * each character XOR 146. Texts inside are often `escape()`d or URI-encoded again (`eText`).
 * What each game holds:
 * - questions with options, the right one(s) named: quick questions (`selecciona`, `selectsGame`:
 *   `solution` letters), quiz and video quiz (`quext`, `vquext`) and hidden image (`hiddenimage`)
 *   (`questionsGame`: `solution` an index), trivial (`temas`, questions with short keys and a
 *   base64 `s` = the prompt's length + the solution letters);
 * - words to find from a definition: rosco, crossword, guess, word search (`wordsGame`: `word`,
 *   `definition`), identify (`question`, `solution`, `clues`), challenge (`challengesGame`) and
 *   padlock (`candadoSolution` for the page's `candado-instructions`);
 * - fill in the blanks (`completa`): the text is in the page (`completa-text-game`), each blank
 *   between `@@`, its accepted words `|`-separated;
 * - pairs and groups: relate (`cardsGame`: front `eText` with back `eTextBk`), classify
 *   (`wordsGame` with a `group` among `groups`), drag and drop (`cardsGame`: an image with the
 *   `definition` dropped on it), sort (`phrasesGame`: a phrase's words, or its cards, in order);
 * - learner text, no answers: flip cards, before/after cards, puzzles, checklists and rubrics.
 * Games without words to read (math operations, progress report, periodic table) add nothing.
 */

const MAX_DATA_CHARS = 4 * 1024 * 1024;
const MAX_ITEMS = 2000;

type Activity = Omit<QuestionInput, 'source'>;
interface Game {
  questions: Activity[];
  blocks: Block[];
}

/** `escape()` undone: `%uXXXX` and `%XX` as the characters they name. */
const unescapeText = (text: string): string =>
  text.replace(/%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})/g, (_m, u: string | undefined, b: string | undefined) =>
    String.fromCharCode(parseInt((u ?? b) as string, 16)),
  );

/** A text the game stored encoded: escaped text has no spaces of its own. */
function decodedText(value: unknown): string {
  const text = scalarText(value);
  if (!/%[0-9a-fA-F]{2}/.test(text) || /\s/.test(text)) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return unescapeText(text);
  }
}

/** A text field as a reader sees it: decoded, without markup. */
const plain = (value: unknown): string => htmlToText(decodedText(value));

/** A game's data: plain JSON, JSON `escape()`d, or `escape()`d and XOR 146 (the game's own light encoding). */
function decodeGameData(raw: string): DataObject {
  const trimmed = raw.trim();
  if (trimmed.length > MAX_DATA_CHARS) return {};
  if (trimmed.startsWith('{')) return obj(parseJson(trimmed));
  const unescaped = unescapeText(trimmed);
  if (unescaped.startsWith('{')) return obj(parseJson(unescaped));
  let decoded = '';
  for (let i = 0; i < unescaped.length; i++) decoded += String.fromCharCode(unescaped.charCodeAt(i) ^ 146);
  return obj(parseJson(decoded));
}

const items = (value: unknown): DataObject[] => objects(value).slice(0, MAX_ITEMS);
const paragraphs = (...texts: string[]): Block[] => texts.filter(Boolean).map((text) => ({ type: 'paragraph', text }));
const list = (texts: string[]): Block[] => (texts.length > 0 ? [{ type: 'list', ordered: false, items: texts }] : []);
const fillIn = (id: string, prompt: string, answer: string, feedback?: Activity['feedback']): Activity[] =>
  prompt.trim() && answer.trim() ? [{ id, type: 'fill_in', prompt, correctAnswers: [answer], feedback }] : [];

/** Options of a question with its right ones: `letters` ("B", "AC") or an index. */
function choiceQuestion(id: string, prompt: string, options: string[], right: (index: number) => boolean, feedback?: Activity['feedback']): Activity {
  const choices = options
    .map((text, i) => ({ id: String.fromCharCode(65 + i), text, correct: right(i) }))
    .filter((o) => o.text.trim());
  return { id, type: choices.filter((c) => c.correct).length > 1 ? 'multiple_response' : 'choice', prompt, choices, feedback };
}

/**
 * A quick question: `typeSelect` 0 picks the options whose letters are in `solution` ("B", "AC"),
 * 1 orders them as `solution` spells, 2 wants the word in `solutionQuestion`.
 */
function quickQuestion(question: DataObject, id: string): Activity {
  const options = asArray(question.options).map(scalarText);
  const letters = scalarText(question.solution).toUpperCase();
  const hit = str(question.msgHit);
  const error = str(question.msgError);
  const feedback = hit || error ? { correct: hit || null, incorrect: error || null } : undefined;
  const prompt = str(question.quextion);
  switch (asNumber(question.typeSelect)) {
    case 1: {
      const shown = options.map((text, i) => ({ id: String.fromCharCode(65 + i), text })).filter((o) => o.text.trim());
      const order = [...letters].map((l) => shown.find((o) => o.id === l)?.text ?? '').filter(Boolean);
      return { id, type: 'sequencing', prompt, choices: shown, correctAnswers: order, feedback };
    }
    case 2:
      return { id, type: 'fill_in', prompt, correctAnswers: [str(question.solutionQuestion)].filter(Boolean), feedback };
    default:
      return choiceQuestion(id, prompt, options, (i) => letters.includes(String.fromCharCode(65 + i)), feedback);
  }
}

/** A question with `numberOptions` options and the index of the right one in `solution`. */
function indexedQuestion(question: DataObject, id: string, prompt: string): Activity {
  const count = asNumber(question.numberOptions) ?? 4;
  const options = asArray(question.options).slice(0, count).map(scalarText);
  const solution = asNumber(question.solution) ?? 0;
  const hit = str(question.msgHit);
  const error = str(question.msgError);
  return choiceQuestion(id, prompt, options, (i) => i === solution, hit || error ? { correct: hit || null, incorrect: error || null } : undefined);
}

/** Base64 of URI-encoded text, as trivial writes its keys. */
function base64Text(value: unknown): string {
  const text = Buffer.from(str(value), 'base64').toString('latin1');
  try {
    return decodeURIComponent(text);
  } catch {
    return unescapeText(text);
  }
}

/** Trivial's questions by topic, with short keys; the solution after the prompt's length in `s`. */
function trivialQuestions(data: DataObject, key: string): Activity[] {
  const topics = asArray(data.temas).slice(0, asNumber(data.numeroTemas) ?? undefined);
  return topics.flatMap((topic, t) =>
    items(topic).map((q, i) => {
      const prompt = str(q.q);
      const solution = base64Text(q.s).slice(String(prompt.length).length);
      const options = asArray(q.o).slice(0, asNumber(q.n) ?? 4);
      return quickQuestion({ quextion: prompt, options, solution, typeSelect: q.c ?? 0, solutionQuestion: base64Text(q.r) }, `${key}-${t + 1}-${i + 1}`);
    }),
  );
}

/** Words to find from their definitions. */
const wordQuestions = (words: DataObject[], key: string): Activity[] =>
  words.flatMap((w, i) => fillIn(`${key}-${i + 1}`, plain(w.definition), plain(w.word)));

/** A word search lists definitions to find the words by, or just the words. */
function wordSearch(data: DataObject, key: string): Game {
  const clues: DataObject[] = [];
  const words: string[] = [];
  for (const entry of items(data.wordsGame)) {
    const word = plain(entry.word);
    const definition = plain(entry.definition);
    if (definition && definition.toLowerCase() !== word.toLowerCase()) clues.push(entry);
    else if (word) words.push(word);
  }
  return { questions: wordQuestions(clues, key), blocks: list(words) };
}

/** The fill-in-the-blanks text (hidden in the page, shown by the game): each `@@word@@` a blank. */
function completeText(root: Element, key: string): Activity[] {
  const textGame = first(root, (e) => hasClass(e, 'completa-text-game'));
  if (!textGame) return [];
  const html = DomUtils.getInnerHTML(textGame);
  const answers = [...html.matchAll(/@@([\s\S]*?)@@/g)].map((m) =>
    (m[1] ?? '').split('|').map((a) => htmlToText(a)).filter(Boolean).join(' / '),
  );
  return answers.length ? [{ id: key, type: 'fill_in', prompt: html.replace(/@@[\s\S]*?@@/g, ' ____ '), correctAnswers: answers }] : [];
}

/** A card's side: its text, else its image's description. */
const side = (card: DataObject, suffix = ''): string => plain(card[`eText${suffix}`]) || plain(card[`alt${suffix}`]);

/** Pairs to match: each complete pair, and the sides shown without a text partner (a picture without description) as choices. */
function matching(id: string, prompt: string, pairs: { source: string; target: string }[], type: Activity['type'] = 'matching'): Activity[] {
  const matches = pairs.filter((p) => p.source && p.target);
  const alone = pairs.filter((p) => !p.source || !p.target).map((p) => p.source || p.target).filter(Boolean);
  if (matches.length === 0 && alone.length === 0) return [];
  return [{ id, type, prompt, choices: alone.map((text) => ({ text, correct: null })), matches, correctAnswers: matches.map((m) => `${m.source} → ${m.target}`) }];
}

/** Sort: a phrase whose words go in order (`type` 0), or a phrase's cards in order. */
function sortQuestions(data: DataObject, key: string, prompt: string): Activity[] {
  const byWords = (asNumber(data.type) ?? 1) === 0;
  return items(data.phrasesGame).flatMap((phrase, i): Activity[] => {
    const sentence = plain(phrase.phrase);
    const order = byWords ? sentence.split(/\s+/).filter(Boolean) : items(phrase.cards).map((c) => side(c)).filter(Boolean);
    if (order.length < 2) return [];
    const choices = order.map((text, j) => ({ id: String(j + 1), text }));
    return [{ id: `${key}-${i + 1}`, type: 'sequencing', prompt: plain(phrase.definition) || prompt, choices, correctAnswers: byWords ? [sentence] : order }];
  });
}

/** A card a reader turns or slides: each side's text, or the description of a picture without text. */
function cardBlocks(card: DataObject): Block[] {
  return ['', 'Bk'].flatMap((suffix): Block[] => {
    const text = plain(card[`eText${suffix}`]);
    const alt = plain(card[`alt${suffix}`]);
    return text ? paragraphs(text) : alt ? [{ type: 'image', alt, src: null }] : [];
  });
}

/** A rubric: criteria by row, levels by column, each cell's description. */
function rubricBlocks(data: DataObject): Block[] {
  const table = obj(data.table);
  const levels = asArray(table.scores).map(plain);
  const rows = asArray(table.categories).map((category, i) => [plain(category), ...asArray(asArray(table.descriptions)[i]).map((cell) => plain(obj(cell).text))]);
  const title = plain(table.title);
  const blocks: Block[] = title ? [{ type: 'heading', level: 3, text: title }] : [];
  if (rows.length > 0) blocks.push({ type: 'table', rows: [['', ...levels], ...rows] });
  return blocks;
}

/** The instructions the game shows, as text. */
function instructions(root: Element, name: string): string {
  const element = first(root, (e) => classes(e).split(/\s+/).includes(`${name}-instructions`));
  return element ? htmlToText(DomUtils.getInnerHTML(element)) : '';
}

function readGame(name: string, data: DataObject, root: Element): Game {
  const key = str(data.id) || name;
  const asked = instructions(root, name);
  const none: Block[] = [];
  switch (name) {
    case 'selecciona':
      return { questions: items(data.selectsGame).map((q, i) => quickQuestion(q, `${key}-${i + 1}`)), blocks: none };
    case 'quext':
    case 'vquext':
      return { questions: items(data.questionsGame).map((q, i) => indexedQuestion(q, `${key}-${i + 1}`, str(q.quextion))), blocks: none };
    case 'hiddenimage':
      return { questions: items(data.questionsGame).map((q, i) => indexedQuestion(q, `${key}-${i + 1}`, str(q.question))), blocks: none };
    case 'trivial':
      return { questions: trivialQuestions(data, key), blocks: none };
    case 'rosco':
    case 'crucigrama':
    case 'adivina':
      return { questions: wordQuestions(items(data.wordsGame), key), blocks: none };
    case 'sopa':
      return wordSearch(data, key);
    case 'identifica': {
      const questions = items(data.questionsGame);
      const clues = questions.flatMap((q) => asArray(q.clues).slice(0, asNumber(q.numberClues) ?? 4).map(plain)).filter(Boolean);
      return {
        questions: questions.flatMap((q, i) => fillIn(`${key}-${i + 1}`, str(q.question), plain(q.solution))),
        blocks: list(clues),
      };
    }
    case 'desafio': {
      const challenges = items(data.challengesGame).flatMap((c, i) => fillIn(`${key}-${i + 1}`, [str(c.title), str(c.description)].join('\n'), plain(c.solution)));
      const final = fillIn(`${key}-final`, [str(data.desafioTitle), str(data.desafioDescription)].join('\n'), plain(data.desafioSolution));
      return { questions: [...challenges, ...final], blocks: none };
    }
    case 'candado': {
      const prompt = first(root, (e) => hasClass(e, 'candado-instructions'));
      const retro = first(root, (e) => hasClass(e, 'candado-retro'));
      const right = retro ? htmlToText(DomUtils.getInnerHTML(retro)) : '';
      const wrong = plain(data.candadoErrorMessage);
      const feedback = right || wrong ? { correct: right || null, incorrect: wrong || null } : undefined;
      return { questions: prompt ? fillIn(key, DomUtils.getInnerHTML(prompt), plain(data.candadoSolution), feedback) : [], blocks: none };
    }
    case 'completa':
      return { questions: completeText(root, key), blocks: none };
    case 'relaciona':
      return { questions: matching(key, asked, items(data.cardsGame).map((c) => ({ source: side(c), target: side(c, 'Bk') }))), blocks: none };
    case 'clasifica': {
      const groups = asArray(data.groups).slice(0, asNumber(data.numberGroups) ?? undefined).map(plain);
      const pairs = items(data.wordsGame).map((w) => ({ source: side(w), target: groups[asNumber(w.group) ?? 0] ?? '' }));
      return { questions: matching(key, asked, pairs), blocks: none };
    }
    case 'dragdrop':
      return { questions: matching(key, asked, items(data.cardsGame).map((c) => ({ source: plain(c.alt), target: plain(c.definition) })), 'drag_drop'), blocks: none };
    case 'ordena':
      return { questions: sortQuestions(data, key, asked), blocks: none };
    case 'flipcards':
    case 'beforeafter':
      return { questions: [], blocks: items(data.cardsGame).flatMap((c) => [...paragraphs(plain(c.description)), ...cardBlocks(c)]) };
    case 'puzzle':
      return { questions: [], blocks: items(data.puzzlesGame).flatMap((p) => paragraphs(plain(p.definition), plain(p.clue))) };
    case 'listacotejo': {
      const checks = items(data.levels).map((l) => plain(l.item)).filter(Boolean);
      return { questions: [], blocks: [...paragraphs(plain(data.title), plain(data.subtitle)), ...list(checks)] };
    }
    case 'exe-rubrics':
      return { questions: [], blocks: rubricBlocks(data) };
    default:
      return { questions: [], blocks: none };
  }
}

/** The questions and the learner text of the games inside an iDevice. */
export function readGames(idevice: Element): Game {
  const questions: Activity[] = [];
  const blocks: Block[] = [];
  const dataClass = (e: Element) => classes(e).split(/\s+/).find((c) => c.endsWith('-DataGame') && c.length > '-DataGame'.length);
  for (const element of all(idevice, (e) => dataClass(e) !== undefined)) {
    const name = (dataClass(element) as string).slice(0, -'-DataGame'.length);
    const root = element.parent && DomUtils.isTag(element.parent) ? element.parent : idevice;
    const game = readGame(name, decodeGameData(DomUtils.textContent(element)), root);
    questions.push(...game.questions);
    blocks.push(...game.blocks);
  }
  return { questions, blocks };
}
