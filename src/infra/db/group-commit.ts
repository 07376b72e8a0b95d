import type { Db, Tx } from './database.js';

interface Pending {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs many small writes in shared transactions. Writes that arrive while a transaction commits
 * wait and go into the next one, so a hundred concurrent requests cost one commit (and, on SQLite,
 * one fsync) instead of a hundred. Each write runs in its own savepoint, so one that fails is
 * undone alone; a write's promise settles only once its transaction has committed.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 256,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxBatch));
    this.draining = false;
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let tx;
    try {
      tx = await this.db.startTransaction().execute();
      for (const [index, pending] of batch.entries()) {
        const name = `write_${index}`;
        const savepoint = await tx.savepoint(name).execute();
        try {
          outcomes.push({ ok: true, value: await pending.work(savepoint) });
          await savepoint.releaseSavepoint(name).execute();
        } catch (error) {
          await savepoint.rollbackToSavepoint(name).execute();
          outcomes.push({ ok: false, error });
        }
      }
      await tx.commit().execute();
    } catch (error) {
      await tx?.rollback().execute().catch(() => undefined);
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }
}
