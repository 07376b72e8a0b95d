import { defineConfig } from 'vitest/config';

// Tests whose file name ends in .db.test.ts touch the database: they run once on SQLite and, when
// LENS_TEST_POSTGRES_URL names a server, once more on PostgreSQL.
const postgresUrl = process.env.LENS_TEST_POSTGRES_URL;
const report = process.env.LENS_TEST_REPORT;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      { test: { name: 'sqlite', include: ['test/**/*.test.ts'], env: { LENS_TEST_DATABASE: 'sqlite' } } },
      ...(postgresUrl
        ? [{ test: { name: 'postgres', include: ['test/**/*.db.test.ts'], env: { LENS_TEST_DATABASE: 'postgres' } } }]
        : []),
    ],
  },
});
