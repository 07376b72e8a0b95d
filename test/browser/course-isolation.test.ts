import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { haveChromium, launchChromium } from '../support/chromium.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { packagesDir, scorm12Manifest } from '../support/packages.js';
import { launchFor, playableFile } from '../support/player.js';
import { writeZip } from '../support/zip-writer.js';

// By default the player shares the service's origin with the admin panel. A course is code from
// whoever made the package: played by a signed-in manager, it tries every way a page of the same
// origin has to read the panel, and must find none.

const EMAIL = 'manager@isolation.test';
const PASSWORD = 'a long and honest password';

/** The course's page: on a click, it reaches for the panel by fetch, by a new window and by a frame. */
const HOSTILE_PAGE = `<!doctype html><html><head><title>Lesson</title></head><body>
<h1>Lesson</h1><button id="go">Start</button><pre id="out"></pre>
<script>
const PANEL = '/admin/keys';
const readable = (doc) => Boolean(doc && doc.body && doc.body.innerHTML.includes('New key'));
async function until(check, tries = 100) {
  for (let i = 0; i < tries; i++) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
document.getElementById('go').addEventListener('click', async () => {
  const found = {};
  try {
    const response = await fetch(PANEL, { credentials: 'include' });
    found.fetch = (await response.text()).includes('New key') ? 'read' : 'refused ' + response.status;
  } catch (error) { found.fetch = 'refused'; }
  const opened = window.open(PANEL);
  found.window = (await until(() => { try { return readable(opened && opened.document) ? 'read' : undefined; } catch (error) { return 'refused'; } })) || 'refused';
  try { opened && opened.close(); } catch (error) {}
  const frame = document.createElement('iframe');
  frame.src = PANEL;
  document.body.appendChild(frame);
  found.frame = (await until(() => { try { return readable(frame.contentDocument) ? 'read' : undefined; } catch (error) { return 'refused'; } })) || 'refused';
  document.getElementById('out').textContent = JSON.stringify(found);
});
</script></body></html>`;

describe.skipIf(!haveChromium)('a course played on the admin panel’s origin', () => {
  let harness: Harness;
  let tenant: Tenant;
  let browser: Browser;
  let packages: Awaited<ReturnType<typeof packagesDir>>;

  beforeAll(async () => {
    harness = await startHarness({ listen: true, worker: true });
    tenant = await harness.createTenant('Isolation Org');
    await harness.context.accounts.createUser({ organizationId: tenant.organizationId, email: EMAIL, role: 'manager', password: PASSWORD });
    packages = await packagesDir();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await packages?.cleanup();
  });

  it('reads nothing of the panel of the manager who plays it: not by fetch, a new window or a frame', async () => {
    const file = path.join(packages.dir, 'hostile-course.zip');
    await writeZip(file, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Hostile course', ['Lesson']) },
      { name: 'page1.html', data: HOSTILE_PAGE },
    ]);
    const fileId = await playableFile(harness.app, tenant.manager.key, file);

    const context = await browser.newContext({ baseURL: harness.baseUrl });
    const page = await context.newPage();
    await page.goto('/admin/sign-in');
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/files/);
    // Signed in: the panel itself reads the page the course reaches for.
    await page.goto('/admin/keys');
    expect(await page.content()).toContain('New key');

    const launch = await launchFor(harness.app, tenant.manager.key, { scorm_file_id: fileId, userId: 'manager-as-learner' });
    await page.goto(launch.launch_url);
    const course = await eventually(async () => page.frames().find((frame) => frame.url().includes('/content/page1.html')), 20_000, 'the course frame');
    await course.locator('#go').click();
    const found = await eventually(async () => (await course.locator('#out').textContent()) || undefined, 20_000, 'the course to finish trying');
    expect(JSON.parse(found)).toEqual({ fetch: expect.stringMatching(/^refused/), window: 'refused', frame: 'refused' });
    await context.close();
  });
});
