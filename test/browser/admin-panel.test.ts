import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { checkPage as checkPageIn, DESKTOP, haveChromium, launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { writeScormPackage } from '../support/packages.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import type { WebhookDispatcher } from '../../src/modules/webhooks/dispatcher.js';

const PACKAGE = 'adapt-scorm12-mcq-ccbysa.zip';
const EMAIL = 'owner@panel.test';
const PASSWORD = 'a long and honest password';

describe.skipIf(!haveChromium || !haveFixtures)('admin panel in Chromium', () => {
  let harness: Harness;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let browserContext: BrowserContext;
  let page: Page;
  let dispatcher: WebhookDispatcher;
  let apiKey = '';
  let webhookSecret = '';
  const cspViolations: string[] = [];

  const checkPage = (name: string) => checkPageIn(page, name);

  const api = (url: string, key: string) => fetch(`${harness.baseUrl}${url}`, { headers: { 'X-API-KEY': key } });

  beforeAll(async () => {
    await fs.promises.mkdir(SCREENSHOTS, { recursive: true });
    receiver = await WebhookReceiver.start();
    // No extraction worker yet (only webhook deliveries): the upload step starts it, to watch the status change on the open page.
    harness = await startHarness({ listen: true, env: { LENS_ALLOW_PRIVATE_NETWORKS: 'true', LENS_WEBHOOK_POLL_INTERVAL_MS: '100' } });
    dispatcher = harness.context.webhooks.dispatcher();
    dispatcher.start();
    const organization = await harness.context.accounts.createOrganization('Panel Org');
    await harness.context.accounts.createUser({ organizationId: organization.id, email: EMAIL, role: 'manager', password: PASSWORD });
    browser = await launchChromium();
    browserContext = await browser.newContext({ viewport: DESKTOP, baseURL: harness.baseUrl });
    await browserContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.baseUrl });
    page = await browserContext.newPage();
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await dispatcher?.stop();
    await harness?.close();
    await receiver?.close();
  });

  it('asks for sign-in, refuses a wrong password, and signs in with the keyboard', async () => {
    await page.goto('/admin/files');
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await checkPage('sign-in');

    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');

    await page.getByLabel('Password').focus();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/admin/files');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('SCORM files');
    expect(await page.locator('.empty').textContent()).toContain('No SCORM files yet');
    // The first Tab reaches the skip link, which takes the keyboard past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await checkPage('files-empty');
  });

  it('creates an API key, shown once with a copy button, that works against the API', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('Browser key');
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.locator('#secret-value').textContent()) ?? '';
    expect(apiKey).toMatch(/^sl_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(apiKey);
    await checkPage('keys-created');

    const response = await api('/v1/scorm-files/', apiKey);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { count: number }).count).toBe(0);

    // The list shows the key by its prefix only, and now when it was last used.
    await page.goto('/admin/keys');
    const row = page.getByRole('row', { name: /Browser key/ });
    expect(await row.textContent()).toContain(apiKey.slice(0, 10));
    expect(await row.textContent()).not.toContain(apiKey);
    expect(await row.locator('time').count()).toBe(2);
  });

  it('adds a user with a role', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('E-mail').fill('learner.admin@panel.test');
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add user' }).click();
    const password = (await page.locator('#secret-value').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(10);
    expect(await page.getByRole('row', { name: /learner.admin@panel.test/ }).getByRole('combobox').inputValue()).toBe('member');
    await checkPage('users');
  });

  it('adds a webhook whose signed test event reaches a real receiver', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await checkPage('webhooks-empty');
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    webhookSecret = (await page.locator('#secret-value').textContent()) ?? '';
    expect(webhookSecret).toMatch(/^whsec_/);

    await page.getByRole('button', { name: 'Send test event' }).click();
    const [delivery] = await receiver.waitFor(1);
    const event = new StandardWebhook(webhookSecret).verify(delivery!.body, delivery!.headers as Record<string, string>) as { test: boolean };
    expect(event.test).toBe(true);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('.badge.delivery-succeeded').count();
      })
      .toBe(1);
    expect(await page.getByRole('cell', { name: /200/ }).count()).toBeGreaterThan(0);
    await checkPage('webhook-detail');
  });

  it('uploads a package by drag and drop and shows its status change live', async () => {
    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByLabel('Batch name (optional)').fill('browser batch');
    const zip = await fs.promises.readFile(fixture(PACKAGE));
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(zip.toString('base64'))}), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], ${JSON.stringify(PACKAGE)}, { type: 'application/zip' }));
      const zone = document.querySelector('form#upload');
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await page.waitForURL('**/admin/files?done=uploaded');
    const badge = page.getByRole('row', { name: new RegExp(PACKAGE) }).locator('.badge');
    expect(await badge.textContent()).toBe('Preparing');
    await page.evaluate('window.sameDocument = true');
    await checkPage('files-uploaded');

    await harness.startWorker();
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe('Extracted');
    expect(await page.evaluate('window.sameDocument')).toBe(true);

    // The manager's webhook hears about the extraction, signed like the test event.
    const deliveries = await receiver.waitFor(2);
    const completed = new StandardWebhook(webhookSecret).verify(deliveries[1]!.body, deliveries[1]!.headers as Record<string, string>) as Record<string, unknown>;
    expect(completed).toMatchObject({ event: 'content_extraction_completed', status: 'completed', batch_name: 'browser batch' });
  });

  it('filters and searches the files', async () => {
    await page.getByLabel('Search by name').fill('MCQ');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByRole('row', { name: new RegExp(PACKAGE) }).count()).toBe(1);
    await page.getByLabel('Search by name').fill('no such course');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.locator('.empty').textContent()).toContain('No file matches');
    await page.goto('/admin/files?batch=browser+batch&status=content_extraction_completed');
    expect(await page.getByRole('row', { name: new RegExp(PACKAGE) }).count()).toBe(1);
  });

  it('opens the file, its extraction and the readable view with questions and answers', async () => {
    await page.getByRole('link', { name: PACKAGE }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(PACKAGE);
    await checkPage('file');
    const markdown = await page.request.get(await page.getByRole('link', { name: 'Markdown' }).first().getAttribute('href') as string);
    expect(markdown.status()).toBe(200);
    expect(markdown.headers()['content-disposition']).toBe(`attachment; filename*=UTF-8''${PACKAGE.replace(/\.zip$/, '')}.md`);
    expect(await markdown.text()).toContain('Emerging Technologies for the Circular Economy');
    const json = await page.request.get(await page.getByRole('link', { name: 'JSON' }).getAttribute('href') as string);
    expect(((await json.json()) as { package: { standard: string } }).package.standard).toBe('scorm');

    await page.getByRole('link', { name: 'View' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Emerging Technologies for the Circular Economy');
    expect(await page.locator('dl.facts').textContent()).toContain('Adapt');
    expect(await page.locator('dl.facts').textContent()).toContain('1 item · 3 pages · 2659 words · 58 questions');
    expect(await page.locator('ol.questions > li').count()).toBe(58);
    expect(await page.locator('ul.choices li.correct').count()).toBeGreaterThan(58);
    expect(await page.locator('#pages ~ section.page').first().textContent()).toContain('Block ciphers are used in symmetric cryptography');
    await checkPage('extraction');
  });

  it('previews the course in the player, where a course script cannot read the panel', async () => {
    await page.goto('/admin/files');
    await page.getByRole('link', { name: PACKAGE }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForURL('**/player/sessions/*/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Emerging Technologies for the Circular Economy');
    expect(await page.locator('.preview').textContent()).toContain('nothing is recorded');
    await eventually(async () => page.frames().find((frame) => frame.url().includes('/content/index_lms.html')));
    await checkPage('player');
    // The player shares the panel's origin by default: a script there reaches the panel without its token, and is refused.
    const status = await page.evaluate(async () => (await fetch('/admin/files', { credentials: 'include' })).status);
    expect(status).toBe(403);
  });

  it("shows a learner's record: each enrollment with its contents' status, progress, time and best score", async () => {
    const send = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${harness.baseUrl}${url}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const files = (await (await api('/v1/scorm-files/', apiKey)).json()) as { results: { id: number; file_name: string }[] };
    const fileId = files.results.find((file) => file.file_name === PACKAGE)!.id;
    await send('/v1/collections', { identifier: 'circular', scormFileId: fileId });
    await send('/v1/contexts', { identifier: 'circular-2026', collectionId: 'circular', name: 'Spring 2026', enrollment: 'open' });
    const { token } = (await send('/v1/auth/learner-token', { userId: 'learner-7', name: 'Sam Reed' })) as { token: string };
    const learner = { 'x-authenticated-user-token': token, 'x-requested-by': 'panel-test' };
    const envelope = (id: string, request: object) => ({ id, ver: 'v1', ts: '2026-12-06 00:00:00:000+0000', params: { msgid: crypto.randomUUID() }, request });
    const ref = { contentId: 'sco', collectionId: 'circular', contextId: 'circular-2026' };
    const contents = (await (await api('/v1/collections/circular', apiKey)).json()) as { contents: { contentId: string; name: string }[] };
    ref.contentId = contents.contents[0]!.contentId;
    await send('/v1/view/update', envelope('api.view.update', { ...ref, progressDetails: { progress: 40 }, timeSpent: 125 }), learner);
    await send('/v1/assessment/submit', envelope('api.assess.submit', { ...ref, attemptId: 'a1', assessments: [{ questionId: 'q1', score: 3, maxScore: 4, assessmentTs: Date.now() }] }), learner);

    await page.goto('/admin/files');
    await page.getByRole('link', { name: 'Learners' }).click();
    await page.getByLabel('Learner id').fill('learner-7');
    await page.getByRole('button', { name: 'Show their record' }).click();
    await page.waitForURL('**/admin/learners?user=learner-7');
    const section = page.locator('section.page');
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('Emerging Technologies for the Circular Economy');
    const row = section.getByRole('row', { name: new RegExp(contents.contents[0]!.name) });
    expect((await row.getByRole('cell').allTextContents()).slice(1)).toEqual(['In progress', '40%', '2 min 5 s', '3 / 4 (1 attempt)']);
    await checkPage('learner');
  });

  it('pages through a long result a slice at a time', async () => {
    const titles = Array.from({ length: 60 }, (_, i) => `Lesson ${i + 1}`);
    const form = new FormData();
    form.append('file', await fs.openAsBlob(await writeScormPackage(path.join(SCREENSHOTS, 'long.zip'), 'Long course', titles)), 'long.zip');
    const uploaded = await fetch(`${harness.baseUrl}/v1/scorm-files/upload/`, { method: 'POST', headers: { 'X-API-KEY': apiKey }, body: form });
    const id = ((await uploaded.json()) as { scorm_file_id: number }).scorm_file_id;
    const extractionId = await eventually(async () => {
      const file = (await (await api(`/v1/scorm-files/${id}/`, apiKey)).json()) as { status: string; last_extraction: { id: number } | null };
      return file.status === 'content_extraction_completed' ? file.last_extraction?.id : undefined;
    }, 20_000, 'the long course to be extracted');
    await page.goto(`/admin/extractions/${extractionId}`);
    const pager = page.getByRole('navigation', { name: 'Pages' }).first();
    expect(await pager.textContent()).toContain('Pages 1–25 of 60');
    expect(await page.locator('#pages ~ section.page').first().textContent()).toContain('Lesson 1');
    await pager.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL('**/admin/extractions/*?pages=1#pages');
    expect(await page.getByRole('navigation', { name: 'Pages' }).first().textContent()).toContain('Pages 26–50 of 60');
    expect(await page.locator('#pages ~ section.page').first().textContent()).toContain('Lesson 26');
    expect(await page.locator('#pages ~ section.page').count()).toBe(25);
  });

  it('revokes the key, after which the API refuses it', async () => {
    await page.goto('/admin/keys');
    await page.getByRole('row', { name: /Browser key/ }).getByRole('button', { name: 'Revoke' }).click();
    await page.waitForURL('**/admin/keys?done=revoked');
    expect(await page.getByRole('row', { name: /Browser key/ }).textContent()).toContain('Revoked');
    await checkPage('keys-revoked');
    await expect.poll(async () => (await api('/v1/scorm-files/', apiKey)).status, { timeout: 10_000 }).toBe(401);
  });

  it('signs out: the session ends on the server', async () => {
    const [session] = (await browserContext.cookies()).filter((c) => c.name === 'lens_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/admin/sign-in?signed_out=1');
    expect(await page.getByRole('status').textContent()).toContain('You are signed out');
    await checkPage('signed-out');
    // Even a copy of the old cookie no longer opens a page.
    const replay = await fetch(`${harness.baseUrl}/admin/files`, { headers: { cookie: `lens_session=${session!.value}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toMatch(/^\/admin\/sign-in/);
  });

  it('kept every page within its content security policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
