import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { lrs, lrsCredentials, newId } from '../support/lrs.js';

let harness: Harness;
let acme: Tenant;
let auth: string;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme');
  auth = await lrsCredentials(harness, acme);
});
afterAll(() => harness.close());

const agent = { objectType: 'Agent', mbox: 'mailto:ada@example.com' };
const activityId = 'http://example.com/activities/course';

describe('activities/state', () => {
  const keys = (stateId?: string, extra: Record<string, string | object> = {}) => ({ activityId, agent, ...(stateId ? { stateId } : {}), ...extra });

  it('stores a document of any type and hands it back with its content type, ETag and Last-Modified', async () => {
    const put = await lrs(harness, auth, 'activities/state', { method: 'PUT', query: keys('bookmark'), raw: 'page=7', contentType: 'text/plain' });
    expect(put.statusCode).toBe(204);
    const got = await lrs(harness, auth, 'activities/state', { query: keys('bookmark') });
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe('page=7');
    expect(got.headers['content-type']).toMatch(/^text\/plain/);
    expect(got.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(got.headers['last-modified']).toBeDefined();
    // A state PUT over an existing one needs no precondition.
    expect((await lrs(harness, auth, 'activities/state', { method: 'PUT', query: keys('bookmark'), raw: 'page=8', contentType: 'text/plain' })).statusCode).toBe(204);
    expect((await lrs(harness, auth, 'activities/state', { query: keys('bookmark') })).body).toBe('page=8');
  });

  it('POST merges JSON objects, and refuses to merge anything else', async () => {
    await lrs(harness, auth, 'activities/state', { method: 'POST', query: keys('progress'), body: { page: 1, answers: { q1: 'a' } } });
    await lrs(harness, auth, 'activities/state', { method: 'POST', query: keys('progress'), body: { page: 2, score: 5 } });
    const merged = await lrs(harness, auth, 'activities/state', { query: keys('progress') });
    expect(merged.json()).toEqual({ page: 2, answers: { q1: 'a' }, score: 5 });
    const notJson = await lrs(harness, auth, 'activities/state', { method: 'POST', query: keys('progress'), raw: 'page=3', contentType: 'text/plain' });
    expect(notJson.statusCode).toBe(400);
    await lrs(harness, auth, 'activities/state', { method: 'PUT', query: keys('plain'), raw: 'text', contentType: 'text/plain' });
    const intoText = await lrs(harness, auth, 'activities/state', { method: 'POST', query: keys('plain'), body: { a: 1 } });
    expect(intoText.statusCode).toBe(400);
  });

  it('keeps states of different registrations and agents apart, lists ids with since, and deletes one or all', async () => {
    const registration = newId();
    const other = { mbox: 'mailto:bob@example.com' };
    await lrs(harness, auth, 'activities/state', { method: 'PUT', query: keys('s1', { registration }), body: { r: 1 } });
    await lrs(harness, auth, 'activities/state', { method: 'PUT', query: { activityId, agent: other, stateId: 's1' }, body: { bob: true } });
    expect((await lrs(harness, auth, 'activities/state', { query: keys('s1') })).statusCode).toBe(404);
    expect((await lrs(harness, auth, 'activities/state', { query: keys('s1', { registration }) })).json()).toEqual({ r: 1 });
    const listed = await lrs(harness, auth, 'activities/state', { query: keys(undefined, { registration }) });
    expect(listed.json()).toEqual(['s1']);
    const later = await lrs(harness, auth, 'activities/state', { query: keys(undefined, { since: new Date(Date.now() + 60_000).toISOString() }) });
    expect(later.json()).toEqual([]);

    expect((await lrs(harness, auth, 'activities/state', { method: 'DELETE', query: keys('s1', { registration }) })).statusCode).toBe(204);
    expect((await lrs(harness, auth, 'activities/state', { query: keys('s1', { registration }) })).statusCode).toBe(404);
    expect((await lrs(harness, auth, 'activities/state', { method: 'DELETE', query: keys() })).statusCode).toBe(204);
    expect((await lrs(harness, auth, 'activities/state', { query: keys() })).json()).toEqual([]);
    // Bob's state was not Ada's to delete.
    expect((await lrs(harness, auth, 'activities/state', { query: { activityId, agent: other, stateId: 's1' } })).json()).toEqual({ bob: true });
  });

  it('refuses missing or malformed keys', async () => {
    expect((await lrs(harness, auth, 'activities/state', { query: { agent, stateId: 'x' } })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'activities/state', { query: { activityId, stateId: 'x' } })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'activities/state', { query: { activityId, agent: { name: 'nobody' }, stateId: 'x' } })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'activities/state', { query: keys('x', { registration: 'not-a-uuid' }) })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'activities/state', { method: 'PUT', query: keys(), body: {} })).statusCode).toBe(400);
  });

  it('is invisible to another organization', async () => {
    await lrs(harness, auth, 'activities/state', { method: 'PUT', query: keys('secret'), body: { acme: true } });
    const globex = await harness.createTenant('Globex');
    const globexAuth = await lrsCredentials(harness, globex);
    expect((await lrs(harness, globexAuth, 'activities/state', { query: keys('secret') })).statusCode).toBe(404);
    expect((await lrs(harness, globexAuth, 'activities/state', { query: keys() })).json()).toEqual([]);
  });
});

describe.each([
  { resource: 'activities/profile', keys: { activityId } },
  { resource: 'agents/profile', keys: { agent } },
])('$resource', ({ resource, keys }) => {
  it('needs If-None-Match to create a document (400) or If-Match to replace it (409), and refuses a stale ETag (412)', async () => {
    const profileId = `profile-${newId()}`;
    const query = { ...keys, profileId };
    expect((await lrs(harness, auth, resource, { method: 'PUT', query, body: { v: 1 } })).statusCode).toBe(400);
    expect((await lrs(harness, auth, resource, { method: 'PUT', query, body: { v: 1 }, headers: { 'if-none-match': '*' } })).statusCode).toBe(204);
    expect((await lrs(harness, auth, resource, { method: 'PUT', query, body: { v: 1 }, headers: { 'if-none-match': '*' } })).statusCode).toBe(412);
    expect((await lrs(harness, auth, resource, { method: 'PUT', query, body: { v: 2 } })).statusCode).toBe(409);
    const etag = (await lrs(harness, auth, resource, { query })).headers.etag as string;
    expect((await lrs(harness, auth, resource, { method: 'PUT', query, body: { v: 2 }, headers: { 'if-match': etag } })).statusCode).toBe(204);
    // The first ETag is stale now: a client that read before the change cannot overwrite it.
    expect((await lrs(harness, auth, resource, { method: 'PUT', query, body: { v: 3 }, headers: { 'if-match': etag } })).statusCode).toBe(412);
    expect((await lrs(harness, auth, resource, { method: 'DELETE', query, headers: { 'if-match': etag } })).statusCode).toBe(412);
    expect((await lrs(harness, auth, resource, { query })).json()).toEqual({ v: 2 });
    const fresh = (await lrs(harness, auth, resource, { query })).headers.etag as string;
    expect((await lrs(harness, auth, resource, { method: 'DELETE', query, headers: { 'if-match': fresh } })).statusCode).toBe(204);
    expect((await lrs(harness, auth, resource, { query })).statusCode).toBe(404);
  });

  it('lists profile ids, merges JSON with POST, and needs a profileId to write or delete', async () => {
    const profileId = `merge-${newId()}`;
    const query = { ...keys, profileId };
    await lrs(harness, auth, resource, { method: 'POST', query, body: { a: 1 } });
    await lrs(harness, auth, resource, { method: 'POST', query, body: { b: 2 } });
    expect((await lrs(harness, auth, resource, { query })).json()).toEqual({ a: 1, b: 2 });
    expect((await lrs(harness, auth, resource, { query: keys })).json()).toContain(profileId);
    expect((await lrs(harness, auth, resource, { method: 'DELETE', query: keys })).statusCode).toBe(400);
    expect((await lrs(harness, auth, resource, { method: 'PUT', query: keys, body: {} })).statusCode).toBe(400);
  });
});
