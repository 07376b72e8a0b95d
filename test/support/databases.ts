import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Which database this test run is for (set per vitest project). */
export const testDatabaseKind = (): 'sqlite' | 'postgres' =>
  process.env.LENS_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh PostgreSQL database for one test file, dropped afterwards. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.LENS_TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error('LENS_TEST_POSTGRES_URL is not set');
  const name = `lens_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
