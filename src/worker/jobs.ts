/** Queue names and payloads shared by the API (which sends) and the worker (which handles). */
export const PREPARE_SCORM_FILE = 'scorm-file-prepare';
export interface PrepareScormFilePayload {
  scormFileId: number;
}

export const RUN_CONTENT_EXTRACTION = 'content-extraction-run';
export interface RunContentExtractionPayload {
  contentExtractionId: number;
}
