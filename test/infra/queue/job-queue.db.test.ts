import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedJob } from '../../../src/infra/queue/job-queue.js';
import { eventually } from '../../support/api.js';
import { testDatabaseKind } from '../../support/databases.js';
import { testEnvironment } from '../../support/harness.js';
import { openQueue } from './queue-under-test.js';

// One contract, two implementations: the vitest project decides which database (and so which queue).
let location: { databaseUrl: string | undefined; sqlitePath: string };
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const environment = await testEnvironment();
  location = {
    databaseUrl: environment.env.DATABASE_URL,
    sqlitePath: path.join(environment.dataDir, 'queue.db'),
  };
  cleanup = environment.cleanup;
});
afterAll(() => cleanup());

let queueNames = 0;
const newQueueName = () => `contract-${testDatabaseKind()}-${++queueNames}`;

interface Seen {
  id: string;
  value: number;
  attempt: number;
}

describe(`JobQueue contract (${testDatabaseKind()})`, () => {
  it('runs a sent job once, with its data and the message id send returned', async () => {
    const { queue, close } = await openQueue(location);
    const name = newQueueName();
    const seen: Seen[] = [];
    const id = await queue.send(name, { value: 7 });
    await queue.work<{ value: number }>(name, async (job) => void seen.push({ id: job.id, value: job.data.value, attempt: job.attempt }), {
      concurrency: 2,
    });
    await eventually(async () => (seen.length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(seen).toEqual([{ id, value: 7, attempt: 1 }]);
    await close();
  });

  it('retries a failing job until it succeeds, counting attempts', async () => {
    const { queue, close } = await openQueue(location);
    const name = newQueueName();
    const attempts: number[] = [];
    await queue.send(name, { value: 1 }, { retryLimit: 3 });
    await queue.work(
      name,
      async (job: QueuedJob<object>) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`failure ${job.attempt}`);
      },
      { concurrency: 1 },
    );
    await eventually(async () => (attempts.length === 3 ? true : undefined), 30_000, 'three attempts');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(attempts).toEqual([1, 2, 3]);
    await close();
  });

  it('gives up after the retry limit', async () => {
    const { queue, close } = await openQueue(location);
    const name = newQueueName();
    const attempts: { attempt: number; max: number }[] = [];
    await queue.send(name, { value: 1 }, { retryLimit: 1 });
    await queue.work(
      name,
      async (job: QueuedJob<object>) => {
        attempts.push({ attempt: job.attempt, max: job.maxAttempts });
        throw new Error('always fails');
      },
      { concurrency: 1 },
    );
    await eventually(async () => (attempts.length === 2 ? true : undefined), 30_000, 'two attempts');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(attempts).toEqual([
      { attempt: 1, max: 2 },
      { attempt: 2, max: 2 },
    ]);
    await close();
  });

  it('enqueues inside a transaction: nothing if it rolls back, the job if it commits', async () => {
    const { queue, database, close } = await openQueue(location);
    const name = newQueueName();
    const seen: number[] = [];
    await queue.send(name, { value: 0 }).then(() => undefined);
    await expect(
      database.db.transaction().execute(async (tx) => {
        await queue.send(name, { value: 1 }, { tx });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await database.db.transaction().execute(async (tx) => {
      await queue.send(name, { value: 2 }, { tx });
    });
    await queue.work<{ value: number }>(name, async (job) => void seen.push(job.data.value), { concurrency: 1 });
    await eventually(async () => (seen.length === 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(seen.sort()).toEqual([0, 2]);
    await close();
  });

  it('keeps jobs queued while no worker runs, across a restart of the queue', async () => {
    const first = await openQueue(location);
    const name = newQueueName();
    for (const value of [1, 2, 3]) await first.queue.send(name, { value });
    await first.close();
    const second = await openQueue(location);
    const seen: number[] = [];
    await second.queue.work<{ value: number }>(name, async (job) => void seen.push(job.data.value), { concurrency: 1 });
    await eventually(async () => (seen.length === 3 ? true : undefined));
    expect(seen.sort()).toEqual([1, 2, 3]);
    await second.close();
  });

  it('counts the jobs of each kind queued (delayed ones too) and running, the same from any process', async () => {
    const { queue, close } = await openQueue(location);
    const other = await openQueue(location);
    const [name, idle] = [newQueueName(), newQueueName()];
    await queue.send(name, { value: 1 });
    await queue.send(name, { value: 2 }, { startAfterMs: 60_000 });
    const counts = () => queue.counts([name, idle]);
    expect(await counts()).toEqual([
      { kind: name, queued: 2, running: 0 },
      { kind: idle, queued: 0, running: 0 },
    ]);
    let finish = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    await queue.work(name, () => held, { concurrency: 1 });
    const running = [{ kind: name, queued: 1, running: 1 }];
    await eventually(async () => ((await queue.counts([name])).at(0)?.running === 1 ? true : undefined), 10_000, 'the job to run');
    expect(await queue.counts([name])).toEqual(running);
    expect(await other.queue.counts([name])).toEqual(running);
    finish();
    await eventually(async () => ((await other.queue.counts([name])).at(0)?.running === 0 ? true : undefined), 10_000, 'the job to finish');
    expect(await queue.counts([name])).toEqual([{ kind: name, queued: 1, running: 0 }]);
    await other.close();
    await close();
  });

  it('hands a job whose worker was killed to another worker once the lease expires', async () => {
    const { queue, close } = await openQueue(location);
    const name = newQueueName();
    const id = await queue.send(name, { value: 42 }, { retryLimit: 2 });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'hanging-worker.ts'), name, location.databaseUrl ?? '', location.sqlitePath],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(async () => (output.includes(`claimed ${id} attempt 1`) ? true : undefined), 30_000, 'the child to claim');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const taken: { id: string; attempt: number }[] = [];
    await queue.work(name, async (job) => void taken.push({ id: job.id, attempt: job.attempt }), { concurrency: 1 });
    await eventually(async () => (taken.length > 0 ? true : undefined), 30_000, 'the takeover');
    expect(taken).toEqual([{ id, attempt: 2 }]);
    await close();
  });

  it('lets running jobs finish on a graceful stop', async () => {
    const { queue, database, close } = await openQueue(location);
    const name = newQueueName();
    let finished = false;
    let started = false;
    await queue.send(name, { value: 1 });
    await queue.work(
      name,
      async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 600));
        finished = true;
      },
      { concurrency: 1 },
    );
    await eventually(async () => (started ? true : undefined));
    await queue.stop({ timeoutMs: 10_000 });
    expect(finished).toBe(true);
    await database.close();
    // A new worker finds nothing left to do.
    const again = await openQueue(location);
    const rerun: unknown[] = [];
    await again.queue.work(name, async (job) => void rerun.push(job), { concurrency: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(rerun).toEqual([]);
    await again.close();
    await close().catch(() => undefined);
  });
});
