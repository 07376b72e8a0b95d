import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, upload } from '../support/api.js';
import { MAX_DEPTH } from '../../src/http/input-guard.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { createCollection, createContext, expectRefused, Learner } from '../support/progress.js';

// Requests no handler could take whole are refused before anything is written: text holding NUL
// (U+0000), which JSON (\u0000), URLs and forms (%00) can carry but PostgreSQL cannot store, on
// either database; and bodies nested deeper than recursive code can follow.

let harness: Harness;
let acme: Tenant;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
  await createCollection(harness.app, acme.manager.key, { identifier: 'course', contents: [{ contentId: 'lesson' }] });
  await createContext(harness.app, acme.manager.key, { identifier: 'batch', collectionId: 'course' });
});
afterAll(() => harness.close());

const NUL = 'a\u0000b';
const refusal = (field: string) => ({ code: 'nul_character', message: `${field} must not contain NUL characters (U+0000)`, details: { field } });

describe('text with a NUL character', () => {
  it.each([
    ['POST', '/v1/collections', { identifier: 'c2', name: NUL, contents: [{ contentId: 'x', name: 'X' }] }, 'name'],
    ['POST', '/v1/collections', { identifier: 'c3', name: 'C', contents: [{ contentId: 'x', name: 'X' }, { contentId: NUL, name: 'Y' }] }, 'contents[1].contentId'],
    ['PATCH', '/v1/collections/course', { description: NUL }, 'description'],
    ['GET', '/v1/collections/a%00b', undefined, 'identifier'],
    ['POST', '/v1/contexts', { identifier: 'b2', collectionId: 'course', name: 'B', enrollment: 'open', certificate: { name: NUL } }, 'certificate.name'],
    ['GET', '/v1/contexts?collectionId=a%00b', undefined, 'collectionId'],
    ['POST', '/v1/contexts/batch/enrollments', { userIds: ['fine', NUL] }, 'userIds[1]'],
    ['DELETE', '/v1/contexts/batch/enrollments/a%00b', undefined, 'userId'],
    ['POST', '/v1/auth/learner-token', { userId: 'fine', name: NUL }, 'name'],
    ['POST', '/v1/api-keys/', { name: NUL }, 'name'],
    ['GET', '/v1/scorm-files/?batch_name=a%00b', undefined, 'batch_name'],
    ['POST', '/v1/scorm-files/upload/', { public_url: 'https://example.com/course.zip', batch_name: NUL }, 'batch_name'],
    ['GET', '/v1/certificates/a%00b', undefined, 'token'],
  ] as const)('%s %s is refused with 400 nul_character naming %s', async (method, url, body, field) => {
    const response = await harness.app.inject({ method, url, headers: { 'x-api-key': acme.manager.key }, ...(body ? { payload: body } : {}) });
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 400, body: refusal(field) });
  });

  it('refuses a multipart upload whose batch_name holds one, keeping no file', async () => {
    const response = await upload(harness.app, acme.manager.key, { batchName: NUL, file: { data: 'PK\u0005\u0006'.padEnd(22, '\u0000'), name: 'x.zip' } });
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 400, body: refusal('batch_name') });
    expect((await get(harness.app, acme.manager.key, '/v1/scorm-files/')).json()).toMatchObject({ count: 0 });
  });

  it('refuses in the envelope of the progress API, naming the field', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'reader');
    const list = await harness.app.inject({
      method: 'GET',
      url: '/v1/summary/list/a%00b',
      headers: { authorization: `Bearer ${acme.manager.key}`, 'x-authenticated-user-token': learner.token },
    });
    expectRefused(list, 'api.summary.list', null, 'BAD_REQUEST', { userId: 'userId must not contain NUL characters (U+0000)' });
    const update = await learner.update({ contentId: 'lesson', collectionId: 'course', contextId: 'batch' }, { mimetype: NUL, progress: 5 }, 1, { msgid: 'n' });
    expectRefused(update, 'api.view.update', 'n', 'BAD_REQUEST', {
      'request.progressDetails.mimetype': 'request.progressDetails.mimetype must not contain NUL characters (U+0000)',
    });
  });

  it('wrote nothing for any of them', async () => {
    const collections = (await get(harness.app, acme.manager.key, '/v1/collections')).json<{ results: { identifier: string; description: string | null }[] }>();
    expect(collections.results).toEqual([expect.objectContaining({ identifier: 'course', description: null })]);
    expect((await get(harness.app, acme.manager.key, '/v1/contexts')).json()).toMatchObject({ count: 1 });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/batch/enrollments')).json()).toMatchObject({ count: 0 });
    const keys = (await get(harness.app, acme.manager.key, '/v1/api-keys/')).json<{ results: { name: string }[] }>();
    expect(keys.results.every((key) => !key.name.includes('\u0000'))).toBe(true);
  });
});

describe('nesting', () => {
  /** `{"a": {"a": … 1}}` with `levels` objects. */
  const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });
  const TOO_DEEP = { code: 'json_too_deep', message: `The request nests objects and arrays more than ${MAX_DEPTH} levels deep.` };

  it(`takes a body ${MAX_DEPTH} levels deep, and refuses one level more, in the progress envelope`, async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'nester');
    const ref = { contentId: 'lesson', collectionId: 'course', contextId: 'batch' };
    // The envelope and request.progressDetails are the first two levels.
    const deepest = await learner.update(ref, { progress: 5, nested: nested(MAX_DEPTH - 3) }, 1, { msgid: 'deepest' });
    expect(deepest.statusCode, deepest.body).toBe(200);
    const deeper = await learner.update(ref, { progress: 50, nested: nested(MAX_DEPTH - 2) }, 1, { msgid: 'deeper' });
    expectRefused(deeper, 'api.view.update', 'deeper', 'BAD_REQUEST', { request: TOO_DEEP.message });
    expect(await learner.view(ref)).toMatchObject({ progress: 5, timeSpent: 1 });
  });

  it('refuses a body nested a hundred thousand levels deep with 400, not a crash', async () => {
    const depth = 100_000;
    const payload = '['.repeat(depth) + ']'.repeat(depth);
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/collections',
      headers: { 'x-api-key': acme.manager.key, 'content-type': 'application/json' },
      payload,
    });
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 400, body: TOO_DEEP });
  });
});
