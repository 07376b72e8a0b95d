import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifySchema,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { AppContext } from './context.js';
import { apiKeyAuthentication } from './http/auth.js';
import { registerErrorHandling } from './http/error-handler.js';
import { guardInput } from './http/input-guard.js';
import { requestLogger } from './http/request-logger.js';
import { recordRequests } from './http/request-metrics.js';
import { ErrorBody } from './http/schemas.js';
import { accountsRoutes } from './modules/accounts/routes.js';
import { adminRoutes } from './modules/admin/routes.js';
import { certificatesRoutes } from './modules/certificates/routes.js';
import { collectionsRoutes } from './modules/collections/routes.js';
import { downloadsRoutes } from './modules/downloads/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { metricsRoutes } from './modules/metrics/routes.js';
import { learnerTokenRoutes } from './modules/progress/learner-token-routes.js';
import { progressRoutes } from './modules/progress/routes.js';
import { ProgressErrorBody } from './modules/progress/schemas.js';
import { ContentExtractionBody, ScormFileBody, ScormFileSummary } from './modules/scorm-files/schemas.js';
import { API_VERSION, SERVICE_NAME } from './version.js';

export type LensApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Multipart bodies, where packages are uploaded (the JSON API and the admin panel). The plugin
 * hooks every request of its scope, so the progress API, which takes only JSON, is left out.
 */
async function acceptUploads(scope: LensApp, maxUploadBytes: number): Promise<void> {
  await scope.register(multipart, {
    fileHwm: 1024 * 1024,
    limits: { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
  });
}

/**
 * How a route appears in the API document: a wildcard's rest of the path is its `path` parameter,
 * and a route that takes a body can also answer 413, since the body limit refuses before the route runs.
 */
function documentRoute({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const responses = schema?.response as Record<string, unknown> | undefined;
  const documented = schema?.body && responses && !('413' in responses) ? { ...schema, response: { ...responses, 413: Type.Ref('ErrorBody') } } : schema;
  if (!url.endsWith('/*')) return { schema: documented, url };
  return { schema: { ...documented, params: Type.Object({ path: Type.String({ description: 'The rest of the path.' }) }) }, url: `${url.slice(0, -1)}:path` };
}

export async function buildApp(context: AppContext): Promise<LensApp> {
  const app = Fastify({
    loggerInstance: context.log,
    childLoggerFactory: requestLogger,
    trustProxy: context.config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  recordRequests(app, context.metrics);
  guardInput(app);
  // Set by authentication hooks: declared up front so that every request object has the same shape.
  for (const property of ['principal', 'learner', 'session'] as const) app.decorateRequest(property, undefined);
  for (const schema of [ErrorBody, ProgressErrorBody, ContentExtractionBody, ScormFileSummary, ScormFileBody]) app.addSchema(schema);

  await app.register(swagger, {
    // Shared schemas keep their $id as their name in the document (Collection, ScormFile...).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // The document is the JSON API: the panel's HTML routes, the player and the LRS have no tag.
    hideUntagged: true,
    transform: documentRoute,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: SERVICE_NAME,
        version: API_VERSION,
        license: { name: 'MIT', identifier: 'MIT' },
        description:
          'Upload e-learning packages (SCORM, cmi5, xAPI, AICC) and get back what they say as clean JSON. ' +
          'Authenticate every /v1 call with an API key in the `X-API-KEY` header.',
      },
      servers: [{ url: context.config.publicUrl }],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } } },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'Scorm', description: 'SCORM files and their content extractions' },
        { name: 'Accounts', description: 'Users and API keys (managers only; every user sets their own password)' },
        { name: 'Collections', description: 'Courses of contents, their contexts (batches) and enrollments' },
        { name: 'Progress', description: 'Learner progress: views, assessments, summaries, certificates' },
        { name: 'Webhooks', description: 'Signed event deliveries, with their log (managers only)' },
        { name: 'Player', description: 'Launch a SCORM file for a learner in the built-in player' },
        { name: 'xAPI', description: 'Credentials of the Learning Record Store at /xapi/ (managers only)' },
        { name: 'Utility', description: 'Health' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const { accounts, scormFiles, config } = context;
  const publicUrl = config.publicUrl;
  await app.register(async (open) => {
    await healthRoutes(open, { database: context.database });
    await downloadsRoutes(open, { linkSigner: context.linkSigner, storage: context.storage });
    await certificatesRoutes(open, { progress: context.progress });
    // On the API's port only behind its token, and never when it has a port of its own (see serveMetrics).
    if (config.metricsToken !== undefined && config.metricsPort === undefined) {
      await metricsRoutes(open, { metrics: context.metrics, token: config.metricsToken });
    }
  });
  await app.register(async (v1) => {
    await acceptUploads(v1, config.maxUploadBytes);
    v1.addHook('onRequest', apiKeyAuthentication(accounts));
    await scormFiles.routes(v1);
    await accountsRoutes(v1, { accounts, passwordResets: context.passwordResets, publicUrl });
    await collectionsRoutes(v1, { collections: context.collections, publicUrl });
    await learnerTokenRoutes(v1, { learnerTokens: context.learnerTokens });
    await context.webhooks.routes(v1);
    await context.launches.routes(v1);
    await context.xapi.credentialsRoutes(v1);
  });
  // The player: no API key, no cookie; a launch's session secret in the path scopes each call.
  await app.register(async (player) => context.launches.playerRoutes(player));
  // The LRS: HTTP Basic credentials (or a cmi5 launch's token), its own body parsing and CORS.
  await app.register(async (lrs) => context.xapi.routes(lrs), { prefix: '/xapi' });
  // The progress API answers in its own envelope, with its own authentication (API key and learner token).
  await app.register(async (progress) =>
    progressRoutes(progress, { accounts, learnerTokens: context.learnerTokens, progress: context.progress }),
  );
  // The admin panel: HTML pages with their own security headers, cookies and error pages.
  await app.register(
    async (admin) => {
      await acceptUploads(admin, config.maxUploadBytes);
      await adminRoutes(admin, {
        publicUrl,
        sessions: context.sessions,
        accounts,
        passwordResets: context.passwordResets,
        webhooks: context.webhooks.service,
        files: scormFiles.files,
        extractions: scormFiles.extractions,
        results: scormFiles.results,
        presenter: scormFiles.presenter,
        upload: scormFiles.upload,
        launches: context.launches.service,
        progress: context.progress,
        rateLimits: context.rateLimits,
        collections: context.collections,
      });
    },
    { prefix: '/admin' },
  );
  return app;
}
