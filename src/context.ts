import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { openDatabase, type Db, type DatabaseHandle } from './infra/db/database.js';
import { migrateToLatest } from './infra/db/migrate.js';
import { addressPolicy, type AddressPolicy } from './infra/net/public-download.js';
import type { JobQueue, QueueTimings } from './infra/queue/job-queue.js';
import { PgBossJobQueue } from './infra/queue/pg-boss-queue.js';
import { SqliteJobQueue } from './infra/queue/sqlite-queue.js';
import { LinkSigner } from './infra/storage/link-signer.js';
import { LocalStorage } from './infra/storage/local-storage.js';
import type { Storage } from './infra/storage/storage.js';
import { TempFiles } from './infra/storage/temp-files.js';
import { AccountsService } from './modules/accounts/service.js';
import { Sessions } from './modules/accounts/sessions.js';
import { CollectionsRepository } from './modules/collections/repository.js';
import { CollectionsService } from './modules/collections/service.js';
import { LearnerTokens } from './modules/progress/learner-tokens.js';
import { ProgressRepository } from './modules/progress/repository.js';
import { ProgressService } from './modules/progress/service.js';
import { ContentExtractionPresenter } from './modules/content-extractions/presenter.js';
import { ContentExtractionsRepository } from './modules/content-extractions/repository.js';
import { ContentExtractionsService } from './modules/content-extractions/service.js';
import { ScormFilePresenter } from './modules/scorm-files/presenter.js';
import { ScormFilesRepository } from './modules/scorm-files/repository.js';
import { ScormFilesService } from './modules/scorm-files/service.js';
import { WebhooksRepository } from './modules/webhooks/repository.js';
import { WebhooksService } from './modules/webhooks/service.js';

/** Concurrent write transactions of progress events on PostgreSQL (a fraction of the pool). */
const PG_WRITE_LANES = 8;

/** Everything the API and the worker share, wired once per process. */
export interface AppContext {
  config: Config;
  log: FastifyBaseLogger;
  database: DatabaseHandle;
  queue: JobQueue;
  storage: Storage;
  tempFiles: TempFiles;
  linkSigner: LinkSigner;
  addressPolicy: AddressPolicy;
  accounts: AccountsService;
  sessions: Sessions;
  scormFilesRepository: ScormFilesRepository;
  contentExtractionsRepository: ContentExtractionsRepository;
  scormFiles: ScormFilesService;
  contentExtractions: ContentExtractionsService;
  contentExtractionPresenter: ContentExtractionPresenter;
  scormFilePresenter: ScormFilePresenter;
  learnerTokens: LearnerTokens;
  collectionsRepository: CollectionsRepository;
  collections: CollectionsService;
  progressRepository: ProgressRepository;
  progress: ProgressService;
  webhooksRepository: WebhooksRepository;
  webhooks: WebhooksService;
  close(): Promise<void>;
}

/** A secret made on first start and shared by every process through the database. */
async function storedSecret(db: Db, key: 'link_signing_secret' | 'learner_token_secret'): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

export function queueTimings(config: Config): QueueTimings {
  return {
    leaseSeconds: config.jobLeaseSeconds,
    maintenanceSeconds: config.jobMaintenanceSeconds,
    retryDelaySeconds: config.jobRetryDelaySeconds,
    pollIntervalMs: config.jobPollIntervalMs,
  };
}

export async function createContext(config: Config, log: FastifyBaseLogger): Promise<AppContext> {
  const database = openDatabase(config);
  try {
    await migrateToLatest(database);
    const linkSigner = new LinkSigner(await storedSecret(database.db, 'link_signing_secret'));
    const learnerTokens = await LearnerTokens.create(await storedSecret(database.db, 'learner_token_secret'), config.learnerTokens, (error) =>
      log.warn({ err: error }, 'identity provider keys not refreshed: the last ones fetched stay in use'),
    );
    const tempFiles = new TempFiles(path.join(config.dataDir, 'tmp'));
    await tempFiles.init();
    const storage = await createStorage(config, linkSigner, tempFiles);
    const queue =
      database.dialect === 'postgres' && database.connectionString
        ? new PgBossJobQueue(database.connectionString, queueTimings(config), (error) => log.error({ err: error }, 'job queue error'))
        : new SqliteJobQueue(database.db, queueTimings(config));
    await queue.start();

    const scormFilesRepository = new ScormFilesRepository(database.db);
    const contentExtractionsRepository = new ContentExtractionsRepository(database.db);
    const collectionsRepository = new CollectionsRepository(database.db);
    const progressRepository = new ProgressRepository(database.db, database.dialect);
    const contentExtractionPresenter = new ContentExtractionPresenter(storage, config.downloadLinkTtlSeconds);
    const accounts = new AccountsService(database.db);
    const policy = addressPolicy(config.allowPrivateNetworks);
    const webhooksRepository = new WebhooksRepository(database.db);
    const progress = new ProgressService(progressRepository, collectionsRepository, database.db, database.dialect === 'postgres' ? PG_WRITE_LANES : 1);
    return {
      config,
      log,
      database,
      queue,
      storage,
      tempFiles,
      linkSigner,
      addressPolicy: policy,
      accounts,
      sessions: new Sessions(database.db),
      scormFilesRepository,
      contentExtractionsRepository,
      scormFiles: new ScormFilesService(database.db, scormFilesRepository, contentExtractionsRepository, queue, storage),
      contentExtractions: new ContentExtractionsService(database.db, scormFilesRepository, contentExtractionsRepository, queue),
      contentExtractionPresenter,
      scormFilePresenter: new ScormFilePresenter(contentExtractionPresenter),
      learnerTokens,
      collectionsRepository,
      collections: new CollectionsService(database.db, collectionsRepository, scormFilesRepository, contentExtractionsRepository, storage),
      progressRepository,
      progress,
      webhooksRepository,
      webhooks: new WebhooksService(webhooksRepository, accounts, policy),
      async close() {
        // Writes of requests whose clients went away still commit before the database closes.
        await progress.settled();
        await queue.stop({ timeoutMs: 0 });
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function createStorage(config: Config, linkSigner: LinkSigner, tempFiles: TempFiles): Promise<Storage> {
  if (config.storage.kind === 's3') {
    // Loaded only when configured: the AWS SDK is heavy and most installs run on local disk.
    const { S3Storage } = await import('./infra/storage/s3-storage.js');
    return new S3Storage(config.storage, tempFiles);
  }
  return new LocalStorage(config.storage.root, linkSigner, config.publicUrl);
}
