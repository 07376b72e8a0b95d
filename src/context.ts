import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { openDatabase, type Db, type DatabaseHandle } from './infra/db/database.js';
import { migrateToLatest } from './infra/db/migrate.js';
import { Metrics } from './infra/metrics.js';
import { addressPolicy } from './infra/net/public-download.js';
import type { JobQueue, QueueTimings } from './infra/queue/job-queue.js';
import { PgBossJobQueue } from './infra/queue/pg-boss-queue.js';
import { SqliteJobQueue } from './infra/queue/sqlite-queue.js';
import { LinkSigner } from './infra/storage/link-signer.js';
import { LocalStorage } from './infra/storage/local-storage.js';
import type { Storage } from './infra/storage/storage.js';
import { TempFiles } from './infra/storage/temp-files.js';
import { PasswordResets } from './modules/accounts/password-resets.js';
import { AccountsService } from './modules/accounts/service.js';
import { Sessions } from './modules/accounts/sessions.js';
import { RateLimits } from './infra/db/rate-limits.js';
import { CollectionsRepository } from './modules/collections/repository.js';
import { CollectionsService } from './modules/collections/service.js';
import { launchesModule, type LaunchesModule } from './modules/launches/module.js';
import { xapiModule, type XapiModule } from './modules/xapi/module.js';
import { LearnerTokens } from './modules/progress/learner-tokens.js';
import { ProgressRepository } from './modules/progress/repository.js';
import { ProgressService } from './modules/progress/service.js';
import { scormFilesModule, type ScormFilesModule } from './modules/scorm-files/module.js';
import { webhooksModule, type WebhooksModule } from './modules/webhooks/module.js';
import type { Loop } from './worker/worker.js';
import type { JobDefinition } from './infra/queue/job-queue.js';

/** Concurrent write transactions of progress events and of statements on PostgreSQL (a fraction of the pool). */
const PG_WRITE_LANES = 8;

/**
 * The composition root: the infrastructure, built once per process, and the modules, each given
 * only what it needs. The API registers the modules' routes; the worker runs their jobs and loops.
 */
export interface AppContext {
  config: Config;
  log: FastifyBaseLogger;
  database: DatabaseHandle;
  queue: JobQueue;
  storage: Storage;
  linkSigner: LinkSigner;
  accounts: AccountsService;
  passwordResets: PasswordResets;
  sessions: Sessions;
  rateLimits: RateLimits;
  learnerTokens: LearnerTokens;
  scormFiles: ScormFilesModule;
  webhooks: WebhooksModule;
  collections: CollectionsService;
  progress: ProgressService;
  launches: LaunchesModule;
  xapi: XapiModule;
  /** Every series `/metrics` exports; modules record through it. */
  metrics: Metrics;
  /** What the worker runs: every module's jobs and background loops. */
  worker: { jobs: JobDefinition[]; loops: Loop[] };
  /** Loops every process runs, API or worker (the stall monitor). */
  monitors: Loop[];
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

/** Reset links, as the API and the command line issue them. */
export const passwordResetsOf = (config: Config, db: Db, accounts: AccountsService) =>
  new PasswordResets(db, accounts, { publicUrl: config.publicUrl, ttlMs: config.passwordResetTtlSeconds * 1000 });

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
    const metrics = new Metrics({
      connections: () => database.connections(),
      jobs: () => queue.counts(scormFiles.jobs.map((job) => job.name)),
    });

    const policy = addressPolicy(config.allowPrivateNetworks);
    // A deleted user's webhooks are deleted with them.
    const accounts = new AccountsService(database.db, (tx, userId, now) => webhooks.repository.deleteOwnedBy(tx, userId, now));
    // The webhooks' dispatcher asks the package lifecycle for download links, and the lifecycle
    // writes the webhooks' events: each gets the other's part through a function.
    const webhooks = webhooksModule({
      db: database.db,
      accounts,
      addressPolicy: policy,
      timeoutMs: config.webhookTimeoutMs,
      pollIntervalMs: config.webhookPollIntervalMs,
      publicUrl: config.publicUrl,
      downloadLink: (id) => scormFiles.extractions.downloadLink(id, config.downloadLinkTtlSeconds),
      metrics,
      log,
    });
    const scormFiles = scormFilesModule({ db: database.db, queue, storage, tempFiles, addressPolicy: policy, webhooks: webhooks.service, metrics, config, log });
    const collectionsRepository = new CollectionsRepository(database.db);
    const progress = new ProgressService(
      new ProgressRepository(database.db, database.dialect),
      collectionsRepository,
      database.db,
      database.dialect === 'postgres' ? PG_WRITE_LANES : 1,
      metrics,
    );
    const collections = new CollectionsService(database.db, collectionsRepository, (principal, id) => scormFiles.extractions.latestResult(principal, id));
    const xapi = xapiModule({
      db: database.db,
      publicUrl: config.publicUrl,
      writeLanes: database.dialect === 'postgres' ? PG_WRITE_LANES : 1,
      metrics,
      bodyLimit: config.xapiMaxBodyBytes,
      defaultVersion: config.xapiDefaultVersion,
      // The player's sessions answer for the tokens it handed to cmi5 and Tin Can content.
      launchTokens: (authorization) => launches.xapiSessions.principal(authorization),
    });
    const launches = launchesModule({
      xapi,
      db: database.db,
      storage,
      extractions: scormFiles.extractions,
      collections,
      progress,
      learnerTokens,
      config,
    });
    return {
      config,
      log,
      database,
      queue,
      storage,
      linkSigner,
      accounts,
      passwordResets: passwordResetsOf(config, database.db, accounts),
      sessions: new Sessions(database.db),
      rateLimits: new RateLimits(database.db),
      learnerTokens,
      scormFiles,
      webhooks,
      collections,
      progress,
      launches,
      xapi,
      metrics,
      worker: { jobs: scormFiles.jobs, loops: [webhooks.dispatcher(), ...scormFiles.loops] },
      monitors: scormFiles.monitors,
      async close() {
        // Writes of requests whose clients went away still commit before the database closes.
        await progress.settled();
        await xapi.statements.settled();
        await queue.stop({ timeoutMs: 0 });
        // No package work outlives the process that asked for it.
        scormFiles.sandbox.stop();
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
