import fs from 'node:fs';
import path from 'node:path';
import type { LensApp } from '../../src/app.js';

export interface Upload {
  file?: { data: Buffer | string; name: string } | { path: string; name?: string };
  batchName?: string;
  fields?: Record<string, string>;
}

/** A multipart upload through the app, as a client would send it. */
export async function upload(app: LensApp, key: string | undefined, input: Upload) {
  const form = new FormData();
  if (input.batchName !== undefined) form.append('batch_name', input.batchName);
  for (const [name, value] of Object.entries(input.fields ?? {})) form.append(name, value);
  if (input.file) {
    if ('path' in input.file) {
      form.append('file', await fs.openAsBlob(input.file.path), input.file.name ?? path.basename(input.file.path));
    } else {
      form.append('file', new Blob([input.file.data]), input.file.name);
    }
  }
  return app.inject({
    method: 'POST',
    url: '/v1/scorm-files/upload/',
    headers: key ? { 'x-api-key': key } : {},
    payload: form,
  });
}

export function get(app: LensApp, key: string | undefined, url: string) {
  return app.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });
}

export function post(app: LensApp, key: string | undefined, url: string, body?: unknown) {
  return app.inject({
    method: 'POST',
    url,
    headers: key ? { 'x-api-key': key } : {},
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

export function patch(app: LensApp, key: string | undefined, url: string, body: unknown) {
  return app.inject({ method: 'PATCH', url, headers: key ? { 'x-api-key': key } : {}, payload: body as Record<string, unknown> });
}

export function del(app: LensApp, key: string | undefined, url: string) {
  return app.inject({ method: 'DELETE', url, headers: key ? { 'x-api-key': key } : {} });
}

/** Polls until the check returns a value, or fails with the last seen state after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
