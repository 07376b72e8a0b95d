import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/ports.js';
import { BENCH_KEY, loadTest, mib, peakRssBytes, startService, stopService } from './measure.js';

const CONNECTIONS = 50;
const BATCH = 10;
const SECONDS = 10;
const WARMUP_SECONDS = 3;
const VERBS = ['http://adlnet.gov/expapi/verbs/experienced', 'http://adlnet.gov/expapi/verbs/answered', 'http://adlnet.gov/expapi/verbs/progressed'];

interface Load {
  statementsPerSecond: number;
  p99: number;
  failed: number;
}

/** A batch as a course sends it: ten statements of one learner, each with its own id, verb and result. */
function batch(learner: number): { ids: string[]; body: string } {
  const ids = Array.from({ length: BATCH }, () => randomUUID());
  const statements = ids.map((id, i) => ({
    id,
    actor: { objectType: 'Agent', name: `Learner ${learner}`, account: { homePage: 'https://sso.example.com', name: `learner-${learner}` } },
    verb: { id: VERBS[i % VERBS.length], display: { 'en-US': 'did' } },
    object: { objectType: 'Activity', id: `https://example.com/course/page-${i}`, definition: { name: { 'en-US': `Page ${i}` } } },
    result: { completion: i === BATCH - 1, duration: 'PT12S' },
    context: { registration: '6f0b0d5c-2b7a-4a42-9f7e-0c8a1f7e2d11', contextActivities: { parent: [{ id: 'https://example.com/course' }] } },
    timestamp: new Date().toISOString(),
  }));
  return { ids, body: JSON.stringify(statements) };
}

/** POSTs batches of statements on every connection; the ids of each acknowledged batch are kept. */
async function load(url: string, authorization: string, acknowledged: Set<string> | undefined, seconds: number): Promise<Load> {
  let connections = 0;
  const result = await loadTest({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, context: { learner?: number; ids?: string[] }) => {
          context.learner ??= connections++;
          const { ids, body } = batch(context.learner);
          context.ids = ids;
          return { ...req, headers: { 'content-type': 'application/json', authorization, 'x-experience-api-version': '1.0.3' }, body };
        },
        onResponse: (status, _body, context: { ids?: string[] }) => {
          if (status === 200 && acknowledged) for (const id of context.ids ?? []) acknowledged.add(id);
        },
      },
    ],
  });
  return { statementsPerSecond: result['2xx'] * BATCH / seconds, p99: result.latency.p99, failed: result.non2xx + result.errors };
}

/** Every statement the LRS acknowledged, read back through GET /statements and its more links. */
async function unreadable(base: string, authorization: string, acknowledged: Set<string>): Promise<number> {
  const missing = new Set(acknowledged);
  let next = '/xapi/statements?limit=500&ascending=true';
  while (next) {
    const response = await fetch(`${base}${next}`, { headers: { authorization, 'x-experience-api-version': '1.0.3' } });
    const page = (await response.json()) as { statements: { id: string }[]; more: string };
    for (const statement of page.statements) missing.delete(statement.id);
    next = page.more;
  }
  return missing.size;
}

/** Statement ingestion: batches of ten under 50 connections, next to a bare Fastify route answering the same requests. */
export async function benchStatements(): Promise<void> {
  console.log(
    `statements: autocannon, ${CONNECTIONS} connections on loopback, POST /xapi/statements with batches of ${BATCH} statements (new ids), ` +
      `${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s on each side; SQLite`,
  );
  console.log('  baseline: a bare Fastify route answering {} to the same requests (build/bench/bare-server.js); command: node build/bench/run.js statements');
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-statements-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await startService({ LENS_DATA_DIR: work, LENS_BOOTSTRAP_API_KEY: BENCH_KEY, LENS_PUBLIC_URL: base }, port);
  const barePort = await freePort();
  const bare = await startService({}, barePort, ['build/bench/bare-server.js', String(barePort), os.tmpdir()]);
  try {
    const created = await fetch(`${base}/v1/xapi-credentials/`, {
      method: 'POST',
      headers: { 'x-api-key': BENCH_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { key, secret } = (await created.json()) as { key: string; secret: string };
    const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const acknowledged = new Set<string>();
    await load(`${base}/xapi/statements`, authorization, acknowledged, WARMUP_SECONDS);
    await load(`http://127.0.0.1:${barePort}/json`, authorization, undefined, WARMUP_SECONDS);
    const measured = await load(`${base}/xapi/statements`, authorization, acknowledged, SECONDS);
    const baseline = await load(`http://127.0.0.1:${barePort}/json`, authorization, undefined, SECONDS);
    const missing = await unreadable(base, authorization, acknowledged);
    const ratio = ((measured.statementsPerSecond / baseline.statementsPerSecond) * 100).toFixed(1);
    console.log(`  bare route                ${baseline.statementsPerSecond.toFixed(0).padStart(6)} statements/s  p99 ${baseline.p99} ms`);
    console.log(
      `  LRS, SQLite               ${measured.statementsPerSecond.toFixed(0).padStart(6)} statements/s  p99 ${measured.p99} ms  ${ratio}% of the bare route  ` +
        `(${measured.failed} failed)   (target: >= 2,000 statements/s)`,
    );
    console.log(`    acknowledged ${acknowledged.size} statements, unreadable afterwards: ${missing}; service peak RSS ${mib(peakRssBytes(service.pid!))}`);
  } finally {
    await stopService(bare);
    await stopService(service);
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
