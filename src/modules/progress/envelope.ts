import { randomUUID } from 'node:crypto';
import { iso } from '../../http/dates.js';

export type ResponseCode = 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'SERVER_ERROR';

/**
 * A refused progress request: the HTTP status, the envelope's responseCode, and a result that
 * names the offending field (`{"request.contentId": "Content Id cannot be empty"}`).
 */
export class ProgressError extends Error {
  constructor(
    readonly statusCode: number,
    readonly responseCode: ResponseCode,
    readonly result: Record<string, string>,
  ) {
    super(Object.values(result)[0] ?? responseCode);
  }
}

export const badRequest = (field: string, message: string) => new ProgressError(400, 'BAD_REQUEST', { [field]: message });
export const unauthorized = (field: string, message: string) => new ProgressError(401, 'UNAUTHORIZED', { [field]: message });
export const forbidden = (field: string, message: string) => new ProgressError(403, 'FORBIDDEN', { [field]: message });

let lastTimestamp = { ms: Number.NaN, text: '' };

/**
 * "2021-06-23 05:37:40:575+0000", the timestamp format of the progress API document. Busy
 * servers answer many requests in the same millisecond: its text is formatted once.
 */
export function envelopeTimestamp(): string {
  const ms = Date.now();
  if (ms !== lastTimestamp.ms) {
    const text = iso(ms); // 2021-06-23T05:37:40.575Z
    lastTimestamp = { ms, text: `${text.slice(0, 10)} ${text.slice(11, 19)}:${text.slice(20, 23)}+0000` };
  }
  return lastTimestamp.text;
}

export interface Envelope {
  id: string;
  ver: 'v1';
  ts: string;
  params: { resmsgid: string; msgid: string | null; err: 'CLIENT_ERROR' | 'SERVER_ERROR' | null; status: 'success' | 'failed'; errmsg: string | null };
  responseCode: ResponseCode;
  result: unknown;
}

export function successEnvelope(apiId: string, msgid: string | null, result: unknown): Envelope {
  return {
    id: apiId,
    ver: 'v1',
    ts: envelopeTimestamp(),
    params: { resmsgid: randomUUID(), msgid, err: null, status: 'success', errmsg: null },
    responseCode: 'OK',
    result,
  };
}

export function errorEnvelope(apiId: string, msgid: string | null, error: ProgressError): Envelope {
  return {
    id: apiId,
    ver: 'v1',
    ts: envelopeTimestamp(),
    params: {
      resmsgid: randomUUID(),
      msgid,
      err: error.statusCode >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR',
      status: 'failed',
      errmsg: error.message,
    },
    responseCode: error.responseCode,
    result: error.result,
  };
}
