import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { del, eventually, get, patch, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { writeZip } from '../support/zip-writer.js';
import { MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MS } from '../../src/modules/webhooks/schedule.js';
import type { WebhookDispatcher } from '../../src/modules/webhooks/dispatcher.js';

let harness: Harness;
let acme: Tenant;
let receiver: WebhookReceiver;
let packages: Awaited<ReturnType<typeof packagesDir>>;

beforeAll(async () => {
  [harness, receiver, packages] = await Promise.all([
    startHarness({ env: { LENS_ALLOW_PRIVATE_NETWORKS: 'true', LENS_WEBHOOK_TIMEOUT_SECONDS: '1', LENS_WEBHOOK_POLL_INTERVAL_MS: '50' } }),
    WebhookReceiver.start(),
    packagesDir(),
  ]);
  acme = await harness.createTenant('Acme');
});
afterAll(async () => {
  await Promise.all([harness.close(), receiver.close(), packages.cleanup()]);
});
beforeEach(() => {
  receiver.answer = () => ({ status: 200, body: 'ok' });
});
// Every test's webhooks go away after it, so its leftover deliveries never fall due in another.
const created: { id: number; key: string }[] = [];
afterEach(async () => {
  for (const { id, key } of created.splice(0)) await del(harness.app, key, `/v1/webhooks/${id}/`);
});

/** A clock the test moves by hand; deliveries are sent only when the test runs a round. */
class FakeClock {
  constructor(public time = Date.now()) {}
  now = () => this.time;
  advance(ms: number) {
    this.time += ms;
  }
}

async function createWebhook(key = acme.manager.key, owner?: number) {
  const response = await post(harness.app, key, '/v1/webhooks/', { url: receiver.url, event: 'content_extraction_completed', ...(owner ? { owner } : {}) });
  expect(response.statusCode, response.body).toBe(201);
  const webhook = response.json<{ id: number; secret: string }>();
  created.push({ id: webhook.id, key });
  return webhook;
}

async function deliveryOf(webhookId: number, id: number) {
  const response = await get(harness.app, acme.manager.key, `/v1/webhooks/${webhookId}/deliveries/${id}/`);
  return response.json<{
    status: string;
    attempts: number;
    next_attempt_at: string | null;
    attempt_log: { attempt: number; status_code: number | null; error: string | null; attempted_at: string }[];
  }>();
}

/** A test event for a fresh webhook, with a dispatcher on a fake clock (no jitter: random = 0.5). */
async function queuedTest() {
  const webhook = await createWebhook();
  const queued = await post(harness.app, acme.manager.key, `/v1/webhooks/${webhook.id}/test/`);
  const clock = new FakeClock();
  const dispatcher = harness.context.webhooks.dispatcher({ clock, random: () => 0.5 });
  return { webhook, delivery: queued.json<{ id: number; event_id: string }>(), clock, dispatcher };
}

/** Runs rounds until the receiver got `count` requests in all, moving the clock to each due time. */
async function runUntil(dispatcher: WebhookDispatcher, clock: FakeClock, webhookId: number, deliveryId: number) {
  await dispatcher.deliverDue();
  const state = await deliveryOf(webhookId, deliveryId);
  if (state.next_attempt_at) clock.time = Date.parse(state.next_attempt_at);
  return state;
}

describe('the retry schedule', () => {
  it('spreads eight attempts over about a day, each delay within a fifth of its nominal value', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    const total = RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(total / 3600_000).toBeGreaterThan(24);
    expect(total / 3600_000).toBeLessThan(30);
    RETRY_DELAYS_MS.forEach((delay, i) => {
      expect(nextAttemptAt(i + 1, 0, () => 0)).toBe(Math.round(delay * 0.8));
      expect(nextAttemptAt(i + 1, 0, () => 1)).toBe(Math.round(delay * 1.2));
    });
    expect(nextAttemptAt(MAX_ATTEMPTS, 0, () => 0.5)).toBeNull();
    expect(nextAttemptAt(1, 0, () => 0.5, 60_000)).toBe(60_000);
  });
});

describe('webhook delivery', () => {
  it('retries a failing endpoint on schedule with the same webhook-id, until it answers 2xx', async () => {
    const { webhook, delivery, clock, dispatcher } = await queuedTest();
    const statuses = [500, 503, 302, 200];
    const start = receiver.received.length;
    receiver.answer = (_r, i) => ({ status: statuses[i - start] ?? 200, headers: { location: 'http://127.0.0.1:1/' } });
    const t0 = clock.time;
    await dispatcher.deliverDue();
    // Nothing is due before the first delay has passed.
    clock.advance(RETRY_DELAYS_MS[0]! - 1);
    expect(await dispatcher.deliverDue()).toBe(0);
    clock.time = t0;
    for (let attempt = 1; attempt < statuses.length; attempt++) {
      const state = await deliveryOf(webhook.id, delivery.id);
      expect(state.status).toBe('pending');
      expect(Date.parse(state.next_attempt_at!) - clock.time).toBe(RETRY_DELAYS_MS[attempt - 1]);
      clock.time = Date.parse(state.next_attempt_at!);
      await dispatcher.deliverDue();
    }
    const done = await deliveryOf(webhook.id, delivery.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 4, next_attempt_at: null });
    expect(done.attempt_log.map((a) => a.status_code)).toEqual([500, 503, 302, 200]);
    const sent = receiver.received.slice(start);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.event_id]));
    expect(new Set(sent.map((r) => r.headers['webhook-signature'])).size).toBe(4);
    await dispatcher.stop();
  });

  it("honours a 429's Retry-After", async () => {
    const { webhook, delivery, clock, dispatcher } = await queuedTest();
    receiver.answer = () => ({ status: 429, headers: { 'retry-after': '120' } });
    const sentAt = clock.time;
    await dispatcher.deliverDue();
    const state = await deliveryOf(webhook.id, delivery.id);
    expect(Date.parse(state.next_attempt_at!) - sentAt).toBe(120_000);
    receiver.answer = () => ({ status: 429, headers: { 'retry-after': new Date(sentAt + 10 * 60_000).toUTCString() } });
    clock.time = Date.parse(state.next_attempt_at!);
    await dispatcher.deliverDue();
    const dated = await deliveryOf(webhook.id, delivery.id);
    // An HTTP date works too; the schedule's own 5 minutes would be sooner.
    expect(Date.parse(dated.next_attempt_at!)).toBeGreaterThanOrEqual(Math.floor((sentAt + 10 * 60_000) / 1000) * 1000);
    await dispatcher.stop();
  });

  it('counts a timeout as a failure', async () => {
    const { webhook, delivery, dispatcher } = await queuedTest();
    receiver.answer = () => ({ status: 200, delayMs: 1500 });
    await dispatcher.deliverDue();
    const state = await deliveryOf(webhook.id, delivery.id);
    expect(state).toMatchObject({ status: 'pending', attempts: 1, attempt_log: [{ status_code: null, error: 'No answer within 1 s' }] });
    await dispatcher.stop();
  });

  it('delivers to a receiver that was down for a while once it is back', async () => {
    const { webhook, delivery, clock, dispatcher } = await queuedTest();
    const start = receiver.received.length;
    await receiver.down();
    try {
      for (let i = 0; i < 3; i++) await runUntil(dispatcher, clock, webhook.id, delivery.id);
    } finally {
      await receiver.up();
    }
    const down = await deliveryOf(webhook.id, delivery.id);
    expect(down.attempt_log.map((a) => a.error)).toEqual(['Connection refused', 'Connection refused', 'Connection refused']);
    await runUntil(dispatcher, clock, webhook.id, delivery.id);
    expect(await deliveryOf(webhook.id, delivery.id)).toMatchObject({ status: 'succeeded', attempts: 4 });
    expect(receiver.received.slice(start).map((r) => r.headers['webhook-id'])).toEqual([delivery.event_id]);
    await dispatcher.stop();
  });

  it('disables an endpoint that keeps failing for a day, and says why; enabling it clears that', async () => {
    const { webhook, delivery, clock, dispatcher } = await queuedTest();
    receiver.answer = () => ({ status: 500, body: 'broken' });
    const t0 = clock.time;
    for (let i = 0; i < MAX_ATTEMPTS; i++) await runUntil(dispatcher, clock, webhook.id, delivery.id);
    const failed = await deliveryOf(webhook.id, delivery.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null });
    const hours = (Date.parse(failed.attempt_log.at(-1)!.attempted_at) - t0) / 3600_000;
    expect(hours).toBeGreaterThan(24);
    expect(hours).toBeLessThan(30);
    const disabled = (await get(harness.app, acme.manager.key, `/v1/webhooks/${webhook.id}/`)).json<{ enabled: boolean; disabled_reason: string }>();
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabled_reason).toContain(`after ${MAX_ATTEMPTS} failed attempts`);
    expect(disabled.disabled_reason).toContain('HTTP 500');
    const enabled = await harness.app.inject({
      method: 'PATCH',
      url: `/v1/webhooks/${webhook.id}/`,
      headers: { 'x-api-key': acme.manager.key },
      payload: { enabled: true },
    });
    expect(enabled.json()).toMatchObject({ enabled: true, disabled_reason: null });
    await dispatcher.stop();
  });

  it('never takes a delivery twice, even with two dispatchers at once', async () => {
    const { webhook, delivery, dispatcher } = await queuedTest();
    const other = harness.context.webhooks.dispatcher();
    const start = receiver.received.length;
    await Promise.all([dispatcher.deliverDue(), other.deliverDue()]);
    expect(receiver.received.length - start).toBe(1);
    expect(await deliveryOf(webhook.id, delivery.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    await Promise.all([dispatcher.stop(), other.stop()]);
  });
});

describe('content_extraction_completed', () => {
  // A worker with its dispatcher on the real clock, after the fake-clock tests are done.
  beforeAll(() => harness.startWorker());

  it("reaches the organization's managers and the file's owner, signed, with a download_url that works", async () => {
    const owner = await harness.addUser(acme, 'member');
    const bystander = await harness.addUser(acme, 'member');
    const [managers, owners, bystanders] = [
      await createWebhook(),
      await createWebhook(acme.manager.key, owner.id),
      await createWebhook(acme.manager.key, bystander.id),
    ];
    const file = await writeScormPackage(path.join(packages.dir, 'hooked.zip'), 'Hooked course', ['Welcome']);
    const uploaded = await upload(harness.app, owner.key, { file: { path: file }, batchName: 'autumn' });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const fileId = uploaded.json<{ scorm_file_id: number }>().scorm_file_id;
    const events = await eventually(async () => {
      const mine = receiver.received.filter((r) => JSON.parse(r.body).scorm_file_id === fileId);
      return mine.length >= 2 ? mine : undefined;
    });
    const extraction = (await get(harness.app, owner.key, `/v1/scorm-files/${fileId}/`)).json<{ last_extraction: { id: number; started_at: string; finished_at: string } }>().last_extraction;
    const bySecret = events.map((event) => {
      const headers = event.headers as Record<string, string>;
      for (const hook of [managers, owners, bystanders]) {
        try {
          return { hook: hook.id, payload: new StandardWebhook(hook.secret).verify(event.body, headers) as Record<string, unknown> };
        } catch {
          // not this webhook's secret
        }
      }
      throw new Error('a delivery no secret verifies');
    });
    expect(bySecret.map((e) => e.hook).sort()).toEqual([managers.id, owners.id].sort());
    const payload = bySecret[0]!.payload;
    expect(payload).toEqual({
      event: 'content_extraction_completed',
      event_id: events[0]!.headers['webhook-id'],
      content_extraction_id: extraction.id,
      scorm_file_id: fileId,
      batch_name: 'autumn',
      download_url: expect.stringMatching(/^http/),
      status: 'completed',
      started_at: extraction.started_at,
      finished_at: extraction.finished_at,
    });
    const download = await harness.app.inject({ method: 'GET', url: (payload.download_url as string).replace(harness.baseUrl, '') });
    expect(download.statusCode).toBe(200);
    expect(download.json()).toMatchObject({ package: { title: 'Hooked course' } });
    const silent = await get(harness.app, acme.manager.key, `/v1/webhooks/${bystanders.id}/deliveries/`);
    expect(silent.json()).toMatchObject({ count: 0 });
  });

  it("hears nothing for a deactivated owner until the owner is reactivated: a member's of their own files, a manager's of any", async () => {
    const owner = await harness.addUser(acme, 'member');
    const otherManager = await harness.addUser(acme, 'manager');
    const [managers, owners, otherManagers] = [
      await createWebhook(),
      await createWebhook(acme.manager.key, owner.id),
      await createWebhook(acme.manager.key, otherManager.id),
    ];
    const file = await writeScormPackage(path.join(packages.dir, 'owned.zip'), 'Owned course', ['Welcome']);
    const uploaded = await upload(harness.app, owner.key, { file: { path: file } });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const fileId = uploaded.json<{ scorm_file_id: number }>().scorm_file_id;
    const deliveries = async (hook: { id: number }) =>
      (await get(harness.app, acme.manager.key, `/v1/webhooks/${hook.id}/deliveries/`)).json<{ count: number }>().count;
    // The outbox rows of one event are written together: once the managers' webhook has its n-th, the others have theirs.
    const events = async (n: number) => {
      await eventually(async () => ((await deliveries(managers)) >= n ? true : undefined), 30_000, `event ${n}`);
      return Promise.all([deliveries(owners), deliveries(otherManagers)]);
    };
    expect(await events(1)).toEqual([1, 1]);

    const setActive = (user: { id: number }, active: boolean) => patch(harness.app, acme.manager.key, `/v1/users/${user.id}/`, { is_active: active });
    const extractAgain = async () => {
      const extraction = (await get(harness.app, acme.manager.key, `/v1/scorm-files/${fileId}/`)).json<{ last_extraction: { id: number } }>().last_extraction;
      expect((await post(harness.app, acme.manager.key, `/v1/content-extractions/${extraction.id}/restart/`)).statusCode).toBe(200);
    };
    expect((await setActive(owner, false)).statusCode).toBe(200);
    expect((await setActive(otherManager, false)).statusCode).toBe(200);
    await extractAgain();
    expect(await events(2)).toEqual([1, 1]);

    expect((await setActive(owner, true)).statusCode).toBe(200);
    await extractAgain();
    expect(await events(3)).toEqual([2, 1]);
  });

  it('reports a failed extraction with status failed and no download_url', async () => {
    const hook = await createWebhook();
    const noManifest = path.join(packages.dir, 'no-manifest.zip');
    await writeZip(noManifest, [{ name: 'index.html', data: '<p>hello</p>' }]);
    const uploaded = await upload(harness.app, acme.manager.key, { file: { path: noManifest } });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const fileId = uploaded.json<{ scorm_file_id: number }>().scorm_file_id;
    const event = await eventually(async () => receiver.received.find((r) => JSON.parse(r.body).scorm_file_id === fileId));
    expect(receiver.received.filter((r) => JSON.parse(r.body).scorm_file_id === fileId)).toHaveLength(1);
    const payload = new StandardWebhook(hook.secret).verify(event.body, event.headers as Record<string, string>);
    expect(payload).toMatchObject({ scorm_file_id: fileId, status: 'failed', download_url: null, finished_at: expect.any(String) });
  });
});
