import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('GET /health/', () => {
  it('reports healthy with version, timestamp and service, without an API key', async () => {
    const response = await get(harness.app, undefined, '/health/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'healthy',
      version: 'v1',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      service: 'SCORM Lens API',
    });
  });

  it('reports unhealthy with 503 when the database is unreachable', async () => {
    const broken = await startHarness();
    await broken.context.database.close();
    const response = await get(broken.app, undefined, '/health/');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unhealthy', version: 'v1', service: 'SCORM Lens API' });
    await broken.close().catch(() => undefined);
  });
});

describe('API documentation', () => {
  it('publishes OpenAPI 3.1 for every endpoint, with the API key scheme', async () => {
    const response = await get(harness.app, undefined, '/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-KEY' });
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/scorm-files/upload/',
        'GET /v1/scorm-files/',
        'GET /v1/scorm-files/{id}/',
        'DELETE /v1/scorm-files/{id}/',
        'POST /v1/content-extractions/',
        'GET /v1/content-extractions/',
        'GET /v1/content-extractions/{id}/',
        'POST /v1/content-extractions/{id}/restart/',
        'GET /v1/content-extractions/{id}/markdown',
        'GET /health/',
      ]),
    );
    const upload = document.paths['/v1/scorm-files/upload/'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/json', 'multipart/form-data']);
  });

  it('serves the human docs and their assets from the service itself', async () => {
    const page = await get(harness.app, undefined, '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const css = await get(harness.app, undefined, '/docs/static/swagger-ui.css');
    expect(css.statusCode).toBe(200);
  });
});

describe('unknown routes', () => {
  it('answer JSON with a stable code', async () => {
    const response = await get(harness.app, undefined, '/v2/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'route_not_found', message: 'No route GET /v2/nothing.' });
  });
});
