import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/infra/db/database.js';
import { migrateTo, migrateToLatest } from '../../../src/infra/db/migrate.js';
import { testEnvironment } from '../../support/harness.js';

let environment: Awaited<ReturnType<typeof testEnvironment>>;
let database: DatabaseHandle;

beforeAll(async () => {
  environment = await testEnvironment();
  database = openDatabase({ databaseUrl: environment.env.DATABASE_URL, sqlitePath: path.join(environment.dataDir, 'upgrade.db') });
});
afterAll(async () => {
  await database.close();
  await environment.cleanup();
});

describe('upgrading a database', () => {
  it('to e-mails unique per organization keeps every user, key and session, and still enforces foreign keys', async () => {
    await migrateTo(database, '003_webhooks_and_sessions');
    const { db } = database;
    const now = Date.now();
    const [acme, globex] = await Promise.all(
      ['acme', 'globex'].map((slug) => db.insertInto('organizations').values({ name: slug, slug, created_at: now }).returning('id').executeTakeFirstOrThrow()),
    );
    const user = await db
      .insertInto('users')
      .values({ organization_id: acme!.id, email: 'ada@example.test', role: 'manager', password_hash: 'hash', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('api_keys').values({ organization_id: acme!.id, user_id: user.id, name: 'k', prefix: 'sl_x', key_hash: 'h', created_at: now, last_used_at: null, revoked_at: null }).execute();
    await db.insertInto('sessions').values({ id_hash: 's', user_id: user.id, csrf_token: 'c', created_at: now, expires_at: now + 1000 }).execute();

    expect(await migrateTo(database, '004_email_per_organization')).toEqual(['004_email_per_organization']);

    expect(await db.selectFrom('users').select(['id', 'email', 'password_hash']).execute()).toEqual([{ id: user.id, email: 'ada@example.test', password_hash: 'hash' }]);
    expect(await db.selectFrom('api_keys').select('user_id').execute()).toEqual([{ user_id: user.id }]);
    expect(await db.selectFrom('sessions').select('user_id').execute()).toEqual([{ user_id: user.id }]);
    const sameEmail = { email: 'ada@example.test', role: 'member' as const, password_hash: null, created_at: now };
    await db.insertInto('users').values({ organization_id: globex!.id, ...sameEmail }).execute();
    await expect(db.insertInto('users').values({ organization_id: acme!.id, ...sameEmail }).execute()).rejects.toThrow();
    await expect(
      db.insertInto('api_keys').values({ organization_id: acme!.id, user_id: 999_999, name: 'k2', prefix: 'sl_y', key_hash: 'h2', created_at: now, last_used_at: null, revoked_at: null }).execute(),
    ).rejects.toThrow();
    // The next user gets a new id, not a reused one.
    const next = await db.insertInto('users').values({ organization_id: acme!.id, ...sameEmail, email: 'bob@example.test' }).returning('id').executeTakeFirstOrThrow();
    expect(next.id).toBeGreaterThan(user.id);

    // The player's and the LRS's tables, users' lifecycle, rate limits and the package facts of extractions come next, on the same populated database.
    expect(await migrateToLatest(database)).toEqual(['005_launches', '006_xapi', '007_user_lifecycle', '008_rate_limits', '009_extraction_package_facts']);
    expect(await db.selectFrom('users').select(['email', 'deactivated_at', 'deleted_at']).orderBy('id').execute()).toEqual([
      { email: 'ada@example.test', deactivated_at: null, deleted_at: null },
      { email: 'ada@example.test', deactivated_at: null, deleted_at: null },
      { email: 'bob@example.test', deactivated_at: null, deleted_at: null },
    ]);
    // An e-mail stays unique among an organization's users, deleted ones aside.
    await expect(db.insertInto('users').values({ organization_id: acme!.id, ...sameEmail }).execute()).rejects.toThrow();
    await db.updateTable('users').set({ deleted_at: now }).where('id', '=', user.id).execute();
    await db.insertInto('users').values({ organization_id: acme!.id, ...sameEmail }).execute();
  });
});
