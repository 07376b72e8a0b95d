export const SERVICE_NAME = 'SCORM Lens API';
/** The API version the health check reports; paths carry it too (`/v1/`). */
export const API_VERSION = 'v1';
