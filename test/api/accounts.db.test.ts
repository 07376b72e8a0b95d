import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { del, get, patch, post } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { ISO } from '../support/progress.js';

let harness: Harness;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
});
afterAll(() => harness.close());

describe('API keys', () => {
  it('a manager creates a key for a member; it is shown once, works, and is stored only as a hash', async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/api-keys/', { name: 'CI uploads', user: acme.member.id });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'CI uploads',
      prefix: created.key.slice(0, 10),
      user: acme.member.id,
      created_at: expect.stringMatching(ISO),
      last_used_at: null,
      revoked_at: null,
      key: expect.stringMatching(/^sl_[\w-]{32}$/),
    });
    const row = await harness.context.database.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const used = await get(harness.app, created.key, '/v1/scorm-files/');
    expect(used.statusCode).toBe(200);
    const listed = (await get(harness.app, acme.manager.key, '/v1/api-keys/')).json();
    const entry = listed.results.find((k: { id: number }) => k.id === created.id);
    expect(entry).not.toHaveProperty('key');
    expect(entry.last_used_at).toMatch(ISO);
  });

  it('a revoked key stops working at once; revoking again changes nothing', async () => {
    const { key, id } = (await post(harness.app, acme.manager.key, '/v1/api-keys/', { name: 'temporary' })).json();
    expect((await get(harness.app, key, '/v1/scorm-files/')).statusCode).toBe(200);
    const revoked = await del(harness.app, acme.manager.key, `/v1/api-keys/${id}/`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).toMatch(ISO);
    const refused = await get(harness.app, key, '/v1/scorm-files/');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('invalid_api_key');
    const again = await del(harness.app, acme.manager.key, `/v1/api-keys/${id}/`);
    expect(again.json().revoked_at).toBe(revoked.json().revoked_at);
  });

  it("never reaches another organization's keys or users", async () => {
    const theirs = (await post(harness.app, globex.manager.key, '/v1/api-keys/', { name: 'theirs' })).json();
    const revoke = await del(harness.app, acme.manager.key, `/v1/api-keys/${theirs.id}/`);
    expect(revoke.statusCode).toBe(404);
    expect(revoke.json().code).toBe('api_key_not_found');
    expect((await get(harness.app, theirs.key, '/v1/scorm-files/')).statusCode).toBe(200);
    const forOutsider = await post(harness.app, acme.manager.key, '/v1/api-keys/', { name: 'x', user: globex.member.id });
    expect(forOutsider.statusCode).toBe(404);
    expect(forOutsider.json().code).toBe('user_not_found');
    const list = (await get(harness.app, acme.manager.key, '/v1/api-keys/?page_size=100')).json();
    expect(list.results.map((k: { id: number }) => k.id)).not.toContain(theirs.id);
  });

  it('members manage no keys and no users', async () => {
    for (const response of [
      await post(harness.app, acme.member.key, '/v1/api-keys/', { name: 'mine' }),
      await get(harness.app, acme.member.key, '/v1/api-keys/'),
      await get(harness.app, acme.member.key, '/v1/users/'),
      await post(harness.app, acme.member.key, '/v1/users/', { email: 'x@acme.test', role: 'member' }),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ code: 'manager_role_required', message: expect.any(String) });
    }
  });
});

describe('users', () => {
  it('lets another organization add a user with the same e-mail without learning it is in use, and each signs in to their own', async () => {
    const email = 'shared@example.test';
    const acmeUser = await post(harness.app, acme.manager.key, '/v1/users/', { email, role: 'member' });
    const globexUser = await post(harness.app, globex.manager.key, '/v1/users/', { email, role: 'manager' });
    expect([acmeUser.statusCode, globexUser.statusCode]).toEqual([201, 201]);
    expect((await get(harness.app, globex.manager.key, '/v1/users/')).json().results.map((u: { email: string }) => u.email)).toContain(email);

    const { accounts, sessions } = harness.context;
    const [first, second] = await Promise.all([
      accounts.createUser({ organizationId: acme.organizationId, email: 'two-homes@example.test', role: 'member', password: 'acme password 1' }),
      accounts.createUser({ organizationId: globex.organizationId, email: 'two-homes@example.test', role: 'member', password: 'globex password 2' }),
    ]);
    expect((await sessions.verify('two-homes@example.test', 'acme password 1'))?.id).toBe(first.id);
    expect((await sessions.verify('Two-Homes@example.test', 'globex password 2'))?.id).toBe(second.id);
    expect(await sessions.verify('two-homes@example.test', 'neither')).toBeUndefined();
  });

  it('a manager adds a user, refuses a duplicate e-mail in the organization, and promotes the user', async () => {
    const created = await post(harness.app, acme.manager.key, '/v1/users/', { email: 'Ada@Acme.test', role: 'member' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      email: 'ada@acme.test',
      role: 'member',
      is_active: true,
      deactivated_at: null,
      created_at: expect.stringMatching(ISO),
    });
    const duplicate = await post(harness.app, acme.manager.key, '/v1/users/', { email: 'ADA@acme.test', role: 'manager' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('email_taken');

    const userId = created.json().id;
    const { key } = (await post(harness.app, acme.manager.key, '/v1/api-keys/', { name: 'ada', user: userId })).json();
    expect((await get(harness.app, key, '/v1/users/')).statusCode).toBe(403);
    const promoted = await patch(harness.app, acme.manager.key, `/v1/users/${userId}/`, { role: 'manager' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().role).toBe('manager');
    const users = await get(harness.app, key, '/v1/users/');
    expect(users.statusCode).toBe(200);
    expect(users.json().results.map((u: { email: string }) => u.email)).toContain('ada@acme.test');
  });

  it.each([
    ['an invalid e-mail', { email: 'not-an-email', role: 'member' }],
    ['an unknown role', { email: 'b@acme.test', role: 'owner' }],
    ['a short password', { email: 'c@acme.test', role: 'member', password: 'short' }],
  ])('refuses %s', async (_label, body) => {
    const response = await post(harness.app, acme.manager.key, '/v1/users/', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });

  it("cannot change a user of another organization", async () => {
    const response = await patch(harness.app, acme.manager.key, `/v1/users/${globex.member.id}/`, { role: 'manager' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('user_not_found');
  });
});
