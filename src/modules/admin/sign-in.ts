import { randomBytes, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { SESSION_TTL_MS } from '../accounts/sessions.js';
import { html } from '../../http/html.js';
import { sendPage, type Notice } from './layout.js';
import { formOf } from './requests.js';
import { databaseRateLimitStore } from '../../http/rate-limit-store.js';

export const SESSION_COOKIE = 'lens_session';
/** Double-submit token of the sign-in form: a site elsewhere cannot sign a visitor into its own account. */
const SIGN_IN_COOKIE = 'lens_sign_in';

const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const emailKey = (email: string) => `sign-in:email:${email}`;
const emailOf = (request: FastifyRequest) => (formOf(request).email ?? '').trim().toLowerCase();

/**
 * Only a page of the panel may be the target after sign-in: never another site, and nothing that
 * cannot stand in a Location header (control characters, spaces, non-ASCII), which browsers send
 * percent-encoded anyway.
 */
function nextPage(raw: unknown): string {
  return typeof raw === 'string' && /^\/admin(\/(?!\/)[!-~]*)?$/.test(raw) && !raw.includes('\\') ? raw : '/admin/files';
}

function signInPage(reply: FastifyReply, options: { token: string; next: string; email?: string; notice?: Notice; status?: number }) {
  return sendPage(reply.header('cache-control', 'no-store'), {
    status: options.status,
    title: 'Sign in',
    notice: options.notice,
    body: html`<form method="post" action="/admin/sign-in" class="card narrow">
      <input type="hidden" name="_csrf" value="${options.token}">
      <input type="hidden" name="next" value="${options.next}">
      <label for="email">E-mail</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}" autofocus>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit">Sign in</button>
    </form>`,
  });
}

/**
 * Sign-in, with failures limited per address and per e-mail (counted in the database, so every
 * process of the service shares them); the session lives in an HttpOnly cookie.
 */
export async function signInPages(app: LensApp, deps: AdminDeps, options: { secure: boolean }): Promise<void> {
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(deps.rateLimits), max: MAX_FAILURES, timeWindow: FAILURE_WINDOW_MS });
  const failures = [
    app.createRateLimit({ keyGenerator: (request) => `sign-in:address:${request.ip}` }),
    app.createRateLimit({ keyGenerator: (request) => emailKey(emailOf(request)) }),
  ];
  const cookieOptions = { path: '/admin', httpOnly: true, sameSite: 'lax', secure: options.secure } as const;

  function freshToken(reply: FastifyReply): string {
    const token = randomBytes(24).toString('base64url');
    void reply.setCookie(SIGN_IN_COOKIE, token, { ...cookieOptions, sameSite: 'strict', maxAge: 60 * 60 });
    return token;
  }

  app.get('/sign-in', async (request: FastifyRequest<{ Querystring: { next?: string; signed_out?: string } }>, reply) => {
    const notice = request.query.signed_out ? ({ kind: 'success', text: 'You are signed out.' } as const) : undefined;
    return signInPage(reply, { token: freshToken(reply), next: nextPage(request.query.next), notice });
  });

  app.post('/sign-in', async (request, reply) => {
    const form = formOf(request);
    const next = nextPage(form.next);
    const email = emailOf(request);
    const expected = request.cookies[SIGN_IN_COOKIE] ?? '';
    const given = form._csrf ?? '';
    if (!expected || expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
      const notice = { kind: 'error', text: 'The sign-in form had expired. Please try again.' } as const;
      return signInPage(reply, { token: freshToken(reply), next, email, notice, status: 403 });
    }
    // Only failures count: a look at the counts first, a hit on each after a wrong password.
    const counts = await Promise.all(failures.map((limit) => limit(request, { increment: false })));
    const waitMs = Math.max(0, ...counts.map((count) => (!count.isAllowed && count.remaining === 0 ? count.ttl : 0)));
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      void reply.header('retry-after', Math.ceil(waitMs / 1000));
      const notice = { kind: 'error', text: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` } as const;
      return signInPage(reply, { token: freshToken(reply), next, email, notice, status: 429 });
    }
    const user = await deps.sessions.verify(email, form.password ?? '');
    if (!user) {
      await Promise.all(failures.map((limit) => limit(request)));
      const notice = { kind: 'error', text: 'That e-mail and password do not match an account.' } as const;
      return signInPage(reply, { token: freshToken(reply), next, email, notice, status: 401 });
    }
    await deps.rateLimits.reset(emailKey(email));
    const session = await deps.sessions.open(user);
    void reply.clearCookie(SIGN_IN_COOKIE, cookieOptions);
    void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 });
    return reply.redirect(next, 303);
  });
}

/** Sign-out ends the session on the server, not just in the browser. */
export async function signOutPage(app: LensApp, deps: AdminDeps, options: { secure: boolean }): Promise<void> {
  app.post('/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deps.sessions.close(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/admin', httpOnly: true, sameSite: 'lax', secure: options.secure });
    return reply.redirect('/admin/sign-in?signed_out=1', 303);
  });
}
