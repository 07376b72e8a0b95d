// Values no client should send, for tests that send them everywhere a request can carry one.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Parameter values: out of range, not numbers, encoded NUL, traversal, invalid UTF-8, very long. */
export const HOSTILE_PARAMETERS = ['0', '-1', '1.5', '99999999999999999999999', 'abc', '%00', 'a%00b', '%2e%2e%2f%2e%2e%2fetc', '%FF%FE', '%ED%A0%80', 'x'.repeat(4000)];

/** The same values as text, for clients that encode what they send; invalid UTF-8 stays encoded. */
export const HOSTILE_PARAMETER_TEXTS = HOSTILE_PARAMETERS.map((value) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
});

/** Field values: control characters, a lone surrogate, a 200,000-character string, and each wrong type. */
export const HOSTILE_VALUES: Json[] = [
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  'http://example.com/a\u0000b',
  'mailto:a\u0000@example.com',
  '\ud800',
  'x'.repeat(200_000),
  '../../etc/passwd',
  '',
  -1,
  1e308,
  2 ** 63,
  1.5,
  null,
  true,
  [],
  {},
  [{ a: ['\u0000'] }],
];

/** Whole bodies, as sent: of the wrong shape, nested 100,000 deep, reaching for the prototype, not JSON. */
export const HOSTILE_BODIES = [
  'null',
  '[]',
  '"text"',
  '0',
  `${'{"a":'.repeat(100_000)}{}${'}'.repeat(100_000)}`,
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
  '{"a": 1,',
  '\u0000',
];

/** The body with the value at one path replaced, for every leaf and object of the body. */
export function* replacements(body: unknown, value: unknown, path: string[] = []): Generator<{ path: string; body: unknown }> {
  if (path.length > 0) yield { path: path.join('.'), body: value };
  if (body === null || typeof body !== 'object') return;
  for (const key of Object.keys(body)) {
    const child = (body as Record<string, unknown>)[key];
    for (const replaced of replacements(child, value, [...path, key])) {
      const copy = (Array.isArray(body) ? [...body] : { ...body }) as Record<string, unknown>;
      copy[key] = replaced.body;
      yield { path: replaced.path, body: copy };
    }
  }
}

