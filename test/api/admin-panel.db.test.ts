import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp, type LensApp } from '../../src/app.js';
import { createContext } from '../../src/context.js';
import { upload } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';
import { Learner } from '../support/progress.js';

const PASSWORD = 'panel password 123';
// No worker runs here: the bytes are stored, never opened.
const PACKAGE = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 1)]);

interface Browser {
  cookies: Map<string, string>;
  csrf: string;
}

function remember(browser: Browser, setCookie: string | string[] | undefined) {
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const [name, value] = pair!.split('=');
    if (value) browser.cookies.set(name!, value);
    else browser.cookies.delete(name!);
  }
}

const cookieHeader = (browser: Browser) => [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
const hiddenCsrf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

describe('admin panel over HTTP', () => {
  let harness: Harness;
  let organizationId: number;
  let managerEmail: string;
  let memberEmail: string;

  async function request(browser: Browser, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const response = await harness.app.inject({
      method,
      url,
      headers: { cookie: cookieHeader(browser), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    remember(browser, response.headers['set-cookie']);
    return response;
  }

  /** A sign-in as a browser makes it, to this process of the service or to another one (`app`). */
  async function trySignIn(email: string, password: string, next = '/admin/files', ip = '10.0.0.1', app: LensApp = harness.app) {
    const browser: Browser = { cookies: new Map(), csrf: '' };
    const form = await request(browser, 'GET', '/admin/sign-in');
    const response = await app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      remoteAddress: ip,
      headers: { cookie: cookieHeader(browser), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: hiddenCsrf(form.body), email, password, next }).toString(),
    });
    remember(browser, response.headers['set-cookie']);
    return { browser, response };
  }

  async function signIn(email: string): Promise<Browser> {
    const { browser, response } = await trySignIn(email, PASSWORD);
    expect(response.statusCode).toBe(303);
    const page = await request(browser, 'GET', '/admin/files');
    browser.csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return browser;
  }

  beforeAll(async () => {
    harness = await startHarness();
    const organization = await harness.context.accounts.createOrganization('Admin Org');
    organizationId = organization.id;
    managerEmail = 'manager@admin.test';
    memberEmail = 'member@admin.test';
    await harness.context.accounts.createUser({ organizationId, email: managerEmail, role: 'manager', password: PASSWORD });
    await harness.context.accounts.createUser({ organizationId, email: memberEmail, role: 'member', password: PASSWORD });
  });

  afterAll(async () => harness?.close());

  it('sets the session in an HttpOnly, SameSite cookie scoped to the panel, and never redirects off-site', async () => {
    const { response } = await trySignIn(managerEmail, PASSWORD, '//evil.example/phish');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/files');
    const session = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('lens_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\/admin/);

    const deep = await trySignIn(managerEmail, PASSWORD, '/admin/webhooks');
    expect(deep.response.headers.location).toBe('/admin/webhooks');
  });

  it('signs in to the panel when `next` holds a line break or non-Latin-1 characters', async () => {
    for (const next of ['/admin/files\r\nSet-Cookie: x=1', '/admin/files/Курс', '/admin/\u2028files', '/admin/files?q=a b']) {
      const { response } = await trySignIn(managerEmail, PASSWORD, next);
      expect(response.statusCode, next).toBe(303);
      expect(response.headers.location, next).toBe('/admin/files');
    }
    const query = await trySignIn(managerEmail, PASSWORD, '/admin/files?status=failed&page=2');
    expect(query.response.headers.location).toBe('/admin/files?status=failed&page=2');
  });

  it('sends a visitor without a session to sign-in, keeping where they were going', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/admin/keys' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/sign-in?next=%2Fadmin%2Fkeys');
    const forged = await harness.app.inject({ method: 'GET', url: '/admin/files', headers: { cookie: 'lens_session=forged-token' } });
    expect(forged.statusCode).toBe(303);
    // The page's script gets JSON it can act on, not the sign-in page.
    const poll = await harness.app.inject({ method: 'GET', url: '/admin/files/status?ids=1', headers: { accept: 'application/json' } });
    expect(poll.statusCode).toBe(401);
    expect(poll.json()).toMatchObject({ code: 'authentication_required' });
  });

  it('refuses a sign-in form that did not come from the panel', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: 'made-up', email: managerEmail, password: PASSWORD }).toString(),
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['set-cookie']?.toString() ?? '').not.toContain('lens_session=');
  });

  it('slows down guessing: after 10 failures from one address even the right password waits', async () => {
    for (let i = 0; i < 10; i++) {
      const { response } = await trySignIn(`nobody${i}@admin.test`, 'wrong password', '/admin/files', '10.9.9.9');
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('do not match an account');
    }
    const { response } = await trySignIn(managerEmail, PASSWORD, '/admin/files', '10.9.9.9');
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.body).toContain('Too many failed sign-ins');
    // Another address is not held back by it.
    expect((await trySignIn(managerEmail, PASSWORD, '/admin/files', '10.9.9.10')).response.statusCode).toBe(303);
  });

  it('counts failed sign-ins in the database: another process of the service holds the same address back', async () => {
    const other = await createContext(harness.context.config, pino({ level: 'silent' }));
    const otherApp = await buildApp(other);
    try {
      for (let i = 0; i < 10; i++) {
        const process = i % 2 === 0 ? harness.app : otherApp;
        expect((await trySignIn(`guess${i}@admin.test`, 'wrong password', '/admin/files', '10.7.7.7', process)).response.statusCode).toBe(401);
      }
      const { response } = await trySignIn(managerEmail, PASSWORD, '/admin/files', '10.7.7.7', otherApp);
      expect(response.statusCode).toBe(429);
      expect((await trySignIn(managerEmail, PASSWORD, '/admin/files', '10.7.7.7')).response.statusCode).toBe(429);
    } finally {
      await otherApp.close();
      await other.close();
    }
  });

  it("forgets an e-mail's failures once its owner signs in", async () => {
    for (let i = 0; i < 9; i++) {
      expect((await trySignIn(managerEmail, 'wrong password', '/admin/files', `10.6.6.${i}`)).response.statusCode).toBe(401);
    }
    expect((await trySignIn(managerEmail, PASSWORD, '/admin/files', '10.6.7.1')).response.statusCode).toBe(303);
    // Ten more failures would be needed to hold the e-mail back again: nine and a right password pass.
    for (let i = 0; i < 9; i++) {
      expect((await trySignIn(managerEmail, 'wrong password', '/admin/files', `10.6.8.${i}`)).response.statusCode).toBe(401);
    }
    expect((await trySignIn(managerEmail, PASSWORD, '/admin/files', '10.6.9.1')).response.statusCode).toBe(303);
  });

  it('refuses state changes without the CSRF token, and applies them with it', async () => {
    const manager = await signIn(managerEmail);
    const without = await request(manager, 'POST', '/admin/keys', { name: 'sneaky', user: '1' });
    expect(without.statusCode).toBe(403);
    expect(without.body).toContain('csrf_token_invalid');
    expect(await harness.context.accounts.listApiKeys(organizationId)).toHaveLength(0);

    const users = await harness.context.accounts.listUsers(organizationId);
    const created = await request(manager, 'POST', '/admin/keys', { _csrf: manager.csrf, name: 'Nightly sync', user: String(users[1]!.id) });
    expect(created.statusCode).toBe(201);
    const key = /<code id="secret-value">([^<]+)<\/code>/.exec(created.body)?.[1] ?? '';
    const principal = await harness.context.accounts.authenticate(key);
    expect(principal).toMatchObject({ userId: users[1]!.id, role: 'member', apiKeyName: 'Nightly sync' });
  });

  it("names each key's owner by e-mail, a deleted owner's revoked keys too", async () => {
    const manager = await signIn(managerEmail);
    const leaver = await harness.context.accounts.createUser({ organizationId, email: 'leaver@admin.test', role: 'member' });
    await harness.context.accounts.createApiKey({ organizationId, userId: leaver.id, name: 'Leaver sync' });
    await harness.context.accounts.deleteUser(organizationId, leaver.id);
    const page = await request(manager, 'GET', '/admin/keys');
    const row = page.body.split('<tr').find((part) => part.includes('Leaver sync')) ?? '';
    expect(row).toContain('leaver@admin.test');
    expect(row).toContain('Revoked');
  });

  it('shows a form error on the page instead of failing', async () => {
    const manager = await signIn(managerEmail);
    const taken = await request(manager, 'POST', '/admin/users', { _csrf: manager.csrf, email: memberEmail, role: 'member' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('already exists');
    expect(taken.body).toContain('<form');
    const badUrl = await request(manager, 'POST', '/admin/webhooks', { _csrf: manager.csrf, url: 'http://127.0.0.1:9/hook', event: 'content_extraction_completed', owner: '1' });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.body).toContain('not a public address');
  });

  it('lets a member see only their own files and keeps the manager pages from them', async () => {
    const manager = await signIn(managerEmail);
    const member = await signIn(memberEmail);
    const [managerKey, memberKey] = await Promise.all(
      (await harness.context.accounts.listUsers(organizationId)).map(async (user) =>
        (await harness.context.accounts.createApiKey({ organizationId, userId: user.id, name: `${user.role} uploads` })).key,
      ),
    );
    const managersFile = await upload(harness.app, managerKey, { file: { data: PACKAGE, name: 'managers-course.zip' } });
    const membersFile = await upload(harness.app, memberKey, { file: { data: PACKAGE, name: 'members-course.zip' } });
    const managersId = managersFile.json<{ scorm_file_id: number }>().scorm_file_id;

    const memberList = await request(member, 'GET', '/admin/files');
    expect(memberList.body).toContain('members-course.zip');
    expect(memberList.body).not.toContain('managers-course.zip');
    expect((await request(member, 'GET', `/admin/files/${managersId}`)).statusCode).toBe(404);
    const status = await request(member, 'GET', `/admin/files/status?ids=${managersId},${membersFile.json<{ scorm_file_id: number }>().scorm_file_id}`);
    expect(status.json<{ files: { id: number }[] }>().files.map((f) => f.id)).not.toContain(managersId);
    for (const page of ['/admin/keys', '/admin/users', '/admin/webhooks']) {
      const response = await request(member, 'GET', page);
      expect(response.statusCode, page).toBe(403);
      expect(response.body).toContain('manager_role_required');
    }
    expect(memberList.body).not.toContain('href="/admin/keys"');

    const managerList = await request(manager, 'GET', '/admin/files');
    expect(managerList.body).toContain('managers-course.zip');
    expect(managerList.body).toContain('members-course.zip');
  });

  it('hides other organizations and escapes what packages and users typed', async () => {
    const other = await harness.createTenant('Elsewhere');
    const hostile = await upload(harness.app, other.manager.key, { file: { data: PACKAGE, name: '<img src=x onerror=alert(1)>.zip' }, batchName: '"><script>alert(2)</script>' });
    const hostileId = hostile.json<{ scorm_file_id: number }>().scorm_file_id;
    const manager = await signIn(managerEmail);
    expect((await request(manager, 'GET', `/admin/files/${hostileId}`)).statusCode).toBe(404);

    await harness.context.accounts.createUser({ organizationId: other.organizationId, email: 'boss@elsewhere.test', role: 'manager', password: PASSWORD });
    const theirs = await signIn('boss@elsewhere.test');
    const page = await request(theirs, 'GET', '/admin/files');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;.zip');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).not.toContain('<script>alert(2)');
  });

  it("keeps another organization's collections, contexts, learners and certificates out of the panel", async () => {
    const other = await harness.createTenant('Courses elsewhere');
    const post = async (url: string, payload: object) => {
      const response = await harness.app.inject({ method: 'POST', url, headers: { 'x-api-key': other.manager.key }, payload });
      expect(response.statusCode, response.body).toBe(201);
    };
    await post('/v1/collections', { identifier: 'their-course', name: 'Their course', contents: [{ contentId: 'intro', name: 'Intro' }] });
    await post('/v1/contexts', { identifier: 'their-batch', collectionId: 'their-course', name: 'Their batch', enrollment: 'open', certificate: { name: 'Their certificate' } });
    const learner = await Learner.of(harness.app, other.manager.key, 'their-learner', { name: 'Their Learner' });
    await learner.ok(learner.end({ contentId: 'intro', collectionId: 'their-course', contextId: 'their-batch' }));
    expect(await learner.summaries()).toMatchObject([{ status: 2, issuedCertificates: [{ name: 'Their certificate' }] }]);

    const manager = await signIn(managerEmail);
    expect((await request(manager, 'GET', '/admin/collections/their-course')).statusCode).toBe(404);
    expect((await request(manager, 'GET', '/admin/contexts/their-batch')).statusCode).toBe(404);
    for (const url of ['/admin/collections', '/admin/certificates', '/admin/learners/their-learner']) {
      const page = await request(manager, 'GET', url);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toMatch(/Their (course|certificate|Learner)/);
    }
    expect((await request(manager, 'GET', '/admin/learners/their-learner')).body).toContain('their-learner is enrolled in no course of this organization.');
  });

  it('refuses an upload without the CSRF token and leaves nothing behind', async () => {
    const manager = await signIn(managerEmail);
    const form = new FormData();
    form.append('file', new Blob([PACKAGE]), 'csrf-less.zip');
    const principal = (await harness.context.sessions.find(manager.cookies.get('lens_session')!))!.principal;
    const before = (await harness.context.scormFiles.files.page(principal, {}, 0, 100)).count;
    const response = await harness.app.inject({ method: 'POST', url: '/admin/files/upload', headers: { cookie: cookieHeader(manager), accept: 'application/json' }, payload: form });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'csrf_token_invalid' });
    expect((await harness.context.scormFiles.files.page(principal, {}, 0, 100)).count).toBe(before);
    expect(await fs.promises.readdir(path.join(harness.config.dataDir, 'tmp'))).toEqual([]);

    const accepted = await harness.app.inject({
      method: 'POST',
      url: '/admin/files/upload',
      headers: { cookie: cookieHeader(manager), accept: 'application/json', 'x-csrf-token': manager.csrf },
      payload: form,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json<{ url: string }>().url).toMatch(/^\/admin\/files\/\d+$/);
    // Through the API the panel's upload reads like any other, without a key name.
    const { key } = await harness.context.accounts.createApiKey({ organizationId, userId: principal.userId, name: 'reader' });
    const viaApi = await harness.app.inject({ method: 'GET', url: `/v1/scorm-files/${accepted.json<{ id: number }>().id}/`, headers: { 'x-api-key': key } });
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.json()).toMatchObject({ file_name: 'csrf-less.zip', api_key_name: null, status: 'processing' });
  });

  it('ends the session on sign-out, for every copy of the cookie', async () => {
    const manager = await signIn(managerEmail);
    const copy = new Map(manager.cookies);
    const out = await request(manager, 'POST', '/admin/sign-out', { _csrf: manager.csrf });
    expect(out.statusCode).toBe(303);
    const replay = await harness.app.inject({ method: 'GET', url: '/admin/files', headers: { cookie: cookieHeader({ cookies: copy, csrf: '' }) } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toMatch(/^\/admin\/sign-in/);
  });

  it('answers unknown panel pages with a page, and serves its assets under a strict policy', async () => {
    const manager = await signIn(managerEmail);
    const missing = await request(manager, 'GET', '/admin/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    const css = await harness.app.inject({ method: 'GET', url: '/admin/assets/admin.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-security-policy']).toContain("script-src 'self'");
    expect(css.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // The API keeps its own headers: the panel's policy is scoped to it.
    const health = await harness.app.inject({ method: 'GET', url: '/health/' });
    expect(health.headers['content-security-policy']).toBeUndefined();
  });
});
