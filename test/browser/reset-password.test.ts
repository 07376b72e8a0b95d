import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, DESKTOP, haveChromium, launchChromium } from '../support/chromium.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';

// The page a password-reset link opens, as a user reaches it: from the link, with the keyboard.

describe.skipIf(!haveChromium)('password-reset page in Chromium', () => {
  let harness: Harness;
  let tenant: Tenant;
  let browser: Browser;
  let page: Page;
  let email = '';

  beforeAll(async () => {
    harness = await startHarness({ listen: true });
    tenant = await harness.createTenant('Reset Org');
    email = (await harness.context.accounts.getUser(tenant.organizationId, tenant.member.id)).email;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP, baseURL: harness.baseUrl })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('sets a new password from the link once, and then the user signs in with it', async () => {
    const issued = await fetch(`${harness.baseUrl}/v1/users/${tenant.member.id}/password-reset/`, {
      method: 'POST',
      headers: { 'x-api-key': tenant.manager.key },
    });
    expect(issued.status).toBe(201);
    const { reset_url: link } = (await issued.json()) as { reset_url: string };

    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');
    expect(await page.getByLabel('E-mail').inputValue()).toBe(email);
    // The password field has the focus: the user can type at once.
    expect(await page.evaluate('document.activeElement.id')).toBe('password');
    await checkPage(page, 'reset-password');

    await page.keyboard.type('a new password for me');
    await page.getByLabel('New password again').fill('a different one entirely');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The two passwords differ');
    await checkPage(page, 'reset-password-mismatch');

    await page.getByLabel('New password', { exact: true }).fill('a new password for me');
    await page.getByLabel('New password again').fill('a new password for me');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`The password of ${email} is set.`);
    await checkPage(page, 'reset-password-done');

    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Link expired');
    await checkPage(page, 'reset-password-used');

    await page.goto('/admin/sign-in');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('a new password for me');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/admin/files');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('SCORM files');
  });
});
