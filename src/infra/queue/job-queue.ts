import type { Tx } from '../db/database.js';

export interface QueuedJob<T> {
  /** The queue's own message id (the `sqs_message_id` of the API). */
  id: string;
  name: string;
  data: T;
  /** 1 for the first run, 2 for the first retry, and so on. */
  attempt: number;
  /** The last attempt the queue will make. */
  maxAttempts: number;
  /** Aborted when the worker shuts down; a handler that sees it should stop and let the job be retried. */
  signal: AbortSignal;
}

export type JobHandler<T> = (job: QueuedJob<T>) => Promise<void>;

/** A queue and the handler of its jobs, as a module hands them to the worker. */
export interface JobDefinition {
  name: string;
  handler: JobHandler<never>;
}

export const defineJob = <T>(name: string, handler: JobHandler<T>): JobDefinition => ({ name, handler: handler as JobHandler<never> });

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists if and only if the transaction commits. */
  tx?: Tx;
  /** Retries after the first attempt fails or its lease expires. */
  retryLimit?: number;
  /** Delay before the first attempt. */
  startAfterMs?: number;
}

export interface WorkOptions {
  concurrency: number;
}

/**
 * A durable job queue. A job runs until its handler resolves; a handler that throws, or a worker
 * that dies (its lease expires), makes the job run again with exponential backoff until its retries
 * are spent. Implementations: SQLite (embedded default) and pg-boss (PostgreSQL).
 */
export interface JobQueue {
  start(): Promise<void>;
  /** Jobs of each of these kinds that wait and that run now, in every process: the queue's state, for the metrics. */
  counts(kinds: readonly string[]): Promise<JobCounts[]>;
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string>;
  work<T extends object>(name: string, handler: JobHandler<T>, options: WorkOptions): Promise<void>;
  /** Stops taking jobs, waits up to timeoutMs for running ones, then hands the rest back to the queue. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** Jobs of one kind (queue) that wait for a worker (retries and delayed ones too) and that a worker runs. */
export interface JobCounts {
  kind: string;
  queued: number;
  running: number;
}

/** Counts per kind from rows of (kind, state, count), every kind present, missing states as 0. */
export function jobCounts(kinds: readonly string[], rows: { kind: string; state: 'queued' | 'running'; count: number }[]): JobCounts[] {
  const counts = new Map(kinds.map((kind) => [kind, { kind, queued: 0, running: 0 }]));
  for (const row of rows) {
    const entry = counts.get(row.kind);
    if (entry) entry[row.state] += row.count;
  }
  return [...counts.values()];
}

export interface QueueTimings {
  /** How long a worker holds a job before another worker may take it over. */
  leaseSeconds: number;
  /** How often expired leases are looked for (pg-boss maintenance). */
  maintenanceSeconds: number;
  /** First retry delay; doubles with each attempt. */
  retryDelaySeconds: number;
  pollIntervalMs: number;
}
