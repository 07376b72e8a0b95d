import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { freePort } from '../test/support/ports.js';
import { startService, stopService, BENCH_KEY, loadTest } from './measure.js';

const CONNECTIONS = 100;
/** Rounds of load, alternating between the service and the bare route: the machine's noise hits both. */
const ROUNDS = 5;
const SECONDS = 5;
/**
 * Load on each side before the rounds, not counted: a process's first seconds (code not yet
 * optimized, a database and log still growing from nothing) say nothing about its steady state.
 */
const WARMUP_SECONDS = 3;
const LEARNERS = 100;

interface Load {
  requestsPerSecond: number;
  p99: number;
  ok: number;
  failed: number;
}

const envelope = (id: string, msgid: string, request: object) =>
  JSON.stringify({ id, ver: 'v1', ts: '2026-11-23 00:00:00:000+0000', params: { msgid }, request });

const CONTENT = { contentId: 'lesson', collectionId: 'bench', contextId: 'bench-batch' };
const UPDATE = { ...CONTENT, progressDetails: { mimetype: 'video/mp4', progress: 50 }, timeSpent: 1 };

/**
 * view/update requests, one learner per connection, each update adding one second of time spent;
 * counts the acknowledged updates per learner. The bare route gets the very same requests, so
 * both sides of the ratio carry the same client-side cost.
 */
async function updates(url: string, tokens: string[], acknowledged: number[], seconds = SECONDS): Promise<Load> {
  let connections = 0;
  const result = await loadTest({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, context: { learner?: number }) => {
          context.learner ??= connections++ % tokens.length;
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${BENCH_KEY}`,
              'x-authenticated-user-token': tokens[context.learner]!,
              'x-requested-by': 'bench',
            },
            // A random UUID, as the progress API's clients send (a repeated msgid would be answered without being applied).
            body: envelope('api.view.update', randomUUID(), UPDATE),
          };
        },
        onResponse: (status, _body, context: { learner?: number }) => {
          if (status === 200 && context.learner !== undefined) acknowledged[context.learner]! += 1;
        },
      },
    ],
  });
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors };
}

/** The round with the median throughput, with the totals of every round. */
function medianRound(rounds: Load[]): Load {
  const median = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(rounds.length / 2)]!;
  const total = (field: 'ok' | 'failed') => rounds.reduce((sum, round) => sum + round[field], 0);
  return { ...median, ok: total('ok'), failed: total('failed') };
}

async function api(base: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'x-api-key': BENCH_KEY, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

/**
 * The garbage collector's pauses in the service while `measuring`, from the lines `--trace-gc`
 * prints ("Scavenge 59.5 (79.9) -> 46.7 (79.9) MB, 0.63 / 0.00 ms …"). A line read just after a
 * round ends is not counted, which misses at most a pause or two. The slow mode gc-tuning.ts
 * prevents spent three times as long in scavenges as a normal process, so it would stand out.
 */
class GcPauses {
  measuring = false;
  ms = 0;
  scavenges = 0;
  markCompacts = 0;

  constructor(service: ChildProcess) {
    readline.createInterface({ input: service.stdout! }).on('line', (text) => {
      const pause = /: (Scavenge|Mark-Compact) [^,]*, ([\d.]+) \//.exec(text);
      if (!pause || !this.measuring) return;
      this.ms += Number(pause[2]);
      if (pause[1] === 'Scavenge') this.scavenges++;
      else this.markCompacts++;
    });
  }
}

/**
 * view/update under load for 100 learners in one context, in rounds alternating with the bare
 * route. Afterwards every learner's stored time spent must equal their acknowledged updates.
 */
interface Rounds {
  loads: Load[];
  bares: Load[];
  lost: number;
  gc: GcPauses;
}

async function viewUpdates(env: Record<string, string>): Promise<Rounds> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serviceEnv = { ...env, LENS_BOOTSTRAP_API_KEY: BENCH_KEY, LENS_EMBEDDED_WORKER: 'false' };
  const service = await startService(serviceEnv, port, ['--trace-gc', 'build/src/main.js', 'serve'], 'pipe');
  const gc = new GcPauses(service);
  const barePort = await freePort();
  const bare = await startService({}, barePort, ['build/bench/bare-server.js', String(barePort), os.tmpdir()]);
  try {
    await api(base, '/v1/collections', { identifier: 'bench', name: 'Bench', contents: [{ contentId: 'lesson', name: 'Lesson' }] });
    await api(base, '/v1/contexts', { identifier: 'bench-batch', collectionId: 'bench', name: 'Batch', enrollment: 'open' });
    const tokens: string[] = [];
    for (let i = 0; i < LEARNERS; i++) tokens.push((await api(base, '/v1/auth/learner-token', { userId: `learner-${i}` })).token as string);
    const acknowledged = new Array<number>(LEARNERS).fill(0);
    const loads: Load[] = [];
    const bares: Load[] = [];
    const serviceUrl = `${base}/v1/view/update`;
    const bareUrl = `http://127.0.0.1:${barePort}/json`;
    await updates(serviceUrl, tokens, acknowledged, WARMUP_SECONDS);
    await updates(bareUrl, tokens, [], WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      gc.measuring = true;
      loads.push(await updates(serviceUrl, tokens, acknowledged));
      gc.measuring = false;
      bares.push(await updates(bareUrl, tokens, []));
    }
    // An update still in flight when the load stops may be applied without its answer being
    // counted: only acknowledged updates missing from the store are lost.
    let lost = 0;
    for (let i = 0; i < LEARNERS; i++) {
      const read = await api(base, '/v1/view/read', JSON.parse(envelope('api.view.read', `r-${i}`, CONTENT)), { 'x-authenticated-user-token': tokens[i]! });
      lost += Math.max(0, acknowledged[i]! - ((read.result as { timeSpent?: number }).timeSpent ?? 0));
    }
    return { loads, bares, lost, gc };
  } finally {
    await stopService(bare);
    await stopService(service);
  }
}

const percentOf = (load: Load, bare: Load) => `${((load.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)}%`;

function line(name: string, load: Load, bare: Load, extra = '') {
  console.log(
    `  ${name.padEnd(24)} ${load.requestsPerSecond.toFixed(0).padStart(6)} req/s  p99 ${String(load.p99).padStart(4)} ms  ${percentOf(load, bare)} of the bare route  (${load.ok} ok, ${load.failed} failed)${extra}`,
  );
}

/**
 * The median rounds of both sides, their ratio, every round's ratio to the bare round after it,
 * and the service's GC pauses over its rounds.
 */
function report(database: string, { loads, bares, lost, gc }: Rounds, targets = '') {
  const bare = medianRound(bares);
  line('bare route', bare, bare);
  line(`view/update, ${database}`, medianRound(loads), bare, `  lost updates: ${lost}${targets}`);
  console.log(`    each round: ${loads.map((load, i) => `${percentOf(load, bares[i]!)} (p99 ${load.p99} ms)`).join(', ')}`);
  const share = (gc.ms / (loads.length * SECONDS * 1000)) * 100;
  console.log(`    service GC pauses: ${share.toFixed(1)}% of its rounds (${gc.scavenges} scavenges, ${gc.markCompacts} mark-compacts)`);
}

/** Tracking throughput: view/update on SQLite (and PostgreSQL when configured) next to a bare Fastify route. */
export async function benchTracking(): Promise<void> {
  console.log(
    `tracking: autocannon, ${CONNECTIONS} connections on loopback, POST /v1/view/update with a random UUID msgid, ${LEARNERS} learners in one context; ` +
      `${WARMUP_SECONDS} s of warm-up on each side, then ${ROUNDS} rounds of ${SECONDS} s alternating with the baseline, median round shown`,
  );
  console.log('  baseline: a bare Fastify route answering {} to the same requests (build/bench/bare-server.js)');
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-tracking-'));
  try {
    report('SQLite', await viewUpdates({ LENS_DATA_DIR: path.join(work, 'sqlite') }), '   (targets: >= 40%, p99 <= 25 ms)');
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
      report('PostgreSQL', await viewUpdates({ LENS_DATA_DIR: path.join(work, 'pg'), DATABASE_URL: url.toString() }));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
