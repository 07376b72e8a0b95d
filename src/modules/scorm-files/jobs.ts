/** The package lifecycle's queues and their payloads: the API sends them, the worker runs them. */
export const PREPARE_SCORM_FILE = 'scorm-file-prepare';
export interface PrepareScormFilePayload {
  scormFileId: number;
}

export const RUN_CONTENT_EXTRACTION = 'content-extraction-run';
export interface RunContentExtractionPayload {
  contentExtractionId: number;
}
