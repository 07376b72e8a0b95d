import { htmlToBlocks, htmlToText, looksLikeHtml } from '../content/html.js';
import { isObject, type DataObject, type DataValue } from '../content/data-values.js';
import { isSentenceLike, normalizeSpace, wordCount } from '../content/text.js';
import type { Block, Choice, Question, QuestionType } from '../result/extraction-result.js';
import { makeQuestion } from './question.js';

/*
 * Hand-coded courses that keep their lessons and questions as data in a script or a JSON file:
 * `var course = { modules: [ { title, pages: [ { heading, body: '<p>..</p>' } ] } ], quiz: [ {
 * question, options: [...], answer: 1, feedback } ] }`, `const questions = [...]`,
 * `window.data = JSON.parse('...')`. Every author names things their own way, so the data is read
 * by families of key names (compared lowercased, without separators or a trailing number):
 * - a question has a prompt (`question`, `prompt`, `stem`; or `text`/`title` beside choices),
 *   choices (`options`, `choices`, `answers`: strings, objects with a text and maybe a `correct`
 *   flag, or a map `{a: '..', b: '..'}`), and a correct answer given by index, by letter, by key,
 *   by value, or by a flag on the choice; feedback (`feedback`, `explanation`) may be split by
 *   outcome;
 * - text beside a question (`scenario`, `context`) is a page of its own, before the question;
 * - a page is an object with body text (`body`, `content`, `html`, `text`, `paragraph1`...) and a
 *   title (`title`, `heading`, `pageName`...); an object with a title and no body (a module, a
 *   lesson) names the pages inside it.
 * Configuration and interface strings (`theme`, `labels`, `i18n`, `buttons`...) are never read,
 * and text must read like sentences: ids, file paths, colors and button labels are not course text.
 */

const MAX_NODES = 200_000;
const MAX_DEPTH = 60;

const PROMPT = ['question', 'questiontext', 'prompt', 'stem', 'query', 'questiontitle', 'q'];
/** Keys that hold the prompt only beside a list of choices. */
const LOOSE_PROMPT = ['text', 'title', 'label', 'heading', 'name'];
const PROMPT_KEYS = new Set([...PROMPT, ...LOOSE_PROMPT]);
/** `answers` last: beside `options` it holds the correct ones. */
const CHOICES = ['options', 'choices', 'alternatives', 'responses', 'answeroptions', 'possibleanswers', 'opts', 'answers'];
const CORRECT = [
  'correctanswer', 'correctanswers', 'correct', 'answer', 'answers', 'correctoption', 'correctoptions', 'correctindex',
  'correctchoice', 'rightanswer', 'solution', 'answerkey', 'correctresponse', 'correctvalue', 'answerindex', 'ans',
];
const CHOICE_TEXT = ['text', 'label', 'answer', 'option', 'choice', 'title', 'content', 'html', 'body', 'value'];
const CHOICE_FLAG = ['correct', 'iscorrect', 'right', 'isright', 'iscorrectanswer', 'isanswer'];
const CHOICE_ID = ['id', 'key', 'letter', 'value'];
const FEEDBACK = ['feedback', 'explanation', 'rationale', 'reason', 'explain'];
const CORRECT_FEEDBACK = ['correctfeedback', 'feedbackcorrect', 'positivefeedback', 'rightfeedback', 'feedbackright'];
const INCORRECT_FEEDBACK = ['incorrectfeedback', 'feedbackincorrect', 'negativefeedback', 'wrongfeedback', 'feedbackwrong'];
/** Inside a `feedback: {correct, incorrect}` object. */
const OUTCOME_CORRECT = [...CORRECT_FEEDBACK, 'correct', 'right', 'positive'];
const OUTCOME_INCORRECT = [...INCORRECT_FEEDBACK, 'incorrect', 'wrong', 'negative'];
const POINTS = ['points', 'score', 'weight', 'marks', 'value'];
const SECTION_TITLE = ['title', 'heading', 'headline', 'header', 'pagetitle', 'pagename', 'lessontitle', 'moduletitle', 'sectiontitle', 'slidetitle', 'topictitle'];
/** A `name` titles a page of text, but beside no text it is as often a person or an id. */
const TITLE = [...SECTION_TITLE, 'name'];
const BODY = new Set([
  'body', 'content', 'html', 'text', 'description', 'paragraph', 'paragraphs', 'intro', 'introduction', 'summary', 'copy',
  'bodytext', 'bodyhtml', 'contenthtml', 'narration', 'transcript', 'instructions', 'details', 'overview', 'conclusion',
  'scenario', 'situation', 'context', 'introtext',
]);
const SUBHEADING = new Set(['subheading', 'subtitle', 'subhead', 'subheader']);
/** Lists of strings; `items` and `steps` are also what an ordering exercise lists, in its right order. */
const LIST = new Set(['bullets', 'points', 'keypoints', 'list', 'listitems', 'takeaways', 'objectives', 'items', 'steps']);
const IMAGE_SRC = ['src', 'image', 'img', 'imageurl', 'imagesrc', 'mediaurl', 'href', 'url', 'path', 'file', 'picture'];
const IMAGE_ALT = ['alt', 'alttext', 'imagealt', 'alternativetext'];
/** Branches that hold configuration or the player's interface, never course text. */
const SKIPPED = new Set([
  'theme', 'style', 'styles', 'colors', 'colours', 'config', 'configuration', 'settings', 'labels', 'strings', 'i18n', 'l10n',
  'lang', 'language', 'locale', 'locales', 'translations', 'messages', 'ui', 'buttons', 'nav', 'navigation', 'menu', 'scorm',
  'lms', 'tracking', 'vars', 'variables', 'preload', 'fonts', 'meta', 'metadata',
]);
/** The player's own words, which data files also carry. */
const INTERFACE_LABEL =
  /^(next|previous|prev|back|continue|submit|check( answers?)?|retry|try again|start|begin|restart|close|exit|ok|cancel|menu|home|score|results?|finish|done|review|skip|play|pause|replay|show answers?|reset|correct|incorrect|wrong)\b[\s\d:!./]*$/i;
/** Keys of a map of choices: `a`, `B`, `1`, `option2`. */
const CHOICE_KEY = /^([a-z]|\d+|[a-z]+\d+)$/i;
const IMAGE_FILE = /\.(png|jpe?g|gif|svg|webp|bmp)(\?.*)?$/i;

/** Keys as compared: `Question_Text`, `paragraph2` and `questiontext`, `paragraph` are the same. */
const keyName = (key: string): string => key.toLowerCase().replace(/[\s_-]/g, '').replace(/\d+$/, '');

type Fields = Map<string, DataValue>;
type Image = { src: string; alt: string };

function fieldsOf(object: DataObject): Fields {
  const fields: Fields = new Map();
  for (const [key, value] of Object.entries(object)) if (!fields.has(keyName(key))) fields.set(keyName(key), value);
  return fields;
}

const plain = (value: DataValue | undefined): string => (typeof value === 'string' ? normalizeSpace(htmlToText(value)) : '');
const isLearnerText = (text: string): boolean => isSentenceLike(text) && !INTERFACE_LABEL.test(text);
/** A title may be one capitalised word with an emoji ("Breaks ☕"), never a slug ("rulesofflight"). */
const isTitle = (text: string): boolean => isLearnerText(text) || (/^\p{Lu}\p{Ll}+(\s|$)/u.test(text) && !INTERFACE_LABEL.test(text));
const firstKey = (fields: Fields, keys: string[], accept: (value: DataValue) => boolean): string | undefined =>
  keys.find((key) => fields.has(key) && accept(fields.get(key) ?? null));
const firstText = (fields: Fields, keys: string[], accept = isLearnerText): string | null => {
  const key = firstKey(fields, keys, (v) => accept(plain(v)));
  return key === undefined ? null : plain(fields.get(key));
};

interface DraftChoice {
  id?: string;
  text: string;
  correct: boolean | null;
  feedback: string | null;
}

const flag = (value: DataValue | undefined): boolean | null =>
  value === true || value === 'true' || value === 1 ? true : value === false || value === 'false' || value === 0 ? false : null;

function choiceOf(value: DataValue, id?: string): DraftChoice | null {
  if (typeof value === 'string' || typeof value === 'number') return { id, text: String(value), correct: null, feedback: null };
  if (!isObject(value)) return null;
  const fields = fieldsOf(value);
  const textKey = firstKey(fields, CHOICE_TEXT, (v) => typeof v === 'string' && plain(v) !== '');
  if (textKey === undefined) return null;
  const flagKey = firstKey(fields, CHOICE_FLAG, (v) => flag(v) !== null);
  const idKey = firstKey(fields, CHOICE_ID, (v) => (typeof v === 'string' || typeof v === 'number') && v !== fields.get(textKey));
  return {
    id: idKey === undefined ? id : String(fields.get(idKey)),
    text: String(fields.get(textKey)),
    correct: flagKey === undefined ? null : flag(fields.get(flagKey)),
    feedback: firstText(fields, FEEDBACK),
  };
}

/** Choices as a list (of texts or objects) or as a map of ids to texts; null when there are not two. */
function choicesOf(value: DataValue | undefined): DraftChoice[] | null {
  const entries = Array.isArray(value)
    ? value.map((v) => choiceOf(v))
    : isObject(value) && Object.entries(value).every(([id, v]) => typeof v === 'string' && CHOICE_KEY.test(id))
      ? Object.entries(value).map(([id, v]) => choiceOf(v, id))
      : [];
  const choices = entries.filter((c): c is DraftChoice => c !== null);
  return choices.length >= 2 && choices.length === entries.length ? choices : null;
}

const comparable = (text: string): string => normalizeSpace(htmlToText(text)).replace(/[.!?;:]+$/, '').toLowerCase();

/** The choice a correct answer names: its text, its id, a letter, or an index (from 0, or from 1 when it is the count). */
function choiceIndex(choices: DraftChoice[], answer: DataValue): number {
  if (typeof answer === 'string') {
    const wanted = comparable(answer);
    const byText = choices.findIndex((c) => comparable(c.text) === wanted);
    if (byText >= 0) return byText;
    const byId = choices.findIndex((c) => c.id !== undefined && c.id.toLowerCase() === wanted);
    if (byId >= 0) return byId;
    if (/^[a-z]$/.test(wanted)) return wanted.charCodeAt(0) - 97 < choices.length ? wanted.charCodeAt(0) - 97 : -1;
    return /^\d+$/.test(wanted) ? choiceIndex(choices, Number(wanted)) : -1;
  }
  if (typeof answer !== 'number' || !Number.isInteger(answer)) return -1;
  if (answer === choices.length) return answer - 1;
  return answer >= 0 && answer < choices.length ? answer : -1;
}

/** Feedback by outcome; one general feedback (an explanation) is shown whatever the answer. */
function feedbackOf(fields: Fields): { correct: string | null; incorrect: string | null } {
  const nested = fields.get('feedback');
  if (isObject(nested)) {
    const outcomes = fieldsOf(nested);
    return { correct: firstText(outcomes, OUTCOME_CORRECT), incorrect: firstText(outcomes, OUTCOME_INCORRECT) };
  }
  const general = firstText(fields, FEEDBACK);
  return { correct: firstText(fields, CORRECT_FEEDBACK) ?? general, incorrect: firstText(fields, INCORRECT_FEEDBACK) ?? general };
}

const isQuestionLike = (prompt: string): boolean => /[?_]\s*$|_{3,}/.test(prompt) || wordCount(prompt) >= 4;

function typeOf(fields: Fields, choices: Choice[]): QuestionType {
  const texts = choices.map((c) => comparable(c.text));
  if (texts.length === 2 && texts.includes('true') && texts.includes('false')) return 'true_false';
  const declared = String(fields.get('type') ?? '');
  const multiple =
    ['multiple', 'multi', 'multipleanswers', 'multiselect'].some((k) => fields.get(k) === true) ||
    /multiple.?(response|answer|select)|multi.?select|checkbox|mrq/i.test(declared);
  return multiple || choices.filter((c) => c.correct).length > 1 ? 'multiple_response' : 'choice';
}

/** The question an object of quiz data describes, or null when it is not one. */
function questionOf(fields: Fields, id: string, source: string): Question | null {
  const choicesKey = firstKey(fields, CHOICES, (v) => choicesOf(v) !== null);
  const choices = choicesKey === undefined ? null : choicesOf(fields.get(choicesKey));
  const strictPrompt = firstText(fields, PROMPT);
  const prompt = strictPrompt ?? (choices ? firstText(fields, LOOSE_PROMPT) : null);
  if (!prompt) return null;
  const correctKey = CORRECT.find((k) => k !== choicesKey && fields.has(k) && fields.get(k) !== null && !isObject(fields.get(k)));
  const answer = correctKey === undefined ? undefined : fields.get(correctKey);
  const feedback = feedbackOf(fields);
  const points = firstKey(fields, POINTS, (v) => typeof v === 'number');
  const base = { id, prompt, source, feedback, points: points === undefined ? null : (fields.get(points) as number) };

  if (choices) {
    if (answer !== undefined && !choices.some((c) => c.correct !== null)) {
      const indexes = (Array.isArray(answer) ? answer : [answer]).map((a) => choiceIndex(choices, a));
      if (indexes.every((i) => i >= 0)) choices.forEach((c, i) => (c.correct = indexes.includes(i)));
    }
    // A title beside a list is a question only when one of the list is marked right.
    if (!strictPrompt && !choices.some((c) => c.correct)) return null;
    const question = makeQuestion({ ...base, type: 'choice', choices });
    return { ...question, type: typeOf(fields, question.choices) };
  }
  if (typeof answer === 'boolean') {
    return makeQuestion({ ...base, type: 'true_false', choices: [{ text: 'True', correct: answer }, { text: 'False', correct: !answer }] });
  }
  const accepted = (Array.isArray(answer) ? answer : [answer]).filter((a) => typeof a === 'string' || typeof a === 'number').map(String);
  // Without choices, only a written answer to a real question makes a question: `{question: 'Question', answer: 'Answer'}` is a label pair.
  if (accepted.length === 0 || !isQuestionLike(prompt)) return null;
  return makeQuestion({ ...base, type: 'fill_in', correctAnswers: accepted });
}

function imageOf(value: DataValue | undefined): Image | null {
  if (!isObject(value)) return null;
  const fields = fieldsOf(value);
  const srcKey = firstKey(fields, IMAGE_SRC, (v) => typeof v === 'string' && IMAGE_FILE.test(v));
  const alt = firstKey(fields, IMAGE_ALT, (v) => isLearnerText(plain(v)));
  return srcKey === undefined || alt === undefined ? null : { src: String(fields.get(srcKey)), alt: plain(fields.get(alt)) };
}

function textBlocks(value: string, images: Image[]): Block[] {
  if (looksLikeHtml(value)) {
    const html = htmlToBlocks(value);
    images.push(...html.images.filter((i) => i.alt));
    return html.blocks.filter((b) => b.type !== 'paragraph' || isLearnerText(b.text));
  }
  return value
    .split(/\n\s*\n/)
    .map(normalizeSpace)
    .filter((text) => isLearnerText(text) && wordCount(text) >= 2)
    .map((text) => ({ type: 'paragraph', text }));
}

/** The blocks an object of page data spells, in its key order; images beside or inside it included. */
function blocksOf(object: DataObject): { blocks: Block[]; images: Image[] } {
  const blocks: Block[] = [];
  const images: Image[] = [];
  const addImage = (image: Image | null) => {
    if (!image) return;
    blocks.push({ type: 'image', alt: image.alt, src: image.src });
    images.push(image);
  };
  for (const [key, value] of Object.entries(object)) {
    const name = keyName(key);
    const strings = Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
    if (BODY.has(name) && typeof value === 'string') blocks.push(...textBlocks(value, images));
    else if (BODY.has(name) && strings) blocks.push(...strings.flatMap((s) => textBlocks(s, images)));
    else if (SUBHEADING.has(name) && isLearnerText(plain(value))) blocks.push({ type: 'heading', level: 3, text: plain(value) });
    else if (LIST.has(name) && strings) {
      const items = strings.map((s) => plain(s)).filter(isLearnerText);
      if (items.length > 0) blocks.push({ type: 'list', ordered: false, items });
    } else addImage(imageOf(value));
  }
  if (blocks.length > 0) addImage(imageOf(object));
  return { blocks, images };
}

export interface DataPage {
  title: string | null;
  blocks: Block[];
  /** Images with alt text, as the data writes their paths (relative to the page that shows them). */
  images: Image[];
}

export interface DataQuiz {
  title: string | null;
  /** Index into the pages of the page the questions belong to, if any. */
  pageIndex: number | null;
  questions: Question[];
}

interface Context {
  /** The nearest module or lesson title, and whether a page has shown it yet. */
  section: { title: string; shown: boolean } | null;
  /** The nearest page and title above, for the questions inside. */
  pageIndex: number | null;
  title: string | null;
}

/** Pages and quizzes found in one script's (or JSON file's) data. */
export class CourseDataReader {
  readonly pages: DataPage[] = [];
  readonly quizzes: DataQuiz[] = [];
  private nodes = 0;
  private questionCount = 0;
  private readonly seenText = new Set<string>();

  constructor(readonly source: string) {}

  /** Reads data assigned to `name` (`course`, `window.labels`): nothing when the name says configuration. */
  read(value: DataValue, name: string | null = null): void {
    if (name && SKIPPED.has(keyName(name.split('.').pop() ?? ''))) return;
    this.visit(value, { section: null, pageIndex: null, title: null }, 0);
  }

  private visit(value: DataValue, context: Context, depth: number): void {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const entry of value) this.visit(entry, context, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    const fields = fieldsOf(value);
    const question = questionOf(fields, String(this.questionCount + 1), this.source);
    if (question) {
      // The scenario or context a question opens with is text of its own, above the prompt.
      const leadIn = Object.fromEntries(Object.entries(value).filter(([key]) => !PROMPT_KEYS.has(keyName(key))));
      const pageIndex = this.addPage(leadIn, firstText(fields, TITLE, isTitle), context);
      this.addQuestion(question, pageIndex === null ? context : { ...context, pageIndex });
      return;
    }
    const pageIndex = this.addPage(value, firstText(fields, TITLE, isTitle), context);
    const title = firstText(fields, SECTION_TITLE, isTitle);
    const inner: Context = {
      section: pageIndex !== null ? null : title ? { title, shown: false } : context.section,
      pageIndex: pageIndex ?? context.pageIndex,
      title: title ?? context.title,
    };
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null && !SKIPPED.has(keyName(key))) this.visit(child, inner, depth + 1);
    }
  }

  private addPage(object: DataObject, title: string | null, context: Context): number | null {
    const { blocks, images } = blocksOf(object);
    const text = blocks.map((b) => ('text' in b ? b.text : 'items' in b ? b.items.join(' ') : '')).join(' ');
    if (wordCount(text) < 3) return null;
    // The same data assigned twice (a copy kept for a reset, say) is one page.
    const key = `${title ?? ''}\n${text}`;
    if (this.seenText.has(key)) return null;
    this.seenText.add(key);
    const section = context.section;
    if (section && title && !section.shown) blocks.unshift({ type: 'heading', level: 2, text: section.title });
    if (section) section.shown = true;
    this.pages.push({ title: title ?? section?.title ?? null, blocks, images });
    return this.pages.length - 1;
  }

  private addQuestion(question: Question, context: Context): void {
    const key = `${question.prompt}\n${question.choices.map((c) => c.text).join('\n')}`;
    if (this.seenText.has(key)) return;
    this.seenText.add(key);
    this.questionCount++;
    const title = context.title;
    const last = this.quizzes.at(-1);
    if (last && last.title === title && last.pageIndex === context.pageIndex) last.questions.push(question);
    else this.quizzes.push({ title, pageIndex: context.pageIndex, questions: [question] });
  }
}
