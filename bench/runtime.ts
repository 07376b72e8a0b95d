import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { scorm12Manifest } from '../test/support/packages.js';
import { freePort } from '../test/support/ports.js';
import { writeZip } from '../test/support/zip-writer.js';
import { startService, stopService, BENCH_KEY } from './measure.js';

const LEARNERS = 100;
const SECONDS = 5;
const ROUNDS = 3;
const WARMUP_SECONDS = 2;

interface Learner {
  session: string;
  delivery: number;
  sequence: number;
  acknowledged: number;
}

interface Load {
  latencies: number[];
  failed: number;
  seconds: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** SCORM 1.2's HHHH:MM:SS, so the stored session time says which commit was applied last. */
const timespan = (seconds: number) =>
  `${String(Math.floor(seconds / 3600)).padStart(4, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;

const commitOf = (learner: Learner) =>
  JSON.stringify({
    item: 'item1',
    delivery: learner.delivery,
    sequence: learner.sequence,
    terminated: false,
    cmi: { core: { lesson_location: `page-${learner.sequence}`, lesson_status: 'incomplete', session_time: timespan(learner.sequence), total_time: '0000:00:00' }, suspend_data: 'x'.repeat(2000) },
  });

/**
 * Each learner commits, one commit after another, for `seconds`: its own connection, the
 * latency of each commit measured from send to answer. `url` null sends to the learner's
 * session; otherwise to that URL (the bare route), with the very same bodies.
 */
async function commits(agent: Agent, origin: string, learners: Learner[], url: string | null, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    learners.map(async (learner) => {
      while (performance.now() < deadline) {
        learner.sequence += 1;
        const started = performance.now();
        const response = await request(`${origin}${url ?? `${learner.session}commits`}`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
          body: commitOf(learner),
        }).catch(() => undefined);
        await response?.body.text();
        latencies.push(performance.now() - started);
        if (response?.statusCode === 200) {
          if (url === null) learner.acknowledged = learner.sequence;
        } else failed++;
      }
    }),
  );
  return { latencies, failed, seconds };
}

function line(name: string, load: Load) {
  const sorted = [...load.latencies].sort((a, b) => a - b);
  const perSecond = load.latencies.length / load.seconds;
  console.log(
    `  ${name.padEnd(28)} ${perSecond.toFixed(0).padStart(6)} commits/s  p50 ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  (${load.failed} failed)`,
  );
  return perSecond;
}

async function post(origin: string, url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${origin}${url}`, { method: 'POST', headers: { 'x-api-key': BENCH_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A package uploaded and extracted, and a delivered SCO per learner. */
async function prepare(origin: string, work: string): Promise<Learner[]> {
  const zip = path.join(work, 'course.zip');
  await writeZip(zip, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('Bench course', ['Lesson']) },
    { name: 'page1.html', data: '<html><body><h1>Lesson</h1></body></html>' },
  ]);
  const form = new FormData();
  form.append('file', await fs.openAsBlob(zip), 'course.zip');
  const uploaded = await fetch(`${origin}/v1/scorm-files/upload/`, { method: 'POST', headers: { 'x-api-key': BENCH_KEY }, body: form });
  const fileId = ((await uploaded.json()) as { scorm_file_id: number }).scorm_file_id;
  for (let i = 0; ; i++) {
    const file = (await (await fetch(`${origin}/v1/scorm-files/${fileId}/`, { headers: { 'x-api-key': BENCH_KEY } })).json()) as { status: string };
    if (file.status === 'content_extraction_completed') break;
    if (file.status === 'failed' || i > 600) throw new Error(`the bench package was not extracted (${file.status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const learners: Learner[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const launch = await post(origin, '/v1/launches', { scorm_file_id: fileId, userId: `learner-${i}` });
    const opened = await fetch(launch.launch_url as string, { redirect: 'manual' });
    const session = new URL(opened.headers.get('location')!, launch.launch_url as string).pathname;
    const { delivery } = (await (await fetch(`${origin}${session}deliveries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: 'item1' }) })).json()) as { delivery: number };
    learners.push({ session, delivery, sequence: 0, acknowledged: 0 });
  }
  return learners;
}

/**
 * Runtime commits of the player: 100 learners committing their SCO's data at once, next to a
 * bare Fastify route given the same bodies; afterwards every learner's saved data must be the
 * last commit the service acknowledged (or one sent after it).
 */
export async function benchRuntime(): Promise<void> {
  console.log(
    `runtime: ${LEARNERS} learners each committing a SCORM 1.2 SCO's data (2 KB of suspend data) one commit after another, ` +
      `${WARMUP_SECONDS} s of warm-up, then ${ROUNDS} rounds of ${SECONDS} s alternating with the baseline (all rounds' latencies pooled)`,
  );
  console.log('  baseline: a bare Fastify route answering {} to the same requests (build/bench/bare-server.js); command: node build/bench/run.js runtime');
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-runtime-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const service = await startService({ LENS_DATA_DIR: work, LENS_BOOTSTRAP_API_KEY: BENCH_KEY, LENS_PUBLIC_URL: origin }, port);
  const barePort = await freePort();
  const bare = await startService({}, barePort, ['build/bench/bare-server.js', String(barePort), os.tmpdir()]);
  const agent = new Agent({ connections: LEARNERS });
  try {
    const learners = await prepare(origin, work);
    const bareOrigin = `http://127.0.0.1:${barePort}`;
    await commits(agent, origin, learners, null, WARMUP_SECONDS);
    await commits(agent, bareOrigin, learners.map((l) => ({ ...l })), '/json', WARMUP_SECONDS);
    const service: Load = { latencies: [], failed: 0, seconds: 0 };
    const baseline: Load = { latencies: [], failed: 0, seconds: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [load, into] of [
        [await commits(agent, origin, learners, null, SECONDS), service],
        [await commits(agent, bareOrigin, learners.map((l) => ({ ...l })), '/json', SECONDS), baseline],
      ] as const) {
        into.latencies.push(...load.latencies);
        into.failed += load.failed;
        into.seconds += load.seconds;
      }
    }
    const bareRate = line('bare route', baseline);
    const rate = line('commits, SQLite', service);
    console.log(`    ${((rate / bareRate) * 100).toFixed(1)}% of the bare route's throughput   (target: p99 <= 50 ms)`);
    // The saved location names the last commit applied: never one before the last acknowledged.
    let lost = 0;
    for (const learner of learners) {
      const answer = (await (await fetch(`${origin}${learner.session}deliveries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: 'item1' }) })).json()) as { cmi: { core: { lesson_location: string } } };
      const saved = Number(answer.cmi.core.lesson_location.replace('page-', ''));
      if (!(saved >= learner.acknowledged)) lost++;
    }
    console.log(`    learners whose last acknowledged commit is missing: ${lost} of ${LEARNERS}`);
  } finally {
    await agent.close();
    await stopService(bare);
    await stopService(service);
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
