import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { parseExposition, Scrape, scrape } from '../support/metrics.js';
import { freePort } from '../support/ports.js';
import { serveMetrics } from '../../src/modules/metrics/routes.js';
import { defineJob } from '../../src/infra/queue/job-queue.js';
import { startWorker } from '../../src/worker/worker.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';
import { createCollection, createContext, Learner, uniqueId } from '../support/progress.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// What an operator's Prometheus reads at /metrics: each series moves when the service does the work.

const TOKEN = 'metrics-token-of-the-tests';

let harness: Harness;
let acme: Tenant;
let receiver: WebhookReceiver;
let packages: Awaited<ReturnType<typeof packagesDir>>;

beforeAll(async () => {
  [harness, receiver, packages] = await Promise.all([
    startHarness({ env: { LENS_METRICS_TOKEN: TOKEN, LENS_ALLOW_PRIVATE_NETWORKS: 'true', LENS_WEBHOOK_POLL_INTERVAL_MS: '50' } }),
    WebhookReceiver.start(),
    packagesDir(),
  ]);
  acme = await harness.createTenant('Acme');
});
afterAll(async () => {
  await Promise.all([harness.close(), receiver.close(), packages.cleanup()]);
});

const metrics = () => scrape(harness.app, TOKEN);

describe('/metrics', () => {
  it('counts an upload, its jobs, its extraction, the webhook delivery and a progress write', async () => {
    const created = await post(harness.app, acme.manager.key, '/v1/webhooks/', { url: receiver.url, event: 'content_extraction_completed' });
    expect(created.statusCode, created.body).toBe(201);
    const before = await metrics();

    // No worker runs yet: the upload's job waits in the queue.
    const pkg = await writeScormPackage(path.join(packages.dir, 'metrics.zip'), 'Metrics course', ['One page']);
    const uploaded = await upload(harness.app, acme.manager.key, { file: { path: pkg } });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const id = uploaded.json<{ scorm_file_id: number }>().scorm_file_id;
    const waiting = await metrics();
    expect(waiting.value('scorm_lens_jobs', { kind: 'scorm-file-prepare', state: 'queued' })).toBe(1);
    expect(waiting.value('scorm_lens_jobs', { kind: 'content-extraction-run', state: 'queued' })).toBe(0);

    await harness.startWorker();
    await eventually(async () => {
      const file = await get(harness.app, acme.manager.key, `/v1/scorm-files/${id}/`);
      return file.json<{ status: string }>().status === 'content_extraction_completed' ? true : undefined;
    });
    await receiver.waitFor(1);
    const learner = await Learner.of(harness.app, acme.manager.key, uniqueId('learner'), { key: acme.member.key });
    await learner.ok(learner.update({ contentId: 'chapter-1' }, { mimetype: 'application/pdf', progress: 10 }, 5));
    // The delivery is counted once the dispatcher has recorded its answer.
    const after = await eventually(async () => {
      const current = await metrics();
      return current.value('scorm_lens_webhook_deliveries_total', { outcome: 'succeeded' }) > before.value('scorm_lens_webhook_deliveries_total', { outcome: 'succeeded' })
        ? current
        : undefined;
    });

    const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    const upload1 = { method: 'POST', route: '/v1/scorm-files/upload/' };
    expect(moved('scorm_lens_http_requests_total', { ...upload1, status_code: '200' })).toBe(1);
    expect(moved('scorm_lens_http_request_duration_seconds_count', upload1)).toBe(1);
    expect(moved('scorm_lens_http_request_duration_seconds_sum', upload1)).toBeGreaterThan(0);
    expect(moved('scorm_lens_job_runs_total', { kind: 'scorm-file-prepare', outcome: 'completed' })).toBe(1);
    expect(moved('scorm_lens_job_runs_total', { kind: 'content-extraction-run', outcome: 'completed' })).toBe(1);
    expect(after.value('scorm_lens_jobs', { state: 'queued' })).toBe(0);
    expect(after.value('scorm_lens_jobs', { state: 'running' })).toBe(0);
    expect(moved('scorm_lens_extractions_total', { outcome: 'completed' })).toBe(1);
    expect(moved('scorm_lens_extractions_total', { outcome: 'failed' })).toBe(0);
    expect(moved('scorm_lens_extraction_duration_seconds_count', { outcome: 'completed' })).toBe(1);
    expect(moved('scorm_lens_extraction_duration_seconds_sum', { outcome: 'completed' })).toBeGreaterThan(0);
    expect(moved('scorm_lens_webhook_deliveries_total', { outcome: 'succeeded' })).toBe(1);
    expect(moved('scorm_lens_progress_writes_total', { outcome: 'applied' })).toBe(1);
    expect(moved('scorm_lens_group_commit_batch_size_count', { writes: 'progress' })).toBe(1);
    expect(moved('scorm_lens_group_commit_batch_size_sum', { writes: 'progress' })).toBe(1);
    expect(moved('scorm_lens_http_requests_total', { method: 'POST', route: '/v1/view/update', status_code: '200' })).toBe(1);
  });

  it('counts a write the transaction refuses as refused, and a request refused before it as no write', async () => {
    await createCollection(harness.app, acme.manager.key, { identifier: 'metrics-course', contents: [{ contentId: 'chapter-1' }] });
    await createContext(harness.app, acme.manager.key, { identifier: 'metrics-invite', collectionId: 'metrics-course', enrollment: 'invite' });
    const learner = await Learner.of(harness.app, acme.manager.key, uniqueId('learner'), { key: acme.member.key });
    const before = await metrics();
    const notEnrolled = await learner.update({ contentId: 'chapter-1', collectionId: 'metrics-course', contextId: 'metrics-invite' }, { progress: 10 }, 5);
    expect(notEnrolled.statusCode).toBe(403);
    const noCourse = await learner.update({ contentId: 'chapter-1', collectionId: 'no-such-course' }, { progress: 10 }, 5);
    expect(noCourse.statusCode).toBe(400);
    const after = await metrics();
    const moved = (outcome: string) => after.value('scorm_lens_progress_writes_total', { outcome }) - before.value('scorm_lens_progress_writes_total', { outcome });
    expect([moved('refused'), moved('applied')]).toEqual([1, 0]);
  });

  it('labels requests by route pattern, never by URL, and unmatched ones with one label', async () => {
    const before = await metrics();
    for (const id of [424242, 515151]) expect((await get(harness.app, acme.manager.key, `/v1/scorm-files/${id}/`)).statusCode).toBe(404);
    expect((await get(harness.app, undefined, '/no/such/page-73737')).statusCode).toBe(404);
    const after = await metrics();
    const pattern = { method: 'GET', route: '/v1/scorm-files/:id/', status_code: '404' };
    expect(after.value('scorm_lens_http_requests_total', pattern) - before.value('scorm_lens_http_requests_total', pattern)).toBe(2);
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
    expect(after.value('scorm_lens_http_requests_total', unmatched) - before.value('scorm_lens_http_requests_total', unmatched)).toBe(1);
    const labels = after.samples.flatMap((sample) => Object.values(sample.labels)).join(' ');
    expect(labels).not.toMatch(/424242|515151|73737/);
  });

  it("reports the database pool and the process's event-loop lag", async () => {
    const current = await metrics();
    const connections = ['in_use', 'idle', 'waiting'].map((state) => current.has('scorm_lens_database_connections', { state }));
    expect(connections).toEqual([true, true, true]);
    expect(current.value('scorm_lens_database_connections', { state: 'in_use' }) + current.value('scorm_lens_database_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(current.has('scorm_lens_nodejs_eventloop_lag_seconds')).toBe(true);
    expect(current.has('scorm_lens_process_resident_memory_bytes')).toBe(true);
  });

  it('asks for the token, compared whole, and is left out of the API document', async () => {
    const missing = await harness.app.inject({ method: 'GET', url: '/metrics' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'authentication_required' });
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const wrong = await harness.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
      expect(wrong.statusCode, authorization).toBe(401);
      expect(wrong.json()).toMatchObject({ code: 'invalid_metrics_token' });
      expect(wrong.body).not.toContain('scorm_lens_');
    }
    const right = await harness.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `bearer ${TOKEN}` } });
    expect(right.statusCode).toBe(200);
    expect(right.headers['www-authenticate']).toBeUndefined();
    const document = await harness.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(Object.keys(document.json<{ paths: Record<string, unknown> }>().paths)).not.toContain('/metrics');
  });
});

describe('/metrics of jobs that fail', () => {
  it('counts a run that will be retried, then the run that spends the last attempt', async () => {
    const kind = 'metrics-always-failing';
    const before = await metrics();
    const failing = defineJob(kind, async () => {
      throw new Error('this job always fails');
    });
    const { context } = harness;
    await startWorker({ queue: context.queue, jobs: [failing], loops: [], concurrency: 1, metrics: context.metrics, log: context.log });
    await context.queue.send(kind, {}, { retryLimit: 1 });
    const runs = (current: Scrape, outcome: string) => current.value('scorm_lens_job_runs_total', { kind, outcome }) - before.value('scorm_lens_job_runs_total', { kind, outcome });
    const after = await eventually(async () => {
      const current = await metrics();
      return runs(current, 'failed') > 0 ? current : undefined;
    });
    expect([runs(after, 'retried'), runs(after, 'failed'), runs(after, 'completed')]).toEqual([1, 1, 0]);
  });
});

describe('/metrics without a token', () => {
  let own: Harness;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    own = await startHarness({ env: { LENS_METRICS_PORT: String(port) } });
  });
  afterAll(() => own.close());

  it('is not on the API port, and is on LENS_METRICS_PORT, as `serve` and `worker` start it', async () => {
    expect((await own.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const close = await serveMetrics({ ...own.config, host: '127.0.0.1' }, own.context.metrics, own.context.log);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      const scraped = new Scrape(parseExposition(await response.text()));
      expect(scraped.has('scorm_lens_jobs', { kind: 'content-extraction-run', state: 'queued' })).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/health/`)).status).toBe(404);
    } finally {
      await close();
    }
  });

  it('asks for the token on its own port too when one is set', async () => {
    const tokenPort = await freePort();
    const config = { ...own.config, host: '127.0.0.1', metricsPort: tokenPort, metricsToken: TOKEN };
    const close = await serveMetrics(config, own.context.metrics, own.context.log);
    try {
      expect((await fetch(`http://127.0.0.1:${tokenPort}/metrics`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${tokenPort}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    } finally {
      await close();
    }
  });
});
