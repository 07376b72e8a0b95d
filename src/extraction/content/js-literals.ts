import * as acorn from 'acorn';
import { Identifier, parseJson, type DataObject, type DataValue } from './data-values.js';

/**
 * Reads literal data out of JavaScript source without running it, with a real JavaScript parser:
 * strings, numbers, booleans, null, arrays (`[...]` and `new Array(...)`), object literals, string
 * concatenation, templates without substitutions and `JSON.parse('...')` of a string, as tools
 * write them in `cp.D = {...}` or `new Question("id", "text", QUESTION_TYPE_CHOICE, new Array("a"), "a")`.
 * A bare name (`QUESTION_TYPE_CHOICE`, `cp.ch`) reads as an Identifier; any other expression (a
 * call, a function, a template with substitutions) reads as null. Nothing is ever run.
 *
 * A value at a position is parsed on its own, so syntax errors elsewhere in the script do not
 * matter; whole scripts (to find calls and assignments) are parsed up to a size cap, and read by
 * pattern when they are larger or do not parse.
 */

const MAX_DEPTH = 400;
/** Scripts above this size are not parsed whole: their syntax tree would take too much memory. */
const MAX_PROGRAM_CHARS = 4 * 1024 * 1024;
const NAMED_VALUES = new Map<string, DataValue>([
  ['undefined', null],
  ['NaN', null],
  ['Infinity', null],
]);

const OPTIONS: acorn.Options = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowReserved: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowHashBang: true,
  // Saves acorn from scanning back to the start of the line for a position it starts at.
  startLocation: { line: 1, column: 0 },
};

/** The parser entry points acorn's plugins use, to read one value or one argument list at a position. */
interface ParserAt {
  nextToken(): void;
  next(): void;
  /** The current token: its type and (cooked) value. */
  type: acorn.TokenType;
  value: unknown;
  /** Acorn's tokens carry their (cooked) value, which its typings leave out. */
  getToken(): acorn.Token & { value: unknown };
  parseMaybeAssign(): acorn.Expression;
  parseExprList(close: acorn.TokenType, allowTrailingComma: boolean, allowEmpty: boolean): (acorn.Expression | acorn.SpreadElement | null)[];
}
const Parser = acorn.Parser as unknown as new (options: acorn.Options, input: string, startPos: number) => ParserAt;

function parserAt(source: string, start: number): ParserAt {
  const parser = new Parser(OPTIONS, source, start);
  parser.nextToken();
  return parser;
}

/** A name as code refers to it (`QUESTION_TYPE_CHOICE`, `cp.ch`, `this.items`); null for any other expression. */
export function nameOf(node: acorn.Node): string | null {
  const n = node as acorn.AnyNode;
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'ThisExpression') return 'this';
  if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') return null;
  const object = nameOf(n.object);
  return object === null ? null : `${object}.${n.property.name}`;
}

/** The operands of `a + b + c`, read as a list: long concatenations of HTML lines are common. */
function concatenated(node: acorn.BinaryExpression): acorn.Node[] {
  const operands: acorn.Node[] = [];
  let left: acorn.Node = node;
  while (left.type === 'BinaryExpression' && (left as acorn.BinaryExpression).operator === '+') {
    operands.push((left as acorn.BinaryExpression).right);
    left = (left as acorn.BinaryExpression).left;
  }
  operands.push(left);
  return operands.reverse();
}

function concatenation(node: acorn.BinaryExpression, depth: number): DataValue {
  const parts = concatenated(node).map((part) => staticValue(part, depth + 1));
  if (!parts.some((p) => typeof p === 'string')) return null;
  return parts.every((p) => typeof p === 'string' || typeof p === 'number') ? parts.join('') : null;
}

function objectValue(node: acorn.ObjectExpression, depth: number): DataObject {
  // No prototype: a `__proto__` key is data like any other.
  const result: DataObject = Object.create(null) as DataObject;
  for (const property of node.properties) {
    if (property.type !== 'Property' || property.kind !== 'init' || property.method || property.computed) continue;
    const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : '';
    if (key) result[key] = staticValue(property.value, depth + 1);
  }
  return result;
}

function unaryValue(node: acorn.UnaryExpression, depth: number): DataValue {
  const value = staticValue(node.argument, depth + 1);
  if (node.operator === '-' && typeof value === 'number') return -value;
  if (node.operator === '+' && typeof value === 'number') return value;
  // Minifiers write true and false as !0 and !1.
  if (node.operator === '!' && (typeof value === 'number' || typeof value === 'boolean')) return !value;
  return null;
}

function callValue(node: acorn.CallExpression | acorn.NewExpression, depth: number): DataValue {
  const callee = nameOf(node.callee);
  const args = node.arguments.map((a) => (a.type === 'SpreadElement' ? null : staticValue(a, depth + 1)));
  // `new Array(a, b)` is an array literal; `JSON.parse('...')` of a string is data; `'a|b'.split('|')`
  // (packed scripts' word lists) is an array of strings; other calls are code.
  if (node.type === 'NewExpression' && callee === 'Array') return args;
  if (node.type === 'CallExpression' && callee === 'JSON.parse' && typeof args[0] === 'string') return parseJson(args[0]) ?? null;
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed && nameOf(node.callee.property) === 'split') {
    const text = staticValue(node.callee.object, depth + 1);
    if (typeof text === 'string' && typeof args[0] === 'string' && args.length === 1) return text.split(args[0]);
  }
  return null;
}

/** The data a syntax node spells, without running anything; null for code. */
export function staticValue(node: acorn.Node | null | undefined, depth = 0): DataValue {
  if (depth > MAX_DEPTH) throw new RangeError('literal nested too deeply');
  if (!node) return null;
  const n = node as acorn.AnyNode;
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean' ? n.value : null;
    case 'TemplateLiteral':
      return n.expressions.length === 0 ? n.quasis.map((q) => q.value.cooked ?? '').join('') : null;
    case 'ArrayExpression':
      return n.elements.map((e) => (e && e.type !== 'SpreadElement' ? staticValue(e, depth + 1) : null));
    case 'ObjectExpression':
      return objectValue(n, depth);
    case 'UnaryExpression':
      return unaryValue(n, depth);
    case 'BinaryExpression':
      return n.operator === '+' ? concatenation(n, depth) : null;
    case 'NewExpression':
    case 'CallExpression':
      return callValue(n, depth);
    case 'Identifier':
      return NAMED_VALUES.has(n.name) ? (NAMED_VALUES.get(n.name) ?? null) : new Identifier(n.name);
    case 'MemberExpression': {
      const name = nameOf(n);
      return name === null ? null : new Identifier(name);
    }
    default:
      return null;
  }
}

const tt = acorn.tokTypes;
/** What may follow a whole value read from tokens: anything else makes it part of a larger expression. */
const VALUE_END = new Set([tt.comma, tt.braceR, tt.bracketR, tt.parenR, tt.semi, tt.eof]);

class NotPlainData extends Error {}

/**
 * Plain data (objects with named or quoted keys, arrays, strings, numbers, true/false/null, bare
 * names, negative numbers) read straight from acorn's tokens, with no syntax tree: tools' data
 * files run to megabytes, and a tree of them takes several times their size. Throws NotPlainData
 * at anything else (a concatenation, a call, a hole, a method), which the full parse then reads.
 */
function tokenValue(parser: ParserAt, depth: number): DataValue {
  if (depth > MAX_DEPTH) throw new RangeError('literal nested too deeply');
  const { type, value } = parser;
  parser.next();
  if (type === tt.string || type === tt.num) {
    if (typeof value !== 'string' && typeof value !== 'number') throw new NotPlainData();
    return value;
  }
  if (type === tt._true || type === tt._false) return type === tt._true;
  if (type === tt._null) return null;
  if (type === tt.name) {
    if (parser.type !== tt.dot) return NAMED_VALUES.has(value as string) ? (NAMED_VALUES.get(value as string) ?? null) : new Identifier(value as string);
    // A dotted name (`cp.ch`) reads as one Identifier, as the full parse reads it.
    let name = value as string;
    while (parser.type === tt.dot) {
      parser.next();
      if (parser.type !== tt.name && !parser.type.keyword) throw new NotPlainData();
      name += `.${String(parser.value)}`;
      parser.next();
    }
    return new Identifier(name);
  }
  // `-1`, and minifiers' `!0` and `!1` for true and false.
  if ((type === tt.plusMin && value === '-') || (type === tt.prefix && value === '!')) {
    const operand = parser.value;
    if (parser.type !== tt.num || typeof operand !== 'number') throw new NotPlainData();
    parser.next();
    return value === '-' ? -operand : !operand;
  }
  if (type === tt.bracketL) {
    const items: DataValue[] = [];
    while (parser.type !== tt.bracketR) {
      if (parser.type === tt.comma) throw new NotPlainData();
      items.push(valueBefore(parser, depth));
      if (parser.type === tt.comma) parser.next();
    }
    parser.next();
    return items;
  }
  if (type === tt.braceL) {
    const result: DataObject = Object.create(null) as DataObject;
    while (parser.type !== tt.braceR) {
      const key = parser.type === tt.name || parser.type.keyword || parser.type === tt.string || parser.type === tt.num ? String(parser.value) : null;
      parser.next();
      if (key === null || parser.type !== tt.colon) throw new NotPlainData();
      parser.next();
      result[key] = valueBefore(parser, depth);
      if (parser.type === tt.comma) parser.next();
    }
    parser.next();
    return result;
  }
  throw new NotPlainData();
}

/** A value inside an array or object: it must end where the next item or the container does. */
function valueBefore(parser: ParserAt, depth: number): DataValue {
  const value = tokenValue(parser, depth + 1);
  if (parser.type !== tt.comma && parser.type !== tt.braceR && parser.type !== tt.bracketR) throw new NotPlainData();
  return value;
}

/**
 * The literal that starts at `start` in `source`, and the index after it. Null when the text there
 * is not a literal (or not a complete one).
 */
export function parseJsLiteral(source: string, start: number): { value: DataValue; end: number } | null {
  try {
    const parser = parserAt(source, start);
    const value = tokenValue(parser, 0);
    if (VALUE_END.has(parser.type)) return { value, end: (parser as unknown as { lastTokEnd: number }).lastTokEnd };
  } catch (error) {
    if (!(error instanceof NotPlainData || error instanceof SyntaxError || error instanceof RangeError)) throw error;
  }
  try {
    const node = parserAt(source, start).parseMaybeAssign();
    return { value: staticValue(node), end: node.end };
  } catch {
    // A syntax error, or nesting deeper than the parser's stack.
    return null;
  }
}

/** The literal after each match of `pattern` (which ends just before it); matches followed by none are passed over. */
export function* literalsAfter(source: string, pattern: RegExp): Generator<DataValue> {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  for (const match of source.matchAll(new RegExp(pattern.source, flags))) {
    const parsed = parseJsLiteral(source, (match.index ?? 0) + match[0].length);
    if (parsed) yield parsed.value;
  }
}

/** The literal after the first match of `pattern` that is followed by one, e.g. the value assigned by `cp.D = `. */
export function literalAfter(source: string, pattern: RegExp): DataValue | undefined {
  for (const value of literalsAfter(source, pattern)) return value;
  return undefined;
}

const argumentValues = (args: (acorn.Node | null)[]): DataValue[] =>
  args.map((a) => (a === null || a.type === 'SpreadElement' ? null : staticValue(a)));

/** The arguments of a call, read from `start` (just after its `(`); null when they are not complete. */
export function argumentsAt(source: string, start: number): DataValue[] | null {
  try {
    return argumentValues(parserAt(source, start).parseExprList(acorn.tokTypes.parenR, true, false));
  } catch {
    return null;
  }
}

/** The whole script as a syntax tree; null when it is too large or does not parse. */
export function parseProgram(code: string): acorn.Program | null {
  if (code.length > MAX_PROGRAM_CHARS) return null;
  try {
    return acorn.parse(code, OPTIONS);
  } catch {
    return null;
  }
}

const isNode = (value: unknown): value is acorn.Node =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Every node under `root`, each once, in no particular order (without recursion: trees can be deep). */
export function* walkNodes(root: acorn.Node): Generator<acorn.AnyNode> {
  const stack: acorn.Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node as acorn.AnyNode;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'range') continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) stack.push(item);
      } else if (isNode(value)) {
        stack.push(value);
      }
    }
  }
}

function callsByPattern(code: string, callee: string): DataValue[][] {
  const pattern = new RegExp(`${callee.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}\\s*\\(`, 'g');
  return [...code.matchAll(pattern)].flatMap((match) => {
    const args = argumentsAt(code, (match.index ?? 0) + match[0].length);
    return args ? [args] : [];
  });
}

/**
 * The arguments of every call to `callee` (`new Question`, `loadHandler`, also as `x.loadHandler`)
 * whose arguments could be read, in source order.
 */
export function callArguments(code: string, callee: string): DataValue[][] {
  const program = parseProgram(code);
  if (!program) return callsByPattern(code, callee);
  const constructs = /^new\s/.test(callee);
  const name = callee.replace(/^new\s+/, '');
  const calls: (acorn.CallExpression | acorn.NewExpression)[] = [];
  for (const node of walkNodes(program)) {
    if (node.type !== (constructs ? 'NewExpression' : 'CallExpression')) continue;
    const called = nameOf(node.callee);
    if (called === name || called?.endsWith(`.${name}`)) calls.push(node);
  }
  return calls
    .sort((a, b) => a.start - b.start)
    .flatMap((call) => {
      try {
        return [argumentValues(call.arguments)];
      } catch {
        return [];
      }
    });
}

const isData = (value: DataValue): boolean => typeof value === 'object' && value !== null && !(value instanceof Identifier);

/** Data assigned to a name; the name as code spells it (`course`, `window.quiz`), null for a pattern like `a[0]`. */
export interface Assignment {
  name: string | null;
  value: DataValue;
}

function assignmentsByPattern(code: string): Assignment[] {
  const found: Assignment[] = [];
  let end = 0;
  for (const match of code.matchAll(/([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)?\s*=(?![=>])\s*(?=[[{]|JSON\.parse\s*\()/g)) {
    const start = (match.index ?? 0) + match[0].length;
    // A literal inside one already read is part of it.
    if (start < end) continue;
    const parsed = parseJsLiteral(code, start);
    if (parsed && isData(parsed.value)) {
      found.push({ name: match[1] ?? null, value: parsed.value });
      end = parsed.end;
    }
  }
  return found;
}

/**
 * The data a script assigns (`var course = {...}`, `window.quiz = [...]`, `data = JSON.parse('...')`),
 * objects and arrays only, in source order. Scripts that do not parse whole are read by pattern.
 */
export function assignedData(code: string): Assignment[] {
  const program = parseProgram(code);
  if (!program) return assignmentsByPattern(code);
  const assigned: { name: string | null; node: acorn.Node }[] = [];
  for (const node of walkNodes(program)) {
    if (node.type === 'VariableDeclarator' && node.init) assigned.push({ name: nameOf(node.id), node: node.init });
    else if (node.type === 'AssignmentExpression' && node.operator === '=') assigned.push({ name: nameOf(node.left), node: node.right });
  }
  return assigned
    .filter(({ node }) => node.type === 'ObjectExpression' || node.type === 'ArrayExpression' || node.type === 'CallExpression')
    .sort((a, b) => a.node.start - b.node.start)
    .flatMap(({ name, node }) => {
      try {
        const value = staticValue(node);
        return isData(value) ? [{ name, value }] : [];
      } catch {
        return [];
      }
    });
}

/** Appends the string literals from `start` on to `values`, complete templates included. */
function readStrings(code: string, start: number, values: string[]): void {
  const { string, template, invalidTemplate, backQuote, dollarBraceL, eof } = acorn.tokTypes;
  const parser = new Parser(OPTIONS, code, start);
  const templates: { text: string; substituted: boolean }[] = [];
  let previous: acorn.TokenType | null = null;
  for (let token = parser.getToken(); token.type !== eof; token = parser.getToken()) {
    if (token.type === string) {
      values.push(token.value as string);
    } else if (token.type === backQuote) {
      // A template chunk is always followed by a closing quote or `${`: a quote after one closes.
      if (previous === template || previous === invalidTemplate) {
        const closed = templates.pop();
        if (closed && !closed.substituted) values.push(closed.text);
      } else {
        templates.push({ text: '', substituted: false });
      }
    } else if (token.type === template || token.type === invalidTemplate) {
      const open = templates[templates.length - 1];
      if (open) open.text += (token.value as string | null) ?? '';
    } else if (token.type === dollarBraceL) {
      const open = templates[templates.length - 1];
      if (open) open.substituted = true;
    }
    previous = token.type;
  }
}

/**
 * Every complete string literal in the source, in order, skipping comments and templates with
 * substitutions. Where the script has a syntax error, reading resumes on the next line.
 */
export function stringLiterals(code: string): string[] {
  const values: string[] = [];
  let start = 0;
  while (start < code.length) {
    try {
      readStrings(code, start, values);
      return values;
    } catch (error) {
      const at = typeof (error as { pos?: unknown }).pos === 'number' ? (error as { pos: number }).pos : code.length;
      const lineEnd = code.indexOf('\n', Math.max(at, start));
      start = lineEnd < 0 ? code.length : lineEnd + 1;
    }
  }
  return values;
}
