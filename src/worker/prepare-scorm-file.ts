import type { AppContext } from '../context.js';
import { openPackage } from '../extraction/extract-package.js';
import { ExtractionError } from '../extraction/result/errors.js';
import type { ScormFile } from '../infra/db/schema.js';
import { DownloadError, downloadPublicUrl } from '../infra/net/public-download.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import type { PrepareScormFilePayload } from './jobs.js';

/**
 * `processing` -> `processed` (or `failed`): fetches a public URL if the file came as one, checks
 * that the package opens (a zip, or a bare cmi5.xml), then starts its first content extraction.
 */
export function prepareScormFile(context: AppContext): JobHandler<PrepareScormFilePayload> {
  const { scormFilesRepository: files, storage, database } = context;

  async function fail(file: ScormFile, remark: string): Promise<void> {
    await files.update(database.db, file.id, { status: 'failed', remark });
    context.log.info({ scormFileId: file.id, remark }, 'SCORM file failed preparation');
  }

  async function download(file: ScormFile, key: string, publicUrl: string): Promise<void> {
    const downloaded = await downloadPublicUrl(publicUrl, {
      policy: context.addressPolicy,
      tempFiles: context.tempFiles,
      maxBytes: context.config.maxUploadBytes,
      timeoutMs: context.config.downloadTimeoutMs,
    });
    try {
      await storage.putFile(key, downloaded.path);
    } finally {
      await context.tempFiles.remove(downloaded.path);
    }
    await files.update(database.db, file.id, { file_size_bytes: downloaded.size });
  }

  return async (job) => {
    const file = await files.findById(job.data.scormFileId);
    // Done already (a retry after the commit) or deleted meanwhile: nothing to do.
    if (!file || file.deleted_at !== null || file.status !== 'processing' || !file.storage_path) return;
    const key = file.storage_path;
    try {
      if (file.file_size_bytes === null && file.public_url) await download(file, key, file.public_url);
      await storage.withLocalFile(key, async (localPath) => (await openPackage(localPath)).close());
      const current = (await files.findById(file.id)) ?? file;
      await database.db.transaction().execute((tx) => context.contentExtractions.createFor(tx, current));
    } catch (error) {
      if (error instanceof DownloadError) return fail(file, `Could not download the file: ${error.message} [${error.code}]`);
      if (error instanceof ExtractionError) return fail(file, `The file is not a valid package: ${error.message} [${error.code}]`);
      if (job.attempt >= job.maxAttempts) return fail(file, 'Preparing the file failed repeatedly; upload it again.');
      throw error;
    }
  };
}
