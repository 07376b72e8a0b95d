import { expect } from 'vitest';
import type { LensApp } from '../../src/app.js';
import { eventually, get, post, upload } from './api.js';

/** Uploads a package through the API and waits for its extraction to complete: the player needs it. */
export async function playableFile(app: LensApp, key: string, packagePath: string): Promise<number> {
  const uploaded = await upload(app, key, { file: { path: packagePath } });
  expect(uploaded.statusCode, uploaded.body).toBe(200);
  const id = uploaded.json<{ scorm_file_id: number }>().scorm_file_id;
  await eventually(
    async () => {
      const file = (await get(app, key, `/v1/scorm-files/${id}/`)).json<{ status: string }>();
      if (file.status === 'failed') throw new Error(`the extraction of ${packagePath} failed`);
      return file.status === 'content_extraction_completed' ? true : undefined;
    },
    60_000,
    `the extraction of ${packagePath}`,
  );
  return id;
}

export interface LaunchAnswer {
  launch_id: string;
  launch_url: string;
  expires_at: string;
}

export async function launchFor(app: LensApp, key: string, body: Record<string, unknown>): Promise<LaunchAnswer> {
  const response = await post(app, key, '/v1/launches', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<LaunchAnswer>();
}
