import type { FastifyInstance } from 'fastify';
import { BadRequestError } from './errors.js';

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) if (key.includes('\u0000') || containsNul((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** Where the first NUL in `value` is (`request.contentId`, `request.assessments[1].title`), once `containsNul` found one. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key in value) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = nulPath((value as Record<string, unknown>)[key], at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The refusal of text holding a NUL: `details.field` names where it was, as `message` does. */
export function nulCharacterError(field: string): BadRequestError {
  return new BadRequestError('nul_character', `${field} must not contain NUL characters (U+0000)`, { field });
}

/**
 * PostgreSQL text cannot hold NUL (U+0000), which JSON (`\u0000`), URLs and forms (`%00`) can
 * carry. A request with one in its path, query or body is refused with 400 `nul_character` on
 * either database, before any handler reads or writes anything.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  // A callback hook: on every request, an async one would cost a promise more.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const value of [request.params, request.query, request.body]) {
      if (containsNul(value)) return done(nulCharacterError(nulPath(value, '') || 'request'));
    }
    done();
  });
}
