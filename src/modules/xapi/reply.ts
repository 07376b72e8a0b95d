/** What a resource of the LRS answers: a status, and JSON or bytes of a content type, with headers. */
export interface XapiReply {
  status: number;
  json?: unknown;
  body?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}
