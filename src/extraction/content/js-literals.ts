import { Identifier, type DataObject, type DataValue } from './data-values.js';

/**
 * Reads literal data out of JavaScript source without running it: strings, numbers, booleans,
 * null, arrays (`[...]` and `new Array(...)`), object literals and string concatenation, as tools
 * write them in `cp.D = {...}` or `new Question("id", "text", QUESTION_TYPE_CHOICE, new Array("a"), "a")`.
 * A bare name (`QUESTION_TYPE_CHOICE`) reads as an Identifier; any other expression (a call, a
 * function, a template with substitutions) reads as null.
 */

const IDENT_START = /[A-Za-z_$\u00c0-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u00c0-\uffff]/;
const MAX_DEPTH = 400;
/** What may follow a value: a name followed by anything else is part of an expression. */
const VALUE_END = new Set([',', '}', ']', ')', ';', '']);
const CONTROL_ESCAPES = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
]);
const NAMED_VALUES = new Map<string, boolean | null>([
  ['true', true],
  ['false', false],
  ['null', null],
  ['undefined', null],
  ['NaN', null],
  ['Infinity', null],
]);

class LiteralReader {
  constructor(
    private readonly src: string,
    public pos: number,
  ) {}

  private fail(message: string): never {
    throw new SyntaxError(`${message} at ${this.pos}`);
  }

  private skipSpace(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
        this.pos++;
      } else if (c === 47 && src[this.pos + 1] === '/') {
        const end = src.indexOf('\n', this.pos);
        this.pos = end < 0 ? src.length : end + 1;
      } else if (c === 47 && src[this.pos + 1] === '*') {
        const end = src.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? src.length : end + 2;
      } else {
        return;
      }
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.src[this.pos] ?? '';
  }

  value(depth = 0): DataValue {
    if (depth > MAX_DEPTH) this.fail('literal nested too deeply');
    let result = this.primary(depth);
    // String concatenation ('a' + 'b') is the one operator data files use.
    while (this.peek() === '+' && typeof result === 'string') {
      this.pos++;
      const next = this.primary(depth);
      result = typeof next === 'string' || typeof next === 'number' ? result + String(next) : result;
    }
    return result;
  }

  private primary(depth: number): DataValue {
    const c = this.peek();
    if (c === '{') return this.object(depth);
    if (c === '[') {
      this.pos++;
      return this.list(']', depth);
    }
    if (c === '"' || c === "'" || c === '`') return this.string();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) {
      const n = this.number();
      if (n !== undefined) return n;
    }
    if (c === '!' && /^!\s*[01]\b/.test(this.src.slice(this.pos, this.pos + 4))) {
      // Minifiers write true and false as !0 and !1.
      this.pos++;
      this.skipSpace();
      return this.src[this.pos++] === '0';
    }
    if (IDENT_START.test(c)) {
      const start = this.pos;
      const name = this.name();
      if (name === 'new') {
        this.skipSpace();
        const array = /^Array\s*\(/.exec(this.src.slice(this.pos, this.pos + 16));
        if (array) {
          // `new Array(a, b)` is an array literal; other constructors are code.
          this.pos += array[0].length;
          return this.list(')', depth);
        }
      } else if (VALUE_END.has(this.peek())) {
        const known = NAMED_VALUES.get(name);
        return known !== undefined ? known : new Identifier(name);
      }
      this.pos = start;
    }
    if (!this.skipExpression()) this.fail('unexpected character');
    return null;
  }

  private identifier(): string {
    const start = this.pos;
    while (this.pos < this.src.length && IDENT_PART.test(this.src[this.pos] ?? '')) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** A name as code refers to it: `QUESTION_TYPE_CHOICE`, `cp.ch`. */
  private name(): string {
    const start = this.pos;
    this.identifier();
    while (this.src[this.pos] === '.' && IDENT_START.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      this.identifier();
    }
    return this.src.slice(start, this.pos);
  }

  /**
   * Skips any expression (a call, a function) up to the next `,`, `;` or closing bracket at its
   * level; answers whether there was one.
   */
  private skipExpression(): boolean {
    const src = this.src;
    let depth = 0;
    const start = this.pos;
    while (this.pos < src.length) {
      const c = src[this.pos] ?? '';
      if (c === '"' || c === "'" || c === '`') {
        this.string();
        continue;
      }
      if (c === '/' && (src[this.pos + 1] === '/' || src[this.pos + 1] === '*')) {
        this.skipSpace();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === ';') && depth === 0) break;
      this.pos++;
    }
    return this.pos > start;
  }

  private number(): number | undefined {
    const match = /^[-+]?(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(this.src.slice(this.pos, this.pos + 64));
    if (!match) return undefined;
    const after = this.src[this.pos + match[0].length] ?? '';
    if (IDENT_PART.test(after)) return undefined;
    this.pos += match[0].length;
    const text = match[0];
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[-+]/, '');
    return sign * (/^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : Number(body));
  }

  /** The string literal at `pos`; null for a template with substitutions (code, not data), read past whole. */
  string(): string | null {
    const src = this.src;
    const quote = src[this.pos];
    this.pos++;
    let out = '';
    let chunkStart = this.pos;
    let substituted = false;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === quote) {
        out += src.slice(chunkStart, this.pos);
        this.pos++;
        return substituted ? null : out;
      }
      if (c === '\\') {
        out += src.slice(chunkStart, this.pos);
        this.pos++;
        out += this.escape();
        chunkStart = this.pos;
        continue;
      }
      if (quote === '`' && c === '$' && src[this.pos + 1] === '{') {
        this.pos += 2;
        this.skipSubstitution();
        substituted = true;
        chunkStart = this.pos;
        continue;
      }
      if ((c === '\n' || c === '\r') && quote !== '`') this.fail('unterminated string');
      this.pos++;
    }
    this.fail('unterminated string');
  }

  /** Skips the code of a template's `${...}`, past its closing `}`. */
  private skipSubstitution(): void {
    for (;;) {
      this.skipExpression();
      const c = this.src[this.pos];
      if (c === undefined) this.fail('unterminated template');
      this.pos++;
      if (c === '}') return;
    }
  }

  private escape(): string {
    const src = this.src;
    const c = src[this.pos++] ?? '';
    const control = CONTROL_ESCAPES.get(c);
    if (control !== undefined) return control;
    switch (c) {
      case '0':
        return /[0-9]/.test(src[this.pos] ?? '') ? '' : '\0';
      case '\r':
        if (src[this.pos] === '\n') this.pos++;
        return '';
      case '\n':
      case '\u2028':
      case '\u2029':
        return '';
      case 'x': {
        const hex = src.slice(this.pos, this.pos + 2);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          this.pos += 2;
          return String.fromCharCode(parseInt(hex, 16));
        }
        return 'x';
      }
      case 'u': {
        if (src[this.pos] === '{') {
          const end = src.indexOf('}', this.pos);
          const hex = end > 0 ? src.slice(this.pos + 1, end) : '';
          if (/^[0-9a-fA-F]{1,6}$/.test(hex) && parseInt(hex, 16) <= 0x10ffff) {
            this.pos = end + 1;
            return String.fromCodePoint(parseInt(hex, 16));
          }
          return 'u';
        }
        const hex = src.slice(this.pos, this.pos + 4);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.pos += 4;
          return String.fromCharCode(parseInt(hex, 16));
        }
        return 'u';
      }
      default:
        return c;
    }
  }

  private object(depth: number): DataObject {
    // No prototype: a `__proto__` key is data like any other.
    const result: DataObject = Object.create(null) as DataObject;
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return result;
      }
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '') this.fail('unterminated object');
      let key: string;
      if (c === '"' || c === "'") key = this.string() ?? '';
      else if (c === '[') {
        // A computed key: not data.
        this.skipExpression();
        key = '';
      } else {
        const n = c === '-' || c === '.' || (c >= '0' && c <= '9') ? this.number() : undefined;
        if (n !== undefined) key = String(n);
        else {
          key = this.identifier();
          if (!key) this.fail('unexpected character in object');
        }
      }
      const next = this.peek();
      if (next === ':') {
        this.pos++;
        const value = this.value(depth + 1);
        if (key) result[key] = value;
      } else if (next === '(') {
        // A method: function body, not data.
        this.skipExpression();
      } else if (next === ',' || next === '}') {
        // Shorthand property: `{a}` is `{a: a}`.
        if (key) result[key] = new Identifier(key);
      } else {
        this.fail('expected : in object');
      }
    }
  }

  /** Values up to `close` (of an array, or of a call's arguments) separated by commas; a hole reads as null. */
  list(close: ']' | ')', depth = 0): DataValue[] {
    const result: DataValue[] = [];
    let expectValue = true;
    for (;;) {
      const c = this.peek();
      if (c === close) {
        this.pos++;
        return result;
      }
      if (c === '') this.fail('unterminated list');
      if (c === ',') {
        if (expectValue) result.push(null);
        this.pos++;
        expectValue = true;
        continue;
      }
      result.push(this.value(depth + 1));
      expectValue = false;
    }
  }
}

/**
 * The literal that starts at `start` in `source`, and the index after it. Null when the text there
 * is not a literal (or not a complete one).
 */
export function parseJsLiteral(source: string, start: number): { value: DataValue; end: number } | null {
  try {
    const reader = new LiteralReader(source, start);
    const value = reader.value();
    return { value, end: reader.pos };
  } catch {
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

/** The arguments of a call, read from `start` (just after its `(`); null when they are not complete. */
export function argumentsAt(source: string, start: number): DataValue[] | null {
  try {
    return new LiteralReader(source, start).list(')');
  } catch {
    return null;
  }
}

/** The arguments of every call to `callee` (`new Question`, `loadHandler`) whose arguments could be read. */
export function callArguments(code: string, callee: string): DataValue[][] {
  const pattern = new RegExp(`${callee.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}\\s*\\(`, 'g');
  return [...code.matchAll(pattern)].flatMap((match) => {
    const args = argumentsAt(code, (match.index ?? 0) + match[0].length);
    return args ? [args] : [];
  });
}

/** Every complete string literal in the source, in order, skipping comments and templates with substitutions. */
export function stringLiterals(code: string): string[] {
  const values: string[] = [];
  const reader = new LiteralReader(code, 0);
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '/' && (code[i + 1] === '/' || code[i + 1] === '*')) {
      const end = code.indexOf(code[i + 1] === '/' ? '\n' : '*/', i + 2);
      i = end < 0 ? code.length : end + (code[i + 1] === '/' ? 0 : 1);
    } else if (c === '"' || c === "'" || c === '`') {
      reader.pos = i;
      try {
        const value = reader.string();
        if (value !== null) values.push(value);
        i = reader.pos - 1;
      } catch {
        // An unterminated quote (an apostrophe in a regular expression, say): not a literal.
      }
    }
  }
  return values;
}
