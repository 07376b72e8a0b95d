import type { Kysely } from 'kysely';

// Rate limits counted in the database, so that every process of the service shares them: the hits
// of a key in its current window, and when that window ends.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_by_window_end').on('rate_limits').column('window_ends_at').execute();
}
