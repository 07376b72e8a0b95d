import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './columns.js';

// Users can be deactivated (and reactivated) and deleted; a deleted user's row stays, so their
// files keep an owner, and their e-mail is free again in the organization. Password-reset links
// are stored by the hash of their token.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const { id, ref, primaryId } = columnTypes(dialect);
  await db.schema.alterTable('users').addColumn('deactivated_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
  await db.schema.dropIndex('users_organization_email').execute();
  await db.schema
    .createIndex('users_organization_email')
    .unique()
    .on('users')
    .columns(['organization_id', 'email'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', id, primaryId)
    .addColumn('organization_id', ref, (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_resets_by_user').on('password_resets').column('user_id').execute();
}
