import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './columns.js';

// The player: launches (a single-use token exchanged for a session scoped to one package and
// learner), the runtime data of each learner's attempt on each SCO, with the commit it is at, and
// the state of SCORM 2004 sequencing of each learner on each package.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const { id, ref, real, primaryId } = columnTypes(dialect);

  await db.schema
    .createTable('launches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('scorm_file_id', ref, (c) => c.notNull().references('scorm_files.id'))
    .addColumn('content_extraction_id', ref, (c) => c.notNull().references('content_extractions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('learner_name', 'text')
    .addColumn('collection_identifier', 'text')
    .addColumn('context_identifier', 'text')
    .addColumn('preview', 'integer', (c) => c.notNull())
    .addColumn('redirect_url', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_at', 'bigint')
    .addColumn('session_hash', 'text', (c) => c.unique())
    .addColumn('session_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('launches_by_learner').on('launches').columns(['organization_id', 'user_id']).execute();

  await db.schema
    .createTable('runtime_attempts')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scorm_file_id', ref, (c) => c.notNull().references('scorm_files.id'))
    .addColumn('context_key', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('delivery', 'integer', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('launch_id', 'text', (c) => c.notNull())
    .addColumn('cmi', 'text', (c) => c.notNull())
    .addColumn('terminated', 'integer', (c) => c.notNull())
    .addColumn('recorded_seconds', real, (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('runtime_attempts_key', ['organization_id', 'user_id', 'scorm_file_id', 'context_key', 'item_id'])
    .execute();

  await db.schema
    .createTable('sequencing_states')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scorm_file_id', ref, (c) => c.notNull().references('scorm_files.id'))
    .addColumn('context_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sequencing_states_key', ['organization_id', 'user_id', 'scorm_file_id', 'context_key'])
    .execute();
}
