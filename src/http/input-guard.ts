import type { FastifyInstance } from 'fastify';
import { BadRequestError } from './errors.js';

/** Nesting of objects and arrays a request may use: far more than any of ours needs. */
export const MAX_DEPTH = 64;

/** What a request's path, query or body cannot be stored or handled with, and where it is. */
interface Fault {
  kind: 'nul' | 'depth';
  /** From the outside in: `.request`, `.assessments`, `[1]`, `.title`. */
  path: string[];
}

/** The first fault in `value`: a NUL in a key or text, or nesting past MAX_DEPTH. Allocates nothing when there is none. */
function faultOf(value: unknown, depth: number): Fault | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? { kind: 'nul', path: [] } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth === MAX_DEPTH) return { kind: 'depth', path: [] };
  for (const key in value) {
    const fault: Fault | undefined = key.includes('\u0000') ? { kind: 'nul', path: [] } : faultOf((value as Record<string, unknown>)[key], depth + 1);
    if (fault) {
      fault.path.unshift(Array.isArray(value) ? `[${key}]` : `.${key}`);
      return fault;
    }
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
      if (fault?.kind === 'nul') return done(nulCharacterError(fault.path.join('').replace(/^\./, '') || 'request'));
      if (fault) return done(new BadRequestError('json_too_deep', `The request nests objects and arrays more than ${MAX_DEPTH} levels deep.`));
    }
    done();
  });
}
