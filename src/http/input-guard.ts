import type { FastifyInstance } from 'fastify';
import { BadRequestError } from './errors.js';

/** Nesting of objects and arrays a request may use: far more than any of ours needs. */
export const MAX_DEPTH = 64;

/** What a request's path, query or body cannot be stored or handled with: a NUL, or nesting past MAX_DEPTH. */
function faultOf(value: unknown, depth: number): 'nul' | 'depth' | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? 'nul' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth === MAX_DEPTH) return 'depth';
  for (const key in value) {
    if (key.includes('\u0000')) return 'nul';
    const fault = faultOf((value as Record<string, unknown>)[key], depth + 1);
    if (fault) return fault;
  }
  return undefined;
}

/** Where the first NUL in `value` is (`request.contentId`, `request.assessments[1].title`), once `faultOf` found one. */
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
 * Refuses, before any handler reads or writes anything, requests that no handler could take whole:
 * - text holding a NUL (U+0000), which JSON (`\u0000`), URLs and forms (`%00`) can carry but
 *   PostgreSQL text cannot store: 400 `nul_character`, on either database;
 * - bodies nesting objects or arrays more than MAX_DEPTH deep, which recursive code (JSON
 *   serialisation among it) would overflow the stack on: 400 `json_too_deep`.
 */
export function guardInput(app: FastifyInstance): void {
  // A callback hook: on every request, an async one would cost a promise more.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const value of [request.params, request.query, request.body]) {
      const fault = faultOf(value, 0);
      if (fault === 'nul') return done(nulCharacterError(nulPath(value, '') || 'request'));
      if (fault === 'depth') return done(new BadRequestError('json_too_deep', `The request nests objects and arrays more than ${MAX_DEPTH} levels deep.`));
    }
    done();
  });
}
