import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './columns.js';

// The LRS: credentials a manager creates for xAPI clients; statements, stored once as sent (JSON)
// with the columns and side tables their queries filter on; the documents of the State, Activity
// Profile and Agent Profile resources; canonical activity definitions; attachments by hash. And the
// player's xAPI sessions: each launch of a cmi5 AU or a Tin Can activity, with its tokens.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const { id, ref, primaryId, bytes } = columnTypes(dialect);

  await db.schema
    .createTable('xapi_credentials')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', ref, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('xapi_statements')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('statement_id', 'text', (c) => c.notNull())
    .addColumn('stored', 'bigint', (c) => c.notNull())
    .addColumn('verb_id', 'text', (c) => c.notNull())
    .addColumn('registration', 'text')
    .addColumn('object_statement_id', 'text')
    .addColumn('voided', 'integer', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addUniqueConstraint('xapi_statements_key', ['organization_id', 'statement_id'])
    .execute();
  for (const [name, columns] of [
    ['xapi_statements_by_stored', ['organization_id', 'stored']],
    ['xapi_statements_by_verb', ['organization_id', 'verb_id', 'id']],
    ['xapi_statements_by_registration', ['organization_id', 'registration', 'id']],
    ['xapi_statements_by_target', ['organization_id', 'object_statement_id']],
  ] as const) {
    await db.schema.createIndex(name).on('xapi_statements').columns([...columns]).execute();
  }

  // The agents and activities a statement names, each with `related` 0 where the narrow filter
  // matches (actor or object; the object) and 1 where only related_agents/related_activities do.
  for (const [table, column] of [
    ['xapi_statement_agents', 'agent_key'],
    ['xapi_statement_activities', 'activity_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('organization_id', ref, (c) => c.notNull())
      .addColumn('statement_row_id', ref, (c) => c.notNull().references('xapi_statements.id'))
      .addColumn(column, 'text', (c) => c.notNull())
      .addColumn('related', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex(`${table}_lookup`)
      .on(table)
      .columns(['organization_id', column, 'related', 'statement_row_id'])
      .execute();
  }

  await db.schema
    .createTable('xapi_attachments')
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('sha2', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('xapi_attachments_key', ['organization_id', 'sha2'])
    .execute();

  await db.schema
    .createTable('xapi_documents')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('agent_key', 'text', (c) => c.notNull())
    .addColumn('registration', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('xapi_documents_key', [
      'organization_id',
      'resource',
      'activity_id',
      'agent_key',
      'registration',
      'document_id',
    ])
    .execute();

  await db.schema
    .createTable('xapi_activities')
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('xapi_activities_key', ['organization_id', 'activity_id'])
    .execute();

  await db.schema
    .createTable('xapi_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('launch_id', 'text', (c) => c.notNull().references('launches.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('registration', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('fetch_token_hash', 'text', (c) => c.unique())
    .addColumn('fetched_at', 'bigint')
    .addColumn('auth_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('xapi_sessions_by_item').on('xapi_sessions').columns(['organization_id', 'registration', 'item_id']).execute();
}
