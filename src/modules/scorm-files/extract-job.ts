import fs from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { ExtractionError } from '../../extraction/result/errors.js';
import type { PackageFacts } from '../../extraction/result/extraction-result.js';
import type { ResultIndex } from '../../extraction/result/result-files.js';
import type { Db } from '../../infra/db/database.js';
import type { Metrics } from '../../infra/metrics.js';
import type { ContentExtraction, ContentExtractionStatus, ScormFile } from '../../infra/db/schema.js';
import { defineJob, type JobDefinition } from '../../infra/queue/job-queue.js';
import { isDiskFull, type TempFiles } from '../../infra/storage/temp-files.js';
import type { Storage } from '../../infra/storage/storage.js';
import type { WebhooksService } from '../webhooks/service.js';
import type { ContentExtractionsRepository } from './extractions-repository.js';
import type { ScormFilesRepository } from './files-repository.js';
import { RUN_CONTENT_EXTRACTION, type RunContentExtractionPayload } from './jobs.js';
import { extractionLifecycle, fileLifecycle, type Move } from './lifecycle.js';
import { DISK_FULL_MESSAGE } from './sandbox/protocol.js';
import { SandboxFault, type Sandbox } from './sandbox/sandbox.js';
import { contentType } from '../../infra/storage/content-types.js';
import { resultKeys } from './storage-keys.js';
import { packageColumns } from './package-labels.js';

const HEARTBEAT_MS = 15_000;
/** Files put into storage at once: S3 takes each as its own request. */
const UPLOADS_AT_ONCE = 8;

/** Every file under a local folder, put into storage under `prefix` with its content type. */
async function putFolder(storage: Storage, folder: string, prefix: string): Promise<void> {
  const files = (await fs.promises.readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  let next = 0;
  const upload = async () => {
    for (let entry = files[next++]; entry; entry = files[next++]) {
      const local = path.join(entry.parentPath, entry.name);
      const relative = path.relative(folder, local).split(path.sep).join('/');
      await storage.putFile(`${prefix}/${relative}`, local, contentType(relative));
    }
  };
  await Promise.all(Array.from({ length: UPLOADS_AT_ONCE }, upload));
}

interface StoredResult {
  outputPath: string;
  facts: PackageFacts;
}

export interface ExtractDeps {
  db: Db;
  files: ScormFilesRepository;
  extractions: ContentExtractionsRepository;
  storage: Storage;
  tempFiles: TempFiles;
  sandbox: Sandbox;
  webhooks: Pick<WebhooksService, 'extractionFinished'>;
  metrics: Pick<Metrics, 'extractions' | 'extractionDuration'>;
  log: FastifyBaseLogger;
}

/**
 * `dispatched` -> `in_progress` -> `completed` | `failed`. The sandbox writes the result files to a
 * temp folder and they go to storage from there, so no result passes through this process's memory.
 * Every write is fenced by the queue message id, so a run that a restart superseded, or a retry that
 * finds the work done, changes nothing. Only what a retry can mend is retried: a package's fault or
 * a fault of our code fails at once.
 */
export function extractJob(deps: ExtractDeps): JobDefinition {
  const { extractions, files, storage, db, tempFiles, metrics, log } = deps;

  /** Ends the extraction as `move` says, unless a newer run took it over; `startedAt` is when this run began. */
  async function finish(
    extraction: ContentExtraction,
    file: ScormFile,
    messageId: string,
    startedAt: number,
    move: Move<ContentExtractionStatus>,
    result?: StoredResult,
  ) {
    const ended = await db.transaction().execute(async (tx) => {
      const finished = await extractions.move(
        tx,
        extraction.id,
        move,
        { finished_at: Date.now(), final_output_path: result?.outputPath ?? null, ...(result ? packageColumns(result.facts) : {}) },
        messageId,
      );
      if (!finished) return false;
      await files.move(tx, file.id, move.status === 'completed' ? fileLifecycle.extractionCompleted : fileLifecycle.extractionFailed(move.remark ?? ''));
      await deps.webhooks.extractionFinished(tx, finished, file);
      return true;
    });
    if (!ended) return;
    metrics.extractions.inc({ outcome: move.status });
    metrics.extractionDuration.observe({ outcome: move.status }, (performance.now() - startedAt) / 1000);
    log.info({ contentExtractionId: extraction.id, status: move.status }, 'content extraction finished');
  }

  /** Runs the sandbox on the package and moves its result files into storage; the result's path and package facts. */
  async function extractToStorage(file: ScormFile & { storage_path: string }, extraction: ContentExtraction, signal: AbortSignal): Promise<StoredResult> {
    const keys = resultKeys(file.storage_path, extraction.id);
    const folder = tempFiles.newPath();
    await fs.promises.mkdir(folder);
    try {
      const local = {
        json: path.join(folder, 'result.json'),
        markdown: path.join(folder, 'result.md'),
        index: path.join(folder, 'result.index.json'),
        plan: path.join(folder, 'launch.json'),
        files: path.join(folder, 'content'),
      };
      await storage.withLocalFile(file.storage_path, (packagePath) => deps.sandbox.extract(packagePath, local, signal));
      // Read before storage takes the files (a local store moves them).
      const { package: facts } = JSON.parse(await fs.promises.readFile(local.index, 'utf8')) as ResultIndex;
      await putFolder(storage, local.files, keys.content);
      await storage.putFile(keys.plan, local.plan, 'application/json');
      await storage.putFile(keys.markdown, local.markdown, 'text/markdown; charset=utf-8');
      await storage.putFile(keys.json, local.json, 'application/json');
      // The index goes last: a result is readable once its index is there.
      await storage.putFile(keys.index, local.index, 'application/json');
      return { outputPath: keys.json, facts };
    } finally {
      await fs.promises.rm(folder, { recursive: true, force: true });
    }
  }

  return defineJob<RunContentExtractionPayload>(RUN_CONTENT_EXTRACTION, async (job) => {
    const messageId = job.id;
    const extraction = await extractions.findById(job.data.contentExtractionId);
    if (!extraction || extraction.deleted_at !== null || extraction.queue_message_id !== messageId) return;
    if (extraction.status === 'completed' || extraction.status === 'failed') return;
    const file = await files.findById(extraction.scorm_file_id);
    if (!file || file.deleted_at !== null || !file.storage_path) return;
    const started = extraction.status === 'in_progress' ? extraction : await extractions.move(db, extraction.id, extractionLifecycle.started, {}, messageId);
    if (!started) return;
    if (file.status === 'extraction_stalled') await files.move(db, file.id, fileLifecycle.ready);
    const startedAt = performance.now();
    const heartbeat = setInterval(() => void extractions.heartbeat(extraction.id, messageId).catch(() => undefined), HEARTBEAT_MS);
    try {
      const result = await extractToStorage({ ...file, storage_path: file.storage_path }, extraction, job.signal);
      await finish(extraction, file, messageId, startedAt, extractionLifecycle.completed, result);
    } catch (error) {
      if (error instanceof ExtractionError) return finish(extraction, file, messageId, startedAt, extractionLifecycle.failed(error.message, error.code));
      if (isDiskFull(error)) return finish(extraction, file, messageId, startedAt, extractionLifecycle.failed(DISK_FULL_MESSAGE, 'storage_full'));
      log.error({ err: error, contentExtractionId: extraction.id, attempt: job.attempt }, 'content extraction error');
      if (error instanceof SandboxFault) return finish(extraction, file, messageId, startedAt, extractionLifecycle.internalError);
      // A shutdown hands the job back; anything else may be passing (storage, database, a killed child).
      if (job.signal.aborted || job.attempt < job.maxAttempts) throw error;
      return finish(extraction, file, messageId, startedAt, extractionLifecycle.gaveUp);
    } finally {
      clearInterval(heartbeat);
    }
  });
}
