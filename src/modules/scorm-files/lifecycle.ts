import type { ContentExtractionStatus, ScormFileStatus } from '../../infra/db/schema.js';

/**
 * The life of an uploaded package, in one place: which status each status may move to, and the
 * remarks that say why. Repositories apply a move only to a row in one of its `from` statuses, so
 * a late or repeated step (a retried job, a superseded run) can never move a row backwards.
 *
 *   file:        processing ──► processed ──► content_extraction_completed
 *                    │            │  ▲  ▲            │
 *                    ▼            ▼  │  └────────────┘ (extract again)
 *                  failed ◄── extraction_stalled
 *
 *   extraction:  pending ──► dispatched ──► in_progress ──► completed | failed
 *                 (restart: any status ──► dispatched, under a new queue message)
 */
export interface Move<S extends string> {
  status: S;
  from: readonly S[];
  remark: string | null;
}

const FILE_FROM: Record<ScormFileStatus, readonly ScormFileStatus[]> = {
  processing: [],
  processed: ['processing', 'processed', 'failed', 'extraction_stalled', 'content_extraction_completed'],
  failed: ['processing', 'processed', 'extraction_stalled'],
  extraction_stalled: ['processed'],
  content_extraction_completed: ['processed', 'extraction_stalled'],
};

const EXTRACTION_FROM: Record<ContentExtractionStatus, readonly ContentExtractionStatus[]> = {
  pending: [],
  dispatched: ['pending', 'dispatched', 'in_progress', 'completed', 'failed'],
  in_progress: ['dispatched'],
  completed: ['in_progress'],
  failed: ['dispatched', 'in_progress'],
};

const fileMove = (status: ScormFileStatus, remark: string): Move<ScormFileStatus> => ({ status, from: FILE_FROM[status], remark });
const extractionMove = (status: ContentExtractionStatus, remark: string | null = null): Move<ContentExtractionStatus> => ({
  status,
  from: EXTRACTION_FROM[status],
  remark,
});

/** A failure with its stable code, as `remarks` show it: "The manifest is missing. [manifest_not_found]". */
export const withCode = (message: string, code: string) => `${message} [${code}]`;

export const fileLifecycle = {
  uploaded: 'File uploaded and validation started.',
  urlRegistered: 'Public URL registered; the file will be downloaded and validated.',
  /** A package checked and stored, with an extraction on the queue. */
  ready: fileMove('processed', 'File uploaded and processed successfully.'),
  extractionCompleted: fileMove('content_extraction_completed', 'File uploaded and processed successfully.'),
  extractionFailed: (remarks: string) => fileMove('failed', `Content extraction failed: ${remarks}`),
  downloadFailed: (message: string, code: string) => fileMove('failed', `Could not download the file: ${withCode(message, code)}`),
  notAPackage: (message: string, code: string) => fileMove('failed', `The file is not a valid package: ${withCode(message, code)}`),
  preparationFailed: (message: string, code: string) => fileMove('failed', withCode(message, code)),
  stalled: (extractionId: number, minutes: number) =>
    fileMove('extraction_stalled', `Extraction ${extractionId} has made no progress for ${minutes > 0 ? `${minutes} minutes` : 'a while'}.`),
};

export const extractionLifecycle = {
  dispatched: extractionMove('dispatched'),
  started: extractionMove('in_progress'),
  completed: extractionMove('completed', 'Extraction completed.'),
  failed: (message: string, code: string) => extractionMove('failed', withCode(message, code)),
  /** A fault of ours that running again would not mend. */
  internalError: extractionMove('failed', withCode('The extraction failed on our side.', 'internal_error')),
  /** Transient faults (storage, database) that outlasted every retry. */
  gaveUp: extractionMove('failed', withCode('The extraction failed on our side after several attempts.', 'internal_error')),
};
