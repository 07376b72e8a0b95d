import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { toErrorBody } from '../../http/error-handler.js';
import { isManager, type Principal } from '../accounts/principal.js';
import { errorEnvelope, forbidden, ProgressError, successEnvelope, unauthorized } from './envelope.js';
import type { AccountsService } from '../accounts/service.js';
import { LearnerTokenError, type Learner, type LearnerTokens } from './learner-tokens.js';
import type { ProgressService } from './service.js';
import { IdentityProviderUnavailable } from './remote-keys.js';
import { assessEvents, contentRef, msgidOf, requestOf, requiredText, viewUpdate } from './request.js';
import { Acknowledgement, AssessEvent, AssessmentAttempts, envelopeSchema, progressResponses, Summaries, ViewState } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    learner?: Learner;
  }
  interface FastifyContextConfig {
    /** The progress API's `id` for this route, used in every response envelope. */
    apiId?: string;
    /** State updates also need the `x-requested-by` header. */
    stateUpdate?: boolean;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
};

/** A request body can be too large (413) or of a type other than JSON (415). */
const BODY_REFUSALS = [413, 415];

const contentFields = {
  contentId: Type.String(),
  collectionId: Type.Optional(Type.String({ description: 'Required when contextId is given.' })),
  contextId: Type.Optional(Type.String({ description: 'The context (batch) the content is consumed in.' })),
};

/** The envelope id of a request: its route's, `api.view.read.contextall` for a read of every context. */
function apiIdOf(request: FastifyRequest): string {
  const apiId = request.routeOptions.config.apiId ?? 'api.progress';
  return apiId === 'api.view.read' && (request.query as { context?: unknown }).context === 'all' ? 'api.view.read.contextall' : apiId;
}

/** Every progress response, success or failure, in the envelope of the progress API. */
function progressErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const apiId = apiIdOf(request);
  let refusal: ProgressError;
  if (error instanceof ProgressError) refusal = error;
  else {
    const { status, body } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'progress request failed');
    refusal =
      status >= 500
        ? new ProgressError(500, 'SERVER_ERROR', { error: 'Something went wrong on our side' })
        : new ProgressError(status, status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', {
            [typeof body.details?.field === 'string' ? body.details.field : 'request']: body.message,
          });
  }
  void reply.status(refusal.statusCode).send(errorEnvelope(apiId, msgidOf(request), refusal));
}

/**
 * The consumption-tracking API (view, assessment, summary). Every call needs an API key
 * (`Authorization: Bearer` or `X-API-KEY`) and the learner's `x-authenticated-user-token`; the
 * learner is whoever the token names, never what the body says.
 */
export async function progressRoutes(
  app: LensApp,
  deps: { accounts: AccountsService; learnerTokens: LearnerTokens; progress: ProgressService },
): Promise<void> {
  const { accounts, learnerTokens, progress } = deps;
  app.setErrorHandler(progressErrorHandler);
  // The handlers check envelopes themselves to name the offending field; schemas only document them.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.addHook('preHandler', async (request) => {
    const authorization = header(request, 'authorization');
    const key = (authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? header(request, 'x-api-key'))?.trim();
    if (!key) throw unauthorized('Authorization', 'API key is required: Authorization: Bearer <key>');
    const principal = await accounts.authenticate(key);
    if (!principal) throw unauthorized('Authorization', 'API key is unknown or revoked');
    const token = header(request, 'x-authenticated-user-token');
    if (!token) throw unauthorized('x-authenticated-user-token', 'User token is required');
    try {
      request.learner = await learnerTokens.verify(token, principal.organizationId);
    } catch (error) {
      if (error instanceof LearnerTokenError) throw unauthorized('x-authenticated-user-token', 'User token is invalid or expired');
      if (!(error instanceof IdentityProviderUnavailable)) throw error;
      request.log.error({ err: error }, 'learner token not verified');
      const message = "The identity provider's keys could not be read; try again later";
      throw new ProgressError(503, 'SERVER_ERROR', { 'x-authenticated-user-token': message });
    }
    if (request.routeOptions.config.stateUpdate && !header(request, 'x-requested-by')) {
      throw new ProgressError(400, 'BAD_REQUEST', { 'x-requested-by': 'Header x-requested-by is required' });
    }
    request.principal = principal;
  });

  const learnerOf = (request: FastifyRequest): Learner => request.learner as Learner;
  const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;
  const send = (request: FastifyRequest, result: unknown) => successEnvelope(apiIdOf(request), msgidOf(request), result);

  const viewRoute = (path: string, apiId: string, kind: 'start' | 'update' | 'end', summary: string, extra = {}) =>
    app.post(
      path,
      {
        config: { apiId, stateUpdate: true },
        schema: {
          tags: ['Progress'],
          operationId: `view${kind[0]!.toUpperCase()}${kind.slice(1)}`,
          summary,
          description: 'Needs the `x-requested-by` header. Refused with 403 when the enrollment in the context has ended, or the context is by invitation and the learner is not enrolled.',
          body: envelopeSchema(apiId, { ...contentFields, ...extra }),
          response: progressResponses(Acknowledgement, 403, ...BODY_REFUSALS),
        },
      },
      async (request) => {
        const learner = learnerOf(request);
        const fields = requestOf(request.body, learner);
        const change = kind === 'update' ? viewUpdate(fields) : { kind };
        return send(request, await progress.view(learner, msgidOf(request), contentRef(fields), change));
      },
    );

  viewRoute('/v1/view/start', 'api.view.start', 'start', 'A learner starts a content (idempotent)');
  viewRoute('/v1/view/update', 'api.view.update', 'update', 'A learner progresses in a content', {
    progressDetails: Type.Record(Type.String(), Type.Unknown(), { description: 'e.g. {"mimetype": "application/pdf", "progress": 20}' }),
    timeSpent: Type.Number({ description: 'Seconds spent since the last update; they add up.' }),
  });
  viewRoute('/v1/view/end', 'api.view.end', 'end', 'A learner completes a content');

  app.post(
    '/v1/view/read',
    {
      config: { apiId: 'api.view.read' },
      schema: {
        tags: ['Progress'],
        operationId: 'viewRead',
        summary: "A learner's progress in a content",
        description: 'With `?context=all`, every context the learner consumed the content in, organic included: then `result` is a list.',
        querystring: Type.Object({ context: Type.Optional(Type.Literal('all')) }),
        body: envelopeSchema('api.view.read', contentFields),
        response: progressResponses(Type.Union([ViewState, Type.Array(ViewState)]), ...BODY_REFUSALS),
      },
    },
    async (request) => {
      const learner = learnerOf(request);
      const fields = requestOf(request.body, learner);
      const { context: contexts } = request.query as { context?: unknown };
      if (contexts === 'all') return send(request, await progress.readAllContexts(learner, requiredText(fields, 'contentId')));
      if (contexts !== undefined) throw new ProgressError(400, 'BAD_REQUEST', { context: 'The context query parameter can only be all' });
      return send(request, await progress.read(learner, contentRef(fields)));
    },
  );

  app.post(
    '/v1/assessment/submit',
    {
      config: { apiId: 'api.view.assess', stateUpdate: true },
      schema: {
        tags: ['Progress'],
        operationId: 'assessmentSubmit',
        summary: 'Submit assessment events of an attempt',
        description:
          'Events are `{questionId, score, maxScore, assessmentTs, ...}` or Sunbird ASSESS telemetry events. Within an attempt the latest event per question wins. Needs the `x-requested-by` header.',
        body: envelopeSchema('api.assess.submit', {
          contentId: Type.String(),
          collectionId: Type.String(),
          contextId: Type.String(),
          attemptId: Type.String(),
          assessments: Type.Array(AssessEvent, { minItems: 1, maxItems: 1000 }),
        }),
        response: progressResponses(Acknowledgement, 403, ...BODY_REFUSALS),
      },
    },
    async (request) => {
      const learner = learnerOf(request);
      const fields = requestOf(request.body, learner);
      const ref = contentRef(fields);
      const scoped = {
        contentId: ref.contentId,
        collectionId: requiredText(fields, 'collectionId'),
        contextId: requiredText(fields, 'contextId'),
        attemptId: requiredText(fields, 'attemptId'),
      };
      return send(request, await progress.submitAssessment(learner, msgidOf(request), scoped, assessEvents(fields)));
    },
  );

  app.post(
    '/v1/assessment/read',
    {
      config: { apiId: 'api.assessment.read' },
      schema: {
        tags: ['Progress'],
        operationId: 'assessmentRead',
        summary: "A learner's attempts at an assessment, with score and max_score",
        body: envelopeSchema('api.assessment.read', { contentId: Type.String(), collectionId: Type.String(), contextId: Type.String() }),
        response: progressResponses(AssessmentAttempts, ...BODY_REFUSALS),
      },
    },
    async (request) => {
      const learner = learnerOf(request);
      const fields = requestOf(request.body, learner);
      const ref = {
        contentId: requiredText(fields, 'contentId'),
        collectionId: requiredText(fields, 'collectionId'),
        contextId: requiredText(fields, 'contextId'),
      };
      return send(request, await progress.readAssessment(learner, ref));
    },
  );

  app.get(
    '/v1/summary/list/:userId',
    {
      config: { apiId: 'api.summary.list' },
      schema: {
        tags: ['Progress'],
        operationId: 'summaryList',
        summary: "A learner's summaries: one per enrollment",
        description: "Another learner's summaries need a manager's API key (403 otherwise).",
        params: Type.Object({ userId: Type.String() }),
        response: progressResponses(Summaries, 403),
      },
    },
    async (request) => {
      const { userId } = request.params as { userId: string };
      const learner = learnerOf(request);
      if (userId !== learner.userId && !isManager(principalOf(request))) {
        throw forbidden('userId', "Reading another learner's summary needs a manager's API key");
      }
      return send(request, { summary: await progress.summaries(learner.organizationId, userId) });
    },
  );

  app.post(
    '/v1/summary/read',
    {
      config: { apiId: 'api.summary.read' },
      schema: {
        tags: ['Progress'],
        operationId: 'summaryRead',
        summary: "A learner's summary for one collection and context",
        body: envelopeSchema('api.summary.read', { collectionId: Type.String(), contextId: Type.String() }),
        response: progressResponses(Summaries, ...BODY_REFUSALS),
      },
    },
    async (request) => {
      const learner = learnerOf(request);
      const fields = requestOf(request.body, learner);
      const filter = { collection: requiredText(fields, 'collectionId'), context: requiredText(fields, 'contextId') };
      return send(request, { summary: await progress.summaries(learner.organizationId, learner.userId, filter) });
    },
  );

  // Clients of the progress API read envelopes, a mistyped path included.
  for (const prefix of ['/v1/view', '/v1/assessment', '/v1/summary']) {
    await app.register(
      async (scope) =>
        scope.setNotFoundHandler((request, reply) => {
          const refusal = new ProgressError(404, 'NOT_FOUND', { path: `No route ${request.method} ${request.url}` });
          void reply.status(404).send(errorEnvelope('api.progress', msgidOf(request), refusal));
        }),
      { prefix },
    );
  }
}
