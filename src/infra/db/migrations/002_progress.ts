import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './columns.js';

// Learner progress: collections of contents, contexts (batches) of collections, enrollments with
// their aggregates, per-content consumption, assessment attempts, certificates, and the message
// ids already applied (so a retried request is applied once).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const { id, ref, real, primaryId } = columnTypes(dialect);

  await db.schema
    .createTable('collections')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('logo', 'text')
    .addColumn('scorm_file_id', ref, (c) => c.references('scorm_files.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  // Identifiers are unique among live rows: a deleted collection or context frees its identifier.
  await db.schema
    .createIndex('collections_identifier')
    .on('collections')
    .columns(['organization_id', 'identifier'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('collection_contents')
    .addColumn('collection_id', ref, (c) => c.notNull().references('collections.id'))
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('optional', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('collection_contents_pk', ['collection_id', 'content_id'])
    .execute();

  await db.schema
    .createTable('contexts')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('collection_id', ref, (c) => c.notNull().references('collections.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start_date', 'bigint')
    .addColumn('end_date', 'bigint')
    .addColumn('enrollment', 'text', (c) => c.notNull())
    .addColumn('certificate_name', 'text')
    .addColumn('certificate_min_score_percent', real)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('contexts_identifier')
    .on('contexts')
    .columns(['organization_id', 'identifier'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  // One row per learner and context: the summary, kept current on every write.
  await db.schema
    .createTable('enrollments')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('context_id', ref, (c) => c.notNull().references('contexts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('learner_name', 'text')
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('completed_on', 'bigint')
    .addColumn('content_status', 'text', (c) => c.notNull())
    .addColumn('assessment_status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('enrollments_learner', ['context_id', 'user_id'])
    .execute();
  await db.schema.createIndex('enrollments_by_user').on('enrollments').columns(['organization_id', 'user_id']).execute();

  // One row per learner, content and context ('' for organic consumption).
  await db.schema
    .createTable('content_consumptions')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('context_key', 'text', (c) => c.notNull())
    .addColumn('collection_identifier', 'text')
    .addColumn('context_identifier', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('progress', real, (c) => c.notNull())
    .addColumn('time_spent', real, (c) => c.notNull())
    .addColumn('progress_details', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('content_consumptions_key', ['organization_id', 'user_id', 'content_id', 'context_key'])
    .execute();

  await db.schema
    .createTable('assessment_attempts')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('context_id', ref, (c) => c.notNull().references('contexts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text', (c) => c.notNull())
    .addColumn('score', real, (c) => c.notNull())
    .addColumn('max_score', real, (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('assessment_attempts_key', ['context_id', 'user_id', 'content_id', 'attempt_id'])
    .execute();

  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('enrollment_id', ref, (c) => c.notNull().unique().references('enrollments.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('applied_messages')
    .addColumn('organization_id', ref, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('msgid', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('applied_messages_pk', ['organization_id', 'user_id', 'msgid'])
    .execute();
}
