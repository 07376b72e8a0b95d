import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { ISO } from '../support/progress.js';
import { lrs, lrsCredentials, newId, statement } from '../support/lrs.js';

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

let harness: Harness;
let acme: Tenant;
let globex: Tenant;
let auth: string;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
  auth = await lrsCredentials(harness, acme);
});
afterAll(() => harness.close());

async function store(sent: unknown, authorization = auth): Promise<string[]> {
  const response = await lrs(harness, authorization, 'statements', { body: sent });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as string[];
}

async function fetchOne(id: string, parameter = 'statementId') {
  return lrs(harness, auth, 'statements', { query: { [parameter]: id } });
}

describe('storing statements', () => {
  it('stores a statement and hands it back with id, timestamp, stored, authority and version set', async () => {
    const [id] = await store(statement());
    const response = await fetchOne(id!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-experience-api-version']).toBe('1.0.3');
    expect(response.headers['x-experience-api-consistent-through']).toMatch(ISO);
    expect(response.headers['last-modified']).toBeDefined();
    const stored = response.json();
    expect(stored).toMatchObject({ ...statement(), id, version: '1.0.0' });
    expect(stored.stored).toMatch(ISO);
    expect(stored.timestamp).toBe(stored.stored);
    expect(stored.authority).toMatchObject({ objectType: 'Agent', account: { homePage: 'http://lens.test', name: expect.stringMatching(/^lrs_/) } });
  });

  it('keeps the timestamp and version a client sends, and overrides the authority it claims', async () => {
    const sent = statement({ timestamp: '2024-03-01T10:00:00.123+02:00', version: '1.0.3', authority: { mbox: 'mailto:forged@example.com' } });
    const [id] = await store(sent);
    const stored = (await fetchOne(id!)).json();
    expect(stored.timestamp).toBe('2024-03-01T10:00:00.123+02:00');
    expect(stored.version).toBe('1.0.3');
    expect(stored.authority.mbox).toBeUndefined();
  });

  it('stores a batch in order and returns the ids in the same order', async () => {
    const given = newId();
    const ids = await store([statement(), statement({ id: given }), statement()]);
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(given);
    for (const id of ids) expect((await fetchOne(id)).statusCode).toBe(200);
  });

  it('PUT stores under the statementId; the same statement again is accepted, a different one is a 409', async () => {
    const id = newId();
    const put = (body: unknown) => lrs(harness, auth, 'statements', { method: 'PUT', query: { statementId: id }, body });
    const parent = 'http://example.com/courses/intro';
    expect((await put(statement({ context: { contextActivities: { parent: { id: parent } } } }))).statusCode).toBe(204);
    // The same statement with its id in upper case and its context activity in an array of one is still the same.
    const same = await put(statement({ id: id.toUpperCase(), context: { contextActivities: { parent: [{ id: parent }] } } }));
    expect(same.statusCode).toBe(204);
    const conflict = await put(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/failed' }, context: { contextActivities: { parent: [{ id: parent }] } } }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('statement_conflict');
    expect((await fetchOne(id)).json().verb.id).toBe('http://adlnet.gov/expapi/verbs/experienced');
    // A POSTed batch holding a conflicting statement stores none of its statements.
    const innocent = newId();
    const batch = await lrs(harness, auth, 'statements', {
      body: [statement({ id: innocent }), statement({ id, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } })],
    });
    expect(batch.statusCode).toBe(409);
    expect((await fetchOne(innocent)).statusCode).toBe(404);
  });

  it('PUT needs a statementId that agrees with the statement', async () => {
    expect((await lrs(harness, auth, 'statements', { method: 'PUT', body: statement() })).statusCode).toBe(400);
    const other = await lrs(harness, auth, 'statements', { method: 'PUT', query: { statementId: newId() }, body: statement({ id: newId() }) });
    expect(other.statusCode).toBe(400);
  });

  it('refuses a whole batch when one statement is invalid or two share an id, and stores nothing', async () => {
    const good = newId();
    const invalid = await lrs(harness, auth, 'statements', { body: [statement({ id: good }), statement({ verb: { id: 'not an iri' } })] });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'invalid_statement', details: { path: 'statements[1].verb.id' } });
    const twice = newId();
    const duplicate = await lrs(harness, auth, 'statements', { body: [statement({ id: twice }), statement({ id: twice })] });
    expect(duplicate.statusCode).toBe(400);
    expect((await fetchOne(good)).statusCode).toBe(404);
    expect((await fetchOne(twice)).statusCode).toBe(404);
  });

  it('refuses identifiers that carry control characters with 400, in statements, queries and documents alike', async () => {
    const nul = { account: { homePage: 'http://example.com', name: 'ada\u0000' } };
    const cases = [
      lrs(harness, auth, 'statements', { body: statement({ verb: { id: 'http://example.com/verbs/\u0000read' } }) }),
      lrs(harness, auth, 'statements', { body: statement({ actor: { mbox: 'mailto:ada\u0000@example.com' } }) }),
      lrs(harness, auth, 'statements', { body: statement({ actor: nul }) }),
      lrs(harness, auth, 'statements', { query: { agent: { mbox: 'mailto:ada\u0001@example.com' } } }),
      lrs(harness, auth, 'activities/state', { query: { stateId: 's', activityId: 'http://example.com/a', agent: nul } }),
    ];
    for (const response of await Promise.all(cases)) expect([response.statusCode, response.json().code]).toEqual([400, expect.stringMatching(/^invalid_/)]);
  });

  it('stores exactly one statement when the same id is PUT by many clients at once', async () => {
    const id = newId();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        lrs(harness, auth, 'statements', { method: 'PUT', query: { statementId: id }, body: statement({ result: { response: `answer ${i % 2}` } }) }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 204).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 204 || status === 409)).toBe(true);
    const rows = await harness.context.database.db.selectFrom('xapi_statements').select('statement').where('statement_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    const kept = JSON.parse(rows[0]!.statement).result.response;
    // Every client that got 204 sent the statement that was kept.
    responses.forEach((response, i) => {
      if (response.statusCode === 204) expect(`answer ${i % 2}`).toBe(kept);
    });
  });
});

describe('the protocol', () => {
  it('answers 401 without credentials (with a Basic challenge), with a wrong secret, and after revocation', async () => {
    const none = await lrs(harness, undefined, 'statements');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    const [scheme, encoded] = auth.split(' ');
    const [key] = Buffer.from(encoded!, 'base64').toString().split(':');
    const wrong = `${scheme} ${Buffer.from(`${key}:not-the-secret`).toString('base64')}`;
    const refused = await lrs(harness, wrong, 'statements');
    expect(refused.statusCode).toBe(401);
    // Refused credentials get no challenge: a browser would ask the learner to sign in over the course.
    expect(refused.headers['www-authenticate']).toBeUndefined();
    const empty = await lrs(harness, undefined, 'statements', { headers: { authorization: '' } });
    expect(empty.statusCode).toBe(401);
    expect(empty.headers['www-authenticate']).toBeUndefined();
    // An API key is not an LRS credential.
    expect((await lrs(harness, `Basic ${Buffer.from(`${acme.manager.key}:x`).toString('base64')}`, 'statements')).statusCode).toBe(401);
    // Credentials that decode to bytes no database column holds (a NUL, invalid UTF-8) are unknown too.
    for (const bytes of [Buffer.from('lrs_\0abc:secret'), Buffer.from([0xff, 0xfe, 0x3a, 0x00])]) {
      expect((await lrs(harness, `Basic ${bytes.toString('base64')}`, 'statements')).statusCode).toBe(401);
    }

    const doomed = await lrsCredentials(harness, acme);
    expect((await lrs(harness, doomed, 'statements')).statusCode).toBe(200);
    const list = await harness.app.inject({ method: 'GET', url: '/v1/xapi-credentials/', headers: { 'x-api-key': acme.manager.key } });
    const doomedKey = Buffer.from(doomed.split(' ')[1]!, 'base64').toString().split(':')[0];
    const entry = (list.json() as { id: number; key: string }[]).find((credential) => credential.key === doomedKey)!;
    const revoked = await harness.app.inject({ method: 'DELETE', url: `/v1/xapi-credentials/${entry.id}/`, headers: { 'x-api-key': acme.manager.key } });
    expect(revoked.json().revoked_at).toMatch(ISO);
    expect((await lrs(harness, doomed, 'statements')).statusCode).toBe(401);
  });

  it('lets only managers manage LRS credentials, and never shows a secret again', async () => {
    const member = await harness.app.inject({ method: 'POST', url: '/v1/xapi-credentials/', headers: { 'x-api-key': acme.member.key }, payload: { name: 'x' } });
    expect(member.statusCode).toBe(403);
    const list = await harness.app.inject({ method: 'GET', url: '/v1/xapi-credentials/', headers: { 'x-api-key': acme.manager.key } });
    expect(list.body).not.toContain('secret');
    const foreign = await harness.app.inject({ method: 'GET', url: '/v1/xapi-credentials/', headers: { 'x-api-key': globex.manager.key } });
    expect(foreign.json()).toEqual([]);
  });

  it('requires a supported X-Experience-API-Version, except on the about resource', async () => {
    expect((await lrs(harness, auth, 'statements', { version: null })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'statements', { version: '0.95' })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'statements', { version: '1.0' })).statusCode).toBe(200);
    const about = await lrs(harness, undefined, 'about', { version: null });
    expect(about.statusCode).toBe(200);
    expect(about.json().version).toContain('1.0.3');
    expect(about.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const [id] = await store(statement());
    const head = await lrs(harness, auth, 'statements', { method: 'HEAD', query: { statementId: id! } });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['x-experience-api-consistent-through']).toMatch(ISO);
  });

  it('refuses unknown parameters and other parameters beside statementId', async () => {
    expect((await lrs(harness, auth, 'statements', { query: { colour: 'blue' } })).statusCode).toBe(400);
    expect((await lrs(harness, auth, 'statements', { query: { statementId: newId(), verb: VOIDED } })).statusCode).toBe(400);
  });

  it('accepts the alternate request syntax: a form POST with the method, headers and content as fields', async () => {
    const id = newId();
    const form = new URLSearchParams({
      statementId: id,
      Authorization: auth,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
      content: JSON.stringify(statement()),
    });
    const response = await harness.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    expect(response.statusCode, response.body).toBe(204);
    const read = await harness.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ statementId: id, Authorization: auth, 'X-Experience-API-Version': '1.0.3' }).toString(),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(id);
    // Other query parameters than method are refused with this syntax.
    const mixed = await harness.app.inject({
      method: 'POST',
      url: `/xapi/statements?method=GET&statementId=${id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ Authorization: auth, 'X-Experience-API-Version': '1.0.3' }).toString(),
    });
    expect(mixed.statusCode).toBe(400);
  });

  it('keeps organizations apart: another organization neither reads nor queries nor conflicts with these statements', async () => {
    const [id] = await store(statement({ verb: { id: 'http://example.com/verbs/acme-secret' } }));
    const globexAuth = await lrsCredentials(harness, globex);
    expect((await lrs(harness, globexAuth, 'statements', { query: { statementId: id! } })).statusCode).toBe(404);
    const query = await lrs(harness, globexAuth, 'statements', { query: { verb: 'http://example.com/verbs/acme-secret' } });
    expect(query.json().statements).toEqual([]);
    // The same id in another organization is another statement.
    const put = await lrs(harness, globexAuth, 'statements', { method: 'PUT', query: { statementId: id! }, body: statement({ verb: { id: 'http://example.com/verbs/globex' } }) });
    expect(put.statusCode).toBe(204);
    expect((await fetchOne(id!)).json().verb.id).toBe('http://example.com/verbs/acme-secret');
  });
});

describe('voiding', () => {
  it('a voided statement is found only by voidedStatementId; the voiding statement is a normal statement', async () => {
    const [target] = await store(statement({ verb: { id: 'http://example.com/verbs/to-void' } }));
    const [voiding] = await store(statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }));
    expect((await fetchOne(target!)).statusCode).toBe(404);
    expect((await fetchOne(target!, 'voidedStatementId')).json().id).toBe(target);
    expect((await fetchOne(voiding!)).statusCode).toBe(200);
    expect((await fetchOne(voiding!, 'voidedStatementId')).statusCode).toBe(404);
    const query = await lrs(harness, auth, 'statements', { query: { verb: 'http://example.com/verbs/to-void' } });
    // The voided statement is left out, but the voiding statement that targets it matches.
    expect(query.json().statements.map((s: { id: string }) => s.id)).toEqual([voiding]);
  });

  it('a voiding statement cannot be voided, and a voiding statement must target a StatementRef', async () => {
    const [target] = await store(statement());
    const [voiding] = await store(statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }));
    const again = await lrs(harness, auth, 'statements', { body: statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: voiding } }) });
    expect(again.statusCode).toBe(400);
    const notRef = await lrs(harness, auth, 'statements', { body: statement({ verb: { id: VOIDED } }) });
    expect(notRef.statusCode).toBe(400);
  });

  it('a statement that arrives after the statement voiding it is stored voided', async () => {
    const late = newId();
    await store(statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: late } }));
    await store(statement({ id: late }));
    expect((await fetchOne(late)).statusCode).toBe(404);
    expect((await fetchOne(late, 'voidedStatementId')).statusCode).toBe(200);
  });
});
