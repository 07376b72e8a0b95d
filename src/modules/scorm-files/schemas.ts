import { Type, type Static } from 'typebox';
import { BodyId, Nullable } from '../../http/schemas.js';
import { contentExtractionStatuses, scormFileStatuses } from '../../infra/db/schema.js';

const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC.' });
const ExtractionRef = Type.Ref('ContentExtraction');

const scormFileFields = {
  id: Type.Integer({ description: 'Unique identifier of the SCORM file.' }),
  file_name: Type.String({ description: 'Name of the file as uploaded.' }),
  user: Type.Integer({ description: 'User id of the uploader.' }),
  status: Type.Enum(scormFileStatuses, {
    description: 'processing, processed, failed, extraction_stalled or content_extraction_completed.',
  }),
  storage_path: Nullable(Type.String({ description: '<org-slug>/scorm-files/<id>/<file name made safe for storage>' })),
  batch_name: Nullable(Type.String()),
  file_size: Nullable(Type.Number({ description: 'Size in MB (MiB), two decimals.' })),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_extraction: Nullable(ExtractionRef),
  public_url: Nullable(Type.String()),
  is_deleted: Type.Boolean(),
  deleted_at: Nullable(Timestamp),
  deleted_by: Nullable(Type.Integer()),
  remark: Nullable(Type.String()),
  client_ip: Nullable(Type.String()),
  api_key_name: Nullable(Type.String({ description: 'Name of the API key the file was uploaded with.' })),
};

/** A file as lists show it: only its last extraction. */
export const ScormFileSummary = Type.Object(scormFileFields, { $id: 'ScormFileSummary', title: 'ScormFileSummary' });
export type ScormFileSummary = Static<typeof ScormFileSummary>;

/** A file with every extraction. */
export const ScormFileBody = Type.Object(
  { ...scormFileFields, content_extractions: Type.Array(ExtractionRef) },
  { $id: 'ScormFile', title: 'ScormFile' },
);
export type ScormFileBody = Static<typeof ScormFileBody>;

export const UploadJsonBody = Type.Object(
  {
    public_url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of a package to download.' }),
    batch_name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  },
  { additionalProperties: false },
);

export const UploadResponse = Type.Object({
  scorm_file_id: Type.Integer(),
  file_name: Type.String(),
  scorm_file: Type.Ref('ScormFile'),
  message: Type.String(),
});

export const ListScormFilesQuery = Type.Object({
  status: Type.Optional(Type.Enum(scormFileStatuses)),
  batch_name: Type.Optional(Type.String()),
});

export const ContentExtractionBody = Type.Object(
  {
    id: Type.Integer({ description: 'Unique identifier of the extraction.' }),
    status: Type.Enum(contentExtractionStatuses, { description: 'pending, dispatched, in_progress, completed or failed.' }),
    started_at: Nullable(Timestamp),
    finished_at: Nullable(Timestamp),
    file_id: Type.Integer({ description: 'The SCORM file this extraction belongs to.' }),
    final_output_path: Nullable(Type.String({ description: 'Storage path of the result JSON.' })),
    file_name: Type.String({ description: 'Name of the original SCORM file.' }),
    download_link: Nullable(Type.String({ description: 'Signed, expiring link to the result JSON.' })),
    is_deleted: Type.Boolean(),
    deleted_at: Nullable(Timestamp),
    deleted_by: Nullable(Type.Integer()),
    remarks: Nullable(Type.String()),
  },
  { $id: 'ContentExtraction', title: 'ContentExtraction' },
);
export type ContentExtractionBody = Static<typeof ContentExtractionBody>;

export const CreateContentExtractionBody = Type.Object(
  { file_id: BodyId('Id of the SCORM file to extract.') },
  { additionalProperties: false },
);
