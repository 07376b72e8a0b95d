import type { Db, Dialect, Tx } from './database.js';
import { DurabilityError } from './sqlite.js';

interface Pending {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs many small writes in shared transactions. Writes that arrive while a transaction commits
 * wait and go into the next one, so a hundred concurrent requests cost one commit (and one fsync)
 * instead of a hundred. A write's promise settles only once its transaction has committed. If any
 * write of a batch fails, the batch is rolled back and each of its writes runs again in a
 * transaction of its own, so one failure never takes the others down.
 *
 * `overlap` batches may be under way at once. On SQLite, whose single connection runs one
 * transaction after another and is handed on while a commit is being synced to disk, two let the
 * next batch run during that sync. Where transactions run concurrently (PostgreSQL), one keeps a
 * lane's batches, and so a learner's writes, in order.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private underWay = 0;

  constructor(
    private readonly db: Db,
    private readonly overlap: number,
    private readonly maxBatch = 256,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Starts a batch on the next turn of the event loop. A query on SQLite completes without giving
   * the event loop a turn, so requests that arrived meanwhile are not parsed yet: the turn lets
   * them join the batch.
   */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.underWay >= this.overlap) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.underWay += 1;
      void this.commit(this.queue.splice(0, this.maxBatch)).finally(() => {
        this.underWay -= 1;
        this.schedule();
      });
      this.schedule();
    });
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
 * same rows. SQLite has one writer: one lane, whose batches overlap by two.
 */
export class LanedGroupCommit {
  private readonly lanes: GroupCommit[];

  constructor(db: Db, dialect: Dialect, postgresLanes: number) {
    this.lanes =
      dialect === 'sqlite' ? [new GroupCommit(db, 2)] : Array.from({ length: postgresLanes }, () => new GroupCommit(db, 1));
  }

  run<T>(key: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
    return this.lanes[Math.abs(hash) % this.lanes.length]!.run(work);
  }
}
