import type { ContentExtraction, ScormFile } from '../../infra/db/schema.js';
import type { ContentExtractionPresenter } from '../content-extractions/presenter.js';
import { iso } from '../content-extractions/presenter.js';
import type { ScormFileBody, ScormFileSummary } from './schemas.js';

const BYTES_PER_MB = 1024 * 1024;

export class ScormFilePresenter {
  constructor(private readonly extractions: ContentExtractionPresenter) {}

  /** The list form: the file with its most recent extraction only. */
  async summary(file: ScormFile, extractions: ContentExtraction[]): Promise<ScormFileSummary> {
    const last = extractions.at(-1);
    return {
      id: file.id,
      file_name: file.file_name,
      user: file.user_id,
      status: file.status,
      storage_path: file.storage_path,
      batch_name: file.batch_name,
      file_size: file.file_size_bytes === null ? null : Math.round((file.file_size_bytes / BYTES_PER_MB) * 100) / 100,
      created_at: new Date(file.created_at).toISOString(),
      updated_at: new Date(file.updated_at).toISOString(),
      last_extraction: last ? await this.extractions.present(last, file) : null,
      public_url: file.public_url,
      is_deleted: file.deleted_at !== null,
      deleted_at: iso(file.deleted_at),
      deleted_by: file.deleted_by,
      remark: file.remark,
      client_ip: file.client_ip,
      api_key_name: file.api_key_name,
    };
  }

  /** The detail form: every extraction, oldest first, plus the last one. */
  async detail(file: ScormFile, extractions: ContentExtraction[]): Promise<ScormFileBody> {
    return {
      ...(await this.summary(file, extractions)),
      content_extractions: await Promise.all(extractions.map((e) => this.extractions.present(e, file))),
    };
  }
}
