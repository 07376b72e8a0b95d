import type { Db, Tx } from '../../infra/db/database.js';
import type { ContentExtraction, ScormFile } from '../../infra/db/schema.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Storage } from '../../infra/storage/storage.js';
import { NotFoundError } from '../../http/errors.js';
import type { Principal } from '../accounts/principal.js';
import type { ContentExtractionsRepository } from './extractions-repository.js';
import type { ScormFileFilter, ScormFileSort, ScormFilesRepository } from './files-repository.js';
import { PREPARE_SCORM_FILE, type PrepareScormFilePayload } from './jobs.js';
import { fileLifecycle } from './lifecycle.js';
import { displayName, packageKey, storageName } from './storage-keys.js';

export interface ScormFileWithExtractions {
  file: ScormFile;
  extractions: ContentExtraction[];
}

interface NewFileInput {
  fileName: string;
  batchName: string | null;
  clientIp: string;
}

export class ScormFilesService {
  constructor(
    private readonly db: Db,
    private readonly files: ScormFilesRepository,
    private readonly extractions: ContentExtractionsRepository,
    private readonly queue: JobQueue,
    private readonly storage: Storage,
  ) {}

  /**
   * Records an uploaded file: the row, the stored object and the preparation job commit together,
   * so a failure at any step leaves neither a row nor an object behind.
   */
  async upload(principal: Principal, input: NewFileInput & { tempPath: string; size: number }): Promise<ScormFile> {
    let placedKey: string | undefined;
    try {
      return await this.db.transaction().execute(async (tx) => {
        const file = await this.insert(tx, principal, input, { file_size_bytes: input.size, public_url: null });
        const key = file.storage_path as string;
        await this.storage.putFile(key, input.tempPath);
        placedKey = key;
        await this.enqueuePreparation(tx, file);
        return file;
      });
    } catch (error) {
      if (placedKey) await this.storage.delete(placedKey).catch(() => undefined);
      throw error;
    }
  }

  /** Records a file to be downloaded from a public URL by the worker. */
  registerPublicUrl(principal: Principal, input: NewFileInput & { publicUrl: string }): Promise<ScormFile> {
    return this.db.transaction().execute(async (tx) => {
      const file = await this.insert(tx, principal, input, { file_size_bytes: null, public_url: input.publicUrl });
      await this.enqueuePreparation(tx, file);
      return file;
    });
  }

  private async insert(
    tx: Tx,
    principal: Principal,
    input: NewFileInput,
    source: { file_size_bytes: number | null; public_url: string | null },
  ): Promise<ScormFile> {
    const now = Date.now();
    const fileName = displayName(input.fileName);
    const inserted = await this.files.insert(tx, {
      organization_id: principal.organizationId,
      user_id: principal.userId,
      api_key_id: principal.apiKeyId,
      api_key_name: principal.apiKeyName,
      file_name: fileName,
      status: 'processing',
      storage_path: null,
      batch_name: input.batchName,
      file_size_bytes: source.file_size_bytes,
      public_url: source.public_url,
      client_ip: input.clientIp,
      remark: source.public_url === null ? fileLifecycle.uploaded : fileLifecycle.urlRegistered,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    });
    const withPath = await this.files.update(tx, inserted.id, {
      storage_path: packageKey(principal.organizationSlug, inserted.id, storageName(fileName)),
    });
    return withPath ?? inserted;
  }

  private async enqueuePreparation(tx: Tx, file: ScormFile): Promise<void> {
    const payload: PrepareScormFilePayload = { scormFileId: file.id };
    await this.queue.send(PREPARE_SCORM_FILE, payload, { tx });
  }

  async get(principal: Principal, id: number): Promise<ScormFileWithExtractions> {
    const file = await this.files.findVisible(principal, id);
    if (!file) throw new NotFoundError('scorm_file_not_found', `SCORM file ${id} was not found.`);
    return { file, extractions: await this.extractions.listForFiles([file.id]) };
  }

  /** The files of these ids the principal may see (the panel's live status). */
  visibleMany(principal: Principal, ids: number[]): Promise<ScormFile[]> {
    return this.files.findVisibleMany(principal, ids);
  }

  /** The batch names among the files the principal sees, for filtering. */
  batchNames(principal: Principal): Promise<string[]> {
    return this.files.batchNames(principal);
  }

  async page(
    principal: Principal,
    filter: ScormFileFilter,
    offset: number,
    limit: number,
    sort?: ScormFileSort,
  ): Promise<{ count: number; rows: ScormFileWithExtractions[] }> {
    const { count, rows } = await this.files.page(principal, filter, offset, limit, sort);
    const byFile = new Map<number, ContentExtraction[]>();
    for (const extraction of await this.extractions.listForFiles(rows.map((f) => f.id))) {
      byFile.set(extraction.scorm_file_id, [...(byFile.get(extraction.scorm_file_id) ?? []), extraction]);
    }
    return { count, rows: rows.map((file) => ({ file, extractions: byFile.get(file.id) ?? [] })) };
  }

  /** Soft delete: the file and its extractions disappear from the API but stay recoverable. */
  async delete(principal: Principal, id: number): Promise<void> {
    const file = await this.files.findVisible(principal, id);
    if (!file) throw new NotFoundError('scorm_file_not_found', `SCORM file ${id} was not found.`);
    // Inside a transaction every query goes through tx: SQLite has one connection.
    await this.db.transaction().execute(async (tx) => {
      await this.files.update(tx, id, { deleted_at: Date.now(), deleted_by: principal.userId });
      await this.extractions.softDeleteForFile(tx, id, principal.userId);
    });
  }
}
