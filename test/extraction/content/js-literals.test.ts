import { describe, expect, it } from 'vitest';
import { Identifier, type DataObject } from '../../../src/extraction/content/data-values.js';
import { callArguments, literalAfter, literalsAfter, parseJsLiteral, stringLiterals } from '../../../src/extraction/content/js-literals.js';

describe('parseJsLiteral', () => {
  const read = (source: string) => parseJsLiteral(source, source.indexOf('=') + 1)?.value;

  it('reads plain data and data with expressions in it alike, and ends where the literal ends', () => {
    const plain = `cp.D = {handler:cp.ch, on:!0, off:!1, n:-2, s:"x", list:[1,"y",null], 'if':true};`;
    const mixed = `cp.D = {handler:cp.ch, on:!0, off:!1, n:-2, s:"x"+"", list:[1,"y",null], 'if':true};`;
    for (const source of [plain, mixed]) {
      const parsed = parseJsLiteral(source, source.indexOf('=') + 1);
      expect(parsed?.value).toEqual({ handler: new Identifier('cp.ch'), on: true, off: false, n: -2, s: 'x', list: [1, 'y', null], if: true });
      expect(source.slice(parsed?.end)).toBe(';');
    }
    expect(read(`x = {a:1}.a`)).toBeNull();
    expect(read(`x = ['a|b'][0]`)).toBeNull();
  });

  it('reads object literals with unquoted keys, single quotes, escapes and trailing commas', () => {
    const value = read(`cp.D = {a:1, 'b':'it\\'s <b>x</b>', "c":[1,,2,], d:{e:-1.5e2,}, f:'\\u00e9\\x41\\
next', 12:true,};`) as DataObject;
    expect(value.a).toBe(1);
    expect(value.b).toBe("it's <b>x</b>");
    expect(value.c).toEqual([1, null, 2]);
    expect((value.d as DataObject).e).toBe(-150);
    expect(value.f).toBe('éAnext');
    expect(value['12']).toBe(true);
  });

  it('reads calls and functions as null without running them, names as identifiers, new Array as an array', () => {
    const value = read(`x = {h:cp.ch, g:function(a){return {b:a}}, k:cp.fn('a,b'), m:!0, n:!1, o:new Array(1,2), p:'a' + 'b', q:new Date(1)}`) as DataObject;
    expect(value).toMatchObject({ h: new Identifier('cp.ch'), g: null, k: null, m: true, n: false, o: [1, 2], p: 'ab', q: null });
  });

  it('reads a template with substitutions as null, and the code after it', () => {
    expect(read('x = [`a ${b + "}"} c`, `plain`]')).toEqual([null, 'plain']);
  });

  it('does not let a __proto__ key change the prototype', () => {
    const value = read(`x = {__proto__: {polluted: 1}}`) as DataObject;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers null for text that is not a literal', () => {
    expect(parseJsLiteral('x = {a:1', 4)).toBeNull();
    expect(parseJsLiteral("x = 'unterminated", 4)).toBeNull();
  });

  it('finds the literal a pattern leads to', () => {
    expect(literalAfter('var a = f(); var a = [1];', /\bvar a = (?=\[)/)).toEqual([1]);
    expect(literalAfter('var b = 1;', /\bvar a = /)).toBeUndefined();
  });
});

describe('callArguments', () => {
  it('reads the quiz-bank calls of hand-written courses, constants by name', () => {
    const code = `test.AddQuestion(new Question("q1",
    "Pick one", // the prompt
    QUESTION_TYPE_CHOICE,
    new Array("a", "b"),
    "b",
    "obj"));
    new   Question('q2', 'True?', QUESTION_TYPE_TF, null, true);
    new Question(broken`;
    expect(callArguments(code, 'new Question')).toEqual([
      ['q1', 'Pick one', new Identifier('QUESTION_TYPE_CHOICE'), ['a', 'b'], 'b', 'obj'],
      ['q2', 'True?', new Identifier('QUESTION_TYPE_TF'), null, true],
    ]);
  });
});

describe('stringLiterals', () => {
  it('lists complete literals in order, without comments or templates with substitutions', () => {
    const code = `// "not this"
    var a = 'one', b = "two /* still a string */"; /* 'nor this' */
    var c = \`three\`, d = \`x \${a} "not four"\`, e = "five";
    var f = /it's/.test(g);`;
    expect(stringLiterals(code)).toEqual(['one', 'two /* still a string */', 'three', 'five']);
  });
});

describe('reading scripts as a parser does', () => {
  const read = (source: string) => parseJsLiteral(source, source.indexOf('=') + 1)?.value;

  it('reads JSON.parse of a string, long concatenations and templates without substitutions as data', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `'<p>Line ${i}</p>'`).join(' +\n');
    expect(read(`window.course = JSON.parse('{"title":"Tides","pages":[1,2]}');`)).toEqual({ title: 'Tides', pages: [1, 2] });
    const html = read(`x = ${lines};`) as string;
    expect(html.startsWith('<p>Line 0</p><p>Line 1</p>')).toBe(true);
    expect(html.endsWith('<p>Line 1999</p>')).toBe(true);
    expect(read('x = {a: `two\nlines`, b: 1 + 2, c: "n" + 1}')).toEqual({ a: 'two\nlines', b: null, c: 'n1' });
  });

  it('reads a literal whatever the syntax errors elsewhere in the script', () => {
    expect(read('var quiz = [{q: "Why?"}]; function broken( { return ;')).toEqual([{ q: 'Why?' }]);
  });

  it('answers null for nesting deeper than any data, without overflowing the stack', () => {
    expect(parseJsLiteral(`x = ${'['.repeat(100_000)}${']'.repeat(100_000)}`, 4)).toBeNull();
    expect(parseJsLiteral(`x = ${'['.repeat(500)}${']'.repeat(500)}`, 4)).toBeNull();
  });

  it('reads a multi-megabyte data file, and many literals in it, in linear time', () => {
    const entry = `{id: "q", text: "${'word '.repeat(20)}", n: [1, 2, 3]},\n`;
    const source = `var pages = [${entry.repeat(20_000)}];\n${'a = [1];\n'.repeat(20_000)}`;
    const started = Date.now();
    expect((literalAfter(source, /\bvar pages = /) as unknown[]).length).toBe(20_000);
    expect([...literalsAfter(source, /\ba = /)]).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('callArguments on a whole script', () => {
  it('finds real calls only, not the callee named in comments, strings or declarations', () => {
    const code = `function loadHandler(index, html) {}
    // loadHandler(1, "a comment")
    var s = 'loadHandler(2, "a string")';
    player.loadHandler(3, "<p>Slide</p>", {a: [1]});`;
    expect(callArguments(code, 'loadHandler')).toEqual([[3, '<p>Slide</p>', { a: [1] }]]);
  });
});

describe('stringLiterals past a syntax error', () => {
  it('reads on from the next line', () => {
    expect(stringLiterals(`var a = "one";\nvar b = "two\nvar c = 'three';`)).toEqual(['one', 'three']);
  });
});
