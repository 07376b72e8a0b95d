import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import parseRange from 'range-parser';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import { NotFoundError } from '../../http/errors.js';
import { contentType } from '../../infra/storage/content-types.js';
import { playerPage, unavailablePage } from './player-page.js';
import { LaunchUnavailableError, RuntimeError, type LaunchesService } from './service.js';
import type { XapiSessions } from './xapi-sessions.js';

const WEB_PLAYER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../../web/player/' : '../../../../web/player/', import.meta.url));
/** scorm-again's browser builds (`scorm12.min.js`, `scorm2004.min.js`). */
const RUNTIME = path.dirname(createRequire(import.meta.url).resolve('scorm-again/scorm12'));
/** Commits carry the whole CMI data: up to 64,000 characters of suspend data and every interaction. */
const COMMIT_BODY_LIMIT = 4 * 1024 * 1024;

/** The player page: its own scripts only, frames for the course, embeddable in any site. */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  'frame-src *',
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'none'",
].join('; ');

const SessionParams = Type.Object({ session: Type.String({ maxLength: 100 }) });

/**
 * The player, on the player's origin: the launch link, the player page, the package's files
 * (scoped to the launch: nothing else is reachable through its session) and the runtime's
 * deliveries and commits. None of it uses cookies: the session is the secret in the path, so a
 * course can be embedded anywhere and its scripts find no credential of the service's own.
 */
export async function playerRoutes(app: LensApp, deps: { launches: LaunchesService; xapiSessions: XapiSessions }): Promise<void> {
  const { launches, xapiSessions } = deps;
  app.addHook('onSend', async (_request, reply) => {
    // The session secret is in every player URL: other sites see the origin at most.
    reply.header('referrer-policy', 'strict-origin');
    reply.header('x-content-type-options', 'nosniff');
  });

  const statusesOf = (playable: Awaited<ReturnType<LaunchesService['playable']>>) =>
    playable.plan.standard === 'scorm' ? launches.statuses(playable) : xapiSessions.statuses(playable);

  await app.register(fastifyStatic, { root: [WEB_PLAYER, RUNTIME], prefix: '/player/assets/', decorateReply: false, allowedPath: (file) => !file.endsWith('.map') });

  app.get('/player/launch/:token', { schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
    try {
      const { session } = await launches.open(request.params.token);
      return reply.header('cache-control', 'no-store').redirect(`../sessions/${session}/`, 303);
    } catch (error) {
      if (!(error instanceof LaunchUnavailableError)) throw error;
      return reply.code(410).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(unavailablePage(error.message).value);
    }
  });

  app.get('/player/sessions/:session/', { schema: { hide: true, params: SessionParams } }, async (request, reply) => {
    const playable = await launches.playable(request.params.session).catch((error: unknown) => {
      if (error instanceof NotFoundError) return error;
      throw error;
    });
    if (playable instanceof NotFoundError) {
      return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(unavailablePage(playable.message).value);
    }
    const [statuses, sequencingState] = await Promise.all([statusesOf(playable), launches.sequencingState(playable)]);
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', PAGE_POLICY)
      .type('text/html; charset=utf-8')
      .send(playerPage(playable, statuses, sequencingState).value);
  });

  app.get('/player/sessions/:session/status', { schema: { hide: true, params: SessionParams } }, async (request, reply) => {
    const playable = await launches.playable(request.params.session);
    return reply.header('cache-control', 'no-store').send({ statuses: await statusesOf(playable) });
  });

  app.post(
    '/player/sessions/:session/xapi-launches',
    { schema: { hide: true, params: SessionParams, body: Type.Object({ item: Type.String({ minLength: 1, maxLength: 4000 }) }) } },
    async (request, reply) => {
      const playable = await launches.playable(request.params.session);
      return reply.header('cache-control', 'no-store').send(await xapiSessions.launch(playable, request.body.item, request.params.session));
    },
  );

  // cmi5's fetch URL, called by the AU (maybe from another origin) once, for its auth token.
  app.post('/player/xapi-fetch/:token', { schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 100 }) }) } }, async (request, reply) =>
    reply.header('cache-control', 'no-store').header('access-control-allow-origin', '*').send(await xapiSessions.fetch(request.params.token)),
  );

  app.get('/player/sessions/:session/content/*', { schema: { hide: true } }, async (request, reply) => sendFile(launches, request, reply));

  app.post(
    '/player/sessions/:session/deliveries',
    { schema: { hide: true, params: SessionParams, body: Type.Object({ item: Type.String({ minLength: 1, maxLength: 4000 }) }) } },
    async (request, reply) => {
      const playable = await launches.playable(request.params.session);
      return reply.header('cache-control', 'no-store').send(await launches.deliver(playable, request.body.item));
    },
  );

  app.post(
    '/player/sessions/:session/sequencing',
    {
      bodyLimit: COMMIT_BODY_LIMIT,
      schema: { hide: true, params: SessionParams, body: Type.Object({ state: Type.String({ maxLength: COMMIT_BODY_LIMIT }) }) },
    },
    async (request, reply) => {
      const playable = await launches.playable(request.params.session);
      await launches.saveSequencingState(playable, request.body.state);
      return reply.header('cache-control', 'no-store').send({ result: true });
    },
  );

  app.post(
    '/player/sessions/:session/commits',
    {
      bodyLimit: COMMIT_BODY_LIMIT,
      schema: {
        hide: true,
        params: SessionParams,
        body: Type.Object({
          item: Type.String({ minLength: 1, maxLength: 4000 }),
          delivery: Type.Integer({ minimum: 1 }),
          sequence: Type.Integer({ minimum: 1 }),
          terminated: Type.Boolean(),
          cmi: Type.Record(Type.String(), Type.Unknown()),
        }),
      },
    },
    async (request, reply) => {
      const playable = await launches.playable(request.params.session);
      const { item, ...commit } = request.body;
      try {
        const { stale } = await launches.commit(playable, item, commit);
        // scorm-again reads `result` and `errorCode`; a stale commit was overtaken, nothing was lost.
        return reply.header('cache-control', 'no-store').send({ result: true, errorCode: 0, stale });
      } catch (error) {
        if (!(error instanceof RuntimeError)) throw error;
        return reply.code(400).send({ result: false, errorCode: error.errorCode, code: error.code, message: error.message });
      }
    },
  );
}

/** A file of the package, with its type, a cache validator, and one byte range when asked (media seeking). */
async function sendFile(launches: LaunchesService, request: FastifyRequest, reply: FastifyReply) {
  const params = request.params as { session: string; '*': string };
  const playable = await launches.playable(params.session);
  const filePath = params['*'];
  const size = playable.plan.files[filePath];
  const etag = `"${playable.launch.content_extraction_id}-${size ?? 0}"`;
  reply
    .header('content-type', contentType(filePath))
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    // A course's files change only with a new extraction, which a new launch plays.
    .header('cache-control', 'private, max-age=3600')
    .header('content-security-policy', "frame-ancestors 'self'");
  if (request.headers['if-none-match'] === etag && size !== undefined) return reply.code(304).send();
  const header = request.headers.range;
  const ranges = header && size !== undefined ? parseRange(size, header, { combine: true }) : undefined;
  if (ranges === -1) return reply.code(416).header('content-range', `bytes */${size}`).send();
  const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0] : undefined;
  const { stream } = await launches.file(playable, filePath, range && { start: range.start, end: range.end + 1 });
  if (!range) return reply.header('content-length', size).send(stream);
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', range.end - range.start + 1)
    .send(stream);
}
