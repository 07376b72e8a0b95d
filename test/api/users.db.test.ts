import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { del, get, patch, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant, type TestUser } from '../support/harness.js';
import { ISO } from '../support/progress.js';

// Users' passwords, reset links, deactivation and deletion, through the API and the panel's reset page.

const DAY_MS = 24 * 3600 * 1000;
// No worker runs here: the bytes are stored, never opened.
const PACKAGE = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 1)]);

let harness: Harness;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
});
afterAll(() => harness.close());

function resetPage(url: string, form?: Record<string, string>) {
  const path = new URL(url).pathname;
  return form
    ? harness.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() })
    : harness.app.inject({ method: 'GET', url: path });
}

const emailOf = async (user: TestUser) =>
  (await harness.context.database.db.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirstOrThrow()).email;

async function issueReset(user: TestUser, key = acme.manager.key) {
  const response = await post(harness.app, key, `/v1/users/${user.id}/password-reset/`);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ reset_url: string; expires_at: string; user: { id: number } }>();
}

async function uploadFile(key: string): Promise<number> {
  const response = await upload(harness.app, key, { file: { data: PACKAGE, name: 'course.zip' } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ scorm_file_id: number }>().scorm_file_id;
}

describe('password-reset links', () => {
  it('a manager issues a link; only its hash is stored; the page sets the password once and ends old sessions', async () => {
    const member = await harness.addUser(acme, 'member');
    const email = await emailOf(member);
    const { sessions } = harness.context;
    const before = Date.now();
    const issued = await issueReset(member);
    expect(issued.user).toMatchObject({ id: member.id, email, is_active: true });
    expect(issued.reset_url).toMatch(/^http:\/\/lens\.test\/admin\/reset-password\/[\w-]{43}$/);
    expect(Date.parse(issued.expires_at) - before).toBeGreaterThanOrEqual(DAY_MS - 1000);
    expect(Date.parse(issued.expires_at) - before).toBeLessThanOrEqual(DAY_MS + 5000);
    const token = issued.reset_url.split('/').pop()!;
    const rows = await harness.context.database.db.selectFrom('password_resets').selectAll().where('user_id', '=', member.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);

    // Opening the page shows the form and uses nothing up (mail scanners open links too).
    for (let i = 0; i < 2; i++) {
      const page = await resetPage(issued.reset_url);
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toContain(`value="${email}"`);
      expect(page.body).toMatch(/<label for="password">New password<\/label>/);
      expect(page.body).toContain('autocomplete="new-password"');
    }

    const mismatch = await resetPage(issued.reset_url, { password: 'a brand new secret', confirmation: 'another secret!!' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('The two passwords differ');
    const short = await resetPage(issued.reset_url, { password: 'short', confirmation: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('10 to 200 characters');

    const user = await harness.context.database.db.selectFrom('users').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
    const oldSession = await sessions.open(user);
    const done = await resetPage(issued.reset_url, { password: 'a brand new secret', confirmation: 'a brand new secret' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(`The password of ${email} is set.`);
    expect((await sessions.verify(email, 'a brand new secret'))?.id).toBe(member.id);
    expect(await sessions.find(oldSession.token)).toBeUndefined();

    // Single use: the page and the form both refuse it now, and the password stays.
    const again = await resetPage(issued.reset_url);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('expired or was already used');
    const reuse = await resetPage(issued.reset_url, { password: 'the attacker wins', confirmation: 'the attacker wins' });
    expect(reuse.statusCode).toBe(410);
    expect(await sessions.verify(email, 'the attacker wins')).toBeUndefined();
    expect((await sessions.verify(email, 'a brand new secret'))?.id).toBe(member.id);
  });

  it('an expired link, a replaced link and an unknown token set nothing', async () => {
    const member = await harness.addUser(acme, 'member');
    const email = await emailOf(member);
    const expired = await harness.context.passwordResets.issue(acme.organizationId, member.id, Date.now() - DAY_MS - 1000);
    expect((await resetPage(expired.url)).statusCode).toBe(410);
    expect((await resetPage(expired.url, { password: 'too late password', confirmation: 'too late password' })).statusCode).toBe(410);
    expect(await harness.context.sessions.verify(email, 'too late password')).toBeUndefined();

    const first = await issueReset(member);
    const second = await issueReset(member);
    expect((await resetPage(first.reset_url)).statusCode).toBe(410);
    expect((await resetPage(second.reset_url)).statusCode).toBe(200);
    expect((await resetPage('http://lens.test/admin/reset-password/not-a-token')).statusCode).toBe(410);
  });

  it('is for managers, of users of their own organization who are active', async () => {
    const member = await harness.addUser(acme, 'member');
    const byMember = await post(harness.app, acme.member.key, `/v1/users/${member.id}/password-reset/`);
    expect(byMember.statusCode).toBe(403);
    expect(byMember.json().code).toBe('manager_role_required');
    for (const url of [`/v1/users/${globex.member.id}/password-reset/`, '/v1/users/999999/password-reset/', '/v1/users/abc/password-reset/']) {
      const foreign = await post(harness.app, acme.manager.key, url);
      expect(foreign.statusCode, url).toBe(404);
      expect(foreign.json().code).toBe('user_not_found');
    }
    const link = await issueReset(member);
    expect((await patch(harness.app, acme.manager.key, `/v1/users/${member.id}/`, { is_active: false })).statusCode).toBe(200);
    // Deactivation ends the link it had, and no new one is given.
    expect((await resetPage(link.reset_url)).statusCode).toBe(410);
    const refused = await post(harness.app, acme.manager.key, `/v1/users/${member.id}/password-reset/`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('user_deactivated');
  });
});

describe('your own password', () => {
  it('any user sets one, and needs the current one to change it', async () => {
    const member = await harness.addUser(acme, 'member');
    const email = await emailOf(member);
    const set = (body: object) => post(harness.app, member.key, '/v1/users/me/password/', body);
    expect((await set({ password: 'my first password' })).statusCode).toBe(204);
    expect((await harness.context.sessions.verify(email, 'my first password'))?.id).toBe(member.id);

    for (const body of [{ password: 'my second password' }, { password: 'my second password', current_password: 'a wrong guess' }]) {
      const refused = await set(body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('current_password_incorrect');
    }
    const short = await set({ password: 'short', current_password: 'my first password' });
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('validation_failed');
    expect((await set({ password: 'my second password', current_password: 'my first password' })).statusCode).toBe(204);
    expect(await harness.context.sessions.verify(email, 'my first password')).toBeUndefined();
    expect((await harness.context.sessions.verify(email, 'my second password'))?.id).toBe(member.id);
    expect((await post(harness.app, undefined, '/v1/users/me/password/', { password: 'nobody at all' })).statusCode).toBe(401);
  });
});

describe('deactivating and deleting users', () => {
  it("deactivation stops the user's keys and panel at once, keeps their files, and reactivation brings the keys back", async () => {
    const member = await harness.addUser(acme, 'member');
    const email = await emailOf(member);
    expect((await post(harness.app, member.key, '/v1/users/me/password/', { password: 'member password' })).statusCode).toBe(204);
    const fileId = await uploadFile(member.key);
    // The key has just been checked, so this process holds it in its cache.
    expect((await get(harness.app, member.key, `/v1/scorm-files/${fileId}/`)).statusCode).toBe(200);
    const user = await harness.context.database.db.selectFrom('users').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
    const session = await harness.context.sessions.open(user);

    const deactivated = await patch(harness.app, acme.manager.key, `/v1/users/${member.id}/`, { is_active: false });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json()).toEqual({
      id: member.id,
      email,
      role: 'member',
      is_active: false,
      deactivated_at: expect.stringMatching(ISO),
      created_at: expect.stringMatching(ISO),
    });
    const refused = await get(harness.app, member.key, `/v1/scorm-files/${fileId}/`);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('invalid_api_key');
    expect(await harness.context.sessions.verify(email, 'member password')).toBeUndefined();
    expect(await harness.context.sessions.find(session.token)).toBeUndefined();
    const managerView = await get(harness.app, acme.manager.key, `/v1/scorm-files/${fileId}/`);
    expect(managerView.statusCode).toBe(200);
    expect(managerView.json()).toMatchObject({ id: fileId, user: member.id });
    const listed = (await get(harness.app, acme.manager.key, '/v1/users/')).json<{ results: { id: number; is_active: boolean }[] }>();
    expect(listed.results.find((u) => u.id === member.id)).toMatchObject({ is_active: false });

    const reactivated = await patch(harness.app, acme.manager.key, `/v1/users/${member.id}/`, { is_active: true });
    expect(reactivated.json()).toMatchObject({ is_active: true, deactivated_at: null });
    expect((await get(harness.app, member.key, `/v1/scorm-files/${fileId}/`)).statusCode).toBe(200);
    expect((await harness.context.sessions.verify(email, 'member password'))?.id).toBe(member.id);
  });

  it("deletion revokes the user's keys at once and deletes their webhooks; their files stay with the organization", async () => {
    const member = await harness.addUser(acme, 'member');
    const email = await emailOf(member);
    const fileId = await uploadFile(member.key);
    expect((await get(harness.app, member.key, '/v1/scorm-files/')).statusCode).toBe(200);
    const hook = await post(harness.app, acme.manager.key, '/v1/webhooks/', { url: 'https://hooks.example.com/x', event: 'content_extraction_completed', owner: member.id });
    expect(hook.statusCode, hook.body).toBe(201);

    const deleted = await del(harness.app, acme.manager.key, `/v1/users/${member.id}/`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const refused = await get(harness.app, member.key, '/v1/scorm-files/');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('invalid_api_key');
    const keys = (await get(harness.app, acme.manager.key, '/v1/api-keys/?page_size=100')).json<{ results: { user: number; revoked_at: string | null }[] }>();
    expect(keys.results.filter((k) => k.user === member.id).map((k) => k.revoked_at)).toEqual([expect.stringMatching(ISO)]);
    expect((await get(harness.app, acme.manager.key, `/v1/webhooks/${hook.json().id}/`)).statusCode).toBe(404);

    const file = await get(harness.app, acme.manager.key, `/v1/scorm-files/${fileId}/`);
    expect(file.statusCode).toBe(200);
    expect(file.json()).toMatchObject({ id: fileId, user: member.id });
    const users = (await get(harness.app, acme.manager.key, '/v1/users/?page_size=100')).json<{ results: { id: number }[] }>();
    expect(users.results.map((u) => u.id)).not.toContain(member.id);
    for (const response of [
      await del(harness.app, acme.manager.key, `/v1/users/${member.id}/`),
      await patch(harness.app, acme.manager.key, `/v1/users/${member.id}/`, { is_active: true }),
      await post(harness.app, acme.manager.key, `/v1/users/${member.id}/password-reset/`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('user_not_found');
    }
    // The e-mail is free again: a new user, with nothing of the old one's.
    const readded = await post(harness.app, acme.manager.key, '/v1/users/', { email, role: 'member' });
    expect(readded.statusCode).toBe(201);
    expect(readded.json().id).not.toBe(member.id);
  });

  it('keeps the last active manager of an organization, whatever the change', async () => {
    const initech = await harness.createTenant('Initech');
    const only = initech.manager;
    for (const [label, response] of [
      ['deactivate', await patch(harness.app, only.key, `/v1/users/${only.id}/`, { is_active: false })],
      ['demote', await patch(harness.app, only.key, `/v1/users/${only.id}/`, { role: 'member' })],
      ['delete', await del(harness.app, only.key, `/v1/users/${only.id}/`)],
    ] as const) {
      expect(response.statusCode, label).toBe(409);
      expect(response.json().code, label).toBe('last_manager');
    }
    expect((await get(harness.app, only.key, '/v1/users/')).statusCode).toBe(200);

    // A deactivated manager does not count; a second active one does.
    const second = await harness.addUser(initech, 'manager');
    expect((await patch(harness.app, only.key, `/v1/users/${second.id}/`, { is_active: false })).statusCode).toBe(200);
    expect((await del(harness.app, second.key, `/v1/users/${only.id}/`)).statusCode).toBe(401);
    expect((await patch(harness.app, only.key, `/v1/users/${only.id}/`, { is_active: false })).json().code).toBe('last_manager');
    expect((await patch(harness.app, only.key, `/v1/users/${second.id}/`, { is_active: true })).statusCode).toBe(200);
    expect((await del(harness.app, second.key, `/v1/users/${only.id}/`)).statusCode).toBe(204);
    expect((await get(harness.app, only.key, '/v1/users/')).statusCode).toBe(401);
  });

  it("answers 404 for another organization's users and leaves them as they were", async () => {
    for (const response of [
      await patch(harness.app, acme.manager.key, `/v1/users/${globex.member.id}/`, { is_active: false }),
      await del(harness.app, acme.manager.key, `/v1/users/${globex.member.id}/`),
      await del(harness.app, acme.manager.key, `/v1/users/${globex.manager.id}/`),
      await post(harness.app, acme.manager.key, `/v1/users/${globex.member.id}/password-reset/`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('user_not_found');
    }
    expect((await get(harness.app, globex.member.key, '/v1/scorm-files/')).statusCode).toBe(200);
    expect((await get(harness.app, globex.manager.key, '/v1/users/')).statusCode).toBe(200);
  });

  it('is for managers; an empty change is refused', async () => {
    const target = await harness.addUser(acme, 'member');
    for (const response of [
      await patch(harness.app, acme.member.key, `/v1/users/${target.id}/`, { is_active: false }),
      await del(harness.app, acme.member.key, `/v1/users/${target.id}/`),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('manager_role_required');
    }
    const empty = await patch(harness.app, acme.manager.key, `/v1/users/${target.id}/`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('validation_failed');
    expect((await get(harness.app, target.key, '/v1/scorm-files/')).statusCode).toBe(200);
  });
});
