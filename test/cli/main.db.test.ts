import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { healthy, run, signInToPanel, type Running } from '../support/cli.js';
import { testEnvironment } from '../support/harness.js';
import { parseExposition, Scrape } from '../support/metrics.js';
import { freePort } from '../support/ports.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { Webhook as StandardWebhook } from 'standardwebhooks';

// The command line as an operator runs it: real processes, real signals.

const BOOTSTRAP = {
  LENS_BOOTSTRAP_EMAIL: 'ops@example.com',
  LENS_BOOTSTRAP_PASSWORD: 'correct horse battery staple',
  LENS_BOOTSTRAP_API_KEY: 'sl_automation-key-from-the-environment',
};

let environment: Awaited<ReturnType<typeof testEnvironment>>;
let packages: Awaited<ReturnType<typeof packagesDir>>;
let baseUrl: string;
let env: Record<string, string>;

beforeAll(async () => {
  environment = await testEnvironment({ LOG_LEVEL: 'info' });
  packages = await packagesDir();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = { ...environment.env, PORT: String(port), HOST: '127.0.0.1', ...BOOTSTRAP };
});
afterAll(async () => {
  await environment.cleanup();
  await packages.cleanup();
});

async function uploadPackage(key: string): Promise<number> {
  const file = await writeScormPackage(path.join(packages.dir, `cli-${Date.now()}.zip`), 'CLI course', ['Only page']);
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file), 'cli.zip');
  const response = await fetch(`${baseUrl}/v1/scorm-files/upload/`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
  expect(response.status).toBe(200);
  return ((await response.json()) as { scorm_file_id: number }).scorm_file_id;
}

async function fileStatus(key: string, id: number): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/scorm-files/${id}/`, { headers: { 'x-api-key': key } });
  return ((await response.json()) as { status: string }).status;
}

describe('scorm-lens serve / worker / migrate', () => {
  it('migrate brings an empty database up to date and exits 0', async () => {
    const migrate = run(['migrate'], env);
    expect(await migrate.exited).toBe(0);
    expect(migrate.stdout()).toContain('migrations applied');
  });

  it('serve bootstraps the first manager from the environment, logs JSON and stops cleanly on SIGTERM', async () => {
    const serve = run(['serve'], env);
    await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
    const printed = serve.stdout();
    expect(printed).toContain(`e-mail        ${BOOTSTRAP.LENS_BOOTSTRAP_EMAIL}`);
    expect(printed).toContain(`password      ${BOOTSTRAP.LENS_BOOTSTRAP_PASSWORD}`);
    expect(printed).toContain(`API key       ${BOOTSTRAP.LENS_BOOTSTRAP_API_KEY}`);
    expect(printed).toMatch(/Admin panel: http:\/\/localhost:\d+\/admin /);
    // The printed e-mail and password open the admin panel.
    const signedIn = await signInToPanel(baseUrl, BOOTSTRAP.LENS_BOOTSTRAP_EMAIL, BOOTSTRAP.LENS_BOOTSTRAP_PASSWORD);
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('lens_session='))!.split(';')[0]!;
    const files = await fetch(`${baseUrl}/admin/files`, { headers: { cookie: session }, redirect: 'manual' });
    expect(files.status).toBe(200);
    expect(await files.text()).toContain(BOOTSTRAP.LENS_BOOTSTRAP_EMAIL);
    const logLines = printed.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });

    const id = await uploadPackage(BOOTSTRAP.LENS_BOOTSTRAP_API_KEY);
    await eventually(
      async () => ((await fileStatus(BOOTSTRAP.LENS_BOOTSTRAP_API_KEY, id)) === 'content_extraction_completed' ? true : undefined),
      30_000,
      'the embedded worker to extract',
    );
    // A signed download link works, and the request log does not keep its signature.
    const details = await fetch(`${baseUrl}/v1/scorm-files/${id}/`, { headers: { 'x-api-key': BOOTSTRAP.LENS_BOOTSTRAP_API_KEY } });
    const link = ((await details.json()) as { last_extraction: { download_link: string } }).last_extraction.download_link;
    const signature = new URL(link).searchParams.get('signature') ?? '';
    expect(signature.length).toBeGreaterThan(10);
    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(((await download.json()) as { package: { title: string } }).package.title).toBe('CLI course');
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.stdout()).toContain('shutting down');
    expect(serve.stdout()).toContain('signature=REDACTED');
    expect(serve.stdout()).not.toContain(signature);
  });

  it('an acknowledged upload survives a crash of the server, and a separate worker picks up its queued job', async () => {
    const apiOnly = run(['serve'], { ...env, LENS_EMBEDDED_WORKER: 'false' });
    await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
    expect(apiOnly.stdout()).not.toContain('shown only this once');
    const id = await uploadPackage(BOOTSTRAP.LENS_BOOTSTRAP_API_KEY);
    expect(await fileStatus(BOOTSTRAP.LENS_BOOTSTRAP_API_KEY, id)).toBe('processing');
    apiOnly.child.kill('SIGKILL');
    expect(await apiOnly.exited).toBeNull();

    const serve = run(['serve'], { ...env, LENS_EMBEDDED_WORKER: 'false' });
    const metricsPort = await freePort();
    const worker = run(['worker'], { ...env, LENS_METRICS_PORT: String(metricsPort) });
    await eventually(() => healthy(baseUrl), 30_000, 'the server to answer again');
    await eventually(
      async () => ((await fileStatus(BOOTSTRAP.LENS_BOOTSTRAP_API_KEY, id)) === 'content_extraction_completed' ? true : undefined),
      30_000,
      'the separate worker to pick up the queued job',
    );
    // The worker has no API port: its metrics, where its runs are counted, are on a port of their own.
    const scraped = new Scrape(parseExposition(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()));
    expect(scraped.value('scorm_lens_job_runs_total', { kind: 'content-extraction-run', outcome: 'completed' })).toBe(1);
    expect(scraped.value('scorm_lens_extractions_total', { outcome: 'completed' })).toBe(1);
    expect(scraped.value('scorm_lens_jobs', { state: 'queued' })).toBe(0);
    worker.child.kill('SIGTERM');
    serve.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await serve.exited).toBe(0);
  });

  it('refuses a bad configuration and an unknown command with exit code 2', async () => {
    const badPort = run(['serve'], { ...env, PORT: 'eighty' });
    expect(await badPort.exited).toBe(2);
    expect(badPort.stderr()).toContain('PORT must be a whole number');
    const unknown = run(['launch'], env);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain('Usage: scorm-lens <command>');
  });
});

describe('acknowledged progress', () => {
  const key = BOOTSTRAP.LENS_BOOTSTRAP_API_KEY;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${url}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const envelope = (id: string, msgid: string, fields: object) => ({ id, ver: 'v1', ts: '2026-11-23 00:00:00:000+0000', params: { msgid }, request: fields });

  async function serve(): Promise<Running> {
    const serving = run(['serve'], { ...env, LENS_EMBEDDED_WORKER: 'false' });
    await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
    return serving;
  }

  /** A course of one content with an open context, and the headers of each learner. */
  async function course(identifier: string, users: string[]) {
    expect((await post('/v1/collections', { identifier, name: 'Crash course', contents: [{ contentId: 'c1', name: 'One' }] })).status).toBe(201);
    expect((await post('/v1/contexts', { identifier: `${identifier}-batch`, collectionId: identifier, name: 'Batch', enrollment: 'open' })).status).toBe(201);
    const learners = [];
    for (const userId of users) {
      const { token } = (await (await post('/v1/auth/learner-token', { userId })).json()) as { token: string };
      learners.push({ 'x-authenticated-user-token': token, 'x-requested-by': 'cli-test' });
    }
    return { request: { contentId: 'c1', collectionId: identifier, contextId: `${identifier}-batch` }, learners };
  }

  async function view(request: object, learner: Record<string, string>) {
    const read = await post('/v1/view/read', envelope('api.view.read', 'r', request), learner);
    return ((await read.json()) as { result: { timeSpent: number; progress: number } }).result;
  }

  it('survives a crash of the server: every update that got its answer is there after a restart', async () => {
    const serving = await serve();
    const { request, learners } = await course('crash', ['survivor']);
    const learner = learners[0]!;
    const updates = await Promise.all(
      Array.from({ length: 50 }, (_v, i) =>
        post('/v1/view/update', envelope('api.view.update', `u${i}`, { ...request, progressDetails: { progress: i }, timeSpent: 2 }), learner),
      ),
    );
    expect(updates.map((r) => r.status)).toEqual(updates.map(() => 200));
    serving.child.kill('SIGKILL');
    expect(await serving.exited).toBeNull();

    const again = await serve();
    expect(await view(request, learner)).toMatchObject({ timeSpent: 100, progress: 49 });
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('loses no answered update to a crash under load, and applies a retried unanswered one exactly once', async () => {
    const serving = await serve();
    const { request, learners } = await course('crash-load', Array.from({ length: 8 }, (_v, i) => `learner-${i}`));
    const answered = learners.map(() => 0);
    const statuses = new Set<number>();
    const unanswered: object[] = [];
    let total = 0;
    // Each learner sends updates one after another, each with its own msgid, until the server is gone.
    await Promise.all(
      learners.map(async (learner, i) => {
        for (let n = 0; ; n++) {
          const body = envelope('api.view.update', `load-${i}-${n}`, { ...request, progressDetails: { progress: 10 }, timeSpent: 1 });
          const status = await post('/v1/view/update', body, learner).then(async (r) => (await r.text(), r.status), () => undefined);
          if (status === undefined) return void (unanswered[i] = body);
          statuses.add(status);
          answered[i]! += 1;
          if (++total === 400) serving.child.kill('SIGKILL');
        }
      }),
    );
    expect(await serving.exited).toBeNull();
    expect([...statuses]).toEqual([200]);

    const again = await serve();
    try {
      for (const [i, learner] of learners.entries()) {
        // The update in flight at the crash may or may not have been applied; every answered one was.
        const { timeSpent } = await view(request, learner);
        expect(timeSpent === answered[i] || timeSpent === answered[i]! + 1, `learner ${i}: ${timeSpent} s for ${answered[i]} answers`).toBe(true);
        // The client sends it again, with its msgid: it counts once either way.
        expect((await post('/v1/view/update', unanswered[i], learner)).status).toBe(200);
        expect((await view(request, learner)).timeSpent).toBe(answered[i]! + 1);
      }
    } finally {
      again.child.kill('SIGTERM');
    }
    expect(await again.exited).toBe(0);
  });
});

describe('acknowledged runtime commits', () => {
  const key = BOOTSTRAP.LENS_BOOTSTRAP_API_KEY;
  const post = (url: string, body: unknown) =>
    fetch(`${baseUrl}${url}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('loses no answered commit to a crash of the server, and applies a retried unanswered one exactly once', async () => {
    let serving = run(['serve'], env);
    await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
    const fileId = await uploadPackage(key);
    await eventually(async () => ((await fileStatus(key, fileId)) === 'content_extraction_completed' ? true : undefined), 60_000, 'the extraction');
    const { token } = (await (await post('/v1/auth/learner-token', { userId: 'crash-learner' })).json()) as { token: string };
    const { launch_url: launchUrl } = (await (await post('/v1/launches', { scorm_file_id: fileId, learnerToken: token })).json()) as { launch_url: string };
    const opened = await fetch(launchUrl, { redirect: 'manual' });
    const sessionUrl = new URL(opened.headers.get('location')!, launchUrl).href;
    const runtime = (path: string, body: unknown) =>
      fetch(`${sessionUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const { delivery } = (await (await runtime('deliveries', { item: 'item1' })).json()) as { delivery: number };
    // Each commit reports one more second of the session, and its own location.
    const commitOf = (sequence: number) => ({
      item: 'item1',
      delivery,
      sequence,
      terminated: false,
      cmi: { core: { lesson_location: `p${sequence}`, lesson_status: 'incomplete', session_time: `00:00:${String(sequence % 60).padStart(2, '0')}`, total_time: `0000:${String(Math.floor(sequence / 60)).padStart(2, '0')}:00` } },
    });
    let answered = 0;
    let unanswered = 0;
    for (let sequence = 1; ; sequence++) {
      if (sequence === 40) serving.child.kill('SIGKILL');
      const status = await runtime('commits', commitOf(sequence)).then(async (r) => (await r.text(), r.status), () => undefined);
      if (status === undefined) {
        unanswered = sequence;
        break;
      }
      expect(status).toBe(200);
      answered = sequence;
    }
    expect(await serving.exited).toBeNull();

    serving = run(['serve'], env);
    try {
      await eventually(() => healthy(baseUrl), 30_000, 'the server to answer again');
      const view = async () => {
        const read = await fetch(`${baseUrl}/v1/view/read`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json', 'x-authenticated-user-token': token },
          body: JSON.stringify({ id: 'api.view.read', ver: 'v1', ts: '2026-11-23 00:00:00:000+0000', params: {}, request: { contentId: 'item1', collectionId: `scorm-file-${fileId}`, contextId: `scorm-file-${fileId}` } }),
        });
        return ((await read.json()) as { result: { timeSpent: number } }).result.timeSpent;
      };
      // Every answered commit is there; the one in flight at the crash may be too.
      expect([answered, unanswered]).toContain(await view());
      // The runtime sends it again: it counts once either way.
      expect((await runtime('commits', commitOf(unanswered))).status).toBe(200);
      expect(await view()).toBe(unanswered);
      const resumed = (await (await runtime('deliveries', { item: 'item1' })).json()) as { cmi: { core: { lesson_location: string; entry: string } } };
      expect(resumed.cmi.core).toMatchObject({ entry: 'resume', lesson_location: `p${unanswered}` });
    } finally {
      serving.child.kill('SIGTERM');
    }
    expect(await serving.exited).toBe(0);
  });
});

describe('webhook outbox', () => {
  it('delivers an event whose status change committed just before a crash, once the service is back', async () => {
    const receiver = await WebhookReceiver.start();
    const key = BOOTSTRAP.LENS_BOOTSTRAP_API_KEY;
    // The first process looks at its outbox only at start: the event waits there when it is killed.
    const withHooks = { ...env, LENS_ALLOW_PRIVATE_NETWORKS: 'true' };
    const first = run(['serve'], { ...withHooks, LENS_WEBHOOK_POLL_INTERVAL_MS: '600000' });
    try {
      await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
      const created = await fetch(`${baseUrl}/v1/webhooks/`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, event: 'content_extraction_completed' }),
      });
      expect(created.status).toBe(201);
      const { secret } = (await created.json()) as { secret: string };
      const id = await uploadPackage(key);
      await eventually(async () => ((await fileStatus(key, id)) === 'content_extraction_completed' ? true : undefined), 30_000, 'the extraction');
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      expect(receiver.received).toHaveLength(0);

      const again = run(['serve'], withHooks);
      const [delivered] = await receiver.waitFor(1, 30_000);
      const payload = new StandardWebhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>);
      expect(payload).toMatchObject({ event: 'content_extraction_completed', scorm_file_id: id, status: 'completed' });
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      await receiver.close();
    }
  });
});
