import { randomUUID } from 'node:crypto';
import type { Harness, Tenant } from './harness.js';

/** Basic credentials of a tenant's LRS, created through the API as a manager would. */
export async function lrsCredentials(harness: Harness, tenant: Tenant): Promise<string> {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/v1/xapi-credentials/',
    headers: { 'x-api-key': tenant.manager.key },
    payload: { name: 'Course player' },
  });
  if (response.statusCode !== 201) throw new Error(`credentials: ${response.statusCode} ${response.body}`);
  const { key, secret } = response.json() as { key: string; secret: string };
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

export interface LrsRequest {
  method?: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  query?: Record<string, string | object | undefined>;
  body?: unknown;
  /** Raw bytes, sent with contentType. */
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
  version?: string | null;
}

/** A request to the LRS as an xAPI client sends it: version header, Basic credentials, JSON. */
export function lrs(harness: Harness, authorization: string | undefined, path: string, request: LrsRequest = {}) {
  const query = Object.entries(request.query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`);
  const version = request.version === undefined ? '1.0.3' : request.version;
  const headers: Record<string, string> = {
    ...(version === null ? {} : { 'x-experience-api-version': version }),
    ...(authorization ? { authorization } : {}),
    ...request.headers,
  };
  let payload: string | Buffer | undefined;
  if (request.raw !== undefined) {
    payload = request.raw;
    headers['content-type'] = request.contentType ?? 'application/octet-stream';
  } else if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    headers['content-type'] = request.contentType ?? 'application/json';
  }
  return harness.app.inject({
    method: request.method ?? (request.body !== undefined || request.raw !== undefined ? 'POST' : 'GET'),
    url: `/xapi/${path}${query.length > 0 ? `?${query.join('&')}` : ''}`,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
}

/** A statement of a learner on an activity, with whatever else a test adds. */
export function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actor: { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: 'http://example.com/activities/intro' },
    ...overrides,
  };
}

export const newId = () => randomUUID();
