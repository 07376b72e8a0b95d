import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { DatabaseHandle, Dialect } from './database.js';
import * as foundation from './migrations/001_foundation.js';
import * as progress from './migrations/002_progress.js';
import * as webhooksAndSessions from './migrations/003_webhooks_and_sessions.js';
import * as emailPerOrganization from './migrations/004_email_per_organization.js';
import * as launches from './migrations/005_launches.js';
import * as xapi from './migrations/006_xapi.js';
import * as userLifecycle from './migrations/007_user_lifecycle.js';
import * as rateLimits from './migrations/008_rate_limits.js';
import * as extractionPackageFacts from './migrations/009_extraction_package_facts.js';

interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

// Listed in order; the names are recorded in the database and must never change.
const migrations: Record<string, DialectMigration> = {
  '001_foundation': foundation,
  '002_progress': progress,
  '003_webhooks_and_sessions': webhooksAndSessions,
  '004_email_per_organization': emailPerOrganization,
  '005_launches': launches,
  '006_xapi': xapi,
  '007_user_lifecycle': userLifecycle,
  '008_rate_limits': rateLimits,
  '009_extraction_package_facts': extractionPackageFacts,
};

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, migration]) => [
        name,
        { up: (db: Kysely<unknown>) => migration.up(db, this.dialect) },
      ]),
    );
  }
}

/** Brings the schema up to date; safe to run from several processes at once (the migrator locks). */
export function migrateToLatest(database: DatabaseHandle): Promise<string[]> {
  return run(database, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema to the named migration (to test an upgrade from it). */
export function migrateTo(database: DatabaseHandle, name: string): Promise<string[]> {
  return run(database, (migrator) => migrator.migrateTo(name));
}

async function run(database: DatabaseHandle, step: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: new StaticMigrationProvider(database.dialect) });
  const { error, results } = await step(migrator);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
