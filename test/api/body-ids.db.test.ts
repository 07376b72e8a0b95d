import { afterAll, beforeAll, expect, it } from 'vitest';
import { post } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';

// Ids in request bodies are checked against what a bigint column and JavaScript both hold exactly:
// beyond that, a refusal of the request rather than a database error.

let harness: Harness;
let acme: Tenant;
beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
});
afterAll(() => harness.close());

it.each([
  ['/v1/content-extractions/', (id: number) => ({ file_id: id }), 'scorm_file_not_found'],
  ['/v1/webhooks/', (id: number) => ({ url: 'https://example.com/hook', event: 'content_extraction_completed', owner: id }), 'user_not_found'],
  ['/v1/api-keys/', (id: number) => ({ name: 'key', user: id }), 'user_not_found'],
])('POST %s refuses an id past 2^53 as invalid and looks the largest one up', async (url, body, notFound) => {
  for (const id of [1e308, Number.MAX_SAFE_INTEGER + 1]) {
    const refused = await post(harness.app, acme.manager.key, url, body(id));
    expect({ status: refused.statusCode, code: refused.json().code }).toEqual({ status: 400, code: 'validation_failed' });
  }
  const largest = await post(harness.app, acme.manager.key, url, body(Number.MAX_SAFE_INTEGER));
  expect({ status: largest.statusCode, code: largest.json().code }).toEqual({ status: 404, code: notFound });
});
