import type * as acorn from 'acorn';

/*
 * Constant folding of a pure JavaScript expression, without running any code: literals, arithmetic,
 * string and array methods on constants, `String.fromCharCode`, and small functions that only
 * declare variables and return (immediately invoked, or passed to `map`). Lectora computes the
 * passphrase of its test files this way, obfuscated into char-code arithmetic. Anything else (a
 * global, a loop, an assignment outside the function's own variables) makes the fold fail. The
 * work is bounded by a step budget and by the size of the strings and arrays it builds.
 */

type Value = string | number | boolean | null | undefined | Value[] | Closure | Builtin;

interface Closure {
  kind: 'closure';
  node: acorn.FunctionExpression | acorn.ArrowFunctionExpression;
  scope: Scope;
}

/** A global function, or a method with the value it was read from. */
interface Builtin {
  kind: 'builtin';
  name: string;
  self?: Value;
}

class FoldError extends Error {}

const MAX_STEPS = 200_000;
const MAX_LENGTH = 100_000;
const MAX_DEPTH = 64;

class Scope {
  private readonly vars = new Map<string, Value>();
  constructor(readonly parent: Scope | null) {}

  declare(name: string, value: Value): void {
    this.vars.set(name, value);
  }

  lookup(name: string): { found: boolean; value?: Value; scope?: Scope } {
    if (this.vars.has(name)) return { found: true, value: this.vars.get(name), scope: this };
    return this.parent ? this.parent.lookup(name) : { found: false };
  }

  assign(name: string, value: Value): void {
    const found = this.lookup(name);
    if (!found.scope) throw new FoldError(`assignment to ${name}`);
    found.scope.vars.set(name, value);
  }
}

const GLOBALS: Record<string, Builtin> = {
  String: { kind: 'builtin', name: 'String' },
  Array: { kind: 'builtin', name: 'Array' },
  Math: { kind: 'builtin', name: 'Math' },
  Number: { kind: 'builtin', name: 'Number' },
  parseInt: { kind: 'builtin', name: 'parseInt' },
  parseFloat: { kind: 'builtin', name: 'parseFloat' },
};

const isBuiltin = (v: Value): v is Builtin => typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'builtin';
const isClosure = (v: Value): v is Closure => typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'closure';

class Folder {
  private steps = 0;
  private depth = 0;

  private step(): void {
    if (++this.steps > MAX_STEPS) throw new FoldError('too much work');
  }

  private checked<T extends Value>(value: T): T {
    if ((typeof value === 'string' || Array.isArray(value)) && value.length > MAX_LENGTH) throw new FoldError('too large');
    return value;
  }

  expression(node: acorn.Node, scope: Scope): Value {
    this.step();
    const n = node as acorn.AnyNode;
    switch (n.type) {
      case 'Literal':
        if (n.value instanceof RegExp || typeof n.value === 'bigint') throw new FoldError('literal');
        return n.value;
      case 'TemplateLiteral':
        return this.checked(
          n.quasis.map((q, i) => (q.value.cooked ?? '') + (i < n.expressions.length ? this.toText(this.expression(n.expressions[i] as acorn.Node, scope)) : '')).join(''),
        );
      case 'Identifier':
        return this.identifier(n.name, scope);
      case 'ArrayExpression':
        return this.checked(n.elements.map((e) => (e === null ? undefined : e.type === 'SpreadElement' ? fail('spread') : this.expression(e, scope))));
      case 'UnaryExpression':
        return this.unary(n.operator, this.expression(n.argument, scope));
      case 'BinaryExpression':
        return this.binary(n.operator, this.expression(n.left, scope), this.expression(n.right, scope));
      case 'LogicalExpression': {
        const left = this.expression(n.left, scope);
        if (n.operator === '&&') return left ? this.expression(n.right, scope) : left;
        if (n.operator === '||') return left ? left : this.expression(n.right, scope);
        return left ?? this.expression(n.right, scope);
      }
      case 'ConditionalExpression':
        return this.expression(this.expression(n.test, scope) ? n.consequent : n.alternate, scope);
      case 'SequenceExpression': {
        let last: Value;
        for (const e of n.expressions) last = this.expression(e, scope);
        return last;
      }
      case 'ParenthesizedExpression':
        return this.expression(n.expression, scope);
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { kind: 'closure', node: n, scope };
      case 'MemberExpression':
        return this.member(n, scope);
      case 'CallExpression':
        return this.call(n, scope);
      case 'AssignmentExpression':
        return this.assignment(n, scope);
      default:
        throw new FoldError(n.type);
    }
  }

  private identifier(name: string, scope: Scope): Value {
    const local = scope.lookup(name);
    if (local.found) return local.value;
    if (name === 'undefined') return undefined;
    if (name === 'NaN') return NaN;
    if (name === 'Infinity') return Infinity;
    const global = GLOBALS[name];
    if (global) return global;
    throw new FoldError(`unknown ${name}`);
  }

  private assignment(n: acorn.AssignmentExpression, scope: Scope): Value {
    if (n.left.type !== 'Identifier') throw new FoldError('assignment target');
    const right = this.expression(n.right, scope);
    const value =
      n.operator === '=' ? right : this.binary(n.operator.slice(0, -1), this.identifier(n.left.name, scope), right);
    scope.assign(n.left.name, value);
    return value;
  }

  private toText(value: Value): string {
    if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? '' : this.toText(v))).join(',');
    if (isBuiltin(value) || isClosure(value)) throw new FoldError('function as text');
    return this.checked(String(value));
  }

  private toNumber(value: Value): number {
    if (Array.isArray(value)) return Number(this.toText(value));
    if (isBuiltin(value) || isClosure(value)) return NaN;
    return Number(value);
  }

  private unary(operator: string, value: Value): Value {
    switch (operator) {
      case '-':
        return -this.toNumber(value);
      case '+':
        return this.toNumber(value);
      case '!':
        return !value;
      case '~':
        return ~this.toNumber(value);
      case 'typeof':
        return Array.isArray(value) || value === null ? 'object' : isBuiltin(value) || isClosure(value) ? 'function' : typeof value;
      case 'void':
        return undefined;
      default:
        throw new FoldError(operator);
    }
  }

  private binary(operator: string, left: Value, right: Value): Value {
    const primitive = (v: Value) => (Array.isArray(v) ? this.toText(v) : v);
    const l = primitive(left);
    const r = primitive(right);
    if (isBuiltin(l) || isClosure(l) || isBuiltin(r) || isClosure(r)) throw new FoldError('function operand');
    if (operator === '+') {
      if (typeof l === 'string' || typeof r === 'string') return this.checked(this.toText(l) + this.toText(r));
      return this.toNumber(l) + this.toNumber(r);
    }
    const a = this.toNumber(l);
    const b = this.toNumber(r);
    switch (operator) {
      case '-': return a - b;
      case '*': return a * b;
      case '/': return a / b;
      case '%': return a % b;
      case '**': return a ** b;
      case '|': return a | b;
      case '&': return a & b;
      case '^': return a ^ b;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '>>>': return a >>> b;
      case '==': case '===': return l === r || (operator === '==' && l == r);
      case '!=': case '!==': return !(l === r || (operator === '!=' && l == r));
      case '<': return (l as string | number) < (r as string | number);
      case '>': return (l as string | number) > (r as string | number);
      case '<=': return (l as string | number) <= (r as string | number);
      case '>=': return (l as string | number) >= (r as string | number);
      default: throw new FoldError(operator);
    }
  }

  private propertyName(n: acorn.MemberExpression, scope: Scope): string | number {
    if (!n.computed && n.property.type === 'Identifier') return n.property.name;
    const key = this.expression(n.property, scope);
    if (typeof key === 'number') return key;
    return this.toText(key);
  }

  private member(n: acorn.MemberExpression, scope: Scope): Value {
    if (n.object.type === 'Super') throw new FoldError('super');
    const object = this.expression(n.object, scope);
    return this.property(object, this.propertyName(n, scope));
  }

  private property(object: Value, key: string | number): Value {
    if (typeof object === 'string' || Array.isArray(object)) {
      if (key === 'length') return object.length;
      const index = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : null;
      if (index !== null) return object[index];
    }
    if (isBuiltin(object)) {
      // `f.call`, `f.apply`: the function `f` is the value they are read from.
      if (key === 'call' || key === 'apply') return { kind: 'builtin', name: `${object.name}.${key}`, self: object };
      // `Array.prototype.slice`, `String.fromCharCode`, `Math.floor`.
      if (object.self === undefined) return { kind: 'builtin', name: `${object.name}.${key}` };
    }
    if (typeof key === 'string' && (typeof object === 'string' || typeof object === 'number' || Array.isArray(object))) {
      return { kind: 'builtin', name: `${Array.isArray(object) ? 'array' : typeof object}.${key}`, self: object };
    }
    if (isClosure(object) && (key === 'call' || key === 'apply')) return { kind: 'builtin', name: `function.${key}`, self: object };
    throw new FoldError(`property ${String(key)}`);
  }

  private call(n: acorn.CallExpression, scope: Scope): Value {
    if (n.callee.type === 'Super') throw new FoldError('super');
    const callee = this.expression(n.callee, scope);
    const args = n.arguments.map((a) => (a.type === 'SpreadElement' ? fail('spread') : this.expression(a, scope)));
    return this.invoke(callee, args);
  }

  invoke(callee: Value, args: Value[]): Value {
    this.step();
    if (isClosure(callee)) return this.apply(callee, args);
    if (!isBuiltin(callee)) throw new FoldError('not a function');
    // `f.call(self, ...args)` and `f.apply(self, [args])`: the method of `f` on `self`.
    if (callee.name.endsWith('.call') || callee.name.endsWith('.apply')) {
      const list = callee.name.endsWith('.apply') ? (Array.isArray(args[1]) ? args[1] : []) : args.slice(1);
      const target = callee.self;
      if (isClosure(target)) return this.apply(target, list);
      if (!isBuiltin(target)) throw new FoldError('call target');
      // `Array.prototype.slice.call(arguments)`: the array method on the first argument.
      const method = target.name.replace(/^(Array|String)\.prototype\./, (_m, t: string) => `${t.toLowerCase()}.`);
      return this.builtin(method, target.self !== undefined ? target.self : args[0], list);
    }
    return this.builtin(callee.name, callee.self, args);
  }

  private apply(fn: Closure, args: Value[]): Value {
    if (++this.depth > MAX_DEPTH) throw new FoldError('too deep');
    try {
      const node = fn.node;
      const scope = new Scope(fn.scope);
      if (node.type === 'FunctionExpression') scope.declare('arguments', [...args]);
      node.params.forEach((p, i) => {
        if (p.type !== 'Identifier') throw new FoldError('parameter');
        scope.declare(p.name, args[i]);
      });
      if (node.body.type !== 'BlockStatement') return this.expression(node.body, scope);
      const result = this.statements(node.body.body, scope);
      return result.returned ? result.value : undefined;
    } finally {
      this.depth--;
    }
  }

  private statements(body: acorn.Statement[], scope: Scope): { returned: boolean; value?: Value } {
    for (const statement of body) {
      this.step();
      switch (statement.type) {
        case 'VariableDeclaration':
          for (const d of statement.declarations) {
            if (d.id.type !== 'Identifier') throw new FoldError('pattern');
            scope.declare(d.id.name, d.init ? this.expression(d.init, scope) : undefined);
          }
          break;
        case 'ReturnStatement':
          return { returned: true, value: statement.argument ? this.expression(statement.argument, scope) : undefined };
        case 'ExpressionStatement':
          this.expression(statement.expression, scope);
          break;
        case 'IfStatement': {
          const branch = this.expression(statement.test, scope) ? statement.consequent : statement.alternate;
          if (branch) {
            const result = this.statements(branch.type === 'BlockStatement' ? branch.body : [branch], scope);
            if (result.returned) return result;
          }
          break;
        }
        case 'BlockStatement': {
          const result = this.statements(statement.body, scope);
          if (result.returned) return result;
          break;
        }
        case 'EmptyStatement':
          break;
        default:
          throw new FoldError(statement.type);
      }
    }
    return { returned: false };
  }

  private builtin(name: string, self: Value, args: Value[]): Value {
    const text = (i: number) => this.toText(args[i]);
    const int = (i: number, fallback: number) => (args[i] === undefined ? fallback : Math.trunc(this.toNumber(args[i])) || 0);
    if (name === 'String.fromCharCode') return this.checked(String.fromCharCode(...args.map((a) => this.toNumber(a))));
    if (name === 'String') return this.toText(args[0]);
    if (name === 'Number') return this.toNumber(args[0]);
    if (name === 'parseInt') return parseInt(text(0), args[1] === undefined ? undefined : this.toNumber(args[1]));
    if (name === 'parseFloat') return parseFloat(text(0));
    if (name.startsWith('Math.')) {
      const math: Record<string, (...v: number[]) => number> = { floor: Math.floor, ceil: Math.ceil, round: Math.round, abs: Math.abs, min: Math.min, max: Math.max, pow: Math.pow, trunc: Math.trunc };
      const fn = math[name.slice(5)];
      if (!fn) throw new FoldError(name);
      return fn(...args.map((a) => this.toNumber(a)));
    }
    if (name.startsWith('number.')) {
      if (typeof self !== 'number') throw new FoldError(name);
      if (name === 'number.toString') {
        const radix = args[0] === undefined ? 10 : this.toNumber(args[0]);
        if (!Number.isInteger(radix) || radix < 2 || radix > 36) throw new FoldError('radix');
        return self.toString(radix);
      }
      if (name === 'number.toFixed') return self.toFixed(Math.min(20, Math.max(0, int(0, 0))));
      throw new FoldError(name);
    }
    if (name.startsWith('string.')) return this.stringMethod(name.slice(7), this.toText(self), args, text, int);
    if (name.startsWith('array.')) {
      if (!Array.isArray(self)) throw new FoldError(name);
      return this.arrayMethod(name.slice(6), self, args, int);
    }
    throw new FoldError(name);
  }

  private stringMethod(method: string, s: string, args: Value[], text: (i: number) => string, int: (i: number, f: number) => number): Value {
    switch (method) {
      case 'charAt': return s.charAt(int(0, 0));
      case 'charCodeAt': return s.charCodeAt(int(0, 0));
      case 'codePointAt': return s.codePointAt(int(0, 0));
      case 'substr': return s.substr(int(0, 0), args[1] === undefined ? undefined : int(1, 0));
      case 'substring': return s.substring(int(0, 0), args[1] === undefined ? undefined : int(1, 0));
      case 'slice': return s.slice(int(0, 0), args[1] === undefined ? undefined : int(1, 0));
      case 'toLowerCase': return s.toLowerCase();
      case 'toUpperCase': return s.toUpperCase();
      case 'trim': return s.trim();
      case 'toString': case 'valueOf': return s;
      case 'indexOf': return s.indexOf(text(0));
      case 'lastIndexOf': return s.lastIndexOf(text(0));
      case 'concat': return this.checked(s + args.map((_a, i) => text(i)).join(''));
      case 'split': {
        if (args[0] === undefined) return [s];
        return this.checked(s.split(text(0), args[1] === undefined ? undefined : int(1, 0)));
      }
      case 'repeat': {
        const count = int(0, 0);
        if (count < 0 || count * s.length > MAX_LENGTH) throw new FoldError('repeat');
        return s.repeat(count);
      }
      case 'replace': case 'replaceAll': {
        if (typeof args[1] !== 'string') throw new FoldError('replace');
        return this.checked(method === 'replace' ? s.replace(text(0), () => text(1)) : s.split(text(0)).join(text(1)));
      }
      default:
        throw new FoldError(`string.${method}`);
    }
  }

  private arrayMethod(method: string, a: Value[], args: Value[], int: (i: number, f: number) => number): Value {
    switch (method) {
      case 'reverse': return a.reverse();
      case 'join': return this.checked(a.map((v) => (v === null || v === undefined ? '' : this.toText(v))).join(args[0] === undefined ? ',' : this.toText(args[0])));
      case 'shift': return a.shift();
      case 'pop': return a.pop();
      case 'push': a.push(...args); this.checked(a); return a.length;
      case 'unshift': a.unshift(...args); this.checked(a); return a.length;
      case 'slice': return a.slice(int(0, 0), args[1] === undefined ? undefined : int(1, 0));
      case 'concat': return this.checked(a.concat(...args.map((v) => (Array.isArray(v) ? v : [v]))));
      case 'indexOf': return a.indexOf(args[0]);
      case 'map': return a.map((v, i) => this.invoke(args[0], [v, i, a]));
      case 'filter': return a.filter((v, i) => !!this.invoke(args[0], [v, i, a]));
      case 'reduce': {
        let acc = args.length > 1 ? args[1] : a[0];
        for (let i = args.length > 1 ? 0 : 1; i < a.length; i++) acc = this.invoke(args[0], [acc, a[i], i, a]);
        return acc;
      }
      case 'toString': return this.toText(a);
      default:
        throw new FoldError(`array.${method}`);
    }
  }
}

function fail(message: string): never {
  throw new FoldError(message);
}

/** The string a pure expression evaluates to, or null when it cannot be folded within bounds. */
export function foldString(node: acorn.Node, scope?: Map<string, unknown>): string | null {
  try {
    const root = new Scope(null);
    for (const [name, value] of scope ?? []) root.declare(name, value as Value);
    const value = new Folder().expression(node, root);
    return typeof value === 'string' ? value : null;
  } catch (error) {
    if (error instanceof FoldError || error instanceof RangeError || error instanceof TypeError) return null;
    throw error;
  }
}
