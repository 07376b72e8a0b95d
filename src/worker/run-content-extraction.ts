import path from 'node:path/posix';
import type { AppContext } from '../context.js';
import { extractIsolated } from './extract-isolated.js';
import { ExtractionError } from '../extraction/result/errors.js';
import { resultToMarkdown } from '../extraction/result/markdown.js';
import type { ContentExtraction, ScormFile } from '../infra/db/schema.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import { READY_REMARK } from '../modules/content-extractions/service.js';
import type { RunContentExtractionPayload } from './jobs.js';

export const COMPLETED_REMARK = 'Extraction completed.';
const HEARTBEAT_MS = 15_000;

/** The Markdown rendering is stored beside the JSON result. */
export const markdownPath = (outputPath: string) => outputPath.replace(/\.json$/, '.md');

/** `<org-slug>/scorm-files/<id>/content_extractions/<extraction id>/<file_name>.json` */
export function finalOutputPath(storagePath: string, fileName: string, extractionId: number): string {
  return `${path.dirname(storagePath)}/content_extractions/${extractionId}/${fileName}.json`;
}

/**
 * `dispatched` -> `in_progress` -> `completed` | `failed`. Every write is fenced by the queue
 * message id, so a run that a restart superseded, or a retry that finds the work done, changes nothing.
 */
export function runContentExtraction(context: AppContext): JobHandler<RunContentExtractionPayload> {
  const { contentExtractionsRepository: extractions, scormFilesRepository: files, storage, database } = context;

  async function finish(
    extraction: ContentExtraction,
    file: ScormFile,
    messageId: string,
    outcome: { status: 'completed'; outputPath: string } | { status: 'failed'; remarks: string },
  ): Promise<void> {
    await database.db.transaction().execute(async (tx) => {
      const finished = await extractions.update(
        tx,
        extraction.id,
        {
          status: outcome.status,
          finished_at: Date.now(),
          final_output_path: outcome.status === 'completed' ? outcome.outputPath : null,
          remarks: outcome.status === 'completed' ? COMPLETED_REMARK : outcome.remarks,
        },
        messageId,
      );
      if (!finished) return;
      await files.update(
        tx,
        file.id,
        outcome.status === 'completed'
          ? { status: 'content_extraction_completed', remark: READY_REMARK }
          : { status: 'failed', remark: `Content extraction failed: ${outcome.remarks}` },
      );
      await context.webhooks.extractionFinished(tx, finished, file);
    });
    context.log.info({ contentExtractionId: extraction.id, status: outcome.status }, 'content extraction finished');
  }

  return async (job) => {
    const messageId = job.id;
    const extraction = await extractions.findById(job.data.contentExtractionId);
    if (!extraction || extraction.deleted_at !== null || extraction.queue_message_id !== messageId) return;
    if (extraction.status === 'completed' || extraction.status === 'failed') return;
    const file = await files.findById(extraction.scorm_file_id);
    if (!file || file.deleted_at !== null || !file.storage_path) return;
    const started = await extractions.update(database.db, extraction.id, { status: 'in_progress' }, messageId);
    if (!started) return;
    if (file.status === 'extraction_stalled') {
      await files.update(database.db, file.id, { status: 'processed', remark: READY_REMARK });
    }
    const heartbeat = setInterval(() => {
      void extractions.update(database.db, extraction.id, {}, messageId).catch(() => undefined);
    }, HEARTBEAT_MS);
    try {
      const result = await storage.withLocalFile(file.storage_path, (localPath) =>
        extractIsolated(localPath, { timeoutMs: context.config.extractionTimeoutMs, maxMemoryMb: context.config.extractionMemoryMb }),
      );
      const outputPath = finalOutputPath(file.storage_path, file.file_name, extraction.id);
      await storage.putBuffer(markdownPath(outputPath), Buffer.from(resultToMarkdown(result)), 'text/markdown; charset=utf-8');
      await storage.putBuffer(outputPath, Buffer.from(JSON.stringify(result, null, 2)), 'application/json');
      await finish(extraction, file, messageId, { status: 'completed', outputPath });
    } catch (error) {
      if (error instanceof ExtractionError) {
        return finish(extraction, file, messageId, { status: 'failed', remarks: `${error.message} [${error.code}]` });
      }
      context.log.error({ err: error, contentExtractionId: extraction.id, attempt: job.attempt }, 'content extraction error');
      if (job.attempt >= job.maxAttempts) {
        return finish(extraction, file, messageId, {
          status: 'failed',
          remarks: 'The extraction failed on our side after several attempts. [internal_error]',
        });
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  };
}
