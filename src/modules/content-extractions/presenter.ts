import type { ContentExtraction, ScormFile } from '../../infra/db/schema.js';
import type { Storage } from '../../infra/storage/storage.js';
import type { ContentExtractionBody } from './schemas.js';

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Renders rows as the API document shows them; download links are signed fresh on every read. */
export class ContentExtractionPresenter {
  constructor(
    private readonly storage: Storage,
    private readonly linkTtlSeconds: number,
  ) {}

  async present(extraction: ContentExtraction, file: ScormFile): Promise<ContentExtractionBody> {
    const downloadable = extraction.status === 'completed' && extraction.final_output_path !== null;
    return {
      id: extraction.id,
      status: extraction.status,
      started_at: iso(extraction.started_at),
      finished_at: iso(extraction.finished_at),
      file_id: extraction.scorm_file_id,
      final_output_path: extraction.final_output_path,
      file_name: file.file_name,
      download_link:
        downloadable && extraction.final_output_path
          ? await this.storage.downloadUrl(extraction.final_output_path, this.linkTtlSeconds)
          : null,
      is_deleted: extraction.deleted_at !== null,
      deleted_at: iso(extraction.deleted_at),
      deleted_by: extraction.deleted_by,
      remarks: extraction.remarks,
    };
  }
}
