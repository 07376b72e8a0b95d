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
  let memberPassword = '';
  let organizationId = 0;
  /** The content of the course the learner works in (the package's one launchable item). */
  let courseContent = { contentId: '', name: '' };
  const cspViolations: string[] = [];
  /** The path of every page checked, to show that no kind of page was left out. */
  const checkedPaths = new Set<string>();

  /** Every page of the flow (support's check: axe, phone width, screenshots), its path noted to show that no kind of page was left out. */
  const checkPage = (name: string, on: Page = page) => {
    checkedPaths.add(new URL(on.url()).pathname);
    return checkPageIn(on, name);
  };

  const api = (url: string, key: string) => fetch(`${harness.baseUrl}${url}`, { headers: { 'X-API-KEY': key } });
  const send = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${harness.baseUrl}${url}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const envelope = (id: string, request: object) => ({ id, ver: 'v1', ts: '2026-12-06 00:00:00:000+0000', params: { msgid: crypto.randomUUID() }, request });
  /** The learner's headers for the progress API. */
  const learnerHeaders = async () => {
    const { token } = (await send('/v1/auth/learner-token', { userId: 'learner-7', name: 'Sam Reed' })) as { token: string };
    return { 'x-authenticated-user-token': token, 'x-requested-by': 'panel-test' };
  };
  /** The rows' file names, top to bottom. */
  const fileNames = () => page.locator('tbody td.name').allTextContents();

  beforeAll(async () => {
    await fs.promises.mkdir(SCREENSHOTS, { recursive: true });
    receiver = await WebhookReceiver.start();
    // No extraction worker yet (only webhook deliveries): the upload step starts it, to watch the status change on the open page.
    harness = await startHarness({ listen: true, env: { LENS_ALLOW_PRIVATE_NETWORKS: 'true', LENS_WEBHOOK_POLL_INTERVAL_MS: '100' } });
    dispatcher = harness.context.webhooks.dispatcher();
    dispatcher.start();
    organizationId = (await harness.context.accounts.createOrganization('Panel Org')).id;
    await harness.context.accounts.createUser({ organizationId, email: EMAIL, role: 'manager', password: PASSWORD });
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

  it('shows its own icon, which the panel serves and its content security policy lets load', async () => {
    const href = (await page.locator('link[rel="icon"]').getAttribute('href')) as string;
    expect(href).toBe('/admin/assets/favicon.svg');
    const icon = await page.request.get(href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    expect(await icon.text()).toMatch(/^<svg /);
    // Loaded as an image by the page itself, under the page's policy (img-src governs icons too).
    const width = await page.evaluate(`new Promise((resolve) => {
      const image = new Image();
      image.onload = () => resolve(image.naturalWidth);
      image.onerror = () => resolve(-1);
      image.src = ${JSON.stringify(href)};
    })`);
    expect(width).toBeGreaterThan(0);
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
    memberPassword = (await page.locator('#secret-value').textContent()) ?? '';
    expect(memberPassword.length).toBeGreaterThanOrEqual(10);
    expect(await page.getByRole('row', { name: /learner.admin@panel.test/ }).getByRole('combobox').inputValue()).toBe('member');
    await checkPage('users');
  });

  it('deactivates and reactivates a user, hands out a reset link, and deletes a user', async () => {
    const row = (email: string) => page.getByRole('row', { name: new RegExp(email.replace('.', '\\.')) });
    await row('learner.admin@panel.test').getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('deactivated');
    expect(await row('learner.admin@panel.test').getByRole('cell', { name: 'deactivated' }).count()).toBe(1);
    // A deactivated user has no reset link to give; reactivated, they do again.
    expect(await row('learner.admin@panel.test').getByRole('button', { name: 'Reset link' }).count()).toBe(0);
    await checkPage('users-deactivated');
    await row('learner.admin@panel.test').getByRole('button', { name: 'Reactivate' }).click();
    expect(await row('learner.admin@panel.test').getByRole('cell', { name: 'active', exact: true }).count()).toBe(1);

    await row('learner.admin@panel.test').getByRole('button', { name: 'Reset link' }).click();
    const link = (await page.locator('#secret-value').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^${harness.baseUrl}/admin/reset-password/[\\w-]{20,}$`));
    const reset = await fetch(link);
    expect(reset.status).toBe(200);
    expect(await reset.text()).toContain('learner.admin@panel.test');

    await page.getByLabel('E-mail').fill('leaving@panel.test');
    await page.getByRole('button', { name: 'Add user' }).click();
    await row('leaving@panel.test').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('deleted');
    expect(await row('leaving@panel.test').count()).toBe(0);
    expect((await harness.context.accounts.listUsers(organizationId)).map((user) => user.email)).not.toContain('leaving@panel.test');
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
    await page.getByRole('link', { name: 'All webhooks' }).click();
    await checkPage('webhooks');
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

  it("shows each file's course title, standard and authoring tool from its extraction", async () => {
    await page.goto('/admin/files');
    const cells = await page.getByRole('row', { name: new RegExp(PACKAGE) }).getByRole('cell').allTextContents();
    expect(cells.slice(0, 3)).toEqual([PACKAGE, 'Emerging Technologies for the Circular Economy', 'SCORM 1.2']);
    expect(cells[3]).toMatch(/^Adapt/);
    expect(await page.locator('.count').textContent()).toBe('1 file');
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
    const files = (await (await api('/v1/scorm-files/', apiKey)).json()) as { results: { id: number; file_name: string }[] };
    const fileId = files.results.find((file) => file.file_name === PACKAGE)!.id;
    await send('/v1/collections', { identifier: 'circular', scormFileId: fileId });
    await send('/v1/contexts', { identifier: 'circular-2026', collectionId: 'circular', name: 'Spring 2026', enrollment: 'open' });
    const learner = await learnerHeaders();
    const contents = (await (await api('/v1/collections/circular', apiKey)).json()) as { contents: { contentId: string; name: string }[] };
    courseContent = contents.contents[0]!;
    const ref = { contentId: courseContent.contentId, collectionId: 'circular', contextId: 'circular-2026' };
    await send('/v1/view/update', envelope('api.view.update', { ...ref, progressDetails: { progress: 40 }, timeSpent: 125 }), learner);
    await send('/v1/assessment/submit', envelope('api.assess.submit', { ...ref, attemptId: 'a1', assessments: [{ questionId: 'q1', score: 3, maxScore: 4, assessmentTs: Date.now() }] }), learner);

    await page.goto('/admin/files');
    await page.getByRole('link', { name: 'Learners' }).click();
    await checkPage('learners');
    await page.getByLabel('Learner id').fill('learner-7');
    await page.getByRole('button', { name: 'Show their record' }).click();
    await page.waitForURL('**/admin/learners?user=learner-7');
    const section = page.locator('section.page');
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('Emerging Technologies for the Circular Economy');
    const row = section.getByRole('row', { name: new RegExp(contents.contents[0]!.name) });
    expect((await row.getByRole('cell').allTextContents()).slice(1)).toEqual(['In progress', '40%', '2 min 5 s', '3 / 4 (1 attempt)']);
    await checkPage('learner');
  });

  it('lists the collections, and shows a collection with its contents and contexts', async () => {
    // A second batch of the course, dated, with a certificate that the learner earns by completing it.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await send('/v1/contexts', {
      identifier: 'circular-certified',
      collectionId: 'circular',
      name: 'Certified spring',
      enrollment: 'open',
      startDate: day(-1),
      endDate: day(365),
      certificate: { name: 'Circular economy certificate', criteria: { minScorePercent: 50 } },
    });
    const ref = { contentId: courseContent.contentId, collectionId: 'circular', contextId: 'circular-certified' };
    const learner = await learnerHeaders();
    await send('/v1/assessment/submit', envelope('api.assess.submit', { ...ref, attemptId: 'c1', assessments: [{ questionId: 'q1', score: 4, maxScore: 4, assessmentTs: Date.now() }] }), learner);
    await send('/v1/view/end', envelope('api.view.end', ref), learner);

    await page.getByRole('link', { name: 'Collections' }).click();
    await page.waitForURL('**/admin/collections');
    const row = page.locator('tbody tr', { has: page.locator('code', { hasText: /^circular$/ }) });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['Emerging Technologies for the Circular Economy', 'circular', '1', expect.stringMatching(/UTC$/)]);
    await checkPage('collections');

    await row.getByRole('link').click();
    await page.waitForURL('**/admin/collections/circular');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Emerging Technologies for the Circular Economy');
    const content = page.getByRole('region', { name: 'Contents' }).getByRole('row', { name: new RegExp(courseContent.name) });
    expect(await content.getByRole('cell').allTextContents()).toEqual(['1', courseContent.name, courseContent.contentId, 'Yes']);
    const contexts = page.getByRole('table', { name: /Contexts of/ });
    expect(await contexts.getByRole('row', { name: /Spring 2026/ }).getByRole('cell').allTextContents()).toEqual(['Spring 2026', 'circular-2026', '–', '–', '–']);
    const certified = await contexts.getByRole('row', { name: /Certified spring/ }).getByRole('cell').allTextContents();
    expect(certified).toEqual(['Certified spring', 'circular-certified', `${day(-1)} 00:00 UTC`, `${day(365)} 23:59 UTC`, 'Circular economy certificate']);
    expect(await page.locator('.count').textContent()).toBe('2 contexts');
    await checkPage('collection');
  });

  it('shows a context with its dates, its certificate rule and its enrollments', async () => {
    await page.getByRole('link', { name: 'Certified spring' }).click();
    await page.waitForURL('**/admin/contexts/circular-certified');
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('Open: learners join with their first launch');
    expect(facts).toContain('Circular economy certificate, on completion with at least 50% of the best scores of the required contents');
    const enrollment = page.getByRole('row', { name: /Sam Reed/ });
    const cells = await enrollment.getByRole('cell').allTextContents();
    expect(cells[0]).toBe('Sam Reedlearner-7');
    expect(cells.slice(2)).toEqual(['Completed', '100%', expect.stringMatching(/UTC$/), 'Active']);
    expect(await page.locator('.count').textContent()).toBe('1 learner');
    await checkPage('context');
    // A manager follows the learner to their summary.
    await enrollment.getByRole('link', { name: 'Sam Reed' }).click();
    await page.waitForURL('**/admin/learners/learner-7');
  });

  it("shows a learner's summary: each enrollment's collection, context, status, progress and best scores", async () => {
    await page.goto('/admin/learners?user=learner-7');
    await page.getByRole('link', { name: 'Summary of learner-7' }).click();
    await page.waitForURL('**/admin/learners/learner-7');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Summary of learner-7');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const open = await page.getByRole('row', { name: /circular-2026/ }).getByRole('cell').allTextContents();
    expect([open[0], open[1], ...open.slice(3, 6)]).toEqual(['Emerging Technologies for the Circular Economy', 'circular-2026', 'In progress', '0%', `${courseContent.name}: 3 / 4`]);
    const certified = await page.getByRole('row', { name: /circular-certified/ }).getByRole('cell').allTextContents();
    expect(certified.slice(3)).toEqual(['Completed', '100%', `${courseContent.name}: 4 / 4`, 'Circular economy certificate']);
    await checkPage('learner-summary');
  });

  it('lists the issued certificates with their learner, collection, date and verification link', async () => {
    await page.getByRole('link', { name: 'Certificates' }).click();
    await page.waitForURL('**/admin/certificates');
    const row = page.getByRole('row', { name: /Sam Reed/ });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['Sam Reed', 'Circular economy certificate', 'Emerging Technologies for the Circular EconomyCertified spring']);
    expect(cells[3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(await page.locator('.count').textContent()).toBe('1 certificate');
    await checkPage('certificates');
    const verification = await page.request.get((await row.getByRole('link', { name: /^Verify/ }).getAttribute('href')) as string, { headers: { accept: 'application/json' } });
    expect(await verification.json()).toMatchObject({ valid: true, name: 'Circular economy certificate', learner: { userId: 'learner-7', name: 'Sam Reed' }, context: { identifier: 'circular-certified' } });
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

  it('sorts the files by a column, on the server, keeping the filters', async () => {
    await page.goto('/admin/files');
    expect(await fileNames()).toEqual(['long.zip', PACKAGE]);
    // Newest first unless asked otherwise.
    expect(await page.getByRole('columnheader', { name: 'Uploaded' }).getAttribute('aria-sort')).toBe('descending');

    await page.getByRole('link', { name: 'Title', exact: true }).click();
    await page.waitForURL('**/admin/files?sort=title&dir=asc');
    expect(await fileNames()).toEqual([PACKAGE, 'long.zip']);
    expect(await page.getByRole('columnheader', { name: 'Title' }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('link', { name: 'Title', exact: true }).click();
    await page.waitForURL('**/admin/files?sort=title&dir=desc');
    expect(await fileNames()).toEqual(['long.zip', PACKAGE]);

    // The generated course names no tool: it comes last, whichever way.
    await page.getByRole('link', { name: 'Tool', exact: true }).click();
    expect(await fileNames()).toEqual([PACKAGE, 'long.zip']);
    await page.getByRole('link', { name: 'Tool', exact: true }).click();
    await page.waitForURL('**/admin/files?sort=tool&dir=desc');
    expect(await fileNames()).toEqual([PACKAGE, 'long.zip']);

    // Both are SCORM 1.2: the upload order breaks the tie, in the direction asked for.
    await page.getByRole('link', { name: 'Standard', exact: true }).click();
    expect(await fileNames()).toEqual([PACKAGE, 'long.zip']);
    await page.getByRole('link', { name: 'Standard', exact: true }).click();
    expect(await fileNames()).toEqual(['long.zip', PACKAGE]);
    await page.getByRole('link', { name: 'Name', exact: true }).click();
    await page.waitForURL('**/admin/files?sort=name&dir=asc');
    expect(await fileNames()).toEqual([PACKAGE, 'long.zip']);

    // A search keeps the sort, and the headers keep the search.
    await page.getByLabel('Search by name').fill('.zip');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**/admin/files?q=.zip**');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');
    expect(await fileNames()).toEqual([PACKAGE, 'long.zip']);
    expect(await page.getByRole('link', { name: 'Uploaded', exact: true }).getAttribute('href')).toBe('/admin/files?q=.zip&sort=date&dir=desc');
    await checkPage('files-sorted');
    await page.getByRole('link', { name: 'Uploaded', exact: true }).click();
    expect(await fileNames()).toEqual(['long.zip', PACKAGE]);
    expect(await page.locator('.count').textContent()).toBe('2 files');
  });

  it('shows a member the collections, but not the learners or certificates, which need a manager', async () => {
    const memberContext = await browser.newContext({ viewport: DESKTOP, baseURL: harness.baseUrl });
    const member = await memberContext.newPage();
    try {
      await member.goto('/admin/sign-in');
      await member.getByLabel('E-mail').fill('learner.admin@panel.test');
      await member.getByLabel('Password').fill(memberPassword);
      await member.getByRole('button', { name: 'Sign in' }).click();
      await member.waitForURL('**/admin/files');
      expect(await member.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Files', 'Collections']);
      // A member sees their own files only: none.
      expect(await member.locator('.empty').textContent()).toContain('No SCORM files yet');

      await member.goto('/admin/contexts/circular-certified');
      expect(await member.getByRole('row', { name: /Sam Reed/ }).getByRole('cell').first().textContent()).toBe('Sam Reedlearner-7');
      expect(await member.getByRole('link', { name: 'Sam Reed' }).count()).toBe(0);
      await checkPage('context-member', member);

      for (const path of ['/admin/certificates', '/admin/learners/learner-7']) {
        const response = await member.goto(path);
        expect(response?.status()).toBe(403);
        expect(await member.getByRole('heading', { level: 1 }).textContent()).toBe('Not allowed');
      }
      await checkPage('not-allowed', member);
    } finally {
      await memberContext.close();
    }
  });

  it('answers an unknown page, or an unknown collection or context, with a not-found page', async () => {
    for (const path of ['/admin/collections/no-such-course', '/admin/contexts/no-such-batch', '/admin/no-such-page']) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
    }
    expect(await page.locator('main code').textContent()).toBe('page_not_found');
    await checkPage('not-found');
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

  it('checked every kind of page: each section and each detail page, at desktop and phone widths', () => {
    const kinds = [
      '/admin/sign-in', '/admin/files', '/admin/files/\\d+', '/admin/extractions/\\d+', '/admin/collections', '/admin/collections/[^/]+',
      '/admin/contexts/[^/]+', '/admin/learners', '/admin/learners/[^/]+', '/admin/certificates', '/admin/keys', '/admin/users',
      '/admin/webhooks', '/admin/webhooks/\\d+', '/admin/no-such-page',
    ];
    const unchecked = kinds.filter((kind) => ![...checkedPaths].some((path) => new RegExp(`^${kind}$`).test(path)));
    expect(unchecked).toEqual([]);
  });

  it('kept every page within its content security policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
