import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import { AppError, BadRequestError } from '../../http/errors.js';
import type { LrsPrincipal } from './principal.js';
import type { XapiReply } from './reply.js';
import { onlyParameters, readXapiRequest, requiredParameter, jsonParameter, type XapiMethod, type XapiRequest } from './request.js';
import { agentKey } from './statements/statement.js';
import { actor, iri, type XapiVersion } from './statements/validation.js';

/** The versions this LRS speaks; a request names one in X-Experience-API-Version. */
export const XAPI_VERSIONS = ['1.0.3', '2.0.0'] as const;
const SUPPORTED = /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/;

type Handler = (request: XapiRequest, principal: LrsPrincipal, version: XapiVersion) => Promise<XapiReply>;
/** A resource of the LRS: a handler per method it answers. */
export interface XapiResource {
  methods: Partial<Record<Exclude<XapiMethod, 'HEAD'>, Handler>>;
  /** Headers every GET answers with, an error included (the statements' Consistent-Through). */
  readHeaders?: () => Record<string, string>;
}

class UnauthorizedError extends AppError {
  /**
   * Only a request without credentials is challenged: a Basic challenge to a course's request
   * whose token was refused (its session ended) would have the browser ask the learner for a
   * user name and password, and hold the course's request until they answer.
   */
  constructor(
    message: string,
    readonly challenge: boolean,
  ) {
    super(401, 'authentication_required', message);
  }
}

/** Reads credentials from an Authorization header: Basic credentials or a cmi5 launch's token. */
export type Authenticate = (authorization: string) => Promise<LrsPrincipal | undefined>;

function versionOf(request: XapiRequest): XapiVersion {
  const version = request.header('x-experience-api-version')?.trim();
  if (!version) throw new BadRequestError('missing_version', 'Send the X-Experience-API-Version header (1.0.3).');
  if (!SUPPORTED.test(version)) throw new BadRequestError('unsupported_version', `This LRS speaks xAPI ${XAPI_VERSIONS.join(' and ')}, not ${version}.`);
  if (version.startsWith('2.') && request.alternate) {
    throw new BadRequestError('alternate_syntax_not_allowed', 'xAPI 2.0 has no alternate request syntax: send the method, headers and body as they are.');
  }
  return version.startsWith('2.') ? '2.0.0' : '1.0.0';
}

function sendReply(reply: FastifyReply, answer: XapiReply, head: boolean): FastifyReply {
  void reply.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) void reply.header(name, value);
  if (answer.json !== undefined) {
    const body = Buffer.from(JSON.stringify(answer.json));
    void reply.type('application/json');
    return head ? reply.header('content-length', body.length).send() : reply.send(body);
  }
  if (answer.body !== undefined) {
    void reply.type(answer.contentType ?? 'application/octet-stream');
    return head ? reply.header('content-length', answer.body.length).send() : reply.send(answer.body);
  }
  return reply.send();
}

/**
 * The LRS under /xapi/: every request is read (alternate syntax undone), authenticated with Basic
 * credentials or a launch token, checked for its xAPI version, then handed to its resource.
 * Answers carry X-Experience-API-Version; browsers on other origins may call it (CORS).
 */
export async function xapiRoutes(
  app: LensApp,
  deps: {
    resources: Record<string, XapiResource>;
    authenticate: Authenticate;
    bodyLimit: number;
    activities: ActivitiesLookup;
    /** The version answered to a request that names none (or none this LRS speaks). */
    defaultVersion: (typeof XAPI_VERSIONS)[number];
  },
): Promise<void> {
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match', 'Accept-Language'],
    exposedHeaders: ['ETag', 'Last-Modified', 'X-Experience-API-Version', 'X-Experience-API-Consistent-Through', 'Content-Type'],
    maxAge: 86400,
  });
  // Statements, documents of any type and forms of the alternate syntax: each resource reads its body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('x-experience-api-version')) void reply.header('x-experience-api-version', deps.defaultVersion);
  });

  const authenticate = async (request: XapiRequest): Promise<LrsPrincipal> => {
    const authorization = request.header('authorization');
    const principal = authorization ? await deps.authenticate(authorization.trim()) : undefined;
    // An Authorization header, even an empty one, is a client that handles credentials itself: no challenge.
    if (!principal) throw authorization ? new UnauthorizedError('These LRS credentials are unknown or revoked.', false) : new UnauthorizedError('Send LRS credentials (HTTP Basic).', authorization === undefined);
    return principal;
  };

  const resources: Record<string, XapiResource> = {
    ...deps.resources,
    agents: { methods: { GET: async (request) => ({ status: 200, json: person(request) }) } },
    activities: { methods: { GET: async (request, principal) => ({ status: 200, json: await activity(request, principal, deps.activities) }) } },
  };

  for (const [path, resource] of Object.entries(resources)) {
    app.route({
      method: ['GET', 'PUT', 'POST', 'DELETE'],
      url: `/${path}`,
      schema: { hide: true },
      handler: async (raw: FastifyRequest, reply: FastifyReply) => {
        const request = readXapiRequest(raw);
        const head = request.method === 'HEAD';
        const handler = resource.methods[head ? 'GET' : (request.method as Exclude<XapiMethod, 'HEAD'>)];
        if (!handler) {
          return reply.status(405).header('allow', Object.keys(resource.methods).join(', ')).send({ code: 'method_not_allowed', message: `${request.method} is not allowed on /xapi/${path}.` });
        }
        if (request.method === 'GET' || head) void reply.headers(resource.readHeaders?.() ?? {});
        const principal = await authenticate(request);
        const version = versionOf(request);
        void reply.header('x-experience-api-version', version === '2.0.0' ? '2.0.0' : '1.0.3');
        return sendReply(reply, await handler(request, principal, version), head || raw.method === 'HEAD');
      },
    });
  }

  app.get('/about', { schema: { hide: true } }, async () => ({ version: [...XAPI_VERSIONS], extensions: {} }));
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof UnauthorizedError && error.challenge) void reply.header('www-authenticate', 'Basic realm="xAPI"');
  });
}

/** The Person the LRS knows behind an agent: here, what the agent itself says of its identifiers. */
function person(request: XapiRequest): Record<string, unknown> {
  onlyParameters(request, ['agent']);
  const agent = jsonParameter(request, 'agent');
  if (agent === undefined) throw new BadRequestError('missing_parameter', 'The parameter agent is required.');
  try {
    actor(agent, 'agent');
  } catch {
    throw new BadRequestError('invalid_parameter', 'The parameter agent must be an Agent (JSON).');
  }
  if (agentKey(agent) === undefined) throw new BadRequestError('invalid_parameter', 'The parameter agent must be an Agent (JSON).');
  const fields = agent as Record<string, unknown>;
  const found: Record<string, unknown> = { objectType: 'Person' };
  for (const key of ['name', 'mbox', 'mbox_sha1sum', 'openid', 'account']) if (fields[key] !== undefined) found[key] = [fields[key]];
  return found;
}

/** Reads the canonical definition the LRS holds for an activity. */
export type ActivitiesLookup = (principal: LrsPrincipal, activityId: string) => Promise<unknown>;

async function activity(request: XapiRequest, principal: LrsPrincipal, lookup: ActivitiesLookup): Promise<Record<string, unknown>> {
  onlyParameters(request, ['activityId']);
  const activityId = requiredParameter(request, 'activityId');
  try {
    iri(activityId, 'activityId');
  } catch {
    throw new BadRequestError('invalid_parameter', 'The parameter activityId must be an IRI.');
  }
  const definition = await lookup(principal, activityId);
  if (definition === undefined) return { objectType: 'Activity', id: activityId };
  return { objectType: 'Activity', id: activityId, definition };
}
