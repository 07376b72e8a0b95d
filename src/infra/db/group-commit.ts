import type { Db, Tx } from './database.js';
import { DurabilityError } from './sqlite.js';

/** Applies a batch of writes in one transaction, with a result for each. */
export type ApplyBatch<W, R> = (tx: Tx, writes: W[]) => Promise<R[]>;

/** Takes the size of each batch as it is committed (the metrics' histogram). */
export interface BatchSizes {
  observe(size: number): void;
}

interface Pending<W, R> {
  key: string;
  write: W;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs many small writes in shared transactions. Writes that arrive while a transaction commits
 * wait and go into the next one, so a hundred concurrent requests cost one commit (and, on SQLite,
 * one fsync) instead of a hundred, and `apply` can read and write a whole batch in a few
 * statements. A batch holds at most one write per key (a learner): a key's later writes wait for
 * the next batch, in order, so the writes of a batch never touch the same rows. A write's promise
 * settles only once its transaction has committed. If a batch fails, it is rolled back and each of
 * its writes runs again in a transaction of its own, so one failure never takes the others down.
 */
export class GroupCommit<W, R> {
  private queue: Pending<W, R>[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly apply: ApplyBatch<W, R>,
    private readonly batchSizes: BatchSizes,
    private readonly maxBatch = 256,
  ) {}

  run(key: string, write: W): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ key, write, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once every write handed in so far is answered: the database may then close. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // A query on SQLite completes without giving the event loop a turn, so requests that arrived
    // meanwhile are not parsed yet: one turn lets them join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.nextBatch();
      this.batchSizes.observe(batch.length);
      await this.commit(batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.draining = undefined;
  }

  /** The first write of each key, in order, up to maxBatch; the rest stays queued in order. */
  private nextBatch(): Pending<W, R>[] {
    const batch: Pending<W, R>[] = [];
    const waiting: Pending<W, R>[] = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      if (batch.length < this.maxBatch && !keys.has(pending.key)) batch.push(pending);
      else waiting.push(pending);
      keys.add(pending.key);
    }
    this.queue = waiting;
    return batch;
  }

  private async commit(batch: Pending<W, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.db.transaction().execute((tx) => this.apply(tx, batch.map((pending) => pending.write)));
    } catch (error) {
      // A batch that committed but could not be made durable is in the database: never run it twice.
      if (batch.length === 1 || error instanceof DurabilityError) return batch.forEach((pending) => pending.reject(error));
      for (const pending of batch) await this.commit([pending]);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(results[index]!));
  }
}

/**
 * Group commits in parallel lanes, for databases that commit concurrently (PostgreSQL): writes of
 * one key (a learner) always take the same lane, so they stay in order and lanes never touch the
 * same rows. SQLite has one writer: one lane.
 */
export class LanedGroupCommit<W, R> {
  private readonly lanes: GroupCommit<W, R>[];

  constructor(db: Db, lanes: number, apply: ApplyBatch<W, R>, batchSizes: BatchSizes) {
    this.lanes = Array.from({ length: lanes }, () => new GroupCommit(db, apply, batchSizes));
  }

  run(key: string, write: W): Promise<R> {
    if (this.lanes.length === 1) return this.lanes[0]!.run(key, write);
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
    return this.lanes[Math.abs(hash) % this.lanes.length]!.run(key, write);
  }

  async settled(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.settled()));
  }
}
