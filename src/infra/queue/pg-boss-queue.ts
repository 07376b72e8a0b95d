import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Tx } from '../db/database.js';
import { jobCounts, type JobCounts, type JobHandler, type JobQueue, type QueueTimings, type SendOptions, type WorkOptions } from './job-queue.js';
import { isUniqueViolation } from '../db/database.js';

const DEFAULT_RETRY_LIMIT = 3;
const SCHEMA = 'pgboss';

/** Lets pg-boss write its job row through our open Kysely transaction. */
function transactionAdapter(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text, values) {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: [...result.rows] };
    },
  };
}

/** The scale-out queue: pg-boss on the service's PostgreSQL database, in its own `pgboss` schema. */
export class PgBossJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly running = new Map<string, AbortController>();
  private stopping: Promise<void> | undefined;

  constructor(
    connectionString: string,
    private readonly timings: QueueTimings,
    onError: (error: Error) => void,
  ) {
    this.boss = new PgBoss({
      connectionString,
      schema: SCHEMA,
      max: 5,
      maintenanceIntervalSeconds: timings.maintenanceSeconds,
      monitorStateIntervalSeconds: Math.max(60, timings.maintenanceSeconds),
      schedule: false,
    });
    this.boss.on('error', onError);
  }

  async start(): Promise<void> {
    await this.boss.start();
  }

  async counts(kinds: readonly string[]): Promise<JobCounts[]> {
    // pg-boss keeps each queue's jobs in a partition of its own: the names select the partitions.
    const result = await this.boss.getDb().executeSql(
      `SELECT name, state::text AS state, count(*)::int AS count FROM ${SCHEMA}.job
        WHERE name = ANY($1) AND state IN ('created', 'retry', 'active') GROUP BY name, state`,
      [kinds],
    );
    const rows = result.rows as { name: string; state: string; count: number }[];
    return jobCounts(
      kinds,
      rows.map((row) => ({ kind: row.name, state: row.state === 'active' ? 'running' : 'queued', count: row.count })),
    );
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string> {
    await this.ensureQueue(name);
    const id = await this.boss.send(name, data, {
      retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
      retryDelay: this.timings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.timings.leaseSeconds,
      startAfter: options.startAfterMs ? new Date(Date.now() + options.startAfterMs) : undefined,
      ...(options.tx ? { db: transactionAdapter(options.tx) } : {}),
    });
    if (!id) throw new Error(`pg-boss did not accept a job for queue ${name}`);
    return id;
  }

  async work<T extends object>(name: string, handler: JobHandler<T>, options: WorkOptions): Promise<void> {
    await this.ensureQueue(name);
    // pg-boss runs one fetch loop per work() call; several calls give the concurrency.
    for (let i = 0; i < options.concurrency; i++) {
      await this.boss.work<T>(
        name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: Math.max(0.5, this.timings.pollIntervalMs / 1000) },
        async ([job]) => {
          if (!job) return;
          const abort = new AbortController();
          this.running.set(job.id, abort);
          try {
            await handler({
              id: job.id,
              name,
              data: job.data,
              attempt: job.retryCount + 1,
              maxAttempts: job.retryLimit + 1,
              signal: abort.signal,
            });
          } finally {
            this.running.delete(job.id);
          }
        },
      );
    }
  }

  stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping ??= this.shutdown(options.timeoutMs ?? 30_000);
    return this.stopping;
  }

  private async shutdown(timeout: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.boss.once('stopped', () => resolve()));
    // pg-boss waits up to `timeout` for running handlers, then fails the rest so they are retried.
    await this.boss.stop({ graceful: true, timeout, wait: false });
    const abortLate = setTimeout(() => {
      for (const abort of this.running.values()) abort.abort();
    }, timeout);
    await stopped;
    clearTimeout(abortLate);
  }

  private ensureQueue(name: string): Promise<void> {
    let ready = this.queues.get(name);
    if (!ready) {
      ready = (async () => {
        if (await this.boss.getQueue(name)) return;
        await this.boss.createQueue(name).catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
        });
      })();
      ready.catch(() => this.queues.delete(name));
      this.queues.set(name, ready);
    }
    return ready;
  }
}
