import type { Db, Tx } from '../../infra/db/database.js';
import type { ContentExtraction, ScormFile } from '../../infra/db/schema.js';
import type { ResultIndex } from '../../extraction/result/result-files.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Storage } from '../../infra/storage/storage.js';
import { ConflictError, NotFoundError } from '../../http/errors.js';
import type { Principal } from '../accounts/principal.js';
import type { ContentExtractionsRepository } from './extractions-repository.js';
import type { ScormFilesRepository } from './files-repository.js';
import { RUN_CONTENT_EXTRACTION, type RunContentExtractionPayload } from './jobs.js';
import { extractionLifecycle, fileLifecycle } from './lifecycle.js';
import type { ExtractionResults } from './results.js';

/** A file's latest completed extraction among its extractions (oldest first): the one its result, title and course come from. */
export const latestCompletedOf = (extractions: ContentExtraction[]): ContentExtraction | undefined =>
  extractions.filter((e) => e.status === 'completed').at(-1);

export interface ExtractionWithFile {
  extraction: ContentExtraction;
  file: ScormFile;
}

export class ContentExtractionsService {
  constructor(
    private readonly db: Db,
    private readonly files: ScormFilesRepository,
    private readonly extractions: ContentExtractionsRepository,
    private readonly queue: JobQueue,
    private readonly results: ExtractionResults,
    private readonly storage: Storage,
  ) {}

  /**
   * Puts an extraction on the queue inside the caller's transaction: the extraction is `dispatched`
   * with the queue's message id exactly when the job exists. Returns the message id.
   */
  async dispatch(tx: Tx, extraction: ContentExtraction, file: ScormFile): Promise<{ extraction: ContentExtraction; messageId: string }> {
    const payload: RunContentExtractionPayload = { contentExtractionId: extraction.id };
    const messageId = await this.queue.send(RUN_CONTENT_EXTRACTION, payload, { tx });
    const dispatched = await this.extractions.move(tx, extraction.id, extractionLifecycle.dispatched, {
      queue_message_id: messageId,
      started_at: Date.now(),
      finished_at: null,
      final_output_path: null,
    });
    await this.files.move(tx, file.id, fileLifecycle.ready);
    if (!dispatched) throw new Error(`extraction ${extraction.id} vanished while being dispatched`);
    return { extraction: dispatched, messageId };
  }

  /** A new extraction for a stored file, already on the queue. */
  async createFor(tx: Tx, file: ScormFile): Promise<{ extraction: ContentExtraction; messageId: string }> {
    const pending = await this.extractions.insert(tx, {
      organizationId: file.organization_id,
      scormFileId: file.id,
      status: 'pending',
    });
    return this.dispatch(tx, pending, file);
  }

  async create(principal: Principal, fileId: number): Promise<ExtractionWithFile & { messageId: string }> {
    const file = await this.files.findVisible(principal, fileId);
    if (!file) throw new NotFoundError('scorm_file_not_found', `SCORM file ${fileId} was not found.`);
    if (file.status === 'processing') {
      throw new ConflictError('scorm_file_not_ready', `SCORM file ${fileId} is still being prepared; try again shortly.`);
    }
    if (file.file_size_bytes === null) {
      throw new ConflictError('scorm_file_unavailable', `SCORM file ${fileId} was never stored: ${file.remark ?? ''}`.trim());
    }
    const { extraction, messageId } = await this.db.transaction().execute((tx) => this.createFor(tx, file));
    return { extraction, file: await this.fileOf(extraction), messageId };
  }

  async get(principal: Principal, id: number): Promise<ExtractionWithFile> {
    const extraction = await this.extractions.findVisible(principal, id);
    if (!extraction) throw new NotFoundError('content_extraction_not_found', `Content extraction ${id} was not found.`);
    return { extraction, file: await this.fileOf(extraction) };
  }

  async page(principal: Principal, offset: number, limit: number): Promise<{ count: number; rows: ExtractionWithFile[] }> {
    const { count, rows } = await this.extractions.page(principal, offset, limit);
    const files = new Map<number, ScormFile>();
    for (const row of rows) {
      if (!files.has(row.scorm_file_id)) files.set(row.scorm_file_id, await this.fileOf(row));
    }
    return { count, rows: rows.map((extraction) => ({ extraction, file: files.get(extraction.scorm_file_id) as ScormFile })) };
  }

  /** Runs an extraction again under a new queue message; a run still going on is superseded. */
  async restart(principal: Principal, id: number): Promise<ExtractionWithFile & { messageId: string }> {
    const { extraction, file } = await this.get(principal, id);
    // The new run writes its result to the same path, replacing the old one.
    const restarted = await this.db.transaction().execute((tx) => this.dispatch(tx, extraction, file));
    return { extraction: restarted.extraction, file: await this.fileOf(extraction), messageId: restarted.messageId };
  }

  /**
   * The index of a file's latest completed extraction (its facts and launchable items): 404 for a
   * file the principal cannot see, 409 while it has no completed extraction.
   */
  async latestResult(principal: Principal, fileId: number): Promise<ResultIndex> {
    return this.results.index((await this.latestCompleted(principal, fileId)).extraction);
  }

  /** A file's latest completed extraction: 404 for a file the principal cannot see, 409 while there is none. */
  async latestCompleted(principal: Principal, fileId: number): Promise<ExtractionWithFile> {
    const file = await this.files.findVisible(principal, fileId);
    if (!file) throw new NotFoundError('scorm_file_not_found', `SCORM file ${fileId} was not found.`);
    const completed = latestCompletedOf(await this.extractions.listForFiles([file.id]));
    if (!completed) throw new ConflictError('extraction_not_completed', `SCORM file ${fileId} has no completed extraction yet.`);
    return { extraction: completed, file };
  }

  /** A fresh link to a completed extraction's result; null once it is gone or not completed. */
  async downloadLink(extractionId: number, ttlSeconds: number): Promise<string | null> {
    const extraction = await this.extractions.findById(extractionId);
    if (!extraction || extraction.deleted_at !== null || extraction.status !== 'completed' || !extraction.final_output_path) return null;
    return this.storage.downloadUrl(extraction.final_output_path, ttlSeconds);
  }

  private async fileOf(extraction: ContentExtraction): Promise<ScormFile> {
    const file = await this.files.findById(extraction.scorm_file_id);
    if (!file) throw new Error(`extraction ${extraction.id} has no file`);
    return file;
  }
}
