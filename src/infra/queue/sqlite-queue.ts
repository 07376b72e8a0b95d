import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { jobCounts, type JobCounts, type JobHandler, type JobQueue, type QueueTimings, type SendOptions, type WorkOptions } from './job-queue.js';
import type { Job } from '../db/schema.js';

const DEFAULT_RETRY_LIMIT = 3;

interface Running {
  token: string;
  jobId: string;
  abort: AbortController;
  done: Promise<void>;
}

export function retryDelayMs(timings: QueueTimings, attempt: number): number {
  const base = timings.retryDelaySeconds * 1000 * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * The embedded queue: jobs are rows of the `jobs` table in the service's own SQLite database, so
 * a job enqueued in a transaction commits with it. A claim takes a lease that the worker renews
 * while the handler runs; a lease that lapses (the worker died) lets any worker claim it again.
 */
export class SqliteJobQueue implements JobQueue {
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly running = new Set<Running>();
  private readonly wake = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly timings: QueueTimings,
  ) {}

  async start(): Promise<void> {
    this.stopping = false;
  }

  async counts(kinds: readonly string[]): Promise<JobCounts[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db
      .selectFrom('jobs')
      .select((eb) => ['queue', 'state', eb.fn.countAll<number>().as('count')])
      .where('queue', 'in', kinds)
      .where('state', 'in', ['queued', 'active'])
      .groupBy(['queue', 'state'])
      .execute();
    return jobCounts(
      kinds,
      rows.map((row) => ({ kind: row.queue, state: row.state === 'active' ? 'running' : 'queued', count: Number(row.count) })),
    );
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    await (options.tx ?? this.db)
      .insertInto('jobs')
      .values({
        id,
        queue: name,
        payload: JSON.stringify(data),
        state: 'queued',
        max_attempts: (options.retryLimit ?? DEFAULT_RETRY_LIMIT) + 1,
        run_after: now + (options.startAfterMs ?? 0),
        lease_token: null,
        lease_expires_at: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (!options.tx) for (const wake of this.wake) wake();
    return id;
  }

  async work<T extends object>(name: string, handler: JobHandler<T>, options: WorkOptions): Promise<void> {
    for (let i = 0; i < options.concurrency; i++) this.loops.push(this.loop(name, handler));
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping = true;
    for (const wake of this.wake) wake();
    const running = [...this.running];
    const settled = Promise.all(running.map((r) => r.done));
    const timedOut = await Promise.race([
      settled.then(() => false),
      sleep(options.timeoutMs ?? 30_000).then(() => true),
    ]);
    if (timedOut) {
      // Handlers that ignore the abort keep running until the process exits; their results are
      // fenced off by the released lease token.
      for (const r of this.running) {
        r.abort.abort();
        await this.release(r);
      }
    } else {
      await Promise.all(this.loops);
    }
    this.loops.length = 0;
  }

  private async loop<T>(name: string, handler: JobHandler<T>): Promise<void> {
    while (!this.stopping) {
      const job = await this.claim(name).catch(() => undefined);
      if (!job) {
        await this.idle();
        continue;
      }
      await this.run(job, handler);
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wake.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.timings.pollIntervalMs);
      this.wake.add(wake);
    });
  }

  private async claim(name: string): Promise<Job | undefined> {
    const now = Date.now();
    const token = randomUUID();
    // One statement, so two workers (or processes) can never claim the same row.
    const claimed = await this.db
      .updateTable('jobs')
      .set({
        state: 'active',
        attempts: sql`attempts + 1`,
        lease_token: token,
        lease_expires_at: now + this.timings.leaseSeconds * 1000,
        updated_at: now,
      })
      .where(
        'id',
        '=',
        this.db
          .selectFrom('jobs')
          .select('id')
          .where('queue', '=', name)
          .where((eb) =>
            eb.or([
              eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]),
              eb.and([eb('state', '=', 'active'), eb('lease_expires_at', '<', now)]),
            ]),
          )
          .orderBy('run_after')
          .limit(1),
      )
      .returningAll()
      .executeTakeFirst();
    if (claimed && claimed.attempts > claimed.max_attempts) {
      // The last attempt's worker died: the job has no tries left.
      await this.finish(claimed, 'failed', 'lease expired on the last attempt');
      return undefined;
    }
    return claimed;
  }

  private async run<T>(job: Job, handler: JobHandler<T>): Promise<void> {
    const abort = new AbortController();
    const token = job.lease_token ?? '';
    const renew = setInterval(
      () => {
        void this.db
          .updateTable('jobs')
          .set({ lease_expires_at: Date.now() + this.timings.leaseSeconds * 1000 })
          .where('id', '=', job.id)
          .where('lease_token', '=', token)
          .execute()
          .catch(() => undefined);
      },
      Math.max(50, (this.timings.leaseSeconds * 1000) / 3),
    );
    const entry: Running = { token, jobId: job.id, abort, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        await handler({
          id: job.id,
          name: job.queue,
          data: JSON.parse(job.payload) as T,
          attempt: job.attempts,
          maxAttempts: job.max_attempts,
          signal: abort.signal,
        });
        if (!abort.signal.aborted) await this.finish(job, 'completed');
      } catch (error) {
        if (!abort.signal.aborted) await this.fail(job, error);
      } finally {
        clearInterval(renew);
        this.running.delete(entry);
      }
    })();
    this.running.add(entry);
    await entry.done;
  }

  private async fail(job: Job, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (job.attempts >= job.max_attempts) return this.finish(job, 'failed', message);
    const now = Date.now();
    await this.db
      .updateTable('jobs')
      .set({
        state: 'queued',
        run_after: now + retryDelayMs(this.timings, job.attempts),
        lease_token: null,
        lease_expires_at: null,
        last_error: message.slice(0, 2000),
        updated_at: now,
      })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.lease_token)
      .execute()
      .catch(() => undefined);
  }

  private async finish(job: Job, state: 'completed' | 'failed', lastError?: string): Promise<void> {
    // Completed jobs leave nothing worth keeping; failed ones stay for inspection.
    const fenced =
      state === 'completed'
        ? this.db.deleteFrom('jobs').where('id', '=', job.id).where('lease_token', '=', job.lease_token)
        : this.db
            .updateTable('jobs')
            .set({
              state,
              lease_token: null,
              lease_expires_at: null,
              last_error: lastError?.slice(0, 2000) ?? null,
              updated_at: Date.now(),
            })
            .where('id', '=', job.id)
            .where('lease_token', '=', job.lease_token);
    await fenced.execute().catch(() => undefined);
  }

  /** Hands a job back without spending an attempt: shutting down is not the job's fault. */
  private async release(running: Running): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        state: 'queued',
        attempts: sql`attempts - 1`,
        lease_token: null,
        lease_expires_at: null,
        updated_at: Date.now(),
      })
      .where('id', '=', running.jobId)
      .where('lease_token', '=', running.token)
      .execute()
      .catch(() => undefined);
  }
}
