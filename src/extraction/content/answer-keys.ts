import type * as acorn from 'acorn';
import { isObject, type DataValue } from './data-values.js';
import { nameOf, parseProgram, staticValue, stringLiterals, walkNodes } from './js-literals.js';

/*
 * The answer key of a hand-written HTML quiz, read from the page's scripts without running them.
 * Authors grade forms in a few ways, and each names the right control:
 * - a check of a control: `if (document.getElementById('q1b').checked) score++`;
 * - a comparison of a group's value: `form.q1.value == 'b'`, `$("input[name='q1']:checked").val() === 'b'`,
 *   also through variables (`var a1 = document.forms.quiz.q1.value; if (a1 == 2) ...`,
 *   `const correctAnswer = 'b'; choice === correctAnswer`) or a key object (`=== ANSWERS.q1`);
 * - a list or map of correct values: `var answers = ['b', 'c']`, `correct = {q1: 'b'}`,
 *   `answers.push('b')`, `answers[0] = 'b'` (a list goes with the groups in page order);
 * - feedback that names the right answer: `"The correct answer is Granite"`.
 */

/** What a script refers to: a form group by name, one control by id, or one value of a group. */
export type ControlRef = { name: string; value?: string } | { id: string };

export interface AnswerKey {
  /** Correct values by group name (or `#id` of a control), in the order the key gives them. */
  values: Map<string, string[]>;
  /** Ids of controls that are checked when right. */
  ids: Set<string>;
  /** Lists of correct values (one entry per group) that go with the groups in page order. */
  lists: string[][][];
  /** Texts that feedback names as the right answer. */
  named: string[];
}

const KEY_NAME = /answer|correct|solution|right|key/i;
const NOT_KEY_NAME = /user|given|select|chosen|student|learner|response|checked|attempt/i;
const VALUE_READERS = /^(val|trim|toLowerCase|toUpperCase|toString)$/;
const NAMED_ANSWER = /\b(?:correct|right) answer(?: is| was)?\s*[:-]?\s*["'“‘]?([^"'”’]+?)["'”’]?\s*[.!]?$/i;

const scalar = (value: DataValue): string | null =>
  (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? String(value) : null;

function selectorRef(selector: string): ControlRef | null {
  const id = /^\s*#([\w-]+)\s*$/.exec(selector);
  if (id) return { id: id[1] ?? '' };
  const name = /\[name\s*=\s*["']?([\w-]+)["']?\s*\]/.exec(selector);
  if (!name) return null;
  const value = /\[value\s*=\s*["']?([^"'\]]+)["']?\s*\]/.exec(selector);
  return value ? { name: name[1] ?? '', value: value[1] } : { name: name[1] ?? '' };
}

/** The data of scripts' names: `var answer1 = form.q1.value` for following a variable, `ANSWERS = {...}` for keys. */
interface Scope {
  variables: Map<string, acorn.Node>;
}

function propertyOf(node: acorn.MemberExpression): string | null {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : null;
  return scalar(safeValue(node.property));
}

function safeValue(node: acorn.Node): DataValue {
  try {
    return staticValue(node);
  } catch {
    return null;
  }
}

/** The form control an expression reads (`form.q1.value`, `$('#q1b')`, a variable holding one), if any. */
function refOf(node: acorn.Node, scope: Scope, depth = 0): ControlRef | null {
  if (depth > 8) return null;
  const n = node as acorn.AnyNode;
  if (n.type === 'Identifier') {
    const init = scope.variables.get(n.name);
    return init ? refOf(init, scope, depth + 1) : null;
  }
  // `selected ? selected.value : 'none'`: the group the answer comes from.
  if (n.type === 'ConditionalExpression') return refOf(n.consequent, scope, depth + 1) ?? refOf(n.alternate, scope, depth + 1);
  if (n.type === 'CallExpression') {
    const callee = nameOf(n.callee) ?? '';
    const argument = n.arguments[0] && n.arguments[0].type !== 'SpreadElement' ? safeValue(n.arguments[0]) : null;
    if (/(^|\.)getElementById$/.test(callee) && typeof argument === 'string') return { id: argument };
    if (/(^|\.)(querySelector|\$|jQuery)$|^\$$/.test(callee) && typeof argument === 'string') return selectorRef(argument);
    if (n.callee.type === 'MemberExpression' && VALUE_READERS.test(propertyOf(n.callee) ?? '')) return refOf(n.callee.object, scope, depth + 1);
    return null;
  }
  if (n.type !== 'MemberExpression') return null;
  const property = propertyOf(n);
  if (property === 'value' || property === 'checked') return refOf(n.object, scope, depth + 1);
  // `document.forms.quiz.q1`, `form.elements['q1']`: the group by its name.
  return property && n.object.type !== 'ThisExpression' ? { name: property } : null;
}

/** The value an expression stands for: a literal, a variable holding one, or an entry of a key object (`ANSWERS.q1`). */
function valueOf(node: acorn.Node, scope: Scope): string | null {
  const direct = scalar(safeValue(node));
  if (direct !== null) return direct;
  if (node.type === 'Identifier') {
    const init = scope.variables.get((node as acorn.Identifier).name);
    return init ? scalar(safeValue(init)) : null;
  }
  if (node.type !== 'MemberExpression') return null;
  const member = node as acorn.MemberExpression;
  const object = nameOf(member.object);
  const init = object ? scope.variables.get(object) : undefined;
  const data = init ? safeValue(init) : null;
  const property = propertyOf(member);
  return isObject(data) && property ? scalar(data[property] ?? null) : null;
}

/** Controls an `if` test checks, unless negated (`!x.checked` tests for an empty answer). */
function checkedRefs(node: acorn.Node, scope: Scope, found: ControlRef[], negated = false): void {
  const n = node as acorn.AnyNode;
  if (n.type === 'UnaryExpression' && n.operator === '!') checkedRefs(n.argument, scope, found, !negated);
  else if (n.type === 'LogicalExpression') {
    checkedRefs(n.left, scope, found, negated);
    checkedRefs(n.right, scope, found, negated);
  } else if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator) && safeValue(n.right) === true) {
    checkedRefs(n.left, scope, found, negated !== n.operator.startsWith('!'));
  } else if (n.type === 'MemberExpression' && propertyOf(n) === 'checked' && !negated) {
    const ref = refOf(n.object, scope);
    if (ref) found.push(ref);
  }
}

function addValue(key: AnswerKey, ref: ControlRef, value: string): void {
  const group = 'id' in ref ? `#${ref.id}` : ref.name;
  const values = key.values.get(group) ?? [];
  if (!values.includes(value)) values.push(value);
  key.values.set(group, values);
}

function scalars(value: DataValue): string[] {
  const single = scalar(value);
  if (single !== null) return [single];
  return Array.isArray(value) ? value.map(scalar).filter((v): v is string => v !== null) : [];
}

/** Lists and maps of correct values under names like `answers`, `correctAnswers`, `key`. */
function readKeyData(program: acorn.Program, key: AnswerKey): void {
  const lists = new Map<string, string[][]>();
  const listOf = (name: string): string[][] => {
    const list = lists.get(name) ?? [];
    lists.set(name, list);
    return list;
  };
  for (const node of walkNodes(program)) {
    let name: string | null = null;
    let value: DataValue = null;
    if (node.type === 'VariableDeclarator' && node.init) [name, value] = [nameOf(node.id), safeValue(node.init)];
    else if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type !== 'MemberExpression') [name, value] = [nameOf(node.left), safeValue(node.right)];
    else if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && node.left.computed) {
      // `answers[0] = "b"`
      const index = safeValue(node.left.property);
      const owner = nameOf(node.left.object);
      if (owner && typeof index === 'number' && KEY_NAME.test(owner) && !NOT_KEY_NAME.test(owner)) listOf(owner)[index] = scalars(safeValue(node.right));
      continue;
    } else if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && propertyOf(node.callee) === 'push') {
      // `answers.push("b")`
      const owner = nameOf(node.callee.object);
      const pushed = node.arguments[0] ? scalars(safeValue(node.arguments[0])) : [];
      if (owner && pushed.length > 0 && KEY_NAME.test(owner) && !NOT_KEY_NAME.test(owner)) listOf(owner).push(pushed);
      continue;
    }
    const last = name?.split('.').pop() ?? '';
    if (!KEY_NAME.test(last) || NOT_KEY_NAME.test(last)) continue;
    if (Array.isArray(value) && value.length > 0) listOf(last).push(...value.map(scalars));
    else if (isObject(value)) for (const [group, entry] of Object.entries(value)) for (const v of scalars(entry)) addValue(key, { name: group }, v);
  }
  for (const list of lists.values()) key.lists.push(Array.from(list, (entry) => entry ?? []));
}

function readScript(code: string, key: AnswerKey): void {
  for (const text of stringLiterals(code)) {
    const named = NAMED_ANSWER.exec(text.trim());
    if (named?.[1]) key.named.push(named[1]);
  }
  const program = parseProgram(code);
  if (!program) return;
  const scope: Scope = { variables: new Map() };
  for (const node of walkNodes(program)) {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && !scope.variables.has(node.id.name)) {
      scope.variables.set(node.id.name, node.init);
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && !scope.variables.has(node.left.name)) {
      scope.variables.set(node.left.name, node.right);
    }
  }
  for (const node of walkNodes(program)) {
    if (node.type === 'IfStatement' && /\+\+|\+=|score|correct|right|point|count|total/i.test(code.slice(node.consequent.start, node.consequent.end))) {
      const checked: ControlRef[] = [];
      checkedRefs(node.test, scope, checked);
      for (const ref of checked) {
        if ('id' in ref) key.ids.add(ref.id);
        else if (ref.value !== undefined) addValue(key, ref, ref.value);
      }
    } else if (node.type === 'BinaryExpression' && (node.operator === '==' || node.operator === '===')) {
      for (const [side, other] of [[node.left, node.right], [node.right, node.left]] as const) {
        const ref = refOf(side, scope);
        const value = ref ? valueOf(other, scope) : null;
        if (ref && value !== null) addValue(key, ref, value);
      }
    }
  }
  readKeyData(program, key);
}

/** The answer key one script holds (empty when it holds none). */
export function answerKeyOf(code: string): AnswerKey {
  const key: AnswerKey = { values: new Map(), ids: new Set(), lists: [], named: [] };
  readScript(code, key);
  return key;
}

/** The keys of a page's scripts as one. */
export function mergeKeys(keys: AnswerKey[]): AnswerKey {
  const merged: AnswerKey = { values: new Map(), ids: new Set(), lists: [], named: [] };
  for (const key of keys) {
    for (const [group, values] of key.values) merged.values.set(group, [...(merged.values.get(group) ?? []), ...values]);
    for (const id of key.ids) merged.ids.add(id);
    merged.lists.push(...key.lists);
    merged.named.push(...key.named);
  }
  return merged;
}
