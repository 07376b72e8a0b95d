import type { LensApp } from '../../app.js';
import type { Db } from '../../infra/db/database.js';
import type { Metrics } from '../../infra/metrics.js';
import { XapiCredentialsService } from './credentials.js';
import { xapiCredentialsRoutes } from './credentials-routes.js';
import { DocumentsService } from './documents.js';
import { DocumentsResource } from './documents-resource.js';
import type { LrsPrincipal } from './principal.js';
import { xapiRoutes, type XapiResource } from './routes.js';
import { StatementsRepository } from './statements/repository.js';
import { StatementsResource } from './statements/resource.js';
import { StatementsService } from './statements/service.js';

export interface XapiModule {
  statements: StatementsService;
  credentials: XapiCredentialsService;
  documents: DocumentsService;
  /** The LRS itself, under /xapi/. */
  routes(app: LensApp): Promise<void>;
  /** `/v1/xapi-credentials/`, behind the API key. */
  credentialsRoutes(app: LensApp): Promise<void>;
}

/** Basic credentials: base64 of key:secret. */
function basicCredentials(authorization: string): { key: string; secret: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The LRS: statements, documents, agents, activities and about, with the credentials that reach them. */
export function xapiModule(deps: {
  db: Db;
  publicUrl: string;
  writeLanes: number;
  metrics: Pick<Metrics, 'groupCommitBatches'>;
  bodyLimit: number;
  defaultVersion: '1.0.3' | '2.0.0';
  /** The caller behind a token the player handed to launched content, if it is one. */
  launchTokens: (authorization: string) => Promise<LrsPrincipal | undefined>;
}): XapiModule {
  const statements = new StatementsService(new StatementsRepository(deps.db), {
    writeLanes: deps.writeLanes,
    batchSizes: deps.metrics.groupCommitBatches.labels({ writes: 'statements' }),
  });
  const credentials = new XapiCredentialsService(deps.db, deps.publicUrl);
  const documents = new DocumentsService(deps.db);
  const statementsResource = new StatementsResource(statements, `${new URL(deps.publicUrl).pathname.replace(/\/$/, '')}/xapi/statements`);
  const documentResource = (resource: 'state' | 'activity_profile' | 'agent_profile'): XapiResource => {
    const handler = new DocumentsResource(documents, resource);
    return {
      methods: {
        GET: (request, principal) => handler.get(request, principal),
        PUT: (request, principal, version) => handler.put(request, principal, version),
        POST: (request, principal, version) => handler.post(request, principal, version),
        DELETE: (request, principal) => handler.delete(request, principal),
      },
    };
  };
  const authenticate = async (authorization: string): Promise<LrsPrincipal | undefined> => {
    // A launch token is sent as Basic credentials too, and may happen to decode with a colon.
    const basic = basicCredentials(authorization);
    return (basic && (await credentials.authenticate(basic.key, basic.secret))) ?? deps.launchTokens(authorization);
  };
  return {
    statements,
    credentials,
    documents,
    routes: (app) =>
      xapiRoutes(app, {
        resources: {
          statements: {
            methods: {
              GET: (request, principal) => statementsResource.get(request, principal),
              PUT: (request, principal, version) => statementsResource.put(request, principal, version),
              POST: (request, principal, version) => statementsResource.post(request, principal, version),
            },
            // Every statement written before now is readable: writes answer only once committed.
            readHeaders: () => ({ 'x-experience-api-consistent-through': new Date().toISOString() }),
          },
          'activities/state': documentResource('state'),
          'activities/profile': documentResource('activity_profile'),
          'agents/profile': documentResource('agent_profile'),
        },
        authenticate,
        bodyLimit: deps.bodyLimit,
        defaultVersion: deps.defaultVersion,
        activities: (principal, activityId) => statements.definition(principal, activityId),
      }),
    credentialsRoutes: (app) => xapiCredentialsRoutes(app, { credentials }),
  };
}
