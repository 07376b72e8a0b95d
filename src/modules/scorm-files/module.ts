import type { FastifyBaseLogger } from 'fastify';
import type { LensApp } from '../../app.js';
import type { Config } from '../../config.js';
import type { Db } from '../../infra/db/database.js';
import type { Metrics } from '../../infra/metrics.js';
import type { AddressPolicy } from '../../infra/net/public-download.js';
import type { JobDefinition, JobQueue } from '../../infra/queue/job-queue.js';
import type { Storage } from '../../infra/storage/storage.js';
import type { TempFiles } from '../../infra/storage/temp-files.js';
import type { Loop } from '../../worker/worker.js';
import type { WebhooksService } from '../webhooks/service.js';
import { extractJob } from './extract-job.js';
import type { UploadDeps } from './multipart-upload.js';
import { contentExtractionsRoutes } from './extractions-routes.js';
import { ContentExtractionsRepository } from './extractions-repository.js';
import { ContentExtractionsService } from './extractions-service.js';
import { scormFilesRoutes } from './files-routes.js';
import { ScormFilesRepository } from './files-repository.js';
import { ScormFilesService } from './files-service.js';
import { prepareJob } from './prepare-job.js';
import { ScormFilePresenter } from './presenter.js';
import { ExtractionResults } from './results.js';
import { Sandbox } from './sandbox/sandbox.js';
import { packageFactsBackfill } from './package-facts-backfill.js';
import { stallMonitor } from './stall-monitor.js';

export interface ScormFilesDeps {
  db: Db;
  queue: JobQueue;
  storage: Storage;
  tempFiles: TempFiles;
  addressPolicy: AddressPolicy;
  webhooks: Pick<WebhooksService, 'extractionFinished'>;
  metrics: Pick<Metrics, 'extractions' | 'extractionDuration'>;
  config: Pick<
    Config,
    | 'publicUrl'
    | 'maxUploadBytes'
    | 'downloadTimeoutMs'
    | 'downloadLinkTtlSeconds'
    | 'extractionTimeoutMs'
    | 'extractionMemoryMb'
    | 'stallTimeoutMs'
  >;
  log: FastifyBaseLogger;
}

export interface ScormFilesModule {
  files: ScormFilesService;
  extractions: ContentExtractionsService;
  results: ExtractionResults;
  presenter: ScormFilePresenter;
  /** What receiving an upload needs (the API's and the panel's upload routes). */
  upload: UploadDeps;
  /** Where packages are opened: never in this process. */
  sandbox: Sandbox;
  routes(app: LensApp): Promise<void>;
  /** Preparing a file and extracting it, for the worker. */
  jobs: JobDefinition[];
  /** The stall monitor: runs in every process, API or worker. */
  monitors: Loop[];
  /** For the worker: keeping the package facts of extractions completed before their rows did. */
  loops: Loop[];
}

/**
 * The whole life of an uploaded package: the SCORM files and content extractions API, the rules of
 * their statuses (lifecycle.ts), their storage layout (storage-keys.ts), the jobs that prepare and
 * extract them, and the sandbox the package is opened in.
 */
export function scormFilesModule(deps: ScormFilesDeps): ScormFilesModule {
  const { db, queue, storage, tempFiles, config, log } = deps;
  const filesRepository = new ScormFilesRepository(db);
  const extractionsRepository = new ContentExtractionsRepository(db);
  const results = new ExtractionResults(storage);
  const presenter = new ScormFilePresenter(storage, config.downloadLinkTtlSeconds);
  const sandbox = new Sandbox({ timeoutMs: config.extractionTimeoutMs, memoryMb: config.extractionMemoryMb });
  const files = new ScormFilesService(db, filesRepository, extractionsRepository, queue, storage);
  const extractions = new ContentExtractionsService(db, filesRepository, extractionsRepository, queue, results, storage);
  const upload = { files, tempFiles, maxUploadBytes: config.maxUploadBytes };
  return {
    files,
    extractions,
    results,
    presenter,
    upload,
    sandbox,
    async routes(app) {
      await scormFilesRoutes(app, { ...upload, presenter, addressPolicy: deps.addressPolicy, publicUrl: config.publicUrl });
      await contentExtractionsRoutes(app, { files, extractions, results, presenter, publicUrl: config.publicUrl });
    },
    jobs: [
      prepareJob({
        db,
        files: filesRepository,
        extractions,
        storage,
        tempFiles,
        sandbox,
        download: { policy: deps.addressPolicy, maxBytes: config.maxUploadBytes, timeoutMs: config.downloadTimeoutMs },
        log,
      }),
      extractJob({ db, files: filesRepository, extractions: extractionsRepository, storage, tempFiles, sandbox, webhooks: deps.webhooks, metrics: deps.metrics, log }),
    ],
    monitors: [stallMonitor({ db, files: filesRepository, extractions: extractionsRepository, stallTimeoutMs: config.stallTimeoutMs, log })],
    loops: [packageFactsBackfill({ extractions: extractionsRepository, results, log })],
  };
}
