import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { lrs, lrsCredentials, newId, statement } from '../support/lrs.js';

let harness: Harness;
let auth: string;

beforeAll(async () => {
  harness = await startHarness({ env: { LENS_XAPI_DEFAULT_VERSION: '2.0.0' } });
  auth = await lrsCredentials(harness, await harness.createTenant('Acme'));
});
afterAll(() => harness.close());

const teamwork = {
  contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:coach@example.com' }, relevantTypes: ['https://example.com/types/coach'] }],
  contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', mbox: 'mailto:team@example.com' } }],
};

describe('xAPI 2.0 where it differs from 1.0.3', () => {
  it('answers each request in the version it names, and one naming none in the configured default', async () => {
    const named = await lrs(harness, auth, 'statements', { version: '1.0.3' });
    expect(named.headers['x-experience-api-version']).toBe('1.0.3');
    const none = await lrs(harness, auth, 'statements', { version: null });
    expect(none.statusCode).toBe(400);
    expect(none.headers['x-experience-api-version']).toBe('2.0.0');
    expect((await lrs(harness, auth, 'statements', { version: '2.0.0' })).headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('takes contextAgents and contextGroups in 2.0 statements only, and finds them with related_agents', async () => {
    const in103 = await lrs(harness, auth, 'statements', { version: '1.0.3', body: statement({ context: teamwork }) });
    expect(in103.statusCode).toBe(400);
    const stored = await lrs(harness, auth, 'statements', { version: '2.0.0', body: statement({ context: teamwork }) });
    expect(stored.statusCode, stored.body).toBe(200);
    const bad = { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:coach@example.com' }, relevantTypes: [] }] };
    expect((await lrs(harness, auth, 'statements', { version: '2.0.0', body: statement({ context: bad }) })).statusCode).toBe(400);
    const found = await lrs(harness, auth, 'statements', { version: '2.0.0', query: { agent: { mbox: 'mailto:coach@example.com' }, related_agents: 'true' } });
    expect(found.json().statements.map((s: { id: string }) => s.id)).toEqual(stored.json());
  });

  it('refuses the alternate request syntax in 2.0', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ statementId: newId(), Authorization: auth, 'X-Experience-API-Version': '2.0.0', content: JSON.stringify(statement()) }).toString(),
    });
    expect(response.statusCode).toBe(400);
  });

  it('needs a precondition to replace an existing state document in 2.0, not in 1.0.3', async () => {
    const keys = { activityId: 'https://example.com/a', agent: { mbox: 'mailto:ada@example.com' }, stateId: 'bookmark' };
    expect((await lrs(harness, auth, 'activities/state', { version: '2.0.0', method: 'PUT', query: keys, body: { page: 1 } })).statusCode).toBe(204);
    expect((await lrs(harness, auth, 'activities/state', { version: '1.0.3', method: 'PUT', query: keys, body: { page: 2 } })).statusCode).toBe(204);
    expect((await lrs(harness, auth, 'activities/state', { version: '2.0.0', method: 'PUT', query: keys, body: { page: 3 } })).statusCode).toBe(409);
  });

  it('compares durations to the hundredth of a second when a statement is sent again', async () => {
    const id = newId();
    const put = (duration: string) => lrs(harness, auth, 'statements', { method: 'PUT', query: { statementId: id }, body: statement({ result: { duration } }) });
    expect((await put('PT1.2345S')).statusCode).toBe(204);
    expect((await put('PT1.23S')).statusCode).toBe(204);
    expect((await put('PT1.24S')).statusCode).toBe(409);
  });
});
