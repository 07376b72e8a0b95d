/**
 * Reads literal data out of JavaScript source without running it: string literals, and the
 * arguments of calls such as `new Question("id", "text", TYPE, new Array("a", "b"), "b")`.
 */

export type JsValue = string | number | boolean | null | { identifier: string } | JsValue[];

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Reads the string literal starting at `start` (a quote); returns its value and the index after it. */
function readString(code: string, start: number): { value: string; end: number } | undefined {
  const quote = code[start];
  let value = '';
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n' && quote !== '`') return undefined;
    if (quote === '`' && c === '$' && code[i + 1] === '{') return undefined;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = code[++i] ?? '';
    if (next === 'u' && code[i + 1] === '{') {
      const close = code.indexOf('}', i);
      value += String.fromCodePoint(parseInt(code.slice(i + 2, close), 16) || 0xfffd);
      i = close;
    } else if (next === 'u') {
      value += String.fromCharCode(parseInt(code.slice(i + 1, i + 5), 16) || 0xfffd);
      i += 4;
    } else if (next === 'x') {
      value += String.fromCharCode(parseInt(code.slice(i + 1, i + 3), 16) || 0xfffd);
      i += 2;
    } else if (next === '\n' || next === '\r') {
      if (next === '\r' && code[i + 1] === '\n') i++;
    } else value += ESCAPES[next] ?? next;
  }
  return undefined;
}

/** Every complete string literal in the source, in order, skipping comments. */
export function stringLiterals(code: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '/' && (code[i + 1] === '/' || code[i + 1] === '*')) {
      const end = code.indexOf(code[i + 1] === '/' ? '\n' : '*/', i + 2);
      i = end < 0 ? code.length : end + (code[i + 1] === '/' ? 0 : 1);
    } else if (c === '"' || c === "'" || c === '`') {
      const literal = readString(code, i);
      if (literal) {
        values.push(literal.value);
        i = literal.end - 1;
      }
    }
  }
  return values;
}

class LiteralParser {
  constructor(
    private readonly code: string,
    public index: number,
  ) {}

  private skipSpace(): void {
    for (;;) {
      while (/\s/.test(this.code[this.index] ?? '')) this.index++;
      const end = this.code.startsWith('//', this.index)
        ? this.code.indexOf('\n', this.index)
        : this.code.startsWith('/*', this.index)
          ? this.code.indexOf('*/', this.index) + 1
          : undefined;
      if (end === undefined) return;
      this.index = end <= 0 ? this.code.length : end + 1;
    }
  }

  /** A list of values up to `close`, separated by commas. */
  list(close: string): JsValue[] | undefined {
    const values: JsValue[] = [];
    this.skipSpace();
    if (this.code[this.index] === close) {
      this.index++;
      return values;
    }
    for (;;) {
      const value = this.value();
      if (value === undefined) return undefined;
      values.push(value);
      this.skipSpace();
      const c = this.code[this.index++];
      if (c === close) return values;
      if (c !== ',') return undefined;
    }
  }

  value(): JsValue | undefined {
    this.skipSpace();
    const c = this.code[this.index] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      const literal = readString(this.code, this.index);
      if (!literal) return undefined;
      this.index = literal.end;
      return literal.value;
    }
    if (c === '[') {
      this.index++;
      return this.list(']');
    }
    const number = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(this.code.slice(this.index, this.index + 40));
    if (number) {
      this.index += number[0].length;
      return Number(number[0]);
    }
    const word = /^[A-Za-z_$][\w$.]*/.exec(this.code.slice(this.index, this.index + 200));
    if (!word) return undefined;
    this.index += word[0].length;
    if (word[0] === 'true') return true;
    if (word[0] === 'false') return false;
    if (word[0] === 'null' || word[0] === 'undefined') return null;
    if (word[0] === 'new') {
      this.skipSpace();
      const constructor = /^[A-Za-z_$][\w$.]*/.exec(this.code.slice(this.index, this.index + 200));
      if (!constructor) return undefined;
      this.index += constructor[0].length;
      this.skipSpace();
      if (this.code[this.index] !== '(') return { identifier: constructor[0] };
      this.index++;
      const args = this.list(')');
      // `new Array(a, b)` is an array literal; other constructors are not literal data.
      return constructor[0] === 'Array' ? args : undefined;
    }
    return { identifier: word[0] };
  }
}

/** The literal arguments of every call to `callee` (e.g. `new Question` or `AddQuestion`). */
export function callArguments(code: string, callee: string): JsValue[][] {
  const calls: JsValue[][] = [];
  const pattern = new RegExp(`${callee.replace(/[.$]/g, '\\$&').replace(/\s+/g, '\\s+')}\\s*\\(`, 'g');
  for (const match of code.matchAll(pattern)) {
    const parser = new LiteralParser(code, (match.index ?? 0) + match[0].length);
    const args = parser.list(')');
    if (args) calls.push(args);
  }
  return calls;
}
