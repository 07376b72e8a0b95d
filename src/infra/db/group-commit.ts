import type { Db, Tx } from './database.js';
import { DurabilityError } from './sqlite.js';

interface Pending {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs many small writes in shared transactions. Writes that arrive while a transaction commits
 * wait and go into the next one, so a hundred concurrent requests cost one commit (and, on SQLite,
 * one fsync) instead of a hundred. A write's promise settles only once its transaction has
 * committed. If any write of a batch fails, the batch is rolled back and each of its writes runs
 * again in a transaction of its own, so one failure never takes the others down.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 256,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
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
      await this.commit(this.queue.splice(0, this.maxBatch));
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.draining = undefined;
  }

  private async commit(batch: Pending[]): Promise<void> {
    let values: unknown[];
    try {
      values = await this.db.transaction().execute(async (tx) => {
        const results: unknown[] = [];
        for (const pending of batch) results.push(await pending.work(tx));
        return results;
      });
    } catch (error) {
      // A batch that committed but could not be made durable is in the database: never run it twice.
      if (batch.length === 1 || error instanceof DurabilityError) return batch.forEach((pending) => pending.reject(error));
      for (const pending of batch) await this.commit([pending]);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(values[index]));
  }
}

/**
 * Group commits in parallel lanes, for databases that commit concurrently (PostgreSQL): writes of
 * one key (a learner) always take the same lane, so they stay in order and lanes never touch the
 * same rows. SQLite has one writer: one lane.
 */
export class LanedGroupCommit {
  private readonly lanes: GroupCommit[];

  constructor(db: Db, lanes: number) {
    this.lanes = Array.from({ length: lanes }, () => new GroupCommit(db));
  }

  run<T>(key: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.lanes.length === 1) return this.lanes[0]!.run(work);
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
    return this.lanes[Math.abs(hash) % this.lanes.length]!.run(work);
  }

  async settled(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.settled()));
  }
}
