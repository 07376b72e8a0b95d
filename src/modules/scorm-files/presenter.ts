import { iso, isoOrNull } from '../../http/dates.js';
import type { ContentExtraction, ScormFile } from '../../infra/db/schema.js';
import type { Storage } from '../../infra/storage/storage.js';
import type { ContentExtractionBody, ScormFileBody, ScormFileSummary } from './schemas.js';

const BYTES_PER_MB = 1024 * 1024;

/** Renders files and extractions as the API document shows them; download links are signed fresh on every read. */
export class ScormFilePresenter {
  constructor(
    private readonly storage: Storage,
    private readonly linkTtlSeconds: number,
  ) {}

  async extraction(extraction: ContentExtraction, file: ScormFile): Promise<ContentExtractionBody> {
    const downloadable = extraction.status === 'completed' && extraction.final_output_path !== null;
    return {
      id: extraction.id,
      status: extraction.status,
      started_at: isoOrNull(extraction.started_at),
      finished_at: isoOrNull(extraction.finished_at),
      file_id: extraction.scorm_file_id,
      final_output_path: extraction.final_output_path,
      file_name: file.file_name,
      download_link:
        downloadable && extraction.final_output_path
          ? await this.storage.downloadUrl(extraction.final_output_path, this.linkTtlSeconds)
          : null,
      is_deleted: extraction.deleted_at !== null,
      deleted_at: isoOrNull(extraction.deleted_at),
      deleted_by: extraction.deleted_by,
      remarks: extraction.remarks,
    };
  }

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
      created_at: iso(file.created_at),
      updated_at: iso(file.updated_at),
      last_extraction: last ? await this.extraction(last, file) : null,
      public_url: file.public_url,
      is_deleted: file.deleted_at !== null,
      deleted_at: isoOrNull(file.deleted_at),
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
      content_extractions: await Promise.all(extractions.map((e) => this.extraction(e, file))),
    };
  }
}
