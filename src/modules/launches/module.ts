import type { LensApp } from '../../app.js';
import type { Config } from '../../config.js';
import type { Db } from '../../infra/db/database.js';
import type { Storage } from '../../infra/storage/storage.js';
import type { CollectionsService } from '../collections/service.js';
import type { LearnerTokens } from '../progress/learner-tokens.js';
import type { ProgressService } from '../progress/service.js';
import type { ContentExtractionsService } from '../scorm-files/extractions-service.js';
import { playerRoutes } from './player-routes.js';
import { LaunchesRepository } from './repository.js';
import { launchesRoutes } from './routes.js';
import { LaunchesService } from './service.js';
import { XapiSessions } from './xapi-sessions.js';
import type { XapiModule } from '../xapi/module.js';

export interface LaunchesModule {
  service: LaunchesService;
  /** cmi5 and Tin Can launches: their sessions, tokens and statements. */
  xapiSessions: XapiSessions;
  /** `POST /v1/launches`, behind the API key. */
  routes(app: LensApp): Promise<void>;
  /** The player itself: launch links, the page, the package's files, the runtime's calls. */
  playerRoutes(app: LensApp): Promise<void>;
}

/** The built-in player: launches, the player page, package files and runtime commits mapped to progress. */
export function launchesModule(deps: {
  db: Db;
  storage: Storage;
  extractions: ContentExtractionsService;
  collections: CollectionsService;
  progress: ProgressService;
  learnerTokens: LearnerTokens;
  xapi: Pick<XapiModule, 'statements' | 'documents'>;
  config: Pick<Config, 'playerUrl' | 'launchTtlSeconds' | 'publicUrl'>;
}): LaunchesModule {
  const service = new LaunchesService(new LaunchesRepository(deps.db), {
    extractions: deps.extractions,
    collections: deps.collections,
    progress: deps.progress,
    learnerTokens: deps.learnerTokens,
    storage: deps.storage,
    playerUrl: deps.config.playerUrl,
    launchTtlSeconds: deps.config.launchTtlSeconds,
  });
  const xapiSessions = new XapiSessions(deps.db, {
    statements: deps.xapi.statements,
    documents: deps.xapi.documents,
    progress: deps.progress,
    publicUrl: deps.config.publicUrl,
    playerUrl: deps.config.playerUrl,
    playableOf: (launchId) => service.playableOf(launchId),
  });
  return {
    service,
    xapiSessions,
    routes: (app) => launchesRoutes(app, { launches: service }),
    playerRoutes: (app) => playerRoutes(app, { launches: service, xapiSessions }),
  };
}
