import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../test/support/ports.js';
import { startService, stopService } from './measure.js';

const CONNECTIONS = 100;
const SECONDS = 10;
const LEARNERS = 100;
const KEY = 'sl_benchmark-key-000000000000000000';

interface Load {
  requestsPerSecond: number;
  p99: number;
  ok: number;
  failed: number;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function bareRoute(): Promise<Load> {
  const port = await freePort();
  const bare = await startService({}, port, ['build/bench/bare-server.js', String(port), os.tmpdir()]);
  try {
    const result = await run({
      url: `http://127.0.0.1:${port}/json`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    return { requestsPerSecond: result.requests.average, p99: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors };
  } finally {
    await stopService(bare);
  }
}

async function api(base: string, method: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

const envelope = (id: string, msgid: string, request: object) =>
  JSON.stringify({ id, ver: 'v1', ts: '2026-11-23 00:00:00:000+0000', params: { msgid }, request });

/**
 * view/update under load: 100 learners, one per connection, each update adding one second of
 * time spent. Afterwards every learner's stored time spent must equal their acknowledged updates.
 */
async function viewUpdates(env: Record<string, string>): Promise<Load & { lost: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await startService({ ...env, LENS_BOOTSTRAP_API_KEY: KEY, LENS_EMBEDDED_WORKER: 'false' }, port);
  try {
    await api(base, 'POST', '/v1/collections', { identifier: 'bench', name: 'Bench', contents: [{ contentId: 'lesson', name: 'Lesson' }] });
    await api(base, 'POST', '/v1/contexts', { identifier: 'bench-batch', collectionId: 'bench', name: 'Batch', enrollment: 'open' });
    const tokens: string[] = [];
    for (let i = 0; i < LEARNERS; i++) {
      tokens.push((await api(base, 'POST', '/v1/auth/learner-token', { userId: `learner-${i}` })).token as string);
    }
    const acknowledged = new Array<number>(LEARNERS).fill(0);
    let connections = 0;
    let sent = 0;
    const request = { contentId: 'lesson', collectionId: 'bench', contextId: 'bench-batch', progressDetails: { mimetype: 'video/mp4', progress: 50 }, timeSpent: 1 };
    const result = await run({
      url: `${base}/v1/view/update`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req, context: { learner?: number }) => {
            context.learner ??= connections++ % LEARNERS;
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${KEY}`,
                'x-authenticated-user-token': tokens[context.learner]!,
                'x-requested-by': 'bench',
              },
              body: envelope('api.view.update', `m-${++sent}`, request),
            };
          },
          onResponse: (status, _body, context: { learner?: number }) => {
            if (status === 200 && context.learner !== undefined) acknowledged[context.learner]! += 1;
          },
        },
      ],
    });
    // An update still in flight when the load stops may be applied without its answer being
    // counted: only acknowledged updates missing from the store are lost.
    let lost = 0;
    for (let i = 0; i < LEARNERS; i++) {
      const read = await api(base, 'POST', '/v1/view/read', JSON.parse(envelope('api.view.read', `r-${i}`, { contentId: 'lesson', collectionId: 'bench', contextId: 'bench-batch' })), {
        'x-authenticated-user-token': tokens[i]!,
      });
      const stored = ((read.result as { timeSpent?: number }).timeSpent ?? 0);
      lost += Math.max(0, acknowledged[i]! - stored);
    }
    return { requestsPerSecond: result.requests.average, p99: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors, lost };
  } finally {
    await stopService(service);
  }
}

function line(name: string, load: Load, bare: Load, extra = '') {
  const ratio = ((load.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0);
  console.log(
    `  ${name.padEnd(22)} ${load.requestsPerSecond.toFixed(0).padStart(6)} req/s  p99 ${String(load.p99).padStart(4)} ms  ${ratio}% of the bare route  (${load.ok} ok, ${load.failed} failed)${extra}`,
  );
}

/** Tracking throughput: view/update on SQLite (and PostgreSQL when configured) next to a bare Fastify route. */
export async function benchTracking(): Promise<void> {
  console.log(`tracking: autocannon, ${CONNECTIONS} connections for ${SECONDS} s on loopback, POST /v1/view/update, ${LEARNERS} learners in one context`);
  console.log('  baseline: a bare Fastify route answering {} (build/bench/bare-server.js)');
  const bare = await bareRoute();
  line('bare route', bare, bare);
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-tracking-'));
  try {
    const sqlite = await viewUpdates({ LENS_DATA_DIR: path.join(work, 'sqlite') });
    line('view/update, SQLite', sqlite, bare, `  lost updates: ${sqlite.lost}   (targets: >= 40%, p99 <= 25 ms)`);
    const adminUrl = process.env.LENS_BENCH_POSTGRES_URL ?? process.env.LENS_TEST_POSTGRES_URL;
    if (!adminUrl) {
      console.log('  view/update, PostgreSQL: skipped (set LENS_BENCH_POSTGRES_URL to a server where a database may be created)');
      return;
    }
    const name = `lens_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const postgres = await viewUpdates({ LENS_DATA_DIR: path.join(work, 'pg'), DATABASE_URL: url.toString() });
      line('view/update, PostgreSQL', postgres, bare, `  lost updates: ${postgres.lost}`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
