import { createDecipheriv, createHash } from 'node:crypto';
import * as acorn from 'acorn';
import { DomUtils } from 'htmlparser2';
import { parseHtml } from '../../content/html.js';
import type { Element } from 'domhandler';
import { normalizeSpace } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import type { QuestionInput } from '../question.js';
import { foldString } from './fold.js';
import { pairsOf, type Pair } from './interactions.js';
import { isCorrectValue, isDefaultPart, listOf, questionType, unescapeLectora } from './values.js';

/*
 * Tests: each test of a title is a test-object file `_tobj<id>.xml` / `.txt` at the root,
 * `<lectoratest><name>` with `<page><name>page.html</name><question>...</question></page>`
 * (pages may sit in `<section>`s). Lectora 11 and Lectora Online write the question as
 * `<text>`, `<correctans>` (values joined by commas) and `<choices>` (joined by `|`); Lectora 17
 * and later write `<arcorrectans><answer>` and `<archoices><choice>`. A ranking's answers are its
 * items in the correct order; matching and drag-and-drop answers pair the ids the page gives its
 * items (`<answer><item>1L</item><item>2R</item></answer>`, or `1L-2R` in the old lists), which the
 * page resolves (interactions.ts). The file is plain XML (Lectora 11), base64 of the XML (Lectora
 * 17, Lectora Online), or since Lectora 19 CryptoJS AES text ("Salted__", OpenSSL key derivation
 * with MD5, AES-256-CBC) whose passphrase the title manager script computes with an obfuscated
 * constant expression; that expression is folded here.
 */

const MAX_TEST_BYTES = 4 * 1024 * 1024;
const MAX_SCRIPT_BYTES = 2 * 1024 * 1024;
const MAX_NODES = 2_000_000;

export interface TestQuestion {
  /** The question as the test file states it; matching and drag-and-drop pairs are still ids. */
  input: QuestionInput;
  variable: string | null;
  /** The question object on its page (`qu<id>`). */
  object: string | null;
  /** The correct pairs of a matching or drag-and-drop question, by the ids of the page's objects. */
  pairs: Pair[];
}

export interface TestPage {
  test: string | null;
  passingScore: number | null;
  questions: TestQuestion[];
}

const childrenOf = (element: Element): Element[] => element.children.filter((c): c is Element => c.type === 'tag');
const child = (element: Element, name: string): Element | undefined => childrenOf(element).find((c) => c.name === name);
const childText = (element: Element, name: string): string => {
  const found = child(element, name);
  return found ? DomUtils.textContent(found) : '';
};
const childList = (element: Element, list: string, item: string): Element[] => {
  const found = child(element, list);
  return found ? childrenOf(found).filter((c) => c.name === item) : [];
};

/** Text as the runtime shows it: `\u` escapes decoded, `\r` line breaks; entities stay for makeQuestion. */
const shown = (value: string): string =>
  unescapeLectora(value)
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(/\\r\\n|\\r|\\n|\r\n|\r|\n/g, '<br>');

function readQuestion(element: Element, file: string): TestQuestion {
  const code = Number(childText(element, 'type'));
  const allowMultiple = childText(element, 'allowmult') === '1';
  const type = questionType(code, allowMultiple);
  const separator = childText(element, 'separator') || '|';
  const arrayChoices = childList(element, 'archoices', 'choice').map((c) => DomUtils.textContent(c));
  const choiceList = childText(element, 'choices');
  const choices = arrayChoices.length > 0 ? arrayChoices : choiceList ? choiceList.split('|') : [];
  const answers = childList(element, 'arcorrectans', 'answer');
  // The old lists join correct values with commas (fill-in answers with the separator).
  const correctList =
    answers.length > 0 ? answers.filter((a) => childrenOf(a).length === 0).map((a) => DomUtils.textContent(a)) : [childText(element, 'correctans')];
  const correct = correctList.filter(Boolean).map(unescapeLectora);
  const choiceFeedback = childText(element, 'choicefbs').split('~|~');
  const isChoice = type === 'choice' || type === 'multiple_response' || type === 'true_false';
  const weight = Number(childText(element, 'weight'));
  const input: QuestionInput = {
    id: `${file.replace(/\.html?$/i, '')}#${childText(element, 'id') || childText(element, 'name')}`,
    type,
    prompt: isDefaultPart(childText(element, 'text')) ? '' : shown(childText(element, 'text')),
    source: file,
    choices: isChoice
      ? choices.map((choice, i) => ({
          text: shown(choice),
          correct: correct.length > 0 ? isCorrectValue(unescapeLectora(choice), correct) : null,
          feedback: choiceFeedback[i] ? shown(choiceFeedback[i] as string) : null,
        }))
      : [],
    correctAnswers: isChoice ? undefined : [],
    feedback: {
      correct: shown(childText(element, 'correctfeedback') || childText(element, 'correctfbtext')) || null,
      incorrect: shown(childText(element, 'incorrectfeedback') || childText(element, 'incorrectfbtext')) || null,
    },
    points: Number.isFinite(weight) && childText(element, 'weight') !== '' ? weight : null,
  };
  if (type === 'fill_in') input.correctAnswers = correct.flatMap((c) => (answers.length > 0 ? [c] : c.split(separator))).map(shown);
  if (type === 'sequencing') {
    // The items, and the correct order: one `<answer>` per item, or the old comma-joined list.
    input.choices = choices.map((choice) => ({ text: shown(choice), correct: null }));
    input.correctAnswers = (answers.length > 0 ? correct : listOf(childText(element, 'correctans'))).map(shown);
  }
  // Matching and drag-and-drop answers pair ids of the page's objects: `<item>`s, or `a-b` in the old lists.
  const itemPairs = answers.map((a) => childrenOf(a).filter((c) => c.name === 'item').map((c) => DomUtils.textContent(c).trim()));
  const pairs: Pair[] =
    type !== 'matching' && type !== 'drag_drop'
      ? []
      : answers.length > 0
        ? itemPairs.filter((p) => p.length === 2).map(([source, target]) => [source as string, [target as string]])
        : pairsOf([childText(element, 'correctans')]);
  const id = childText(element, 'id');
  return { input, variable: childText(element, 'var') || null, object: /^\d+$/.test(id) ? `qu${id}` : null, pairs };
}

/** Questions by page file (lower case) of one test file's XML. */
function readTestXml(xml: string, pages: Map<string, TestPage>): void {
  const doc = parseHtml(xml, { xmlMode: true, decodeEntities: true });
  const root = DomUtils.findOne((e) => e.name === 'lectoratest', doc.children);
  if (!root) return;
  const test = normalizeSpace(childText(root, 'name')).replace(/\s*>>\s*$/, '') || null;
  const graded = childText(root, 'grade') === '1';
  const passing = Number(childText(root, 'passinggrade'));
  for (const page of DomUtils.getElementsByTagName('page', root.children, true)) {
    const file = childText(page, 'name').trim();
    const questions = childrenOf(page)
      .filter((c) => c.name === 'question')
      .map((q) => readQuestion(q, file));
    if (!file || questions.length === 0) continue;
    const entry = pages.get(file.toLowerCase()) ?? { test, passingScore: graded && Number.isFinite(passing) ? passing : null, questions: [] };
    entry.questions.push(...questions);
    pages.set(file.toLowerCase(), entry);
  }
}

/** OpenSSL's `enc` format as CryptoJS writes it: "Salted__", 8 bytes of salt, AES-256-CBC data. */
function decryptSalted(data: Buffer, passphrase: string): string | null {
  if (data.length < 32 || data.subarray(0, 8).toString('latin1') !== 'Salted__') return null;
  const salt = data.subarray(8, 16);
  const password = Buffer.from(passphrase, 'utf8');
  let derived = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  while (derived.length < 48) {
    block = createHash('md5').update(Buffer.concat([block, password, salt])).digest();
    derived = Buffer.concat([derived, block]);
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', derived.subarray(0, 32), derived.subarray(32, 48));
    const text = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
    return /^\s*(<\?xml|<lectoratest)/.test(text) ? text : null;
  } catch {
    return null;
  }
}

/** Every node of a syntax tree, depth first, up to a bound. */
function* nodesOf(root: acorn.Node): Generator<acorn.Node> {
  const stack: acorn.Node[] = [root];
  let count = 0;
  while (stack.length > 0 && count++ < MAX_NODES) {
    const node = stack.pop() as acorn.Node;
    yield node;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (value[i] && typeof value[i].type === 'string') stack.push(value[i] as acorn.Node);
      } else if (value && typeof value === 'object' && typeof (value as acorn.Node).type === 'string') stack.push(value as acorn.Node);
    }
  }
}

/** `X.AES.decrypt` (or any method of an `AES` object). */
const isAesMethod = (node: acorn.Node | null | undefined): boolean => {
  const n = node as acorn.AnyNode | null | undefined;
  if (n?.type !== 'MemberExpression') return false;
  const object = n.object as acorn.AnyNode;
  return (object.type === 'MemberExpression' && !object.computed && object.property.type === 'Identifier' && object.property.name === 'AES') ||
    (object.type === 'Identifier' && object.name === 'AES');
};

/**
 * Passphrases the package's scripts decrypt with: the folded second argument of each call to an
 * AES method, directly or through a variable bound to one (`var hlf = CJ.AES.dct; hlf(str, key)`).
 */
async function passphrases(view: PackageView): Promise<string[]> {
  const keys: string[] = [];
  for (const file of view.files().filter((f) => !f.includes('/') && /\.js$/i.test(f))) {
    const size = view.size(file);
    if (size === null || size > MAX_SCRIPT_BYTES) continue;
    const source = (await view.text(file, MAX_SCRIPT_BYTES)) ?? '';
    if (!/\bAES\b/.test(source) || /\bCryptoJS\s*=|createDecryptor/.test(source)) continue;
    let program: acorn.Node;
    try {
      program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
    } catch {
      continue;
    }
    const aliases = new Set<string>();
    const calls: acorn.CallExpression[] = [];
    for (const node of nodesOf(program)) {
      const n = node as acorn.AnyNode;
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && isAesMethod(n.init)) aliases.add(n.id.name);
      if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && isAesMethod(n.right)) aliases.add(n.left.name);
      if (n.type === 'CallExpression' && n.arguments.length >= 2) calls.push(n);
    }
    for (const call of calls) {
      const callee = call.callee as acorn.AnyNode;
      if (!isAesMethod(callee) && !(callee.type === 'Identifier' && aliases.has(callee.name))) continue;
      const key = foldString(call.arguments[1] as acorn.Node);
      if (key && !keys.includes(key)) keys.push(key);
    }
  }
  return keys;
}

/** The questions of every test file, by the page file (lower case) they sit on. */
export async function readTests(view: PackageView): Promise<Map<string, TestPage>> {
  const pages = new Map<string, TestPage>();
  const files = view.files().filter((f) => /^_tobj\w*\.(xml|txt)$/i.test(f));
  let keys: string[] | null = null;
  for (const file of files) {
    const size = view.size(file);
    if (size === null || size > MAX_TEST_BYTES) continue;
    const raw = ((await view.text(file, MAX_TEST_BYTES)) ?? '').trim();
    let xml: string | null = null;
    if (raw.startsWith('<')) xml = raw;
    else if (/^[A-Za-z0-9+/=\s]+$/.test(raw)) {
      const data = Buffer.from(raw, 'base64');
      if (data.subarray(0, 8).toString('latin1') === 'Salted__') {
        keys ??= await passphrases(view);
        for (const key of keys) {
          xml = decryptSalted(data, key);
          if (xml) break;
        }
      } else {
        const text = data.toString('utf8');
        if (/^\s*</.test(text)) xml = text;
      }
    }
    if (xml) readTestXml(xml, pages);
  }
  return pages;
}
