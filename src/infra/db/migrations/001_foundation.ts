import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './columns.js';

// Migrations see the database untyped: they describe what the tables were at their time.
type AnyDb = Kysely<unknown>;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const { id, ref, primaryId } = columnTypes(dialect);

  await db.schema
    .createTable('organizations')
    .addColumn('id', id, primaryId)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('manager', 'member')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('scorm_files')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id'))
    .addColumn('api_key_id', ref, (c) => c.references('api_keys.id'))
    .addColumn('api_key_name', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text')
    .addColumn('batch_name', 'text')
    .addColumn('file_size_bytes', 'bigint')
    .addColumn('public_url', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('remark', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addColumn('deleted_by', ref, (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('scorm_files_by_owner')
    .on('scorm_files')
    .columns(['organization_id', 'user_id', 'id'])
    .execute();
  await db.schema.createIndex('scorm_files_by_status').on('scorm_files').columns(['status', 'updated_at']).execute();

  await db.schema
    .createTable('content_extractions')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('scorm_file_id', ref, (c) => c.notNull().references('scorm_files.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queue_message_id', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('final_output_path', 'text')
    .addColumn('remarks', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addColumn('deleted_by', ref, (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('content_extractions_by_file')
    .on('content_extractions')
    .columns(['scorm_file_id', 'id'])
    .execute();
  await db.schema
    .createIndex('content_extractions_by_status')
    .on('content_extractions')
    .columns(['status', 'updated_at'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  // The embedded job queue lives in SQLite; on PostgreSQL pg-boss keeps its own schema.
  if (dialect === 'sqlite') {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('queue', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_after', 'bigint', (c) => c.notNull())
      .addColumn('lease_token', 'text')
      .addColumn('lease_expires_at', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_ready').on('jobs').columns(['queue', 'state', 'run_after']).execute();
  }
}
