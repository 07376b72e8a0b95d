import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { toErrorBody } from '../../http/error-handler.js';
import { AuthenticationError, NotFoundError } from '../../http/errors.js';
import { certificatesPages } from './certificates-pages.js';
import { collectionsPages } from './collections-pages.js';
import { extractionPages } from './extraction-pages.js';
import { filesPages } from './files-pages.js';
import { html } from '../../http/html.js';
import { keysPages } from './keys-pages.js';
import { learnersPages } from './learners-pages.js';
import { sendPage } from './layout.js';
import { checkCsrf, formOf } from './requests.js';
import { resetPasswordPages } from './reset-password.js';
import { SESSION_COOKIE, signInPages, signOutPage } from './sign-in.js';
import { usersPages } from './users-pages.js';
import { webhooksPages } from './webhooks-pages.js';

// The panel's stylesheet and script are plain files, served as they are (no build step).
const ASSETS = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../../web/admin/' : '../../../../web/admin/', import.meta.url));

/** Errors as pages (as JSON for the page's own script), with the status and stable code the API would give. */
function errorPage(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'admin page failed');
  if (request.headers.accept === 'application/json') return void reply.status(status).send(body);
  const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status >= 500 ? 'Something went wrong' : 'That did not work';
  const text = status >= 500 ? 'Something went wrong on our side. Try again in a moment.' : body.message;
  void sendPage(reply, {
    status,
    title,
    session: request.session,
    body: html`<p>${text}</p><p class="muted">Code: <code>${body.code}</code></p><p><a href="/admin/files">Back to the files</a></p>`,
  });
}

/**
 * The admin panel, server-rendered: sign-in with sessions in HttpOnly cookies, CSRF tokens on
 * every state change, a strict content security policy (no inline script, nothing from elsewhere).
 */
export async function adminRoutes(app: LensApp, deps: AdminDeps): Promise<void> {
  const secure = deps.publicUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: secure,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  app.setErrorHandler(errorPage);
  app.setNotFoundHandler((request, reply) => errorPage(new NotFoundError('page_not_found', 'There is no such page.'), request, reply));
  app.get('/', async (_request, reply) => reply.redirect('/admin/files', 303));

  await app.register(async (open) => {
    // Revalidated by ETag on each use: an upgrade never mixes an old script with new pages.
    await open.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', decorateReply: false });
    await signInPages(open, deps, { secure });
    await resetPasswordPages(open, deps);
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await deps.sessions.find(token) : undefined;
      reply.header('cache-control', 'no-store');
      if (!session) {
        // The page's own script asked: it gets an answer it can read, not the sign-in page.
        if (request.headers.accept === 'application/json') throw new AuthenticationError('authentication_required', 'Your session has ended. Sign in again.');
        const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
        return reply.redirect(`/admin/sign-in${next}`, 303);
      }
      request.session = session;
      // A script's request from this origin (fetch, XHR) must carry the session's CSRF token, reads
      // too: the panel's own script sends it, while a course played on this origin cannot learn it.
      const scripted = request.headers['sec-fetch-site'] === 'same-origin' && request.headers['sec-fetch-mode'] !== 'navigate';
      if (scripted) checkCsrf(request, {});
      // Uploads stream; their route checks the token once it has read the form's fields.
      else if (request.method !== 'GET' && request.method !== 'HEAD' && !request.isMultipart()) checkCsrf(request, formOf(request));
    });
    await signOutPage(signedIn, deps, { secure });
    await filesPages(signedIn, deps);
    await extractionPages(signedIn, deps);
    await collectionsPages(signedIn, deps);
    await learnersPages(signedIn, deps);
    await certificatesPages(signedIn, deps);
    await keysPages(signedIn, deps);
    await usersPages(signedIn, deps);
    await webhooksPages(signedIn, deps);
  });
}
