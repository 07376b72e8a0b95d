import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { del, get, patch, post } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

let harness: Harness;
let guarded: Harness;
let acme: Tenant;
let globex: Tenant;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // Receivers run on loopback: this service may reach private addresses; `guarded` may not.
  [harness, guarded, receiver] = await Promise.all([
    startHarness({ env: { LENS_ALLOW_PRIVATE_NETWORKS: 'true' } }),
    startHarness(),
    WebhookReceiver.start(),
  ]);
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
});
afterAll(async () => {
  await Promise.all([harness.close(), guarded.close(), receiver.close()]);
});

async function createWebhook(key = acme.manager.key, body: Record<string, unknown> = {}) {
  const response = await post(harness.app, key, '/v1/webhooks/', { url: receiver.url, event: 'content_extraction_completed', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: number; secret: string; owner: number; url: string }>();
}

describe('webhooks API', () => {
  it('creates a webhook owned by the caller and shows its secret only in that answer', async () => {
    const created = await createWebhook();
    expect(created).toEqual({
      id: expect.any(Number),
      url: receiver.url,
      event: 'content_extraction_completed',
      owner: acme.manager.id,
      enabled: true,
      disabled_reason: null,
      previous_secret_expires_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    const read = await get(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('secret');
    const list = await get(harness.app, acme.manager.key, '/v1/webhooks/');
    expect(list.json<{ results: { id: number }[] }>().results.map((w) => w.id)).toContain(created.id);
    expect(list.body).not.toContain(created.secret);
  });

  it('lets a manager give a webhook to a member of the organization, and no one else', async () => {
    expect((await createWebhook(acme.manager.key, { owner: acme.member.id })).owner).toBe(acme.member.id);
    const foreign = await post(harness.app, acme.manager.key, '/v1/webhooks/', { url: receiver.url, event: 'content_extraction_completed', owner: globex.member.id });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'user_not_found' });
  });

  it('is for managers only', async () => {
    const created = await createWebhook();
    for (const response of [
      await post(harness.app, acme.member.key, '/v1/webhooks/', { url: receiver.url, event: 'content_extraction_completed' }),
      await get(harness.app, acme.member.key, '/v1/webhooks/'),
      await get(harness.app, acme.member.key, `/v1/webhooks/${created.id}/`),
      await post(harness.app, acme.member.key, `/v1/webhooks/${created.id}/test/`),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'manager_role_required' });
    }
    expect((await post(harness.app, undefined, '/v1/webhooks/', { url: receiver.url, event: 'content_extraction_completed' })).statusCode).toBe(401);
  });

  it("answers 404 for another organization's webhook, whatever the call", async () => {
    const created = await createWebhook();
    for (const response of [
      await get(harness.app, globex.manager.key, `/v1/webhooks/${created.id}/`),
      await patch(harness.app, globex.manager.key, `/v1/webhooks/${created.id}/`, { enabled: false }),
      await del(harness.app, globex.manager.key, `/v1/webhooks/${created.id}/`),
      await post(harness.app, globex.manager.key, `/v1/webhooks/${created.id}/test/`),
      await post(harness.app, globex.manager.key, `/v1/webhooks/${created.id}/rotate-secret/`),
      await get(harness.app, globex.manager.key, `/v1/webhooks/${created.id}/deliveries/`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'webhook_not_found' });
    }
    expect((await get(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`)).json()).toMatchObject({ enabled: true });
  });

  it.each([
    ['an unknown event', { url: 'https://hooks.example.com/x', event: 'file_deleted' }, 'validation_failed'],
    ['a URL that is not http(s)', { url: 'ftp://hooks.example.com/x', event: 'content_extraction_completed' }, 'webhook_url_invalid'],
    ['a URL with credentials', { url: 'https://user:pw@hooks.example.com/x', event: 'content_extraction_completed' }, 'webhook_url_invalid'],
    ['no URL', { event: 'content_extraction_completed' }, 'validation_failed'],
  ])('refuses %s', async (_label, body, code) => {
    const response = await post(harness.app, acme.manager.key, '/v1/webhooks/', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code });
  });

  it.each([
    ['loopback', 'http://127.0.0.1:9/hook'],
    ['a name for loopback', 'http://localhost:9/hook'],
    ['a private network', 'http://10.1.2.3/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest'],
    ['IPv6 loopback', 'http://[::1]/hook'],
  ])('refuses an endpoint on %s unless private networks are allowed', async (_label, url) => {
    const tenant = await guarded.createTenant('Guarded');
    const response = await post(guarded.app, tenant.manager.key, '/v1/webhooks/', { url, event: 'content_extraction_completed' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'webhook_url_private_address' });
    const allowed = await post(harness.app, acme.manager.key, '/v1/webhooks/', { url, event: 'content_extraction_completed' });
    expect(allowed.statusCode).toBe(201);
  });

  it('changes the URL, disables and enables a webhook', async () => {
    const created = await createWebhook();
    const moved = await patch(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`, { url: `${receiver.url}/moved` });
    expect(moved.json()).toMatchObject({ url: `${receiver.url}/moved`, enabled: true });
    expect((await patch(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`, { enabled: false })).json()).toMatchObject({ enabled: false });
    const test = await post(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/test/`);
    expect(test.statusCode).toBe(409);
    expect(test.json()).toMatchObject({ code: 'webhook_disabled' });
    expect((await patch(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`, { enabled: true })).json()).toMatchObject({ enabled: true });
    const strict = await patch(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`, { secret: 'mine' });
    expect(strict.statusCode).toBe(400);
  });

  it('deletes a webhook: it answers 404 and what it still had to send is cancelled', async () => {
    const created = await createWebhook();
    const queued = await post(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/test/`);
    expect(queued.statusCode).toBe(202);
    const deleted = await del(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await get(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`)).statusCode).toBe(404);
    expect((await del(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/`)).statusCode).toBe(404);
    const delivery = await harness.context.webhooks.repository.delivery(created.id, queued.json<{ id: number }>().id);
    expect(delivery).toMatchObject({ status: 'cancelled', next_attempt_at: null });
  });

  it('sends a signed test event, logs the attempt and resends it under the same webhook-id', async () => {
    const created = await createWebhook();
    const dispatcher = harness.context.webhooks.dispatcher();
    try {
      const queued = await post(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/test/`);
      expect(queued.statusCode).toBe(202);
      const delivery = queued.json<{ id: number; event_id: string }>();
      expect(queued.json()).toMatchObject({ status: 'pending', attempts: 0, attempt_log: [], payload: { test: true, event: 'content_extraction_completed' } });
      const before = receiver.received.length;
      await dispatcher.deliverDue();
      const [first] = receiver.received.slice(before);
      expect(first!.headers['webhook-id']).toBe(delivery.event_id);
      const payload = new StandardWebhook(created.secret).verify(first!.body, first!.headers as Record<string, string>);
      expect(payload).toEqual({
        event: 'content_extraction_completed',
        event_id: delivery.event_id,
        test: true,
        content_extraction_id: null,
        scorm_file_id: null,
        batch_name: '',
        download_url: null,
        status: 'completed',
        started_at: expect.any(String),
        finished_at: expect.any(String),
      });

      const logged = await get(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/deliveries/${delivery.id}/`);
      expect(logged.json()).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        last_status_code: 200,
        attempt_log: [{ attempt: 1, status_code: 200, error: null, response_excerpt: 'ok', duration_ms: expect.any(Number) }],
      });

      const resent = await post(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/deliveries/${delivery.id}/resend/`);
      expect(resent.statusCode).toBe(202);
      await dispatcher.deliverDue();
      const again = receiver.received.at(-1)!;
      expect(again.headers['webhook-id']).toBe(delivery.event_id);
      expect(again.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      const page = await get(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/deliveries/`);
      expect(page.json()).toMatchObject({ count: 1, results: [{ id: delivery.id, status: 'succeeded', attempts: 2 }] });
      expect(page.json<{ results: { attempt_log: unknown[] }[] }>().results[0]!.attempt_log).toHaveLength(2);
    } finally {
      await dispatcher.stop();
    }
  });

  it('rotates the secret: for a day both the new and the old secret verify a delivery', async () => {
    const created = await createWebhook();
    const rotated = await post(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/rotate-secret/`);
    expect(rotated.statusCode).toBe(200);
    const { secret, previous_secret_expires_at: expires } = rotated.json<{ secret: string; previous_secret_expires_at: string }>();
    expect(secret).not.toBe(created.secret);
    expect(Date.parse(expires) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const dispatcher = harness.context.webhooks.dispatcher();
    try {
      await post(harness.app, acme.manager.key, `/v1/webhooks/${created.id}/test/`);
      await dispatcher.deliverDue();
      const delivered = receiver.received.at(-1)!;
      const headers = delivered.headers as Record<string, string>;
      expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(new StandardWebhook(secret).verify(delivered.body, headers)).toMatchObject({ test: true });
      expect(new StandardWebhook(created.secret).verify(delivered.body, headers)).toMatchObject({ test: true });
      expect(() => new StandardWebhook(`whsec_${Buffer.alloc(24, 7).toString('base64')}`).verify(delivered.body, headers)).toThrow();
    } finally {
      await dispatcher.stop();
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const document = (await get(harness.app, undefined, '/openapi.json')).json<{ paths: Record<string, unknown> }>();
    for (const path of [
      '/v1/webhooks/',
      '/v1/webhooks/{id}/',
      '/v1/webhooks/{id}/test/',
      '/v1/webhooks/{id}/rotate-secret/',
      '/v1/webhooks/{id}/deliveries/',
      '/v1/webhooks/{id}/deliveries/{deliveryId}/resend/',
    ]) {
      expect(document.paths).toHaveProperty([path]);
    }
  });
});
