import { describe, expect, it } from 'vitest';
import { Identifier, type DataObject } from '../../../src/extraction/content/data-values.js';
import { callArguments, literalAfter, parseJsLiteral, stringLiterals } from '../../../src/extraction/content/js-literals.js';

describe('parseJsLiteral', () => {
  const read = (source: string) => parseJsLiteral(source, source.indexOf('=') + 1)?.value;

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
