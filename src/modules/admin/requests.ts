import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError, ForbiddenError } from '../../http/errors.js';
import { isManager } from '../accounts/principal.js';
import type { SignedIn } from '../accounts/sessions.js';
import type { Notice } from './layout.js';

declare module 'fastify' {
  interface FastifyRequest {
    session?: SignedIn;
  }
}

export const sessionOf = (request: FastifyRequest): SignedIn => request.session as SignedIn;

export function managerSession(request: FastifyRequest): SignedIn {
  const session = sessionOf(request);
  if (!isManager(session.principal)) throw new ForbiddenError('manager_role_required', 'Only managers can see this page.');
  return session;
}

/** Form fields as strings; anything else a form cannot send is dropped. */
export function formOf(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Refuses a state change whose CSRF token (form field `_csrf` or header `x-csrf-token`) is not the session's. */
export function checkCsrf(request: FastifyRequest, fields: Record<string, string>): void {
  const header = request.headers['x-csrf-token'];
  const given = (typeof header === 'string' ? header : undefined) ?? fields._csrf ?? '';
  if (!sameToken(given, sessionOf(request).csrfToken)) {
    throw new ForbiddenError('csrf_token_invalid', 'This form has expired. Reload the page and try again.');
  }
}


/** A refusal shown on the form's own page, as an error notice with the refusal's status; other errors go on up. */
export function formError(error: unknown): { status: number; notice: Notice } {
  if (error instanceof AppError && error.statusCode < 500) return { status: error.statusCode, notice: { kind: 'error', text: error.message } };
  throw error;
}
