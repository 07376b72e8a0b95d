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

export interface LaunchesModule {
  service: LaunchesService;
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
  config: Pick<Config, 'playerUrl' | 'launchTtlSeconds'>;
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
  return {
    service,
    routes: (app) => launchesRoutes(app, { launches: service }),
    playerRoutes: (app) => playerRoutes(app, { launches: service }),
  };
}
