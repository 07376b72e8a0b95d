import type { DatabaseHandle } from '../../../src/infra/db/database.js';
import { openDatabase } from '../../../src/infra/db/database.js';
import { migrateToLatest } from '../../../src/infra/db/migrate.js';
import type { JobQueue, QueueTimings } from '../../../src/infra/queue/job-queue.js';
import { PgBossJobQueue } from '../../../src/infra/queue/pg-boss-queue.js';
import { SqliteJobQueue } from '../../../src/infra/queue/sqlite-queue.js';

export const testTimings: QueueTimings = {
  leaseSeconds: 2,
  maintenanceSeconds: 1,
  retryDelaySeconds: 1,
  pollIntervalMs: 50,
};

/** The queue implementation for a database: SQLite's own, or pg-boss on PostgreSQL. */
export async function openQueue(
  location: { databaseUrl: string | undefined; sqlitePath: string },
  timings: QueueTimings = testTimings,
): Promise<{ queue: JobQueue; database: DatabaseHandle; close(): Promise<void> }> {
  const database = openDatabase(location);
  await migrateToLatest(database);
  const queue = location.databaseUrl
    ? new PgBossJobQueue(location.databaseUrl, timings, () => undefined)
    : new SqliteJobQueue(database.db, timings);
  await queue.start();
  return {
    queue,
    database,
    async close() {
      await queue.stop({ timeoutMs: 0 });
      await database.close();
    },
  };
}
