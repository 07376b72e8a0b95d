import type { FastifyBaseLogger } from 'fastify';
import { ExtractionError } from '../../extraction/result/errors.js';
import type { Db } from '../../infra/db/database.js';
import type { ScormFile, ScormFileStatus } from '../../infra/db/schema.js';
import { DownloadError, downloadPublicUrl, type AddressPolicy } from '../../infra/net/public-download.js';
import { defineJob, type JobDefinition } from '../../infra/queue/job-queue.js';
import { isDiskFull, type TempFiles } from '../../infra/storage/temp-files.js';
import type { Storage } from '../../infra/storage/storage.js';
import type { ContentExtractionsService } from './extractions-service.js';
import type { ScormFilesRepository } from './files-repository.js';
import { PREPARE_SCORM_FILE, type PrepareScormFilePayload } from './jobs.js';
import { fileLifecycle, type Move } from './lifecycle.js';
import { SandboxFault, type Sandbox } from './sandbox/sandbox.js';

export interface PrepareDeps {
  db: Db;
  files: ScormFilesRepository;
  extractions: ContentExtractionsService;
  storage: Storage;
  tempFiles: TempFiles;
  sandbox: Sandbox;
  download: { policy: AddressPolicy; maxBytes: number; timeoutMs: number };
  log: FastifyBaseLogger;
}

/**
 * `processing` -> `processed` (or `failed`): fetches a public URL if the file came as one, checks in
 * the sandbox that the package opens (a zip with a readable directory, or a bare cmi5.xml), then
 * starts its first content extraction.
 */
export function prepareJob(deps: PrepareDeps): JobDefinition {
  const { files, storage, db, tempFiles, log } = deps;

  async function fail(file: ScormFile, move: Move<ScormFileStatus>): Promise<void> {
    await files.move(db, file.id, move);
    log.info({ scormFileId: file.id, remark: move.remark }, 'SCORM file failed preparation');
  }

  async function download(file: ScormFile, key: string, publicUrl: string): Promise<void> {
    const downloaded = await downloadPublicUrl(publicUrl, { ...deps.download, tempFiles });
    try {
      await storage.putFile(key, downloaded.path);
    } finally {
      await tempFiles.remove(downloaded.path);
    }
    await files.update(db, file.id, { file_size_bytes: downloaded.size });
  }

  return defineJob<PrepareScormFilePayload>(PREPARE_SCORM_FILE, async (job) => {
    const file = await files.findById(job.data.scormFileId);
    // Done already (a retry after the commit) or deleted meanwhile: nothing to do.
    if (!file || file.deleted_at !== null || file.status !== 'processing' || !file.storage_path) return;
    const key = file.storage_path;
    try {
      if (file.file_size_bytes === null && file.public_url) await download(file, key, file.public_url);
      await storage.withLocalFile(key, (localPath) => deps.sandbox.check(localPath, job.signal));
      const current = (await files.findById(file.id)) ?? file;
      await db.transaction().execute((tx) => deps.extractions.createFor(tx, current));
    } catch (error) {
      if (error instanceof DownloadError) return fail(file, fileLifecycle.downloadFailed(error.message, error.code));
      if (error instanceof ExtractionError) return fail(file, fileLifecycle.notAPackage(error.message, error.code));
      if (error instanceof SandboxFault) return fail(file, fileLifecycle.preparationFailed(error.message, 'internal_error'));
      if (isDiskFull(error)) return fail(file, fileLifecycle.preparationFailed('The server has no room left to store the file.', 'storage_full'));
      // A shutdown hands the job back; anything else may be passing (storage, database, a killed child).
      if (job.signal.aborted || job.attempt < job.maxAttempts) throw error;
      return fail(file, fileLifecycle.preparationFailed('Preparing the file failed repeatedly; upload it again.', 'internal_error'));
    }
  });
}
