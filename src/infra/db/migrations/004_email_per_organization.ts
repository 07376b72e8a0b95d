import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

// An e-mail is unique within an organization, not across them: one tenant adding a user must not
// learn that the address is in use elsewhere.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE users DROP CONSTRAINT users_email_key`.execute(db);
  } else {
    await rebuildUsersWithoutEmailConstraint(db);
  }
  await db.schema.createIndex('users_organization_email').unique().on('users').columns(['organization_id', 'email']).execute();
  await db.schema.createIndex('users_by_email').on('users').column('email').execute();
}

/**
 * SQLite cannot drop a column's UNIQUE: the table is rebuilt from its own definition without it,
 * as SQLite's documentation describes (foreign keys off, one transaction, checked before commit).
 * SQLite migrations run outside a transaction, so the pragma can be changed here.
 */
async function rebuildUsersWithoutEmailConstraint(db: Kysely<unknown>): Promise<void> {
  const definition = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'`.execute(db);
  const create = definition.rows[0]?.sql ?? '';
  const withoutUnique = create.replace(/("email"\s+text\s+not null)\s+unique/i, '$1');
  if (withoutUnique === create) throw new Error('users.email has no UNIQUE constraint to drop');
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      await sql.raw(withoutUnique.replace(/^CREATE TABLE\s+"?users"?/i, 'CREATE TABLE "users_rebuilt"')).execute(tx);
      await sql`INSERT INTO users_rebuilt SELECT * FROM users`.execute(tx);
      await sql`DROP TABLE users`.execute(tx);
      await sql`ALTER TABLE users_rebuilt RENAME TO users`.execute(tx);
      const broken = await sql`PRAGMA foreign_key_check`.execute(tx);
      if (broken.rows.length > 0) throw new Error('rebuilding users broke a foreign key');
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
