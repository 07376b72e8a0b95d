import { Type, type Static } from 'typebox';
import { BodyId, Nullable } from '../../http/schemas.js';
import { contentExtractionStatuses } from '../../infra/db/schema.js';

const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC.' });

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
