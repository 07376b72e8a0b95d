import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './columns.js';

// Webhooks with their outbox of deliveries and the log of each attempt, and the admin panel's
// sign-in sessions.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const { id, ref, primaryId } = columnTypes(dialect);

  await db.schema
    .createTable('webhooks')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', 'bigint')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('webhooks_by_organization').on('webhooks').columns(['organization_id', 'event']).execute();

  // The outbox: a row per event and webhook, written in the transaction that makes the event.
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id, primaryId)
    .addColumn('webhook_id', ref, (c) => c.notNull().references('webhooks.id'))
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event', ['webhook_id', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_by_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', id, primaryId)
    .addColumn('delivery_id', ref, (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_excerpt', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_by_delivery').on('webhook_attempts').columns(['delivery_id', 'attempt']).execute();

  // Sessions are stored by the hash of their cookie, so a database leak opens no session.
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
